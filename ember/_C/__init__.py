"""``torch._C``: the private hooks that libraries call, each doing ember's honest equivalent.

torch's ``_C`` is its compiled core; ember has none.  Libraries still reach in
for a few names, so these exist: usage logging (a no-op), the tensor
metaclass, grad-mode switches (the real ones), the tracing state (never
tracing) and ``_nn._parse_to`` (``Tensor.to``'s argument parsing).  Any other
name raises an AttributeError that says ember does not provide it.

Example::

    >>> from ember._C import _nn
    >>> _nn._parse_to("cpu", ember.float16)
    (device(type='cpu'), ember.float16, False, None)
"""
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled, set_grad_enabled  # noqa: F401
from . import _nn  # noqa: F401

__all__ = ["_log_api_usage_once", "_log_api_usage_metadata", "_TensorMeta", "TensorBase",
           "_TensorBase", "_get_tracing_state", "_set_grad_enabled", "is_grad_enabled",
           "_is_torch_function_enabled", "_has_torch_function", "_get_privateuse1_backend_name",
           "_nn"]

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


def __getattr__(name):
    raise AttributeError(f"torch._C.{name} is part of PyTorch's compiled core, which ember does "
                         f"not provide (module 'ember._C' has no attribute '{name}')")
