"""The second interpretation of backward formulas: NumPy's vocabulary over differentiable Tensors.

Every op's ``backward`` is written once, against the array namespace it gets from
``get_xp(grad)`` and the array methods NumPy gives (``g.sum(axis=, keepdims=)``,
``a.conjugate()``, ``g.dtype.kind``).  On the first-order path the gradients are NumPy (or
CuPy) arrays and the formula runs on them directly.  Under ``create_graph=True`` the engine hands
the same formula ``ArrayTensor`` gradients instead: a thin stand-in holding an ember Tensor that
answers NumPy's array methods and operators with ember's differentiable functions, and whose
``get_xp`` is ``NAMESPACE``, a module-like object exposing NumPy's function names (``where``,
``exp``, ``matmul``, ``moveaxis`` ...) as those functions.  The values the node saved are swapped
for ArrayTensors for the duration of the call: saved inputs become the input Tensors themselves,
a saved output becomes a Tensor whose ``grad_fn`` is the node, so the result of the formula is
itself part of the graph and can be differentiated again.

The stand-in is a separate class (not Tensor methods) so that the public Tensor keeps torch's
API and NumPy's names (``astype``, ``swapaxes`` with NumPy's signature, ``dtype.kind``) stay
private to backward formulas.  Values a forward derived from its inputs are recomputed from
the swapped ones by the op's ``regraph()`` where they depend on them differentiably; masks and
indices remain constants, which is right since they are piecewise constant.
"""
import numpy as np

from .._backend import get_array_module, is_array
from .._backend.storage import data_address
from .._dtype import FROM_NP
from .._tensor import Tensor, _wrap


def _api():
    import ember  # deferred: the namespace serves the whole public API, which sits above autograd
    return ember


