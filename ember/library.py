"""``torch.library``: custom operators defined in Python, callable as ``ember.ops.<ns>.<name>``.

``custom_op("ns::name", fn, mutates_args=...)`` registers ``fn`` (eager, on ember's tensors) and
returns the op; ``register_autograd(op, backward, setup_context=...)`` gives it a gradient through
``autograd.Function`` with torch's ``setup_context(ctx, inputs, output)`` / ``backward(ctx, *grads)``
protocol; ``register_fake`` records a shape function (ember runs eagerly and never calls it).
``schema`` strings are accepted and not parsed.

Example::

    >>> @ember.library.custom_op("mylib::twice", mutates_args=())
    ... def twice(x: ember.Tensor) -> ember.Tensor:
    ...     return x * 2
    >>> ember.ops.mylib.twice(ember.ones(2))
    tensor([2., 2.])
"""
from .autograd import Function
from .autograd.grad_mode import no_grad

__all__ = ["custom_op", "register_fake", "register_autograd", "CustomOpDef", "ops"]


class _Namespace:
    """``ember.ops.<ns>``: the custom ops registered under one namespace."""

    def __init__(self, name):
        self._name = name
        self._ops = {}

    def __getattr__(self, name):
        try:
            return self.__dict__["_ops"][name]
        except KeyError:
            raise AttributeError(f"'_OpNamespace' '{self._name}' object has no attribute "
                                 f"'{name}'") from None


class _Ops:
    """``ember.ops``: one namespace per prefix of the registered ``ns::name`` ops."""

    def __init__(self):
        self._namespaces = {}

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._namespaces.setdefault(name, _Namespace(name))


ops = _Ops()


class CustomOpDef:
    """A registered custom op: call it like its function; gradients once ``register_autograd``
    gave it a backward."""

    def __init__(self, qualname, fn, mutates_args):
        self._qualname = qualname
        self._init_fn = fn
        self._mutates_args = mutates_args
        self._fake_fn = None
        self._function = None
        self.__name__ = qualname.split("::")[1]
        self.__doc__ = fn.__doc__

    def __call__(self, *args, **kwargs):
        if self._function is not None:
            return self._function.apply(*args, **kwargs)
        return self._init_fn(*args, **kwargs)

    def register_fake(self, fn):
        self._fake_fn = fn
        return fn

    def register_autograd(self, backward, *, setup_context=None):
        forward_fn = self._init_fn

        class _Op(Function):
            @staticmethod
            def forward(ctx, *args):
                with no_grad():
                    output = forward_fn(*args)
                if setup_context is not None:
                    setup_context(ctx, args, output)
                return output

            @staticmethod
            def backward(ctx, *grads):
                result = backward(ctx, *grads)
                return result if isinstance(result, tuple) else (result,)

        _Op.__name__ = self.__name__
        self._function = _Op

    def __repr__(self):
        return f"<CustomOpDef({self._qualname})>"


def _split(qualname):
    if not isinstance(qualname, str) or qualname.count("::") != 1:
        raise ValueError(f"Expected there to be a namespace in {qualname}, i.e. The operator name "
                         f"should look something like ns::foo")
    return qualname.split("::")


def _lookup(op):
    if isinstance(op, CustomOpDef):
        return op
    ns, name = _split(op)
    found = ops._namespaces.get(ns)
    if found is None or name not in found._ops:
        raise ValueError(f"ember.library: no custom op named {op!r} was registered")
    return found._ops[name]


def custom_op(name, fn=None, /, *, mutates_args, device_types=None, schema=None):
    """Register ``fn`` as the custom op ``"ns::name"`` (usable as a decorator when ``fn`` is
    omitted); the op is also reachable as ``ember.ops.ns.name``.

    Args:
        name: ``"namespace::opname"``.
        fn: the op's eager implementation on ember tensors.
        mutates_args: the names of the arguments ``fn`` writes to (recorded only).
        device_types, schema: accepted for torch's signature.
    """
    ns, opname = _split(name)

    def register(f):
        op = CustomOpDef(name, f, mutates_args)
        getattr(ops, ns)._ops[opname] = op
        return op
    return register if fn is None else register(fn)


def register_fake(op, fn=None, /, *, lib=None, _stacklevel=1, allow_override=False):
    """Record ``fn`` as the shape function of ``op`` (a name or a ``CustomOpDef``); ember runs ops
    eagerly and never calls it. Usable as a decorator."""
    def register(f):
        return _lookup(op).register_fake(f)
    return register if fn is None else register(fn)


def register_autograd(op, backward, /, *, setup_context=None, lib=None):
    """Make ``op`` differentiable: ``setup_context(ctx, inputs, output)`` saves what
    ``backward(ctx, *grad_outputs)`` needs; backward returns one gradient (or None) per input."""
    _lookup(op).register_autograd(backward, setup_context=setup_context)
