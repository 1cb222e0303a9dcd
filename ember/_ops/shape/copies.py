"""Public shape functions that copy: joins (cat, stack and their h/v/d/column forms),
rearranging copies (tile, repeat_interleave, flip, roll, rot90, diag...), ``atleast_*``,
``meshgrid`` and the fills.  The views and splits, and the argument helpers these share, are
in ``funcs.py``.
"""
import warnings

from ..._tensor import Tensor, tensor_method, _wrap_dim
from ..._dtype import promote_types
from . import ops as S
from ..base import relabel
from ..common import handle_out
from ..inplace import apply_inplace, check_inplace
from ..creation import arange
from ...autograd import grad_mode
from .funcs import _diagonal, _dims_list, _index, _reshape_view, _sizes, expand, reshape, transpose

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack",
           "row_stack", "tile", "repeat_interleave", "flip", "fliplr", "flipud", "roll", "rot90",
           "diag", "diagflat", "diag_embed", "atleast_1d", "atleast_2d", "atleast_3d", "meshgrid",
           "fill_", "zero_", "tril", "triu"]


# -- joins (copies) ----------------------------------------------------------------------
def _tensor_list(tensors, name):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (tuple, list)):
        raise TypeError(f"{name}(): argument 'tensors' must be a tuple or list of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(x).__name__}")
    return list(tensors)


def _common_dtype(tensors):
    """Promote all inputs to one dtype (differentiable casts only where needed)."""
    dt = tensors[0].dtype
    for x in tensors[1:]:
        if x.dtype is not dt:
            dt = promote_types(dt, x.dtype)
    return [x if x.dtype is dt else x.to(dt) for x in tensors]


