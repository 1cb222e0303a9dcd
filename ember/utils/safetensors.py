"""``ember.utils.safetensors``: read and write the safetensors format.

A file is an 8-byte little-endian header length ``N``, ``N`` bytes of JSON (space-padded to a
multiple of 8) mapping each name to ``{"dtype": "F32", "shape": [...], "data_offsets": [begin,
end]}`` plus an optional ``"__metadata__": {str: str}``, then the raw little-endian bytes of
every tensor, offsets counted from the end of the header.  Nothing in it is executable, which is
why it is the safe way to share weights.  The ``safetensors`` package's NumPy API does the work
when it is installed; otherwise the built-in implementation below does, with the same results.
"""
import json
import struct

import numpy as np

from .. import _dtype
from .._backend import to_device
from .._tensor import Tensor, _wrap
from ..serialization import _atomic_write, _bfloat16_to_float32

__all__ = ["save", "save_file", "load", "load_file", "SafetensorError"]

_CODES = {_dtype.float64: "F64", _dtype.float32: "F32", _dtype.float16: "F16",
          _dtype.complex64: "C64", _dtype.int64: "I64", _dtype.int32: "I32",
          _dtype.int16: "I16", _dtype.int8: "I8", _dtype.uint8: "U8", _dtype.bool: "BOOL"}
_NP = {code: d.np.newbyteorder("<") for d, code in _CODES.items()}
_NP["BF16"] = np.dtype("<u2")      # widened to float32 on load: ember has no bfloat16


class SafetensorError(RuntimeError):
    """A malformed safetensors file, or tensors the format cannot hold."""


def _package():
    """The ``safetensors.numpy`` module, or None when the package is not installed."""
    try:
        import safetensors.numpy
    except ImportError:
        return None
    return safetensors.numpy


def _to_arrays(tensors, metadata):
    """Validate the inputs; the tensors as contiguous little-endian host arrays."""
    if not isinstance(tensors, dict):
        raise TypeError(f"expected a dict of name -> Tensor, got {type(tensors).__name__}")
    if metadata is not None and not (isinstance(metadata, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError(f"metadata must be a dict of str -> str, got {metadata!r}")
    arrays = {}
    for name, t in tensors.items():
        if not isinstance(name, str) or not isinstance(t, Tensor):
            raise TypeError(f"expected a dict of str -> Tensor, got the item {name!r}: "
                            f"{type(t).__name__}")
        if t.dtype not in _CODES:
            raise SafetensorError(f"tensor {name!r}: safetensors cannot store dtype {t.dtype}")
        arr = t._data if type(t._data) is np.ndarray else t._data.get()
        arrays[name] = arr.astype(arr.dtype.newbyteorder("<"), order="C", copy=False)
    return arrays


def _encode(arrays, metadata):
    """The built-in writer: tensors laid out widest dtype first, then by name."""
    order = sorted(arrays, key=lambda k: (-arrays[k].itemsize, k))
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = metadata
    for name in order:
        a = arrays[name]
        header[name] = {"dtype": _CODES[_dtype.FROM_NP[a.dtype.newbyteorder("=")]],
                        "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return b"".join([struct.pack("<Q", len(text)), text] + [arrays[k].tobytes() for k in order])


def _parse(data):
    """Check the header of ``data``; (entries, metadata, byte offset of the tensor data)."""
    if len(data) < 8:
        raise SafetensorError("Error while deserializing header: header too small "
                              f"({len(data)} bytes)")
    n, = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise SafetensorError(f"Error while deserializing header: header of {n} bytes runs past "
                              f"the end of the {len(data)}-byte buffer (truncated file?)")
    try:
        header = json.loads(bytes(data[8:8 + n]))
    except ValueError as e:
        raise SafetensorError(f"Error while deserializing header: invalid JSON ({e})") from None
    if not isinstance(header, dict):
        raise SafetensorError("Error while deserializing header: the header is not a JSON object")
    metadata = header.pop("__metadata__", None)
    body = len(data) - 8 - n
    for name, e in header.items():
        ok = isinstance(e, dict) and e.get("dtype") in _NP and isinstance(e.get("shape"), list) \
            and all(isinstance(s, int) and s >= 0 for s in e["shape"]) \
            and isinstance(e.get("data_offsets"), list) and len(e["data_offsets"]) == 2
        if ok:
            begin, end = e["data_offsets"]
            need = int(np.prod(e["shape"], dtype=np.int64)) * _NP[e["dtype"]].itemsize
            ok = isinstance(begin, int) and isinstance(end, int) and 0 <= begin \
                and end - begin == need and end <= body
        if not ok:
            raise SafetensorError(f"Error while deserializing header: invalid entry for tensor "
                                  f"{name!r}: {e!r} (data section is {body} bytes)")
    return header, metadata, 8 + n


def _decode(data):
    """Name -> writable host array, by the package where it can, else built in."""
    header, _, start = _parse(data)
    pkg = _package()
    if pkg is not None and all(e["dtype"] != "BF16" for e in header.values()):
        return pkg.load(bytes(data))
    buf = data if isinstance(data, bytearray) else bytearray(data)
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        dt = _NP[e["dtype"]]
        arr = np.frombuffer(buf, dt, (end - begin) // dt.itemsize, start + begin)
        if e["dtype"] == "BF16":
            arr = _bfloat16_to_float32(arr.view(np.uint8)).view(np.float32)
        out[name] = arr.astype(arr.dtype.newbyteorder("="), copy=False).reshape(e["shape"])
    return out


def save(tensors, metadata=None):
    """The safetensors bytes of ``tensors`` (a dict of name -> Tensor)."""
    arrays = _to_arrays(tensors, metadata)
    pkg = _package()
    return pkg.save(arrays, metadata) if pkg is not None else _encode(arrays, metadata)


def save_file(tensors, filename, metadata=None):
    """Write ``tensors`` to ``filename`` atomically (a temp file renamed over it)."""
    data = save(tensors, metadata)
    _atomic_write(filename, lambda fh: fh.write(data))


def load(data):
    """The tensors in safetensors bytes ``data``, as a dict of name -> Tensor (on the CPU)."""
    return {name: _wrap(arr) for name, arr in _decode(data).items()}


def load_file(filename, device="cpu"):
    """The tensors in the safetensors file ``filename``, placed on ``device``."""
    with open(filename, "rb") as fh:
        data = bytearray(fh.read())
    return {name: _wrap(to_device(arr, device)) for name, arr in _decode(data).items()}
