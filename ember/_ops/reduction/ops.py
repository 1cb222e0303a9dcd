"""Reductions and cumulative ops on raw arrays, with their gradients.

A reduction works over ``axes``, a tuple of normalised dims (``()`` for a 0-d
input), and its backward puts the reduced dims back as size 1 before
broadcasting.  Where a result is one of the inputs (amax, max(), median())
the gradient is split evenly among the tied elements, as torch does.  Ops
along a single ``axis`` treat a 0-d input as shape (1,).  Divisions that can
meet zero (mean of nothing, variance with no degrees of freedom) give
inf/NaN like torch, without NumPy's warnings.
"""
import functools
import math

import numpy as np

from ..base import Op, all_finite, get_xp
from .sorting import positions


def _quiet(fn):
    """Run ``fn`` with NumPy's divide/invalid warnings off (torch returns inf/NaN silently)."""
    @functools.wraps(fn)
    def run(*args):
        with np.errstate(divide="ignore", invalid="ignore"):
            return fn(*args)
    return run


def _1d(a):
    return a.reshape(1) if a.ndim == 0 else a


def _sum(a, axes, keepdims, dtype=None):
    """``a.sum``, accumulating float16 in float32 as torch does."""
    if dtype is None and a.dtype.char == "e":
        return a.sum(axis=axes, dtype="float32", keepdims=keepdims).astype(a.dtype)
    return a.sum(axis=axes, dtype=dtype, keepdims=keepdims)


@_quiet
def mean(a, axes, keepdims):
    """Mean over ``axes``; NaN over nothing."""
    return _sum(a, axes, keepdims) / math.prod(a.shape[i] for i in axes)


class Reduction(Op):
    """A reduction over ``axes``: the way back from the result's shape to the input's.

    The grad_fn name is torch's: ``label`` (default: the class name) and ``overload``
    (1 where torch's dim= overload differs from the full reduction, as in SumBackward1).
    """

    label = None
    overload = 0

    def __init__(self, axes, keepdim=False):
        self.axes, self.keepdim = axes, keepdim

    def name(self):
        return f"{self.label or type(self).__name__}Backward{self.overload}"

    def named(self, label=None, overload=0):
        """This op with torch's grad_fn ``label`` and ``overload`` (see the class doc)."""
        if label is not None:
            self.label = label
        if overload:
            self.overload = overload
        return self

    def kept(self, g):
        """``g`` with the reduced dims as size 1, broadcastable against the input."""
        if self.keepdim:
            return g
        g = get_xp(g).asarray(g)
        axes, nd = self.axes, g.ndim + len(self.axes)
        dims = iter(g.shape)  # a reshape: expand_dims costs ~3 us of Python per call
        return g.reshape([1 if i in axes or i - nd in axes else next(dims) for i in range(nd)])


def _spread(g, shape):
    """A one-element gradient as a read-only view of ``shape`` (zero strides).

    NumPy's ``broadcast_to`` costs ~2 us of Python per call, most of a small
    backward; building the view directly costs a tenth of that.
    """
    if type(g) is not np.ndarray:
        return get_xp(g).broadcast_to(g.reshape(()), shape)
    if g.shape == shape:
        return g
    view = np.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.setflags(write=False)
    return view


class Sum(Reduction):
    """Sum over ``axes``; ``dtype`` (NumPy) is the result's (int64 for integer inputs).

    ``skip_nan`` treats NaN as zero (nansum): those elements get no gradient.
    """

    def __init__(self, axes, keepdim=False, dtype=None, skip_nan=False):
        self.axes, self.keepdim, self.dtype, self.skip_nan = axes, keepdim, dtype, skip_nan

    def forward(self, a):
        self.shape = a.shape
        if self.skip_nan:
            xp = get_xp(a)
            self.nan = xp.isnan(a)
            a = xp.where(self.nan, 0, a)
        return _sum(a, self.axes, self.keepdim, self.dtype)

    def backward(self, g):
        g = _spread(g, self.shape) if g.size == 1 else get_xp(g).broadcast_to(self.kept(g), self.shape)
        # times the mask, not where(): a NaN gradient (nanmean of all-NaN) stays NaN as in torch
        return g * ~self.nan if self.skip_nan else g


class Mean(Sum):
    """Mean over ``axes`` (``skip_nan``: of the non-NaN elements, nanmean)."""

    @_quiet
    def forward(self, a):
        if not self.skip_nan:
            self.shape = a.shape
            self.n = math.prod(a.shape[i] for i in self.axes)
            return mean(a, self.axes, self.keepdim)
        total = super().forward(a)
        self.n = (~self.nan).sum(axis=self.axes, keepdims=self.keepdim, dtype=a.dtype)
        return total / self.n

    @_quiet
    def backward(self, g):
        return super().backward(g / self.n)


