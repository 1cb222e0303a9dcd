"""Functions built from other public ops: differences, distances, histograms, covariance,
log-space sums, index builders, integer maths and integration.

Each function here composes ops that already carry their own backward, so gradients
flow wherever torch has them without a dedicated op class.  The few that torch does
not differentiate (histograms, integer maths, ``nextafter``) compute on the raw array.
"""
import itertools
import math
from collections import namedtuple

import numpy as np

from .._tensor import Tensor, _wrap, _wrap_dim, tensor_method
from .. import _dtype as D
from .._dtype import as_dtype, promote_types
from .base import get_xp
from .comparison import funcs as Q
from .complex import funcs as CX
from . import creation as C
from .elementwise import funcs as E
from .elementwise import operators as E2
from .reduction import funcs as R
from .shape import copies as SC
from .base import relabel

# views whose ``<name>_copy`` function returns a copy instead
_COPY_OF_VIEW = ("alias", "as_strided", "detach", "diagonal", "expand", "permute", "select",
                 "slice", "split", "split_with_sizes", "squeeze", "t", "transpose", "unbind",
                 "unfold", "unsqueeze", "view", "view_as_real", "view_as_complex")

__all__ = ["diff", "cdist", "dist", "histc", "histogram", "cov", "corrcoef", "logaddexp",
           "logaddexp2", "logcumsumexp", "block_diag", "cartesian_prod", "combinations",
           "tril_indices", "triu_indices", "heaviside", "nextafter", "ldexp", "gcd", "lcm", "frexp",
           "vander", "trapezoid", "trapz", "cumulative_trapezoid", "renorm", "unsafe_split",
           "unsafe_chunk", "adjoint", "is_conj", "resolve_neg", "select_scatter", "slice_scatter",
           "diagonal_scatter", "unravel_index", "set_warn_always", "is_warn_always_enabled",
           "gradient", "histogramdd", "hash_tensor", "as_strided_scatter", "cond",
           "while_loop"] + [n + "_copy" for n in _COPY_OF_VIEW]

histogram_result = namedtuple("histogram", ["hist", "bin_edges"])
frexp_result = namedtuple("frexp", ["mantissa", "exponent"])
histogramdd_result = namedtuple("histogramdd", ["hist", "bin_edges"])


def _inplace(name, fn, node=None):
    """Attach ``name`` as a Tensor method computing ``fn(self, ...)`` into ``self``; ``node``:
    torch's grad_fn name for it (default: the copy's)."""
    def method(self, *args, **kwargs):
        # computed from a clone so that what the forward saves is not the tensor overwritten
        res = self.copy_(fn(self.clone(), *args, **kwargs))
        return relabel(res, node) if node else res
    method.__name__ = name
    method.__doc__ = f"In-place form of ``{fn.__name__}``: writes the result into ``self``."
    setattr(Tensor, name, method)


