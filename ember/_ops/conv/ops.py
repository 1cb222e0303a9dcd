"""Convolution ops: one N-d im2col convolution (and its transpose), unfold/fold,
padding and pixel shuffle.

The patch matrix ("cols") of an input ``(N, C, *S)`` is ``(N, C*K, P)``: for
every channel and kernel offset, the input values seen at each of the ``P``
output positions.  It is a copy of an ``as_strided`` view of the padded input,
so the copy moves whole output rows at a time.  Then

* forward:      y  = W (G, Og, Cg*K) @ cols (N, G, Cg*K, P), already (N, O, *out);
* weight grad:  gW = sum_n g[n] @ cols[n]^T;
* input grad:   gx = col2im(W^T @ g), one strided add per kernel offset.

With stride 1 (``Shifted``) the patch matrix is built over the flattened
padded input instead: output position ``q`` (a flat index into the padded
grid) sees ``xpad[q + offset]`` for each kernel offset, so every (channel,
offset) row of the patch matrix is one contiguous run.  The GEMM then covers
a few padding positions per row, which are dropped from its result; and the
input gradient is itself a stride-1 convolution of the (re-padded) output
gradient with the flipped, transposed kernel, so no scatter-add is needed.

Work runs in batch chunks sized so that one chunk's patch matrix stays in
cache; the whole patch matrix (K times the input) never exists at once, and
backward recomputes the chunk it needs instead of keeping it.
"""
import itertools
import math
import threading

import numpy as np

from ..base import ArrayTensor, Op, get_xp, axes_sum

# Patch-matrix elements per chunk on the CPU (2 MiB of float32: 3% faster than 4 MiB
# on the cifar-convnet benchmark step, W1 alike).  On a GPU one chunk (the whole
# batch) is best.
_CHUNK_ELEMENTS = 1 << 19

# Work buffers up to this many elements are kept between calls (per thread): a fresh
# multi-MiB NumPy buffer is new memory from the OS, and touching it first costs more
# than the copy or GEMM that fills it.
_SCRATCH_ELEMENTS = 4 << 20
_scratch = threading.local()


def scratch(xp, slot, shape, dtype, zero=False, fresh=False):
    """A work buffer of ``shape`` that never leaves this module (undefined contents unless
    ``zero``); ``slot`` names its role so that buffers in use at once stay distinct.
    ``fresh``: a new array instead."""
    n = math.prod(shape)
    if fresh or xp is not np or n > _SCRATCH_ELEMENTS:
        return (xp.zeros if zero else xp.empty)(shape, dtype)
    key = (slot, np.dtype(dtype))
    buf = _scratch.__dict__.get(key)
    if buf is None or buf.size < n:
        buf = _scratch.__dict__[key] = np.empty(n, dtype)
    out = buf[:n].reshape(shape)
    if zero:
        out.fill(0)
    return out


