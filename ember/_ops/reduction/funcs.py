"""Reductions, statistics, cumulative ops, sorting and searching: the public
functions and their Tensor methods, with ``out=`` where torch has it.

Dims follow torch: ``dim`` is an int, a tuple/list, or None (every dim); a
0-d tensor accepts dim 0 and -1; NumPy's ``axis=``/``keepdims=`` spellings
work too.  Functions that return values and indices return named tuples
like ``torch.return_types.max`` (see ``return_type``).
"""
import functools
import math
import operator
import types
import warnings
from collections import namedtuple

from ..._tensor import Tensor, _wrap, _wrap_dim, tensor_method
from ..._dtype import as_dtype
from . import ops as R, sorting as S
from ..base import get_xp, relabel
from ..common import handle_out, float_input
from ..elementwise import funcs as elementwise
from ..inplace import apply_inplace

__all__ = ["sum", "mean", "prod", "nansum", "nanmean", "max", "min", "amax", "amin", "aminmax",
           "argmax", "argmin", "std", "var", "std_mean", "var_mean", "logsumexp",
           "cumsum", "cumprod", "cummax", "cummin", "all", "any", "count_nonzero", "median",
           "nanmedian", "mode", "quantile", "nanquantile", "sort", "argsort", "msort", "topk",
           "kthvalue", "unique", "unique_consecutive", "searchsorted", "bucketize", "bincount"]


# -- shared argument handling -----------------------------------------------------
def _public(*names):
    """Attach as Tensor methods ``names``, accepting NumPy's ``axis``/``keepdims`` as torch does."""
    def deco(fn):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            if kwargs and ("axis" in kwargs or "keepdims" in kwargs):
                if "axis" in kwargs:
                    kwargs["dim"] = kwargs.pop("axis")
                if "keepdims" in kwargs:
                    kwargs["keepdim"] = kwargs.pop("keepdims")
            return fn(*args, **kwargs)
        return tensor_method(*names)(call) if names else call
    return deco


def _axes(input, dim):
    """The dims to reduce, normalised: all of them for None or (); () for a 0-d input."""
    ndim = input._data.ndim
    if dim is None:
        return tuple(range(ndim))
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims:
        return tuple(range(ndim))
    axes = tuple(_wrap_dim(operator.index(d), ndim) for d in dims)
    if len(set(axes)) != len(axes):
        twice = next(a for a in axes if axes.count(a) > 1)
        raise RuntimeError(f"dim {twice} appears multiple times in the list of dims")
    return axes if ndim else ()


def _axis(input, dim):
    """One normalised dim (0 for a 0-d input, which ops treat as shape (1,))."""
    if not isinstance(dim, int) and hasattr(dim, "__index__"):
        dim = operator.index(dim)
    if not isinstance(dim, int):
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")
    return _wrap_dim(dim, input._data.ndim)


def _define(name, fn):
    """Name ``fn`` (made by one of the family factories below) and attach it as a Tensor method."""
    fn.__name__ = fn.__qualname__ = name
    return _public(name)(fn)


def _check_identity(input, axes, name, everything=False):
    """torch's errors for a reduction without identity (max, median...) over nothing."""
    if everything:
        if input._data.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        return
    shape = input._data.shape
    for ax in axes if shape else ():
        if shape[ax] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {ax} to have non-zero size.")


def _type_name(t):
    return t.dtype._tensor_type[:-6]


def _require_float(input, message):
    if input._data.dtype.kind not in "fc":
        raise RuntimeError(message.format(_type_name(input)))


def _cast(input, dtype):
    """``input`` in ``dtype`` (differentiably), or unchanged when no dtype is asked for."""
    if dtype is None:
        return input
    dtype = as_dtype(dtype)
    return input if input.dtype is dtype else input.to(dtype)


def _int_sum_dtype(x):
    """torch sums integers and bools to int64."""
    return "int64" if x._data.dtype.kind in "iub" else None


return_types = types.SimpleNamespace()


