"""The layer classes: ``Module`` and the containers, plus one file per layer family.

Each family file (``linear.py``, ``conv.py``, ...) defines ``__all__``; the files
named in ``_FAMILIES`` are imported when present and their ``__all__`` names
re-exported here (and from ``ember.nn``), so families can be added one by one.
"""
import importlib
import importlib.util

from .module import Module
from .container import Container, Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict

__all__ = ["Module", "Container", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
           "ParameterDict"]

_FAMILIES = ("linear", "conv", "pooling", "activation", "normalization", "batchnorm",
             "instancenorm", "dropout", "sparse", "rnn", "loss", "transformer", "flatten",
             "padding", "pixelshuffle", "channelshuffle", "upsampling", "fold", "distance",
             "adaptive", "linear_cross_entropy_options")


def _import_families():
    for family in _FAMILIES:
        name = f"{__name__}.{family}"
        if importlib.util.find_spec(name) is None:
            continue
        mod = importlib.import_module(name)
        globals().update((n, getattr(mod, n)) for n in mod.__all__)
        __all__.extend(mod.__all__)


_import_families()
