"""ember.nn.functional: torch.nn.functional's functions, gathered from one module per family.

The families with ops of their own (activation, linear, conv, pooling, normalization,
sparse, loss, attention) keep their functions in the op layer
(``ember/_ops/<family>/funcs.py`` or ``ember/_ops/<family>.py``); the compositions
live in ``ember/nn/_functional/<family>.py``.
Each family lists its public names in ``__all__``; this module re-exports them.
"""
import importlib
import importlib.util

_FAMILIES = ("ember._ops.activation.funcs", "ember._ops.linear", "ember._ops.conv.funcs",
             "ember._ops.pooling.funcs", ".padding", ".upsampling", ".dropout",
             "ember._ops.normalization.funcs", "ember._ops.sparse", "ember._ops.loss.funcs",
             "ember._ops.loss.margin", ".distance", "ember._ops.attention", ".vision", ".misc",
             "ember._ops.pooling.fractional_funcs", ".linear_cross_entropy")

__all__ = []
for _family in _FAMILIES:
    _name = f"{__package__}._functional{_family}" if _family.startswith(".") else _family
    if importlib.util.find_spec(_name) is None:
        continue
    _mod = importlib.import_module(_name)
    for _n in _mod.__all__:
        globals()[_n] = getattr(_mod, _n)
    __all__.extend(_mod.__all__)
del _family, _name