class RunningMean(Mean):
    """The mean var_mean and std_mean return.  torch computes it with Welford's running
    update, m += (x - m) / k, so once m is infinite any later element makes it NaN: a slice
    (in reduction order) with an inf anywhere but at its end has a NaN mean."""

    def forward(self, a):
        out = super().forward(a)
        if a.size and a.dtype.kind == "f" and not all_finite(a):
            xp = get_xp(a)
            nd, axes = a.ndim, self.axes
            flat = xp.moveaxis(a, axes, tuple(range(nd - len(axes), nd)))
            flat = flat.reshape(flat.shape[:nd - len(axes)] + (-1,))
            early = xp.isinf(flat[..., :-1]).any(axis=-1)
            out = xp.where(early.reshape(out.shape), xp.nan, out).astype(out.dtype, copy=False)
        return out


class Prod(Reduction):
    """Product over ``axes`` (all of them, or one dim); exact gradients where inputs are zero.

    d(prod)/d(a_i) is prod/a_i when no input is zero, else the product of the others
    (the exclusive products from both ends), as torch computes it; torch's full product
    with two or more zeros gives a zero gradient outright (so an infinite g gives 0, not NaN).
    """

    save_inputs = (0,)
    save_output = True

    def __init__(self, axes, keepdim=False, dtype=None):
        super().__init__(axes, keepdim)
        self.dtype = dtype

    @_quiet
    def forward(self, a):
        self.a = a
        self.out = a.prod(axis=self.axes, dtype=self.dtype, keepdims=self.keepdim)
        return self.out

    @_quiet
    def backward(self, g):
        xp = get_xp(g)
        a, out, g = self.a, self.kept(self.out), self.kept(g)
        if g.dtype.kind == "c":  # torch's convention: the real formula on conjugated values
            a, out = a.conjugate(), out.conjugate()
        if a.ndim == 0:
            return g
        zeros = int((a == 0).sum())
        if not zeros:
            return g * (out / a)
        if len(self.axes) == 1 and self.overload:
            return g * _exclusive_prod(xp, a, self.axes[0])
        if zeros > 1:
            return xp.zeros_like(a)
        return g * _exclusive_prod(xp, a.reshape(-1), 0).reshape(a.shape)


def _exclusive_prod(xp, a, axis):
    """The product along ``axis`` of all elements but each one (no division, so exact at 0)."""
    n = a.shape[axis]
    ones = xp.ones(a.shape[:axis] + (1,) + a.shape[axis + 1:], a.dtype)
    head = xp.take(a, xp.arange(n - 1), axis=axis)
    tail = xp.flip(xp.take(a, xp.arange(1, n), axis=axis), axis)
    before = xp.cumprod(xp.concatenate([ones, head], axis), axis=axis)
    after = xp.flip(xp.cumprod(xp.concatenate([ones, tail], axis), axis=axis), axis)
    return before * after


class Selected(Reduction):
    """A reduction whose result is one of the inputs (amax, amin, max(), median()).

    ``pick(a)`` computes the result.  The gradient is shared evenly by the
    elements equal to it (a slice with a NaN result gets NaN, like torch's
    amax); ``nan_ties`` instead shares it among the NaNs (torch's max() and
    median() without dim).
    """

    save_inputs = (0,)
    save_output = True

    def __init__(self, pick, axes, keepdim=False, nan_ties=False, label="Amax"):
        super().__init__(axes, keepdim)
        self.pick, self.nan_ties, self.label = pick, nan_ties, label

    def forward(self, a):
        self.a = a
        self.out = self.pick(a)
        return self.out

    @_quiet
    def backward(self, g):
        xp = get_xp(g)
        a, out = self.a, self.kept(self.out)
        mask = a == out
        if self.nan_ties and a.dtype.kind == "f" and xp.isnan(out).any():
            mask = xp.isnan(a)
        return self.kept(g) / mask.sum(axis=self.axes, keepdims=True, dtype=g.dtype) * mask


class Var(Reduction):
    """Variance over ``axes`` with ``correction`` (1: Bessel's); ``std`` takes its root.

    Degrees of freedom are ``max(n - correction, 0)``; none gives inf/NaN as in torch.
    The std gradient is zero where the std is zero.  The variance gradient is torch's:
    2 / (n - correction) * g * (a - mean), unclamped; but for a ``full`` reduction (no dim
    given) without degrees of freedom, g * (NaN where a == mean, else inf).
    """

    def __init__(self, axes, correction, keepdim=False, std=False, full=False):
        super().__init__(axes, keepdim)
        self.correction, self.std, self.full = correction, std, full
        self.save_output = std

    def name(self):
        return f"{self.label or ('Std' if self.std else 'Var')}Backward{self.overload}"

    @_quiet
    def forward(self, a):
        xp = get_xp(a)
        self.raw_dof = math.prod(a.shape[i] for i in self.axes) - self.correction
        self.dof = max(self.raw_dof, 0)
        m = mean(a, self.axes, True)
        d = a - m
        # a std of narrow floats squares in float64, as torch's does: tiny or huge values
        # keep a finite, non-zero root
        narrow = self.std and d.dtype.kind == "f" and d.dtype.itemsize < 8
        wide = d.astype(xp.float64) if narrow else d
        # |d|^2: a complex input has a real variance
        sq = wide * wide if wide.dtype.kind != "c" else wide.real ** 2 + wide.imag ** 2
        out = _sum(sq, self.axes, self.keepdim) / self.dof
        if self.std:
            out = xp.sqrt(out).astype(d.real.dtype, copy=False)
        if self.needs_input_grad[0]:
            self.a, self.d, self.out = a, d, out
            self.save_inputs = (0,)
            if self.full and self.raw_dof <= 0:
                self.at_mean = a == m
        return out

    def regraph(self):
        """Under create_graph: the deviations again, from the swapped input."""
        return {"d": self.a - mean(self.a, self.axes, True)}

    @_quiet
    def backward(self, g):
        xp = get_xp(g)
        g = self.kept(g)
        if self.std:
            out = self.kept(self.out)
            g = xp.where(out == 0, 0, g / (2 * out))
        if self.full and self.raw_dof <= 0:
            return g * xp.where(self.at_mean, math.nan, math.inf).astype(g.dtype, copy=False)
        return g * self.d * (2 / self.raw_dof if self.raw_dof else math.inf)


