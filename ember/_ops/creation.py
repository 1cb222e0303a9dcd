"""Tensor factories: ``tensor``, ``zeros``, ``arange``..., the ``*_like`` and ``new_*`` forms,
``complex``, and the legacy typed constructors (``FloatTensor(data)`` / ``FloatTensor(2, 3)``)."""
import math
import numbers

import numpy as np

from .._backend import array_module_for
from .._device import as_device, default_device
from .._tensor import Tensor, Size, _wrap, tensor_method
from .. import _dtype
from .._dtype import as_dtype, get_default_dtype, from_numpy_dtype
from .._utils import SEQUENCES, finish_tensor as _finish, from_data
from .base import Op, sum_to
from .._backend.arrays import as_strided as _strided
from .common import handle_out
from ..storage import UntypedStorage

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "zeros_like", "ones_like", "empty_like", "full_like", "arange", "range", "linspace",
           "logspace", "eye", "scalar_tensor", "complex", "empty_strided", "empty_permuted",
           "frombuffer", "from_file", "from_dlpack", "to_dlpack"]

def _xp(device):
    if device is None:
        device = default_device()
    return np if device == "cpu" else array_module_for(as_device(device))


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data``.

    ``data`` may be a Python scalar, a (nested) list or tuple, a NumPy array or a tensor. Without
    ``dtype`` the type follows the data: bools give ``bool``, ints ``int64``, floats the default
    float dtype, complex numbers the default complex dtype.

    Args:
        data: the values; nested sequences must be rectangular.
        dtype (ember.dtype, optional): the element type. Default: inferred from ``data``.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.
        pin_memory (bool): accepted for torch compatibility; has no effect. Default: ``False``.

    Example:
        >>> ember.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> ember.tensor(2.5).dtype
        ember.float32
    """
    return from_data(data, as_dtype(dtype), device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing its memory when no conversion is needed.

    A tensor or NumPy array whose dtype and device already match is not copied (a tensor is
    returned as is); anything else is converted as :func:`ember.tensor` does.

    Args:
        data: a tensor, NumPy array, scalar or nested sequence.
        dtype (ember.dtype, optional): the wanted element type. Default: keep or infer.
        device (ember.device or str, optional): the wanted device. Default: keep or default.

    Example:
        >>> import numpy as np
        >>> a = np.array([1.0, 2.0])
        >>> t = ember.as_tensor(a)
        >>> a[0] = 5.0
        >>> t
        tensor([5., 2.], dtype=ember.float64)
    """
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray):
        return from_numpy(data).to(dtype=dtype, device=device)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor, with explicit control over copying.

    Args:
        obj: a tensor, NumPy array, scalar or nested sequence.
        dtype (ember.dtype, optional): the element type. Default: keep or infer.
        device (ember.device or str, optional): the device. Default: keep or default.
        copy (bool, optional): ``True`` always copies; ``False`` never copies and raises
            ``ValueError`` when a copy would be needed; ``None`` copies only when needed.
            Default: ``None``.
        requires_grad (bool): make the result a leaf that requires grad. Default: ``False``.

    Example:
        >>> x = ember.tensor([1.0, 2.0])
        >>> ember.asarray(x) is x
        True
        >>> ember.asarray(x, copy=True) is x
        False
    """
    if copy:
        out = tensor(obj, dtype=dtype, device=device)
    else:
        out = as_tensor(obj, dtype=dtype, device=device)
        shares = isinstance(obj, Tensor) and out._data is obj._data or \
            isinstance(obj, np.ndarray) and np.shares_memory(out.__array__(), obj)
        if copy is False and not shares:
            raise ValueError("asarray(copy=False): the object can't be used without a copy "
                             "(its dtype or device differs, or it is not an array)")
    if requires_grad:
        out = out.detach() if out.grad_fn is not None else out
        out.requires_grad_(True)
    return out


def from_numpy(ndarray):
    """A tensor viewing the memory of the NumPy array ``ndarray`` (no copy).

    Writes through either one are seen by the other. The array must be in native byte order,
    with non-negative strides, and of a dtype ember has.

    Args:
        ndarray (numpy.ndarray): the array to wrap.

    Example:
        >>> import numpy as np
        >>> a = np.arange(3)
        >>> t = ember.from_numpy(a)
        >>> a[0] = 9
        >>> t
        tensor([9, 1, 2])
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. "
                         "Conversion between byte orders is currently not supported.")
    from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return _wrap(ndarray)