# -- differences and distances ------------------------------------------------------
@tensor_method("diff")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: ``out[i] = x[i+1] - x[i]``, repeated.

    ``prepend``/``append`` are joined to ``input`` along ``dim`` first.  Bool input gives
    ``x[i+1] != x[i]``.  Example: ``diff(tensor([1, 4, 9]))`` is ``tensor([3, 5])``.
    """
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    dim = _wrap_dim(dim, input.dim())
    parts = [t for t in (prepend, input, append) if t is not None]
    x = SC.cat(parts, dim) if len(parts) > 1 else input
    for _ in range(n):
        m = x.shape[dim]
        if m == 0:
            break
        hi, lo = x.narrow(dim, 1, m - 1), x.narrow(dim, 0, m - 1)
        x = Q.ne(hi, lo) if x.dtype == D.bool else hi - lo
    return x


def cdist(x1, x2, p=2.0, compute_mode=None):
    """Pairwise ``p``-norm distances between the rows of ``x1`` (..., P, M) and ``x2``
    (..., R, M); the result is (..., P, R).  ``compute_mode`` is accepted for torch's
    signature (the result is the same).  Example: ``cdist(a, b)[i, j] = ||a[i] - b[j]||``.
    """
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{t.dtype._tensor_type[:-6]}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} "
                           f"X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    d = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return relabel(d.norm(p=p, dim=-1), "CdistBackward0")


@tensor_method("dist")
def dist(input, other, p=2):
    """The ``p``-norm of ``input - other`` (broadcast), as a 0-d tensor."""
    return relabel((input - other).norm(p=p), "DistBackward0")


# -- numerical gradient --------------------------------------------------------------
def _spacings(input, spacing, dims):
    """Per dim in ``dims``: a number (uniform spacing) or a 1-D tensor of coordinates."""
    if spacing is None:
        return [1.0] * len(dims)
    if isinstance(spacing, (int, float)) and not isinstance(spacing, bool):
        return [spacing] * len(dims)
    spacing = list(spacing)
    if len(spacing) != len(dims):
        given = "dim argument was not given" if len(dims) == input.dim() else \
            "dim argument was given"
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar, or a "
                           f"list of length equal to 'self.dim() = {len(dims)}', since {given}, "
                           f"but got a list of length {len(spacing)}")
    for h in spacing:
        if isinstance(h, Tensor) and h.dim() != 1:
            raise RuntimeError(f"torch.gradient expected each element of spacing to have one "
                               f"dimension, but got an element with {h.dim()} dimensions!")
    return spacing


def _along(t, dim, ndim):
    """A 1-D tensor ``t`` shaped to lie along ``dim`` of an ``ndim``-d tensor."""
    return t.reshape([1] * dim + [-1] + [1] * (ndim - 1 - dim))


def _gradient_1d(f, h, dim, edge_order):
    """d f / d x along ``dim`` from second-order central differences inside and one-sided
    differences of order ``edge_order`` at both ends; ``h`` a spacing or coordinates."""
    n, nd = f.shape[dim], f.dim()

    def part(start, length):
        return f.narrow(dim, start, length)
    if isinstance(h, Tensor):
        dx = _along(diff(_float(h)), dim, nd)
        dx1, dx2 = dx.narrow(dim, 0, n - 2), dx.narrow(dim, 1, n - 2)
        inner = (-dx2 / (dx1 * (dx1 + dx2)) * part(0, n - 2)
                 + (dx2 - dx1) / (dx1 * dx2) * part(1, n - 2)
                 + dx1 / (dx2 * (dx1 + dx2)) * part(2, n - 2))
        d0, d1, dm2, dm1 = (dx.narrow(dim, i % (n - 1), 1) for i in (0, 1, -2, -1))
    else:
        inner = (part(2, n - 2) - part(0, n - 2)) / (2 * h)
        d0 = d1 = dm2 = dm1 = h
    if edge_order == 1:
        first = (part(1, 1) - part(0, 1)) / d0
        last = (part(n - 1, 1) - part(n - 2, 1)) / dm1
    else:
        first = (-(2 * d0 + d1) / (d0 * (d0 + d1)) * part(0, 1)
                 + (d0 + d1) / (d0 * d1) * part(1, 1) - d0 / (d1 * (d0 + d1)) * part(2, 1))
        last = (dm1 / (dm2 * (dm2 + dm1)) * part(n - 3, 1)
                - (dm1 + dm2) / (dm2 * dm1) * part(n - 2, 1)
                + (2 * dm1 + dm2) / (dm1 * (dm2 + dm1)) * part(n - 1, 1))
    return SC.cat([first, inner, last], dim)


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """The numerical derivative of ``input`` along each dim in ``dim`` (all by default), one
    tensor per dim: central differences inside, one-sided differences of order ``edge_order``
    (1 or 2) at the ends.  ``spacing`` is a number, one number per dim, or one 1-D tensor of
    sample coordinates per dim.  Integer input gives the default float dtype; differentiable.

    Example: ``ember.gradient(ember.tensor([1., 4., 9., 16.]))`` is
    ``(tensor([3., 4., 6., 7.]),)``.
    """
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if input.dtype == D.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    if input.dtype == D.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    dims = list(range(input.dim())) if dim is None else \
        [dim] if isinstance(dim, int) else list(dim)
    dims = [_wrap_dim(d, input.dim()) for d in dims]
    spacings = _spacings(input, spacing, dims)
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")
    f = _float(input)
    return tuple(_gradient_1d(f, h, d, edge_order) for d, h in zip(dims, spacings))


# -- histograms (no gradient, as in torch) -----------------------------------------
@tensor_method("histc")
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Count ``input`` into ``bins`` equal bins over [``min``, ``max``] (the data's range when
    both are equal); values outside are ignored.  Returns ``input``'s float dtype, shape (bins,).
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"histogram_cpu" not implemented for \'{_dtype_name(input)}\'')
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    a = input._data.astype(np.float64).ravel()
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc(): max must be larger than min")
    counts, _ = np.histogram(a, bins=bins, range=(lo, hi))
    res = _wrap(counts.astype(input._data.dtype))
    return out.copy_(res) if out is not None else res


def _dtype_name(t):
    return str(t.dtype).replace("torch.", "").capitalize().replace("Float32", "Float")


@tensor_method("histogram")
def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """Histogram of ``input``: ``bins`` is a count (equal bins over ``range`` or the data's
    range) or a 1-D tensor of increasing edges.  Returns ``(hist, bin_edges)``; ``weight``
    weighs each element, ``density`` normalises to a probability density.
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'torch.histogram: input tensor and bins tensors should have the same '
                           f'dtype, but got input {_dtype_name(input).lower()}')
    a = input._data.ravel()
    edges = bins._data if isinstance(bins, Tensor) else bins
    w = None if weight is None else weight._data.ravel()
    lo_hi = None if range is None else tuple(float(v) for v in range)
    if lo_hi is None and not isinstance(bins, Tensor) and a.size == 0:
        lo_hi = (0.0, 1.0)
    hist, e = np.histogram(a, bins=edges, range=lo_hi, weights=w, density=density)
    dt = input._data.dtype
    res = histogram_result(_wrap(hist.astype(dt)), _wrap(e.astype(dt)))
    if out is not None:
        out[0].copy_(res.hist), out[1].copy_(res.bin_edges)
        return histogram_result(*out)
    return res


