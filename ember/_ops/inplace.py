"""In-place ops under autograd: version bumps, leaf checks, and rebasing views.

``apply_inplace(self, op, *others)`` computes ``op(self, *others)`` and writes
the result into ``self``'s array.  When the graph is recorded, ``self`` takes
the op as its new ``grad_fn``; when ``self`` is a view, its base is rebased
too (torch's CopySlices, in ``ember.autograd.views``), so gradients flow
through the base correctly.
"""
import numpy as np

from .._backend.arrays import is_writeable
from .._tensor import Tensor, _wrap
from .._dtype import FROM_NP
from .common import check_cast
from .base import saves_input
from ..autograd import grad_mode
from ..autograd.views import CopySlices, ViewOfRebased, check_marked_view

_state = grad_mode.state


def check_inplace(self, other_requires_grad=False):
    """Raise torch's error for an in-place change of a leaf that requires grad, of a view of
    one, or of a view torch does not let change in place (``check_marked_view``)."""
    if self._base is not None and _state.enabled and (self._requires_grad or other_requires_grad):
        check_marked_view(self)
    if _state.enabled and self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    if self._view_fn is not None and _state.enabled and self._base._requires_grad \
            and self._base.grad_fn is None and (self._requires_grad or other_requires_grad):
        # (a detached tensor shares its base's memory but is no view in the graph)
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


def write_into(self, result, opname="the in-place op"):
    """Copy ``result`` into ``self``'s array, refusing casts torch refuses."""
    data = self._data
    if not is_writeable(data):
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
    others_needs = tuple(isinstance(o, Tensor) and o._requires_grad for o in others)
    others_rg = any(others_needs)
    check_inplace(self, others_rg)
    record = _state.enabled and (self._requires_grad or others_rg)
    if not record:
        with grad_mode.no_grad():
            out = op(self, *others)
        write_into(self, out._data, type(op).__name__.lower() + "_")
        return self
    src = self
    if saves_input(op, 0, (self._requires_grad,) + others_needs):
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
        op._versions = [(self._vc, self._vc[0]) + e[2:] if type(e[3]) is int and e[3] < 0
                        else e for e in versions]
    base = self._base
    if base is None or self._view_fn is None:
        self.grad_fn, self._output_nr, self._requires_grad = op, 0, True
        return
    slices = CopySlices(base, op, self._view_fn)
    base.grad_fn, base._output_nr, base._requires_grad = slices, 0, True
    self.grad_fn = ViewOfRebased((slices, 0), self._view_fn, base._data)
    self._output_nr, self._requires_grad, self._view_ver = 0, True, self._vc[0]