def return_type(name, fields=("values", "indices")):
    """The named tuple class ``torch.return_types.<name>`` has (made once, kept in ``return_types``,
    where pickle finds it)."""
    cls = getattr(return_types, name, None)
    if cls is None:
        cls = namedtuple(name, fields)
        cls.__module__ = __name__
        cls.__qualname__ = "return_types." + name
        cls.__repr__ = _return_repr
        setattr(return_types, name, cls)
    return cls


def _return_repr(self):
    body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
    return f"ember.return_types.{type(self).__name__}(\n{body})"


def _result(name, values, indices, out):
    res = (values, indices) if out is None else handle_out((values, indices), out, name)
    return return_type(name)(*res)


def _gathered(name, input, idx, axis, keepdim, out=None, repeats=False):
    """``name``'s (values, indices) from keepdim indices ``idx`` along ``axis``."""
    if input._data.ndim == 0:
        shape = ()
    elif keepdim:
        shape = idx.shape
    else:
        shape = idx.shape[:axis] + idx.shape[axis + 1:]
    op = S.TakeAlong(idx, axis, shape, repeats, _label(name))
    if name in ("median", "nanmedian"):
        op.overload = 1  # torch's dim= overload of these
    values = op(input)
    return _result(name, values, _wrap(idx.reshape(shape)), out)


def _label(name):
    """torch's grad_fn name stem for ``name`` (kthvalue -> Kthvalue)."""
    return name.capitalize()


def _work(input):
    """The input's array, a 0-d one as shape (1,) (what single-axis ops work on)."""
    a = input._data
    return a.reshape(1) if a.ndim == 0 else a