def histogramdd(input, bins, *, range=None, weight=None, density=False):
    """A D-dimensional histogram of the points in the rows of ``input`` (..., D): ``bins`` is
    a count for every dim, one count per dim, or one 1-D tensor of increasing edges per dim;
    ``range`` is ``[min0, max0, min1, max1, ...]``; ``weight`` weighs each point and
    ``density`` normalises to a probability density.  Returns ``(hist, bin_edges)`` with
    ``bin_edges`` a tuple of D tensors, in ``input``'s float dtype (no gradient, as in torch).

    Example: ``ember.histogramdd(ember.rand(10, 2), bins=[3, 4]).hist.shape`` is ``(3, 4)``.
    """
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogramdd" not implemented for '
                                  f'\'{input.dtype._tensor_type[:-6]}\'')
    ndim = input.shape[-1] if input.dim() else 1
    points = input._data.reshape(-1, ndim)
    dt, xp = points.dtype, get_xp(points)
    counts = [bins] * ndim if isinstance(bins, int) else list(bins)
    if len(counts) != ndim:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost "
                           "dimension of the input.")
    edges = []
    for d, b in enumerate(counts):
        if isinstance(b, Tensor):
            edges.append(b._data.astype(dt))
            continue
        if range is not None:
            lo, hi = float(range[2 * d]), float(range[2 * d + 1])
        elif points.shape[0]:
            lo, hi = float(points[:, d].min()), float(points[:, d].max())
        else:
            lo, hi = 0.0, 1.0
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges.append(_linear_edges(xp, lo, hi, b, dt))
    w = None if weight is None else weight._data.reshape(-1)
    hist, _ = xp.histogramdd(points, bins=edges, weights=w, density=density)
    return histogramdd_result(_wrap(hist.astype(dt)), tuple(_wrap(e) for e in edges))


