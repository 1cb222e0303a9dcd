"""Indexing: ``x[key]``, ``x[key] = v``, gather/scatter, index_*, masked_*, nonzero, take, put.

A torch index is read the way torch reads it (``parse_key``): ints, slices
and None are applied first as a view -- so ``x[0, :, [0, 1]]`` puts the list's
dim where torch puts it, not where NumPy would -- and index tensors, lists and
masks then pick from that view (a copy).  Every function here turns its
arguments into a ``Key`` and runs one op of ``_ops.indexing``.
"""
import operator
from math import prod

import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap, _wrap_dim
from ..base import get_xp
from .ops import (Key, Index, IndexPut, IndexReduce, ScatterReduce, MaskedFill,
                  MaskedScatter)
from ...autograd import grad_mode
from ..common import handle_out, broadcast_shape
from ..inplace import apply_inplace
from ...autograd.views import as_view, check_marked_view

__all__ = ["gather", "scatter", "scatter_add", "scatter_reduce", "index_select", "index_add",
           "index_copy", "index_fill", "index_put", "masked_fill", "masked_select",
           "masked_scatter", "nonzero", "argwhere", "take", "take_along_dim", "put",
           "index_reduce", "nonzero_static"]

_SL = slice(None)
_INT, _SLICE, _NONE, _ELLIPSIS, _BOOL, _ARRAY, _MASK = range(7)
_INT32_64 = (np.dtype(np.int32), np.dtype(np.int64))
_INT64 = (np.dtype(np.int64),)
_ZERO_DIM_INT = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                 "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number. A 0-dim "
                 "tensor holds one value (a loss, a sum): old code's `loss.data[0]` is "
                 "`loss.item()` since PyTorch 0.4")


# -- reading a torch key ---------------------------------------------------------------------
def parse_key(key, arr):
    """torch's meaning of ``key`` on ``arr``: a ``Key``, the grad_fn's name, and whether the key
    holds index tensors, lists or masks (then it copies, and ``x[key] = v`` needs v's dtype)."""
    shape = arr.shape
    fast = _basic_key(key, shape)
    if fast is not None:
        return fast
    xp = get_xp(arr)
    items = [_classify(item, xp) for item in _key_items(key)]
    ndim = len(shape)
    used = sum(1 if kind in (_INT, _SLICE, _ARRAY) else v.ndim if kind == _MASK else 0
               for kind, v in items)
    if used > ndim:
        if ndim == 0 and any(kind == _INT for kind, _ in items):
            raise IndexError(_ZERO_DIM_INT)
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    basic, adv = [], []
    dim, seen_ellipsis, has_adv, unique, tensors = 0, False, False, True, False
    for kind, v in items:
        if kind == _INT:
            _check_range(v, shape[dim], dim)
            basic.append(v)
            dim += 1
        elif kind == _SLICE:
            basic.append(v)
            adv.append(_SL)
            dim += 1
        elif kind == _NONE:
            basic.append(None)
            adv.append(_SL)
        elif kind == _ELLIPSIS:
            if not seen_ellipsis:  # torch lets later ellipses stand for nothing
                seen_ellipsis, n = True, ndim - used
                basic += [_SL] * n
                adv += [_SL] * n
                dim += n
        elif kind == _BOOL:  # a new dim of size 1, indexed by [0] (True) or [] (False)
            basic.append(None)
            adv.append(xp.zeros(1 if v else 0, xp.intp))
            has_adv = True
        elif kind == _ARRAY:
            _check_range(v, shape[dim], dim)
            basic.append(_SL)
            adv.append(v)
            dim += 1
            has_adv, unique, tensors = True, False, True
        else:
            _check_mask(v, shape, dim)
            basic += [_SL] * v.ndim
            adv.append(v)
            dim += v.ndim
            has_adv, tensors = True, True
    while basic and basic[-1] is _SL:
        basic.pop()
    if not has_adv:
        return Key(tuple(basic) + (Ellipsis,)), "SliceBackward0", False
    while adv[-1] is _SL:
        adv.pop()
    _check_broadcast([a.shape for a in adv if type(a) is not slice and a.dtype.kind != "b"])
    return Key(tuple(basic) + (Ellipsis,) if basic else None, tuple(adv), unique), "IndexBackward0", tensors


