"""``torch.overrides``: the ``__torch_function__`` protocol, which ember does not dispatch.

ember's functions never hand control to an argument's ``__torch_function__``,
so ``has_torch_function`` is False for every argument tuple and
``handle_torch_function`` (only ever called after a True answer) refuses.
``is_tensor_like`` answers as torch does (a Tensor, or a type defining
``__torch_function__``).

Example::

    >>> ember.overrides.has_torch_function((ember.zeros(1),))
    False
"""
from ._tensor import Tensor
from ._alias import public_prefix

__all__ = ["get_ignored_functions", "get_overridable_functions", "get_testing_overrides",
           "handle_torch_function", "has_torch_function", "has_torch_function_unary",
           "has_torch_function_variadic", "is_tensor_like", "is_tensor_method_or_property",
           "resolve_name", "wrap_torch_function", "TorchFunctionMode"]


class TorchFunctionMode:
    """Base class of torch's function modes (subclasses define ``__torch_function__``).

    A mode can be created and entered as a context manager, as libraries do, but ember's
    functions do not consult modes: inside the block they run as they always do (a mode meant to
    skip work, such as an "empty init", simply does not skip it).
    """

    def __init__(self):
        self.inner = None

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def has_torch_function(relevant_args):
    """False: ember never dispatches through ``__torch_function__``."""
    return False


def has_torch_function_unary(arg):
    """False, as ``has_torch_function``."""
    return False


def has_torch_function_variadic(*args):
    """False, as ``has_torch_function``."""
    return False


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Refuses: ember has no ``__torch_function__`` dispatch to hand the call to."""
    raise NotImplementedError(
        f"ember does not dispatch __torch_function__, so {resolve_name(public_api)} cannot be "
        f"overridden by its arguments")


def is_tensor_like(inp):
    """True for a Tensor or a type (or instance of one) defining ``__torch_function__``."""
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def is_tensor_method_or_property(func):
    """True for a function that is a method or property of ``Tensor``."""
    name = getattr(func, "__name__", None)
    return name is not None and getattr(Tensor, name, None) is func


def resolve_name(f):
    """``'<module>.<name>'`` of a public function, e.g. ``'ember.add'``."""
    module = getattr(f, "__module__", None)
    name = getattr(f, "__qualname__", getattr(f, "__name__", None))
    if name is None:
        return None
    if module is None or module.split(".")[0] == "ember":
        module = public_prefix()
    return f"{module}.{name}"


def wrap_torch_function(dispatcher):
    """Decorator returning the function unchanged (there is no dispatch to wrap in)."""
    return lambda func: func


def get_ignored_functions():
    """Functions that cannot be overridden: all of them, as far as ember dispatches, so none
    is listed separately."""
    return set()


def get_overridable_functions():
    """``{namespace: [functions]}`` that ``__torch_function__`` can override: none in ember."""
    return {}


def get_testing_overrides():
    """``{function: dummy override}`` for override tests: none in ember."""
    return {}