def _linear_edges(xp, lo, hi, bins, dt):
    """``bins + 1`` equal-width edges from ``lo`` to ``hi`` computed in the dtype ``dt`` as
    torch's linspace does (the second half counted down from ``hi``), so values fall into
    the same bins as in torch."""
    lo, hi = dt.type(lo), dt.type(hi)
    step = (hi - lo) / dt.type(bins)
    i = xp.arange(bins + 1, dtype=dt)
    return xp.where(i < (bins + 1) // 2, lo + step * i, hi - step * (dt.type(bins) - i))


@tensor_method("hash_tensor")
def hash_tensor(input, dim=None, *, keepdim=False, mode=0):
    """A uint64 hash of the elements (over ``dim``, one or more dims, or all): each element
    is widened to float64 or int64, its 64 bits read as an unsigned integer, and the results
    combined by exclusive or (``mode=0``, the only mode).  No gradient.

    Example: ``ember.hash_tensor(ember.tensor([1., 2.]))`` is
    ``tensor(9218868437227405312, dtype=ember.uint64)``.
    """
    if mode != 0:
        raise RuntimeError(f"hash_tensor only supports mode=0 (xor reduction), got {mode}")
    a = input._data
    if a.size == 0 and (dim is None or dim == ()):
        raise RuntimeError("hash_tensor: Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    wide = a.astype(np.float64 if a.dtype.kind == "f" else np.int64)
    bits = wide.view(np.uint64) if wide.ndim else wide.reshape(1).view(np.uint64).reshape(())
    axes = None if dim is None or dim == () else tuple(
        _wrap_dim(d, a.ndim) for d in ((dim,) if isinstance(dim, int) else dim))
    xp = get_xp(bits)
    return _wrap(xp.asarray(xp.bitwise_xor.reduce(bits, axis=axes, keepdims=keepdim)))


# -- covariance -------------------------------------------------------------------------
@tensor_method("cov")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance matrix of the variables in ``input``'s rows (observations in columns);
    a 1-D input is one variable and gives a 0-d result.  ``fweights`` (integer counts) and
    ``aweights`` weigh observations; ``correction=1`` is Bessel's correction.
    """
    if input.dim() > 2:
        raise ValueError(f"cov(): expected input to have two or fewer dimensions but got an "
                         f"input with {input.dim()} dimensions")
    if input.dtype == D.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(D.get_default_dtype())
    n_obs = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg = x.mean(1)
        w_sum = n_obs
        norm = w_sum - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        norm = w_sum - (correction * (w * aweights).sum() / w_sum if aweights is not None
                        else correction)
    norm = E2.clamp(norm, min=0) if isinstance(norm, Tensor) else max(norm, 0)
    xm = x - avg.unsqueeze(1)
    xw = xm if w is None else xm * w
    c = xw @ xm.transpose(0, 1).conj() / norm
    return c.squeeze()   # as torch: one variable gives a 0-d result, also from a (1, N) input


@tensor_method("corrcoef")
def corrcoef(input):
    """Pearson correlation coefficients of ``input``'s rows (see ``cov``), clipped to [-1, 1]."""
    c = cov(input)
    if c.dim() == 0:
        return c / c
    sd = c.diagonal().sqrt()
    c = c / sd.unsqueeze(1) / sd.unsqueeze(0)
    return E2.clamp(c, -1, 1) if not c.dtype.is_complex else c


# -- log-space sums ---------------------------------------------------------------------
def _log_add(a, b, log_one_plus):
    if a.is_complex() or b.is_complex():  # shifted by the larger real part; holomorphic ops
        m = E.maximum(CX.real(a), CX.real(b)).detach()
        return E.log(E.exp(a - m) + E.exp(b - m)) + m
    m = E.maximum(a, b)
    d = -E.abs(a - b)
    same_inf = Q.eq(a, b) & Q.isinf(a)
    return Q.where(same_inf, a, m + log_one_plus(Q.where(same_inf, C.zeros_like(d), d)))


@tensor_method("logaddexp")
def logaddexp(input, other, *, out=None):
    """``log(exp(input) + exp(other))`` computed without overflow, elementwise with broadcasting.
    Example: ``logaddexp(tensor(0.), tensor(0.))`` is ``log(2)``.
    """
    res = relabel(_log_add(_float(input), _float(other), lambda d: E.log1p(E.exp(d))),
                  "LogaddexpBackward0")
    return out.copy_(res) if out is not None else res


@tensor_method("logaddexp2")
def logaddexp2(input, other, *, out=None):
    """``log2(2**input + 2**other)`` computed without overflow, elementwise with broadcasting."""
    res = relabel(_log_add(_float(input), _float(other),
                           lambda d: E.log1p(E.exp2(d)) / math.log(2)), "Logaddexp2Backward0")
    return out.copy_(res) if out is not None else res


def _float(t):
    if not isinstance(t, Tensor):
        return C.tensor(t)
    return t if t.dtype.is_floating_point or t.is_complex() else t.to(D.get_default_dtype())


@tensor_method("logcumsumexp")
def logcumsumexp(input, dim, *, out=None):
    """``log(cumsum(exp(input), dim))`` computed stably (shifted by the running maximum)."""
    x = _float(input)
    if x.numel() == 0:
        return relabel(x.clone(), "LogcumsumexpBackward0")
    m = R.amax(CX.real(x).detach(), dim=dim, keepdim=True)
    m = Q.where(Q.isinf(m), C.zeros_like(m), m)
    res = relabel(E.log(R.cumsum(E.exp(x - m), dim)) + m, "LogcumsumexpBackward0")
    return out.copy_(res) if out is not None else res


# -- builders ---------------------------------------------------------------------------
def block_diag(*tensors):
    """A 2-D tensor with ``tensors`` (0-d, 1-d or 2-d) on its diagonal and zeros elsewhere.
    Example: ``block_diag(ones(2, 2), tensor([[5]]))`` has shape (3, 3).
    """
    mats = []
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t.dim()} dimensions")
        mats.append(t.reshape(1, -1) if t.dim() < 2 else t)
    if not mats:
        return C.empty(1, 0)
    dt = mats[0].dtype
    for t in mats[1:]:
        dt = promote_types(dt, t.dtype)
    width = sum(t.shape[1] for t in mats)
    rows, left = [], 0
    for t in mats:
        r, c = t.shape
        rows.append(SC.cat([C.zeros(r, left, dtype=dt, device=t.device), t.to(dt),
                            C.zeros(r, width - left - c, dtype=dt, device=t.device)], 1))
        left += c
    return relabel(SC.cat(rows, 0), "BlockDiagBackward0")


def cartesian_prod(*tensors):
    """All tuples taking one element from each 1-D tensor, as rows of a (N, len(tensors))
    tensor (a single tensor is returned as is).  Example: ``cartesian_prod(a, b)``.
    """
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = SC.meshgrid(*tensors, indexing="ij")
    return SC.stack([g.reshape(-1) for g in grids], 1)


def combinations(input, r=2, with_replacement=False):
    """All length-``r`` combinations of the elements of the 1-D ``input`` (as
    ``itertools.combinations``), as rows of a (N, r) tensor."""
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return C.empty(0, dtype=input.dtype, device=input.device)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = list(pick(range(input.shape[0]), r))
    if not idx:
        return C.empty(0, r, dtype=input.dtype, device=input.device)
    index = C.tensor(np.array(idx, dtype=np.int64).reshape(-1), device=input.device)
    # torch stacks one gather per position; ember gathers once
    return relabel(input.index_select(0, index).reshape(len(idx), r), "StackBackward0")


def _tri_indices(which, row, col, offset, dtype, device):
    mask = which(np.ones((row, col), dtype=bool), offset)
    return C._finish(np.stack(np.nonzero(mask)).astype(as_dtype(dtype).np), device, False)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Row and column indices (a 2 x N tensor) of the lower triangle of a ``row`` x ``col``
    matrix, diagonal ``offset`` included, in row-major order."""
    return _tri_indices(np.tril, row, col, offset, dtype or D.int64, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Row and column indices (a 2 x N tensor) of the upper triangle of a ``row`` x ``col``
    matrix, diagonal ``offset`` included, in row-major order."""
    return _tri_indices(np.triu, row, col, offset, dtype or D.int64, device)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D ``x``: columns ``x**(N-1), ..., x**0`` (reversed
    when ``increasing``); ``N`` defaults to ``len(x)``."""
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(D.int64)
    if n == 0:
        return C.empty(x.shape[0], 0, dtype=x.dtype)
    cols = SC.cat([C.ones(x.shape[0], 1, dtype=x.dtype, device=x.device),
                   x.unsqueeze(1).expand(-1, n - 1)], 1)
    res = R.cumprod(cols, 1)
    return res if increasing else res.flip(1)


# -- integer and floating-point bit maths -----------------------------------------------
def _raw_binary(name, npfn, ints_only=False):
    def fn(input, other, *, out=None):
        a = input._data
        xp = get_xp(a)
        b = other._data if isinstance(other, Tensor) else xp.asarray(other, dtype=a.dtype)
        if ints_only and not (np.issubdtype(a.dtype, np.integer) and
                              np.issubdtype(b.dtype, np.integer)):
            bad = input if not np.issubdtype(a.dtype, np.integer) else other
            raise RuntimeError(f'"{name}_cpu" not implemented for \'{_dtype_name(bad)}\'')
        res = _wrap(xp.asarray(npfn(a, b)).astype(np.result_type(a.dtype, b.dtype)))
        return out.copy_(res) if out is not None else res
    fn.__name__ = name
    setattr(Tensor, name, fn)
    _inplace(name + "_", fn)
    return fn


gcd = _raw_binary("gcd", np.gcd, ints_only=True)
gcd.__doc__ = """Elementwise greatest common divisor of integer tensors (``gcd(0, 0) = 0``)."""
lcm = _raw_binary("lcm", np.lcm, ints_only=True)
lcm.__doc__ = """Elementwise least common multiple of integer tensors."""
nextafter = _raw_binary("nextafter", np.nextafter)
nextafter.__doc__ = """The next floating-point value after ``input`` towards ``other``."""


@tensor_method("heaviside")
def heaviside(input, values, *, out=None):
    """The Heaviside step: 0 where ``input < 0``, 1 where ``input > 0`` and ``values`` where
    ``input == 0`` (broadcast).  ``input`` and ``values`` must share a dtype."""
    if input.dtype != values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    a, v = input._data, values._data
    res = _wrap(np.where(a == 0, v, (a > 0)).astype(a.dtype))
    return out.copy_(res) if out is not None else res


_inplace("heaviside_", heaviside)


@tensor_method("ldexp")
def ldexp(input, other, *, out=None):
    """``input * 2**other`` elementwise, in floating point."""
    res = relabel(_float(input) * E.pow(2.0, other), "LdexpBackward0")
    return out.copy_(res) if out is not None else res


_inplace("ldexp_", ldexp)


@tensor_method("frexp")
def frexp(input, *, out=None):
    """Split floats into ``mantissa`` in [0.5, 1) and int32 ``exponent`` with
    ``input = mantissa * 2**exponent``; returns the named pair ``(mantissa, exponent)``."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(input._data)
    res = frexp_result(_wrap(m.astype(input._data.dtype)), _wrap(e.astype(np.int32)))
    if out is not None:
        out[0].copy_(res.mantissa), out[1].copy_(res.exponent)
        return frexp_result(*out)
    return res


# -- integration -------------------------------------------------------------------------
def _pair_sums(y, dim):
    n = y.shape[dim]
    return y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)