def _basic_key(key, shape):
    """The common keys -- an int, a slice, a tuple of ints, slices with positive steps, None and
    one ``...`` -- read without the general machinery (NumPy means what torch means); else None.

    The name is torch's grad_fn for the last step that does something (full slices do nothing).
    """
    items = key if type(key) is tuple else (key,)
    used, ellipses = 0, 0
    for item in items:
        t = type(item)
        if t is int or t is slice and (item.step is None or type(item.step) is int and item.step > 0):
            used += 1
        elif item is Ellipsis:
            ellipses += 1
        elif item is not None:
            return None
    if used > len(shape) or ellipses > 1:
        return None
    dim, name = 0, "AliasBackward0"
    for item in items:
        if type(item) is int:
            size = shape[dim]
            if not -size <= item < size:
                return None
            dim, name = dim + 1, "SelectBackward0"
        elif item is Ellipsis:
            dim += len(shape) - used
        elif item is None:
            name = "UnsqueezeBackward0"
        else:
            if item.indices(shape[dim]) != (0, shape[dim], 1):
                name = "SliceBackward0"
            dim += 1
    return Key(items if ellipses else items + (Ellipsis,)), name, False


def _key_items(key):
    """The per-dim items of a key; a short list holding tensors, lists, slices... is a tuple."""
    if type(key) is tuple:
        return key
    if type(key) is list and len(key) < 32 and any(
            item is None or item is Ellipsis or isinstance(item, (Tensor, slice, list, tuple, np.ndarray))
            for item in key):
        return tuple(key)
    return (key,)


def _classify(item, xp):
    """(kind, value) for one key item, with index arrays on ``xp``."""
    t = type(item)
    if t is int:
        return _INT, item
    if t is slice:
        if item.step is not None:
            step = operator.index(item.step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step < 0:
                raise ValueError(f"step must be greater than zero (got {step}); negative steps are "
                                 "not supported, use flip() instead")
        return _SLICE, item
    if item is None:
        return _NONE, None
    if item is Ellipsis:
        return _ELLIPSIS, None
    if t is bool or t is np.bool_:
        return _BOOL, bool(item)
    if isinstance(item, Tensor):
        arr = item._data
    elif isinstance(item, (np.ndarray, xp.ndarray)):
        arr = item
    elif isinstance(item, (list, tuple, range)):
        arr = np.asarray(item)
        if arr.dtype.kind not in "biu":
            if arr.dtype.kind not in "f" and arr.size:
                raise IndexError(f"could not read {item!r} as an index (ragged or non-numeric)")
            arr = arr.astype(np.int64)
        elif arr.dtype.kind == "u":
            arr = arr.astype(np.int64)
    elif hasattr(item, "__index__"):
        return _INT, operator.index(item)
    else:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {t.__name__})")
    if arr.dtype.kind == "b" or arr.dtype == np.uint8:
        if arr.ndim == 0:
            return _BOOL, bool(arr)
        return _MASK, xp.asarray(arr, dtype=bool)
    if arr.dtype not in _INT32_64:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors "
                         f"(got {arr.dtype})")
    if arr.ndim == 0:
        return _INT, int(arr)
    return _ARRAY, xp.asarray(arr)


def _check_range(idx, size, dim, exc=IndexError, negative=True, what="index {i} is out of bounds "
                 "for dimension {dim} with size {size}"):
    """Raise ``exc`` naming the first offending value of ``idx`` (an int or an int array)."""
    if type(idx) is int:
        lo = hi = idx
    elif idx.size:
        lo, hi = int(idx.min()), int(idx.max())
    else:
        return
    if hi >= size or lo < (-size if negative else 0):
        raise exc(what.format(i=hi if hi >= size else lo, dim=dim, size=size))


def _check_mask(mask, shape, dim):
    for j, (m, s) in enumerate(zip(mask.shape, shape[dim:])):
        if m != s:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not match "
                             f"the shape of the indexed tensor {list(shape)} at index {dim + j}")


def _check_broadcast(shapes):
    if len(shapes) > 1:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                             f"with shapes {', '.join(str(list(s)) for s in shapes)}") from None


