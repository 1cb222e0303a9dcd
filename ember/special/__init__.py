"""ember.special: torch.special's functions (see ``ember/_api/special.py``)."""
from .._api import special as _special

__all__ = list(_special.NAMESPACE)
globals().update({_name: getattr(_special, _name) for _name in __all__})
