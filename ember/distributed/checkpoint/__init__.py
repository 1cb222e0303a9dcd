"""ember.distributed.checkpoint: the names of torch's distributed (sharded) checkpointing, not
usable in ember; save a DistributedDataParallel model with ``ember.save`` on rank 0 instead."""
from .._unsupported import unsupported_class, unsupported_function

__all__ = ["FileSystemReader", "FileSystemWriter", "load", "save"]

_HERE = "torch.distributed.checkpoint"
FileSystemReader = unsupported_class("FileSystemReader", _HERE)
FileSystemWriter = unsupported_class("FileSystemWriter", _HERE)
load = unsupported_function("load", _HERE)
save = unsupported_function("save", _HERE)
