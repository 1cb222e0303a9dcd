"""``torch.profiler``: profile ember's ops with schedules and trace handlers.

``profile`` records through ``ember.autograd.profiler`` (every op call and
``record_function`` region, timed on the CPU); ``schedule(wait=, warmup=,
active=, repeat=)`` picks which ``step()``s record, and ``on_trace_ready`` is
called with the profiler after each recorded cycle (``tensorboard_trace_handler``
writes a Chrome trace there).  Only ``ProfilerActivity.CPU`` is measured.

Example::

    >>> from ember.profiler import profile, record_function, ProfilerActivity
    >>> model, x = ember.nn.Linear(3, 2), ember.ones(4, 3)
    >>> with profile(activities=[ProfilerActivity.CPU]) as prof:
    ...     y = model(x)
    >>> print(prof.key_averages().table(sort_by="self_cpu_time_total"))  # doctest: +SKIP
"""
import enum
import os
import socket
import time
import warnings

from ..autograd import profiler as _autograd_profiler
from ..autograd.profiler import record_function  # noqa: F401

__all__ = ["ProfilerActivity", "ProfilerAction", "profile", "record_function", "schedule",
           "supported_activities", "tensorboard_trace_handler", "kineto_available"]


class ProfilerActivity(enum.Enum):
    """What a profile measures; ember measures ``CPU`` (the others are accepted names)."""

    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5


class ProfilerAction(enum.Enum):
    """What a ``schedule`` asks of a step: idle, warm up, record, or record and save."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


def supported_activities():
    """The activities ember can measure: the CPU."""
    return {ProfilerActivity.CPU}


def kineto_available():
    """False: ember's profiler is its own op observer, not torch's Kineto tracer."""
    return False


def schedule(*, wait, warmup, active, repeat=0, skip_first=0, skip_first_wait=0):
    """A step -> ``ProfilerAction`` function: after ``skip_first`` steps, cycles of ``wait``
    idle, ``warmup`` and ``active`` recorded steps (the last saves), ``repeat`` times (0: forever)."""
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError("Invalid profiler schedule arguments")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results")
    cycle = wait + warmup + active

    def action(step):
        step -= skip_first
        if step < 0:
            return ProfilerAction.NONE
        if skip_first_wait:
            step += wait
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        position = step % cycle
        if position < wait:
            return ProfilerAction.NONE
        if position < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if position < cycle - 1 else ProfilerAction.RECORD_AND_SAVE
    return action


def _record_always(step):
    return ProfilerAction.RECORD


def tensorboard_trace_handler(dir_name, worker_name=None, use_gzip=False):
    """An ``on_trace_ready`` handler writing each cycle's Chrome trace under ``dir_name``."""
    def handler(prof):
        os.makedirs(dir_name, exist_ok=True)
        name = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        path = os.path.join(dir_name, f"{name}.{time.time_ns()}.pt.trace.json")
        prof.export_chrome_trace(path)
        if use_gzip:
            import gzip
            import shutil
            with open(path, "rb") as src, gzip.open(path + ".gz", "wb") as dst:
                shutil.copyfileobj(src, dst)
            os.remove(path)
    return handler


class profile:
    """Profile the ops a block runs; ``step()`` marks a training step for ``schedule``.

    ``activities`` must include ``ProfilerActivity.CPU`` (the only one ember
    measures); ``record_shapes`` keeps input shapes.  After each recorded cycle
    (and at the end) ``on_trace_ready(prof)`` runs; ``key_averages()``,
    ``events()`` and ``export_chrome_trace()`` read the latest cycle.
    """

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None,
                 record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, experimental_config=None, execution_trace_observer=None,
                 acc_events=False, use_cuda=None, custom_trace_id_callback=None,
                 post_processing_timeout_s=None):
        activities = set(activities) if activities is not None else supported_activities()
        if ProfilerActivity.CPU not in activities:
            warnings.warn("ember profiles only ProfilerActivity.CPU; nothing else is recorded")
        self.activities = activities
        self.schedule = schedule or _record_always
        self.on_trace_ready = on_trace_ready
        self.record_shapes = record_shapes
        self.step_num = 0
        self._action = ProfilerAction.NONE
        self._current = None   # the recording in progress
        self._finished = None  # the latest completed recording

    def _set_action(self, action):
        recording = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)
        if self._current is None and action in recording:
            self._current = _autograd_profiler.profile(record_shapes=self.record_shapes)
            self._current.__enter__()
        self._action = action

    def _save(self):
        if self._current is not None:
            self._current.__exit__(None, None, None)
            self._finished, self._current = self._current, None
            if self.on_trace_ready is not None:
                self.on_trace_ready(self)

    def start(self):
        self._set_action(self.schedule(self.step_num))

    def stop(self):
        self._save()

    def step(self):
        """Advance the schedule by one step, saving a cycle that just ended."""
        previous = self._action
        self.step_num += 1
        action = self.schedule(self.step_num)
        if previous == ProfilerAction.RECORD_AND_SAVE or (
                previous == ProfilerAction.RECORD and action not in
                (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)):
            self._save()
        self._set_action(action)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def _result(self):
        if self._finished is None:
            raise RuntimeError("Profiler didn't finish running: nothing was recorded yet")
        return self._finished

    def events(self):
        return self._result().events()

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        return self._result().key_averages(group_by_input_shape)

    def export_chrome_trace(self, path):
        self._result().export_chrome_trace(path)
