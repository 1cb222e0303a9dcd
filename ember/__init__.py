"""ember: a deep-learning framework on NumPy that speaks PyTorch.

``import ember as torch`` and PyTorch code runs: tensors, autograd, ``nn``,
``optim``, ``utils.data``, ``save``/``load``.
"""
from .version import ember_version as __version__

from ._dtype import (dtype, float16, half, bfloat16, float32, float, float64, double,  # noqa: F401,A004
                     int8, int16, short, int32, int, int64, long, uint8, bool, uint16, uint32, uint64,
                     float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu,
                     complex64, cfloat, complex128, cdouble,
                     get_default_dtype, set_default_dtype, promote_types, result_type,
                     can_cast, finfo, iinfo)
from ._tensor import Tensor, Size  # noqa: F401
from . import _utils  # noqa: F401  (tensor pickling)
from ._device import device  # noqa: F401
from . import autograd  # noqa: F401
from .autograd import (no_grad, enable_grad, set_grad_enabled, inference_mode,  # noqa: F401
                       is_grad_enabled, is_inference_mode_enabled)

from ._ops import (common as _common, inplace as _inplace,  # noqa: F401
                   conversion as _conversion, creation as _creation, random as _random)
from ._ops.elementwise import funcs as _elementwise  # noqa: F401
from ._ops.comparison import funcs as _comparison  # noqa: F401
from ._ops.reduction import funcs as _reduction
from ._ops.shape import funcs as _shape  # noqa: F401
from ._ops.indexing import funcs as _indexing  # noqa: F401
from ._ops.linalg import funcs as _linalg  # noqa: F401
from ._ops.complex import funcs as _complex  # noqa: F401
from ._ops.fft import spectral as _spectral  # noqa: F401
from ._ops.special import funcs as _special  # noqa: F401
from ._ops.conversion import *  # noqa: F401,F403
from ._ops.creation import *  # noqa: F401,F403
from ._ops.creation import LEGACY_TYPES as _LEGACY_TYPES
from ._ops.elementwise.funcs import *  # noqa: F401,F403
from ._ops.comparison.funcs import *  # noqa: F401,F403
from ._ops.reduction.funcs import *  # noqa: F401,F403
from ._ops.activation.softmax import *  # noqa: F401,F403
from ._ops.shape.funcs import *  # noqa: F401,F403
from ._ops.indexing.funcs import *  # noqa: F401,F403
from ._ops.linalg.funcs import *  # noqa: F401,F403
from .linalg._toplevel import *  # noqa: F401,F403
from ._ops.random import *  # noqa: F401,F403
from ._ops.complex.funcs import *  # noqa: F401,F403
from ._ops.fft.spectral import *  # noqa: F401,F403
from ._ops.special.funcs import *  # noqa: F401,F403
from ._ops.composite import *  # noqa: F401,F403
from ._tensor_str import set_printoptions, get_printoptions  # noqa: F401
from . import cuda  # noqa: F401
from ._runtime import *  # noqa: F401,F403
from ._memory_format import (memory_format, preserve_format, contiguous_format,  # noqa: F401
                             channels_last, channels_last_3d, layout, strided)
from .storage import UntypedStorage  # noqa: F401
from ._typed_storage import TypedStorage  # noqa: F401
from . import library  # noqa: F401
from .library import ops  # noqa: F401
from ._file_reader import PyTorchFileReader  # noqa: F401
from .jit import ScriptModule, ScriptFunction  # noqa: F401  (torch.ScriptModule is jit's)
from .autograd.anomaly_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled  # noqa: F401
from math import inf, nan, pi, e  # noqa: F401
from ._functional_aliases import resolve as _resolve_alias

globals().update(_LEGACY_TYPES)
return_types = _reduction.return_types


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_storage(obj):
    """Whether ``obj`` is a storage (``UntypedStorage`` or ``TypedStorage``); tensors are not."""
    return isinstance(obj, (UntypedStorage, TypedStorage))


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def _assert(condition, message):
    """``assert condition, message`` as a function (torch's traceable assert)."""
    assert condition, message


def __getattr__(name):
    # Submodules load on first use so that ``import ember`` stays fast.
    # A submodule ember lacks is a missing attribute, so hasattr(ember, "fft") is False.
    import importlib
    if name == "vmap":  # torch.vmap is torch.func.vmap
        return importlib.import_module(".func", __name__).vmap
    if name in _LAZY_FUNCTIONS:
        value = globals()[name] = getattr(importlib.import_module(_LAZY_FUNCTIONS[name]), name)
        return value
    if name in _LAZY_SUBMODULES:
        try:
            return importlib.import_module("." + name, __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    else:
        function = _resolve_alias(name)
        if function is not None:
            return function
    raise AttributeError(f"module 'ember' has no attribute '{name}'")


# save/load live with the checkpoint format, which needs ``nn`` (Parameter): both load on first use
_LAZY_FUNCTIONS = {"save": "ember.serialization", "load": "ember.serialization"}
_LAZY_SUBMODULES = {"nn", "optim", "utils", "serialization", "vision", "distributed", "backends",
                    "special", "fft", "testing", "jit", "onnx", "hub", "multiprocessing",
                    "_C", "fx", "compiler", "profiler", "overrides", "_dynamo", "accelerator",
                    "torch_version", "distributions", "func"}