# -- x[key], x[key] = value ------------------------------------------------------------------
@tensor_method("__getitem__")
def _getitem(self, key):
    k, name, _ = parse_key(key, self._data)
    out = Index(k, name)(self)
    if k.adv is None:
        basic = k.basic
        as_view(out, self, lambda a: a[basic])
    return out


@tensor_method("__setitem__")
def _setitem(self, key, value):
    if key is False:  # torch selects nothing and writes nothing (no version bump either)
        return
    k, view_name, tensors = parse_key(key, self._data)
    if isinstance(value, Tensor):
        if value._data.dtype != self._data.dtype:
            # torch casts for views and for ``x[mask] = 0-d tensor``; index_put refuses
            if tensors and not (value._data.ndim == 0 and _is_mask(key)):
                _put_dtype_check(self, value)
            value = value.to(self.dtype)
    elif _is_scalar(value):
        value = _scalar_for(self, value)
    else:
        kind = type(value)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
        raise TypeError(f"can't assign a {name} to a {self.type()}")
    op = IndexPut(k)
    if grad_mode.state.enabled and (self._requires_grad or
                                    isinstance(value, Tensor) and value._requires_grad):
        op._name = _setitem_node_name(self, key, k, value, view_name)
    _inplace(self, op, value)


def _setitem_node_name(self, key, k, value, view_name):
    """torch's grad_fn name after ``self[key] = value``, which writes through the view the key's
    basic part makes (CopySlices; ``view_name`` is that view's grad_fn for a basic key), puts at
    the key's indices, or fills or copies all of self; raises torch's error when that view may
    not change in place (a view of a leaf that requires grad, or of a marked view)."""
    if _key_makes_view(key, self._data):
        if self._base is not None:
            check_marked_view(self, view_name if k.adv is None else None)
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        return "torch::autograd::CopySlices"
    if k.adv is not None:
        return "IndexPutBackward0"
    if isinstance(value, Tensor) and value._data.ndim:
        return "torch::autograd::CopyBackwards"
    return "FillBackward3"


def _key_makes_view(key, arr):
    """Whether torch's basic indexing step for ``key`` (ints, None, bools, slices that do not
    cover their whole dim) makes a view of ``arr`` before an assignment writes into it."""
    shape, xp = arr.shape, get_xp(arr)
    items = [_classify(item, xp) for item in _key_items(key)]
    used = sum(1 if kind in (_INT, _SLICE, _ARRAY) else v.ndim if kind == _MASK else 0
               for kind, v in items)
    dim, seen_ellipsis = 0, False
    for kind, v in items:
        if kind in (_INT, _NONE, _BOOL):
            return True
        if kind == _SLICE and v.indices(shape[dim]) != (0, shape[dim], 1):
            return True
        if kind == _ELLIPSIS:
            dim += 0 if seen_ellipsis else len(shape) - used
            seen_ellipsis = True
        else:
            dim += v.ndim if kind == _MASK else 1
    return False


def _is_mask(key):
    return isinstance(key, Tensor) and key._data.dtype == np.bool_


def _put_dtype_check(self, values):
    if values._data.dtype != self._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{self.dtype._tensor_type[:-6]} for the destination and "
                           f"{values.dtype._tensor_type[:-6]} for the source.")


def _is_scalar(value):
    return isinstance(value, (int, float, complex, np.generic))


def _scalar_for(self, value):
    """A Python/NumPy scalar converted to ``self``'s dtype, or torch's error if it cannot be."""
    try:
        return self._data.dtype.type(value)
    except (OverflowError, TypeError, ValueError):
        raise RuntimeError(f"value cannot be converted to type {self.dtype} without overflow "
                           f"(got {value!r})") from None


def _inplace(self, op, value):
    """``apply_inplace``; when no graph is recorded the op writes straight into self's array."""
    if grad_mode.state.enabled and (self._requires_grad or
                                    isinstance(value, Tensor) and value._requires_grad):
        return apply_inplace(self, op, value)
    op.needs_input_grad = (False, False)
    op.write(self._data, value._data if isinstance(value, Tensor) else value)
    self._vc[0] += 1
    return self