# -- sums and means ---------------------------------------------------------------
@_public("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    if out is not None:
        _out_needs_dim("sum", dim, out)
    x = input if dtype is None else _cast(input, dtype)
    op = R.Sum(_axes(x, dim), keepdim, _int_sum_dtype(x)).named(overload=int(dim is not None))
    res = op(x)
    return res if out is None else handle_out(res, out, "sum")


@_public("nansum")
def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    x = _cast(input, dtype)
    op = R.Sum(_axes(x, dim), keepdim, _int_sum_dtype(x), skip_nan=x._data.dtype.kind == "f")
    op.label = "Nansum"
    return handle_out(op(x), out, "nansum")


@_public("mean")
def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    x = _cast(input, dtype)
    _require_float(x, "mean(): could not infer output dtype. Input dtype must be either a floating "
                      "point or complex dtype. Got: {}")
    return handle_out(R.Mean(_axes(x, dim), keepdim).named(overload=int(dim is not None))(x), out,
                      "mean")


@_public("nanmean")
def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    x = _cast(input, dtype)
    _require_float(x, "nanmean(): expected input to have floating point or complex dtype but "
                      "got {}")
    op = R.Mean(_axes(x, dim), keepdim, skip_nan=True).named("Div")  # torch: nansum / count
    return handle_out(op(x), out, "nanmean")


_ALL = object()  # no dim given (torch's prod and logsumexp reject an explicit None)


def _reject_none(name, dim):
    if dim is None:
        raise TypeError(f"{name}(): argument 'dim' must be an int, not NoneType")


def _out_needs_dim(name, dim, out):
    """TypeError, as torch's signatures give, for ``out=`` on a whole-tensor reduction."""
    if out is not None and dim is None:
        raise TypeError(f"{name}(): out= needs a dim; {name}(input) over all elements takes no "
                        "out=")


@_public("prod")
def prod(input, dim=_ALL, keepdim=False, *, dtype=None, out=None):
    """Product of all elements, or over the int ``dim`` (with ``keepdim``).

    >>> ember.tensor([[1., 2.], [3., 4.]]).prod(1).tolist()
    [2.0, 12.0]
    """
    _reject_none("prod", dim)
    _out_needs_dim("prod", None if dim is _ALL else dim, out)
    x = _cast(input, dtype)
    op = R.Prod(_axes(x, None if dim is _ALL else dim), keepdim, _int_sum_dtype(x))
    return handle_out(op.named(overload=int(dim is not _ALL))(x), out, "prod")


# -- extremes -----------------------------------------------------------------------
def _pairwise(input, other, largest, out):
    """max(a, b) is maximum(a, b), which the elementwise family defines."""
    return (elementwise.maximum if largest else elementwise.minimum)(input, other, out=out)


def _extreme(name, largest):
    """torch.max / torch.min: of everything, along a dim (values, indices), or of two tensors."""
    def extreme(input, dim=None, keepdim=False, *, other=None, out=None):
        if isinstance(dim, Tensor) or other is not None:
            return _pairwise(input, dim if other is None else other, largest, out)
        if dim is None:
            _check_identity(input, (), name, everything=True)
            pick = "amax" if largest else "amin"
            op = R.Selected(lambda a: getattr(get_xp(a), pick)(a), tuple(range(input.ndim)),
                            nan_ties=True, label=_label(name)).named(overload=1)
            return handle_out(op(input), out, name)
        axis = _axis(input, dim)
        _check_identity(input, (axis,), name)
        a = _work(input)
        idx = (get_xp(a).argmax if largest else get_xp(a).argmin)(a, axis=axis, keepdims=True)
        return _gathered(name, input, idx, axis, keepdim, out)
    return extreme


max = _define("max", _extreme("max", True))
min = _define("min", _extreme("min", False))


def _reduce_extreme(name, label=None):
    """torch.amax / torch.amin over ``dim`` (all dims by default); ties share the gradient.
    ``label``: the grad_fn name stem when another function (aminmax) uses this one."""
    def reduce(input, dim=(), keepdim=False, *, out=None):
        axes = _axes(input, dim)
        _check_identity(input, axes, name, everything=dim is None or dim == ())
        xp = get_xp(input._data)
        fn = getattr(xp, name)
        op = R.Selected(lambda a: fn(a, axis=axes, keepdims=keepdim), axes, keepdim,
                        label=label or _label(name))
        return handle_out(op(input), out, name)
    return reduce


amax = _define("amax", _reduce_extreme("amax"))
amin = _define("amin", _reduce_extreme("amin"))


@_public("aminmax")
def aminmax(input, *, dim=None, keepdim=False, out=None):
    """(min, max) of all elements, or over the int ``dim``; ties share the gradient.

    >>> ember.aminmax(ember.tensor([[1., 5.], [3., 2.]]), dim=1)
    ember.return_types.aminmax(
    min=tensor([1., 2.]),
    max=tensor([5., 3.]))
    """
    if input.dtype.is_complex:
        raise NotImplementedError(f'"aminmax_cpu" not implemented for \'{_type_name(input)}\'')
    if dim is not None:
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
        axis = _axis(input, dim)
        if input._data.ndim and input.shape[axis] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {axis} to have non-zero size.")
    elif input._data.size == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    axes = () if dim is None else (dim,)
    lo, hi = (_reduce_extreme(name, "Aminmax")(input, axes, keepdim) for name in ("amin", "amax"))
    res = (lo, hi) if out is None else handle_out((lo, hi), out, "aminmax")
    return return_type("aminmax", ("min", "max"))(*res)


def _arg_extreme(name, largest):
    """torch.argmax / torch.argmin: int64 indices; no dim means the flattened input."""
    def arg(input, dim=None, keepdim=False, *, out=None):
        a = input._data
        if a.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input")
        xp = get_xp(a)
        fn = xp.argmax if largest else xp.argmin
        if dim is None:
            if a.size == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 "input.numel() == 0.")
            res = fn(a.reshape(-1))
            res = res.reshape((1,) * a.ndim) if keepdim else res
        else:
            axis = _axis(input, dim)
            _check_identity(input, (axis,), name)
            res = fn(_work(input), axis=axis, keepdims=keepdim)
            res = res.reshape(()) if a.ndim == 0 else res
        return handle_out(_wrap(xp.asarray(res, dtype="int64")), out, name)
    return arg


argmax = _define("argmax", _arg_extreme("argmax", True))
argmin = _define("argmin", _arg_extreme("argmin", False))


