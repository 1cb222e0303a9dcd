"""Pooling and resampling ops on the trailing spatial dims (any number of leading dims).

* ``MaxPool``: sliding-window max; one strict-greater comparison per kernel
  offset keeps the first maximum of each window (torch's tie rule; a NaN wins,
  the last one when several).  Backward routes each gradient to that element.
* ``AdaptiveMaxPool``: the same over torch's variable adaptive windows, one
  axis at a time (innermost first, which keeps row-major first-match ties).
* ``MaxUnpool``: scatter values back to the positions their indices name.
* ``Resample``: a separable linear map, one small matrix per spatial axis,
  applied with BLAS.  Average pooling (plain and adaptive) and linear/cubic
  interpolation are all such maps, and so is nearest interpolation (which
  gathers directly in forward).
"""
import math

import numpy as np

from ..base import Op, all_finite, get_xp


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _spatial_strides(spatial):
    """C-order element strides of the spatial block (flat-index weights)."""
    out, acc = [], 1
    for n in reversed(spatial):
        out.append(acc)
        acc *= n
    return out[::-1]


class MaxPool(Op):
    """Max over sliding windows (``Windows`` geometry; padding counts as -inf).

    Outputs (values, flat indices into each input plane) when ``return_indices``.
    """

    nondiff_outputs = (1,)

    def __init__(self, win, return_indices=False):
        self.win, self.return_indices = win, return_indices

    def name(self):
        n = len(self.win.kernel)
        # torch pools one dim as two, then squeezes
        return "SqueezeBackward1" if n == 1 else f"MaxPool{n}DWithIndicesBackward0"

    def _candidates(self, x):
        """The padded input and, per kernel offset, the strided view of one element per window."""
        xp = get_xp(x)
        win = self.win
        nd = len(win.kernel)
        spatial = x.shape[x.ndim - nd:]
        self.out = win.out_shape(spatial)
        if win.padded:
            xpad = xp.full(x.shape[:x.ndim - nd] + win.padded_shape(spatial), _lowest(x.dtype),
                           dtype=x.dtype)
            xpad[(Ellipsis,) + win.interior(spatial)] = x
            x = xpad
        return x, [x[(Ellipsis,) + win.region(off, self.out)] for off in win.offsets()]

    def forward(self, x):
        xp = get_xp(x)
        self.x_shape, nd = x.shape, len(self.win.kernel)
        xpad, cands = self._candidates(x)
        self.pad_shape = xpad.shape
        best, kidx = _first_max(xp, cands, nan_aware=False)
        if x.dtype.kind == "f" and xp.isnan(best).any():
            best, kidx = _first_max(xp, cands, nan_aware=True)
        spatial = x.shape[x.ndim - nd:]
        if self.win.padded:
            # a window whose real elements all equal the padding value picks its first real one
            tie = best == _lowest(x.dtype)
            if tie.any():
                first = xp.asarray(_first_real(self.win, self.out), dtype=kidx.dtype)
                kidx = xp.where(tie, first, kidx)
        self.kidx = kidx
        if not self.return_indices:
            return best
        table = _position_table(self.win, spatial, self.out)
        return best, _gather_positions(xp, xp.asarray(table), kidx)

    def backward(self, g, *_):
        xp = get_xp(g)
        win, out = self.win, self.out
        gpad = xp.zeros(self.pad_shape, dtype=g.dtype)
        overlap = any(s < d * (k - 1) + 1 for k, s, d in zip(win.kernel, win.stride, win.dilation))
        # a multiply is ~10x faster than where() here, but turns an inf gradient into NaN at
        # the offsets that did not win; those take where()
        exact = not all_finite(g)
        for k, off in enumerate(win.offsets()):
            region = (Ellipsis,) + win.region(off, out)
            if exact:
                gpad[region] += xp.where(self.kidx == k, g, 0)
            elif overlap:
                gpad[region] += g * (self.kidx == k)
            else:
                xp.multiply(g, self.kidx == k, out=gpad[region])
        if not win.padded:
            return gpad
        nd = len(win.kernel)
        return gpad[(Ellipsis,) + win.interior(self.x_shape[len(self.x_shape) - nd:])]


def _first_max(xp, cands, nan_aware):
    """Elementwise max over the candidates and the index of the first maximum (or last NaN)."""
    best = cands[0].copy()
    kidx = xp.zeros(best.shape, dtype=np.uint8 if len(cands) < 256 else np.int32)
    mask = xp.empty(best.shape, dtype=bool)
    for k in range(1, len(cands)):
        v = cands[k]
        xp.greater(v, best, out=mask)
        if nan_aware:
            mask |= xp.isnan(v)
            best = xp.where(mask, v, best)
        else:
            xp.maximum(best, v, out=best)
        # indices only grow with k, so a max with the masked k is where() at a tenth the cost
        xp.maximum(kidx, mask * kidx.dtype.type(k), out=kidx)
    return best, kidx


