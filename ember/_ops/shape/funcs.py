"""Public shape functions and Tensor methods: views, splits, joins and rearrangements.

Ops that are views in torch return tensors sharing memory with their input
(marked with ``as_view``); the others copy.  Argument checks raise torch's
exception types with messages naming the sizes and dims involved.
"""
import operator
import warnings

from ..._tensor import Tensor, Size, tensor_method, _wrap_dim
from ..._dtype import dtype as _dtype_cls, promote_types
from . import ops as S
from ..base import relabel
from ..common import handle_out, broadcast_shape
from ..inplace import apply_inplace, check_inplace
from ...autograd.views import as_view
from ..._tensor import _wrap
from ..creation import arange
from ...autograd import grad_mode

__all__ = ["reshape", "transpose", "swapaxes", "swapdims", "permute", "t", "squeeze", "unsqueeze",
           "narrow", "narrow_copy", "select", "unflatten", "flatten", "ravel", "movedim",
           "moveaxis", "as_strided", "diagonal", "split", "tensor_split", "chunk", "unbind",
           "hsplit", "vsplit", "dsplit", "cat", "concat", "concatenate", "stack", "hstack",
           "vstack", "dstack", "column_stack", "row_stack", "tile", "repeat_interleave", "flip",
           "fliplr", "flipud", "roll", "rot90", "tril", "triu", "diag", "diagflat", "diag_embed",
           "broadcast_to", "broadcast_tensors", "broadcast_shapes", "atleast_1d", "atleast_2d",
           "atleast_3d", "meshgrid", "fill_", "zero_"]


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
    """A view when the memory allows one (as ``view``), else a contiguous copy."""
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
    """Drop size-1 dims (all, one, or a tuple of them; others named are kept)."""
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
    shape = input._data.shape
    d = _wrap_dim(_index(dim, "dim"), len(shape) + 1)
    return _view(input, S.Unsqueeze(shape[:d] + (1,) + shape[d:], d))


@tensor_method("flatten")
def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one (a view when the strides allow)."""
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
    """1-D: a view of a contiguous tensor, else a flattened copy."""
    return view(contiguous(input), -1)


@tensor_method("unflatten")
def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one may be -1)."""
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
    """A view with the dims in the order ``dims`` (a tuple or separate ints).

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
    """A view with dims ``dim0`` and ``dim1`` swapped (a 0-d tensor accepts 0 and -1).

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
    return transpose(input, axis0, axis1)


swapdims = transpose


@tensor_method("t")
def t(input):
    """Transpose of a matrix; 0-d and 1-d tensors come back as views of themselves."""
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
    return expand(input, tuple(size))


def broadcast_shapes(*shapes):
    """The shape that all ``shapes`` broadcast to (ints count as 1-d shapes)."""
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
    """Views of all tensors expanded to their common broadcast shape."""
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
    """Elements start..start+length-1 of ``dim`` (a view)."""
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
    """``narrow`` as a new tensor (a copy, not a view)."""
    return relabel(narrow(input, dim, start, length).clone(), "NarrowCopyBackward0")


@tensor_method("select")
def select(input, dim, index):
    """The slice at ``index`` of ``dim``, which is removed (a view)."""
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
    """A view of the ``offset`` diagonal of (dim1, dim2), appended as the last dim."""
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
    """A view with the given sizes and element strides on the root tensor's memory."""
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
    """Pieces of ``split_size`` (the last may be smaller) or of the listed sizes (views)."""
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
    """At most ``chunks`` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _split_dim(input, dim)
    n = input._data.shape[d]
    if n == 0:
        return _split_at(input, d, [0] * (chunks + 1), "Split")
    return split(input, -(-n // chunks), d)


@tensor_method("tensor_split")
def tensor_split(input, indices_or_sections, dim=0):
    """``sections`` nearly equal pieces, or pieces between the given indices (views)."""
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
    """Every slice along ``dim`` with that dim removed (views)."""
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
    fn.__doc__ = f"NumPy-style {name}: tensor_split along dim {dim}."
    return tensor_method(name)(fn)


hsplit = _numpy_split("hsplit", 1, 1)
vsplit = _numpy_split("vsplit", 0, 2)
dsplit = _numpy_split("dsplit", 2, 3)


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
    """Join along an existing dim; 1-D empty tensors are skipped whatever their shape (torch's rule)."""
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
    return cat(tensors, axis, out=out)


def stack(tensors, dim=0, *, out=None):
    """Join along a new dim; all tensors must have the same shape."""
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
    tensors = atleast_1d(_tensor_list(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    return cat(atleast_2d(_tensor_list(tensors, "vstack")), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    return cat(atleast_3d(_tensor_list(tensors, "dstack")), 2, out=out)


def column_stack(tensors, *, out=None):
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
    fn.__doc__ = f"Views with at least {n} dims (tensors already so are returned as they are)."
    return fn


atleast_1d = _atleast(1, lambda s: (1,))
atleast_2d = _atleast(2, lambda s: (1,) * (2 - len(s)) + s)
atleast_3d = _atleast(3, lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)])


def meshgrid(*tensors, indexing=None):
    """Coordinate grids (views via expand); ``indexing='xy'`` swaps the first two dims."""
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
    """``repeat`` with ``dims`` padded by leading ones up to the tensor's rank."""
    dims = _sizes((dims,), "tile")
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


@tensor_method("repeat_interleave")
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element (along ``dim``, or of the flattened tensor) ``repeats`` times."""
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
    """Reverse the order of elements along ``dims`` (given as a tuple, as separate ints, or
    as the keyword ``dims``); a copy, not a view.

    >>> ember.flip(ember.tensor([[1, 2], [3, 4]]), dims=(0,)).tolist()
    [[3, 4], [1, 2]]
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
    if input._data.ndim < 2:
        raise RuntimeError(f"Input must be >= 2-d (got {input._data.ndim}-d).")
    return flip(input, (1,))


@tensor_method("flipud")
def flipud(input):
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d (got 0-d).")
    return flip(input, (0,))


@tensor_method("roll")
def roll(input, shifts, dims=None):
    """Shift elements circularly; with no ``dims`` the flattened tensor is rolled."""
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
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first towards the second."""
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
    fn.__doc__ = (f"Zero the elements {'below' if upper else 'above'} the ``diagonal``-th "
                  "diagonal of the last two dims.")
    tensor_method(name + "_")(fn_)
    return tensor_method(name)(fn)


tril, triu = _tri(False), _tri(True)


@tensor_method("diag")
def diag(input, diagonal=0, *, out=None):
    """Vector -> matrix with it on the ``diagonal``-th diagonal; matrix -> that diagonal (copies)."""
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
    return diag_embed(reshape(input, (-1,)), offset, 0, 1)


@tensor_method("diag_embed")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Put the last dim on the ``offset`` diagonal of new dims (dim1, dim2), zeros elsewhere."""
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
    """Set every element to ``value`` (a number or a 0-d tensor, whose gradient is the sum)."""
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
    return fill_(self, 0)


def _grad_enabled():
    return grad_mode.state.enabled