# -- argument checks shared by the functions below -------------------------------------------
def _index_arg(index, name, dtypes, exc, msg):
    """The array of an index tensor, of one of ``dtypes`` (else ``exc(msg)``, {got} filled)."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    arr = index._data
    if arr.dtype not in dtypes:
        raise exc(msg.format(got=index.dtype._tensor_type[:-6]))
    return arr


def _same_dtype(self, other, msg):
    if other._data.dtype != self._data.dtype:
        raise RuntimeError(msg.format(self=self.dtype._tensor_type[:-6],
                                      other=other.dtype._tensor_type[:-6]))


def _dim_index(self, dim, index, name, dtypes, exc, msg, vector_exc=IndexError):
    """(dim, index vector) for the index_* family: ``index`` checked by ``_index_arg``, 0-d or 1-d."""
    idx = _index_arg(index, name, dtypes, exc, msg)
    if idx.ndim > 1:
        raise vector_exc(f"{name}(): Index is supposed to be a vector (or a scalar), but got dim: "
                         f"{idx.ndim} with size: {list(idx.shape)}")
    return _wrap_dim(dim, self._data.ndim), idx.reshape(-1)


def _dim_key(ndim, dim, idx):
    """The Key of slices ``idx`` (a vector) along ``dim`` of an ``ndim``-d array."""
    if ndim == 0:
        return Key((None, Ellipsis), (idx,))
    return Key(None, (_SL,) * dim + (idx,))


def _size(arr, dim):
    return arr.shape[dim] if arr.ndim else 1


def _fill_value(self, value, name):
    """A fill value: a scalar in self's dtype, or a 0-d tensor cast to it (differentiably)."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"{name} only supports a 0-dimensional value tensor, but got tensor "
                               f"with {value._data.ndim} dimension(s).")
        return value if value._data.dtype == self._data.dtype else value.to(self.dtype)
    return _scalar_for(self, value)


# -- gather / scatter ------------------------------------------------------------------------
def _coords(idx, dim, ndim):
    """The Key reaching, for each element of ``idx``, the element at its position but with
    ``idx``'s value along ``dim`` (torch's gather/scatter addressing)."""
    if idx.ndim <= 1:
        return Key((None, Ellipsis) if ndim == 0 else None, (idx,))
    xp = get_xp(idx)
    return Key(None, tuple(idx if d == dim else
                           xp.arange(n).reshape((n,) + (1,) * (idx.ndim - d - 1))
                           for d, n in enumerate(idx.shape)))


def _ndim_check(idx, arr, what):
    if max(idx.ndim, 1) != max(arr.ndim, 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {what} tensor "
                           f"(index has {idx.ndim}, {what} has {arr.ndim})")


@tensor_method("gather")
def gather(input, dim, index, *, sparse_grad=False, out=None):
    a = input._data
    idx = _index_arg(index, "gather", _INT32_64, RuntimeError,
                     "gather(): Expected dtype int32/int64 for index, but got {got}")
    dim = _wrap_dim(dim, a.ndim)
    _ndim_check(idx, a, "input")
    if a.ndim and any(i > s for d, (i, s) in enumerate(zip(idx.shape, a.shape)) if d != dim):
        raise RuntimeError(f"Size does not match at dimension {dim} expected index {list(idx.shape)} "
                           f"to be no larger than self {list(a.shape)} apart from dimension {dim}")
    _check_range(idx, _size(a, dim), dim, RuntimeError, negative=False)
    return handle_out(Index(_coords(idx, dim, a.ndim), "GatherBackward0")(input), out, "gather")


def _scatter_args(input, dim, index, src):
    """(Key, value) for the scatter family, after torch's checks; ``src`` is cut to index's shape."""
    a = input._data
    idx = _index_arg(index, "scatter", _INT32_64, RuntimeError,
                     "scatter(): Expected dtype int32/int64 for index, but got {got}")
    dim = _wrap_dim(dim, a.ndim)
    _ndim_check(idx, a, "self")
    if isinstance(src, Tensor):
        _ndim_check(idx, src._data, "src")
        _same_dtype(input, src, "scatter(): Expected self.dtype to be equal to src.dtype "
                                "(got {self} and {other})")
        src_shape = src._data.shape
        if any(i > s for i, s in zip(idx.shape, src_shape)) or a.ndim and any(
                i > s for d, (i, s) in enumerate(zip(idx.shape, a.shape)) if d != dim):
            raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self "
                               f"{list(a.shape)} apart from dimension {dim} and to be no larger size "
                               f"than src {list(src_shape)}")
        if src_shape != idx.shape:
            src = Index(Key(tuple(slice(0, n) for n in idx.shape) + (Ellipsis,)))(src)
    else:
        src = _scalar_for(input, src)
    _check_range(idx, _size(a, dim), dim, RuntimeError, negative=False)
    return _coords(idx, dim, a.ndim), src


