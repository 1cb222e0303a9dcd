"""``torch._C._nn``: the argument parser behind ``Tensor.to`` / ``Module.to``.

Example::

    >>> from ember._C._nn import _parse_to
    >>> _parse_to(ember.float64)
    (None, ember.float64, False, None)
"""
from .._ops.conversion import _parse_to as _split_to
from .._device import as_device

__all__ = ["_parse_to"]


def _parse_to(*args, **kwargs):
    """``(device, dtype, non_blocking, memory_format)`` from ``to``'s arguments.

    Accepts torch's overloads: ``(device=None, dtype=None, non_blocking=False,
    copy=False, *, memory_format=None)``, ``(dtype, non_blocking=False, ...)``
    and ``(tensor, non_blocking=False, ...)``; the device comes back as an
    ``ember.device`` (or None), the dtype as an ``ember.dtype`` (or None).
    """
    non_blocking = kwargs.pop("non_blocking", False)
    memory_format = kwargs.pop("memory_format", None)
    flags = [a for a in args if isinstance(a, bool)]
    if flags:
        non_blocking = flags[0]
    dtype, device, _ = _split_to([a for a in args if not isinstance(a, bool)], kwargs)
    return (None if device is None else as_device(device)), dtype, bool(non_blocking), memory_format
