"""Public index functions that read or write by position lists: nonzero, argwhere, take,
take_along_dim, put and their kin; the key reading, gather/scatter and index_*/masked_* are in
``funcs.py``.
"""
from math import prod

import numpy as np

from ..._tensor import tensor_method, _wrap, _wrap_dim
from ..base import get_xp
from .ops import Key, Index, IndexPut
from ..common import handle_out, broadcast_shape
from .funcs import _INT64, _check_range, _index_arg, _inplace, _same_dtype, _size

__all__ = ["nonzero", "argwhere", "take", "take_along_dim", "put", "nonzero_static"]


# -- nonzero, take, put ------------------------------------------------------------------------
@tensor_method("nonzero")
def nonzero(input, *, out=None, as_tuple=False):
    """The indices of the non-zero elements of ``input``.

    By default a ``(count, input.dim())`` tensor with one row per non-zero element, in row-major
    order; with ``as_tuple=True`` one 1-D tensor of indices per dim instead.

    Args:
        input (Tensor): the input.
        out (Tensor, optional): write the result here.
        as_tuple (bool): return a tuple of 1-D tensors. Default: ``False``.

    Example:
        >>> ember.nonzero(ember.tensor([0, 3, 0, 5]))
        tensor([[1],
                [3]])
        >>> ember.nonzero(ember.tensor([[0, 1], [1, 0]]), as_tuple=True)
        (tensor([0, 1]), tensor([1, 0]))
    """
    a = input._data
    xp = get_xp(a)
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64, copy=False)) for i in xp.nonzero(xp.atleast_1d(a)))
    return handle_out(_wrap(xp.argwhere(a).astype(np.int64, copy=False)), out, "nonzero")


@tensor_method("nonzero_static")
def nonzero_static(input, *, size, fill_value=-1):
    """``nonzero(input)`` cut or padded to exactly ``size`` rows:

    the first ``size`` indices of non-zero elements (row-major), then rows of
    ``fill_value``.  Shape: (size, input.dim()).

    Args:
        input (Tensor): the input.
        size (int): the number of rows of the result.
        fill_value (int): the padding value. Default: ``-1``.

    Example:
        >>> ember.nonzero_static(ember.tensor([0, 3, 4]), size=3)
        tensor([[ 1],
                [ 2],
                [-1]])
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    found = nonzero(input)._data[:size]
    xp = get_xp(found)
    pad = xp.full((size - found.shape[0], found.shape[1]), fill_value, np.int64)
    return _wrap(xp.concatenate([found, pad]))


@tensor_method("argwhere")
def argwhere(input):
    """The indices of the non-zero elements of ``input``, one row per element.

    The same as ``ember.nonzero(input)``.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.argwhere(ember.tensor([[0, 1], [1, 0]]))
        tensor([[0, 1],
                [1, 0]])
    """
    return nonzero(input)


_TAKE_RANGE = "out of range: tried to access index {i} on a tensor of {size} elements."


def _flat_key(shape, idx):
    """The Key reaching flat (row-major, negatives from the end) positions ``idx`` of ``shape``."""
    if len(shape) <= 1:
        return Key((None, Ellipsis) if not shape else None, (idx,))
    return Key(None, get_xp(idx).unravel_index(idx % prod(shape), shape))


@tensor_method("take")
def take(input, index, *, out=None):
    """Elements of ``input`` seen as 1-D, at the positions in ``index``.

    ``out = input.flatten()[index]``; the result has ``index``'s shape.

    Args:
        input (Tensor): the input.
        index (Tensor): ``int64`` positions into the flattened input.
        out (Tensor, optional): write the result here.

    Example:
        >>> x = ember.tensor([[1, 2], [3, 4]])
        >>> ember.take(x, ember.tensor([0, 3]))
        tensor([1, 4])
    """
    idx = _index_arg(index, "take", _INT64, RuntimeError,
                     "take(): Expected a long tensor for index, but got {got}")
    _check_range(idx, input._data.size, 0, what=_TAKE_RANGE)
    return handle_out(Index(_flat_key(input._data.shape, idx), "TakeBackward0")(input), out, "take")


@tensor_method("take_along_dim")
def take_along_dim(input, indices, dim=None, *, out=None):
    """Values of ``input`` at ``indices`` along ``dim``, with broadcasting.

    Like :func:`ember.gather`, but ``indices`` broadcasts against ``input``; without ``dim`` both
    are flattened (so it takes the indices that ``argmax`` or ``argsort`` return).

    Args:
        input (Tensor): the input.
        indices (Tensor): ``int64`` positions.
        dim (int, optional): the dim to pick along. Default: flatten.
        out (Tensor, optional): write the result here.

    Example:
        >>> x = ember.tensor([[1, 2], [3, 4]])
        >>> ember.take_along_dim(x, ember.tensor([[1], [0]]), dim=1)
        tensor([[2],
                [3]])
    """
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
    """A copy of ``input`` with ``source`` written at the positions ``index`` of the flattened tensor.

    With ``accumulate`` the values are added instead, repeated positions summing.

    Args:
        input (Tensor): the input.
        index (Tensor): ``int64`` positions into the flattened input.
        source (Tensor): the values, one per index.
        accumulate (bool): add instead of overwrite. Default: ``False``.

    Example:
        >>> ember.put(ember.zeros(2, 2), ember.tensor([0, 3]), ember.tensor([1.0, 2.0]))
        tensor([[1., 0.],
                [0., 2.]])
    """
    return _put_op(input, index, source, accumulate)(input, source)


@tensor_method("put_")
def put_(self, index, source, accumulate=False):
    return _inplace(self, _put_op(self, index, source, accumulate), source)