# -- statistics -----------------------------------------------------------------------
def _var_op(input, dim, unbiased, keepdim, correction, std):
    """The Var op for torch's std/var overloads: (dim, unbiased, keepdim), (dim, *, correction),
    and (unbiased) alone."""
    name = "std" if std else "var"
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): give either unbiased or correction, not both")
    if correction is None:
        correction = 0 if unbiased is False else 1
    if input._data.dtype.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    axes = _axes(input, dim)
    n = math.prod(input._data.shape[i] for i in axes)
    if n - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel).",
                      stacklevel=3)
    return R.Var(axes, correction, keepdim, std, full=dim is None or not input._data.ndim), axes


@_public("var")
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    op, _ = _var_op(input, dim, unbiased, keepdim, correction, False)
    return handle_out(op(input), out, "var")


@_public("std")
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    op, _ = _var_op(input, dim, unbiased, keepdim, correction, True)
    return handle_out(op(input), out, "std")


@_public()
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    op, axes = _var_op(input, dim, unbiased, keepdim, correction, False)
    return op.named("VarMean")(input), R.RunningMean(axes, keepdim).named("VarMean")(input)


@_public()
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    op, axes = _var_op(input, dim, unbiased, keepdim, correction, True)
    return op.named("StdMean")(input), R.RunningMean(axes, keepdim).named("StdMean")(input)


@_public("logsumexp")
def logsumexp(input, dim, keepdim=False, *, out=None):
    """log(sum(exp(input))) over ``dim`` (an int or a tuple), computed without overflow.

    >>> ember.logsumexp(ember.zeros(2, 2), 1).tolist()  # log(2)
    [0.6931471824645996, 0.6931471824645996]
    """
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
    x = float_input(input)
    return handle_out(R.LogSumExp(_axes(x, dim), keepdim)(x), out, "logsumexp")


# -- cumulative ops ---------------------------------------------------------------------
@_public("cumsum")
def cumsum(input, dim, *, dtype=None, out=None):
    x = _cast(input, dtype)
    return handle_out(R.Cumsum(_axis(x, dim), _int_sum_dtype(x))(x), out, "cumsum")


@_public("cumprod")
def cumprod(input, dim, *, dtype=None, out=None):
    x = _cast(input, dtype)
    return handle_out(R.Cumprod(_axis(x, dim), _int_sum_dtype(x))(x), out, "cumprod")


@tensor_method("cumsum_")
def cumsum_(self, dim):
    return apply_inplace(self, R.Cumsum(_axis(self, dim)))


@tensor_method("cumprod_")
def cumprod_(self, dim):
    return apply_inplace(self, R.Cumprod(_axis(self, dim)))


def _cum_extreme(name, largest):
    """torch.cummax / torch.cummin: running values and the index each came from."""
    def cum(input, dim, *, out=None):
        axis = _axis(input, dim)
        _, idx = S.cum_extreme(_work(input), axis, largest)
        return _gathered(name, input, idx, axis, True, out, repeats=True)
    return cum


cummax = _define("cummax", _cum_extreme("cummax", True))
cummin = _define("cummin", _cum_extreme("cummin", False))


# -- logical reductions and counting ---------------------------------------------------------
def _logical(name):
    """torch.all / torch.any: bool results (uint8 for uint8 input, as torch keeps)."""
    def reduce(input, dim=None, keepdim=False, *, out=None):
        a = input._data
        # unlike the other reductions, an empty dim list reduces nothing here
        axes = () if isinstance(dim, (tuple, list)) and not dim else _axes(input, dim)
        res = getattr(a, name)(axis=axes, keepdims=keepdim)
        res = get_xp(a).asarray(res, dtype="uint8" if a.dtype.char == "B" else bool)
        return handle_out(_wrap(res), out, name)
    return reduce


all = _define("all", _logical("all"))
any = _define("any", _logical("any"))


@_public("count_nonzero")
def count_nonzero(input, dim=None):
    a = input._data
    return _wrap(get_xp(a).asarray((a != 0).sum(axis=_axes(input, dim), dtype="int64")))


