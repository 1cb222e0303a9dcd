"""``torch._C``: the private hooks that libraries call, each doing ember's honest equivalent.

torch's ``_C`` is its compiled core; ember has none.  Libraries still reach in
for a few names, so these exist: usage logging (a no-op), the tensor
metaclass, grad-mode switches (the real ones), the tracing state (never
tracing), the CUDA device count, the ``__torch_function__`` switches (ember
has no such dispatch, so they change nothing), the jit's ``ScriptModule``
classes and ``_nn._parse_to`` (``Tensor.to``'s argument parsing).  Any other
name raises an AttributeError that says ember does not provide it.

Example::

    >>> from ember._C import _nn
    >>> _nn._parse_to("cpu", ember.float16)
    (device(type='cpu'), ember.float16, False, None)
"""
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled, set_grad_enabled  # noqa: F401
from . import _nn  # noqa: F401
from .. import cuda
from .. import jit

__all__ = ["_log_api_usage_once", "_log_api_usage_metadata", "_TensorMeta", "TensorBase",
           "_TensorBase", "_get_tracing_state", "_set_grad_enabled", "is_grad_enabled",
           "_is_torch_function_enabled", "_has_torch_function", "_get_privateuse1_backend_name",
           "_cuda_getDeviceCount", "DisableTorchFunction", "DisableTorchFunctionSubclass",
           "ScriptModule", "ScriptFunction", "_nn"]

#: The metaclass of ``Tensor`` (ember's Tensor is a plain class, so this is ``type``).
_TensorMeta = type(Tensor)
TensorBase = _TensorBase = Tensor


def _log_api_usage_once(event):
    """torch logs API use for its telemetry; ember records nothing."""


def _log_api_usage_metadata(event, metadata):
    """torch logs API use for its telemetry; ember records nothing."""


def _get_tracing_state():
    """None: ember never traces (``jit.trace`` returns its function unchanged)."""
    return None


def _set_grad_enabled(mode):
    """Turn gradient recording on or off for this thread (``ember.set_grad_enabled``)."""
    set_grad_enabled(bool(mode))


def _is_torch_function_enabled():
    """False: ember has no ``__torch_function__`` dispatch."""
    return False


def _has_torch_function(args):
    """False: no argument can override ember's functions through ``__torch_function__``."""
    return False


def _get_privateuse1_backend_name():
    """The name of torch's out-of-tree backend slot; ember registers none, so torch's default."""
    return "privateuseone"


def _cuda_getDeviceCount():  # noqa: N802  (torch's name)
    """The number of CUDA devices ember can use (through CuPy); 0 without one."""
    return cuda.device_count() if cuda.is_available() else 0


class DisableTorchFunction:
    """Context manager that turns ``__torch_function__`` dispatch off: ember never dispatches
    through it, so entering changes nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class DisableTorchFunctionSubclass(DisableTorchFunction):
    """As ``DisableTorchFunction``, for Tensor subclasses only (nothing to disable in ember)."""


def __getattr__(name):
    if name in ("ScriptModule", "ScriptFunction"):  # the jit's classes, for isinstance checks
        return getattr(jit, name)
    raise AttributeError(f"torch._C.{name} is part of PyTorch's compiled core, which ember does "
                         f"not provide (module 'ember._C' has no attribute '{name}')")
