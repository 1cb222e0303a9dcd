"""Array backends: NumPy for the CPU, CuPy for CUDA devices.

This is the only module that imports CuPy.  It does so lazily, on the first
question about CUDA, and treats any failure (not installed, no driver, no GPU)
as "CUDA unavailable", so ember imports and runs on CPU-only machines.

A third backend, ``strict`` (``ember._backend.strict``), is a CPU stand-in
for CuPy used by the tests: tensors on ``device("strict")`` hold arrays that
refuse what CuPy refuses, so code paths meant for the GPU run without one.
"""

import sys

import numpy

from .._device import _CPU, as_device, device
from .meta import NO_DATA, MetaArray, meta
from . import strict

__all__ = [
    "CudaUnavailableError", "get_array_module", "array_module_for",
    "cuda_available", "device_count", "optional_cupy", "require_cupy",
    "to_device", "device_of", "is_array", "on_one_device",
]

_NOT_PROBED = object()
_cupy = _NOT_PROBED


class CudaUnavailableError(RuntimeError, AssertionError):
    """Raised when a CUDA device is asked for but ember has none.

    PyTorch raises ``AssertionError("Torch not compiled with CUDA enabled")`` in
    this case (and RuntimeError in others), so this subclasses both: code that
    catches either keeps working.
    """


_NO_CUDA = (
    "CUDA requested but no CUDA device is available to ember "
    "(CuPy not installed / no GPU); on a machine with an NVIDIA GPU: pip install 'ember[cuda]'"
)


def optional_cupy():
    """Return the cupy module if it imports and sees a GPU, else None (cached)."""
    global _cupy
    if _cupy is _NOT_PROBED:
        try:
            import cupy
            usable = cupy.cuda.runtime.getDeviceCount() > 0
        except Exception:  # ImportError, missing driver, CUDA runtime errors
            usable = False
        _cupy = cupy if usable else None
    return _cupy


def require_cupy():
    """Return the cupy module, or raise CudaUnavailableError."""
    cupy = optional_cupy()
    if cupy is None:
        raise CudaUnavailableError(_NO_CUDA)
    return cupy


def cuda_available():
    """True when CuPy is installed and sees at least one GPU."""
    return optional_cupy() is not None


def device_count():
    """Number of CUDA devices ember can use (0 without CuPy or a GPU)."""
    cupy = optional_cupy()
    return 0 if cupy is None else cupy.cuda.runtime.getDeviceCount()


def _is_cupy_array(arr):
    # An array can only be a CuPy array if cupy was already imported, so
    # checking sys.modules keeps this free of any import on the CPU path.
    cupy = sys.modules.get("cupy")
    return cupy is not None and isinstance(arr, cupy.ndarray)


def _is_strict_array(arr):
    # likewise: the stand-in is loaded only once a strict device was asked for
    strict = sys.modules.get(__name__ + ".strict")
    return strict is not None and isinstance(arr, strict.ndarray)


def is_array(obj):
    """True for an array of any backend (NumPy, CuPy or the strict stand-in)."""
    return isinstance(obj, numpy.ndarray) or _is_cupy_array(obj) or _is_strict_array(obj)


def get_array_module(arr):
    """The array module (numpy, cupy or the strict stand-in) that owns ``arr``; a meta
    array's module is numpy (only its shape and dtype are ever asked for)."""
    if isinstance(arr, (numpy.ndarray, MetaArray)):
        return numpy
    if _is_cupy_array(arr):
        return sys.modules["cupy"]
    if _is_strict_array(arr):
        return sys.modules[__name__ + ".strict"]
    return numpy


def array_module_for(dev):
    """The array module backing device ``dev``: numpy for cpu, cupy for cuda.

    Raises CudaUnavailableError for cuda without CuPy or a GPU, and
    RuntimeError for device types ember has no backend for.
    """
    dev = as_device(dev)
    if dev.type == "cpu":
        return numpy
    if dev.type == "cuda":
        return require_cupy()
    if dev.type == "strict":
        return strict
    if dev.type == "meta":
        return meta
    raise RuntimeError(f"ember supports only cpu, cuda, meta and strict devices, not '{dev.type}'")


def device_of(arr):
    """The ember device holding ``arr``: cpu for NumPy, cuda:N for CuPy, meta for MetaArray."""
    if type(arr) is MetaArray:
        return _META
    if isinstance(arr, MetaArray):
        return arr.device  # a stand-in for data on a device (vmap's batched arrays)
    if _is_cupy_array(arr):
        return device("cuda", arr.device.id)
    if _is_strict_array(arr):
        return _STRICT
    return _CPU


_STRICT = device("strict", 0)


def to_device(arr, dev):
    """Return ``arr`` on device ``dev``, copying only when it has to move."""
    dev = as_device(dev)
    xp = array_module_for(dev)
    if xp is meta:
        return arr if type(arr) is MetaArray else MetaArray(arr.shape, arr.dtype)
    if type(arr) is MetaArray:
        raise NotImplementedError(NO_DATA)
    if isinstance(arr, MetaArray) and device_of(arr) == dev:
        return arr  # a stand-in for data already there (vmap's batched arrays) stays as it is
    if dev.type == "strict" and _is_strict_array(arr):
        return arr
    if xp is numpy or dev.type == "strict":
        host = arr.get() if _is_cupy_array(arr) or _is_strict_array(arr) else numpy.asarray(arr)
        return host if xp is numpy else xp.asarray(host)
    # cupy.asarray copies onto the current device only when not already there.
    with xp.cuda.Device(dev.index):
        return xp.asarray(arr)


def on_one_device(arrays):
    """An op's input ``arrays`` on one device, or None when they already share one.

    As in torch, a 0-d CPU array goes with the other inputs' device (a 0-d CPU
    tensor counts as a scalar); any other mix raises torch's RuntimeError.
    Called only after an op failed, so the common path pays nothing.
    """
    devices = {device_of(a) for a in arrays if is_array(a)}
    if len(devices) < 2:
        return None
    gpu = [d for d in devices if d.type != "cpu"]
    if len(gpu) == 1 and all(a.ndim == 0 for a in arrays if isinstance(a, numpy.ndarray)):
        return [to_device(a, gpu[0]) if isinstance(a, numpy.ndarray) else a for a in arrays]
    first, second = sorted(devices, key=lambda d: (d.type == "cpu", str(d)))[:2]
    raise RuntimeError("Expected all tensors to be on the same device, but found at least two "
                       f"devices, {first} and {second}!")


_META = device("meta")
