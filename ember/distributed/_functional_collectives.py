"""ember.distributed._functional_collectives: torch's traceable collectives, not usable in ember
(the ordinary collectives in ``ember.distributed`` are)."""
from ._unsupported import unsupported_function

_HERE = "torch.distributed._functional_collectives"
all_to_all_single_autograd = unsupported_function("all_to_all_single_autograd", _HERE)
wait_tensor = unsupported_function("wait_tensor", _HERE)