def _scatter_op(input, dim, index, src, value, reduce):
    if (src is None) == (value is None):
        raise TypeError("scatter() needs exactly one of src (a tensor or number) and value")
    key, src = _scatter_args(input, dim, index, value if src is None else src)
    if reduce is None:
        return IndexPut(key, name="ScatterBackward0"), src
    if reduce not in ("add", "multiply"):
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce!r}.")
    return ScatterReduce(key, "sum" if reduce == "add" else "prod", differentiable=False), src


@tensor_method("scatter")
def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    op, src = _scatter_op(input, dim, index, src, value, reduce)
    return handle_out(op(input, src), out, "scatter")


@tensor_method("scatter_")
def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    op, src = _scatter_op(self, dim, index, src, value, reduce)
    return _inplace(self, op, src)


def _scatter_add_op(input, dim, index, src):
    key, src = _scatter_args(input, dim, index, src)
    return IndexPut(key, accumulate=True, name="ScatterAddBackward0"), src


@tensor_method("scatter_add")
def scatter_add(input, dim, index, src, *, out=None):
    op, src = _scatter_add_op(input, dim, index, src)
    return handle_out(op(input, src), out, "scatter_add")


@tensor_method("scatter_add_")
def scatter_add_(self, dim, index, src):
    op, src = _scatter_add_op(self, dim, index, src)
    return _inplace(self, op, src)


def _scatter_reduce_op(input, dim, index, src, reduce, include_self):
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    key, src = _scatter_args(input, dim, index, src)
    return ScatterReduce(key, reduce, include_self), src


@tensor_method("scatter_reduce")
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    op, src = _scatter_reduce_op(input, dim, index, src, reduce, include_self)
    return handle_out(op(input, src), out, "scatter_reduce")


@tensor_method("scatter_reduce_")
def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    op, src = _scatter_reduce_op(self, dim, index, src, reduce, include_self)
    return _inplace(self, op, src)


# -- index_* -----------------------------------------------------------------------------------
@tensor_method("index_select")
def index_select(input, dim, index, *, out=None):
    a = input._data
    dim, idx = _dim_index(input, dim, index, "index_select", _INT32_64, RuntimeError,
                          "index_select(): Expected dtype int32 or int64 for index, but got {got}")
    if a.ndim == 0 and idx.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                           f"{idx.size} value(s)")
    _check_range(idx, _size(a, dim), dim, IndexError, negative=False)
    key = Key((None, Ellipsis), (idx[0],)) if a.ndim == 0 else _dim_key(a.ndim, dim, idx)
    return handle_out(Index(key, "IndexSelectBackward0")(input), out, "index_select")


def _source_along(self, dim, idx, source, name, exc):
    """Check that ``source`` fills self's slices ``idx`` along ``dim`` exactly (index_add/copy)."""
    a, s = self._data, source._data
    if a.ndim and s.ndim and a.ndim != s.ndim:
        raise exc(f"{name}(): When source and destination are not scalars, their dimensionality "
                  f"must match. Source dimensionality ({s.ndim}), destination dimensionality ({a.ndim})")
    if a.ndim and s.ndim and any(x != y for d, (x, y) in enumerate(zip(a.shape, s.shape)) if d != dim):
        raise RuntimeError(f"{name}(): source tensor shape must match self tensor shape, excluding "
                           f"the specified dimension {dim}. Got self.shape = {list(a.shape)} "
                           f"source.shape = {list(s.shape)}")
    if idx.size != _size(s, dim):
        raise exc(f"{name}(): Number of indices ({idx.size}) should be equal to source.size(dim): "
                  f"({_size(s, dim)}), for dim: {dim}")


