"""Anomaly detection: make backward fail at the first node that produces NaN gradients.

``detect_anomaly()`` (a context manager or decorator) and ``set_detect_anomaly(mode)`` switch the
process-wide mode; while it is on with ``check_nan``, the engine checks every gradient a node
returns and raises torch's RuntimeError naming the node (``Function 'SqrtBackward0' returned nan
values in its 0th output.``). Unlike torch, ember does not record forward tracebacks.

Example::

    >>> x = ember.tensor([0.0, 1.0], requires_grad=True)
    >>> with ember.autograd.detect_anomaly():
    ...     (x.sqrt() * 0).sum().backward()
    Traceback (most recent call last):
    RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.
"""
import functools
import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled"]

#: read by the engine: [enabled, check_nan]
state = [False, True]


def is_anomaly_enabled():
    """Whether anomaly detection is on."""
    return state[0]


def is_anomaly_check_nan_enabled():
    """Whether anomaly detection checks gradients for NaN (when it is on)."""
    return state[1]


class set_detect_anomaly:
    """Turn anomaly detection on or off (``mode``) from now on, or for a ``with`` block."""

    def __init__(self, mode, check_nan=True):
        self.prev = list(state)
        state[:] = [bool(mode), bool(check_nan)]

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        state[:] = self.prev
        return False


class detect_anomaly:
    """Anomaly detection on for a ``with`` block or a decorated function."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        self.prev = None
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self.prev = list(state)
        state[:] = [True, bool(self.check_nan)]

    def __exit__(self, *exc):
        state[:] = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapped


def check_gradients(node, in_grads):
    """Raise torch's error when one of the gradients ``node`` returned holds NaN."""
    for i, g in enumerate(in_grads):
        if g is not None and g.dtype.kind in "fc" and (g != g).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
