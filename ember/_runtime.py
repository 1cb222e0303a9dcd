"""Process-level switches that PyTorch scripts call: threads, defaults, determinism, compile.

ember runs every op eagerly on NumPy (or CuPy), so several of these switches
have nothing to switch; they accept torch's arguments, validate them as torch
does, and remember the value so that the matching getter answers consistently.
"""
import os
import warnings

from . import _dtype
from ._device import as_device, default_device, set_default
from .amp import GradScaler, autocast, get_autocast_dtype, is_autocast_enabled
from ._backend import cuda_available
from ._backend import array_module_for
from ._tensor import Tensor

__all__ = [
    "GradScaler",
    "are_deterministic_algorithms_enabled",
    "autocast",
    "compile",
    "get_autocast_dtype",
    "get_default_device",
    "get_deterministic_debug_mode",
    "get_float32_matmul_precision",
    "get_num_interop_threads",
    "get_num_threads",
    "init_num_threads",
    "is_autocast_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_nonzero",
    "set_default_device",
    "set_default_tensor_type",
    "set_deterministic_debug_mode",
    "set_flush_denormal",
    "set_float32_matmul_precision",
    "set_num_interop_threads",
    "set_num_threads",
    "typename",
    "use_deterministic_algorithms",
]

_state = {"threads": None, "interop_threads": None,
          "deterministic": False, "warn_only": False, "matmul_precision": "highest"}


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """Return ``model`` unchanged: ember has no compiler, every op runs eagerly.

    Works as ``ember.compile(model)``, ``@ember.compile`` and
    ``@ember.compile(mode="max-autotune")``; the options are accepted and ignored.
    """
    if model is None:
        return lambda fn: fn
    if not callable(model):
        raise RuntimeError(f"compile(): expected a callable model or function, "
                           f"got {type(model).__name__}")
    return model


def _check_threads(n, name):
    if isinstance(n, bool) or not isinstance(n, int):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer, got {n}")


def _threadpoolctl():
    """The threadpoolctl module, or None where it is not installed (it is optional)."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def set_num_threads(n):
    """Limit NumPy's BLAS threads to ``n`` (through threadpoolctl when it is installed).

    Without threadpoolctl the value is only remembered; BLAS keeps its own setting.
    """
    _check_threads(n, "set_num_threads")
    tpc = _threadpoolctl()
    if tpc is not None:
        tpc.threadpool_limits(limits=n, user_api="blas")
    _state["threads"] = n


def get_num_threads():
    """The BLAS thread count NumPy uses (threadpoolctl), else the value set, else the CPU count."""
    tpc = _threadpoolctl()
    if tpc is not None:
        blas = [pool["num_threads"] for pool in tpc.threadpool_info() if pool["user_api"] == "blas"]
        if blas:
            return max(blas)
    return _state["threads"] or os.cpu_count() or 1


def set_num_interop_threads(n):
    """Remember the inter-op thread count: ember runs ops one at a time, so nothing uses it."""
    _check_threads(n, "set_num_interop_threads")
    _state["interop_threads"] = n


def get_num_interop_threads():
    return _state["interop_threads"] or os.cpu_count() or 1


def set_default_tensor_type(t):
    """Set the default float dtype from a legacy tensor type ('torch.DoubleTensor' or the class).

    ``'torch.cuda.FloatTensor'`` also makes CUDA the default device, which needs CuPy and a GPU.
    """
    if isinstance(t, str):
        name, on_cuda = t.rsplit(".", 1)[-1], ".cuda." in t
        if t.split(".", 1)[0] not in ("torch", "ember") or name not in _dtype.BY_TENSOR_TYPE:
            raise TypeError(f"set_default_tensor_type(): invalid type string '{t}' "
                            f"(expected e.g. 'torch.FloatTensor' or 'torch.cuda.DoubleTensor')")
        dt = _dtype.BY_TENSOR_TYPE[name]
    elif isinstance(t, type) and hasattr(t, "_ember_dtype"):
        dt, on_cuda = t._ember_dtype, bool(getattr(t, "is_cuda", False))
    else:
        raise TypeError(f"set_default_tensor_type(): expected a type string or a tensor type, "
                        f"got {type(t).__name__}")
    if not dt.is_floating_point or dt is _dtype.bfloat16:
        raise TypeError(f"only floating-point types are supported as the default type, got {t}")
    if on_cuda:
        if not cuda_available():
            raise TypeError(f"type {t} not available: no CUDA device is available to ember "
                            f"(CuPy not installed / no GPU)")
        set_default_device("cuda")
    _dtype.set_default_dtype(dt)


def set_default_device(device):
    """Make ``device`` the default of factories given no ``device=``; ``None`` means cpu.

    A CUDA device needs CuPy and a GPU; ``"meta"`` makes tensors without data.
    ``with ember.device("meta"):`` does the same for one block.
    """
    dev = as_device("cpu" if device is None else device)
    array_module_for(dev)  # raises ember's clear error when the device has no backend
    set_default(dev)


def get_default_device():
    return default_device()


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Record the flag: ember's NumPy ops are deterministic whichever way it is set."""
    if not isinstance(mode, bool):
        raise TypeError(f"use_deterministic_algorithms(): argument 'mode' must be bool, "
                        f"not {type(mode).__name__}")
    _state["deterministic"], _state["warn_only"] = mode, bool(warn_only)


