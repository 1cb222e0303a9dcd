"""Sorting and selection on raw arrays, and the gather op that makes them differentiable.

torch sorts NaN above every number; a stable sort keeps equal elements in input
order, descending too.  ``argsort`` here always does both, so sort and median
pick the same elements torch does, ties included.  ``TakeAlong`` is the one
differentiable op behind sort, topk, max/min(dim), median, kthvalue, mode and
cummax/cummin: it gathers values at precomputed indices, and its backward
scatters the gradient back to those positions.
"""
import math

from ..base import Op, get_xp
from .stdsort import torch_mode_index


def positions(xp, n, axis, ndim):
    """``arange(n)`` shaped to broadcast along ``axis`` of an ``ndim``-dim array."""
    shape = [1] * ndim
    shape[axis] = n
    return xp.arange(n).reshape(shape)


def argsort(a, axis, descending=False):
    """Stable sort order along ``axis``, NaN last ascending and first descending."""
    xp = get_xp(a)
    if not descending:
        return xp.argsort(a, axis=axis, kind="stable")
    # Sorting the reversed array and reversing that order keeps ties in input order.
    order = xp.argsort(xp.flip(a, axis), axis=axis, kind="stable")
    return xp.flip(a.shape[axis] - 1 - order, axis)


def topk_indices(a, k, axis, largest):
    """Indices of the ``k`` largest (or smallest) along ``axis``, in sorted order.

    A partition finds them in linear time; only those ``k`` are then sorted.
    Which of several tied candidates makes the cut is unspecified, as in torch.
    """
    xp = get_xp(a)
    n = a.shape[axis]
    if not 0 < k < n:
        return argsort(a, axis, largest)[(slice(None),) * axis + (slice(0, k),)]
    part = xp.argpartition(a, n - k if largest else k - 1, axis=axis)
    chosen = part[(slice(None),) * axis + (slice(n - k, n) if largest else slice(0, k),)]
    order = argsort(xp.take_along_axis(a, chosen, axis), axis, largest)
    return xp.take_along_axis(chosen, order, axis)


def pick_sorted(a, axis, k):
    """Indices (keepdim) of the element of rank ``k`` along ``axis`` in stable order.

    ``k`` is an int or an integer array broadcastable against the kept-dim shape.
    """
    xp = get_xp(a)
    order = argsort(a, axis)
    shape = list(a.shape)
    shape[axis] = 1
    k = xp.broadcast_to(xp.asarray(k, dtype=order.dtype), tuple(shape))
    return xp.take_along_axis(order, k, axis)


