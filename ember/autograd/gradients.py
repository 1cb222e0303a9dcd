"""The ways into the backward engine: ``backward`` and ``grad``, and the Tensor methods that
start a backward or watch one (``Tensor.backward``, ``register_hook``, ``retain_grad``).

A root that is a view whose base changed in place gets its current history first
(``refresh_view``), so the engine itself never looks at views.

Example::

    >>> from ember.autograd import grad
    >>> x = ember.ones(3, requires_grad=True)
    >>> grad((x * x).sum(), x)
    (tensor([2., 2., 2.]),)
"""
import numpy as np

from .._backend import get_array_module
from .._tensor import _wrap, tensor_method
from .graph import _Handle, PostAccumulateGradHook, run_backward
from .views import refresh_view


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _root_grads(outputs, grad_outputs, graph=False):
    """The gradients the backward starts from: arrays, or Tensors (kept in the graph) when
    ``graph`` (create_graph)."""
    grads = []
    grad_outputs = _as_list(grad_outputs) or [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"grad can be implicitly created only for scalar outputs; got "
                           f"{len(outputs)} outputs and {len(grad_outputs)} gradients")
    for out, g in zip(outputs, grad_outputs):
        if not out._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                               "grad_fn")
        if g is None:
            if out._data.size != 1:
                raise RuntimeError(f"grad can be implicitly created only for scalar outputs (got "
                                   f"an output of shape {tuple(out.shape)}); pass gradient=")
            g = get_array_module(out._data).empty_like(out._data)
            g.fill(1)  # ones_like costs twice as much in Python
            if graph:
                g = _wrap(g)
        elif graph and hasattr(g, "_data"):
            _check_root_shape(g, out)
            if g._data.dtype != out._data.dtype:
                g = g.to(out.dtype)
        else:
            g = g._data if hasattr(g, "_data") else np.asarray(g, dtype=out._data.dtype)
            if g.dtype != out._data.dtype:
                g = g.astype(out._data.dtype)
            _check_root_shape(g, out)
            g = _wrap(g) if graph else g.copy()
        grads.append(g)
    return grads


def _check_root_shape(g, out):
    if tuple(g.shape) != out._data.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of "
                           f"{tuple(g.shape)} and output[0] has a shape of "
                           f"{tuple(out._data.shape)}.")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate gradients of ``tensors`` into the leaves' ``.grad``.

    With ``create_graph=True`` the accumulated gradients are themselves graph Tensors (so they
    can be differentiated again); ``retain_graph`` then defaults to True, as in torch.
    """
    create_graph = bool(create_graph)
    retain_graph = create_graph if retain_graph is None else bool(retain_graph)
    outputs = _as_list(tensors)
    roots = _root_grads(outputs, grad_tensors, create_graph)
    if inputs is not None:
        inputs = _as_list(inputs)
        captured = _grad(outputs, roots, inputs, retain_graph, True, create_graph)
        for t, g in zip(inputs, captured):
            if g is not None:
                t.grad = g if t.grad is None else t.grad + g
        return
    _run(outputs, roots, retain_graph, create_graph=create_graph)


def _run(outputs, roots, retain_graph, capture=None, create_graph=False):
    """The engine from ``outputs``, after giving stale views among them their current history."""
    for t in outputs:
        if t._base is not None:
            refresh_view(t)
    return run_backward(outputs, roots, retain_graph, capture, create_graph=create_graph)


def _grad(outputs, roots, inputs, retain_graph, allow_unused, create_graph=False):
    keys = []
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        keys.append((t.grad_fn, t._output_nr) if t.grad_fn is not None else (t, 0))
    capture = _run(outputs, roots, retain_graph, dict.fromkeys(keys), create_graph)
    result = []
    for i, k in enumerate(keys):
        g = capture[k]
        if g is None and not allow_unused:
            raise RuntimeError(f"One of the differentiated Tensors (input {i}, shape "
                               f"{tuple(inputs[i].shape)}) appears to not have been used in the "
                               "graph. Set allow_unused=True if this is the desired behavior.")
        if g is not None and not create_graph:
            g = _wrap(g.copy() if g.base is not None else g)
        result.append(g)
    return result


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) without touching any ``.grad``.

    With ``create_graph=True`` the results are graph Tensors that can be differentiated again
    (any order); ``retain_graph`` then defaults to True.
    """
    create_graph = bool(create_graph)
    retain_graph = create_graph if retain_graph is None else bool(retain_graph)
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    roots = _root_grads(outputs, grad_outputs, create_graph)
    res = _grad(outputs, roots, inputs, retain_graph, bool(allow_unused) or materialize_grads,
                create_graph)
    if materialize_grads:
        res = [_wrap(get_array_module(t._data).zeros_like(t._data)) if g is None else g
               for t, g in zip(inputs, res)]
    return tuple(res)


@tensor_method("backward")
def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``gradient``: the cotangent,
    needed unless ``self`` has one element)."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


@tensor_method("register_hook")
def register_hook(self, hook):
    """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one.
    Returns a handle whose ``remove()`` takes the hook out again."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        return self.grad_fn._add_pre_hook(self._output_nr, hook)
    if self._hooks is None:
        self._hooks = []
    self._hooks.append(hook)
    return _Handle(self._hooks, hook)


@tensor_method("register_post_accumulate_grad_hook")
def register_post_accumulate_grad_hook(self, hook):
    """Call ``hook(self)`` after backward accumulates this leaf's gradient into ``.grad``
    (not for ``autograd.grad``); returns a handle whose ``remove()`` drops it."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    return register_hook(self, PostAccumulateGradHook(hook))


@tensor_method("retain_grad")
def retain_grad(self):
    """Keep ``.grad`` for this non-leaf tensor after backward."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self.grad_fn is None or self._retains_grad:
        return
    self._retains_grad = True
    target = self

    def keep(grad):
        target.grad = grad.clone() if target.grad is None else target.grad + grad
    self.grad_fn._add_pre_hook(self._output_nr, keep)