def cat(tensors, dim=0, *, out=None):
    """The tensors joined along an existing dim ``dim`` (a copy).

    All tensors need the same shape except along ``dim``; dtypes promote. 1-D empty tensors are
    skipped whatever the other shapes. Also spelled ``concat``.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        dim (int): the dim to join along. Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.cat([ember.zeros(1, 2), ember.ones(1, 2)])
        tensor([[0., 0.],
                [1., 1.]])
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    skip = [i for i, x in enumerate(tensors) if x._data.shape == (0,)]
    if len(skip) == len(tensors):
        skip = skip[1:]
    used = [x for i, x in enumerate(tensors) if i not in skip]
    ref = used[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = _wrap_dim(_index(dim, "dim"), len(ref))
    for i, x in enumerate(tensors):
        shape = x._data.shape
        if i in skip:
            continue
        if len(shape) != len(ref):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} and "
                               f"{len(shape)}")
        for k, (a, b) in enumerate(zip(ref, shape)):
            if k != d and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected "
                                   f"size {a} but got size {b} for tensor number {i} in the list.")
    result = S.Join(d, skip=skip)(*_common_dtype(tensors))
    return handle_out(result, out, "cat")


concat = cat


def concatenate(tensors, axis=0, out=None):
    """:func:`ember.cat` under NumPy's name, with ``axis`` for ``dim``.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        axis (int): the dim to join along. Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.concatenate([ember.tensor([1]), ember.tensor([2, 3])])
        tensor([1, 2, 3])
    """
    return cat(tensors, axis, out=out)


def stack(tensors, dim=0, *, out=None):
    """The tensors joined along a new dim ``dim`` (a copy).

    All tensors must have the same shape; the result has one more dim, of size ``len(tensors)``.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        dim (int): the position of the new dim. Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.stack([ember.tensor([1, 2]), ember.tensor([3, 4])], dim=1)
        tensor([[1, 3],
                [2, 4]])
    """
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ref)} at "
                               f"entry 0 and {list(x._data.shape)} at entry {i}")
    d = _wrap_dim(_index(dim, "dim"), len(ref) + 1)
    return handle_out(S.Join(d, stack=True)(*_common_dtype(tensors)), out, "stack")


def hstack(tensors, *, out=None):
    """The tensors joined column-wise: along dim 1, or dim 0 for 1-D tensors.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.hstack([ember.tensor([1, 2]), ember.tensor([3])])
        tensor([1, 2, 3])
    """
    tensors = atleast_1d(_tensor_list(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """The tensors joined row-wise, along dim 0 after making each at least 2-D.

    Also spelled ``row_stack``.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.vstack([ember.tensor([1, 2]), ember.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
    """
    return cat(atleast_2d(_tensor_list(tensors, "vstack")), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """The tensors joined depth-wise, along dim 2 after making each at least 3-D.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.dstack([ember.tensor([1, 2]), ember.tensor([3, 4])]).shape
        ember.Size([1, 2, 2])
    """
    return cat(atleast_3d(_tensor_list(tensors, "dstack")), 2, out=out)


def column_stack(tensors, *, out=None):
    """The tensors side by side as columns: 0-d and 1-d tensors become columns, then dim 1 joins.

    Args:
        tensors (sequence of Tensor): the tensors to join.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.column_stack([ember.tensor([1, 2]), ember.tensor([3, 4])])
        tensor([[1, 3],
                [2, 4]])
    """
    tensors = [x.reshape(x._data.size, 1) if x._data.ndim <= 1 else x
               for x in _tensor_list(tensors, "column_stack")]
    return cat(tensors, 1, out=out)


def _atleast(n, shape_for):
    def fn(*tensors):
        many = len(tensors) != 1 or isinstance(tensors[0], (tuple, list))
        if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
            tensors = tensors[0]
        res = tuple(x if x._data.ndim >= n else _reshape_view(x, shape_for(x._data.shape))
                    for x in tensors)
        return res if many else res[0]
    fn.__name__ = f"atleast_{n}d"
    fn.__doc__ = f"""Each tensor as a view with at least {n} dims; those with more come back as they are.

    Missing dims of size 1 are added{" in front" if n < 3 else " (a 1-D tensor of size N becomes (1, N, 1), a 2-D one gets a trailing dim)"}.
    Given one tensor it returns a tensor, given several (or a list) a tuple.

    Args:
        tensors (Tensor...): the tensors, or one list of them.

    Example:
        >>> ember.atleast_{n}d(ember.tensor(5)).shape
        ember.Size([{", ".join(["1"] * n)}])
    """
    return fn


atleast_1d = _atleast(1, lambda s: (1,))
atleast_2d = _atleast(2, lambda s: (1,) * (2 - len(s)) + s)
atleast_3d = _atleast(3, lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)])


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors: one grid per input, all of the same shape.

    With ``indexing="ij"`` grid ``k`` varies along dim ``k``; with ``"xy"`` the first two dims
    are swapped (Cartesian indexing). The grids are broadcast views.

    Args:
        tensors (Tensor...): 1-D (or 0-d) coordinate tensors, or one list of them.
        indexing (str, optional): ``"ij"`` or ``"xy"``. Default: ``"ij"``.

    Example:
        >>> ember.meshgrid(ember.tensor([1, 2]), ember.tensor([3, 4, 5]), indexing="ij")[0]
        tensor([[1, 1, 1],
                [2, 2, 2]])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tensors[0]
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f'{indexing}')
    for x in tensors:
        if x._data.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got a tensor of shape {list(x._data.shape)}")
        if x.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    n = len(tensors)
    pos = list(range(n))
    if indexing == "xy" and n >= 2:
        pos[0], pos[1] = 1, 0
    shape = [0] * n
    for x, p in zip(tensors, pos):
        shape[p] = x._data.size
    return tuple(expand(_reshape_view(x, tuple(shape[p] if i == p else 1 for i in range(n))), shape)
                 for x, p in zip(tensors, pos))


# -- rearranging copies ------------------------------------------------------------------
@tensor_method("repeat")
def repeat(self, *sizes):
    """Tile the tensor ``sizes`` times along each dim (sizes may add leading dims)."""
    reps = _sizes(sizes, "repeat")
    shape = self._data.shape
    if len(reps) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           f"dimensions of tensor (repeats {list(reps)} for shape {list(shape)})")
    padded = (1,) * (len(reps) - len(shape)) + shape
    target = [r * n for r, n in zip(reps, padded)]
    bad = next((r for r in reps if r < 0), None)
    if bad is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {target}")
    return S.Repeat(reps)(self)


@tensor_method("tile")
def tile(input, dims):
    """``input`` repeated ``dims[i]`` times along each dim ``i``.

    As ``Tensor.repeat``, but ``dims`` shorter than ``input``'s rank is padded with leading ones.

    Args:
        input (Tensor): the input.
        dims (tuple of int): the repetitions per dim.

    Example:
        >>> ember.tile(ember.tensor([1, 2]), (2,))
        tensor([1, 2, 1, 2])
    """
    dims = _sizes((dims,), "tile")
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


@tensor_method("repeat_interleave")
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element of ``input`` repeated ``repeats`` times in a row.

    Without ``dim`` the input is flattened first. A tensor ``repeats`` gives a count per element;
    called with only a tensor of counts, it returns ``arange(len(counts))`` repeated by them.

    Args:
        input (Tensor): the input.
        repeats (int or Tensor): the repetitions.
        dim (int, optional): the dim to repeat along. Default: flatten.
        output_size (int, optional): the total length along ``dim``, if known.

    Example:
        >>> ember.repeat_interleave(ember.tensor([1, 2]), 2)
        tensor([1, 1, 2, 2])
        >>> ember.repeat_interleave(ember.tensor([1, 2]), ember.tensor([1, 3]))
        tensor([1, 2, 2, 2])
    """
    if repeats is None:  # repeat_interleave(counts): each index i repeated counts[i] times
        counts = input
        return repeat_interleave(arange(counts._data.size, device=counts.device), counts, 0)
    # torch's last node: a view of the expanded input (a number), or an index_select (a tensor)
    name = "IndexSelectBackward0" if isinstance(repeats, Tensor) else "ViewBackward0"
    if dim is None:
        input, d = reshape(input, (-1,)), 0
    else:
        d = _wrap_dim(_index(dim, "dim"), input._data.ndim)
    n = input._data.shape[d] if input._data.ndim else 1
    if isinstance(repeats, Tensor):
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if repeats._data.dtype.kind not in "iu":
            raise NotImplementedError(f'"repeat_interleave" not implemented for '
                                      f"'{repeats.dtype._tensor_type[:-6]}' repeats")
        if repeats._data.size == 1:
            repeats = int(repeats._data.reshape(-1)[0])
        else:
            if repeats._data.size != n:
                raise RuntimeError("repeats must have the same size as input along dim, but got "
                                   f"repeats.size(0) = {repeats._data.size} and input.size({d}) "
                                   f"= {n}")
            if (repeats._data < 0).any():
                raise RuntimeError("repeats can not be negative")
            repeats = repeats._data
    repeats = repeats if not isinstance(repeats, int) else _index(repeats, "repeats")
    if isinstance(repeats, int) and repeats < 0:
        raise RuntimeError(f"Repeats must be non-negative (got {repeats})")
    if input._data.ndim == 0:
        input = reshape(input, (1,))
    return relabel(S.RepeatInterleave(repeats, d)(input), name)


@tensor_method("flip")
def flip(input, *args, dims=None):
    """``input`` with the order of its elements reversed along ``dims`` (a copy, not a view).

    Args:
        input (Tensor): the input.
        dims (int...): the dims to reverse, as a tuple, separate ints or the keyword ``dims``.

    Example:
        >>> ember.flip(ember.tensor([[1, 2], [3, 4]]), (0,))
        tensor([[3, 4],
                [1, 2]])
    """
    if dims is not None and args:
        raise TypeError("flip() got multiple values for argument 'dims'")
    dims = args if dims is None else (dims,)
    dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    n = input._data.ndim
    dims = _dims_list(dims, n, "flip") if n else ()
    return S.Flip(dims)(input)


@tensor_method("fliplr")
def fliplr(input):
    """``input`` reversed left to right, along dim 1 (a copy).

    Args:
        input (Tensor): a tensor of at least 2 dims.

    Example:
        >>> ember.fliplr(ember.tensor([[1, 2], [3, 4]]))
        tensor([[2, 1],
                [4, 3]])
    """
    if input._data.ndim < 2:
        raise RuntimeError(f"Input must be >= 2-d (got {input._data.ndim}-d).")
    return flip(input, (1,))


@tensor_method("flipud")
def flipud(input):
    """``input`` reversed upside down, along dim 0 (a copy).

    Args:
        input (Tensor): a tensor of at least 1 dim.

    Example:
        >>> ember.flipud(ember.tensor([[1, 2], [3, 4]]))
        tensor([[3, 4],
                [1, 2]])
    """
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d (got 0-d).")
    return flip(input, (0,))


@tensor_method("roll")
def roll(input, shifts, dims=None):
    """``input`` with its elements shifted circularly along ``dims``.

    Elements shifted past the end come back at the start. Without ``dims`` the flattened
    tensor is rolled and the shape restored.

    Args:
        input (Tensor): the input.
        shifts (int or tuple of int): the shift per dim.
        dims (int or tuple of int, optional): the dims. Default: flatten.

    Example:
        >>> ember.roll(ember.arange(4), 1)
        tensor([3, 0, 1, 2])
    """
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dims = () if dims is None else tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shifts) != len(dims) and not (not dims and len(shifts) == 1):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:"
                           f"{len(dims)}")
    shifts = tuple(_index(s, "shift") for s in shifts)
    if not dims:
        return S.Roll(shifts[0], None)(input)
    dims = tuple(_wrap_dim(_index(d, "dim"), input._data.ndim) for d in dims)
    return S.Roll(shifts, dims)(input)


