"""Public shape functions and Tensor methods: views, splits, joins and rearrangements.

Ops that are views in torch return tensors sharing memory with their input
(marked with ``as_view``); the others copy.  Argument checks raise torch's
exception types with messages naming the sizes and dims involved.
"""
import operator
import warnings

from ..._tensor import Tensor, Size, tensor_method, _wrap_dim
from ..._dtype import dtype as _dtype_cls
from . import ops as S
from ..base import relabel
from ..common import broadcast_shape
from ..inplace import check_inplace
from ...autograd.views import as_view
from ..._tensor import _wrap

__all__ = ["reshape", "transpose", "swapaxes", "swapdims", "permute", "t", "squeeze", "unsqueeze",
           "narrow", "narrow_copy", "select", "unflatten", "flatten", "ravel", "movedim",
           "moveaxis", "as_strided", "diagonal", "split", "tensor_split", "chunk", "unbind",
           "hsplit", "vsplit", "dsplit", "broadcast_to", "broadcast_tensors", "broadcast_shapes"]


# -- argument helpers ------------------------------------------------------------
def _index(v, what):
    """An int from an int-like argument (Python int, NumPy int, 0-d integer tensor)."""
    try:
        return operator.index(v)
    except TypeError:
        raise TypeError(f"{what} must be an int, but got {type(v).__name__}") from None


