"""``TypedStorage``: a storage's bytes read as elements of one dtype, torch's legacy storage
(``tensor.storage()``, ``tensor.storage_type()``), kept for old code as torch keeps it.

A typed storage wraps the ``UntypedStorage`` of a tensor (or a new one) and indexes it by
element: ``len`` and ``size()`` count elements, ``[i]`` reads and writes one element.  Each
dtype has a legacy subclass (``FloatStorage``, ``LongStorage``...), what ``storage_type()``
returns.  Using it warns once, as torch's does.

Example::

    >>> s = ember.arange(6.)[2:].storage()
    >>> len(s), s[2], s.dtype
    (6, 2.0, ember.float32)
"""
import warnings

import numpy as np

from . import _dtype
from ._alias import public_prefix
from ._tensor import _wrap, tensor_method
from .storage import UntypedStorage

__all__ = ["TypedStorage"]

_warned = []


def _warn_deprecated():
    if not _warned:
        _warned.append(True)
        warnings.warn("TypedStorage is deprecated; use tensor.untyped_storage() instead of "
                      "tensor.storage()", UserWarning, stacklevel=3)


class TypedStorage:
    """Elements of ``dtype`` over an untyped storage.

    ``TypedStorage(n, dtype=...)`` holds ``n`` zeros, ``TypedStorage(sequence, dtype=...)``
    those values, ``TypedStorage(wrap_storage=untyped, dtype=...)`` views ``untyped``.
    """

    is_sparse = False
    dtype = None  # the legacy subclasses fix it

    def __init__(self, *args, wrap_storage=None, dtype=None, device=None):
        _warn_deprecated()
        dtype = _dtype.as_dtype(dtype) if dtype is not None else \
            (self.dtype or _dtype.get_default_dtype())
        self.dtype = dtype
        if wrap_storage is not None:
            if args:
                raise RuntimeError("TypedStorage(): no positional arguments with wrap_storage")
            self._untyped_storage = wrap_storage
            return
        data = args[0] if args else 0
        if isinstance(data, (int, np.integer)):
            values = np.zeros(int(data), dtype=dtype.np)
        else:
            values = np.array(list(data), dtype=dtype.np)
        self._untyped_storage = UntypedStorage._of(values)

    def _elements(self):
        """The storage as a flat array of ``dtype`` (shared memory)."""
        raw = self._untyped_storage._bytes()
        item = np.dtype(self.dtype.np).itemsize
        return raw[:raw.size - raw.size % item].view(self.dtype.np)

    @property
    def device(self):
        return self._untyped_storage.device

    @property
    def is_cuda(self):
        return self._untyped_storage.is_cuda

    def size(self):
        """The number of elements."""
        return self._untyped_storage.nbytes() // self.element_size()

    __len__ = size

    def element_size(self):
        return np.dtype(self.dtype.np).itemsize

    def nbytes(self):
        return self._untyped_storage.nbytes()

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def untyped(self):
        """The untyped storage underneath (the same bytes)."""
        return self._untyped_storage

    def _check(self, index):
        if not isinstance(index, (int, np.integer)):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        n = self.size()
        if not -n <= index < n:
            raise IndexError(f"index {index} out of range for storage of size {n}")

    def __getitem__(self, index):
        self._check(index)
        return self._elements()[index].item()

    def __setitem__(self, index, value):
        self._check(index)
        self._elements()[index] = value

    def fill_(self, value):
        self._elements()[...] = value
        return self

    def tolist(self):
        return self._elements().tolist()

    def is_shared(self):
        return _wrap(self._untyped_storage._root).is_shared()

    def type(self, dtype=None, non_blocking=False):
        """The legacy class name (``'ember.FloatStorage'``) with no argument."""
        return f"{public_prefix()}.{legacy_class(self.dtype).__name__}"

    def __repr__(self):
        body = "".join(f" {v}\n" for v in self.tolist())
        return (f"{body}[{public_prefix()}.storage.TypedStorage(dtype={self.dtype}, "
                f"device={self.device}) of size {self.size()}]")


_LEGACY = {}


def legacy_class(dtype):
    """The legacy storage class of ``dtype`` (``FloatStorage`` for float32)."""
    if dtype not in _LEGACY:
        name = dtype._tensor_type.replace("Tensor", "Storage")
        _LEGACY[dtype] = type(name, (TypedStorage,), {
            "dtype": dtype, "__doc__": f"The legacy storage of {dtype} elements."})
    return _LEGACY[dtype]


@tensor_method("storage")
def storage(self):
    """This tensor's storage as a ``TypedStorage`` of its dtype (deprecated in torch; use
    ``untyped_storage()``).  Example: ``ember.ones(3).storage().size()`` is 3."""
    return TypedStorage(wrap_storage=self.untyped_storage(), dtype=self.dtype)


@tensor_method("storage_type")
def storage_type(self):
    """The legacy storage class of this tensor's dtype (``FloatStorage`` for float32).
    Example: ``ember.ones(3).storage_type().__name__`` is ``'FloatStorage'``."""
    _warn_deprecated()
    return legacy_class(self.dtype)