# -- sized factories ----------------------------------------------------------------
def _size(size, name="size"):
    """Sizes given as varargs ints, one tuple/list/Size, or 0-d integer tensors."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (numbers.Integral, Tensor)) or \
                isinstance(s, Tensor) and (s.numel() != 1 or s.is_floating_point()):
            raise TypeError(f"{name} must be a tuple of ints, but got an element of type "
                            f"{type(s).__name__} ({s!r})")
    size = tuple(int(s) for s in size)
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return size


def _sizes(args, size):
    """The shape from ``*args`` or the ``size=`` keyword (not both)."""
    if size is not None:
        if args:
            raise TypeError("size given both positionally and as the size= keyword")
        args = (size,)
    return _size(args)


def _np_dtype(dtype):
    return (as_dtype(dtype) if dtype is not None else get_default_dtype()).np


def _filled(name, make, doc):
    def factory(*args, size=None, out=None, dtype=None, layout=None, device=None,
                requires_grad=False, pin_memory=False, memory_format=None):
        arr = getattr(_xp(device), make)(_sizes(args, size), _np_dtype(dtype))
        return handle_out(_finish(arr, device, requires_grad), out, name)
    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = doc
    return factory


_FACTORY_ARGS = """
    Args:
        size (int...): the shape, as separate ints or one tuple, list or ``ember.Size``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.
"""
zeros = _filled("zeros", "zeros", """A tensor of the given shape filled with 0.
""" + _FACTORY_ARGS + """
    Example:
        >>> ember.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
    """)
ones = _filled("ones", "ones", """A tensor of the given shape filled with 1.
""" + _FACTORY_ARGS + """
    Example:
        >>> ember.ones((2,), dtype=ember.int64)
        tensor([1, 1])
    """)
empty = _filled("empty", "empty", """A tensor of the given shape whose values are not initialised.

    Use it for buffers that are written before they are read; the contents are arbitrary.
