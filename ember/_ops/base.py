"""The base of every built-in op, and the shared broadcast-gradient reduction.

An op is a ``Node`` subclass: ``forward(*arrays)`` computes on raw arrays
(NumPy or CuPy through ``xp``), ``backward(*grads)`` returns one gradient per
input, ``None`` where ``needs_input_grad`` says none is needed.  ``Op.__call__``
turns Tensors into arrays, runs ``forward``, and links the result into the
graph only when grad mode is on and some input requires grad.
"""
import math as _math

import numpy as _numpy

from .._backend import get_array_module, on_one_device
from .._tensor import Tensor, _wrap
from ..autograd.views import refresh_view
from ..autograd import grad_mode
from ..autograd.graph import Node
from ..autograd.tensor_xp import ArrayTensor, NAMESPACE

_state = grad_mode.state


class Op(Node):
    """A differentiable op on raw arrays.

    Subclasses set ``save_inputs`` (positions of inputs whose values backward
    reads) and ``save_output`` so that an in-place change to one of them
    raises torch's error instead of giving a wrong gradient, and
    ``nondiff_outputs`` for outputs that carry no gradient (indices).  Where
    what backward reads depends on which inputs need a gradient (``a * b``
    reads b only for a's gradient), ``save_inputs`` is a table made by
    ``saved_by_need``, so that changing an unread input in place is allowed,
    as in torch.
    """

    __slots__ = ()
    save_inputs = ()
    save_output = False
    nondiff_outputs = ()

    @staticmethod
    def saved_by_need(*reads):
        """A ``save_inputs`` table: ``reads[i]`` lists the inputs that input i's gradient reads.

        The table maps each ``needs_input_grad`` tuple to the inputs saved for it,
        e.g. ``saved_by_need((1,), (0,))`` (a product) maps (True, False) to (1,).
        """
        table = {}
        n = len(reads)
        for bits in range(2 ** n):
            needs = tuple(bool(bits >> i & 1) for i in range(n))
            table[needs] = tuple(sorted({j for need, r in zip(needs, reads) if need for j in r}))
        return table

    def __call__(self, *inputs):
        if _state.enabled:
            arrays = []
            build = False
            for x in inputs:
                if isinstance(x, Tensor):
                    if x._base is not None:
                        refresh_view(x)
                    arrays.append(x._data)
                    if x._requires_grad:
                        build = True
                else:
                    arrays.append(x)
            if build:
                return self._build(inputs, arrays)
        else:
            arrays = [x._data if isinstance(x, Tensor) else x for x in inputs]
        self.needs_input_grad = _NO_GRAD.get(len(inputs)) or (False,) * len(inputs)
        out = self._forward(arrays)
        if type(out) is tuple:
            return tuple([_wrap(o) for o in out])
        return _wrap(out)

    def _build(self, inputs, arrays):
        """Run forward and link the outputs into the graph (some input requires grad)."""
        needs = []
        edges = []
        for x in inputs:
            if isinstance(x, Tensor) and x._requires_grad:
                needs.append(True)
                fn = x.grad_fn
                edges.append((fn, x._output_nr) if fn is not None else (x, 0))
            else:
                needs.append(False)
                edges.append(None)
        self.needs_input_grad = tuple(needs)
        out = self._forward(arrays)
        self.next_edges = tuple(edges)
        saved = self.save_inputs
        if saved:
            if type(saved) is dict:
                saved = saved[self.needs_input_grad]
            self._versions = [(inputs[i]._vc, inputs[i]._vc[0], arrays[i], i, inputs[i])
                              for i in saved if isinstance(inputs[i], Tensor)]
        if type(out) is tuple:
            self.n_outputs = len(out)
            return tuple([self._link(o, i) for i, o in enumerate(out)])
        self.n_outputs = 1
        if self.save_output or self.nondiff_outputs:
            return self._link(out, 0)
        t = _wrap(out, True)
        t.grad_fn = self
        return t

    def _forward(self, arrays):
        """``forward``; inputs on two devices (seen as a TypeError from CuPy) get torch's
        treatment: a 0-d CPU input joins the others, any other mix raises torch's error."""
        try:
            return self.forward(*arrays)
        except TypeError:
            moved = on_one_device(arrays)
            if moved is None:
                raise
        return self.forward(*moved)

    def _link(self, arr, index):
        if index in self.nondiff_outputs:
            return _wrap(arr)
        t = _wrap(arr, True)
        t.grad_fn = self
        t._output_nr = index
        if self.save_output:
            versions = self._versions
            if versions is None:
                versions = self._versions = []
            versions.append((t._vc, 0, arr, -1 - index))  # arr: what forward kept (maybe a NumPy scalar)
        return t