class Windows:
    """Where sliding windows sit on the trailing spatial dims.

    ``kernel``, ``stride``, ``dilation`` per dim; ``pad_lo``/``pad_hi`` the
    (zero, or -inf for max pooling) padding before and after each dim.
    """

    __slots__ = ("kernel", "stride", "dilation", "pad_lo", "pad_hi")

    def __init__(self, kernel, stride, dilation, pad_lo, pad_hi):
        self.kernel, self.stride, self.dilation = tuple(kernel), tuple(stride), tuple(dilation)
        self.pad_lo, self.pad_hi = tuple(pad_lo), tuple(pad_hi)

    @property
    def padded(self):
        return any(self.pad_lo) or any(self.pad_hi)

    @property
    def pointwise(self):
        """1x1 windows at every position: the input already is the patch matrix."""
        return not self.padded and all(k == 1 and s == 1 for k, s in zip(self.kernel, self.stride))

    def padded_shape(self, spatial):
        return tuple(n + lo + hi for n, lo, hi in zip(spatial, self.pad_lo, self.pad_hi))

    def out_shape(self, spatial):
        return tuple((n - d * (k - 1) - 1) // s + 1 for n, k, s, d in
                     zip(self.padded_shape(spatial), self.kernel, self.stride, self.dilation))

    def offsets(self):
        """Kernel offsets in C order (the order of the K axis of the patch matrix)."""
        return itertools.product(*(range(k) for k in self.kernel))

    def region(self, offset, out):
        """Slices picking, for one kernel offset, the padded-input element of every window."""
        return tuple(slice(k * d, k * d + (o - 1) * s + 1, s) for k, d, s, o in
                     zip(offset, self.dilation, self.stride, out))

    def interior(self, spatial):
        """Slices of the padded input that hold the original input."""
        return tuple(slice(lo, lo + n) for lo, n in zip(self.pad_lo, spatial))

    def view(self, xpad, out):
        """The windows as a strided view ``(N, C, *K, *out)`` of a padded ``(N, C, *S)`` array."""
        xp = get_xp(xpad)
        sp = xpad.strides[2:]
        strides = (xpad.strides[:2] + tuple(s * d for s, d in zip(sp, self.dilation))
                   + tuple(s * t for s, t in zip(sp, self.stride)))
        return xp.lib.stride_tricks.as_strided(xpad, xpad.shape[:2] + self.kernel + tuple(out),
                                               strides)


