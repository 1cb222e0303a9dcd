"""Views in the autograd graph: which base a view shares, and its history after in-place changes.

``as_view`` marks a result as a view (same base, same version counter, a
``view_fn`` that cuts the view's window out of a base-shaped array).
``CopySlices`` is a base after an in-place op on one of its views;
``ViewOfRebased`` is a view as a window onto its base's current history, which
``refresh_view`` installs when a view is used after its base changed in place.
"""
from .._backend import get_array_module
from .graph import Node


def as_view(out, src, view_fn):
    """Mark ``out`` as a view of ``src``: same base, same version counter.

    ``view_fn`` maps an array shaped like ``src`` to the view's window of it;
    composed with ``src``'s own, it lets an in-place change of the view rebase
    the root base's gradient (see ``CopySlices``).
    """
    base = src._base
    if base is None:
        out._base, out._view_fn = src, view_fn
    else:
        parent = src._view_fn
        out._base = base
        out._view_fn = None if parent is None else (lambda a: view_fn(parent(a)))
    out._vc = src._vc
    out._view_ver = src._vc[0]
    return out


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
        return "CopySlices"

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
        if getattr(window.flags, "writeable", True):
            window[...] = grad
            return full
        # a view that repeats base elements (expand): sum the gradient of each repeat
        where = self.view_fn(xp.arange(full.size).reshape(self.shape))
        summed = xp.bincount(where.reshape(-1), weights=grad.reshape(-1), minlength=full.size)
        return summed.astype(self.dtype, copy=False).reshape(self.shape)