@tensor_method("rot90")
def rot90(input, k=1, dims=(0, 1)):
    """``input`` rotated by 90 degrees ``k`` times in the plane of ``dims``.

    The rotation goes from the first dim of ``dims`` towards the second; negative ``k`` turns the
    other way.

    Args:
        input (Tensor): the input.
        k (int): the number of quarter turns. Default: ``1``.
        dims (tuple of int): the plane. Default: ``(0, 1)``.

    Example:
        >>> ember.rot90(ember.tensor([[1, 2], [3, 4]]))
        tensor([[2, 4],
                [1, 3]])
    """
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    n = input._data.ndim
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    a, b = _wrap_dim(dims[0], n), _wrap_dim(dims[1], n)
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {a} and "
                           f"dim1 = {b}")
    k %= 4
    if k == 1:
        res = transpose(flip(input, (b,)), a, b)
    elif k == 2:
        res = flip(input, (a, b))
    elif k == 3:
        res = transpose(flip(input, (a,)), a, b)
    else:
        res = input.clone()
    return relabel(res, "Rot90Backward0")   # torch's one node


def _tri(upper):
    name = "triu" if upper else "tril"

    def fn(input, diagonal=0, *, out=None):
        if input._data.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return handle_out(S.Tri(_index(diagonal, "diagonal"), upper)(input), out, name)

    def fn_(self, diagonal=0):
        if self._data.ndim < 2:
            raise RuntimeError(f"{name}_: input tensor must have at least 2 dimensions")
        return apply_inplace(self, S.Tri(_index(diagonal, "diagonal"), upper))

    fn.__name__, fn_.__name__ = name, name + "_"
    fn.__doc__ = f"""The {"upper" if upper else "lower"} triangle of the matrices in ``input``; other elements become 0.

    Elements {"below" if upper else "above"} the ``diagonal``-th diagonal of the last two dims are zeroed
    (``diagonal`` 0 is the main diagonal, positive above it, negative below).

    Args:
        input (Tensor): a tensor of at least 2 dims.
        diagonal (int): the diagonal that bounds the kept triangle. Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.{name}(ember.ones(2, 2, dtype=ember.int64))
        tensor([[1, {1 if upper else 0}],
                [{0 if upper else 1}, 1]])
    """
    tensor_method(name + "_")(fn_)
    return tensor_method(name)(fn)


