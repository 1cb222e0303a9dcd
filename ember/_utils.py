"""Making tensors from Python data and from stored pieces: array conversion and rebuilding.

``from_data(data)`` is ``ember.tensor``'s conversion (torch's dtype inference for nested
lists, its errors for ragged data and int64 overflow; ``array_from`` gives just the array), used
wherever data becomes a tensor.

``ember.save`` writes each tensor as torch's call ``torch._utils._rebuild_tensor_v2(storage,
offset, size, stride, requires_grad, hooks)``; loading maps that name (and ``_rebuild_tensor_v3``,
``torch._tensor._rebuild_from_type_v2``) to the functions here, which check the geometry against
the storage read from the file (a ``LoadedStorage``) before viewing its bytes.  A plain pickle of a
tensor (``copy.copy``, a DataLoader worker's batch) is the call ``rebuild_from_array(array,
requires_grad)`` that ``Tensor.__reduce_ex__`` gives, so ``copy.copy`` shares memory as torch's
does.  This module sits just above the Tensor: it needs no op, no ``nn`` and no file format.

Example::

    >>> import numpy
    >>> from ember._utils import LoadedStorage, _rebuild_tensor_v2
    >>> raw = LoadedStorage(numpy.arange(6, dtype=numpy.float32).view(numpy.uint8), ember.float32)
    >>> _rebuild_tensor_v2(raw, 1, (2, 2), (3, 1), False, None)
    tensor([[1., 2.],
            [4., 5.]])
"""
import math
import operator
import pickle
import sys
import warnings

import numpy as np

from . import _dtype
from ._backend import get_array_module, to_device
from ._device import as_device, default_device
from ._dtype import from_numpy_dtype, get_default_dtype, promote_types
from ._tensor import Tensor, _wrap, tensor_method

__all__ = ["SEQUENCES", "infer_dtype", "ragged_error", "array_from", "finish_tensor", "from_data",
           "MissingDtype", "LoadedStorage", "checked_index", "rebuild_from_array"]


# -- Python data to tensors ------------------------------------------------------------------
def finish_tensor(arr, device, requires_grad):
    """Wrap ``arr`` as a tensor on ``device`` (None: the default device), moving it if needed."""
    device = default_device() if device is None else as_device(device)
    if device.type != "cpu" or type(arr) is not np.ndarray:
        arr = to_device(arr, device)
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


SEQUENCES = (list, tuple, range)   # what nests in tensor(data)


def _scalar_dtype(t):
    """The dtype a Python scalar type gets in a new tensor (None: not a Python scalar)."""
    if t is float:
        return get_default_dtype()
    if t is bool:
        return _dtype.bool
    if t is int:
        return _dtype.int64
    if t is complex:
        return _dtype.default_complex()
    return None


def infer_dtype(data):
    """torch's dtype for nested ``data``: Python floats get the default dtype, ints int64,
    and typed leaves (tensors, NumPy arrays and scalars) their own dtype, all promoted
    together.  Each list's element types are read at C speed; only sub-sequences and
    typed leaves are visited one by one.  Returns None for data with no leaves ([])."""
    t = type(data)
    d = _scalar_dtype(t)
    if d is not None:
        return d
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return from_numpy_dtype(data.dtype)
    if isinstance(data, SEQUENCES):
        result = None
        kinds = set(map(type, data))
        for k in kinds:
            d = _scalar_dtype(k)
            if d is not None:
                result = d if result is None else promote_types(result, d)
        if any(_scalar_dtype(k) is None for k in kinds):
            for x in data:
                if _scalar_dtype(type(x)) is None:
                    d = infer_dtype(x)
                    if d is not None:
                        result = d if result is None else promote_types(result, d)
        return result
    if isinstance(data, str):
        raise TypeError(f"new(): invalid data type '{t.__name__}'")
    raise RuntimeError(f"Could not infer dtype of {t.__name__}")


def ragged_error(data, depth=0):
    """The error torch gives where a nested sequence stops being rectangular (None if it is)."""
    if not isinstance(data, SEQUENCES) or not data:
        return None
    lengths = {len(x) if isinstance(x, SEQUENCES) else None for x in data}
    if len(lengths) > 1:
        if None in lengths:
            return TypeError(f"not a sequence: a number and a sequence are mixed at dim {depth + 1}")
        n = len(data[0]) if isinstance(data[0], SEQUENCES) else None
        got = next(len(x) for x in data if isinstance(x, SEQUENCES) and len(x) != n)
        return ValueError(f"expected sequence of length {n} at dim {depth + 1} (got {got})")
    for x in data:
        err = ragged_error(x, depth + 1)
        if err:
            return err
    return None


_OVERFLOW = "Overflow when unpacking long long: an integer in the data does not fit in int64"


def array_from(data, dtype=None):
    """A new NumPy array holding ``data`` with torch's dtype (``dtype`` overrides)."""
    if isinstance(data, Tensor):
        arr = np.array(data.__array__())
        return arr if dtype is None else arr.astype(dtype.np, copy=False)
    target = dtype or infer_dtype(data) or get_default_dtype()
    try:
        arr = np.array(data)
    except ValueError as e:
        raise (ragged_error(data) or e) from None
    if arr.dtype.kind == "O" or (arr.dtype == np.uint64 and target is _dtype.int64
                                 and not isinstance(data, (np.ndarray, np.generic))):
        raise (ragged_error(data) or ValueError(_OVERFLOW))
    return arr.astype(target.np, copy=False)