def _trapz_terms(y, x, dx, dim):
    if y.dtype == D.bool:
        raise RuntimeError("trapezoid: received a bool input for `y`, but bool is not supported")
    dim = _wrap_dim(dim, y.dim())
    if y.shape[dim] == 0:
        return None, dim
    s = _pair_sums(_float(y), dim)
    if x is None:
        return s * ((1.0 if dx is None else dx) / 2), dim
    if isinstance(x, Tensor):
        steps = diff(x, dim=-1 if x.dim() == 1 else dim)
        if x.dim() == 1:
            steps = steps.reshape([-1] + [1] * (y.dim() - 1 - dim))
        return s * steps / 2, dim
    return s * (x / 2), dim


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """Integrate ``y`` along ``dim`` by the trapezoidal rule, with sample points ``x`` (a
    tensor, or a scalar spacing) or constant spacing ``dx`` (default 1)."""
    terms, dim = _trapz_terms(y, x, dx, dim)
    if terms is None:
        return R.sum(_float(y), dim)
    # torch sums first and scales last: by the steps then halves (tensor x), else by a number
    return relabel(R.sum(terms, dim), "DivBackward1" if isinstance(x, Tensor) else "MulBackward1")


def trapz(y, x=None, *, dx=None, dim=-1):
    """The older name of ``trapezoid``."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoidal integral of ``y`` along ``dim`` (one element shorter)."""
    terms, dim = _trapz_terms(y, x, dx, dim)
    if terms is None:
        return _float(y).clone()
    return R.cumsum(terms, dim)