tril, triu = _tri(False), _tri(True)


@tensor_method("diag")
def diag(input, diagonal=0, *, out=None):
    """A diagonal matrix from a vector, or the diagonal of a matrix (a copy).

    A 1-D ``input`` is placed on the ``diagonal``-th diagonal of a square zero matrix; a 2-D
    ``input`` gives its ``diagonal``-th diagonal as a vector.

    Args:
        input (Tensor): a 1-D or 2-D tensor.
        diagonal (int): which diagonal (positive above the main one). Default: ``0``.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.diag(ember.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
        >>> ember.diag(ember.tensor([[1, 2], [3, 4]]))
        tensor([1, 4])
    """
    n = input._data.ndim
    if n == 1:
        res = diag_embed(input, diagonal, 0, 1)
    elif n == 2:
        res = _diagonal(input, diagonal).clone()
    else:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")
    return handle_out(res, out, "diag")


@tensor_method("diagflat")
def diagflat(input, offset=0):
    """A square matrix with the flattened ``input`` on its ``offset``-th diagonal.

    Args:
        input (Tensor): the input.
        offset (int): which diagonal. Default: ``0``.

    Example:
        >>> ember.diagflat(ember.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    return diag_embed(reshape(input, (-1,)), offset, 0, 1)


@tensor_method("diag_embed")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Matrices with the last dim of ``input`` on a diagonal, zeros elsewhere.

    The new square dims are ``dim1`` and ``dim2`` of the result; a batch of vectors gives a batch
    of diagonal matrices.

    Args:
        input (Tensor): the input.
        offset (int): which diagonal. Default: ``0``.
        dim1 (int): the first new dim. Default: ``-2``.
        dim2 (int): the second new dim. Default: ``-1``.

    Example:
        >>> ember.diag_embed(ember.tensor([[1, 2], [3, 4]])).shape
        ember.Size([2, 2, 2])
    """
    shape = input._data.shape
    n = len(shape) + 1
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    m = (shape[-1] if shape else 1) + abs(offset)
    rest = iter(shape[:-1])
    out_shape = tuple(m if i in (d1, d2) else next(rest) for i in range(n))
    if not shape:
        input = reshape(input, (1,))
    return S.DiagEmbed(offset, d1, d2, out_shape)(input)


# -- filling ---------------------------------------------------------------------------------
@tensor_method("fill_")
def fill_(self, value):
    """Set every element of the tensor to ``value``, in place; returns the tensor.

    A 0-d tensor ``value`` receives the sum of the gradient.

    Args:
        self (Tensor): the tensor to overwrite.
        value (Number or Tensor): the new value of every element.

    Example:
        >>> x = ember.zeros(2)
        >>> x.fill_(7)
        tensor([7., 7.])
    """
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return apply_inplace(self, S.Fill(), value)
    if not (self._requires_grad and _grad_enabled()):
        check_inplace(self)
        self._data.fill(value)
        self._vc[0] += 1
        return self
    return apply_inplace(self, S.Fill(), value)


@tensor_method("zero_")
def zero_(self):
    """Set every element of the tensor to 0, in place; returns the tensor.

    Args:
        self (Tensor): the tensor to overwrite.

    Example:
        >>> ember.ones(2).zero_()
        tensor([0., 0.])
    """
    return fill_(self, 0)


def _grad_enabled():
    return grad_mode.state.enabled
