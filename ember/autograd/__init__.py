"""Automatic differentiation: ``backward``, ``grad``, ``Function`` and the grad modes."""
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,  # noqa: F401
                        is_grad_enabled, is_inference_mode_enabled)
from .graph import run_backward, Node  # noqa: F401
from .function import Function, FunctionCtx, once_differentiable  # noqa: F401
from .variable import Variable  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401
from . import graph, grad_mode, function  # noqa: F401


import numpy as np  # noqa: E402

from .._backend import get_array_module  # noqa: E402


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
                g = _tensor_of(g)
        elif graph and hasattr(g, "_data"):
            if g.shape != out.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of "
                                   f"{tuple(g.shape)} and output[0] has a shape of "
                                   f"{tuple(out._data.shape)}.")
            if g._data.dtype != out._data.dtype:
                g = g.to(out.dtype)
        else:
            g = g._data if hasattr(g, "_data") else np.asarray(g, dtype=out._data.dtype)
            if g.dtype != out._data.dtype:
                g = g.astype(out._data.dtype)
            if g.shape != out._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of "
                                   f"{tuple(g.shape)} and output[0] has a shape of "
                                   f"{tuple(out._data.shape)}.")
            g = _tensor_of(g) if graph else g.copy()
        grads.append(g)
    return grads


def _tensor_of(arr):
    from .._tensor import _wrap
    return _wrap(arr)


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
    run_backward(outputs, roots, retain_graph=retain_graph, create_graph=create_graph)


def _grad(outputs, roots, inputs, retain_graph, allow_unused, create_graph=False):
    from .._tensor import _wrap
    keys = []
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        keys.append((t.grad_fn, t._output_nr) if t.grad_fn is not None else (t, 0))
    capture = run_backward(outputs, roots, retain_graph, capture=dict.fromkeys(keys),
                           create_graph=create_graph)
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
        from .. import zeros_like
        res = [zeros_like(t) if g is None else g for t, g in zip(inputs, res)]
    return tuple(res)


def __getattr__(name):
    if name in ("profiler", "functional", "forward_ad"):  # loaded on first use
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'ember.autograd' has no attribute '{name}'")
