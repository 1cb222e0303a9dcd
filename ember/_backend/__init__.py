"""Array backends: NumPy for the CPU, CuPy for CUDA devices.

This is the only module that imports CuPy.  It does so lazily, on the first
question about CUDA, and treats any failure (not installed, no driver, no GPU)
as "CUDA unavailable", so ember imports and runs on CPU-only machines.
"""

import sys

import numpy

from .._device import _CPU, as_device, device
from .meta import NO_DATA, MetaArray, meta

__all__ = [
    "CudaUnavailableError", "get_array_module", "array_module_for",
    "cuda_available", "device_count", "optional_cupy", "require_cupy",
    "to_device", "device_of",
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
    "(CuPy not installed / no GPU)"
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


def get_array_module(arr):
    """The array module (numpy or cupy) that owns ``arr``."""
    if isinstance(arr, (numpy.ndarray, MetaArray)) or not _is_cupy_array(arr):
        return numpy
    return sys.modules["cupy"]


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
    if dev.type == "meta":
        return meta
    raise RuntimeError(f"ember supports only cpu, cuda and meta devices, not '{dev.type}'")


def device_of(arr):
    """The ember device holding ``arr``: cpu for NumPy, cuda:N for CuPy, meta for MetaArray."""
    if type(arr) is MetaArray:
        return _META
    if _is_cupy_array(arr):
        return device("cuda", arr.device.id)
    return _CPU


def to_device(arr, dev):
    """Return ``arr`` on device ``dev``, copying only when it has to move."""
    dev = as_device(dev)
    xp = array_module_for(dev)
    if xp is meta:
        return arr if type(arr) is MetaArray else MetaArray(arr.shape, arr.dtype)
    if type(arr) is MetaArray:
        raise NotImplementedError(NO_DATA)
    if xp is numpy:
        return arr.get() if _is_cupy_array(arr) else numpy.asarray(arr)
    # cupy.asarray copies onto the current device only when not already there.
    with xp.cuda.Device(dev.index):
        return xp.asarray(arr)


_META = device("meta")
