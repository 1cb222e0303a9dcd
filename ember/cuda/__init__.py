"""``ember.cuda``: the ``torch.cuda`` surface, backed by CuPy when present.

On a machine without CuPy or a GPU, ``is_available()`` is False,
``device_count()`` is 0, the seeding and cache functions do nothing, and the
calls that need a device raise ``CudaUnavailableError`` (a RuntimeError, and
an AssertionError like PyTorch's "Torch not compiled with CUDA enabled").
"""

from .._backend import (
    CudaUnavailableError, cuda_available, device_count, optional_cupy, require_cupy,
)
from .._device import as_device
from ..random import default_generator
from . import amp  # noqa: F401
from .streams import (CUDAGraph, Event, Stream, StreamContext, current_stream,  # noqa: F401
                      default_stream, graph, stream)

__all__ = [
    "CUDAGraph", "Event", "Stream", "StreamContext", "current_stream", "graph", "default_stream", "stream",
    "CudaUnavailableError", "is_available", "device_count", "current_device",
    "get_device_name", "set_device", "manual_seed", "manual_seed_all", "get_rng_state_all",
    "set_rng_state_all",
    "synchronize", "empty_cache", "memory_allocated", "memory_reserved",
]


def is_available():
    """True when ember can run tensors on a CUDA device."""
    return cuda_available()


def _index(dev, cupy):
    """The CUDA ordinal meant by ``dev`` (None means the current device)."""
    if dev is None:
        return cupy.cuda.runtime.getDevice()
    dev = as_device(dev)
    if dev.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {dev}")
    return cupy.cuda.runtime.getDevice() if dev.index is None else dev.index


def current_device():
    """Index of the currently selected CUDA device."""
    return require_cupy().cuda.runtime.getDevice()


def get_device_name(device=None):
    """The GPU's product name, e.g. ``"NVIDIA H100 80GB HBM3"``."""
    cupy = require_cupy()
    name = cupy.cuda.runtime.getDeviceProperties(_index(device, cupy))["name"]
    return name.decode() if isinstance(name, bytes) else name


def set_device(device):
    """Select the current CUDA device (an index, ``"cuda:N"`` or a device).

    Raises CudaUnavailableError without a GPU rather than ignoring the
    request, so that a script's device choice never silently changes.
    """
    cupy = require_cupy()
    cupy.cuda.runtime.setDevice(_index(device, cupy))


def manual_seed(seed):
    """Seed the GPU's random stream (what device-side draws such as dropout use);
    no-op without CUDA."""
    cupy = optional_cupy()
    if cupy is not None:
        cupy.random.seed(seed)
        default_generator.seed_device(cupy, seed)


def get_rng_state_all():
    """The random states of every GPU: an empty list without CUDA. ember cannot capture CuPy's
    generator states, so with GPUs present this raises NotImplementedError."""
    if device_count() == 0:
        return []
    raise NotImplementedError("ember cannot save CuPy's random generator states "
                              "(cuda.get_rng_state_all); reseed with cuda.manual_seed_all instead")


def set_rng_state_all(new_states):
    """Restore the states ``get_rng_state_all`` returned: only the empty list (no CUDA) exists."""
    if len(new_states):
        raise NotImplementedError("ember cannot restore CuPy's random generator states "
                                  "(cuda.set_rng_state_all)")


def manual_seed_all(seed):
    """Seed the random generators of every GPU; no-op without CUDA.  (ember's device-side
    draws use one stream for all GPUs.)"""
    cupy = optional_cupy()
    if cupy is not None:
        for index in range(device_count()):
            with cupy.cuda.Device(index):
                cupy.random.seed(seed)
        default_generator.seed_device(cupy, seed)


def synchronize(device=None):
    """Wait until all work queued on ``device`` (default: current) is done."""
    cupy = require_cupy()
    cupy.cuda.Device(_index(device, cupy)).synchronize()


def empty_cache():
    """Return cached, unused GPU memory to the driver; no-op without CUDA."""
    cupy = optional_cupy()
    if cupy is not None:
        cupy.get_default_memory_pool().free_all_blocks()
        cupy.get_default_pinned_memory_pool().free_all_blocks()


def _pool_bytes(device, used):
    cupy = optional_cupy()
    if cupy is None:
        return 0
    with cupy.cuda.Device(_index(device, cupy)):
        pool = cupy.get_default_memory_pool()
        return pool.used_bytes() if used else pool.total_bytes()


def memory_allocated(device=None):
    """Bytes held by live arrays on ``device``; 0 without CUDA."""
    return _pool_bytes(device, used=True)


def memory_reserved(device=None):
    """Bytes the allocator holds on ``device``, live or cached; 0 without CUDA."""
    return _pool_bytes(device, used=False)
