"""ember.distributed.fsdp: the names of torch's fully sharded data parallel API, none of them
usable (ember shards nothing; use DistributedDataParallel)."""
from .._unsupported import unsupported_class, unsupported_function

__all__ = ["CPUOffloadPolicy", "FSDPModule", "FullyShardedDataParallel", "MixedPrecisionPolicy",
           "fully_shard"]

_HERE = "torch.distributed.fsdp"
CPUOffloadPolicy = unsupported_class("CPUOffloadPolicy", _HERE)
MixedPrecisionPolicy = unsupported_class("MixedPrecisionPolicy", _HERE)
FSDPModule = unsupported_class("FSDPModule", _HERE)
FullyShardedDataParallel = unsupported_class("FullyShardedDataParallel", _HERE)
fully_shard = unsupported_function("fully_shard", _HERE)
