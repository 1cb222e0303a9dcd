"""Turning stored pieces back into tensors: the rebuild calls that pickles name.

``ember.save`` writes each tensor as torch's call ``torch._utils._rebuild_tensor_v2(storage,
offset, size, stride, requires_grad, hooks)``; loading maps that name (and ``_rebuild_tensor_v3``,
``torch._tensor._rebuild_from_type_v2``) to the functions here, which check the geometry against
the storage read from the file (a ``LoadedStorage``) before viewing its bytes.  A plain pickle of a
tensor (``copy.copy``, a DataLoader worker's batch) is the call ``rebuild_from_array(array,
requires_grad)`` that ``Tensor.__reduce_ex__`` gives, so ``copy.copy`` shares memory as torch's
does.  This module sits just above the Tensor: it needs no op, no ``nn`` and no file format.

Example::

    >>> raw = LoadedStorage(numpy.arange(6, dtype=numpy.float32), ember.float32)
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
from ._backend import get_array_module
from ._tensor import Tensor, _wrap, tensor_method

__all__ = ["MissingDtype", "LoadedStorage", "checked_index", "rebuild_from_array"]


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