def _index_add_op(self, dim, index, source, alpha):
    a = self._data
    dim, idx = _dim_index(self, dim, index, "index_add_", _INT32_64, RuntimeError,
                          "index_add_(): Expected dtype int32/int64 for index but got: {got}")
    _same_dtype(self, source, "index_add_(): self ({self}) and source ({other}) must have the same "
                              "scalar type")
    _source_along(self, dim, idx, source, "index_add_", RuntimeError)
    _check_range(idx, _size(a, dim), dim, RuntimeError, negative=False)
    if a.dtype.kind in "iub":
        alpha = a.dtype.type(alpha)
    return IndexPut(_dim_key(a.ndim, dim, idx), accumulate=True, alpha=alpha,
                    name="IndexAddBackward0")


@tensor_method("index_add")
def index_add(input, dim, index, source, *, alpha=1, out=None):
    return handle_out(_index_add_op(input, dim, index, source, alpha)(input, source), out,
                      "index_add")


@tensor_method("index_add_")
def index_add_(self, dim, index, source, *, alpha=1):
    return _inplace(self, _index_add_op(self, dim, index, source, alpha), source)


def _index_reduce_op(self, dim, index, source, reduce, include_self):
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin "
                           f"but got {reduce}.")
    a = self._data
    dim, idx = _dim_index(self, dim, index, "index_reduce_", _INT32_64, RuntimeError,
                          "index_reduce_(): Expected dtype int32/int64 for index but got: {got}")
    _same_dtype(self, source, "index_reduce_(): self ({self}) and source ({other}) must have the "
                              "same scalar type")
    _source_along(self, dim, idx, source, "index_reduce_", RuntimeError)
    _check_range(idx, _size(a, dim), dim, IndexError, negative=False,
                 what="index out of range in self")
    s = source._data
    if s.ndim > 1:  # index vector -> one coordinate per source element
        idx = get_xp(idx).broadcast_to(idx.reshape((-1,) + (1,) * (s.ndim - dim - 1)), s.shape)
    return IndexReduce(_coords(idx, dim, a.ndim), reduce, include_self)


@tensor_method("index_reduce")
def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """Combine the slices of ``source`` along ``dim`` into the slices of ``input`` that
    ``index`` names, by ``reduce`` ("prod", "mean", "amax" or "amin"); ``include_self=False``
    leaves the old values of the named slices out.  Differentiable in input and source.

    Example: ``ember.ones(3).index_reduce(0, ember.tensor([0, 0]), ember.tensor([2., 3.]),
    "prod")`` is ``tensor([6., 1., 1.])``.
    """
    op = _index_reduce_op(input, dim, index, source, reduce, include_self)
    return handle_out(op(input, source), out, "index_reduce")


@tensor_method("index_reduce_")
def index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    """In-place ``index_reduce``: the result is written into ``self``, which is returned."""
    return _inplace(self, _index_reduce_op(self, dim, index, source, reduce, include_self), source)


def _index_copy_op(self, dim, index, source):
    a = self._data
    dim, idx = _dim_index(self, dim, index, "index_copy_", _INT64, RuntimeError,
                          "index_copy_(): Expected a long tensor for index, but got {got}")
    _same_dtype(self, source, "index_copy_(): self and source expected to have the same dtype, but "
                              "got (self) {self} and (source) {other}")
    _source_along(self, dim, idx, source, "index_copy_", IndexError)
    _check_range(idx, _size(a, dim), dim, IndexError, negative=False,
                 what="index_copy_(): index {i} is out of bounds for dimension {dim} with size {size}")
    return IndexPut(_dim_key(a.ndim, dim, idx), name="IndexCopyBackward0")


@tensor_method("index_copy")
def index_copy(input, dim, index, source, *, out=None):
    return handle_out(_index_copy_op(input, dim, index, source)(input, source), out, "index_copy")


@tensor_method("index_copy_")
def index_copy_(self, dim, index, source):
    return _inplace(self, _index_copy_op(self, dim, index, source), source)


