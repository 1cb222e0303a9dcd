"""Thread-local switches for building the autograd graph.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work as
context managers and as decorators, as in torch; each thread has its own flag.
"""
import functools
import inspect
import threading

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "is_inference_mode_enabled"]


class _State(threading.local):
    def __init__(self):
        self.enabled = True
        self.inference = False


state = _State()


def is_grad_enabled():
    return state.enabled


def is_inference_mode_enabled():
    return state.inference


class _GradMode:
    """Base of the grad-mode context managers; subclasses set ``_target``."""

    _target = True

    def __enter__(self):
        self._prev = state.enabled
        state.enabled = self._target

    def __exit__(self, *exc):
        state.enabled = self._prev
        return False

    def clone(self):
        return type(self)()

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                gen = fn(*args, **kwargs)
                while True:
                    with self.clone():
                        try:
                            value = next(gen)
                        except StopIteration as stop:
                            return stop.value
                    yield value
            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper


class _BareDecorable(_GradMode):
    """Also usable undecorated-call style: ``@no_grad`` as well as ``@no_grad()``."""

    def __new__(cls, orig_func=None):
        self = super().__new__(cls)
        return self(orig_func) if callable(orig_func) else self

    def __init__(self, orig_func=None):
        pass


class no_grad(_BareDecorable):
    """Disable graph building: results of ops do not require grad."""

    _target = False


class enable_grad(_BareDecorable):
    """Re-enable graph building inside a ``no_grad`` block."""

    _target = True


class set_grad_enabled(_GradMode):
    """Set grad mode to ``mode``; takes effect on construction, like torch."""

    def __init__(self, mode):
        self._prev = state.enabled
        self._target = bool(mode)
        state.enabled = self._target

    def __enter__(self):
        pass

    def clone(self):
        return set_grad_enabled(self._target)


class inference_mode(_GradMode):
    """Like ``no_grad`` (ember keeps no extra bookkeeping to skip beyond it)."""

    def __init__(self, mode=True):
        self.mode = bool(mode)
        self._target = not self.mode

    def __enter__(self):
        self._prev = state.enabled
        self._prev_inf = state.inference
        state.enabled = self._target
        state.inference = self.mode

    def __exit__(self, *exc):
        state.enabled = self._prev
        state.inference = self._prev_inf
        return False

    def clone(self):
        return inference_mode(self.mode)
