"""Observers of op calls, for the profiler and the FLOP counter; free when none is installed.

``add_observer(obs)`` routes every ``Op.__call__`` through a wrapper that
calls ``obs.before(op, inputs)`` (its return value is a token) and, after the
op, ``obs.after(token, output)`` (output None if the op raised).  While no
observer is installed ``Op.__call__`` is the original method, so the hot path
carries no check.

Example::

    >>> from ember._op_hooks import remove_observer, add_observer
    >>> class Count:
    ...     n = 0
    ...     def before(self, op, inputs): self.n += 1
    ...     def after(self, token, output): pass
    >>> add_observer(c := Count()); y = ember.ones(2).exp(); remove_observer(c); c.n
    1
"""
import threading
from ._ops.base import Op

__all__ = ["add_observer", "remove_observer"]

_lock = threading.Lock()
_observers = []
_original = []  # Op.__call__ while the wrapper is installed


def _observed_call(op, *inputs):
    started = [(obs, obs.before(op, inputs)) for obs in tuple(_observers)]
    out = None
    try:
        out = _original[0](op, *inputs)
        return out
    finally:
        for obs, token in reversed(started):
            obs.after(token, out)


def add_observer(observer):
    """Start calling ``observer.before``/``after`` around every op call."""
    with _lock:
        if not _observers:
            _original.append(Op.__call__)
            Op.__call__ = _observed_call
        _observers.append(observer)


def remove_observer(observer):
    """Stop observing; the last removal restores the plain ``Op.__call__``."""
    with _lock:
        if observer in _observers:
            _observers.remove(observer)
            if not _observers:
                Op.__call__ = _original.pop()
