"""``ember.utils.safetensors``: read and write the safetensors format.

A file is an 8-byte little-endian header length ``N``, ``N`` bytes of JSON (space-padded to a
multiple of 8) mapping each name to ``{"dtype": "F32", "shape": [...], "data_offsets": [begin,
end]}`` plus an optional ``"__metadata__": {str: str}``, then the raw little-endian bytes of
every tensor, offsets counted from the end of the header.  Nothing in it is executable, which is
why it is the safe way to share weights.  The ``safetensors`` package's NumPy API does the work
when it is installed; otherwise the built-in implementation below does, with the same results.
Either way a file is first checked by ``_parse`` (as strictly as the package, and duplicate keys
are refused too), and every failure to read or write is raised as ``SafetensorError``.
"""
import contextlib
import json
import math
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
    """A malformed safetensors file, or tensors the format cannot hold.

    Raised by both implementations (the package's own errors are re-raised as this one), so
    ``except SafetensorError`` catches every failure of a load or a save.
    """


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


_MAX_HEADER = 100_000_000      # the package's limit on the JSON header, in bytes
_USIZE = 2 ** 64               # the package counts sizes in unsigned 64-bit integers


def _bad(why):
    return SafetensorError(f"Error while deserializing header: {why}")


def _unique_keys(pairs):
    """A JSON object as a dict, refusing a key given twice (json.loads keeps the last)."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _bad(f"duplicate key {key!r}")
        out[key] = value
    return out


def _refuse_constant(name):
    raise _bad(f"invalid JSON: {name} is not a JSON number")


def _is_count(x):
    return type(x) is int and 0 <= x < _USIZE


def _parse(data):
    """Check ``data`` as strictly as the package; (entries, metadata, offset of the tensor data).

    The header must be UTF-8 JSON of at most ``_MAX_HEADER`` bytes inside the buffer, with no
    duplicate keys; ``__metadata__`` maps strings to strings; every tensor has a known dtype,
    a shape of non-negative integers whose size in bits fits 64 bits, and ``[begin, end]``
    offsets that, sorted, tile the data section exactly: no gaps, no overlaps, nothing after.
    """
    if len(data) < 8:
        raise _bad(f"header too small ({len(data)} bytes)")
    n, = struct.unpack("<Q", data[:8])
    if n > _MAX_HEADER:
        raise _bad(f"header too large ({n} bytes; at most {_MAX_HEADER})")
    if n > len(data) - 8:
        raise _bad(f"header of {n} bytes runs past the end of the {len(data)}-byte buffer "
                   "(truncated file?)")
    try:
        header = json.loads(bytes(data[8:8 + n]).decode("utf-8"), object_pairs_hook=_unique_keys,
                            parse_constant=_refuse_constant)
    except ValueError as e:                   # UnicodeDecodeError and JSONDecodeError
        raise _bad(f"invalid UTF-8 JSON ({e})") from None
    if not isinstance(header, dict):
        raise _bad("the header is not a JSON object")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict) and all(
            isinstance(v, str) for v in metadata.values())):
        raise _bad(f"__metadata__ must map strings to strings, got {metadata!r}")
    for name, e in header.items():
        ok = isinstance(e, dict) and isinstance(e.get("dtype"), str) and e["dtype"] in _NP \
            and isinstance(e.get("shape"), list) \
            and all(map(_is_count, e["shape"])) and isinstance(e.get("data_offsets"), list) \
            and len(e["data_offsets"]) == 2 and all(map(_is_count, e["data_offsets"]))
        if not ok:
            raise _bad(f"invalid entry for tensor {name!r}: {e!r}")
        nbytes = math.prod(e["shape"]) * _NP[e["dtype"]].itemsize
        if nbytes * 8 >= _USIZE:                # the package counts the size in bits
            raise _bad(f"tensor {name!r}: shape {e['shape']} overflows the size of a buffer")
        begin, end = e["data_offsets"]
        if end - begin != nbytes:
            raise _bad(f"tensor {name!r}: data_offsets {e['data_offsets']} hold {end - begin} "
                       f"bytes, its {e['dtype']} shape {e['shape']} needs {nbytes}")
    covered = 0
    for name, e in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
        if e["data_offsets"][0] != covered:
            raise _bad(f"tensor {name!r} starts at {e['data_offsets'][0]}, not where the tensor "
                       f"before it ends ({covered}): offsets must not overlap or leave gaps")
        covered = e["data_offsets"][1]
    if covered != len(data) - 8 - n:
        raise _bad(f"the tensors cover {covered} bytes of a {len(data) - 8 - n}-byte data "
                   "section")
    return header, metadata, 8 + n


@contextlib.contextmanager
def _package_errors():
    """The package's failures, raised as ember's ``SafetensorError``."""
    try:
        yield
    except SafetensorError:
        raise
    except Exception as e:
        raise SafetensorError(f"{type(e).__name__}: {e}") from e


def _decode(data):
    """Name -> writable host array, by the package where it can, else built in."""
    header, _, start = _parse(data)
    pkg = _package()
    if pkg is not None and all(e["dtype"] != "BF16" for e in header.values()):
        with _package_errors():
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
    if pkg is None:
        return _encode(arrays, metadata)
    with _package_errors():
        return pkg.save(arrays, metadata)


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