def _chunks(xp, n, per_sample, whole=False):
    """Batch ranges whose patch matrices stay in cache (one range on a GPU)."""
    if whole or xp is not np:
        step = max(n, 1)
    else:
        step = max(1, min(n, _CHUNK_ELEMENTS // max(per_sample, 1)))
    return [(a, min(a + step, n)) for a in range(0, n, step)], min(step, n)


class Patches:
    """Turns batch chunks of ``(B, C, *S)`` into patch matrices and back, reusing buffers.

    ``chunks`` lists the ``(start, stop)`` batch ranges to process; each call
    to ``im2col``/``col2im`` handles one chunk.
    """

    def __init__(self, xp, dtype, n, c, spatial, win, whole=False):
        self.win = win
        self.out = win.out_shape(spatial)
        self.k, self.p = math.prod(win.kernel), math.prod(self.out)
        self.chunks, b = _chunks(xp, n, c * self.k * self.p, whole or win.pointwise)
        # Im2Col (``whole``) returns its patch matrix, so that one cannot be a work buffer
        self.cols = None if win.pointwise else scratch(xp, "cols", (b, c * self.k, self.p),
                                                       dtype, fresh=whole)
        self.pad = scratch(xp, "pad", (b, c) + win.padded_shape(spatial), dtype, zero=True,
                           fresh=whole) if win.padded else None
        self.inner = (slice(None), slice(None)) + win.interior(spatial)

    def buffer(self, b):
        """The patch-matrix buffer for a chunk of ``b`` samples."""
        return self.cols[:b]

    def im2col(self, x):
        """Patch matrix ``(B, C*K, P)`` of a chunk ``x`` (valid until the next call)."""
        b, c = x.shape[:2]
        if self.win.pointwise:
            return x.reshape(b, c, self.p)
        if self.pad is not None:
            self.pad[:b][self.inner] = x
            x = self.pad[:b]
        cols = self.cols[:b]
        cols.reshape((b, c) + self.win.kernel + self.out)[...] = self.win.view(x, self.out)
        return cols

    def col2im(self, cols, gx):
        """Scatter-add a patch matrix ``(B, C*K, P)`` into ``gx`` ``(B, C, *S)`` (overwritten)."""
        b, c = gx.shape[:2]
        if self.win.pointwise:
            gx[...] = cols.reshape(gx.shape)
            return
        acc = gx
        if self.pad is not None:
            acc = self.pad[:b]
        acc[...] = 0
        blocks = cols.reshape((b, c, self.k) + self.out)
        lead = (slice(None), slice(None))
        for i, off in enumerate(self.win.offsets()):
            acc[lead + self.win.region(off, self.out)] += blocks[:, :, i]
        if self.pad is not None:
            gx[...] = acc[self.inner]


class Shifted:
    """Stride-1 patch matrices ``(C*K, B, L)`` over the flattened padded input.

    Samples sit inside the rows so that a whole chunk is one GEMM operand
    ``(C*K, B*L)``: a few large GEMMs run faster than a batch of small ones.

    Column ``q`` is a flat index into the padded grid; the valid outputs are the
    ``q`` whose coordinates lie inside ``out`` (``grid`` views them), the others
    are padding positions whose results are dropped.
    """

    def __init__(self, xp, dtype, n, c, spatial, win):
        self.win, self.xp = win, xp
        self.out = win.out_shape(spatial)
        self.k = math.prod(win.kernel)
        padded = win.padded_shape(spatial)
        self.step = tuple(math.prod(padded[d + 1:]) for d in range(len(padded)))
        self.p = sum((o - 1) * s for o, s in zip(self.out, self.step)) + 1
        self.chunks, b = _chunks(xp, n, c * self.k * self.p)
        self.dtype = dtype
        self.pad = scratch(xp, "pad", (b, c) + padded, dtype, zero=True) if win.padded else None
        self.inner = (slice(None), slice(None)) + win.interior(spatial)

    @staticmethod
    def applies(win):
        """Worth it with padding, which the ordinary patch gather would copy twice."""
        return win.padded and all(s == 1 for s in win.stride)

    def im2col(self, x):
        """Patch matrix ``(C*K, B, L)`` of a chunk ``x`` (valid until the next call)."""
        xp = self.xp
        b, c = x.shape[:2]
        if self.pad is not None:
            self.pad[:b][self.inner] = x
            x = self.pad[:b]
        else:
            x = xp.ascontiguousarray(x)
        e = x.itemsize
        shifts = tuple(d * s * e for d, s in zip(self.win.dilation, self.step))
        view = xp.lib.stride_tricks.as_strided(
            x, (c,) + self.win.kernel + (b, self.p), (x.strides[1],) + shifts + (x.strides[0], e))
        cols = scratch(xp, "cols", (c * self.k, b, self.p), self.dtype)
        cols.reshape(view.shape)[...] = view
        return cols

    def grid(self, yq):
        """The valid outputs of ``(O, B, L)`` as a view ``(B, O, *out)``."""
        e = yq.itemsize
        return self.xp.lib.stride_tricks.as_strided(
            yq, (yq.shape[1], yq.shape[0]) + self.out,
            (yq.strides[1], yq.strides[0]) + tuple(s * e for s in self.step))


def _flipped_transpose(w, groups):
    """(O, C/G, *K) -> (C, O/G, *K) with the kernel reversed: the input gradient's kernel."""
    o, cg = w.shape[:2]
    kdims = tuple(range(2, w.ndim))
    wt = w.reshape((groups, o // groups, cg) + w.shape[2:]).swapaxes(1, 2)
    return get_xp(w).flip(wt.reshape((cg * groups, o // groups) + w.shape[2:]), kdims)


def _adjoint_windows(win, out, x_spatial):
    """Windows making the input gradient a stride-1 convolution of the output gradient,
    or None when one of its paddings would be negative."""
    reach = tuple(d * (k - 1) for d, k in zip(win.dilation, win.kernel))
    lo = tuple(r - p for r, p in zip(reach, win.pad_lo))
    hi = tuple(s + r - o - l for s, r, o, l in zip(x_spatial, reach, out, lo))
    if min(lo + hi) < 0:
        return None
    return Windows(win.kernel, win.stride, win.dilation, lo, hi)


def _shifted_forward(x, w, win, groups):
    """``conv_forward`` for stride 1 through ``Shifted`` patch matrices."""
    xp = get_xp(x)
    n, c = x.shape[:2]
    o = w.shape[0]
    pt = Shifted(xp, x.dtype, n, c, x.shape[2:], win)
    y = xp.empty((n, o) + pt.out, dtype=x.dtype)
    wm = w.reshape(groups, o // groups, -1)
    for a, b in pt.chunks:
        cols = pt.im2col(x[a:b])
        yq = scratch(xp, "out", (groups, o // groups, (b - a) * pt.p), x.dtype)
        xp.matmul(wm, cols.reshape(groups, -1, (b - a) * pt.p), out=yq)
        y[a:b] = pt.grid(yq.reshape(o, b - a, pt.p))
    return y


def _on_graph(op, *args):
    """The Tensor interpretation of a routine below (backward under create_graph): the same
    computation as the differentiable op ``op`` on the ArrayTensors' Tensors."""
    return ArrayTensor(op(*[a.t if type(a) is ArrayTensor else a for a in args]))


def conv_forward(x, w, win, groups):
    """y = conv(x, w): x (N, C, *S), w (O, C/G, *K) -> (N, O, *out)."""
    if type(x) is ArrayTensor or type(w) is ArrayTensor:
        return _on_graph(Convolution(win, groups), x, w, None)
    if Shifted.applies(win):
        return _shifted_forward(x, w, win, groups)
    xp = get_xp(x)
    n, c = x.shape[:2]
    o = w.shape[0]
    pt = Patches(xp, x.dtype, n, c, x.shape[2:], win)
    y = xp.empty((n, o) + pt.out, dtype=x.dtype)
    wm = w.reshape(groups, o // groups, -1)
    yv = y.reshape(n, groups, o // groups, pt.p)
    for a, b in pt.chunks:
        cols = pt.im2col(x[a:b])
        xp.matmul(wm, cols.reshape(b - a, groups, -1, pt.p), out=yv[a:b])
    return y


def conv_input_grad(g, w, win, groups, x_shape):
    """d conv / d x for output grad g (N, O, *out): col2im(W^T @ g) of shape ``x_shape``."""
    if type(g) is ArrayTensor or type(w) is ArrayTensor:
        return _on_graph(Convolution(win, groups, True, x_shape[2:]), g, w, None)
    if Shifted.applies(win):
        adjoint = _adjoint_windows(win, g.shape[2:], x_shape[2:])
        if adjoint is not None:
            return _shifted_forward(g, _flipped_transpose(w, groups), adjoint, groups)
    xp = get_xp(g)
    n, c = x_shape[:2]
    o = w.shape[0]
    pt = Patches(xp, g.dtype, n, c, x_shape[2:], win)
    wt = w.reshape(groups, o // groups, -1).transpose(0, 2, 1)
    gv = g.reshape(n, groups, o // groups, pt.p)
    gx = xp.empty(x_shape, dtype=g.dtype)
    if win.pointwise:
        xp.matmul(wt, gv, out=gx.reshape(n, groups, c // groups, pt.p))
        return gx
    # one output channel per group (depthwise): the product is an outer product, which a
    # broadcast multiply does several times faster than matmul
    product = xp.multiply if o == groups else xp.matmul
    for a, b in pt.chunks:
        cols = pt.buffer(b - a)
        product(wt, gv[a:b], out=cols.reshape(b - a, groups, -1, pt.p))
        pt.col2im(cols, gx[a:b])
    return gx


def conv_weight_grad(x, g, win, groups, w_shape):
    """d conv / d w for input x and output grad g: sum over the batch of g @ cols^T."""
    xp = get_xp(x)
    n, c = x.shape[:2]
    o = w_shape[0]
    if type(x) is ArrayTensor or type(g) is ArrayTensor:
        xp = get_xp(g if type(g) is ArrayTensor else x)
        cols = _on_graph(Im2Col(win), x).reshape(n, groups, -1, math.prod(g.shape[2:]))
        gw = xp.matmul(g.reshape(n, groups, o // groups, -1), cols.swapaxes(-1, -2))
        return gw.sum(axis=0).reshape(w_shape)
    gw = xp.zeros((groups, o // groups, math.prod(w_shape[1:])), dtype=x.dtype)
    if Shifted.applies(win):
        # the output gradient laid out like the patch columns, zero at padding positions
        pt = Shifted(xp, x.dtype, n, c, x.shape[2:], win)
        for a, b in pt.chunks:
            gq = scratch(xp, "out", (o, b - a, pt.p), x.dtype, zero=True)
            pt.grid(gq)[...] = g[a:b]
            cols = pt.im2col(x[a:b]).reshape(groups, -1, (b - a) * pt.p)
            gw += xp.matmul(gq.reshape(groups, o // groups, -1), cols.transpose(0, 2, 1))
        return gw.reshape(w_shape)
    pt = Patches(xp, x.dtype, n, c, x.shape[2:], win)
    gv = g.reshape(n, groups, o // groups, pt.p)
    for a, b in pt.chunks:
        cols = pt.im2col(x[a:b]).reshape(b - a, groups, -1, pt.p)
        gw += xp.matmul(gv[a:b], cols.transpose(0, 1, 3, 2)).sum(0)
    return gw.reshape(w_shape)


def _batched(arr, unbatched):
    return arr[None] if unbatched else arr


class Convolution(Op):
    """N-d convolution (``transposed=False``) or transposed convolution of (x, w, bias-or-None).

    A transposed convolution is the input gradient of the convolution whose
    input it outputs, so both directions share the three routines above.
    ``out_spatial`` is the transposed convolution's output size.
    """

    save_inputs = (0, 1)

    def __init__(self, win, groups, transposed=False, out_spatial=None, unbatched=False):
        self.win, self.groups, self.transposed = win, groups, transposed
        self.out_spatial, self.unbatched = out_spatial, unbatched

    def forward(self, x, w, b=None):
        x = _batched(x, self.unbatched)
        need_x, need_w = self.needs_input_grad[:2]
        self.x_shape, self.w_shape = x.shape, w.shape
        if need_w:
            self.x = x
        if need_x:
            self.w = w
        if self.transposed:
            shape = (x.shape[0], w.shape[1] * self.groups) + tuple(self.out_spatial)
            y = conv_input_grad(x, w, self.win, self.groups, shape)
        else:
            y = conv_forward(x, w, self.win, self.groups)
        if b is not None:
            y += b.reshape((-1,) + (1,) * (y.ndim - 2))
        return y[0] if self.unbatched else y

    def backward(self, g):
        g = _batched(g, self.unbatched)
        need = self.needs_input_grad
        gx = gw = gb = None
        win, groups = self.win, self.groups
        if need[0]:
            if self.transposed:
                gx = conv_forward(g, self.w, win, groups)
            else:
                gx = conv_input_grad(g, self.w, win, groups, self.x_shape)
            if self.unbatched:
                gx = gx[0]
        if need[1]:
            if self.transposed:
                gw = conv_weight_grad(g, self.x, win, groups, self.w_shape)
            else:
                gw = conv_weight_grad(self.x, g, win, groups, self.w_shape)
        if need[2]:
            gb = axes_sum(g, (0,) + tuple(range(2, g.ndim))).reshape(-1)
        return gx, gw, gb


class Im2Col(Op):
    """Patch matrix (N, C*K, L) of (N, C, *S): torch's ``unfold`` (im2col)."""

    def __init__(self, win, unbatched=False):
        self.win, self.unbatched = win, unbatched

    def forward(self, x):
        x = _batched(x, self.unbatched)
        xp = get_xp(x)
        self.x_shape = x.shape
        pt = Patches(xp, x.dtype, x.shape[0], x.shape[1], x.shape[2:], self.win, whole=True)
        cols = pt.im2col(x)
        cols = cols.copy() if self.win.pointwise else cols
        return cols[0] if self.unbatched else cols

    def backward(self, g):
        g = _batched(g, self.unbatched)
        if type(g) is ArrayTensor:
            gx = _on_graph(Col2Im(self.win, self.x_shape[2:]), g)
            return gx[0] if self.unbatched else gx
        n, c = self.x_shape[:2]
        pt = Patches(get_xp(g), g.dtype, n, c, self.x_shape[2:], self.win, whole=True)
        gx = get_xp(g).empty(self.x_shape, dtype=g.dtype)
        pt.col2im(g, gx)
        return gx[0] if self.unbatched else gx


class Col2Im(Op):
    """Sum a patch matrix (N, C*K, L) back into (N, C, *S): torch's ``fold`` (col2im)."""

    def __init__(self, win, out_spatial, unbatched=False):
        self.win, self.out_spatial, self.unbatched = win, tuple(out_spatial), unbatched

    def _patches(self, xp, dtype, n, ck):
        return Patches(xp, dtype, n, ck // math.prod(self.win.kernel), self.out_spatial,
                       self.win, whole=True)

    def forward(self, cols):
        cols = _batched(cols, self.unbatched)
        xp = get_xp(cols)
        n, ck = cols.shape[:2]
        pt = self._patches(xp, cols.dtype, n, ck)
        out = xp.empty((n, ck // pt.k) + self.out_spatial, dtype=cols.dtype)
        pt.col2im(cols, out)
        return out[0] if self.unbatched else out

    def backward(self, g):
        g = _batched(g, self.unbatched)
        if type(g) is ArrayTensor:
            gc = _on_graph(Im2Col(self.win), g)
            return gc[0] if self.unbatched else gc
        n, c = g.shape[:2]
        pt = self._patches(get_xp(g), g.dtype, n, c * math.prod(self.win.kernel))
        gc = pt.im2col(g)
        gc = gc.copy() if self.win.pointwise else gc
        return gc[0] if self.unbatched else gc


# -- padding -------------------------------------------------------------------

def _along(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop),)


def _fill_borders(out, axis, lo, hi, n, mode):
    """Fill the ``lo``/``hi`` border of ``out`` along ``axis`` from its interior of length ``n``."""
    xp = get_xp(out)
    end = lo + n
    if mode == "reflect":
        if lo:
            out[_along(axis, 0, lo)] = xp.flip(out[_along(axis, lo + 1, 2 * lo + 1)], axis)
        if hi:
            src = out[_along(axis, end - 1 - hi, end - 1)]
            out[_along(axis, end, end + hi)] = xp.flip(src, axis)
    elif mode == "replicate":
        if lo:
            out[_along(axis, 0, lo)] = out[_along(axis, lo, lo + 1)]
        if hi:
            out[_along(axis, end, end + hi)] = out[_along(axis, end - 1, end)]
    else:  # circular
        if lo:
            out[_along(axis, 0, lo)] = out[_along(axis, n, end)]
        if hi:
            out[_along(axis, end, end + hi)] = out[_along(axis, lo, lo + hi)]


def _fold_borders(g, axis, lo, hi, n, mode):
    """The adjoint of ``_fill_borders``: add the border gradients into the interior (in place)."""
    xp = get_xp(g)
    end = lo + n
    if mode == "reflect":
        if lo:
            g[_along(axis, lo + 1, 2 * lo + 1)] += xp.flip(g[_along(axis, 0, lo)], axis)
        if hi:
            g[_along(axis, end - 1 - hi, end - 1)] += xp.flip(g[_along(axis, end, end + hi)], axis)
    elif mode == "replicate":
        if lo:
            g[_along(axis, lo, lo + 1)] += g[_along(axis, 0, lo)].sum(axis, keepdims=True)
        if hi:
            g[_along(axis, end - 1, end)] += g[_along(axis, end, end + hi)].sum(axis, keepdims=True)
    else:  # circular
        if lo:
            g[_along(axis, n, end)] += g[_along(axis, 0, lo)]
        if hi:
            g[_along(axis, lo, lo + hi)] += g[_along(axis, end, end + hi)]


class Pad(Op):
    """Pad (or, for negative amounts, crop) the trailing dims.

    ``pads`` is one ``(before, after)`` pair per padded trailing dim, first
    dim first; ``mode`` is constant, reflect, replicate or circular.
    """

    def __init__(self, pads, mode="constant", value=0):
        self.pads, self.mode, self.value = tuple(pads), mode, value

    def name(self):
        kind = {"constant": "ConstantPadNd", "reflect": "ReflectionPad{}D",
                "replicate": "ReplicationPad{}D", "circular": "CircularPad{}D"}[self.mode]
        return kind.format(len(self.pads)) + "Backward0"

    def _geometry(self, shape):
        lead = len(shape) - len(self.pads)
        crop = tuple(slice(max(-lo, 0), n - max(-hi, 0))
                     for (lo, hi), n in zip(self.pads, shape[lead:]))
        grow = tuple((max(lo, 0), max(hi, 0)) for lo, hi in self.pads)
        return lead, crop, grow

    def forward(self, x):
        xp = get_xp(x)
        self.x_shape = x.shape
        lead, crop, grow = self._geometry(x.shape)
        x = x[(Ellipsis,) + crop]
        sizes = x.shape[lead:]
        shape = x.shape[:lead] + tuple(n + lo + hi for n, (lo, hi) in zip(sizes, grow))
        if self.mode == "constant":
            out = xp.full(shape, self.value, dtype=x.dtype)
        else:
            out = xp.empty(shape, dtype=x.dtype)
        out[(Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(sizes, grow))] = x
        if self.mode != "constant":
            for d, ((lo, hi), n) in enumerate(zip(grow, sizes)):
                _fill_borders(out, lead + d, lo, hi, n, self.mode)
        return out

    def backward(self, g):
        xp = get_xp(g)
        lead, crop, grow = self._geometry(self.x_shape)
        sizes = tuple(g.shape[lead + d] - lo - hi for d, (lo, hi) in enumerate(grow))
        if self.mode != "constant":
            g = g.copy()
            for d in reversed(range(len(grow))):
                _fold_borders(g, lead + d, grow[d][0], grow[d][1], sizes[d], self.mode)
        inner = g[(Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(sizes, grow))]
        if all(c == slice(0, n) for c, n in zip(crop, self.x_shape[lead:])):
            return inner
        gx = xp.zeros(self.x_shape, dtype=g.dtype)
        gx[(Ellipsis,) + crop] = inner
        return gx


# -- pixel shuffle ----------------------------------------------------------------

def _shuffle(x, r, inverse):
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r), or back with ``inverse``; always a new array.

    Both forms are views of one 5-d block layout: channel-major (c, i, j, h, w)
    and space-major (c, h, i, w, j); the result is written through a view of it.
    """
    xp = get_xp(x)
    *lead, c, h, w = x.shape
    n = len(lead)
    if inverse:
        c, h, w = c * r * r, h // r, w // r
    channel_major = (*lead, c // (r * r), r, r, h, w)
    space_major = (*lead, c // (r * r), h, r, w, r)
    if inverse:
        src, dst, perm = space_major, channel_major, (n, n + 2, n + 4, n + 1, n + 3)
        out = xp.empty((*lead, c, h, w), dtype=x.dtype)
    else:
        src, dst, perm = channel_major, space_major, (n, n + 3, n + 1, n + 4, n + 2)
        out = xp.empty((*lead, c // (r * r), h * r, w * r), dtype=x.dtype)
    out.reshape(dst)[...] = x.reshape(src).transpose(*range(n), *perm)
    return out


class PixelShuffle(Op):
    """Move r*r channel blocks into space (``inverse=True``: space into channels)."""

    def __init__(self, r, inverse=False):
        self.r, self.inverse = r, inverse

    def name(self):
        return "PixelUnshuffleBackward0" if self.inverse else "PixelShuffleBackward0"

    def forward(self, x):
        return _shuffle(x, self.r, self.inverse)

    def backward(self, g):
        return _shuffle(g, self.r, not self.inverse)
