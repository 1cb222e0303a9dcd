"""Neural-network building blocks: ``Module``, ``Parameter``, layers, ``init``, ``utils``.

Mirrors ``torch.nn``: every layer in ``ember.nn.modules`` is importable from
here, and ``functional`` (as ``F``), ``init``, ``utils`` and ``parallel`` are
submodules.
"""
import importlib.util

from .parameter import Parameter, Buffer, UninitializedBuffer, UninitializedParameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _module_names
from .parallel import DataParallel  # noqa: F401
from . import init, utils, parallel  # noqa: F401

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "DataParallel",
           "init", "utils", "parallel"] + _module_names

if importlib.util.find_spec(__name__ + ".functional") is not None:
    from . import functional  # noqa: F401
    __all__.append("functional")
