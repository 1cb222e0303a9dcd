"""``autograd.Function``: the public way to add an op with a hand-written backward.

``apply`` runs ``forward`` without recording, then links the outputs into the
graph through a node whose backward calls the user's ``backward`` on Tensors.
"""
import functools

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor, _wrap
from . import grad_mode
from .graph import Node


class FunctionCtx(Node):
    """The ``ctx`` handed to forward/backward; also the graph node (``grad_fn``)."""

    __slots__ = ()

    def save_for_backward(self, *tensors):
        self._saved = tensors
        self._versions = [(t._vc, t._vc[0], t._data, "a tensor saved with save_for_backward")
                          for t in tensors if t is not None]

    @property
    def saved_tensors(self):
        self.check_saved()
        return getattr(self, "_saved", ())

    def mark_non_differentiable(self, *tensors):
        self._nondiff = set(map(id, tensors))

    def mark_dirty(self, *tensors):
        self._dirty = set(map(id, tensors))

    def set_materialize_grads(self, value):
        self._materialize = bool(value)

    def name(self):
        return self._cls.__name__ + "Backward"

    def release(self):
        if "_saved" in self.__dict__:
            del self.__dict__["_saved"]
            self._freed = True

    def backward(self, *grads):
        if getattr(self, "_materialize", True):
            grads = [xp.zeros(s, d) if g is None else g
                     for g, (s, d, xp) in zip(grads, self._out_meta)]
        res = self._user_backward([None if g is None else _wrap(g) for g in grads])
        return tuple(None if g is None else g._data for g in res)

    def graph_backward(self, grads):
        """The engine's call under create_graph: the user's backward on Tensors of the new
        graph, with saved outputs handed back as Tensors whose ``grad_fn`` is this node."""
        if getattr(self, "_materialize", True):
            grads = [_wrap(xp.zeros(s, d)) if g is None else g
                     for g, (s, d, xp) in zip(grads, self._out_meta)]
        saved = self.__dict__.get("_saved")
        outputs = getattr(self, "_saved_outputs", None)
        if outputs:
            self._saved = tuple(self._output_tensor(t, outputs[i]) if i in outputs else t
                                for i, t in enumerate(saved))
        try:
            return self._user_backward(grads)
        finally:
            if outputs:
                self._saved = saved

    def _output_tensor(self, t, index):
        out = _wrap(t._data, True)
        out.grad_fn, out._output_nr, out._vc = self, index, t._vc
        return out

    def _user_backward(self, grads):
        """The user's ``backward`` on Tensor gradients; one Tensor or None per input."""
        res = self._cls.backward(self, *grads)
        if type(res) is not tuple:
            res = (res,)
        n_in = len(self.next_edges)
        if len(res) < n_in:
            raise RuntimeError(f"function {self._cls.__name__}Backward returned an incorrect number "
                               f"of gradients (expected {n_in}, got {len(res)})")
        return tuple(None if g is None or edge is None else g
                     for g, edge in zip(res, self.next_edges))


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = cls


class Function(metaclass=_FunctionMeta):
    """Subclass with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``; call ``apply``."""

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx._cls = cls
        needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        ctx.needs_input_grad = needs
        separate = cls.setup_context is not Function.setup_context
        with grad_mode.no_grad():
            if separate:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        build = grad_mode.state.enabled and any(needs)
        is_tuple = isinstance(out, tuple)
        outs = out if is_tuple else (out,)
        if not build:
            return out
        ctx.next_edges = tuple(
            ((a.grad_fn, a._output_nr) if a.grad_fn is not None else (a, 0)) if n else None
            for a, n in zip(args, needs))
        ctx.n_outputs = len(outs)
        ctx._out_meta = [(o._data.shape, o._data.dtype, get_array_module(o._data))
                         if isinstance(o, Tensor) else ((), float, np) for o in outs]
        nondiff = getattr(ctx, "_nondiff", ())
        dirty = getattr(ctx, "_dirty", ())
        saved = getattr(ctx, "_saved", ())
        if saved:  # saved outputs, by position in saved_tensors: re-linked under create_graph
            position = {id(o): i for i, o in enumerate(outs) if isinstance(o, Tensor)}
            ctx._saved_outputs = {k: position[id(t)] for k, t in enumerate(saved)
                                  if id(t) in position}
        linked = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor) or id(o) in nondiff:
                linked.append(o)
                continue
            t = o if id(o) in dirty else _wrap(o._data, True)
            if t is not o:
                t._vc = o._vc
            t._requires_grad = True
            t.grad_fn = ctx
            t._output_nr = i
            linked.append(t)
        return tuple(linked) if is_tuple else linked[0]


def once_differentiable(fn):
    """Marks a backward as differentiable once: it runs without recording, and under
    ``create_graph=True`` its results carry a node that raises torch's error if a second
    backward reaches it.

    Example::

        >>> class Cube(ember.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     @ember.autograd.function.once_differentiable
        ...     def backward(ctx, g):
        ...         x, = ctx.saved_tensors
        ...         return 3 * x ** 2 * g
    """
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not grad_mode.state.enabled or not any(getattr(a, "requires_grad", False)
                                                   for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        linked = delayed_error((outputs,) if single else outputs,
                               "trying to differentiate twice a function that was marked with "
                               "@once_differentiable")
        return linked[0] if single else linked
    return wrapper


def delayed_error(tensors, message):
    """``tensors`` (None allowed) as graph Tensors whose backward raises RuntimeError(message):
    a gradient that may be used but not differentiated again."""
    err = _DelayedError()
    err.next_edges, err.needs_input_grad = (), ()
    err.n_outputs, err.message = len(tensors), message
    linked = []
    for i, o in enumerate(tensors):
        if o is None:
            linked.append(None)
            continue
        t = _wrap(o._data, True)
        t.grad_fn, t._output_nr = err, i
        linked.append(t)
    return tuple(linked)


class _DelayedError(Node):
    """The node behind ``delayed_error``'s tensors: reaching it is an error."""

    __slots__ = ()

    def name(self):
        return "DelayedError"

    def backward(self, *grads):
        raise RuntimeError(self.message)

    graph_backward = backward
