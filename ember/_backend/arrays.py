"""Array operations whose NumPy and CuPy spellings differ, in one place.

NumPy is more lenient than CuPy in a few spots ember relies on: NumPy arrays
carry a ``writeable`` flag and an ``__array_interface__``, ``as_strided``
takes ``writeable=``, and every ufunc has ``.at``.  CuPy has none of these,
so ops call these helpers instead of the NumPy-only spelling; each takes the
fast NumPy path first.
"""

import numpy

__all__ = ["is_writeable", "as_strided", "ufunc_at"]

_ndarray = numpy.ndarray
_AT_UFUNCS = frozenset({"add", "maximum", "minimum"})  # what CuPy's ufunc.at covers


def _aliased(arr):
    """True when two elements of ``arr`` share one memory location (a zero stride)."""
    return any(s == 0 and n > 1 for n, s in zip(arr.shape, arr.strides))


def is_writeable(arr):
    """Whether writing into ``arr`` is safe: NumPy's flag, else no aliased elements.

    ``is_writeable(ember.ones(3).expand(2, 3)._data)`` is False.
    """
    if type(arr) is _ndarray:
        return arr.flags.writeable
    return not _aliased(arr)


def as_strided(xp, a, shape, byte_strides, writeable=True):
    """``xp.lib.stride_tricks.as_strided`` of ``a``; ``writeable=False`` is passed on NumPy only
    (elsewhere ``is_writeable`` recognises the aliased views that need it)."""
    fn = xp.lib.stride_tricks.as_strided
    if writeable or xp is not numpy:
        return fn(a, shape, byte_strides)
    return fn(a, shape, byte_strides, writeable=False)


def ufunc_at(xp, name, arr, index, values):
    """``xp.<name>.at(arr, index, values)``: unbuffered, every repeated index counts.

    Where the backend lacks ``.at`` for ``name`` (CuPy has it for add, maximum
    and minimum only), repeats are applied in rounds: round r combines the r-th
    hit of every target, and within one round no target repeats.
    """
    if xp is numpy or name in _AT_UFUNCS:
        getattr(xp, name).at(arr, index, values)
        return
    fn = getattr(xp, name)
    target = xp.arange(arr.size).reshape(arr.shape)[index]
    values = xp.broadcast_to(xp.asarray(values, dtype=arr.dtype), target.shape).reshape(-1)
    flat = target.reshape(-1)
    order = xp.argsort(flat, kind="stable")
    ranked = flat[order]
    rank = xp.arange(ranked.size) - xp.searchsorted(ranked, ranked, side="left")
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        pick = order[rank == r]
        where = xp.unravel_index(flat[pick], arr.shape)
        arr[where] = fn(arr[where], values[pick])
