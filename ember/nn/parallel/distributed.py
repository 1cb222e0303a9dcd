"""``DistributedDataParallel``: present under torch's name, refusing to run (no multi-process)."""
from ..modules.module import Module

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Not supported: ember has no multi-process gradient all-reduce."""

    def __init__(self, module, *args, **kwargs):
        raise NotImplementedError("ember does not implement DistributedDataParallel (multi-process "
                                  "training). Train in one process, with nn.DataParallel or the "
                                  "bare module.")
