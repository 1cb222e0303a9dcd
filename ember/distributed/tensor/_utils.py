"""ember.distributed.tensor._utils: DTensor shard arithmetic, not usable in ember."""
from .._unsupported import unsupported_function

compute_local_shape_and_global_offset = unsupported_function(
    "compute_local_shape_and_global_offset", "torch.distributed.tensor._utils")
