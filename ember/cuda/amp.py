"""``torch.cuda.amp``: the older spelling of ``ember.amp`` for CUDA.

``autocast(...)`` is ``ember.amp.autocast("cuda", ...)`` and ``GradScaler(...)``
is ``ember.amp.GradScaler("cuda", ...)``; both warn, as torch does, that the
``torch.amp`` spelling is preferred.  ``custom_fwd``/``custom_bwd`` decorate
``autograd.Function`` methods; ember's autocast casts nothing, so they return
the method unchanged.

Example::

    >>> scaler = ember.cuda.amp.GradScaler()  # disabled, with a warning, without a GPU
"""
import functools
import warnings

from .. import amp as _amp

__all__ = ["GradScaler", "autocast", "custom_bwd", "custom_fwd"]


class autocast(_amp.autocast):
    """``ember.amp.autocast("cuda", ...)`` (deprecated spelling)."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """``ember.amp.GradScaler("cuda", ...)`` (deprecated spelling)."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval,
                         enabled)


def custom_fwd(fwd=None, *, cast_inputs=None):
    """Decorator for a custom Function's ``forward``; returns it unchanged (nothing is cast)."""
    if fwd is None:
        return functools.partial(custom_fwd, cast_inputs=cast_inputs)
    return fwd


def custom_bwd(bwd=None):
    """Decorator for a custom Function's ``backward``; returns it unchanged."""
    if bwd is None:
        return custom_bwd
    return bwd