""" + _FACTORY_ARGS + """
    Example:
        >>> ember.empty(2, 3).shape
        ember.Size([2, 3])
    """)


def _fill_dtype(fill_value):
    """torch.full's dtype for a fill value: bool, int64, default float or default complex."""
    if isinstance(fill_value, Tensor):
        return fill_value.dtype
    return _dtype.result_type(fill_value)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of shape ``size`` with every element equal to ``fill_value``.

    Without ``dtype`` the type follows the value: ``bool``, ``int64``, the default float dtype
    or the default complex dtype.

    Args:
        size (tuple or list of int): the shape.
        fill_value (Number or 0-d Tensor): the value of every element.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: from ``fill_value``.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.full((2, 2), 7)
        tensor([[7, 7],
                [7, 7]])
    """
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' must be tuple of ints, not "
                        f"{type(size).__name__}")
    if dtype is None:
        dtype = _fill_dtype(fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    arr = _xp(device).full(_size((size,)), fill_value, _np_dtype(dtype))
    return handle_out(_finish(arr, device, requires_grad), out, "full")


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """A 0-dimensional tensor holding the number ``s``.

    Args:
        s (Number): the value.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype
            (even for an int ``s``, unlike :func:`ember.tensor`).
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.scalar_tensor(3)
        tensor(3.)
    """
    return full((), s, dtype=dtype or get_default_dtype(), device=device,
                requires_grad=requires_grad)


def _like_target(input, dtype, device):
    dtype = dtype if dtype is not None else input.dtype
    return dtype, device if device is not None else input.device


def _like(fn, example):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None, pin_memory=False):
        dtype, device = _like_target(input, dtype, device)
        return fn(tuple(input.shape), dtype=dtype, device=device, requires_grad=requires_grad)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"""``ember.{fn.__name__}`` with the shape of ``input``.

    Args:
        input (Tensor): the tensor whose shape (and, by default, dtype and device) to use.
        dtype (ember.dtype, optional): the element type. Default: ``input.dtype``.
        device (ember.device or str, optional): the device. Default: ``input.device``.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> x = ember.ones(2, 3, dtype=ember.int32)
{example}
    """
    return like


zeros_like = _like(zeros, """        >>> ember.zeros_like(x)
        tensor([[0, 0, 0],
                [0, 0, 0]], dtype=ember.int32)""")
ones_like = _like(ones, """        >>> ember.ones_like(x, dtype=ember.float32)
        tensor([[1., 1., 1.],
                [1., 1., 1.]])""")
empty_like = _like(empty, """        >>> ember.empty_like(x).shape
        ember.Size([2, 3])""")


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """A tensor of ``input``'s shape with every element equal to ``fill_value``.

    Args:
        input (Tensor): the tensor whose shape (and, by default, dtype and device) to use.
        fill_value (Number): the value of every element.
        dtype (ember.dtype, optional): the element type. Default: ``input.dtype``.
        device (ember.device or str, optional): the device. Default: ``input.device``.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.full_like(ember.zeros(2, dtype=ember.int64), 5)
        tensor([5, 5])
    """
    dtype, device = _like_target(input, dtype, device)
    return full(tuple(input.shape), fill_value, dtype=dtype, device=device,
                requires_grad=requires_grad)


def _new(fn):
    def new(self, *args, size=None, dtype=None, device=None, requires_grad=False, layout=None,
            pin_memory=False):
        dtype, device = _like_target(self, dtype, device)
        if size is not None:
            args = (size,) + args
        return fn(*args, dtype=dtype, device=device, requires_grad=requires_grad)
    new.__name__ = "new_" + fn.__name__
    new.__doc__ = f"``{fn.__name__}`` with this tensor's dtype and device (unless given)."
    return new


Tensor.new_zeros = _new(zeros)
Tensor.new_ones = _new(ones)
Tensor.new_empty = _new(empty)
Tensor.new_full = _new(full)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """An uninitialised tensor of ``size`` whose element strides are ``stride``.

    It lies on fresh memory just large enough for those strides (ember fills it with zeros).

    Args:
        size (tuple of int): the shape.
        stride (tuple of int): the stride of each dim, in elements.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.empty_strided((2, 3), (1, 2)).stride()
        (1, 2)
    """
    size, stride = _size((size,)), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality of "
                           f"strides ({len(stride)})")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    npd = np.dtype(_np_dtype(dtype))
    need = 0 if 0 in size else 1 + sum((n - 1) * s for n, s in zip(size, stride))
    xp = _xp(device)
    arr = _strided(xp, xp.zeros(need, npd), size, tuple(s * npd.itemsize for s in stride))
    return _finish(arr, device, requires_grad)


@tensor_method("new_empty_strided")
def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):
    """``empty_strided`` with this tensor's dtype and device (unless given).

    Example: ``x.new_empty_strided((2, 2), (1, 2))`` is a 2x2 column-major tensor of x's dtype.
    """
    dtype, device = _like_target(self, dtype, device)
    return empty_strided(size, stride, dtype=dtype, device=device, requires_grad=requires_grad)


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """An uninitialised dense tensor of logical ``size`` with its dims in memory in a chosen order.

    ``physical_layout`` lists the dims outermost first: ``(0, 2, 3, 1)`` is NCHW data stored NHWC.

    Args:
        size (tuple of int): the logical shape.
        physical_layout (tuple of int): the dims in memory order, outermost first.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.empty_permuted((2, 3, 4), (0, 2, 1)).stride()
        (12, 1, 3)
    """
    size, perm = _size((size,)), tuple(int(p) for p in physical_layout)
    if len(size) != len(perm):
        raise RuntimeError(f"Number of dimensions in size does not match the length of the "
                           f"physical_layout; i.e. len(size) = {len(size)} is not equal to "
                           f"len(physical_layout) = {len(perm)}")
    if len(set(perm)) != len(perm):
        raise RuntimeError("Duplicate dim not allowed")
    if any(not 0 <= p < len(size) for p in perm):
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-len(size)}, {len(size) - 1}])")
    buf = _xp(device).zeros(tuple(size[p] for p in perm), _np_dtype(dtype))
    return _finish(buf.transpose(np.argsort(perm)), device, requires_grad)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor sharing the memory of an object with the buffer protocol.

    Such objects are ``bytearray``, ``array.array``, ``memoryview``...: the tensor holds ``count``
    elements of ``dtype`` from byte ``offset`` (``count=-1``: all that follow). A read-only
    buffer gives a read-only tensor, with a warning.

    Args:
        buffer: an object with the buffer protocol.
        dtype (ember.dtype): the element type.
        count (int): how many elements; ``-1`` for all that follow ``offset``. Default: ``-1``.
        offset (int): the first byte. Default: ``0``.
        requires_grad (bool): make the result require grad. Default: ``False``.

    Example:
        >>> ember.frombuffer(bytearray([1, 2, 3, 4]), dtype=ember.uint8)
        tensor([1, 2, 3, 4], dtype=ember.uint8)
    """
    npd = np.dtype(as_dtype(dtype).np)
    view = memoryview(buffer)
    length = view.nbytes
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    if count < 0:
        if (length - offset) % npd.itemsize:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} "
                             f"bytes) must be a multiple of element size ({npd.itemsize})")
        count = (length - offset) // npd.itemsize
    elif offset + count * npd.itemsize > length:
        raise ValueError(f"requested buffer length ({count} * {npd.itemsize} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    if view.readonly:
        import warnings
        warnings.warn("The given buffer is not writable; ember gives a read-only tensor over it. "
                      "Copy the buffer first to write to the tensor.", UserWarning, stacklevel=2)
    arr = np.frombuffer(buffer, dtype=npd, count=count, offset=offset)
    return _finish(arr, "cpu", requires_grad)


def from_file(filename, shared=None, size=0, *, dtype=None, layout=None, device=None,
              pin_memory=False):
    """A 1-D tensor of ``size`` elements of ``dtype`` read from the file ``filename``.

    ``shared=True`` maps the file, so writes to the tensor reach it; otherwise the tensor
    has a private copy-on-write mapping.

    Args:
        filename (str): the file to read.
        shared (bool, optional): map the file so writes reach it. Default: ``False``.
        size (int): the number of elements. Default: ``0``.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the CPU.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "w.bin")
        >>> with open(path, "wb") as f:
        ...     _ = f.write(bytes(8))
        >>> ember.from_file(path, size=2, dtype=ember.float32)
        tensor([0., 0.])
    """
    npd = np.dtype(_np_dtype(dtype))
    storage = UntypedStorage.from_file(filename, bool(shared), size * npd.itemsize)
    arr = np.asarray(storage._root).view(npd)[:size]
    return _finish(arr, device, False)


class _Capsule:
    """A holder that lets ``from_dlpack`` import a bare DLPack capsule of host memory."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)


def from_dlpack(ext_tensor):
    """A tensor sharing the memory of ``ext_tensor``, through the DLPack protocol.

    ``ext_tensor`` is any object with ``__dlpack__`` (a NumPy or CuPy array, a torch or JAX
    tensor) or a DLPack capsule of host memory.

    Args:
        ext_tensor: an object with ``__dlpack__``, or a DLPack capsule.

    Example:
        >>> import numpy as np
        >>> ember.from_dlpack(np.arange(3))
        tensor([0, 1, 2])
    """
    if not hasattr(ext_tensor, "__dlpack__"):
        ext_tensor = _Capsule(ext_tensor)
    kind = ext_tensor.__dlpack_device__()[0]
    if kind in (1, 3):  # host memory (plain or pinned)
        return _wrap(np.from_dlpack(ext_tensor))
    import cupy  # other devices: CuPy reads them (a GPU array)
    return _wrap(cupy.from_dlpack(ext_tensor))


def to_dlpack(tensor):
    """A DLPack capsule of ``tensor``'s memory, for another library's ``from_dlpack``.

    Args:
        tensor (Tensor): the tensor to share.

    Example:
        >>> type(ember.to_dlpack(ember.tensor([1, 2]))).__name__
        'PyCapsule'
    """
    return tensor._data.__dlpack__()


Tensor.__dlpack__ = lambda self, **kwargs: self._data.__dlpack__(**kwargs)
Tensor.__dlpack_device__ = lambda self: self._data.__dlpack_device__()


@tensor_method("new_tensor")
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    """A copy of ``data`` with this tensor's dtype and device (unless given)."""
    dtype, device = _like_target(self, dtype, device)
    return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


@tensor_method("new")
def new(self, *args, **kwargs):
    """Legacy ``x.new(2, 3)`` / ``x.new(data)``: ``FloatTensor``-style, in x's dtype."""
    kwargs.setdefault("device", self.device)
    return legacy_new(type(self), self.dtype, args, kwargs)


# -- ranges -----------------------------------------------------------------------------
def _number(v):
    return v.item() if isinstance(v, Tensor) else v


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """A 1-D tensor of values from ``start`` up to (not including) ``end``, ``step`` apart.

    With one argument it is ``end`` (``start`` is 0). The length is
    ``ceil((end - start) / step)`` computed in double precision and element ``i`` is
    ``start + i * step``. All-integer arguments give ``int64``, otherwise the default float dtype.

    Args:
        start (Number): the first value. Default: ``0``.
        end (Number): the bound, excluded.
        step (Number): the gap between neighbours; may be negative, not zero. Default: ``1``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: from the arguments.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.arange(5)
        tensor([0, 1, 2, 3, 4])
        >>> ember.arange(0, 1, 0.25)
        tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if end is None:
        start, end = 0, start
    vals = [_number(v) for v in (start, end, step)]
    if dtype is None:
        dtype = _dtype.int64 if all(isinstance(v, numbers.Integral) for v in vals) else \
            get_default_dtype()
    lo, hi, st = vals
    if st == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"unsupported range: {lo} -> {hi}")
    if (hi - lo) * st < 0 and hi != lo:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign (start={lo}, "
                           f"end={hi}, step={st})")
    np_dt = as_dtype(dtype).np
    xp = _xp(device)    # made where it lives: no host copy for a device
    if all(isinstance(v, numbers.Integral) for v in vals):
        arr = xp.arange(lo, hi, st, dtype=np.int64).astype(np_dt, copy=False)
    else:
        n = max(0, math.ceil((hi - lo) / st))
        arr = (lo + xp.arange(n, dtype=np.float64) * st).astype(np_dt)
    return handle_out(_finish(arr, device, requires_grad), out, "arange")


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,  # noqa: A001
          requires_grad=False):
    """Deprecated: values from ``start`` to ``end`` inclusive, ``step`` apart.

    Kept for old code; prefer :func:`ember.arange`, which excludes ``end``. The result has the
    default float dtype unless ``dtype`` is given.

    Args:
        start (Number): the first value. Default: ``0``.
        end (Number): the last value, included.
        step (Number): the gap between neighbours. Default: ``1``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.

    Example:
        >>> ember.range(1, 4)
        tensor([1., 2., 3., 4.])
    """
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(_np_dtype(dtype))
    return handle_out(_finish(arr, device, requires_grad), out, "range")


def _linspace64(start, end, steps):
    """torch's linspace in double: the first half counts up from start, the second half
    down from end, so both endpoints are exact."""
    if steps == 1:
        return np.array([start], np.float64)
    step = (end - start) / (steps - 1)
    i = np.arange(steps, dtype=np.float64)
    return np.where(i < steps // 2, start + step * i, end - step * (steps - 1 - i))


def _check_steps(steps):
    steps = int(_number(steps))
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    return steps


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """A 1-D tensor of ``steps`` evenly spaced values from ``start`` to ``end``, both included.

    Element ``i`` is ``start + i * (end - start) / (steps - 1)``, computed in double precision
    (the second half counted back from ``end`` so both ends are exact).

    Args:
        start (Number): the first value.
        end (Number): the last value.
        steps (int): how many values, at least 0.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.linspace(0, 1, 5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    vals = _linspace64(float(_number(start)), float(_number(end)), _check_steps(steps))
    arr = vals.astype(_np_dtype(dtype))
    return handle_out(_finish(arr, device, requires_grad), out, "linspace")


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """A 1-D tensor of ``steps`` values evenly spaced on a log scale: ``base ** linspace(start, end, steps)``.

    Args:
        start (Number): the exponent of the first value.
        end (Number): the exponent of the last value.
        steps (int): how many values, at least 0.
        base (float): the base of the powers. Default: ``10.0``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Example:
        >>> ember.logspace(0, 2, 3)
        tensor([  1.,  10., 100.])
    """
    vals = _linspace64(float(_number(start)), float(_number(end)), _check_steps(steps))
    arr = np.power(float(base), vals).astype(_np_dtype(dtype))
    return handle_out(_finish(arr, device, requires_grad), out, "logspace")


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A 2-D tensor with ones on the main diagonal and zeros elsewhere.

    Args:
        n (int): the number of rows.
        m (int, optional): the number of columns. Default: ``n``.
        out (Tensor, optional): write the result here.
        dtype (ember.dtype, optional): the element type. Default: the default float dtype.
        device (ember.device or str, optional): where to allocate. Default: the default device.
        requires_grad (bool): record operations on the result for autograd. Default: ``False``.

    Shape:
        - Output: ``(n, m)``.

    Example:
        >>> ember.eye(2, 3)
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    arr = _xp(device).eye(n, m, dtype=_np_dtype(dtype))
    return handle_out(_finish(arr, device, requires_grad), out, "eye")


# -- complex ------------------------------------------------------------------------
class Complex(Op):
    """real + i * imag; each input's gradient is the matching part of the output's."""

    def forward(self, re, im):
        self.shapes = (re.shape, im.shape)
        return re + 1j * im

    def backward(self, g):
        nr, ni = self.needs_input_grad
        return (sum_to(g.real, self.shapes[0]) if nr else None,
                sum_to(g.imag, self.shapes[1]) if ni else None)


def complex(real, imag, *, out=None):  # noqa: A001
    """The complex tensor ``real + i * imag``.

    Both parts must be float tensors of the same dtype (float32 gives complex64, float64
    complex128); their shapes broadcast. Gradients flow to both parts.

    Args:
        real (Tensor): the real parts.
        imag (Tensor): the imaginary parts.
        out (Tensor, optional): write the result here.

    Example:
        >>> ember.complex(ember.tensor([1.0, 0.0]), ember.tensor([2.0, -1.0]))
        tensor([1.+2.j, 0.-1.j])
    """
    for t in (real, imag):
        if t._data.dtype.kind != "f":
            raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                               f"{real.dtype._tensor_type[:-6]} and {imag.dtype._tensor_type[:-6]}")
    if real._data.dtype != imag._data.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.dtype._tensor_type[:-6]} but got "
                           f"scalar type {imag.dtype._tensor_type[:-6]} for second argument")
    if real._data.dtype == np.float16:
        raise NotImplementedError("ember has no complex32: complex() needs float32 or float64 parts")
    return handle_out(Complex()(real, imag), out, "complex")