class ArrayTensor:
    """A Tensor seen through NumPy's array interface (what backward formulas read).

    ``t`` is the Tensor; operators and methods return ArrayTensors.  NumPy arrays meeting one
    in an operator defer to it (``__array_ufunc__ = None``), so ``mask * g`` stays
    differentiable.  Writes (``a[i] = v``, ``a += v``, ``out=a``) replace ``t`` with a new
    Tensor (the old one may be a saved input or a cotangent the caller owns); an ArrayTensor
    made by indexing remembers its source (``src``: parent and index) and passes its writes
    on, so writing through a view updates the array it views, as in NumPy.
    """

    __slots__ = ("t", "src")
    __array_ufunc__ = None
    __array_priority__ = 10000

    def __init__(self, t, src=None):
        self.t, self.src = t, src

    def assign(self, t):
        """Make ``t`` this array's value, and write it through to the viewed array if any."""
        self.t = t
        if self.src is not None:
            parent, index = self.src
            parent[index] = self

    # -- metadata, NumPy's spelling -----------------------------------------
    @property
    def shape(self):
        return self.t._data.shape

    @property
    def dtype(self):
        return self.t._data.dtype

    @property
    def ndim(self):
        return self.t._data.ndim

    @property
    def size(self):
        return self.t._data.size

    @property
    def itemsize(self):
        return self.t._data.itemsize

    @property
    def strides(self):
        return self.t._data.strides

    @property
    def flags(self):
        return self.t._data.flags

    @property
    def base(self):
        return None

    @property
    def T(self):
        return self.transpose()

    @property
    def real(self):
        return _out(_api().real(self.t) if self.t.is_complex() else self.t)

    @property
    def imag(self):
        return _out(_api().imag(self.t))

    def __array__(self, dtype=None, copy=None):
        raise TypeError("create_graph=True: a backward formula handed a Tensor to a NumPy "
                        "function directly; it should call the namespace get_xp() gives")

    def __len__(self):
        return len(self.t)

    def __bool__(self):
        return bool(self.t._data)

    def __float__(self):
        return float(self.t._data)

    def __int__(self):
        return int(self.t._data)

    def __index__(self):
        return int(self.t._data)

    def __repr__(self):
        return f"ArrayTensor({self.t!r})"

    def item(self):
        return self.t._data.item()

    def all(self, *a, **k):
        return self.t._data.all(*a, **k)

    def any(self, *a, **k):
        return self.t._data.any(*a, **k)

    def nonzero(self):
        return self.t._data.nonzero()

    # -- methods ------------------------------------------------------------
    def sum(self, axis=None, dtype=None, keepdims=False):
        return NAMESPACE.sum(self, axis, dtype, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, keepdims=False):
        return NAMESPACE.mean(self, axis, dtype, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return NAMESPACE.amax(self, axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return NAMESPACE.amin(self, axis, keepdims=keepdims)

    def prod(self, axis=None, keepdims=False):
        return NAMESPACE.prod(self, axis, keepdims=keepdims)

    def cumsum(self, axis=None):
        return NAMESPACE.cumsum(self, axis)

    def reshape(self, *shape, order="C"):
        return NAMESPACE.reshape(self, shape[0] if len(shape) == 1 else shape)

    def ravel(self):
        return self.reshape(-1)

    flatten = ravel

    def astype(self, dtype, copy=True, **_):
        return NAMESPACE.asarray(self, dtype)

    def view(self, dtype=None):
        if dtype is None or np.dtype(dtype) == self.dtype:
            return self
        raise NotImplementedError("create_graph: reinterpreting bits has no gradient")

    def conjugate(self):
        return NAMESPACE.conj(self)

    conj = conjugate

    def copy(self, order="C"):
        return ArrayTensor(self.t)  # writes replace ``t``, so a new holder is a copy

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return NAMESPACE.transpose(self, axes or None)

    def swapaxes(self, a, b):
        return NAMESPACE.swapaxes(self, a, b)

    def squeeze(self, axis=None):
        return NAMESPACE.squeeze(self, axis)

    def dot(self, other):
        return NAMESPACE.dot(self, other)

    def clip(self, lo=None, hi=None):
        return NAMESPACE.clip(self, lo, hi)

    def __getitem__(self, index):
        return ArrayTensor(self.t[_index(index)], (self, index))

    def __setitem__(self, index, value):
        t = self.t.clone()
        t[_index(index)] = _in(value)
        self.assign(t)

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _numeric(x):
    """A boolean operand as the integers NumPy would treat it as."""
    t = x.t if type(x) is ArrayTensor else x
    if isinstance(t, Tensor) and t._data.dtype == np.bool_:
        t = t.long()
        return ArrayTensor(t) if type(x) is ArrayTensor else t
    return x


def _index(index):
    if isinstance(index, tuple):
        return tuple(_index_part(i) for i in index)
    return _index_part(index)


def _index_part(i):
    if isinstance(i, ArrayTensor):
        return i.t._data
    return i


def _out(r):
    """Results of ember functions as ArrayTensors (through tuples and lists)."""
    if isinstance(r, Tensor):
        return ArrayTensor(r)
    if isinstance(r, list):
        return [_out(x) for x in r]
    if isinstance(r, tuple):
        return tuple(_out(x) for x in r)
    return r


def _in(x):
    """An argument for an ember function: the Tensor of an ArrayTensor, a constant Tensor for
    an array, a Python number as is."""
    if type(x) is ArrayTensor:
        return x.t
    if isinstance(x, np.generic):
        return _wrap(np.asarray(x))
    if hasattr(x, "shape") and not isinstance(x, Tensor):
        return _wrap(x)
    return x


def _tensor(x, like=None):
    """``x`` as a Tensor (numbers become 0-d tensors of ``like``'s dtype, or NumPy's)."""
    x = _in(x)
    if isinstance(x, Tensor):
        return x
    if like is not None:
        return _wrap(np.asarray(x, dtype=_in(like)._data.dtype))
    return _wrap(np.asarray(x))


def _raw(x):
    if type(x) is ArrayTensor:
        return x.t._data
    if isinstance(x, (list, tuple)):
        return type(x)(_raw(v) for v in x)
    return x


def _binary(name, reflected=False):
    def op(self, other):
        other = _in(other)
        if name == "sub":  # NumPy subtracts booleans as integers, torch refuses: follow NumPy
            self, other = _numeric(self), _numeric(other)
        if reflected:
            if isinstance(other, Tensor):
                return _out(getattr(Tensor, f"__{name}__")(other, self.t))
            return _out(getattr(Tensor, f"__r{name}__")(self.t, other))
        return _out(getattr(Tensor, f"__{name}__")(self.t, other))
    return op


def _inplace(name):
    op = _binary(name)

    def iop(self, other):
        r = op(self, other)
        if r.t._data.dtype != self.t._data.dtype:
            r.t = r.t.to(self.t.dtype)
        self.assign(r.t)
        return self
    return iop


for _name in ("add", "sub", "mul", "truediv", "pow", "matmul", "floordiv", "mod", "and",
              "or", "xor"):
    setattr(ArrayTensor, f"__{_name}__", _binary(_name))
    setattr(ArrayTensor, f"__r{_name}__", _binary(_name, reflected=True))
    setattr(ArrayTensor, f"__i{_name}__", _inplace(_name))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(ArrayTensor, f"__{_name}__", _binary(_name))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(ArrayTensor, f"__{_name}__", (lambda n: lambda self: _out(getattr(Tensor, n)(self.t)))(
        f"__{_name}__"))
ArrayTensor.__hash__ = object.__hash__


def _axis(axis):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (tuple, list)) else axis


def _dims(axis, ndim):
    return tuple(range(ndim)) if axis is None else axis


class _AddAt:
    """``xp.add.at(out, index, values)``: scatter-add into ``out`` (differentiable)."""

    @staticmethod
    def at(out, index, values):
        index = tuple(_tensor(i).long() for i in index) if isinstance(index, tuple) else \
            (_tensor(index).long(),)
        out.assign(out.t.index_put(index, _value_of(values, out), accumulate=True))


def _value_of(values, out):
    v = _tensor(values, out)
    return v.to(out.t.dtype) if v.dtype != out.t.dtype else v


class _Ufunc:
    """A NumPy ufunc name (``xp.multiply``) that also carries ``.at``/``.accumulate`` where
    formulas use them."""

    def __init__(self, fn, at=None):
        self.fn, self.at_fn = fn, at

    def __call__(self, *a, **k):
        return self.fn(*a, **k)

    def at(self, *a):
        if self.at_fn is None:
            raise NotImplementedError("create_graph: this ufunc's .at has no differentiable form")
        return self.at_fn(*a)


class _Module:
    """``xp.linalg`` or ``xp.special`` (SciPy's names) over ember's namespace of that name."""

    def __init__(self, name):
        self.name = name

    def __getattr__(self, name):
        fn = getattr(getattr(_api(), self.name), name)

        def call(*a, **k):
            return _out(fn(*[_tensor(x) if hasattr(x, "shape") else _in(x) for x in a], **k))
        return call


class _FFT:
    """``xp.fft`` over ember.fft (NumPy's ``axis``/``axes`` are ember's ``dim``)."""

    def __getattr__(self, name):
        fn = getattr(_api().fft, name)

        def call(a, *args, axis=None, axes=None, **k):
            dim = axis if axis is not None else axes
            if dim is not None:
                k["dim"] = dim
            return _out(fn(_tensor(a), *args, **k))
        return call


class Namespace:
    """NumPy's function names as ember's differentiable functions, on ArrayTensors.

    Functions whose results carry no gradient (``isnan``, ``argmax``, ``arange``, ``zeros``)
    compute on the raw arrays and return constants; NumPy's constants and dtypes are NumPy's.
    A name with no differentiable form here raises NotImplementedError naming it.
    """

    __name__ = "ember.autograd.tensor_xp"
    linalg = _Module("linalg")
    special = _Module("special")
    fft = _FFT()

    #: NumPy functions whose results are constants (no gradient flows through them)
    CONSTANT = frozenset((
        "isnan", "isinf", "isfinite", "isneginf", "isposinf", "signbit", "argmax", "argmin",
        "argsort", "argwhere", "argpartition", "arange", "eye", "nonzero", "logical_and",
        "logical_or", "logical_not", "greater", "less", "equal", "greater_equal", "less_equal",
        "not_equal", "floor", "ceil", "trunc", "rint", "sign", "floor_divide", "may_share_memory",
        "tri", "indices",
        "unravel_index", "ravel_multi_index", "searchsorted", "isclose", "array_equal",
        "count_nonzero", "sort", "unique"))
    #: NumPy names that are not functions of arrays (dtypes, constants, dtype queries)
    PASSTHROUGH = frozenset(("result_type", "broadcast_shapes", "finfo", "iinfo", "dtype",
                             "promote_types", "can_cast", "issubdtype", "ndim", "shape"))

    def __getattr__(self, name):
        value = getattr(np, name)
        if not callable(value) or isinstance(value, type) or name in self.PASSTHROUGH:
            return value
        if name in self.CONSTANT:
            def constant(*a, **k):
                raw = [_raw(x) for x in a]
                first = next((x for x in raw if hasattr(x, "shape")), None)
                fn = getattr(get_array_module(first) if first is not None else np, name)
                res = fn(*raw, **{key: _raw(v) for key, v in k.items()})
                return _const(res)
            return constant
        raise NotImplementedError(f"create_graph=True: NumPy's {name} has no differentiable "
                                  "form in ember.autograd.tensor_xp yet")

    # -- creation (constants) ----------------------------------------------
    @staticmethod
    def zeros(shape, dtype=float, **_):
        return ArrayTensor(_wrap(np.zeros(shape, dtype)))

    @staticmethod
    def ones(shape, dtype=float, **_):
        return ArrayTensor(_wrap(np.ones(shape, dtype)))

    empty = zeros

    @staticmethod
    def full(shape, value, dtype=None, **_):
        return ArrayTensor(_wrap(np.full(shape, _raw(value), dtype)))

    @staticmethod
    def zeros_like(x, dtype=None, **_):
        return Namespace.zeros(_shape(x), dtype or x.dtype)

    empty_like = zeros_like

    @staticmethod
    def ones_like(x, dtype=None, **_):
        return Namespace.ones(_shape(x), dtype or x.dtype)

    @staticmethod
    def full_like(x, value, dtype=None, **_):
        return Namespace.full(_shape(x), value, dtype or x.dtype)

    @staticmethod
    def asarray(x, dtype=None, **_):
        if type(x) is not ArrayTensor:
            return ArrayTensor(_wrap(np.asarray(x, dtype)))
        if dtype is None or np.dtype(dtype) == x.dtype:
            return x
        return _out(x.t.to(FROM_NP[np.dtype(dtype)]))

    @staticmethod
    def array(x, dtype=None, copy=True, **_):
        """NumPy's ``array``: a copy (a new holder of the same Tensor, see ``copy``)."""
        res = Namespace.asarray(x, dtype)
        return ArrayTensor(res.t) if res is x else res

    @staticmethod
    def ascontiguousarray(x, dtype=None):
        return Namespace.asarray(x, dtype)

    # -- elementwise --------------------------------------------------------
    @staticmethod
    def where(cond, a=None, b=None):
        if a is None:
            return _raw(cond).nonzero()
        c = _tensor(cond)
        if c.dtype is not _api().bool:
            c = c != 0
        return _out(_api().where(c, _in(a), _in(b)))

    @staticmethod
    def clip(x, lo=None, hi=None, out=None):
        return _out(_api().clamp(_tensor(x), _in(lo), _in(hi)))

    @staticmethod
    def conj(x):
        t = _tensor(x)
        return _out(_api().conj_physical(t) if t.is_complex() else t)

    conjugate = conj

    @staticmethod
    def real(x):
        t = _tensor(x)
        return _out(_api().real(t) if t.is_complex() else t)

    @staticmethod
    def imag(x):
        return _out(_api().imag(_tensor(x)))

    @staticmethod
    def power(a, b):
        return _out(_api().pow(_in(a), _in(b)) if isinstance(_in(a), Tensor)
                    else _api().pow(_in(a), _tensor(b)))

    # -- reductions ---------------------------------------------------------
    @staticmethod
    def sum(x, axis=None, dtype=None, keepdims=False, **_):
        t = _tensor(x)
        axis = _axis(axis)
        if axis == ():
            r = t
        else:
            r = t.sum(_dims(axis, t.ndim), keepdim=keepdims) if t.ndim else t.sum()
        if dtype is not None:
            r = r.to(FROM_NP[np.dtype(dtype)])
        return _out(r)

    @staticmethod
    def mean(x, axis=None, dtype=None, keepdims=False, **_):
        t = _tensor(x)
        return _out(t.mean(_dims(_axis(axis), t.ndim), keepdim=keepdims) if t.ndim else t)

    @staticmethod
    def amax(x, axis=None, keepdims=False, **_):
        t = _tensor(x)
        return _out(_api().amax(t, _dims(_axis(axis), t.ndim), keepdims) if t.ndim else t)

    @staticmethod
    def amin(x, axis=None, keepdims=False, **_):
        t = _tensor(x)
        return _out(_api().amin(t, _dims(_axis(axis), t.ndim), keepdims) if t.ndim else t)

    max, min = amax, amin

    @staticmethod
    def prod(x, axis=None, keepdims=False, **_):
        t = _tensor(x)
        if axis is None:
            r = t.prod()
            return _out(r.reshape((1,) * t.ndim) if keepdims else r)
        return _out(t.prod(axis, keepdim=keepdims))

    @staticmethod
    def cumsum(x, axis=None, **_):
        t = _tensor(x)
        return _out(t.reshape(-1).cumsum(0) if axis is None else t.cumsum(axis))

    @staticmethod
    def cumprod(x, axis=None, **_):
        t = _tensor(x)
        return _out(t.reshape(-1).cumprod(0) if axis is None else t.cumprod(axis))

    # -- linear algebra -----------------------------------------------------
    @staticmethod
    def matmul(a, b, out=None, **_):
        return _into(out, _out(_api().matmul(_tensor(a), _tensor(b))))

    @staticmethod
    def dot(a, b):
        a, b = _tensor(a), _tensor(b)
        if not (a.ndim and b.ndim):
            return _out(a * b)
        if a.ndim <= 2 and b.ndim <= 2:
            return _out(_api().matmul(a, b))
        return _out(_api().tensordot(a, b, ([-1], [-2 if b.ndim > 1 else 0])))

    @staticmethod
    def einsum(subscripts, *operands, **_):
        return _out(_api().einsum(subscripts, *[_tensor(o) for o in operands]))

    @staticmethod
    def tensordot(a, b, axes=2):
        return _out(_api().tensordot(_tensor(a), _tensor(b), axes))

    @staticmethod
    def outer(a, b):
        return _out(_api().outer(_tensor(a).reshape(-1), _tensor(b).reshape(-1)))

    # -- shapes -------------------------------------------------------------
    @staticmethod
    def reshape(x, shape, **_):
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        if type(x) is ArrayTensor and shape == x.shape:
            return x  # NumPy's view of the same memory: writes reach both, as here
        return _out(_tensor(x).reshape(shape))

    @staticmethod
    def broadcast_to(x, shape):
        t = _tensor(x)
        return _out(t.expand(*shape) if tuple(shape) != tuple(t.shape) else t)

    @staticmethod
    def broadcast_arrays(*arrays):
        shape = np.broadcast_shapes(*[_shape(a) for a in arrays])
        return [Namespace.broadcast_to(a, shape) for a in arrays]

    @staticmethod
    def moveaxis(x, src, dst):
        return _out(_api().movedim(_tensor(x), src, dst))

    @staticmethod
    def swapaxes(x, a, b):
        return _out(_tensor(x).transpose(a, b))

    @staticmethod
    def transpose(x, axes=None):
        t = _tensor(x)
        axes = tuple(reversed(range(t.ndim))) if axes is None else tuple(axes)
        return _out(t.permute(*axes) if t.ndim else t)

    @staticmethod
    def expand_dims(x, axis):
        t = _tensor(x)
        for a in sorted(axis) if isinstance(axis, (tuple, list)) else (axis,):
            t = t.unsqueeze(a)
        return _out(t)

    @staticmethod
    def squeeze(x, axis=None):
        t = _tensor(x)
        if axis is None:
            return _out(t.squeeze())
        for a in sorted(axis if isinstance(axis, (tuple, list)) else (axis,),
                        key=lambda d: d % max(t.ndim, 1), reverse=True):
            t = t.squeeze(a)
        return _out(t)

    @staticmethod
    def flip(x, axis=None):
        t = _tensor(x)
        dims = tuple(range(t.ndim)) if axis is None else (
            tuple(axis) if isinstance(axis, (tuple, list)) else (axis,))
        return _out(t.flip(dims))

    @staticmethod
    def concatenate(arrays, axis=0, **_):
        ts = [_tensor(a) for a in arrays]
        if axis is None:
            ts, axis = [t.reshape(-1) for t in ts], 0
        return _out(_api().cat(ts, axis))

    @staticmethod
    def stack(arrays, axis=0, **_):
        return _out(_api().stack([_tensor(a) for a in arrays], axis))

    @staticmethod
    def split(x, indices, axis=0):
        t = _tensor(x)
        return _out(list(_api().tensor_split(t, indices if isinstance(indices, int)
                                             else list(indices), axis)))

    @staticmethod
    def tril(x, k=0):
        return _out(_api().tril(_tensor(x), k))

    @staticmethod
    def triu(x, k=0):
        return _out(_api().triu(_tensor(x), k))

    @staticmethod
    def diagonal(x, offset=0, axis1=0, axis2=1):
        return _out(_api().diagonal(_tensor(x), offset, axis1, axis2))

    @staticmethod
    def take_along_axis(x, index, axis):
        t = _tensor(x)
        if axis is None:
            t, axis = t.reshape(-1), 0
        return _out(_api().take_along_dim(t, _tensor(index).long(), axis))

    @staticmethod
    def take(x, index, axis=None, **_):
        t = _tensor(x)
        idx = _tensor(index).long()
        if axis is None:
            return _out(t.reshape(-1)[idx])
        flat = _api().index_select(t, axis, idx.reshape(-1))
        shape = t.shape[:axis % t.ndim] + tuple(idx.shape) + t.shape[axis % t.ndim + 1:]
        return _out(flat.reshape(shape))

    @staticmethod
    def bincount(x, weights=None, minlength=0):
        """Counts are constants; weighted sums are differentiable in the weights."""
        idx = _raw(x)
        if weights is None:
            return _const(np.bincount(idx, minlength=minlength))
        w = _tensor(weights)
        n = max(int(minlength), int(idx.max()) + 1 if idx.size else 0)
        zeros = _wrap(np.zeros(n, w._data.dtype))
        return _out(zeros.index_add(0, _wrap(idx.astype(np.int64)), w.reshape(-1)))

    @staticmethod
    def roll(x, shift, axis=None):
        t = _tensor(x)
        if axis is None:
            return _out(_api().roll(t.reshape(-1), shift, 0).reshape(t.shape))
        return _out(_api().roll(t, shift, axis))

    @staticmethod
    def put_along_axis(arr, index, values, axis):
        """In place on the ArrayTensor ``arr`` (a fresh Tensor replaces its own)."""
        idx = _tensor(index).long()
        t = arr.t
        if axis is None:
            t, axis = t.reshape(-1), 0
        v = _tensor(values, arr)
        v = v.expand(*idx.shape) if tuple(v.shape) != tuple(idx.shape) else v
        arr.assign(t.scatter(axis, idx, v.to(t.dtype)).reshape(arr.t.shape))

    @staticmethod
    def fill_diagonal(arr, value, wrap=False):
        """In place on the ArrayTensor ``arr``, as NumPy's."""
        mask = np.zeros(arr.shape, bool)
        np.fill_diagonal(mask, True, wrap)
        arr.assign(_api().where(_wrap(mask), _tensor(value, arr).to(arr.t.dtype), arr.t))

    @staticmethod
    def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
        a, b = _tensor(a), _tensor(b)
        if axis is not None:
            axisa = axisb = axisc = axis
        a, b = _api().movedim(a, axisa, -1), _api().movedim(b, axisb, -1)
        a, b = _api().broadcast_tensors(a, b)
        return _out(_api().movedim(_api().linalg.cross(a, b, dim=-1), -1, axisc))

    @staticmethod
    def pad(x, width, mode="constant", constant_values=0):
        t = _tensor(x)
        flat = []
        for lo, hi in reversed([tuple(w) for w in np.broadcast_to(width, (t.ndim, 2))]):
            flat += [int(lo), int(hi)]
        return _out(_api().nn.functional.pad(t, flat, value=constant_values))


def _shape(x):
    return tuple(getattr(x, "shape", ()))


def strided_view(a, shape, strides, offset=0):
    """The Tensor interpretation of a strided view of ``a``'s memory (element ``strides``,
    starting ``offset`` elements past its first element): a gather of ``a``'s elements, which
    passes writes back to ``a`` as NumPy's view would."""
    raw = a.t._data
    item = raw.itemsize
    own = [st // item for st in raw.strides]
    coords = np.indices(raw.shape).reshape(raw.ndim, -1)
    memory = (np.asarray(own)[:, None] * coords).sum(0) if raw.ndim else np.zeros(1, np.int64)
    low = int(memory.min()) if memory.size else 0
    lookup = np.zeros(int(memory.max()) - low + 1 if memory.size else 1, np.int64)
    lookup[memory - low] = np.arange(memory.size)
    want = offset + sum(np.arange(n).reshape((-1,) + (1,) * (len(shape) - k - 1)) * st
                        for k, (n, st) in enumerate(zip(shape, strides)))
    index = lookup[np.broadcast_to(np.asarray(want) - low, tuple(shape))]
    flat = a.reshape(-1)
    return ArrayTensor(flat.t[_wrap(index)], (_Flat(a), index))


class _Flat:
    """The flat (C-order) face of an ArrayTensor, so a gathered view can write back to it."""

    def __init__(self, a):
        self.a = a

    def __setitem__(self, index, value):
        flat = self.a.t.reshape(-1).clone()
        flat[_wrap(index)] = _in(value)
        self.a.assign(flat.reshape(self.a.shape))


def _const(res):
    if hasattr(res, "shape") and not isinstance(res, np.generic):
        return ArrayTensor(_wrap(res))
    if isinstance(res, tuple):
        return tuple(_const(r) for r in res)
    return res


def _into(out, result):
    """NumPy's ``out=``: the ArrayTensor ``out`` now holds ``result``."""
    if out is None:
        return result
    out = out[0] if isinstance(out, tuple) else out
    t = result.t
    out.assign(t.to(out.t.dtype) if t._data.dtype != out.t._data.dtype else t)
    return out


def _unary(ember_name):
    def fn(x, *a, out=None, **k):
        t = _tensor(x)
        return _into(out, _out(getattr(_api(), ember_name)(t, *[_in(v) for v in a])))
    fn.__name__ = ember_name
    return staticmethod(fn)


def _binfn(ember_name):
    def fn(a, b, out=None, **k):
        a_, b_ = _in(a), _in(b)
        if not isinstance(a_, Tensor):
            a_ = _tensor(a_, b_ if isinstance(b_, Tensor) else None)
        if not isinstance(b_, Tensor) and ember_name in _TENSOR_ONLY:
            b_ = _tensor(b_, a_)
        return _into(out, _out(getattr(_api(), ember_name)(a_, b_)))
    return fn


#: ember functions that take no Python number as their second operand
_TENSOR_ONLY = frozenset(("maximum", "minimum", "hypot", "logaddexp", "atan2", "copysign",
                          "fmax", "fmin"))


for _np_name, _ember_name in {
        "exp": "exp", "log": "log", "log1p": "log1p", "expm1": "expm1", "sqrt": "sqrt",
        "tanh": "tanh", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh",
        "abs": "abs", "absolute": "abs", "arctan": "atan", "arcsin": "asin", "arccos": "acos",
        "arctanh": "atanh", "arcsinh": "asinh", "arccosh": "acosh", "reciprocal": "reciprocal",
        "negative": "neg", "square": "square", "log2": "log2", "log10": "log10", "exp2": "exp2",
        "sinc": "sinc", "round": "round", "around": "round", "fix": "trunc",
        "nan_to_num": "nan_to_num", "sigmoid": "sigmoid"}.items():
    setattr(Namespace, _np_name, _unary(_ember_name))
for _np_name, _ember_name in {
        "maximum": "maximum", "minimum": "minimum", "hypot": "hypot", "logaddexp": "logaddexp",
        "arctan2": "atan2", "copysign": "copysign", "fmod": "fmod", "subtract": "sub",
        "divide": "div", "true_divide": "div",
        "fmax": "fmax", "fmin": "fmin"}.items():
    setattr(Namespace, _np_name, staticmethod(_binfn(_ember_name)))
Namespace.add = _Ufunc(_binfn("add"), _AddAt.at)
Namespace.multiply = _Ufunc(_binfn("mul"))

#: the namespace ``get_xp`` gives for an ArrayTensor
NAMESPACE = Namespace()


def saved_output(node, arr, index, counter):
    """Output ``index`` of ``node`` as a Tensor whose ``grad_fn`` is ``node`` (made on demand,
    so the node keeps no reference to its output)."""
    t = _wrap(arr, True)
    t.grad_fn = node
    t._output_nr = index
    t._vc = counter
    return t


def differentiable_backward(node, grads):
    """Run ``node``'s backward formula on Tensors (``grads``: Tensors or None), with its saved
    inputs and outputs swapped for graph Tensors; returns Tensors or None, one per input."""
    custom = getattr(node, "graph_backward", None)
    if custom is not None:
        return custom(grads)
    state = node.__dict__
    saved = []  # (array the node kept, Tensor to use for it)
    for entry in node._versions or ():
        counter, arr, what = entry[0], entry[2], entry[3]
        if type(what) is int:
            saved.append((arr, entry[4] if what >= 0 else
                          saved_output(node, arr, -1 - what, counter)))
    swapped = {}
    for key, value in list(state.items()) if saved else ():
        if type(value) in (list, tuple):  # a sequence of saved arrays (einsum operands)
            items = [_swap(v, saved) for v in value]
            if any(v is not w for v, w in zip(items, value)):
                swapped[key] = value
                state[key] = type(value)(items)
        elif hasattr(value, "shape"):
            new = _swap(value, saved)
            if new is not value:
                swapped[key] = value
                state[key] = new
    regraph = getattr(node, "regraph", None)
    if regraph is not None:  # values the forward derived, recomputed from the swapped ones
        for key, value in regraph().items():
            swapped.setdefault(key, state.get(key))
            state[key] = value
    try:
        res = node.backward(*[None if g is None else ArrayTensor(g) for g in grads])
    finally:
        state.update(swapped)
    if type(res) is not tuple:
        res = (res,)
    return tuple(_graph_value(g) for g in res)


def _swap(value, saved):
    """``value`` as an ArrayTensor of the Tensor standing for it in ``saved`` (pairs of a kept
    array and its Tensor) if it is one of those arrays or a view of one, else unchanged."""
    for arr, tensor in saved:
        if value is arr:
            return ArrayTensor(tensor)
    if not _is_strided(value):
        return value
    for arr, tensor in saved:
        view = _view_of(value, arr, tensor)
        if view is not None:
            return ArrayTensor(view)
    return value


def _is_strided(a):
    """An array with memory (NumPy, CuPy; not a NumPy scalar or a meta array)."""
    return type(a) is np.ndarray or is_array(a) and hasattr(a, "strides") and \
        not isinstance(a, np.generic)


def _view_of(value, arr, tensor):
    """``tensor`` reshaped or transposed as the forward kept it, where ``value`` is such a view
    of the saved array ``arr`` (same memory, same elements), else None."""
    if not _is_strided(arr) or value.size != arr.size or \
            value.dtype != arr.dtype or value.size == 0 or \
            data_address(value) != data_address(arr):
        return None
    if value.flags.c_contiguous and arr.flags.c_contiguous:
        return tensor.reshape(value.shape)
    if value.ndim == arr.ndim:
        order = sorted(range(arr.ndim), key=lambda i: -arr.strides[i])
        vorder = sorted(range(value.ndim), key=lambda i: -value.strides[i])
        perm = [0] * arr.ndim
        for src, dst in zip(order, vorder):
            perm[dst] = src
        if tuple(arr.shape[p] for p in perm) == value.shape and \
                tuple(arr.strides[p] for p in perm) == value.strides:
            return tensor.permute(*perm)
    return None


def _graph_value(g):
    """A backward result as a Tensor of the new graph (constants wrapped)."""
    if g is None:
        return None
    if type(g) is ArrayTensor:
        return g.t
    if isinstance(g, Tensor):
        return g
    return _wrap(g if hasattr(g, "shape") else np.asarray(g))

