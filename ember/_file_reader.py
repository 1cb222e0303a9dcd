"""``torch.PyTorchFileReader``: the records of a checkpoint zip, by name.

A torch checkpoint is a zip whose entries sit under one top-level folder
(``archive/data.pkl``, ``archive/data/0``, ...); this reader names records without that folder,
as torch's does. It only reads: ``ember.load`` is what checks and rebuilds tensors.

Example::

    >>> import io
    >>> buffer = io.BytesIO(); ember.save({"w": ember.ones(2)}, buffer); _ = buffer.seek(0)
    >>> reader = ember.PyTorchFileReader(buffer)
    >>> "data.pkl" in reader.get_all_records()
    True
    >>> pickled = reader.get_record("data.pkl")
"""
import os
import zipfile
from ._tensor import _wrap
from ._dtype import as_dtype

__all__ = ["PyTorchFileReader"]


class PyTorchFileReader:
    """Read the records of the checkpoint zip at ``file`` (a path or a binary file object)."""

    def __init__(self, file):
        self._zip = zipfile.ZipFile(os.fspath(file) if isinstance(file, (str, os.PathLike)) else file)
        names = self._zip.namelist()
        if not names:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: not a checkpoint")
        self._prefix = names[0].split("/", 1)[0] + "/"
        self._records = {n[len(self._prefix):]: n for n in names if n.startswith(self._prefix)}

    def get_all_records(self):
        """The record names, sorted, without the archive's top-level folder."""
        return sorted(self._records)

    def has_record(self, name):
        return name in self._records

    def get_record(self, name):
        """The bytes of record ``name``; RuntimeError when there is none."""
        try:
            return self._zip.read(self._records[name])
        except KeyError:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found") from None

    def get_record_offset(self, name):
        """Where record ``name``'s bytes start in the file."""
        info = self._zip.getinfo(self._records[name])
        self._zip.fp.seek(info.header_offset + 26)
        name_len, extra_len = (int.from_bytes(self._zip.fp.read(2), "little") for _ in range(2))
        return info.header_offset + 30 + name_len + extra_len

    def get_storage_from_record(self, name, numel, dtype):
        """Record ``name`` as a 1-D tensor of ``numel`` elements of ``dtype`` (an ember tensor
        whose untyped storage is ``.untyped_storage()``)."""
        import numpy as np
        data = np.frombuffer(self.get_record(name), dtype=as_dtype(dtype).np, count=numel).copy()
        return _wrap(data)

    def serialization_id(self):
        return self.get_record(".data/serialization_id").decode() if self.has_record(".data/serialization_id") else ""