# -- legacy typed constructors -----------------------------------------------
def legacy_new(cls, dtype, args, kwargs):
    """``FloatTensor(2, 3)`` (uninitialised, of that size) or ``FloatTensor([1, 2])`` (from data).

    ``FloatTensor(t)`` returns ``t`` itself when its dtype matches (TypeError otherwise);
    ``ember.Tensor(t)`` accepts a tensor of any dtype, as torch does.
    """
    device = kwargs.pop("device", None)
    name = getattr(cls, "__name__", "Tensor")
    if kwargs:
        raise TypeError(f"{name}() got unexpected keyword arguments {sorted(kwargs)}")
    if not args:
        return empty(0, dtype=dtype, device=device)
    if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        return empty(*args, dtype=dtype, device=device)
    if len(args) == 1 and isinstance(args[0], Size):
        return empty(*args[0], dtype=dtype, device=device)
    if len(args) != 1:
        raise TypeError(f"{name}() takes sizes as ints or one sequence of data, got {args!r}")
    data = args[0]
    if isinstance(data, Tensor):
        if cls is Tensor or data.dtype is dtype:
            return data
        raise TypeError(f"{name}(tensor): expected a tensor of dtype {dtype}, got {data.dtype} "
                        f"(convert with .to({dtype}) instead)")
    if not isinstance(data, (SEQUENCES, np.ndarray)):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    return tensor(data, dtype=dtype, device=device)


