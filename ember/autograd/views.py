"""Views in the autograd graph: which base a view shares, and its history after in-place changes.

``as_view`` marks a result as a view (same base, same version counter, a
``view_fn`` that cuts the view's window out of a base-shaped array).
``CopySlices`` is a base after an in-place op on one of its views;
``ViewOfRebased`` is a view as a window onto its base's current history, which
``refresh_view`` installs when a view is used after its base changed in place.
Views torch forbids to change in place under autograd (an output of unbind or
split, or a view made with grad mode off) carry that mark in a ``MarkedView``.
"""
import re

from .._backend import get_array_module
from . import grad_mode
from .graph import Node
from .tensor_xp import ArrayTensor, differentiable_backward
import numpy as np
from .tensor_xp import ArrayTensor, NAMESPACE

_MULTI, _NO_GRAD, _INFERENCE = "multi", "no_grad", "inference"
_AMBIGUOUS = ("Given that this use case is ambiguous and error-prone, it is forbidden. You can "
              "clarify your code by moving both the view and the inplace either both inside the "
              "{} block (if you don't want the inplace to be tracked) or both outside (if you "
              "want the inplace to be tracked).")
_TAILS = {
    _MULTI: "This view is the output of a function that returns multiple views. Such functions "
            "do not allow the output views to be modified inplace. You should replace the "
            "inplace operation by an out-of-place one.",
    _NO_GRAD: _AMBIGUOUS.format("no_grad"),
    _INFERENCE: _AMBIGUOUS.format("inference_mode")}


class MarkedView:
    """A view function with torch's reason the view may not change in place under autograd:
    ``"multi"`` (an output of a function returning several views), ``"no_grad"`` or
    ``"inference"`` (made with grad mode or inference mode on)."""

    __slots__ = ("fn", "mark")

    def __init__(self, fn, mark):
        self.fn, self.mark = fn, mark

    def __call__(self, arr):
        return self.fn(arr)


def as_view(out, src, view_fn, multi_output=False):
    """Mark ``out`` as a view of ``src``: same base, same version counter.

    ``view_fn`` maps an array shaped like ``src`` to the view's window of it;
    composed with ``src``'s own, it lets an in-place change of the view rebase
    the root base's gradient (see ``CopySlices``).  ``multi_output``: one of
    several views one call returns (unbind, split), which torch does not let
    change in place while the graph is recorded; a view made with grad mode off
    is marked the same way, and views of marked views inherit the mark.
    """
    base = src._base
    mark = None
    if base is None:
        out._base, fn = src, view_fn
    else:
        parent = src._view_fn
        out._base = base
        fn = None if parent is None else (lambda a: view_fn(parent(a)))
        if type(parent) is MarkedView:
            mark = parent.mark
    if mark is None and not grad_mode.state.enabled:
        mark = _INFERENCE if grad_mode.state.inference else _NO_GRAD
    elif mark is None and multi_output:
        mark = _MULTI
    out._view_fn = fn if mark is None or fn is None else MarkedView(fn, mark)
    out._vc = src._vc
    out._view_ver = src._vc[0]
    return out


def check_marked_view(view, via=None):
    """Raise torch's error for changing in place, under autograd, a view torch marks
    (see ``as_view``); the caller knows the change would be recorded.  ``via``: the grad_fn
    name of the further view the change writes through (``x[0] = v`` writes through a select)."""
    fn = view._view_fn
    if type(fn) is not MarkedView:
        return
    node = view.grad_fn
    if node is not None:
        name, nr = (via, 0) if via else (node.name(), view._output_nr)
        head = (f"Output {nr} of {re.sub(r'Backward[0-9]*$', '', name)} is a view and is being "
                "modified inplace.")
    elif fn.mark == _INFERENCE:
        head = "A view was created in inference mode and is being modified inplace in normal mode."
    else:
        head = ("A view was created in no_grad mode and is being modified inplace with grad mode "
                "enabled.")
    raise RuntimeError(f"{head} {_TAILS[fn.mark]}")


def refresh_view(view):
    """Re-derive a view's ``grad_fn`` from its base if either changed in place since.

    torch does the same: a view made before an in-place change of its base
    (or of a sibling view) would otherwise backpropagate through stale history.
    """
    base = view._base
    if view._view_fn is None or view._view_ver == view._vc[0] or not base._requires_grad:
        return
    edge = (base.grad_fn, base._output_nr) if base.grad_fn is not None else (base, 0)
    view.grad_fn = ViewOfRebased(edge, view._view_fn, base._data)
    view._output_nr, view._requires_grad, view._view_ver = 0, True, view._vc[0]


class CopySlices(Node):
    """Base after an in-place op on one of its views: the view's region came from ``op``."""

    def __init__(self, base, op, view_fn):
        old = (base.grad_fn, base._output_nr) if base.grad_fn is not None else \
            ((base, 0) if base._requires_grad else None)
        self.next_edges = (old,) + op.next_edges[1:]
        self.n_outputs = 1
        self.op = op
        self.view_fn = view_fn

    def name(self):
        return "torch::autograd::CopySlices"

    def release(self):
        self.op.release()
        self._freed = self.op._freed

    def backward(self, grad):
        grad = grad.copy()
        region = self.view_fn(grad)
        self.op.check_saved()
        grads = self.op.backward(region.copy())
        if type(grads) is not tuple:
            grads = (grads,)
        region[...] = 0 if grads[0] is None else grads[0]
        return (grad,) + tuple(grads[1:])

    def graph_backward(self, grads):
        """``backward`` under create_graph: the same steps on ArrayTensors (writes into the
        view's region reach the base's gradient), the op's formula run differentiably."""
        grad = ArrayTensor(grads[0]).copy()
        region = self.view_fn(grad)
        self.op.check_saved()
        inner = differentiable_backward(self.op, [region.copy().t])
        region[...] = 0 if inner[0] is None else ArrayTensor(inner[0])
        return (grad.t,) + tuple(inner[1:])


class ViewOfRebased(Node):
    """A view as a window onto its base's current history (after an in-place change)."""

    def __init__(self, base_edge, view_fn, base_arr):
        self.next_edges = (base_edge,)
        self.n_outputs = 1
        self.view_fn = view_fn
        self.shape, self.dtype = base_arr.shape, base_arr.dtype

    def name(self):
        return "AsStridedBackward0"

    def backward(self, grad):
        xp = get_array_module(grad)
        full = xp.zeros(self.shape, self.dtype)
        window = self.view_fn(full)
        if getattr(window.flags, "writeable", True) and 0 not in window.strides:
            window[...] = grad
            return full
        # a view that may repeat base elements (expand): sum the gradient of each repeat
        where = self.view_fn(xp.arange(full.size).reshape(self.shape))
        summed = xp.bincount(where.reshape(-1), weights=grad.reshape(-1), minlength=full.size)
        return summed.astype(self.dtype, copy=False).reshape(self.shape)

    def graph_backward(self, grads):
        """``backward`` under create_graph: each base element sums the gradient of the view
        elements that show it (a differentiable weighted bincount)."""
        size = int(np.prod(self.shape))
        where = self.view_fn(np.arange(size).reshape(self.shape))
        grad = ArrayTensor(grads[0])
        summed = NAMESPACE.bincount(where.reshape(-1), weights=grad.reshape(-1), minlength=size)
        return (summed.astype(self.dtype).reshape(self.shape).t,)
