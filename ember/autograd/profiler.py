"""A real CPU profiler: times every ember op and every ``record_function`` region.

While a ``profile`` is recording, each op call (observed through
``ember._op_hooks``: every differentiable op goes through ``Op.__call__``) and each ``record_function`` block
becomes an event with its wall time, its self time (minus nested events) and,
with ``record_shapes=True``, its input shapes.  ``key_averages()`` groups
events by name and ``table()`` prints them in torch's layout.  Nothing is
hooked while no profile records, so ops pay nothing then.  Op events are named
``ember::<OpClass>`` (torch's are ``aten::<op>``); the fast path that hands
``+ - *`` of two plain float tensors straight to NumPy makes no event.

Example::

    >>> from ember.autograd.profiler import record_function, profile
    >>> x = ember.ones(4, 4)
    >>> with profile(record_shapes=True) as prof:
    ...     with record_function("forward"):
    ...         y = (x @ x).relu().sum()
    >>> "forward" in prof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
    True
"""
import functools
import json
import os
import threading
import time

from .. import _op_hooks

__all__ = ["profile", "record_function", "emit_nvtx", "EventList", "FunctionEvent",
           "FunctionEventAvg"]

_recorders = []      # profiles currently recording
_open = threading.local()  # per thread: the stack of open frames


class FunctionEvent:
    """One timed call: ``name``, start/end in microseconds, self time, input shapes, thread."""

    def __init__(self, name, start_us, end_us, child_us, input_shapes, thread):
        self.name = self.key = name
        self.time_range_start, self.time_range_end = start_us, end_us
        self.cpu_time_total = end_us - start_us
        self.self_cpu_time_total = self.cpu_time_total - child_us
        self.input_shapes = input_shapes
        self.thread = thread
        self.count = 1

    @property
    def cpu_time(self):
        return self.cpu_time_total

    def __repr__(self):
        return (f"<FunctionEvent name={self.name} cpu_time_total={self.cpu_time_total:.3f}us "
                f"self_cpu_time_total={self.self_cpu_time_total:.3f}us "
                f"input_shapes={self.input_shapes}>")


class FunctionEventAvg:
    """Events sharing a key, summed: ``count``, ``cpu_time_total``, ``self_cpu_time_total``,
    and ``cpu_time`` (the mean per call)."""

    def __init__(self, key, input_shapes=None):
        self.key = key
        self.input_shapes = input_shapes
        self.count = 0
        self.cpu_time_total = self.self_cpu_time_total = 0.0

    def add(self, event):
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self):
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total:.3f}us "
                f"cpu_time={self.cpu_time:.3f}us count={self.count}>")


def _format_time(us):
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class EventList(list):
    """A list of events with ``key_averages()``, ``table()`` and ``self_cpu_time_total``."""

    @property
    def self_cpu_time_total(self):
        return sum(e.self_cpu_time_total for e in self)

    def key_averages(self, group_by_input_shape=False):
        """One ``FunctionEventAvg`` per event name (and input shapes, if asked), first seen first."""
        groups = {}
        for event in self:
            shapes = str(event.input_shapes) if group_by_input_shape else None
            key = (event.key, shapes)
            if key not in groups:
                groups[key] = FunctionEventAvg(event.key, event.input_shapes
                                               if group_by_input_shape else None)
            groups[key].add(event)
        return EventList(groups.values())

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False):
        """The events as torch's text table: name, self and total CPU time (with percentages),
        mean time and call count, sorted by ``sort_by`` (an attribute, largest first), at most
        ``row_limit`` rows."""
        rows = list(self)
        if sort_by is not None:
            # device and memory columns (cuda_time_total, self_cpu_memory_usage, ...) are not
            # measured: sorting by one keeps the recorded order, as all-zero columns would
            key = sort_by.replace("cpu_time_avg", "cpu_time")
            rows.sort(key=lambda e: getattr(e, key, 0), reverse=True)
        if row_limit is not None and row_limit > 0:
            rows = rows[:row_limit]
        with_shapes = any(getattr(e, "input_shapes", None) for e in rows)
        name_width = min(max([len(e.key) for e in self] + [4]) + 4, max_name_column_width)
        headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
                   "# of Calls"]
        widths = [name_width] + [12] * 6
        if with_shapes:
            headers.append("Input Shapes")
            widths.append(max([len(str(e.input_shapes)) for e in rows] + [12]) + 2)
        total = self.self_cpu_time_total

        def line(cells):
            return "".join(f"{str(c)[:w]:>{w}}  " for c, w in zip(cells, widths))

        rule = "".join("-" * w + "  " for w in widths)
        out = [rule, line(headers), rule]
        for e in rows:
            name = e.key if len(e.key) <= name_width - 3 else e.key[:name_width - 6] + "..."
            cells = [name, _percent(e.self_cpu_time_total, total),
                     _format_time(e.self_cpu_time_total), _percent(e.cpu_time_total, total),
                     _format_time(e.cpu_time_total), _format_time(e.cpu_time), e.count]
            if with_shapes:
                cells.append(str(e.input_shapes))
            out.append(line(cells))
        out += [rule, f"Self CPU time total: {_format_time(total)}", ""]
        if header is not None:
            out.insert(0, header)
        return "\n".join(out)

    def export_chrome_trace(self, path):
        """Write the events as a Chrome trace (open it in chrome://tracing or Perfetto)."""
        trace = [{"name": e.name, "ph": "X", "ts": e.time_range_start,
                  "dur": e.cpu_time_total, "pid": os.getpid(), "tid": e.thread,
                  "cat": "cpu_op", "args": {"Input Dims": e.input_shapes}}
                 for e in self if isinstance(e, FunctionEvent)]
        with open(path, "w") as f:
            json.dump({"traceEvents": trace}, f)