class LogSumExp(Reduction):
    """log(sum(exp(a))) over ``axes``, shifted by the max so that it neither overflows nor
    underflows; the gradient is the softmax of ``a`` over ``axes``."""

    save_inputs = (0,)
    save_output = True
    label = "Logsumexp"

    @_quiet
    def forward(self, a):
        xp = get_xp(a)
        self.a = a
        if a.size:
            m = xp.amax(a, axis=self.axes, keepdims=True)
            m = xp.where(xp.isfinite(m), m, 0)
        else:
            m = xp.zeros([1 if i in self.axes else s for i, s in enumerate(a.shape)], a.dtype)
        out = xp.log(_sum(xp.exp(a - m), self.axes, True)) + m
        self.out = out if self.keepdim else xp.squeeze(out, axis=self.axes)
        return self.out

    @_quiet
    def backward(self, g):
        xp = get_xp(g)
        softmax = xp.exp(self.a - self.kept(self.out))
        return self.kept(g) * (softmax.conjugate() if g.dtype.kind == "c" else softmax)


def _reverse_cumsum(xp, g, axis):
    return xp.flip(xp.cumsum(xp.flip(g, axis), axis=axis), axis)


class Cumsum(Op):
    """Running sum along ``axis``; the gradient is the running sum from the end."""

    def __init__(self, axis, dtype=None):
        self.axis, self.dtype = axis, dtype

    def forward(self, a):
        self.shape = a.shape
        return get_xp(a).cumsum(_1d(a), axis=self.axis, dtype=self.dtype).reshape(a.shape)

    def backward(self, g):
        return _reverse_cumsum(get_xp(g), _1d(g), self.axis).reshape(self.shape)


class Cumprod(Op):
    """Running product along ``axis``, with exact gradients where inputs are zero.

    Before a slice's first zero, d/d(a_i) = rev_cumsum(g * out)_i / a_i.  At the
    first zero z it is sum_{j>=z} g_j * prod_{k<=j, k!=z} a_k, the running
    product with a_z replaced by 1; after it, every term holds a_z = 0.
    """

    save_inputs = (0,)
    save_output = True

    def __init__(self, axis, dtype=None):
        self.axis, self.dtype = axis, dtype

    @_quiet
    def forward(self, a):
        self.shape, self.a = a.shape, _1d(a)
        self.out = get_xp(a).cumprod(self.a, axis=self.axis, dtype=self.dtype)
        return self.out.reshape(a.shape)

    @_quiet
    def backward(self, g):
        xp, a, out, axis = get_xp(g), self.a, self.out, self.axis
        if g.dtype.kind == "c":  # torch's convention: the real formula on conjugated values
            a, out = a.conjugate(), out.conjugate()
        if a.shape[axis] == 1:
            return g
        g = g.reshape(a.shape)
        zero = a == 0
        if not zero.any():
            return (_reverse_cumsum(xp, g * out, axis) / a).reshape(self.shape)
        n = a.shape[axis]
        pos = positions(xp, n, axis, a.ndim)
        first = xp.where(zero.any(axis=axis, keepdims=True),
                         xp.argmax(zero, axis=axis, keepdims=True), n)
        before = pos < first
        # only the terms before the first zero (a NaN or inf g * out after it stays out)
        grad = xp.where(before, _reverse_cumsum(xp, xp.where(before, g * out, 0), axis) /
                        xp.where(before, a, 1), 0)
        at_first = pos == first
        skipped = xp.cumprod(xp.where(at_first, 1, a), axis=axis)
        upto_second = (pos >= first) & (xp.cumsum(zero, axis=axis) == 1)
        at_zero = xp.where(upto_second, g * skipped, 0).sum(axis=axis, keepdims=True)
        return xp.where(at_first, at_zero, grad).reshape(self.shape)