@tensor_method("bincount")
def bincount(input, weights=None, minlength=0):
    """How often each value ``0..max(input)`` occurs in the 1-D non-negative integer ``input``
    (``weights``: sum these instead of counting ones). The result has ``max(max(input) + 1,
    minlength)`` entries: int64 counts, or sums in float64 for integer weights and in the
    weights' dtype for floating ones. Not differentiable.

    Example::

        >>> ember.bincount(ember.tensor([0, 1, 1, 3]))
        tensor([1, 2, 0, 1])
    """
    a = input._data
    if a.dtype.kind == "f":
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{_type_name(input)}\'')
    if a.ndim != 1 or a.dtype.kind not in "iub" or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    xp = get_xp(a)
    if weights is None:
        return _wrap(xp.bincount(a, minlength=minlength).astype("int64"))
    w = weights._data
    if w.ndim != 1 or w.shape[0] != a.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dtype = w.dtype if w.dtype.kind == "f" else xp.dtype("float64")
    return _wrap(xp.bincount(a, weights=w, minlength=minlength).astype(dtype))


# -- order statistics --------------------------------------------------------------------------
def _median_value(ignore_nan):
    """The lower median of all elements (NaN if any, unless ``ignore_nan``)."""
    def pick(a):
        flat = a.reshape(-1)
        if flat.size == 0:
            return get_xp(a).full((), float("nan"), a.dtype)
        return flat[S.pick_sorted(flat, 0, S.median_rank(flat, 0, ignore_nan))].reshape(())
    return pick


def _median(name, ignore_nan):
    """torch.median / torch.nanmedian: the lower median; with ``dim``, (values, indices)."""
    def median(input, dim=None, keepdim=False, *, out=None):
        a = input._data
        if dim is None:
            _out_needs_dim(name, dim, out)
            op = R.Selected(_median_value(ignore_nan), tuple(range(a.ndim)), nan_ties=True,
                            label=_label(name))
            return handle_out(op(input), out, name)
        axis = _axis(input, dim)
        _check_identity(input, (axis,), name)
        w = _work(input)
        idx = S.pick_sorted(w, axis, S.median_rank(w, axis, ignore_nan))
        return _gathered(name, input, idx, axis, keepdim, out)
    return median


median = _define("median", _median("median", False))
nanmedian = _define("nanmedian", _median("nanmedian", True))


@_public("mode")
def mode(input, dim=-1, keepdim=False, *, out=None):
    axis = _axis(input, dim)
    _check_identity(input, (axis,), "mode")
    return _gathered("mode", input, S.mode_indices(_work(input), axis), axis, keepdim, out)


@_public("kthvalue")
def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    axis = _axis(input, dim)
    w = _work(input)
    _check_identity(input, (axis,), "kthvalue")
    if not 1 <= k <= w.shape[axis]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis} "
                           f"(k={k}, size {w.shape[axis]})")
    return _gathered("kthvalue", input, S.pick_sorted(w, axis, k - 1), axis, keepdim, out)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(name, ignore_nan):
    """torch.quantile / torch.nanquantile: interpolated between the two nearest order
    statistics (NaN where a slice has one, unless ignored); a 1-D ``q`` adds a leading dim."""
    def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
        xp = get_xp(input._data)
        qa = _check_quantile(name, input, q, interpolation)
        if dim is None:
            a, axis = input._data.reshape(-1), 0
            out_shape = (1,) * input.ndim if keepdim else ()
        else:
            a, axis = _work(input), _axis(input, dim)
            out_shape = _reduced_shape(input._data.shape, (axis,) if input.ndim else (), keepdim)
        n = a.shape[axis]
        valid = (~xp.isnan(a)).sum(axis=axis, keepdims=True)
        qs = qa.reshape((-1,) + (1,) * a.ndim)
        if ignore_nan:
            rank = xp.maximum(qs * (valid - 1), 0)
        else:
            rank = xp.where(valid < n, n - 1, qs * (n - 1))
        lo, hi = xp.floor(rank), xp.ceil(rank)
        if interpolation == "nearest":
            lo = xp.round(rank)  # half to even, as torch
        elif interpolation == "higher":
            lo = hi
        # where each rank of each slice sits in the flattened input
        flat_pos = xp.arange(a.size).reshape(a.shape)
        sorted_pos = xp.take_along_axis(flat_pos, S.argsort(a, axis), axis)
        sorted_pos = xp.broadcast_to(sorted_pos, (qs.shape[0],) + a.shape)
        shape = ((qa.size,) if qa.ndim else ()) + out_shape

        def at(r):
            """The input's values of rank ``r`` (shaped (len(q), *kept dims)), differentiably."""
            pos = xp.take_along_axis(sorted_pos, r.astype("int64"), axis + 1)
            return S.TakeAlong(pos.reshape(-1), None, shape, repeats=True, label="Quantile")(input)

        low = at(lo)
        if interpolation in ("lower", "higher", "nearest"):
            res = low
        else:
            weight = xp.full(rank.shape, 0.5, a.dtype) if interpolation == "midpoint" else rank - lo
            res = low + (at(hi) - low) * _wrap(weight.astype(a.dtype).reshape(shape))
        return handle_out(relabel(res, "SqueezeBackward4"), out, name)   # torch's last: squeeze_
    return quantile