class _LegacyTypeMeta(type):
    """``isinstance(x, ember.FloatTensor)`` is a dtype test, as in torch."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls._ember_dtype.np

    def __repr__(cls):
        return f"<class 'ember.{cls.__name__}'>"


def _legacy_type(dt):
    def new(cls, *args, **kwargs):
        return legacy_new(cls, dt, args, dict(kwargs))
    doc = f"""Legacy constructor of {dt} tensors.

    ``{dt._tensor_type}(2, 3)`` makes an uninitialised tensor of that shape and
    ``{dt._tensor_type}([1, 2])`` one holding that data; ``isinstance(x, ember.{dt._tensor_type})``
    tests the dtype. New code writes ``ember.empty(2, 3, dtype={dt})`` or ``ember.tensor``.

    Args:
        args: sizes as ints, or one sequence of data.

    Example:
        >>> ember.{dt._tensor_type}(2, 3).shape
        ember.Size([2, 3])
        >>> isinstance(ember.zeros(1, dtype={dt}), ember.{dt._tensor_type})
        True
    """
    return _LegacyTypeMeta(dt._tensor_type, (), {"__new__": new, "_ember_dtype": dt,
                                                 "dtype": dt, "is_cuda": False, "__doc__": doc})


LEGACY_TYPES = {dt._tensor_type: _legacy_type(dt) for dt in _dtype._ALL}


@tensor_method("__new__")
def _tensor_new(cls, *args, **kwargs):
    """``ember.Tensor(2, 3)`` / ``ember.Tensor([1, 2])``: the legacy constructor, in the default
    float dtype (see ``legacy_new``)."""
    return legacy_new(cls, get_default_dtype(), args, kwargs)