def _index_fill_op(self, dim, index, value):
    a = self._data
    dim, idx = _dim_index(self, dim, index, "index_fill_", _INT64, IndexError,
                          "index_fill_(): Expected dtype int64 for index, but got {got}.", RuntimeError)
    _check_range(idx, _size(a, dim), dim)
    return IndexPut(_dim_key(a.ndim, dim, idx), fill=True, name="IndexFillBackward0"), \
        _fill_value(self, value, "index_fill_")


@tensor_method("index_fill")
def index_fill(input, dim, index, value):
    op, value = _index_fill_op(input, dim, index, value)
    return op(input, value)


@tensor_method("index_fill_")
def index_fill_(self, dim, index, value):
    op, value = _index_fill_op(self, dim, index, value)
    return _inplace(self, op, value)


def _index_put_op(self, indices, values, accumulate):
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put(): argument 'indices' must be tuple of Tensors, not "
                        f"{type(indices).__name__}")
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' must be Tensor, not {type(values).__name__}")
    _put_dtype_check(self, values)
    key = parse_key(tuple(indices), self._data)[0]
    return IndexPut(key, accumulate=accumulate)


@tensor_method("index_put")
def index_put(input, indices, values, accumulate=False):
    return _index_put_op(input, indices, values, accumulate)(input, values)


@tensor_method("index_put_")
def index_put_(self, indices, values, accumulate=False):
    return _inplace(self, _index_put_op(self, indices, values, accumulate), values)


# -- masked_* --------------------------------------------------------------------------------
def _mask_arg(mask, msg):
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        got = mask.dtype if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(msg.format(got=got))
    return mask._data


def _mask_shape(self, mask, inplace):
    # torch names the mask first out of place, the written tensor first in place
    shape = broadcast_shape(*((self._data.shape, mask.shape) if inplace else
                              (mask.shape, self._data.shape)))
    if inplace and shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    return shape


def _masked_fill_op(self, mask, value, inplace):
    m = _mask_arg(mask, "masked_fill_ only supports boolean masks, but got mask with dtype {got}")
    shape = _mask_shape(self, m, inplace)
    return MaskedFill(m, shape), _fill_value(self, value, "masked_fill_")


@tensor_method("masked_fill")
def masked_fill(input, mask, value):
    op, value = _masked_fill_op(input, mask, value, False)
    return op(input, value)


@tensor_method("masked_fill_")
def masked_fill_(self, mask, value):
    op, value = _masked_fill_op(self, mask, value, True)
    return _inplace(self, op, value)


def _masked_scatter_op(self, mask, source, inplace):
    m = _mask_arg(mask, "masked_scatter_ only supports boolean masks, but got mask with dtype {got}")
    shape = _mask_shape(self, m, inplace)
    _same_dtype(self, source, "masked_scatter: expected self and source to have same dtypes but got "
                              "{self} and {other}")
    return MaskedScatter(m, shape)


@tensor_method("masked_scatter")
def masked_scatter(input, mask, source):
    return _masked_scatter_op(input, mask, source, False)(input, source)


@tensor_method("masked_scatter_")
def masked_scatter_(self, mask, source):
    return _inplace(self, _masked_scatter_op(self, mask, source, True), source)


@tensor_method("masked_select")
def masked_select(input, mask, *, out=None):
    m = _mask_arg(mask, "masked_select: expected BoolTensor for mask, but got {got}")
    a = input._data
    xp = get_xp(a)
    shape = broadcast_shape(m.shape, a.shape)
    if a.shape == shape and m.shape == shape and a.ndim:
        key = Key(None, (m,), unique=True)
    else:  # the positions of the broadcast mask, read back to the input's own dims
        hits = xp.nonzero(xp.broadcast_to(m, shape)) if shape else ()
        if a.ndim == 0:
            count = hits[0].size if shape else int(bool(m))
            key = Key((None, Ellipsis), (xp.zeros(count, xp.intp),))
        else:
            lead = len(shape) - a.ndim
            key = Key(None, tuple(hits[lead + d] if n != 1 else xp.zeros_like(hits[lead + d])
                                  for d, n in enumerate(a.shape)), unique=a.shape == shape)
    return handle_out(Index(key, "MaskedSelectBackward0")(input), out, "masked_select")