def are_deterministic_algorithms_enabled():
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled():
    return _state["warn_only"]


_DEBUG_MODES = ("default", "warn", "error")


def set_deterministic_debug_mode(debug_mode):
    """``use_deterministic_algorithms`` by level: 0 / "default" off, 1 / "warn" on with
    warnings only, 2 / "error" on.  Example: ``ember.set_deterministic_debug_mode("warn")``."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(f"invalid value of debug_mode, expected one of `default`, `warn`, "
                               f"`error`, but got {debug_mode}")
        debug_mode = _DEBUG_MODES.index(debug_mode)
    elif not isinstance(debug_mode, int) or isinstance(debug_mode, bool):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got "
                           f"{debug_mode}")
    use_deterministic_algorithms(debug_mode > 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode():
    """The level ``set_deterministic_debug_mode`` takes: 0 off, 1 warn only, 2 error."""
    if not _state["deterministic"]:
        return 0
    return 1 if _state["warn_only"] else 2


def set_flush_denormal(mode):
    """Ask for denormal floats to be flushed to zero; returns whether that took effect.
    NumPy gives no control over the CPU's flush-to-zero mode, so it is False: denormals stay."""
    if not isinstance(mode, bool):
        raise TypeError(f"set_flush_denormal(): argument 'mode' must be bool, not "
                        f"{type(mode).__name__}")
    return False


def init_num_threads():
    """Carry ``set_num_threads`` over to a new thread: ember's limit (threadpoolctl's) already
    holds for the whole process, so there is nothing to do."""


_PRECISIONS = ("highest", "high", "medium")


def set_float32_matmul_precision(precision):
    """Record torch's TF32 hint; ember's float32 matmul is always full precision.

    As in torch, a value other than 'highest', 'high' or 'medium' warns and changes nothing.
    """
    if not isinstance(precision, str):
        raise RuntimeError(f"set_float32_matmul_precision expects a str, "
                           f"but got {type(precision).__name__}")
    if precision not in _PRECISIONS:
        warnings.warn(f"{precision!r} is not one of 'highest', 'high', or 'medium'; "
                      f"set_float32_matmul_precision has no effect")
        return
    _state["matmul_precision"] = precision


def get_float32_matmul_precision():
    return _state["matmul_precision"]


def is_nonzero(input):
    """True if the single-element tensor ``input`` is not zero (errors as ``bool(tensor)``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"is_nonzero(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(input).__name__}")
    n = input.numel()
    if n != 1:
        what = "no values" if n == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous "
                           f"(shape {tuple(input.shape)})")
    return bool(input._data.reshape(()) != 0)


def typename(obj):
    """A readable type name: 'ember.FloatTensor' for tensors, else module and qualified name."""
    if isinstance(obj, Tensor):
        return obj.type()
    named = obj if hasattr(obj, "__qualname__") else type(obj)
    module = getattr(named, "__module__", None) or ""
    return named.__qualname__ if module in ("", "builtins") else f"{module}.{named.__qualname__}"
