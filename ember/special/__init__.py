"""ember.special: torch.special's functions (see ``ember/_ops/special/funcs.py``)."""
from .._ops.special import funcs as _special

__all__ = list(_special.NAMESPACE)
globals().update({_name: getattr(_special, _name) for _name in __all__})
