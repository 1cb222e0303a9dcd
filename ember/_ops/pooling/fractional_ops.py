"""Fractional max pooling (Graham, 2014): max over pseudo-random overlapping windows.

Each plane (one (n, c) pair) gets its own window starts per spatial axis from one
sample ``u`` in [0, 1): with ``alpha = (in - k) / (out - 1)``, start ``i`` is
``int((i + u) * alpha) - int(u * alpha)`` and the last start is ``in - k``, computed
in the input's dtype as torch does, so given the same samples the windows (and
values) equal torch's.  Within a window the first maximum wins and a NaN beats
everything (the last NaN).  Indices are flat per input plane.
"""
import math

import numpy as np

from ..base import Op, get_xp


def fractional_starts(xp, samples, in_size, out_size, k):
    """Window starts (planes, out_size) along one axis from one sample per plane (arrays of
    array module ``xp``)."""
    u = samples
    starts = xp.empty((u.shape[0], out_size), dtype=np.int64)
    if out_size > 1:
        dt = u.dtype.type
        alpha = dt(in_size - k) / dt(out_size - 1)
        i = xp.arange(out_size - 1, dtype=u.dtype)
        starts[:, :-1] = ((i[None, :] + u[:, None]) * alpha).astype(np.int64) - \
            (u * alpha).astype(np.int64)[:, None]
    if out_size > 0:
        starts[:, -1] = in_size - k
    return starts


class FractionalMaxPool(Op):
    """Values and flat indices of fractional max pooling over the last ``len(kernel)`` dims.

    ``forward(x, samples)``: ``x`` is (N, C, *spatial), ``samples`` (N, C, nd) with
    torch's axis order (2-D: width then height; 3-D: depth, height, width).
    """

    nondiff_outputs = (1,)

    def __init__(self, kernel, out_size):
        self.kernel, self.out_size = tuple(kernel), tuple(out_size)

    def name(self):
        return f"FractionalMaxPool{len(self.kernel)}DBackward0"

    def forward(self, x, samples):
        xp = get_xp(x)
        nd = len(self.kernel)
        n, c, *spatial = x.shape
        planes = n * c
        u = samples.astype(x.dtype).reshape(planes, nd)
        order = (1, 0) if nd == 2 else (0, 1, 2)     # which sample column drives each axis
        strides = [math.prod(spatial[d + 1:]) for d in range(nd)]
        # flat input position of (window start + offset) per axis: (planes, out_d, k_d)
        axes = [fractional_starts(xp, u[:, order[d]], spatial[d], self.out_size[d],
                                  self.kernel[d])[:, :, None]
                + xp.arange(self.kernel[d])[None, None, :] for d in range(nd)]
        flat = x.reshape(planes, -1)
        rows = xp.arange(planes).reshape((planes,) + (1,) * nd)
        best = pos = None
        for offsets in np.ndindex(*self.kernel):
            p = sum(axes[d][(slice(None),) + (None,) * d + (slice(None), offsets[d]) +
                            (None,) * (nd - d - 1)] * strides[d] for d in range(nd))
            v = flat[rows, p]
            if best is None:
                best, pos = v, p
                continue
            take = (v > best) | (v != v)
            best = xp.where(take, v, best)
            pos = xp.where(take, p, pos)
        self.x_shape, self.pos = x.shape, pos
        out_shape = (n, c) + self.out_size
        return best.reshape(out_shape), pos.reshape(out_shape).astype(np.int64)

    def backward(self, g, *_):
        xp = get_xp(g)
        planes = self.x_shape[0] * self.x_shape[1]
        size = math.prod(self.x_shape[2:])
        gx = xp.zeros(planes * size, dtype=g.dtype)
        rows = xp.arange(planes).reshape(-1, 1) * size
        xp.add.at(gx, (self.pos.reshape(planes, -1) + rows).ravel(), g.ravel())
        return gx.reshape(self.x_shape), None
