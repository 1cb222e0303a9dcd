"""``torch.accelerator``: the device-agnostic accelerator queries.

ember counts CUDA (through CuPy) as its accelerator: on a machine with a GPU
and CuPy, ``is_available()`` is True and ``current_accelerator()`` is
``device(type='cuda')``; otherwise there is none (False, None, 0) and the
calls that need one raise ember's clear CUDA error.

Example::

    >>> device = ember.accelerator.current_accelerator() if ember.accelerator.is_available() else "cpu"
"""
from .. import cuda as _cuda
from .._device import device as _device

__all__ = ["current_accelerator", "current_device_index", "current_device_idx", "device_count",
           "empty_cache", "is_available", "memory_allocated", "memory_reserved",
           "set_device_index", "set_device_idx", "synchronize"]


def is_available():
    """True when an accelerator (a CUDA GPU reachable through CuPy) is present."""
    return _cuda.is_available()


def device_count():
    """The number of accelerator devices (0 without one)."""
    return _cuda.device_count() if _cuda.is_available() else 0


def current_accelerator(check_available=False):
    """``device(type='cuda')`` when a GPU is usable, else None."""
    return _device("cuda") if _cuda.is_available() else None


def current_device_index():
    """The index of the current accelerator device (error without one)."""
    return _cuda.current_device()


current_device_idx = current_device_index


def set_device_index(device):
    """Select the current accelerator device (error without one)."""
    _cuda.set_device(device)


set_device_idx = set_device_index


def synchronize(device=None):
    """Wait for queued work on the accelerator (error without one)."""
    _cuda.synchronize(device)


def empty_cache():
    """Free the accelerator's cached memory (nothing to do without one)."""
    _cuda.empty_cache()


def memory_allocated(device_index=None):
    """Bytes held by live tensors on the accelerator (0 without one)."""
    return _cuda.memory_allocated(device_index)


def memory_reserved(device_index=None):
    """Bytes the accelerator's allocator holds (0 without one)."""
    return _cuda.memory_reserved(device_index)