# -- renorm and the unsafe splits --------------------------------------------------------
@tensor_method("renorm")
def renorm(input, p, dim, maxnorm):
    """Rescale each slice ``input.select(dim, i)`` whose ``p``-norm exceeds ``maxnorm`` to
    norm ``maxnorm`` (slices within the bound are unchanged)."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    dim = _wrap_dim(dim, input.dim())
    others = [d for d in range(input.dim()) if d != dim]
    norms = input.norm(p=p, dim=others, keepdim=True) if others else E.abs(input)
    scale = Q.where(norms > maxnorm, maxnorm / (norms + 1e-7), C.ones_like(norms))
    return relabel(input * scale, "RenormBackward0")


_inplace("renorm_", renorm)
_inplace("addbmm_", Tensor.addbmm, "AddbmmBackward0")
_inplace("addr_", Tensor.addr, "AddrBackward0")


def unsafe_split(tensor, split_size_or_sections, dim=0):
    """``split`` without view tracking in torch; here the same as ``split``."""
    return relabel(tensor.split(split_size_or_sections, dim), "UnsafeSplitBackward0")


def unsafe_chunk(input, chunks, dim=0):
    """``chunk`` without view tracking in torch; here the same as ``chunk``."""
    return relabel(input.chunk(chunks, dim), "UnsafeSplitBackward0")


Tensor.unsafe_split = unsafe_split
Tensor.unsafe_chunk = unsafe_chunk


# -- Tensor-only helpers ------------------------------------------------------------------
@tensor_method("sum_to_size")
def sum_to_size(self, *size):
    """Sum ``self`` down to ``size`` (a shape ``self`` broadcasts from), as autograd does for
    broadcast inputs.  Example: ``ones(2, 3).sum_to_size(1, 3)`` is ``[[2., 2., 2.]]``."""
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != d for s, d in zip(size, shape[lead:])):
        raise RuntimeError(f"size {{{', '.join(map(str, size))}}} is not expandable to size "
                           f"{{{', '.join(map(str, shape))}}}.")
    # as torch: one sum over the leading and the broadcast dims, then a view without the leading
    dims = tuple(range(lead)) + tuple(lead + i for i, (s, d) in enumerate(zip(size, shape[lead:]))
                                      if s == 1 and d != 1)
    out = R.sum(self, dims, keepdim=True) if dims else self
    return out.view(size) if lead else out


@tensor_method("fill_diagonal_")
def fill_diagonal_(self, fill_value, wrap=False):
    """Write ``fill_value`` on the main diagonal of ``self`` (2-D, or n-D with equal dims) in
    place; ``wrap`` restarts the diagonal every ``cols + 1`` rows of a tall matrix."""
    n = self.dim()
    if n < 2:
        raise RuntimeError("dimensions must larger than 1")
    if n > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    rows, cols = self.shape[0], self.shape[1]
    if n == 2 and wrap and rows > cols + 1:
        flat = np.arange(0, rows * cols, cols + 1)
        idx = (flat // cols, flat % cols)
    else:
        k = np.arange(min(self.shape))
        idx = (k,) * n
    self[tuple(C.tensor(i.astype(np.int64)) for i in idx)] = fill_value
    return relabel(self, "torch::autograd::CopySlices")   # torch fills a diagonal view


@tensor_method("adjoint")
def adjoint(input):
    """The conjugate transpose of the last two dims, as a view (``input.mH``)."""
    return input.mH


@tensor_method("is_conj")
def is_conj(input):
    """Whether ``input`` carries a lazy conjugation bit: always False, as ember conjugates
    eagerly."""
    return False


@tensor_method("is_neg")
def is_neg(input):
    """Whether ``input`` carries a lazy negation bit: always False in ember."""
    return False


@tensor_method("resolve_neg")
def resolve_neg(input):
    """``input`` with any lazy negation applied: ember has none, so ``input`` itself."""
    return input


@tensor_method("is_signed")
def is_signed(self):
    """Whether ``self``'s dtype holds negative values (every dtype but bool and unsigned)."""
    return self.dtype.is_floating_point or self.dtype.is_complex or \
        np.issubdtype(self._data.dtype, np.signedinteger)


