"""In-place ops under autograd: version bumps, leaf checks, and rebasing views.

``apply_inplace(self, op, *others)`` computes ``op(self, *others)`` and writes
the result into ``self``'s array.  When the graph is recorded, ``self`` takes
the op as its new ``grad_fn``; when ``self`` is a view, its base is rebased
too (torch's CopySlices), so gradients flow through the base correctly.
"""
import numpy as np

from .._tensor import Tensor, _wrap
from .._dtype import FROM_NP
from .common import check_cast
from ..autograd import grad_mode
from ..autograd.graph import Node

_state = grad_mode.state


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


def check_inplace(self, other_requires_grad=False):
    """Raise torch's error for an in-place change of a leaf that requires grad."""
    if _state.enabled and self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    if self._base is not None and _state.enabled and self._base._requires_grad \
            and self._base.grad_fn is None and (self._requires_grad or other_requires_grad):
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


def write_into(self, result, opname="the in-place op"):
    """Copy ``result`` into ``self``'s array, refusing casts torch refuses."""
    data = self._data
    if not data.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                           f"refers to a single memory location (shape {tuple(data.shape)}, e.g. "
                           f"made by expand()). Please clone() the tensor before {opname}.")
    if result.dtype != data.dtype:
        check_cast(FROM_NP[result.dtype], FROM_NP[data.dtype], context=f" (in {opname})")
    if result.shape != data.shape:
        try:
            shape = np.broadcast_shapes(result.shape, data.shape)
        except ValueError:
            shape = None
        if shape != data.shape:
            raise RuntimeError(f"output with shape {list(data.shape)} doesn't match the broadcast "
                               f"shape {list(shape or result.shape)} (in {opname})")
    data[...] = result
    self._vc[0] += 1


def apply_inplace(self, op, *others):
    """Run ``op`` on (self, *others) and store the result in ``self`` (torch's ``x.op_(...)``)."""
    others_rg = any(isinstance(o, Tensor) and o._requires_grad for o in others)
    check_inplace(self, others_rg)
    record = _state.enabled and (self._requires_grad or others_rg)
    if not record:
        with grad_mode.no_grad():
            out = op(self, *others)
        write_into(self, out._data, type(op).__name__.lower() + "_")
        return self
    src = self
    if 0 in op.save_inputs:
        src = _wrap(self._data.copy(), self._requires_grad)
        src.grad_fn, src._output_nr = self.grad_fn, self._output_nr
    out = op(src, *others)
    write_into(self, out._data, type(op).__name__.lower() + "_")
    _rebase(self, op)
    return self


def _rebase(self, op):
    """Make ``self`` (now holding op's output) the output of ``op`` in the graph."""
    versions = op._versions
    if versions:
        # a saved output now lives in self: track self's counter
        op._versions = [(self._vc, self._vc[0], arr, what) if type(what) is int and what < 0
                        else (vc, v, arr, what) for vc, v, arr, what in versions]
    base = self._base
    if base is None or self._view_fn is None:
        self.grad_fn, self._output_nr, self._requires_grad = op, 0, True
        return
    slices = CopySlices(base, op, self._view_fn)
    base.grad_fn, base._output_nr, base._requires_grad = slices, 0, True
    self.grad_fn = ViewOfRebased((slices, 0), self._view_fn, base._data)
    self._output_nr, self._requires_grad, self._view_ver = 0, True, self._vc[0]


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
        from .._backend import get_array_module
        full = get_array_module(grad).zeros(self.shape, self.dtype)
        self.view_fn(full)[...] = grad
        return full