def median_rank(a, axis, ignore_nan):
    """Rank of the lower median along ``axis`` (median: the first NaN if a slice has one)."""
    xp = get_xp(a)
    n = a.shape[axis]
    if a.dtype.kind not in "fc":
        return (n - 1) // 2
    valid = (~xp.isnan(a)).sum(axis=axis, keepdims=True)
    if ignore_nan:
        return xp.maximum(valid - 1, 0) // 2
    return xp.where(valid < n, valid, (n - 1) // 2)


def mode_indices(a, axis):
    """Index (keepdim) of the last occurrence of the most frequent value along ``axis``.

    Among equally frequent values the smallest wins, as in torch.  In stable
    sorted order each run of equal values ends at its last occurrence; the
    first run end reaching the largest count belongs to the smallest value.
    A slice holding a NaN gets what torch's kernel makes of it (``stdsort``).
    """
    xp = get_xp(a)
    order = argsort(a, axis)
    s = xp.moveaxis(xp.take_along_axis(a, order, axis), axis, -1)
    n = s.shape[-1]
    pos = xp.arange(n)
    starts = xp.ones(s.shape, dtype=bool)
    starts[..., 1:] = s[..., 1:] != s[..., :-1]
    run_start = xp.maximum.accumulate(xp.where(starts, pos, 0), axis=-1)
    best = xp.take_along_axis(xp.moveaxis(order, axis, -1),
                              xp.argmax(pos - run_start, axis=-1)[..., None], -1)
    if a.dtype.kind == "f":
        rows = xp.moveaxis(a, axis, -1)
        for at in map(tuple, xp.argwhere(xp.isnan(rows).any(axis=-1)).tolist()):
            best[at] = torch_mode_index(rows[at].tolist())
    return xp.moveaxis(best, -1, axis)


def cum_extreme(a, axis, largest):
    """Running max (or min) along ``axis`` and, per position, the latest index holding it.

    A position holds the running extreme when its value equals it (NaN, once
    met, is the extreme and every later NaN takes over its index, as in torch).
    """
    xp = get_xp(a)
    values = (xp.maximum if largest else xp.minimum).accumulate(a, axis=axis)
    hit = a == values
    if a.dtype.kind in "fc":
        hit |= xp.isnan(a)
    pos = positions(xp, a.shape[axis], axis, a.ndim)
    return values, xp.maximum.accumulate(xp.where(hit, pos, 0), axis=axis)


#: ops whose input torch keeps for backward (so changing it in place first raises), though
#: the gradient here needs only the indices
_KEEPS_INPUT = frozenset({"Cummax", "Cummin"})


class TakeAlong(Op):
    """Values of ``a`` at ``indices`` along ``axis``; the gradient returns to those places.

    ``indices`` has the input's number of dims (a 0-d input counts as shape
    (1,)), or is 1-D with ``axis`` None: positions in the flattened input.
    ``shape`` is the output's (the reduced dim dropped when keepdim is off).
    ``repeats`` says a position may be taken twice (cummax, quantile), so the
    backward must add rather than assign.  ``label`` and ``overload`` name the node as
    torch does (``SortBackward0``, ``MedianBackward1``).
    """

    overload = 0

    def __init__(self, indices, axis, shape=None, repeats=False, label="Gather"):
        self.indices, self.axis, self.shape, self.repeats = indices, axis, shape, repeats
        self.label = label
        if label in _KEEPS_INPUT:
            self.save_inputs = (0,)

    def name(self):
        return f"{self.label}Backward{self.overload}"

    def forward(self, a):
        self.in_shape = a.shape
        flat = self.axis is None or a.ndim == 0
        out = get_xp(a).take_along_axis(a.reshape(-1) if flat else a, self.indices,
                                        0 if flat else self.axis)
        return out if self.shape is None else out.reshape(self.shape)

    def backward(self, g):
        xp = get_xp(g)
        idx = self.indices
        flat = self.axis is None or not self.in_shape
        axis = 0 if flat else self.axis
        full_shape = (math.prod(self.in_shape),) if flat else self.in_shape
        g = g.reshape(idx.shape)
        if self.repeats:
            full = _scatter_add(xp, g, idx, axis, full_shape)
        else:
            full = xp.zeros(full_shape, g.dtype)
            xp.put_along_axis(full, idx, g, axis)
        return full.reshape(self.in_shape)


def _scatter_add(xp, g, idx, axis, shape):
    """Sum ``g`` into zeros of ``shape`` at ``idx`` along ``axis`` (repeated indices add up)."""
    n = shape[axis]
    g, idx = xp.moveaxis(g, axis, -1), xp.moveaxis(idx, axis, -1)
    lead = idx.shape[:-1]
    rows = math.prod(lead)
    flat = (idx.reshape(rows, idx.shape[-1]) + (xp.arange(rows) * n)[:, None]).reshape(-1)
    out = xp.bincount(flat, weights=g.reshape(-1), minlength=rows * n).astype(g.dtype)
    return xp.moveaxis(out.reshape(lead + (n,)), -1, axis)


class Unique(Op):
    """torch.unique (``consecutive``: unique_consecutive) as one op with three outputs: the
    values, the int64 inverse indices (shaped like the input, or along ``axis``) and counts.

    As in torch the values are part of the graph (their ``grad_fn`` has torch's
    name) but have no derivative: backward raises torch's NotImplementedError.
    """

    nondiff_outputs = (1, 2)

    def __init__(self, axis, consecutive=False):
        self.axis, self.consecutive = axis, consecutive

    def _kernel(self):
        """torch's kernel name, the root of its grad_fn's name."""
        if self.consecutive:
            return "unique_consecutive"
        return "_unique2" if self.axis is None else "unique_dim"

    def name(self):
        return {"unique_consecutive": "UniqueConsecutive", "_unique2": "Unique2",
                "unique_dim": "UniqueDim"}[self._kernel()] + "Backward0"

    def forward(self, a):
        find = unique_consecutive if self.consecutive else unique
        values, inverse, counts = find(a.reshape(-1) if a.ndim == 0 else a, self.axis)
        if self.axis is None:
            inverse = inverse.reshape(a.shape)
        return values, inverse.astype("int64"), counts.astype("int64")

    def backward(self, *grads):
        raise NotImplementedError(f"the derivative for '{self._kernel()}' is not implemented.")


def unique(a, axis):
    """Sorted unique values (NaNs kept apart, as torch does), inverse indices and counts."""
    values, inverse, counts = get_xp(a).unique(a, return_inverse=True, return_counts=True,
                                               axis=axis, equal_nan=False)
    return values, inverse.reshape(a.shape if axis is None else (-1,)), counts


def unique_consecutive(a, axis):
    """Values with consecutive repeats collapsed, the inverse indices and the run lengths."""
    xp = get_xp(a)
    rows = a.reshape(-1, 1) if axis is None else xp.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    n = rows.shape[0]
    starts = xp.ones(n, dtype=bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    first = xp.nonzero(starts)[0]
    values = a.reshape(-1)[first] if axis is None else xp.take(a, first, axis=axis)
    inverse = xp.cumsum(starts) - 1
    counts = xp.diff(xp.append(first, n))
    return values, inverse.reshape(a.shape if axis is None else (-1,)), counts


def searchsorted(seq, values, right):
    """Insertion points of ``values`` into the last dim of ``seq`` (rows matched by batch dims).

    A binary search run on all values at once, probing as torch does: a value moves right
    past ``seq[mid]`` unless ``seq[mid] >= value`` (``>`` for 'right').  A NaN on either side
    fails that test, so NaN values land at the end and NaN boundaries are passed over, as in
    torch (a sort-based search would order NaN differently).
    """
    xp = get_xp(seq)
    n = seq.shape[-1]
    lo = xp.zeros(values.shape, dtype=xp.int64)
    hi = xp.full(values.shape, n, dtype=xp.int64)
    active = lo < hi
    while active.any():
        mid = (lo + hi) // 2
        probe = xp.minimum(mid, max(n - 1, 0))
        at = seq[probe] if seq.ndim == 1 else xp.take_along_axis(seq, probe, axis=-1)
        go_right = ~(at > values) if right else ~(at >= values)
        lo = xp.where(active & go_right, mid + 1, lo)
        hi = xp.where(active & ~go_right, mid, hi)
        active = lo < hi
    return lo
