"""ember.nn.functional: torch.nn.functional's functions, gathered from one file per family.

Each family lives in ``ember/nn/_functional/<family>.py`` and lists its public
names in ``__all__``; this module re-exports them.
"""
import importlib
import importlib.util

_FAMILIES = ("activation", "linear", "conv", "pooling", "padding", "upsampling", "dropout",
             "normalization", "sparse", "loss", "distance", "attention", "vision", "misc",
             "fractional_pooling", "linear_cross_entropy")

__all__ = []
for _family in _FAMILIES:
    _name = f"{__package__}._functional.{_family}"
    if importlib.util.find_spec(_name) is None:
        continue
    _mod = importlib.import_module(_name)
    for _n in _mod.__all__:
        globals()[_n] = getattr(_mod, _n)
    __all__.extend(_mod.__all__)
del _family, _name
