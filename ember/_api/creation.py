"""Tensor factories: ``tensor``, ``zeros``, ``arange``..., the ``*_like`` and ``new_*`` forms,
and the legacy typed constructors (``FloatTensor(data)`` / ``FloatTensor(2, 3)``)."""
import numbers

import numpy as np

from .._tensor import Tensor, Size, _wrap, tensor_method
from .. import _dtype
from .._dtype import as_dtype, get_default_dtype, from_numpy_dtype

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "zeros_like", "ones_like", "empty_like", "full_like", "arange", "range", "linspace",
           "logspace", "eye", "scalar_tensor"]

_pyrange = range


def _xp(device):
    from .._device import as_device
    from .._backend import array_module_for
    return np if device is None else array_module_for(as_device(device))


def _finish(arr, device, requires_grad):
    if device is not None:
        from .._device import as_device
        from .._backend import to_device
        arr = to_device(arr, as_device(device))
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_array(data):
    """A NumPy array for nested Python data, with torch's dtype inference."""
    if isinstance(data, Tensor):
        return np.array(data.__array__())
    if isinstance(data, np.ndarray):
        from_numpy_dtype(data.dtype)
        return np.array(data)
    if isinstance(data, (list, tuple)):
        data = _unwrap_nested(data)
    arr = np.array(data)
    if arr.dtype.kind == "f":
        arr = arr.astype(get_default_dtype().np)
    elif arr.dtype.kind == "c":
        arr = arr.astype(_dtype.default_complex().np)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind == "O" or arr.dtype.kind in "USV":
        raise TypeError(f"Could not infer dtype of {type(data).__name__} (ember tensors hold "
                        "numbers and bools only)")
    return arr


def _unwrap_nested(data):
    out = []
    for x in data:
        if isinstance(x, Tensor):
            out.append(x.item() if x._data.ndim == 0 else x.__array__().tolist())
        elif isinstance(x, (list, tuple)):
            out.append(_unwrap_nested(x))
        elif isinstance(x, np.ndarray):
            out.append(x.tolist())
        else:
            out.append(x)
    return out


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copying ``data`` (nested lists, scalars, arrays, tensors)."""
    arr = _infer_array(data)
    if dtype is not None:
        arr = arr.astype(as_dtype(dtype).np, copy=False)
    return _finish(arr, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a tensor or NumPy array when it can."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray):
        t = from_numpy(data)
        return t.to(dtype=dtype, device=device)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray``."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    if not ndarray.dtype.isnative:
        ndarray = ndarray.astype(ndarray.dtype.newbyteorder("="))
    return _wrap(ndarray)


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, numbers.Integral) and not (isinstance(s, Tensor) and s.numel() == 1):
            raise TypeError(f"size must be a sequence of ints, but got an element of type "
                            f"{type(s).__name__} ({s!r})")
    size = tuple(int(s) for s in size)
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return size


def _np_dtype(dtype):
    return (as_dtype(dtype) if dtype is not None else get_default_dtype()).np


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    return _finish(_xp(device).zeros(_size(size), _np_dtype(dtype)), None, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, memory_format=None):
    return _finish(_xp(device).ones(_size(size), _np_dtype(dtype)), None, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    return _finish(_xp(device).empty(_size(size), _np_dtype(dtype)), None, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    if dtype is None:
        dtype = _dtype.result_type(fill_value)
    return _finish(_xp(device).full(_size((size,)), fill_value, _np_dtype(dtype)), None,
                   requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    return full((), s, dtype=dtype or get_default_dtype(), device=device,
                requires_grad=requires_grad)


def _like(fn):
    def like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None, pin_memory=False):
        dtype = dtype if dtype is not None else input.dtype
        device = device if device is not None else (None if input.is_cpu else input.device)
        return fn(tuple(input.shape), *args, dtype=dtype, device=device,
                  requires_grad=requires_grad)
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"``{fn.__name__}`` with the shape (and by default dtype/device) of ``input``."
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dtype = dtype if dtype is not None else input.dtype
    device = device if device is not None else (None if input.is_cpu else input.device)
    return full(tuple(input.shape), fill_value, dtype=dtype, device=device,
                requires_grad=requires_grad)


def _new(fn):
    def new(self, *args, dtype=None, device=None, requires_grad=False, layout=None,
            pin_memory=False):
        dtype = dtype if dtype is not None else self.dtype
        device = device if device is not None else (None if self.is_cpu else self.device)
        return fn(*args, dtype=dtype, device=device, requires_grad=requires_grad)
    new.__name__ = "new_" + fn.__name__
    return new


Tensor.new_zeros = _new(zeros)
Tensor.new_ones = _new(ones)
Tensor.new_empty = _new(empty)
Tensor.new_full = _new(full)


@tensor_method("new_tensor")
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    dtype = dtype if dtype is not None else self.dtype
    device = device if device is not None else (None if self.is_cpu else self.device)
    return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = _dtype.int64 if all(isinstance(v, numbers.Integral) for v in vals) else \
            get_default_dtype()
    np_dt = as_dtype(dtype).np
    if np_dt.kind == "f":
        # torch computes the length in double and each value as start + i*step
        n = max(0, int(np.ceil((vals[1] - vals[0]) / vals[2])))
        arr = (vals[0] + np.arange(n, dtype=np.float64) * vals[2]).astype(np_dt)
    else:
        arr = np.arange(*vals, dtype=np_dt)
    return _finish(arr, device, requires_grad)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):  # noqa: A001
    """Deprecated torch.range: like arange but includes ``end``."""
    if end is None:
        start, end = 0, start
    n = int(np.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(_np_dtype(dtype))
    return _finish(arr, device, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    arr = np.linspace(float(start), float(end), int(steps)).astype(_np_dtype(dtype))
    return _finish(arr, device, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    arr = np.logspace(float(start), float(end), int(steps), base=base).astype(_np_dtype(dtype))
    return _finish(arr, device, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _finish(np.eye(n, m, dtype=_np_dtype(dtype)), device, requires_grad)


# -- legacy typed constructors -----------------------------------------------
def legacy_new(cls, dtype, args, kwargs):
    """``FloatTensor(2, 3)`` (uninitialised, of that size) or ``FloatTensor([1, 2])`` (from data)."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"{cls.__name__}() got unexpected keyword arguments {sorted(kwargs)}")
    if not args:
        return empty(0, dtype=dtype, device=device)
    if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        return empty(*args, dtype=dtype, device=device)
    if len(args) == 1 and isinstance(args[0], Size):
        return empty(*args[0], dtype=dtype, device=device)
    if len(args) != 1:
        raise TypeError(f"{cls.__name__}() takes sizes as ints or one sequence of data, got "
                        f"{args!r}")
    data = args[0]
    if isinstance(data, Tensor):
        return data.to(dtype)
    if isinstance(data, np.ndarray):
        return _finish(np.array(data, dtype=dtype.np), device, False)
    return tensor(data, dtype=dtype, device=device)


class _LegacyTypeMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls._ember_dtype.np

    def __repr__(cls):
        return f"<class 'ember.{cls.__name__}'>"


def _legacy_type(dt):
    def new(cls, *args, **kwargs):
        return legacy_new(cls, dt, args, dict(kwargs))
    return _LegacyTypeMeta(dt._tensor_type, (), {"__new__": new, "_ember_dtype": dt,
                                                 "dtype": dt, "is_cuda": False})


LEGACY_TYPES = {dt._tensor_type: _legacy_type(dt) for dt in _dtype._ALL}