Tensor.itemsize = property(lambda self: self.element_size(),
                           doc="Bytes per element (``element_size()``).")
Tensor.nbytes = property(lambda self: self.numel() * self.element_size(),
                         doc="Bytes taken by the elements (``numel() * element_size()``).")


def _slice_view(t, dim=0, start=None, end=None, step=1):
    index = [slice(None)] * t.dim()
    index[dim] = slice(start, end, step)
    return t[tuple(index)]


def _scatter_into(view_of, doc, node):
    def fn(input, src, *args, **kwargs):
        out = input.clone()
        view_of(out, *args, **kwargs).copy_(src)
        return relabel(out, node)
    fn.__doc__ = doc
    return fn


select_scatter = _scatter_into(lambda t, dim, index: t.select(dim, index), """A copy of
``input`` with ``src`` written into ``input.select(dim, index)``; differentiable in both.""",
                               "SelectScatterBackward0")
slice_scatter = _scatter_into(_slice_view, """A copy of ``input`` with ``src`` written into the
slice ``start:end:step`` of ``dim`` (arguments ``dim=0, start=None, end=None, step=1``).""",
                              "SliceScatterBackward0")
diagonal_scatter = _scatter_into(lambda t, offset=0, dim1=0, dim2=1: t.diagonal(offset, dim1, dim2),
                                 """A copy of ``input`` with ``src`` written into its diagonal
``(offset, dim1, dim2)``, as ``diagonal`` selects it.""", "DiagonalScatterBackward0")
for _f, _n in ((select_scatter, "select_scatter"), (slice_scatter, "slice_scatter"),
               (diagonal_scatter, "diagonal_scatter")):
    _f.__name__ = _n
    setattr(Tensor, _n, _f)


def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """A copy of ``input`` (with ``input``'s strides, on fresh memory) with ``src`` written
    into the elements that ``copy.as_strided(size, stride, storage_offset)`` reaches;
    differentiable in both.

    Example: ``ember.as_strided_scatter(ember.zeros(3, 3), ember.ones(2), (2,), (4,), 1)``
    sets the elements at flat positions 1 and 5.
    """
    out = C.empty_strided(tuple(input.shape), input.stride(), dtype=input.dtype,
                          device=input.device)
    with_grad = out.copy_(input)
    view = with_grad.as_strided(size, stride, storage_offset)
    if tuple(view.shape) != tuple(src.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{list(src.shape)}, slice size = {list(view.shape)}")
    view.copy_(src)
    return with_grad


Tensor.as_strided_scatter = as_strided_scatter


def cond(pred, true_fn, false_fn, operands=()):
    """``true_fn(*operands)`` when ``pred`` (a bool or a one-element tensor) holds, else
    ``false_fn(*operands)``; gradients flow through the branch taken.  torch compiles this
    into one graph; ember runs it eagerly.

    Example: ``ember.cond(x.sum() > 0, ember.sin, ember.cos, (x,))``.
    """
    if isinstance(pred, Tensor):
        if pred.numel() != 1:
            raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got "
                               f"{pred}.")
        pred = bool(pred.item())
    elif not isinstance(pred, (bool, int)):
        raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
    if not isinstance(operands, (tuple, list)):
        raise RuntimeError(f"Expect operands to be a tuple of possibly nested dict/list/tuple "
                           f"that only consists of tensor leaves, but got {operands}.")
    return (true_fn if pred else false_fn)(*operands)