def rerun_forward(op, *inputs):
    """A ``regraph`` for ops whose saved values come out of a loop or a long chain: run
    ``op.forward`` again on ``inputs`` (the swapped, differentiable ones) and return the
    attributes it set, leaving the node's own values in place."""
    before = dict(op.__dict__)
    op.forward(*inputs)
    changed = {k: v for k, v in op.__dict__.items() if before.get(k) is not v}
    op.__dict__.update(before)
    return changed


class _TorchName:
    """A node's ``name`` method replaced by a fixed name (see ``relabel``)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __call__(self):
        return self.text


def relabel(result, name):
    """``result`` (a tensor, or a tuple or list of them) with torch's node name ``name`` on the
    grad_fn that made each tensor: for a function ember composes of several ops where torch
    has one node, the last op takes torch's name (its type and gradient stay).  Tensors with no
    grad_fn are left alone; call it only on tensors the function made itself.

    Example: ``relabel(x.flip(0).transpose(0, 1), "Rot90Backward0").grad_fn.name()`` is
    ``"Rot90Backward0"`` when ``x`` requires grad.
    """
    for t in result if isinstance(result, (tuple, list)) else (result,):
        fn = t.grad_fn
        if fn is not None:
            fn.name = _TorchName(name)
    return result


def saves_input(op, i, needs):
    """Whether ``op`` saves input ``i`` for backward when ``needs`` is its ``needs_input_grad``."""
    saved = op.save_inputs
    if type(saved) is dict:
        saved = saved[needs]
    return i in saved


_ndarray = _numpy.ndarray

_NO_GRAD = {n: (False,) * n for n in range(1, 5)}


def sum_to(grad, shape):
    """Reduce a broadcast gradient back to ``shape`` (returns at once when shapes match)."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and grad.shape[i + lead] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if lead:
        grad = grad.reshape(shape)
    return grad


def _row_form(shape, axes):
    """``(A, B, P)`` viewing ``shape`` so that ``axes`` are A and P, or None.

    Reductions then run as BLAS matrix-vector products over contiguous rows of
    P, several times faster than NumPy's reduction over several axes.
    """
    nd = len(shape)
    ax = {a % nd for a in axes}
    t = nd
    while t > 0 and t - 1 in ax:
        t -= 1
    head = ax - set(range(t, nd))
    if head == {0} and t > 1:
        return shape[0], _math.prod(shape[1:t]), _math.prod(shape[t:])
    if head:
        return None
    return 1, _math.prod(shape[:t]), _math.prod(shape[t:])


def axes_sum(a, axes, b=None):
    """Sum of ``a`` (or of ``a * b``) over ``axes``, keepdims, as BLAS products where it can.

    Serves the per-channel sums of normalisation and the bias gradient of
    convolution.  Example: ``axes_sum(g, (0, 2, 3))`` for ``g`` of shape
    (N, C, H, W) is ``g.sum(axis=(0, 2, 3), keepdims=True)``, shape (1, C, 1, 1).
    """
    form = _row_form(a.shape, axes)
    if form is None or a.dtype.char not in "fd":  # BLAS types only
        return (a if b is None else a * b).sum(axis=axes, keepdims=True)
    xp = get_xp(a)
    rows = a.reshape(form)
    if b is None:
        s = xp.matmul(rows, xp.ones(form[2], dtype=a.dtype))
    else:
        s = xp.matmul(rows[:, :, None, :], b.reshape(form)[:, :, :, None])[:, :, 0, 0]
    keep = tuple(1 if i in {x % a.ndim for x in axes} else n for i, n in enumerate(a.shape))
    return s.sum(axis=0).reshape(keep)


def all_finite(arr):
    """Whether every element of the float array ``arr`` is finite, at the cost of one BLAS dot
    (a NaN or inf makes the dot non-finite; a finite overflow only answers False, which sends
    callers to their exact path).  Lets a backward keep a fast mask multiply, where an
    infinite gradient at a masked place would give NaN instead of 0."""
    flat = arr.reshape(-1)
    return _math.isfinite(flat.dot(flat))


def get_xp(arr):
    """NumPy or CuPy, whichever holds ``arr`` (cheap for NumPy); for the ``ArrayTensor`` a
    backward formula gets under ``create_graph=True``, the namespace of differentiable
    functions (``autograd/tensor_xp.py``)."""
    if type(arr) is _ndarray:
        return _numpy
    return NAMESPACE if type(arr) is ArrayTensor else get_array_module(arr)