def _sizes(args, name):
    """Sizes given as varargs (``view(2, 3)``) or as one sequence (``view((2, 3))``)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    try:
        return tuple(operator.index(s) for s in args)
    except TypeError:
        got = ", ".join(type(a).__name__ for a in args)
        raise TypeError(f"{name}() expects sizes as ints or one sequence of ints, but got "
                        f"({got})") from None


def _dims_list(dims, ndim, name):
    """Normalised distinct dims; RuntimeError naming a repeated one."""
    if not isinstance(dims, (tuple, list)):
        dims = (dims,)
    out = tuple(_wrap_dim(_index(d, "dim"), ndim) for d in dims)
    if len(set(out)) != len(out):
        seen = set()
        dup = next(d for d in out if d in seen or seen.add(d))
        raise RuntimeError(f"{name}: dim {dup} appears multiple times in the list of dims")
    return out


def _infer_shape(shape, numel):
    """Resolve one ``-1`` in ``shape`` against ``numel``; torch's errors otherwise."""
    infer, known = None, 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
        else:
            known *= s
    if infer is None:
        if known != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    if known == 0:
        if numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} "
                               "because the unspecified dimension size -1 can be any value and "
                               "is ambiguous")
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    if numel % known:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape[:infer] + (numel // known,) + shape[infer + 1:]


def _view(src, op):
    """Apply a view op and mark the result as a view of ``src``."""
    return as_view(op(src), src, op.view)


def _reshape_view(src, shape, label="View"):
    return _view(src, S.Reshape(shape, label=label))


# -- reshaping views ----------------------------------------------------------------
@tensor_method("view")
def view(self, *shape, dtype=None):
    """The same memory seen with a new shape (RuntimeError if the strides don't allow it), or
    ``view(dtype)``: its bytes read as ``dtype`` (see ``_view_dtype``)."""
    if len(shape) == 1 and isinstance(shape[0], _dtype_cls):
        shape, dtype = (), shape[0]
    if dtype is not None and not shape:
        return _view_dtype(self, dtype)
    return _reshape_view(self, _infer_shape(_sizes(shape, "view"), self._data.size))


def _view_dtype(self, dtype):
    """``self``'s bytes reinterpreted as ``dtype``, sharing memory; with a different element size
    the last dimension (which must have stride 1) shrinks or grows to hold the same bytes. The
    result is not differentiable."""
    arr, new = self._data, dtype.np
    if new.itemsize != arr.itemsize:
        names = f"{self.dtype._tensor_type[:-6]} as {dtype._tensor_type[:-6]}"
        if arr.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 to view {names} (different element sizes)")
        if self.stride(-1) != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 to view {names} (different element "
                               f"sizes), but got {self.stride(-1)}")
        if new.itemsize > arr.itemsize and arr.shape[-1] % (new.itemsize // arr.itemsize):
            raise RuntimeError(f"self.size(-1) must be divisible by {new.itemsize // arr.itemsize}"
                               f" to view {names} (different element sizes), but got "
                               f"{arr.shape[-1]}")
    out = _wrap(arr.view(new))
    out._vc = self._vc  # in-place writes through either are seen by both
    return out


@tensor_method("view_as")
def view_as(self, other):
    """``self.view(other.shape)``: a view of ``self`` with ``other``'s shape."""
    return view(self, tuple(other.shape))


@tensor_method("reshape")
def reshape(input, *shape):
    """``input``'s elements in the given shape, as a view when possible.

    The result is a view when the memory layout allows one (as ``Tensor.view``), otherwise a
    contiguous copy. One size may be ``-1``: it is inferred from the number of elements.

    Args:
        input (Tensor): the input.
        shape (int...): the new shape, as separate ints or one tuple.

    Example:
        >>> ember.reshape(ember.arange(6), (2, 3))
        tensor([[0, 1, 2],
                [3, 4, 5]])
    """
    shape = _infer_shape(_sizes(shape, "reshape"), input._data.size)
    arr = input._data
    if arr.flags.c_contiguous or S.view_strides(arr.shape, S.elem_strides(arr), shape) is not None:
        return _reshape_view(input, shape)
    return S.Reshape(shape, copy=True, label="UnsafeView")(input)


@tensor_method("reshape_as")
def reshape_as(self, other):
    """``self.reshape(other.shape)``: ``other``'s shape, as a view where the memory allows."""
    return reshape(self, tuple(other.shape))


@tensor_method("squeeze")
def squeeze(input, dim=None):
    """``input`` without its dims of size 1 (a view).

    Without ``dim`` every size-1 dim goes; with an int or a tuple only those named, and a named
    dim whose size is not 1 is kept.

    Args:
        input (Tensor): the input.
        dim (int or tuple of int, optional): the dims to drop. Default: all size-1 dims.

    Example:
        >>> ember.squeeze(ember.zeros(2, 1, 3)).shape
        ember.Size([2, 3])
    """
    shape = input._data.shape
    if dim is None:
        drop = {i for i, n in enumerate(shape) if n == 1}
    else:
        drop = {d for d in _dims_list(dim, len(shape), "squeeze") if shape and shape[d] == 1}
    op = S.Reshape(tuple(n for i, n in enumerate(shape) if i not in drop), label="Squeeze")
    op.overload = 0 if dim is None else 2 if isinstance(dim, (tuple, list)) else 1
    return _view(input, op)


@tensor_method("unsqueeze")
def unsqueeze(input, dim):
    """``input`` with a new dim of size 1 inserted at ``dim`` (a view).

    ``dim`` ranges over ``[-input.dim() - 1, input.dim()]``; negative values count from the end.

    Args:
        input (Tensor): the input.
        dim (int): the position of the new dim in the result.

    Example:
        >>> ember.unsqueeze(ember.tensor([1, 2]), 0)
        tensor([[1, 2]])
    """
    shape = input._data.shape
    d = _wrap_dim(_index(dim, "dim"), len(shape) + 1)
    return _view(input, S.Unsqueeze(shape[:d] + (1,) + shape[d:], d))


@tensor_method("flatten")
def flatten(input, start_dim=0, end_dim=-1):
    """``input`` with dims ``start_dim`` to ``end_dim`` merged into one.

    The result is a view when the strides allow, else a copy; a 0-d input gives shape ``(1,)``.

    Args:
        input (Tensor): the input.
        start_dim (int): the first dim to merge. Default: ``0``.
        end_dim (int): the last dim to merge. Default: ``-1``.

    Example:
        >>> ember.flatten(ember.zeros(2, 3, 4), 1).shape
        ember.Size([2, 12])
    """
    shape = input._data.shape
    if not shape:
        return reshape(input, (1,))
    s, e = _wrap_dim(start_dim, len(shape)), _wrap_dim(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    n = 1
    for k in shape[s:e + 1]:
        n *= k
    return reshape(input, shape[:s] + (n,) + shape[e + 1:])


@tensor_method("ravel")
def ravel(input):
    """``input`` as a 1-D tensor: a view of a contiguous tensor, else a copy.

    Args:
        input (Tensor): the input.

    Example:
        >>> ember.ravel(ember.tensor([[1, 2], [3, 4]]))
        tensor([1, 2, 3, 4])
    """
    return view(contiguous(input), -1)


@tensor_method("unflatten")
def unflatten(input, dim, sizes):
    """``input`` with dim ``dim`` split into several dims of sizes ``sizes``.

    The product of ``sizes`` must equal the size of ``dim``; one entry may be ``-1``.

    Args:
        input (Tensor): the input.
        dim (int): the dim to split.
        sizes (tuple of int): the new sizes.

    Example:
        >>> ember.unflatten(ember.zeros(2, 6), 1, (3, -1)).shape
        ember.Size([2, 3, 2])
    """
    shape = input._data.shape
    d = _wrap_dim(dim, len(shape))
    sizes = _sizes((sizes,), "unflatten")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        sizes = _infer_shape(sizes, shape[d])
    except RuntimeError:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({shape[d]}) in the input tensor") from None
    return _reshape_view(input, shape[:d] + sizes + shape[d + 1:])


@tensor_method("contiguous")
def contiguous(self, memory_format=None):
    """Self when already row-major contiguous, else a row-major copy."""
    if self._data.flags.c_contiguous:
        return self
    return S.Reshape(self._data.shape, copy=True, label="Clone")(self)


# -- dim-reordering views ----------------------------------------------------------
def _permute(x, perm, label):
    return _view(x, S.Permute(perm, label))


@tensor_method("permute")
def permute(input, *dims):
    """A view of ``input`` with its dims reordered.

    Dim ``i`` of the result is dim ``dims[i]`` of ``input``.

    Args:
        input (Tensor): the input.
        dims (int...): a permutation of the dims, as separate ints or one tuple.

    Example:
        >>> ember.zeros(2, 3, 4).permute(2, 0, 1).shape
        ember.Size([4, 2, 3])
    """
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _sizes(dims, "permute")
    n = input._data.ndim
    if len(dims) != n:
        raise RuntimeError(f"permute(): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = "
                           f"{n} is not equal to len(dims) = {len(dims)}")
    perm = tuple(_wrap_dim(d, n) for d in dims)
    if len(set(perm)) != n:
        raise RuntimeError(f"permute(): duplicate dims are not allowed (got {list(dims)})")
    return _permute(input, perm, "Permute")


@tensor_method("transpose", "swapaxes", "swapdims")
def transpose(input, dim0, dim1):
    """A view of ``input`` with dims ``dim0`` and ``dim1`` swapped.

    Also spelled ``swapdims``; a 0-d tensor accepts 0 and -1.

    Args:
        input (Tensor): the input.
        dim0 (int): the first dim.
        dim1 (int): the second dim.

    Example:
        >>> ember.zeros(2, 3).transpose(0, 1).shape
        ember.Size([3, 2])
    """
    n = input._data.ndim
    a, b = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    perm = list(range(n))
    if n:
        perm[a], perm[b] = b, a
    return _permute(input, perm, "Transpose")


def swapaxes(input, axis0, axis1):
    """A view of ``input`` with two dims swapped: NumPy's name for :func:`ember.transpose`.

    Args:
        input (Tensor): the input.
        axis0 (int): the first dim.
        axis1 (int): the second dim.

    Example:
        >>> ember.swapaxes(ember.zeros(2, 3), 0, 1).shape
        ember.Size([3, 2])
    """
    return transpose(input, axis0, axis1)


swapdims = transpose


@tensor_method("t")
def t(input):
    """The transpose of a matrix (a view); 0-d and 1-d tensors come back unchanged.

    Args:
        input (Tensor): a tensor of at most 2 dims.

    Example:
        >>> ember.t(ember.tensor([[1, 2], [3, 4]]))
        tensor([[1, 3],
                [2, 4]])
    """
    n = input._data.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return _permute(input, tuple(range(n))[::-1], "T")


def _T(self):
    """The dims in reverse order (the transpose of a matrix; deprecated by torch for other
    ranks)."""
    n = self._data.ndim
    if n != 2:
        msg = ("Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
               "cases." if n == 0 else
               "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
               "deprecated and it will throw an error in a future release. Consider `x.mT` to "
               "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
               "to reverse the dimensions of a tensor.")
        warnings.warn(msg, UserWarning, stacklevel=2)
    return _permute(self, tuple(range(n))[::-1], "Permute")


def _mT(self):
    """The transpose of the last two dims (batches of matrices)."""
    n = self._data.ndim
    if n < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{n}-D tensor.")
    return transpose(self, -2, -1)


Tensor.T = property(_T)
Tensor.mT = property(_mT)
Tensor.mH = property(lambda self: _mT(self).conj())
Tensor.mH.__doc__ = "The conjugate transpose of the last two dims (``mT`` for real tensors)."


def _H(self):
    """The conjugate transpose of a matrix (``T`` for real tensors)."""
    if self._data.ndim not in (0, 2):
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self._data.ndim}-D tensor.")
    return (_mT(self) if self._data.ndim == 2 else _T(self)).conj()   # torch: a transpose


Tensor.H = property(_H)


@tensor_method("movedim", "moveaxis")
def movedim(input, source, destination):
    """A view of ``input`` with the dims ``source`` moved to the positions ``destination``.

    The other dims keep their order. Also spelled ``moveaxis``.

    Args:
        input (Tensor): the input.
        source (int or tuple of int): the dims to move.
        destination (int or tuple of int): their positions in the result.

    Example:
        >>> ember.movedim(ember.zeros(2, 3, 4), 0, -1).shape
        ember.Size([3, 4, 2])
    """
    n = input._data.ndim
    src = source if isinstance(source, (tuple, list)) else (source,)
    dst = destination if isinstance(destination, (tuple, list)) else (destination,)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({list(dst)} dims)")
    src = [_wrap_dim(d, n) for d in src]
    dst = [_wrap_dim(d, n) for d in dst]
    for name, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({ds})")
    perm = [-1] * n
    for s, d in zip(src, dst) if n else ():
        perm[d] = s
    rest = iter(i for i in range(n) if i not in set(src))
    perm = [p if p >= 0 else next(rest) for p in perm]
    return _permute(input, perm, "Permute")


moveaxis = movedim


def _restride_inplace(name, fn):
    """``x.unsqueeze_()`` and kin: ``x`` itself takes the view's shape, strides and graph node."""
    def method(self, *args):
        check_inplace(self)
        out = fn(self, *args)
        self._data = out._data
        if out.grad_fn is not None:
            self.grad_fn, self._output_nr = out.grad_fn, out._output_nr
        if self._base is not None:
            self._view_fn = out._view_fn
        self._vc[0] += 1
        return self
    method.__name__ = name
    method.__doc__ = f"In-place {fn.__name__}: this tensor is reshaped to the result."
    setattr(Tensor, name, method)


for _name, _fn in [("unsqueeze_", unsqueeze), ("squeeze_", squeeze), ("t_", t),
                   ("transpose_", transpose), ("swapaxes_", transpose), ("swapdims_", transpose)]:
    _restride_inplace(_name, _fn)


# -- window views -------------------------------------------------------------------
@tensor_method("expand")
def expand(self, *sizes):
    """Broadcast to ``sizes`` without copying (-1 keeps a dim; new dims go in front)."""
    sizes = _sizes(sizes, "expand")
    shape = self._data.shape
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(f"expand({self.type()}{{{list(shape)}}}, size={list(sizes)}): the number "
                           f"of sizes provided ({len(sizes)}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({len(shape)})")
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            out.append(s)
            continue
        have = shape[i - lead]
        if s == -1:
            s = have
        if have != s and have != 1:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({have}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(shape)}")
        out.append(s)
    return _view(self, S.Expand(out))


@tensor_method("expand_as")
def expand_as(self, other):
    """``self.expand(other.shape)``: a broadcast view of ``self`` with ``other``'s shape."""
    return expand(self, tuple(other.shape))


@tensor_method("broadcast_to")
def broadcast_to(input, size):
    """``input`` broadcast to the shape ``size`` (a view, no copy).

    Size-1 dims are stretched and new leading dims added; ``-1`` keeps a dim's size.

    Args:
        input (Tensor): the input.
        size (tuple of int): the target shape.

    Example:
        >>> ember.broadcast_to(ember.tensor([1, 2]), (2, 2))
        tensor([[1, 2],
                [1, 2]])
    """
    return expand(input, tuple(size))


def broadcast_shapes(*shapes):
    """The shape that tensors of the given shapes broadcast to.

    Shapes are aligned at the right; each dim must agree or be 1. An int counts as a 1-d shape.
    Raises ``RuntimeError`` when the shapes clash.

    Args:
        shapes (tuple of int or int...): the shapes.

    Example:
        >>> ember.broadcast_shapes((2, 1), (3,))
        ember.Size([2, 3])
    """
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    out = [1] * max((len(s) for s in shapes), default=0)
    for k, shape in enumerate(shapes):
        for i, n in enumerate(reversed(shape), 1):
            if n != 1 and out[-i] != 1 and out[-i] != n:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {-i}! "
                                   f"Mismatching argument at index {k} had {shape}; but expected "
                                   f"shape should be broadcastable to {out}")
            if n != 1:
                out[-i] = n
    return Size(out)


def broadcast_tensors(*tensors):
    """Views of all ``tensors`` expanded to their common broadcast shape.

    Args:
        tensors (Tensor...): the tensors.

    Example:
        >>> [y.shape for y in ember.broadcast_tensors(ember.zeros(2, 1), ember.zeros(3))]
        [ember.Size([2, 3]), ember.Size([2, 3])]
    """
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tensors[0]
    shapes = [t._data.shape for t in tensors]
    shape = broadcast_shape(*shapes)
    return tuple(expand(t, shape) for t in tensors)


def _dim_or_raise(x, dim, name):
    if x._data.ndim == 0:
        raise RuntimeError(f"{name}() cannot be applied to a 0-dim tensor.")
    return _wrap_dim(_index(dim, "dim"), x._data.ndim)


@tensor_method("narrow")
def narrow(input, dim, start, length):
    """The elements ``start`` to ``start + length - 1`` of ``input`` along ``dim`` (a view).

    Args:
        input (Tensor): the input.
        dim (int): the dim to narrow.
        start (int or Tensor): the first index kept.
        length (int): how many indices to keep.

    Example:
        >>> ember.narrow(ember.arange(5), 0, 1, 3)
        tensor([1, 2, 3])
    """
    d = _dim_or_raise(input, dim, "narrow")
    n = input._data.shape[d]
    start, length = _index(start, "start"), _index(length, "length")
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    if start < 0:
        start += n
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    index = (slice(None),) * d + (slice(start, start + length),)
    return _view(input, S.Slice(index, "Slice"))


@tensor_method("narrow_copy")
def narrow_copy(input, dim, start, length):
    """:func:`ember.narrow` as a new tensor (a copy, not a view).

    Args:
        input (Tensor): the input.
        dim (int): the dim to narrow.
        start (int): the first index kept.
        length (int): how many indices to keep.

    Example:
        >>> ember.narrow_copy(ember.arange(5), 0, 1, 3)
        tensor([1, 2, 3])
    """
    return relabel(narrow(input, dim, start, length).clone(), "NarrowCopyBackward0")


@tensor_method("select")
def select(input, dim, index):
    """The slice of ``input`` at ``index`` along ``dim``, with that dim removed (a view).

    ``select(x, 1, i)`` is ``x[:, i]``.

    Args:
        input (Tensor): the input.
        dim (int): the dim to index.
        index (int): the position along ``dim``.

    Example:
        >>> ember.select(ember.arange(6).reshape(2, 3), 1, 0)
        tensor([0, 3])
    """
    if input._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(_index(dim, "dim"), input._data.ndim)
    n, i = input._data.shape[d], _index(index, "index")
    if not -n <= i < n:
        raise IndexError(f"select(): index {i} out of range for tensor of size "
                         f"{list(input._data.shape)} at dimension {d}")
    key = (slice(None),) * d + (i + n if i < 0 else i, Ellipsis)
    return _view(input, S.Slice(key, "Select"))


@tensor_method("diagonal")
def diagonal(input, offset=0, dim1=0, dim2=1):
    """A view of a diagonal of ``input`` in the plane of ``dim1`` and ``dim2``.

    ``offset`` 0 is the main diagonal, positive above it, negative below. The two dims are
    removed and the diagonal becomes the last dim.

    Args:
        input (Tensor): the input.
        offset (int): which diagonal. Default: ``0``.
        dim1 (int): the first dim. Default: ``0``.
        dim2 (int): the second dim. Default: ``1``.

    Example:
        >>> ember.diagonal(ember.tensor([[1, 2], [3, 4]]))
        tensor([1, 4])
    """
    n = input._data.ndim
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _view(input, S.Diagonal(offset, d1, d2))


_diagonal = diagonal  # diag's ``diagonal`` argument shadows the function


@tensor_method("unfold")
def unfold(self, dimension, size, step):
    """Every ``step``-th window of ``size`` along ``dimension``, as a new last dim (a view)."""
    n = self._data.ndim
    d = _wrap_dim(dimension, n)
    have = self._data.shape[d] if n else 1
    if size > have:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {have} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return _view(self, S.Unfold(d, size, step))


@tensor_method("as_strided")
def as_strided(input, size, stride, storage_offset=None):
    """A view of ``input``'s memory with the given sizes and strides.

    Element ``[i, j, ...]`` of the result is element ``storage_offset + i * stride[0] + j *
    stride[1] + ...`` of the underlying storage, counted in elements. Overlapping views are
    allowed; writing to them is unsafe.

    Args:
        input (Tensor): the input.
        size (tuple of int): the shape of the view.
        stride (tuple of int): the step of each dim, in elements.
        storage_offset (int, optional): the first element. Default: ``input``'s own offset.

    Example:
        >>> ember.as_strided(ember.arange(4), (2, 2), (1, 1))
        tensor([[0, 1],
                [1, 2]])
    """
    size, stride = _sizes((size,), "as_strided"), _sizes((stride,), "as_strided")
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape ({len(stride)} strides for "
                           f"{len(size)} sizes)")
    if any(s < 0 for s in size) or any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: negative sizes or strides are not supported (size "
                           f"{list(size)}, stride {list(stride)})")
    root = input._base if input._base is not None else input
    own = input.storage_offset()
    offset = own if storage_offset is None else _index(storage_offset, "storage_offset")
    op = S.AsStrided(size, stride, offset, (own, S.elem_strides(input._data)), root._data)
    return as_view(op(input), root, op.view)


# -- splitting into views ---------------------------------------------------------------
def _split_at(x, d, bounds, label, stops=None):
    """Views of ``x`` along dim ``d`` from each bound to the next (or to ``stops``), one op."""
    lead = (slice(None),) * d
    stops = bounds[1:] if stops is None else stops
    indices = [lead + (slice(a, b),) for a, b in zip(bounds, stops)]
    return _multi_view(x, S.Split(indices, label))


def _multi_view(x, op):
    outs = op(x)
    multi = op.label in ("Unbind", "Split", "SplitWithSizes")  # torch slices tensor_split's
    return tuple(as_view(o, x, operator.itemgetter(i), multi) for o, i in zip(outs, op.indices))


def _split_dim(x, dim):
    if x._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    return _wrap_dim(_index(dim, "dim"), x._data.ndim)


@tensor_method("split")
def split(tensor, split_size_or_sections, dim=0):
    """``tensor`` cut along ``dim`` into pieces (views).

    An int gives pieces of that size (the last may be smaller); a list gives the size of each
    piece, which must add up to the size of ``dim``.

    Args:
        tensor (Tensor): the input.
        split_size_or_sections (int or list of int): the piece size or sizes.
        dim (int): the dim to cut. Default: ``0``.

    Example:
        >>> ember.split(ember.arange(5), 2)
        (tensor([0, 1]), tensor([2, 3]), tensor([4]))
        >>> ember.split(ember.arange(5), [1, 4])
        (tensor([0]), tensor([1, 2, 3, 4]))
    """
    d = _split_dim(tensor, dim)
    n = tensor._data.shape[d]
    if isinstance(split_size_or_sections, (tuple, list)):
        sizes = [_index(s, "split size") for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                               f"tensor's size at dimension {d}), but got split_sizes={sizes}")
        bounds = [0]
        for s in sizes:
            bounds.append(bounds[-1] + s)
        return _split_at(tensor, d, bounds, "SplitWithSizes")
    size = _index(split_size_or_sections, "split_size")
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n:
        raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {n}")
    bounds = list(range(0, n, size)) + [n] if n else [0, 0]
    return _split_at(tensor, d, bounds, "Split")


@tensor_method("chunk")
def chunk(input, chunks, dim=0):
    """``input`` cut along ``dim`` into at most ``chunks`` pieces of equal size (views).

    Each piece has ``ceil(size / chunks)`` elements along ``dim``; the last may be smaller and
    there may be fewer than ``chunks`` pieces.

    Args:
        input (Tensor): the input.
        chunks (int): the number of pieces wanted.
        dim (int): the dim to cut. Default: ``0``.

    Example:
        >>> ember.chunk(ember.arange(5), 2)
        (tensor([0, 1, 2]), tensor([3, 4]))
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _split_dim(input, dim)
    n = input._data.shape[d]
    if n == 0:
        return _split_at(input, d, [0] * (chunks + 1), "Split")
    return split(input, -(-n // chunks), d)


@tensor_method("tensor_split")
def tensor_split(input, indices_or_sections, dim=0):
    """``input`` cut along ``dim`` into nearly equal pieces or at given indices (views).

    An int ``n`` gives exactly ``n`` pieces whose sizes differ by at most one (the first ones
    larger); a list of indices cuts before each of them.

    Args:
        input (Tensor): the input.
        indices_or_sections (int or list of int or Tensor): the count or the cut points.
        dim (int): the dim to cut. Default: ``0``.

    Example:
        >>> ember.tensor_split(ember.arange(5), 3)
        (tensor([0, 1]), tensor([2, 3]), tensor([4]))
    """
    d = _split_dim(input, dim)
    n = input._data.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios._data.dtype.kind not in "iu" or ios._data.dtype.itemsize != 8:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of "
                               f"long, but got {ios.dtype._tensor_type[:-6]}")
        if ios._data.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-"
                               f"dimensional or one-dimensional tensor, but got a tensor with "
                               f"{ios._data.ndim} dims")
        ios = ios.item() if ios._data.ndim == 0 else ios.tolist()
    if isinstance(ios, (tuple, list)):
        # pieces are the slices [0:i0], [i0:i1], ..., [ik:]: negative cuts wrap, big ones clamp
        cuts = [_index(i, "index") for i in ios]
        return _split_at(input, d, [0] + cuts, "Slice", stops=cuts + [None])
    k = _index(ios, "sections")
    if k <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {k}")
    q, r = divmod(n, k)
    bounds = [0]
    for i in range(k):
        bounds.append(bounds[-1] + q + (1 if i < r else 0))
    return _split_at(input, d, bounds, "Slice")  # torch slices each piece


@tensor_method("unbind")
def unbind(input, dim=0):
    """Every slice of ``input`` along ``dim``, with that dim removed (a tuple of views).

    Args:
        input (Tensor): the input.
        dim (int): the dim to take apart. Default: ``0``.

    Example:
        >>> ember.unbind(ember.arange(6).reshape(2, 3))
        (tensor([0, 1, 2]), tensor([3, 4, 5]))
    """
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(_index(dim, "dim"), input._data.ndim)
    lead = (slice(None),) * d
    indices = [lead + (i, Ellipsis) for i in range(input._data.shape[d])]
    return _multi_view(input, S.Split(indices, "Unbind"))


def _numpy_split(name, dim, min_dims):
    def fn(input, indices_or_sections):
        if input._data.ndim < min_dims:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} "
                               f"dimension{'s' if min_dims > 1 else ''}, but got a tensor with "
                               f"{input._data.ndim} dimensions!")
        d = 0 if name == "hsplit" and input._data.ndim == 1 else dim
        if isinstance(indices_or_sections, int):
            n, k = input._data.shape[d], indices_or_sections
            if k == 0 or n % k:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the "
                                   f"size of the dimension {n} is not divisible by the split_size "
                                   f"{k}!")
        return tensor_split(input, indices_or_sections, d)
    fn.__name__ = name
    fn.__doc__ = f"""``input`` cut into pieces along dim {dim}, as NumPy's ``{name}`` (views).

    :func:`ember.tensor_split` along dim {dim}{" (dim 0 for a 1-D input)" if name == "hsplit" else ""};
    an int must divide that dim's size exactly.

    Args:
        input (Tensor): a tensor of at least {min_dims} dims.
        indices_or_sections (int or list of int): the number of equal pieces or the cut points.

    Example:
        >>> ember.{name}(ember.zeros({", ".join(["4"] * max(min_dims, dim + 1))}), 2)[0].shape
        ember.Size([{", ".join(["2" if i == dim else "4" for i in range(max(min_dims, dim + 1))])}])
    """
    return tensor_method(name)(fn)


hsplit = _numpy_split("hsplit", 1, 1)
vsplit = _numpy_split("vsplit", 0, 2)
dsplit = _numpy_split("dsplit", 2, 3)