def while_loop(cond_fn, body_fn, carried_inputs):
    """Run ``carried = body_fn(*carried)`` while ``cond_fn(*carried)`` is true (a bool or a
    one-element tensor) and return the final tuple; ``carried_inputs`` is a tuple or list.
    torch compiles the loop; ember runs it eagerly.

    Example: ``ember.while_loop(lambda i: i < 3, lambda i: (i + 1,), (ember.tensor(0),))`` is
    ``(tensor(3),)``.
    """
    if not isinstance(carried_inputs, (tuple, list)):
        raise RuntimeError(f"carried_inputs must be a tuple or list, got {type(carried_inputs)}")
    carried = tuple(carried_inputs)
    while bool(cond_fn(*carried)):
        out = tuple(body_fn(*carried))
        for i, (new, old) in enumerate(zip(out, carried)):
            if isinstance(old, Tensor) and (new.dtype != old.dtype or new.shape != old.shape):
                raise UncapturedHigherOrderOpError(
                    f"Expected body_fn_output and carried_inputs to have same metadata but "
                    f"found: pair[{i}] differ in dtype or shape: {new.dtype} {tuple(new.shape)} "
                    f"vs {old.dtype} {tuple(old.shape)}")
        carried = out
    return carried


class UncapturedHigherOrderOpError(RuntimeError):
    """torch's error (its name, a RuntimeError) for a control-flow body that breaks the rules
    torch's tracer checks: here, a loop body changing a carried tensor's dtype or shape."""


def unravel_index(indices, shape):
    """Turn flat ``indices`` into a tuple of coordinate tensors for a tensor of ``shape``
    (row-major).  Example: ``unravel_index(tensor(5), (2, 3))`` is ``(tensor(1), tensor(2))``."""
    if not isinstance(indices, Tensor):
        indices = C.tensor(indices)
    if indices.dtype.is_floating_point or indices.dtype.is_complex or indices.dtype == D.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got " + str(shape))
    a = indices._data.astype(np.int64)
    size = int(np.prod(shape))
    if a.size and (a.min() < -size or a.max() >= size):
        raise RuntimeError("index out of bounds for the given shape")
    return tuple(_wrap(c.astype(np.int64)) for c in np.unravel_index(a % max(size, 1), shape))


def _copy_of(view):
    def fn(input, *args, **kwargs):
        res = _VIEW_FN[view](input, *args, **kwargs)
        if isinstance(res, (tuple, list)):
            return [_copied(r, input) for r in res]
        return _copied(res, input)
    fn.__name__ = view + "_copy"
    fn.__doc__ = (f"``input.{view}(...)`` as a new tensor (a copy, not a view); the same "
                  "arguments as the view.")
    return fn


def _copied(view, input):
    """A copy of ``view`` (made from ``input``), its grad_fn named as torch's one node: the
    view's node name with ``_copy`` (``alias`` makes no node of its own in ember)."""
    made = "AliasBackward0" if view is input else view.grad_fn and view.grad_fn.name()
    out = view.clone()
    return relabel(out, made + "_copy") if made else out


_VIEW_FN = {v: getattr(Tensor, v, None) for v in _COPY_OF_VIEW}
_VIEW_FN.update(alias=lambda t: t, slice=_slice_view, split_with_sizes=Tensor.split,
                view_as_real=CX.view_as_real, view_as_complex=CX.view_as_complex)
for _v in _COPY_OF_VIEW:
    globals()[_v + "_copy"] = _copy_of(_v)


@tensor_method("apply_")
def apply_(self, callable):
    """Replace each element ``v`` of ``self`` by ``callable(v)`` (a Python number function),
    in place.  Slow, element by element, and outside autograd, as in torch."""
    if self.requires_grad:
        raise RuntimeError("Can't call apply_() on Variable that requires grad. Use "
                           "var.detach().apply_() instead.")
    flat = [callable(v) for v in self._data.ravel().tolist()]
    self._data[...] = np.asarray(flat, dtype=self._data.dtype).reshape(self._data.shape)
    return self


@tensor_method("map_")
def map_(self, tensor, callable):
    """Replace each element ``v`` of ``self`` by ``callable(v, w)``, ``w`` the matching element
    of ``tensor`` (broadcast to ``self``), in place and outside autograd."""
    if self.requires_grad:
        raise RuntimeError("Can't call map_() on Variable that requires grad. Use "
                           "var.detach().map_() instead.")
    other = np.broadcast_to(tensor._data, self._data.shape)
    flat = [callable(v, w) for v, w in zip(self._data.ravel().tolist(), other.ravel().tolist())]
    self._data[...] = np.asarray(flat, dtype=self._data.dtype).reshape(self._data.shape)
    return self


_warn_always = [False]


def set_warn_always(b):
    """Make warnings that torch gives once per process be given every time (``b=True``)."""
    _warn_always[0] = bool(b)


def is_warn_always_enabled():
    """Whether ``set_warn_always(True)`` is in effect."""
    return _warn_always[0]