# -- nonzero, take, put ------------------------------------------------------------------------
@tensor_method("nonzero")
def nonzero(input, *, out=None, as_tuple=False):
    a = input._data
    xp = get_xp(a)
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64, copy=False)) for i in xp.nonzero(xp.atleast_1d(a)))
    return handle_out(_wrap(xp.argwhere(a).astype(np.int64, copy=False)), out, "nonzero")


@tensor_method("nonzero_static")
def nonzero_static(input, *, size, fill_value=-1):
    """``nonzero(input)`` cut or padded to exactly ``size`` rows: the first ``size`` indices of
    non-zero elements (row-major), then rows of ``fill_value``.  Shape: (size, input.dim()).

    Example: ``ember.nonzero_static(ember.tensor([0, 3, 4]), size=3)`` is
    ``tensor([[1], [2], [-1]])``.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    found = nonzero(input)._data[:size]
    xp = get_xp(found)
    pad = xp.full((size - found.shape[0], found.shape[1]), fill_value, np.int64)
    return _wrap(xp.concatenate([found, pad]))


@tensor_method("argwhere")
def argwhere(input):
    return nonzero(input)


_TAKE_RANGE = "out of range: tried to access index {i} on a tensor of {size} elements."


def _flat_key(shape, idx):
    """The Key reaching flat (row-major, negatives from the end) positions ``idx`` of ``shape``."""
    if len(shape) <= 1:
        return Key((None, Ellipsis) if not shape else None, (idx,))
    return Key(None, get_xp(idx).unravel_index(idx % prod(shape), shape))


@tensor_method("take")
def take(input, index, *, out=None):
    idx = _index_arg(index, "take", _INT64, RuntimeError,
                     "take(): Expected a long tensor for index, but got {got}")
    _check_range(idx, input._data.size, 0, what=_TAKE_RANGE)
    return handle_out(Index(_flat_key(input._data.shape, idx), "TakeBackward0")(input), out, "take")


@tensor_method("take_along_dim")
def take_along_dim(input, indices, dim=None, *, out=None):
    a = input._data
    idx = _index_arg(indices, "take_along_dim", _INT64, RuntimeError,
                     "torch.take_along_dim(): dtype of indices should be Long but got {got}")
    if dim is None:  # torch gathers from the flattened input: no negative indices
        _check_range(idx, a.size, 0, RuntimeError, negative=False)
        key = _flat_key(a.shape, idx.reshape(-1))
        return handle_out(Index(key, "GatherBackward0")(input), out, "take_along_dim")
    dim = _wrap_dim(dim, a.ndim)
    if a.ndim != idx.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number "
                           f"of dimensions, but got {a.ndim} dimensions for input, and {idx.ndim} "
                           "dimensions for indices")
    others = lambda s: tuple(1 if d == dim else n for d, n in enumerate(s))  # noqa: E731
    broadcast_shape(others(a.shape), others(idx.shape))
    _check_range(idx, _size(a, dim), dim)
    xp = get_xp(a)
    if a.ndim == 0:
        key = Key((None, Ellipsis), (idx,))
    else:
        key = Key(None, tuple(idx if d == dim else
                              xp.arange(n).reshape((n,) + (1,) * (a.ndim - d - 1)) if n != 1 else 0
                              for d, n in enumerate(a.shape)))
    return handle_out(Index(key, "GatherBackward0")(input), out, "take_along_dim")   # torch gathers


def _put_op(self, index, source, accumulate):
    idx = _index_arg(index, "put_", _INT64, RuntimeError,
                     "put_(): Expected a long tensor for index, but got {got}")
    if idx.size != source._data.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, "
                         f"but got source.numel() = {source._data.size}, index.numel() = {idx.size}")
    _same_dtype(self, source, "put_(): self and source expected to have the same dtype, but got "
                              "self.dtype = {self} and source.dtype = {other}")
    _check_range(idx, self._data.size, 0, what=_TAKE_RANGE)
    key = _flat_key(self._data.shape, idx.reshape(source._data.shape))
    return IndexPut(key, accumulate=accumulate, name="PutBackward0")


@tensor_method("put")
def put(input, index, source, accumulate=False):
    return _put_op(input, index, source, accumulate)(input, source)


@tensor_method("put_")
def put_(self, index, source, accumulate=False):
    return _inplace(self, _put_op(self, index, source, accumulate), source)
