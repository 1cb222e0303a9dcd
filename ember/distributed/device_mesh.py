"""ember.distributed.device_mesh: the names of torch's DeviceMesh API, not usable in ember (it
has no sharded tensors to lay out over a mesh); see ``ember.distributed._unsupported``."""
from ._unsupported import unsupported_class, unsupported_function

__all__ = ["DeviceMesh", "init_device_mesh"]

DeviceMesh = unsupported_class("DeviceMesh", "torch.distributed.device_mesh")
init_device_mesh = unsupported_function("init_device_mesh", "torch.distributed.device_mesh")
