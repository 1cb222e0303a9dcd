"""``UntypedStorage``: the bytes behind tensors, as ``torch.UntypedStorage``.

A storage is a flat run of bytes on one device.  ``UntypedStorage(n)`` makes a
new one of ``n`` bytes, ``UntypedStorage([1, 2, 3])`` one holding those
bytes, and ``tensor.untyped_storage()`` the storage a tensor views (shared by
all views of one base, so ``data_ptr()`` comparisons tell whether two tensors
share memory).

Example::

    >>> s = ember.UntypedStorage(4)
    >>> len(s), s.nbytes(), s.__sizeof__()
    (4, 4, 36)
"""

import os

import numpy as np

from ._alias import public_prefix
from ._backend import device_of
from ._backend.storage import data_address
from ._device import as_device

__all__ = ["UntypedStorage"]


class UntypedStorage:
    """A flat byte buffer; ``UntypedStorage(size)`` or ``UntypedStorage(sequence_of_bytes)``.

    ``size()``/``nbytes()``/``len()`` give the byte count, ``data_ptr()`` the
    address, ``tolist()`` and indexing the byte values; ``__sizeof__`` is the
    object's overhead plus its bytes, as torch reports it.
    """

    def __init__(self, data=0, *, device=None):
        if device is not None and as_device(device).type != "cpu":
            raise RuntimeError("UntypedStorage(): only CPU storages can be created directly; "
                               "move a tensor with .to(device) instead")
        if isinstance(data, (int, np.integer)):
            self._root = np.zeros(int(data), dtype=np.uint8)
        else:
            self._root = np.array(list(data), dtype=np.uint8)

    @classmethod
    def _of(cls, root):
        """The storage of the array ``root`` (the array that owns a tensor's memory)."""
        storage = cls.__new__(cls)
        storage._root = root
        return storage

    @classmethod
    def from_file(cls, filename, shared=False, nbytes=0):
        """The first ``nbytes`` bytes of the file ``filename`` as a storage.

        ``shared=True`` maps the file, so writes through the storage reach it; otherwise the
        bytes are a private copy-on-write mapping (as torch's). The file must hold ``nbytes``.
        """
        if os.path.getsize(filename) < nbytes:
            raise RuntimeError(f"unable to map {nbytes} bytes from file <{filename}>: "
                               f"the file holds {os.path.getsize(filename)}")
        if nbytes == 0:
            return cls._of(np.zeros(0, dtype=np.uint8))
        mapped = np.memmap(filename, dtype=np.uint8, mode="r+" if shared else "c", shape=(nbytes,))
        return cls._of(np.asarray(mapped))  # a plain ndarray over the mapping

    def __array__(self, dtype=None, copy=None):
        """The bytes as a uint8 array (shared, not copied, unless ``dtype`` asks otherwise)."""
        out = self._bytes()
        return out if dtype is None else out.astype(dtype)

    def untyped(self):
        """This storage itself (typed storages answer with their untyped one)."""
        return self

    def _bytes(self):
        root = self._root
        return (root.reshape(-1) if root.flags.c_contiguous else root.ravel(order="A")).view(np.uint8)

    @property
    def device(self):
        return device_of(self._root)

    @property
    def is_cuda(self):
        return type(self._root) is not np.ndarray

    def data_ptr(self):
        """The address of the first byte."""
        return data_address(self._root)

    def nbytes(self):
        """The number of bytes held (also ``size()`` and ``len()``)."""
        return int(self._root.nbytes)

    size = nbytes

    def __len__(self):
        return self.nbytes()

    def element_size(self):
        """1: an untyped storage counts bytes."""
        return 1

    def __sizeof__(self):
        return 32 + self.nbytes()  # torch: object overhead plus the bytes held

    def tolist(self):
        """The bytes as a list of ints in [0, 255]."""
        return [int(b) for b in self._bytes()]

    def __getitem__(self, index):
        value = self._bytes()[index]
        return UntypedStorage._of(value.copy()) if isinstance(index, slice) else int(value)

    def __repr__(self):
        body = "".join(f" {b}\n" for b in self.tolist())
        return f"{body}[{public_prefix()}.storage.UntypedStorage(device={self.device}) " \
               f"of size {self.nbytes()}]"