def from_data(data, dtype=None, device=None, requires_grad=False):
    """A new tensor copying ``data`` (nested lists, scalars, arrays, tensors) in ``dtype`` (an
    ember dtype; None: torch's inference) on ``device`` (None: the default device)."""
    return finish_tensor(array_from(data, dtype), device, requires_grad)


# -- stored pieces to tensors -----------------------------------------------------------------
@tensor_method("__reduce_ex__")
def _reduce_ex(self, protocol):
    """Pickle support: the tensor as the call ``rebuild_from_array(array, requires_grad)``."""
    return rebuild_from_array, (self._data, self._requires_grad)


def rebuild_from_array(arr, requires_grad):
    """A tensor around ``arr`` (no copy), requiring grad if asked: what a plain pickle of a
    tensor calls."""
    return _wrap(arr, requires_grad)


class MissingDtype:
    """A torch dtype ember lacks (``torch.uint16``...): loads as a value; tensors of it fail."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"


class LoadedStorage:
    """A storage read from a checkpoint: raw bytes (NumPy or CuPy) and their dtype."""

    __slots__ = ("bytes", "dtype")

    def __init__(self, data, dtype):
        self.bytes, self.dtype = data, dtype

    def view(self, dtype, offset, size, stride):
        """The tensor array at ``offset`` with ``size``/``stride`` (in elements), sharing memory."""
        if type(dtype) is MissingDtype or dtype is _dtype.bfloat16:
            raise TypeError(f"ember has no dtype {dtype}, so this checkpoint's {dtype} tensors "
                            "cannot be loaded")
        if type(dtype) is not _dtype.dtype:
            raise pickle.UnpicklingError(f"expected a dtype to rebuild a tensor, got {dtype!r}")
        npdt = dtype.np
        if len(self.bytes) % npdt.itemsize:
            raise RuntimeError(f"a storage of {len(self.bytes)} bytes cannot hold {dtype} "
                               "elements (corrupted checkpoint?)")
        typed = self.bytes.view(npdt)
        offset, size = checked_index(offset), tuple(map(checked_index, size))
        stride = tuple(map(checked_index, stride))
        if len(size) != len(stride) or min(size + stride + (offset,), default=0) < 0:
            raise RuntimeError(f"invalid tensor geometry in checkpoint: size {list(size)}, stride "
                               f"{list(stride)}, offset {offset}")
        if math.prod(n for n in size if n) * npdt.itemsize > sys.maxsize:
            raise RuntimeError(f"a tensor of size {list(size)} has more elements than memory can "
                               "address (corrupted checkpoint?)")
        xp = get_array_module(typed)
        if 0 in size:
            return xp.empty(size, npdt)
        last = offset + sum((n - 1) * s for n, s in zip(size, stride))
        if last >= len(typed):
            raise RuntimeError(f"a tensor of size {list(size)} with stride {list(stride)} at "
                               f"offset {offset} overruns its storage of {len(typed)} elements "
                               "(corrupted checkpoint?)")
        strides = tuple(s * npdt.itemsize for s in stride)
        if xp is np:
            return np.ndarray(size, npdt, buffer=typed, offset=offset * npdt.itemsize,
                              strides=strides)
        return xp.lib.stride_tricks.as_strided(typed[offset:], size, strides)


def checked_index(x):
    """``x`` as an int; a RuntimeError naming the corrupt geometry when it is not one."""
    try:
        return operator.index(x)
    except TypeError:
        raise RuntimeError(f"invalid tensor geometry in checkpoint: {x!r} is not an integer") \
            from None


def _rebuild(storage, dtype, offset, size, stride, requires_grad):
    if type(storage) is not LoadedStorage:
        raise pickle.UnpicklingError(f"expected a storage to rebuild a tensor from, got "
                                     f"{type(storage).__name__}")
    t = _wrap(storage.view(dtype, offset, size, stride))
    return t.requires_grad_(True) if requires_grad else t


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    """torch's tensor rebuild call: a view of ``storage`` typed by the storage's dtype."""
    return _rebuild(storage, storage.dtype if type(storage) is LoadedStorage else None,
                    storage_offset, size, stride, requires_grad)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    """Like v2 on an untyped storage, the dtype given (torch uses it for its newer dtypes)."""
    return _rebuild(storage, dtype, storage_offset, size, stride, requires_grad)


def _rebuild_from_type_v2(func, new_type, args, state):
    """torch's rebuild of a tensor subclass or a tensor with Python attributes: ``func(*args)``,
    which must already be of ``new_type``; torch's buffer marks in ``state`` are dropped quietly,
    any other attribute with a warning."""
    ret = func(*args)
    if new_type is not Tensor and type(ret) is not new_type:
        raise TypeError(f"ember cannot rebuild a tensor of subclass {new_type!r}")
    dropped = sorted(set(state or ()) - {"_is_buffer", "persistent"})   # torch's buffer marks
    if dropped:
        warnings.warn(f"ember tensors carry no Python attributes: dropped {dropped} from a "
                      "loaded tensor")
    return ret
