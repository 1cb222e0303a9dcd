"""ember.jit: TorchScript entry points that scripts call, as eager pass-throughs.

ember has no TorchScript compiler: ``script`` and ``trace`` return their
argument unchanged (it runs eagerly, gradients included), and the decorators
that steer scripting do nothing.  Saving a scripted program is not possible;
``save``/``load`` say to save the ``state_dict`` instead.
"""
__all__ = [
    "annotate",
    "export",
    "ignore",
    "is_scripting",
    "is_tracing",
    "load",
    "save",
    "script",
    "trace",
    "trace_module",
    "unused",
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


def _no_serialization(*args, **kwargs):
    raise NotImplementedError(
        "ember has no TorchScript, so ember.jit.save/load are unsupported; save the weights "
        "with ember.save(model.state_dict(), path) and restore them with "
        "model.load_state_dict(ember.load(path))")


save = load = _no_serialization


def is_scripting():
    """False: code never runs under TorchScript in ember."""
    return False


def is_tracing():
    return False


def annotate(the_type, the_value):
    """Return ``the_value``: type annotations only matter to TorchScript."""
    return the_value
