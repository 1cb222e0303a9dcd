"""ember.distributed.checkpoint.hf_storage: safetensors storage for distributed checkpoints, not
usable in ember."""
from .._unsupported import unsupported_class

__all__ = ["HuggingFaceStorageReader", "HuggingFaceStorageWriter"]

_HERE = "torch.distributed.checkpoint.hf_storage"
HuggingFaceStorageReader = unsupported_class("HuggingFaceStorageReader", _HERE)
HuggingFaceStorageWriter = unsupported_class("HuggingFaceStorageWriter", _HERE)
