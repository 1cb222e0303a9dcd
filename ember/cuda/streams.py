"""CUDA streams, events and graphs (``torch.cuda.Stream``, ``Event``, ``CUDAGraph``).

With CuPy and a GPU, ``Stream`` and ``Event`` wrap CuPy's: ``with
ember.cuda.stream(s):`` makes ``s`` CuPy's current stream, so ember's GPU ops
queue on it, and events time work (``elapsed_time`` in milliseconds).
Without a GPU, creating one raises ``CudaUnavailableError`` as torch does
without CUDA.  ember does not capture CUDA graphs, so ``CUDAGraph()`` raises.

Example::

    >>> x = ember.ones(64, 64, device="cuda")  # doctest: +SKIP
    >>> start = ember.cuda.Event(enable_timing=True)  # doctest: +SKIP
    >>> end = ember.cuda.Event(enable_timing=True)  # doctest: +SKIP
    >>> start.record(); y = x @ x; end.record(); end.synchronize()  # doctest: +SKIP
    >>> start.elapsed_time(end)  # doctest: +SKIP
"""

from .._backend import require_cupy

__all__ = ["Stream", "StreamContext", "Event", "CUDAGraph", "graph", "stream", "current_stream", "default_stream"]


class Stream:
    """A CUDA stream (CuPy's underneath); ``priority`` < 0 is a high-priority stream."""

    def __init__(self, device=None, priority=0, **kwargs):
        cupy = require_cupy()
        extra = {"priority": priority} if priority else {}  # older CuPy has no priority
        self._cupy = kwargs.get("_cupy_stream") or cupy.cuda.Stream(non_blocking=True, **extra)

    @property
    def cuda_stream(self):
        return self._cupy.ptr

    def synchronize(self):
        """Wait for all work queued on this stream."""
        self._cupy.synchronize()

    def query(self):
        """True when all queued work is done."""
        return self._cupy.done

    def wait_stream(self, other):
        """Make later work on this stream wait for what ``other`` has queued so far."""
        self._cupy.wait_event(other._cupy.record())

    def wait_event(self, event):
        """Make later work on this stream wait until ``event`` has happened."""
        self._cupy.wait_event(event._cupy)

    def record_event(self, event=None):
        """Record ``event`` (a new one by default) on this stream and return it."""
        event = event or Event()
        event.record(self)
        return event

    def __eq__(self, other):
        return isinstance(other, Stream) and self._cupy.ptr == other._cupy.ptr

    def __hash__(self):
        return hash(self._cupy.ptr)


class Event:
    """A CUDA event: ``record()`` it on a stream, ``synchronize()``/``query()`` it, and
    ``elapsed_time(end)`` in milliseconds between two timing events."""

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        cupy = require_cupy()
        self._cupy = cupy.cuda.Event(block=blocking, disable_timing=not enable_timing,
                                     interprocess=interprocess)

    def record(self, stream=None):
        """Mark the point reached by ``stream`` (default: the current one)."""
        self._cupy.record(None if stream is None else stream._cupy)

    def wait(self, stream=None):
        """Make later work on ``stream`` wait for this event."""
        (stream or current_stream()).wait_event(self)

    def query(self):
        """True when the work before this event is done."""
        return self._cupy.done

    def synchronize(self):
        """Wait until the work before this event is done."""
        self._cupy.synchronize()

    def elapsed_time(self, end_event):
        """Milliseconds from this event to ``end_event`` (both recorded, with timing enabled)."""
        return float(require_cupy().cuda.get_elapsed_time(self._cupy, end_event._cupy))


class CUDAGraph:
    """torch's CUDA graph capture; ember does not capture graphs, so this cannot be created."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("ember does not capture CUDA graphs: run the work eagerly "
                                  "(ember.cuda.CUDAGraph is not supported)")


class graph:
    """torch's context manager that captures a block into a ``CUDAGraph``; the class exists for
    annotations and ``isinstance`` checks, and using it raises as ``CUDAGraph`` does."""

    def __init__(self, cuda_graph, pool=None, stream=None, capture_error_mode="global"):
        raise NotImplementedError("ember does not capture CUDA graphs: run the work eagerly "
                                  "(ember.cuda.graph is not supported)")


def current_stream(device=None):
    """The stream ember's GPU ops are queued on now."""
    cupy = require_cupy()
    return Stream(_cupy_stream=cupy.cuda.get_current_stream())


def default_stream(device=None):
    """The device's default (null) stream."""
    cupy = require_cupy()
    return Stream(_cupy_stream=cupy.cuda.Stream.null)


class StreamContext:
    """A context manager that queues the block's GPU work on ``stream`` (None: leave the current
    stream as it is), torch's ``cuda.StreamContext``.

    Example::

        >>> with ember.cuda.StreamContext(None):
        ...     pass
    """

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        if self.stream is not None:
            self.stream._cupy.__enter__()

    def __exit__(self, *exc):
        if self.stream is not None:
            self.stream._cupy.__exit__(*exc)
        return False


def stream(s):
    """Queue the block's GPU work on ``s`` (None: leave the current stream)."""
    return StreamContext(s)