def _check_quantile(name, input, q, interpolation):
    """torch's argument errors for quantile; returns q as an array of the input's dtype."""
    a = input._data
    if a.dtype.kind != "f" or a.dtype.char == "e":
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor) and q._data.dtype != a.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    qa = get_xp(a).asarray(q._data if isinstance(q, Tensor) else q, dtype=a.dtype)
    if qa.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    bad = qa[(qa < 0) | (qa > 1)]
    if bad.size:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {float(bad[0])}")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if a.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    return qa


def _reduced_shape(shape, axes, keepdim):
    if keepdim:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


quantile = _define("quantile", _quantile("quantile", False))
nanquantile = _define("nanquantile", _quantile("nanquantile", True))


# -- sorting and searching ----------------------------------------------------------------------
@_public("sort")
def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    axis = _axis(input, dim)
    return _gathered("sort", input, S.argsort(_work(input), axis, descending), axis, True, out)


@_public("argsort")
def argsort(input, dim=-1, descending=False, stable=False):
    order = S.argsort(_work(input), _axis(input, dim), descending)
    return _wrap(order.reshape(input._data.shape))


@_public("msort")
def msort(input, *, out=None):
    return handle_out(sort(input, 0).values, out, "msort")


@_public("topk")
def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    if input._data.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    axis = _axis(input, dim)
    w = _work(input)
    if not 0 <= k <= w.shape[axis]:
        raise RuntimeError(f"selected index k out of range (k={k}, dim {axis} has size "
                           f"{w.shape[axis]})")
    return _gathered("topk", input, S.topk_indices(w, k, axis, largest), axis, True, out)


@_public("unique")
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    axis = None if dim is None else _axis(input, dim)
    return _unique_result(S.Unique(axis)(input), return_inverse, return_counts)


@_public("unique_consecutive")
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    axis = None if dim is None else _axis(input, dim)
    return _unique_result(S.Unique(axis, consecutive=True)(input), return_inverse, return_counts)


def _unique_result(outputs, return_inverse, return_counts):
    values, inverse, counts = outputs
    res = (values,) + ((inverse,) if return_inverse else ()) + ((counts,) if return_counts else ())
    return res[0] if len(res) == 1 else res


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, out=None,
                 sorter=None):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got "
                               f"{side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    seq = sorted_sequence._data
    xp = get_xp(seq)
    if sorter is not None:
        seq = xp.take_along_axis(seq, sorter._data, axis=-1)
    values = input._data if isinstance(input, Tensor) else xp.asarray(input)
    if seq.ndim > 1 and seq.shape[:-1] != values.shape[:-1]:
        if values.ndim == 0:
            raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                               f"boundaries tensor dimension is 1, but we got boundaries tensor "
                               f"dim({seq.ndim}) and input value's dim(0) numel(1)")
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           "first N-1 dimensions of boundaries tensor and input value tensor must "
                           f"match, but we got boundaries tensor {list(seq.shape)} and input "
                           f"value tensor {list(values.shape)}")
    res = S.searchsorted(seq, values, right)
    res = xp.asarray(res, dtype="int32" if out_int32 else "int64")
    return handle_out(_wrap(res), out, "searchsorted")


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)

