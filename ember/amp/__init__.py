"""ember.amp: ``autocast`` and ``GradScaler``, so mixed-precision training scripts run.

ember runs every op at the dtype of its inputs: inside ``autocast`` nothing is
cast to a lower precision (on the CPU or on CUDA), so results equal those of
the same code without ``autocast``.  ``GradScaler`` does the real loss scaling
torch does (it is exact, a power-of-two factor), so it also works around
float16 models that a user builds by hand.
"""
import functools
import math
import threading
import warnings

from .. import _dtype
from .._backend import cuda_available
from .._device import as_device
from ..autograd.grad_mode import no_grad

__all__ = ["GradScaler", "autocast", "is_autocast_available"]

_DEFAULT_DTYPE = {"cpu": _dtype.bfloat16, "cuda": _dtype.float16}
_local = threading.local()


def _autocast_state():
    """Per-thread ``{device_type: (enabled, dtype)}``."""
    if not hasattr(_local, "state"):
        _local.state = {}
    return _local.state


def is_autocast_available(device_type):
    return device_type in _DEFAULT_DTYPE


def is_autocast_enabled(device_type="cuda"):
    """Whether an ``autocast`` region for ``device_type`` is active in this thread."""
    return _autocast_state().get(device_type, (False, None))[0]


def get_autocast_dtype(device_type):
    """The dtype autocast names for ``device_type`` (informational: ember does not cast)."""
    default = _DEFAULT_DTYPE.get(device_type, _dtype.float16)
    return _autocast_state().get(device_type, (False, default))[1]


class autocast:
    """Context manager and decorator with torch's signature; ops keep their normal dtype.

    ember has no reduced-precision kernels, so the region only records that it
    is active (``is_autocast_enabled``); computations are exactly those outside it.
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        device_type = as_device(device_type).type  # torch's error for an unknown type
        if not is_autocast_available(device_type):
            raise RuntimeError(f"autocast: device type '{device_type}' is not supported "
                               f"(use 'cpu' or 'cuda')")
        self.device = device_type
        self.fast_dtype = _dtype.as_dtype(dtype) if dtype is not None else _DEFAULT_DTYPE[device_type]
        self._enabled = bool(enabled)
        self._saved = []

    def __enter__(self):
        state = _autocast_state()
        self._saved.append(state.get(self.device))
        state[self.device] = (self._enabled, self.fast_dtype)
        return self

    def __exit__(self, *exc):
        previous = self._saved.pop()
        state = _autocast_state()
        if previous is None:
            state.pop(self.device, None)
        else:
            state[self.device] = previous
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapper


def _map_tensors(fn, value):
    """Apply ``fn`` to every tensor in a (possibly nested) list/tuple/dict of outputs."""
    if isinstance(value, (list, tuple)):
        return type(value)(_map_tensors(fn, v) for v in value)
    if isinstance(value, dict):
        return {k: _map_tensors(fn, v) for k, v in value.items()}
    return fn(value)


class GradScaler:
    """Dynamic loss scaling with torch's API (``scale``, ``unscale_``, ``step``, ``update``).

    As in torch, a scaler for ``'cuda'`` on a machine without CUDA warns and
    disables itself: ``scale(loss)`` then returns ``loss`` and ``step`` just
    calls ``optimizer.step()``.  Enabled, the loss is multiplied by the scale,
    gradients are divided by it before the step, and a step whose gradients hold
    inf/NaN is skipped and the scale backed off.
    """

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        self._device = device
        if enabled and as_device(device).type == "cuda":
            if not cuda_available():
                warnings.warn("GradScaler is enabled, but CUDA is not available. Disabling.")
                enabled = False
        if growth_factor <= 1.0:
            raise ValueError("The growth factor must be > 1.0.")
        if backoff_factor >= 1.0:
            raise ValueError("The backoff factor must be < 1.0.")
        self._enabled = enabled
        self._scale = float(init_scale)
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._growth_tracker = 0
        self._found_inf = {}  # id(optimizer) -> bool, for optimizers unscaled since update()

    def is_enabled(self):
        return self._enabled

    def get_scale(self):
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self):
        return self._growth_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def get_growth_interval(self):
        return self._growth_interval

    def scale(self, outputs):
        """``outputs`` times the current scale (unchanged when disabled)."""
        if not self._enabled:
            return outputs
        return _map_tensors(lambda t: t * self._scale, outputs)

    def unscale_(self, optimizer):
        """Divide ``optimizer``'s gradients by the scale in place, noting any inf/NaN."""
        if not self._enabled:
            return
        if id(optimizer) in self._found_inf:
            raise RuntimeError("unscale_() has already been called on this optimizer "
                               "since the last update().")
        inv_scale, found_inf = 1.0 / self._scale, False
        with no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.grad.mul_(inv_scale)
                        found_inf = found_inf or not p.grad.isfinite().all().item()
        self._found_inf[id(optimizer)] = found_inf

    def step(self, optimizer, *args, **kwargs):
        """Unscale if needed, then ``optimizer.step()`` unless a gradient is inf/NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if id(optimizer) not in self._found_inf:
            self.unscale_(optimizer)
        if self._found_inf[id(optimizer)]:
            return None
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        """Back the scale off after an inf/NaN step, grow it after ``growth_interval`` clean ones."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale.item() if hasattr(new_scale, "item") else new_scale)
        elif any(self._found_inf.values()):
            self._scale *= self._backoff_factor
            self._growth_tracker = 0
        elif self._found_inf:
            self._growth_tracker += 1
            if self._growth_tracker == self._growth_interval:
                new = self._scale * self._growth_factor
                self._scale = new if math.isfinite(new) else self._scale
                self._growth_tracker = 0
        self._found_inf = {}

    def state_dict(self):
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])
