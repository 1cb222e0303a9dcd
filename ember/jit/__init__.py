"""ember.jit: TorchScript entry points that scripts call, as eager pass-throughs.

ember has no TorchScript compiler: ``script`` and ``trace`` return their
argument unchanged (it runs eagerly, gradients included), and the decorators
that steer scripting do nothing.  ``ScriptModule`` and ``ScriptFunction`` exist
for ``isinstance`` checks (nothing is one), ``fork`` runs its call at once.  Saving a scripted program is not possible;
``save``/``load`` say to save the ``state_dict`` instead.
"""
from typing import Final  # noqa: F401  (torch.jit.Final is typing.Final)

from . import annotations  # noqa: F401

__all__ = [
    "Attribute",
    "Error",
    "Final",
    "Future",
    "ScriptFunction",
    "ScriptModule",
    "annotate",
    "export",
    "fork",
    "freeze",
    "ignore",
    "interface",
    "is_scripting",
    "is_tracing",
    "load",
    "optimize_for_inference",
    "save",
    "script",
    "script_if_tracing",
    "trace",
    "trace_module",
    "unused",
    "wait",
]


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """Return ``obj`` (a module or function) unchanged: ember runs it eagerly."""
    return obj


def trace(func, example_inputs=None, *args, **kwargs):
    """Return ``func`` unchanged: no graph is recorded, ``example_inputs`` are not run."""
    return func


def trace_module(mod, inputs, *args, **kwargs):
    """Return ``mod`` unchanged, like ``trace``."""
    return mod


def _pass_through(fn=None, **kwargs):
    """Decorator usable bare or with arguments (``@ignore(drop=True)``); returns ``fn``."""
    if fn is None:
        return lambda f: f
    return fn


ignore = unused = export = _pass_through
_overload = _overload_method = interface = script_if_tracing = _pass_through


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    """Return ``mod`` unchanged (there is no scripted graph to freeze)."""
    return mod


optimize_for_inference = freeze


def Attribute(value, type=None):  # noqa: N802  (torch's name)
    """Return ``value``: the type only matters to TorchScript."""
    return value


class ScriptModule:
    """The class of TorchScript modules.  ``script`` returns modules unchanged, so no ember
    object is an instance; ``isinstance(m, ScriptModule)`` is False, as for torch's eager ones."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("ember has no TorchScript: ScriptModule cannot be created; use the "
                           "eager nn.Module itself")


class ScriptFunction:
    """The class of scripted functions; never instantiated in ember (``script`` returns the
    function itself)."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("ember has no TorchScript: ScriptFunction cannot be created; call "
                           "the Python function itself")


class Error(RuntimeError):
    """torch.jit.Error, raised by scripted code; eager ember code raises ordinary errors."""


class Future:
    """The result of ``fork``: the call already ran (eagerly); ``wait()`` returns its value."""

    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value

    def value(self):
        return self._value

    def done(self):
        return True


def fork(func, *args, **kwargs):
    """Run ``func(*args, **kwargs)`` now and return a ``Future`` holding its result."""
    return Future(func(*args, **kwargs))


def wait(future):
    """The value of a ``Future`` returned by ``fork``."""
    return future.wait()


def _no_serialization(*args, **kwargs):
    """Refuses: there is no TorchScript program to save or load."""
    raise NotImplementedError(
        "ember has no TorchScript, so ember.jit.save/load are unsupported; save the weights "
        "with ember.save(model.state_dict(), path) and restore them with "
        "model.load_state_dict(ember.load(path))")


save = load = _no_serialization


def is_scripting():
    """False: code never runs under TorchScript in ember."""
    return False


def is_tracing():
    """False: ``trace`` records nothing, so no code runs under a tracer."""
    return False


def annotate(the_type, the_value):
    """Return ``the_value``: type annotations only matter to TorchScript."""
    return the_value
