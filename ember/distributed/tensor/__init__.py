"""ember.distributed.tensor: the names of torch's DTensor API, none of them usable (ember has no
sharded tensors); see ``ember.distributed._unsupported``."""
from .._unsupported import unsupported_class, unsupported_function
from .placement_types import Partial, Placement, Replicate, Shard

__all__ = ["DTensor", "Partial", "Placement", "Replicate", "Shard", "distribute_tensor",
           "distribute_module"]

DTensor = unsupported_class("DTensor", "torch.distributed.tensor")
distribute_tensor = unsupported_function("distribute_tensor", "torch.distributed.tensor")
distribute_module = unsupported_function("distribute_module", "torch.distributed.tensor")