def _percent(part, total):
    return f"{100.0 * part / total:.2f}%" if total else "0.00%"


def _shapes(inputs):
    return [list(x.shape) if hasattr(x, "shape") else [] for x in inputs]


def _stack():
    stack = getattr(_open, "stack", None)
    if stack is None:
        stack = _open.stack = []
    return stack


def _begin(name, inputs=()):
    """Open a frame; returns it for ``_end``."""
    shapes = _shapes(inputs) if any(r.record_shapes for r in _recorders) else []
    frame = [name, time.perf_counter_ns(), 0, shapes]  # name, start ns, children ns, shapes
    _stack().append(frame)
    return frame


def _end(frame):
    end = time.perf_counter_ns()
    stack = _stack()
    if stack and stack[-1] is frame:
        stack.pop()
    if stack:
        stack[-1][2] += end - frame[1]
    event = FunctionEvent(frame[0], frame[1] / 1e3, end / 1e3, frame[2] / 1e3, frame[3],
                          threading.get_ident())
    for recorder in list(_recorders):
        recorder._events.append(event)


class _OpTimer:
    """The op observer (``ember._op_hooks``) installed while any profile records."""

    def before(self, op, inputs):
        return _begin(f"ember::{type(op).__name__}", inputs)

    def after(self, frame, output):
        _end(frame)


_TIMER = _OpTimer()


def _start(recorder):
    if not _recorders:
        _op_hooks.add_observer(_TIMER)
    _recorders.append(recorder)


def _stop(recorder):
    if recorder in _recorders:
        _recorders.remove(recorder)
        if not _recorders:
            _op_hooks.remove_observer(_TIMER)


class record_function:
    """Time a region under ``name`` (context manager or decorator); it nests around the ops it
    runs, which then count as its children."""

    def __init__(self, name, args=None):
        self.name = name
        self.args = args
        self._frame = None

    def __enter__(self):
        self._frame = _begin(self.name) if _recorders else None
        return self

    def __exit__(self, *exc):
        if self._frame is not None:
            _end(self._frame)
            self._frame = None
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)
        return wrapper


class profile:
    """Record ember's ops while the block runs (``torch.autograd.profiler.profile``).

    Params: ``enabled`` (False records nothing), ``record_shapes`` (keep each
    op's input shapes); the CUDA/memory/stack options are accepted and record
    nothing more.  After the block: ``key_averages()``, ``table()``,
    ``function_events``/``events()``, ``export_chrome_trace(path)``.
    """

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=False, use_cpu=True, experimental_config=None, acc_events=False,
                 custom_trace_id_callback=None):
        self.enabled = enabled
        self.record_shapes = record_shapes
        self._events = []
        self.function_events = None

    def __enter__(self):
        if self.enabled:
            self._events = []
            _start(self)
        return self

    def __exit__(self, *exc):
        if self.enabled:
            _stop(self)
        self.function_events = EventList(sorted(self._events, key=lambda e: e.time_range_start))
        return False

    def _finished(self):
        if self.function_events is None:
            raise RuntimeError("Profiler didn't finish running")
        return self.function_events

    def events(self):
        return self._finished()

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        return self._finished().key_averages(group_by_input_shape)

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False):
        return self._finished().table(sort_by, row_limit, max_name_column_width, header)

    def export_chrome_trace(self, path):
        self._finished().export_chrome_trace(path)

    @property
    def self_cpu_time_total(self):
        return self._finished().self_cpu_time_total

    def __str__(self):
        return self.table()


class emit_nvtx:
    """A no-op context manager: ember emits no NVTX ranges."""

    def __init__(self, enabled=True, record_shapes=False):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
