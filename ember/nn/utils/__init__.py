"""Helpers around modules: gradient clipping, parameter flattening, and the optional
submodules (``rnn``, ``parametrize``, ...) that other files provide when present."""
import importlib
import importlib.util

from .clip_grad import (clip_grad_norm_, clip_grad_norm, clip_grad_value_,  # noqa: F401
                        get_total_norm, clip_grads_with_norm_)
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_", "parameters_to_vector", "vector_to_parameters"]

# submodules other files provide: the first are reached as ``nn.utils.<name>``, the
# second also have their ``__all__`` re-exported here, as torch does
_SUBMODULES = ("rnn", "parametrize", "parametrizations", "prune", "stateless")
_REEXPORTED = ("weight_norm", "spectral_norm", "fusion", "init")


def _import_optional():
    for name in _SUBMODULES + _REEXPORTED:
        full = f"{__name__}.{name}"
        if importlib.util.find_spec(full) is None:
            continue
        mod = importlib.import_module(full)
        if name in _REEXPORTED:
            globals().update((n, getattr(mod, n)) for n in mod.__all__)
            __all__.extend(mod.__all__)


_import_optional()