def _first_real(win, out):
    """(*out) index of the first kernel offset of each window that lies inside the input."""
    firsts = [np.maximum(0, -((np.arange(o) * s - lo) // d)) for o, s, lo, d in
              zip(out, win.stride, win.pad_lo, win.dilation)]
    return np.ravel_multi_index(np.ix_(*firsts), win.kernel)


def _position_table(win, spatial, out):
    """(K, *out) flat input position of each window's element at each kernel offset (host)."""
    strides = _spatial_strides(spatial)
    nd = len(spatial)
    base = np.zeros(out, dtype=np.int64)
    for d in range(nd):
        start = np.arange(out[d]) * win.stride[d] - win.pad_lo[d]
        base += (start * strides[d]).reshape((-1,) + (1,) * (nd - d - 1))
    offs = [sum(k * win.dilation[d] * strides[d] for d, k in enumerate(off))
            for off in win.offsets()]
    return base[None] + np.asarray(offs, dtype=np.int64).reshape((-1,) + (1,) * nd)


def _gather_positions(xp, table, kidx):
    """Per output element, ``table[kidx, position]``: the flat input index of its maximum."""
    k = table.shape[0]
    p = table[0].size
    flat = table.reshape(k, p)[kidx.reshape(-1, p), xp.arange(p)]
    return flat.reshape(kidx.shape)


class AdaptiveMaxPool(Op):
    """Max over torch's adaptive windows [floor(o*I/O), ceil((o+1)*I/O)) per axis.

    Outputs (values, flat indices).  Reduces one axis at a time, innermost
    first, tracking each candidate's flat input position.
    """

    nondiff_outputs = (1,)

    def __init__(self, out_size):
        self.out_size = tuple(out_size)

    def name(self):
        n = len(self.out_size)
        return "SqueezeBackward1" if n == 1 else f"AdaptiveMaxPool{n}DBackward0"

    def forward(self, x):
        xp = get_xp(x)
        nd = len(self.out_size)
        lead = x.ndim - nd
        spatial = x.shape[lead:]
        self.x_shape = x.shape
        strides = _spatial_strides(spatial)
        cur, pos = x, None
        for d in reversed(range(nd)):
            axis = lead + d
            starts, ends = adaptive_bounds(spatial[d], self.out_size[d])
            shape = (-1,) + (1,) * (x.ndim - axis - 1)
            best = bpos = None
            for j in range(int((ends - starts).max(initial=0))):
                idx = np.minimum(starts + j, ends - 1)
                di = xp.asarray(idx)
                v = xp.take(cur, di, axis=axis)
                p = xp.asarray(idx * strides[d]).reshape(shape)
                if pos is not None:
                    p = p + xp.take(pos, di, axis=axis)
                if best is None:
                    best, bpos = v, xp.broadcast_to(p, v.shape)
                    continue
                mask = (v > best) | (v != v)
                best = xp.where(mask, v, best)
                bpos = xp.where(mask, p, bpos)
            cur, pos = best, bpos
        self.pos = xp.ascontiguousarray(pos)
        return cur, self.pos

    def backward(self, g, *_):
        xp = get_xp(g)
        nd = len(self.out_size)
        planes = math.prod(self.x_shape[:len(self.x_shape) - nd])
        size = math.prod(self.x_shape[len(self.x_shape) - nd:])
        rows = xp.arange(planes).reshape(-1, 1) * size
        gx = xp.zeros(planes * size, dtype=g.dtype)
        xp.add.at(gx, (self.pos.reshape(planes, -1) + rows).ravel(), g.ravel())
        return gx.reshape(self.x_shape)


def adaptive_bounds(n_in, n_out):
    """torch's adaptive windows along one axis: (starts, ends) as int64 arrays."""
    o = np.arange(n_out, dtype=np.int64)
    return (o * n_in) // n_out, -((-(o + 1) * n_in) // n_out)


class MaxUnpool(Op):
    """Place each value at the flat position its index names in a zero (*, *out_spatial) output."""

    def __init__(self, out_spatial):
        self.out_spatial = tuple(out_spatial)

    def name(self):
        n = len(self.out_spatial)
        return "SqueezeBackward1" if n == 1 else f"MaxUnpool{n}DBackward0"

    def forward(self, x, indices):
        xp = get_xp(x)
        nd = len(self.out_spatial)
        lead = x.shape[:x.ndim - nd]
        size = math.prod(self.out_spatial)
        planes = math.prod(lead)
        self.flat = (indices.reshape(planes, -1) + xp.arange(planes).reshape(-1, 1) * size).ravel()
        self.x_shape = x.shape
        out = xp.zeros(planes * size, dtype=x.dtype)
        out[self.flat] = x.ravel()
        return out.reshape(lead + self.out_spatial)

    def backward(self, g):
        return g.reshape(-1)[self.flat].reshape(self.x_shape), None


def _along_axis(x, a, axis):
    """Contract ``x``'s ``axis`` with the columns of ``a`` (O, I): that axis becomes length O."""
    xp = get_xp(x)
    shape = x.shape
    n = shape[axis]
    after = math.prod(shape[axis + 1:])
    if after == 1:
        y = x.reshape(-1, n) @ a.T
    else:
        y = xp.matmul(a, x.reshape(-1, n, after))
    return y.reshape(shape[:axis] + (a.shape[0],) + shape[axis + 1:])


@np.errstate(invalid="ignore")
def _sparse_along_axis(x, m, axis):
    """``_along_axis`` with the host matrix ``m`` reading only its nonzero entries, so that a
    NaN or inf in ``x`` reaches only the outputs whose windows hold it (in a matrix product
    0 * inf = NaN would reach them all)."""
    xp = get_xp(x)
    nz = m != 0
    k = max(int(nz.sum(1).max()), 1)
    cols = np.zeros((m.shape[0], k), np.intp)
    weights = np.zeros((m.shape[0], k))
    for o in range(m.shape[0]):
        idx = np.flatnonzero(nz[o])
        cols[o, :len(idx)], weights[o, :len(idx)] = idx, m[o, idx]
    taken = xp.take(x, xp.asarray(cols.reshape(-1)), axis=axis)
    taken = taken.reshape(x.shape[:axis] + cols.shape + x.shape[axis + 1:])
    w = xp.asarray(weights, dtype=x.dtype).reshape(cols.shape + (1,) * (x.ndim - axis - 1))
    return xp.where(w != 0, taken * w, 0).sum(axis=axis + 1)


def _apply_map(x, m, axis, exact):
    """Apply the host matrix ``m`` along ``axis``: BLAS, or ``exact`` for non-finite input."""
    if exact and m.shape[1]:
        return _sparse_along_axis(x, m, axis)
    return _along_axis(x, get_xp(x).asarray(m, dtype=x.dtype), axis)


class Resample(Op):
    """A separable linear map of the trailing spatial axes.

    ``maps`` has one entry per spatial axis: None (identity), a float64 host
    matrix (O, I), or an int index array (O,) for a pure gather (nearest).
    Integer inputs are computed in float64 and truncated, as torch's integer
    average pooling does.  ``name`` and ``overload`` give torch's grad_fn name.  A NaN or inf (in the input, or in the gradient on the
    way back) takes a slower exact path, so it reaches only the windows that hold it.
    """

    def __init__(self, maps, name="Resample", overload=0):
        self.maps, self._name, self.overload = list(maps), name, overload

    def name(self):
        return f"{self._name}Backward{self.overload}"

    def forward(self, x):
        xp = get_xp(x)
        lead = x.ndim - len(self.maps)
        self.in_sizes = x.shape[lead:]
        dtype = x.dtype
        if dtype.kind not in "fc" and any(m is not None and m.ndim == 2 for m in self.maps):
            x = x.astype(np.float64)
        exact = dtype.kind == "f" and not all_finite(x)
        for d, m in enumerate(self.maps):
            if m is None:
                continue
            if m.ndim == 1:
                x = xp.take(x, xp.asarray(m), axis=lead + d)
            else:
                x = _apply_map(x, m, lead + d, exact)
        if x.dtype != dtype:
            x = xp.trunc(x).astype(dtype)
        return x

    def backward(self, g):
        lead = g.ndim - len(self.maps)
        exact = not all_finite(g)
        for d, m in enumerate(self.maps):
            if m is None:
                continue
            if m.ndim == 1:
                m = one_hot_rows(m, self.in_sizes[d])
            g = _apply_map(g, m.T, lead + d, exact)
        return g


def one_hot_rows(index, n_in):
    """The (O, n_in) matrix of a gather: row o has a 1 at column ``index[o]``."""
    m = np.zeros((len(index), n_in))
    m[np.arange(len(index)), index] = 1.0
    return m
