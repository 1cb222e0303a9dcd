"""The meta device: arrays with a shape and a dtype but no data.

A ``MetaArray`` stands where a NumPy array would be in a tensor on
``device("meta")``.  Ops run on it work out only the result's shape and
dtype (NumPy is run on a zero-strided placeholder that holds one element,
and the result is kept as another ``MetaArray``); writes into it are
dropped; reading its values raises torch's errors.  ``meta`` below is the
array module factories use for the meta device.

Example::

    >>> import numpy
    >>> from ember._backend import meta
    >>> a = meta.empty((2, 3), numpy.float32)
    >>> (a + 1).shape
    (2, 3)
"""
import numpy

NO_DATA = "Cannot copy out of meta tensor; no data!"


def _placeholder(x):
    """A zero-strided NumPy stand-in for a MetaArray (other values pass through)."""
    if isinstance(x, MetaArray):
        return numpy.broadcast_to(numpy.zeros((), x.dtype), x.shape)
    if isinstance(x, (list, tuple)):
        return type(x)(_placeholder(v) for v in x)
    return x


def _as_meta(result):
    """Turn NumPy results back into MetaArrays (scalars become 0-d ones)."""
    if isinstance(result, (numpy.ndarray, numpy.generic)):
        return MetaArray(numpy.shape(result), result.dtype)
    if isinstance(result, tuple):
        return tuple(_as_meta(r) for r in result)
    if isinstance(result, list):
        return [_as_meta(r) for r in result]
    return result


def _call(fn, args, kwargs):
    """``fn`` run on the placeholders of its arguments, its results made MetaArrays."""
    return _as_meta(fn(*_placeholder(args), **{k: _placeholder(v) for k, v in kwargs.items()}))


class _Pointer:
    """Where a meta array's data starts: nowhere (``data_ptr()`` is 0, as torch's)."""
    ptr = 0


class _Flags:
    c_contiguous = True
    f_contiguous = False
    writeable = True


class MetaArray:
    """Shape and dtype of an array that has no storage (see the module doc).

    ``MetaArray((2, 3), numpy.float32)``: ``.shape``, ``.dtype``, ``.ndim``,
    ``.size``, ``.strides`` (C-contiguous) as a NumPy array; NumPy functions and
    methods give MetaArrays; ``numpy.asarray`` of one raises NotImplementedError.
    """

    __slots__ = ("shape", "dtype")
    __array_priority__ = 100
    flags = _Flags()
    base = None  # owns its (absent) storage
    data = _Pointer()

    def __init__(self, shape, dtype):
        self.shape = tuple(int(n) for n in shape)
        self.dtype = numpy.dtype(dtype)

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(numpy.prod(self.shape, dtype=numpy.int64)))
    itemsize = property(lambda self: self.dtype.itemsize)
    nbytes = property(lambda self: self.size * self.dtype.itemsize)

    @property
    def strides(self):
        out, step = [], self.dtype.itemsize
        for n in reversed(self.shape):
            out.append(step)
            step *= max(n, 1)
        return tuple(reversed(out))

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(NO_DATA)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.pop("out", None)
        if out is not None:  # writing into meta arrays stores nothing: give them back as they are
            getattr(ufunc, method)(*_placeholder(inputs), **kwargs)
            return out[0] if len(out) == 1 else out
        return _as_meta(getattr(ufunc, method)(*_placeholder(inputs), **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        if func is numpy.copyto:
            return None
        return _call(func, args, kwargs)

    def __getitem__(self, key):
        return _as_meta(_placeholder(self)[_placeholder(key)])

    def __setitem__(self, key, value):
        pass

    def fill(self, value):
        pass

    def item(self, *args):
        raise RuntimeError("Tensor.item() cannot be called on meta tensors")

    def tolist(self):
        raise NotImplementedError(NO_DATA)

    def astype(self, dtype, copy=True, **kwargs):
        return MetaArray(self.shape, dtype)

    def copy(self, order="C"):
        return MetaArray(self.shape, self.dtype)

    def __getattr__(self, name):
        # Other ndarray methods (reshape, transpose, sum...) run on the placeholder; its array
        # protocols (``__array_interface__``...) must not leak out, or NumPy would read it.
        if name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(_placeholder(self), name)
        if not callable(attr):
            return _as_meta(attr)
        return lambda *args, **kwargs: _call(attr, args, kwargs)

    def __repr__(self):
        return f"MetaArray(shape={self.shape}, dtype={self.dtype})"


def _binary(name):
    def op(self, other):
        return _as_meta(getattr(_placeholder(self), name)(_placeholder(other)))
    op.__name__ = name
    return op


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor", "lshift", "rshift", "lt", "le", "gt", "ge", "eq", "ne"):
    for _form in (f"__{_name}__", f"__r{_name}__"):
        if hasattr(numpy.ndarray, _form):
            setattr(MetaArray, _form, _binary(_form))
for _form in ("__neg__", "__pos__", "__abs__", "__invert__"):
    setattr(MetaArray, _form, lambda self, _f=_form: _as_meta(getattr(_placeholder(self), _f)()))


class _MetaModule:
    """The array module of the meta device: NumPy's creation functions, giving MetaArrays."""

    @staticmethod
    def _shape(shape):
        return (shape,) if isinstance(shape, int) else tuple(shape)

    def empty(self, shape, dtype=float, **kwargs):
        return MetaArray(self._shape(shape), dtype)

    zeros = ones = empty

    def full(self, shape, fill_value, dtype=None, **kwargs):
        return MetaArray(self._shape(shape), dtype if dtype is not None
                         else numpy.asarray(fill_value).dtype)

    def eye(self, n, m=None, dtype=float, **kwargs):
        return MetaArray((n, n if m is None else m), dtype)

    def asarray(self, obj, dtype=None):
        if isinstance(obj, MetaArray):
            return obj if dtype is None else obj.astype(dtype)
        arr = numpy.asarray(obj, dtype)
        return MetaArray(arr.shape, arr.dtype)

    def __getattr__(self, name):
        return getattr(numpy, name)


meta = _MetaModule()
