"""Loss ops on raw arrays, each reducing ('none', 'mean' or 'sum') in the same op.

* ``CrossEntropy``: log-softmax and NLL over class-index targets in one pass,
  with class weights, ``ignore_index`` and label smoothing; backward is
  ``softmax - onehot`` (scaled) from the saved log-probabilities.  Without
  smoothing ``cross_entropy`` uses ``Softmax`` and ``NLLLoss`` instead: torch's graph.
* ``NLLLoss``: the same targets over given log-probabilities.
* ``SoftCrossEntropy``: cross-entropy against class probabilities.
* ``Pointwise`` losses (L1, MSE, Huber, SmoothL1, BCE, BCE-with-logits,
  SoftMargin, KL divergence, Poisson NLL): an elementwise loss of (input,
  target) whose derivatives backward scales by the spread output gradient.
* ``CTCLoss``: the alpha recursion over time, vectorised over the batch.

Class-index inputs are viewed as (N, C, S) (S: the product of the extra dims,
an unbatched (C,) input as (1, C, 1)); a target's entry is found by its flat
position in that array, so gather and scatter are single fancy-index ops.
'mean' over class indices divides by the summed weights of the non-ignored
targets, as torch does (NaN when there are none).
"""
import math

import numpy as np

from ..base import Op, sum_to, get_xp
from ..._tensor import _wrap
from ...autograd.function import delayed_error
from ..elementwise.ops import sign
from ..activation.softmax import Softmax

quiet = np.errstate(all="ignore")


def _reduce(loss, reduction, total=None):
    if reduction == "none":
        return loss
    s = loss.sum()
    if reduction == "sum":
        return s
    return s / (loss.size if total is None else total)


def _spread(xp, g, shape, reduction, total=None):
    """The gradient of each element of the unreduced loss, from the output gradient ``g``."""
    if reduction == "none":
        return g.reshape(shape)
    if reduction == "mean":
        g = g / (math.prod(shape) if total is None else total)
    return xp.broadcast_to(g, shape)


def _log_softmax(x3):
    """log-softmax over axis 1 (the class axis), through the shared softmax op."""
    return Softmax(1, log=True).forward(x3)


def _ncs(shape):
    """(N, C, S) of a class-scores shape; (C,) is one sample."""
    if len(shape) == 1:
        return 1, shape[0], 1
    return shape[0], shape[1], math.prod(shape[2:])


# -- class-index targets ---------------------------------------------------------------
class _ClassIndexLoss(Op):
    """NLL-style losses over class-index targets: bounds, flat positions, weights, reduction.

    Inputs are (scores, target); ``weight`` is an array of C class weights or None.
    """

    def __init__(self, weight, ignore_index, reduction, fn):
        self.weight, self.ignore_index = weight, ignore_index
        self.reduction, self.fn = reduction, fn

    def _targets(self, xp, x, t):
        n, c, s = self.ncs = _ncs(x.shape)
        self.x_shape = x.shape
        self.out_shape = () if x.ndim == 1 else (n,) + x.shape[2:]
        t2 = t.reshape(n, s).astype(xp.intp, copy=False)
        valid = t2 != self.ignore_index
        bad = valid & ((t2 < 0) | (t2 >= c))
        if bad.any():
            raise self._out_of_bounds(t, bad, c)
        safe = xp.where(valid, t2, 0)
        self.flat = safe * s + (xp.arange(n).reshape(n, 1) * (c * s) + xp.arange(s))
        self.valid = valid
        if self.weight is None:
            self.w = valid.astype(x.dtype)
        else:
            self.w = xp.where(valid, self.weight[safe], 0)

    def _out_of_bounds(self, t, bad, c):
        pos = int(bad.reshape(-1).argmax())
        value = int(t.reshape(-1)[pos])
        where = tuple(int(i) for i in np.unravel_index(pos, t.shape))
        valid = f"valid: 0..{c - 1} or" if c else "no class index is valid, only"
        return IndexError(f"Target {value} is out of bounds: {self.fn} got target value {value} "
                          f"at index {where} but the input has {c} classes "
                          f"({valid} ignore_index={self.ignore_index})")

    def _finish(self, xp, loss):
        """Reduce the (N, S) loss (zero where ignored)."""
        loss = xp.where(self.valid, loss, 0)
        if self.reduction == "none":
            return loss.reshape(self.out_shape)
        if self.reduction == "sum":
            return loss.sum()
        self.total = self.w.sum()
        return loss.sum() / self.total

    def _grad_each(self, xp, g):
        """Per-target gradient of the unreduced (N, S) loss; 0 where ignored."""
        n, _, s = self.ncs
        if self.reduction == "none":
            g = g.reshape(n, s)
        elif self.reduction == "mean":
            g = g / self.total
        return xp.where(self.valid, g, 0)


class NLLLoss(_ClassIndexLoss):
    """-weight[t] * input[t] for log-probabilities ``input`` and class indices ``t``.

    torch keeps the input for backward, so changing it in place first raises here too."""

    save_inputs = (0,)

    def name(self):
        # torch's kernels: 1-2 dims, 4 dims; other ranks go through a view of the 4-d one
        nd = len(self.x_shape)
        if nd <= 2:
            return "NllLossBackward0"
        return "ViewBackward0" if nd != 4 and self.reduction == "none" else "NllLoss2DBackward0"

    @quiet
    def forward(self, x, t):
        xp = get_xp(x)
        self._targets(xp, x, t)
        self.dtype = x.dtype
        return self._finish(xp, -self.w * x.reshape(-1)[self.flat])

    @quiet
    def backward(self, g):
        xp = get_xp(g)
        grad = xp.zeros(math.prod(self.x_shape), dtype=self.dtype)
        grad[self.flat] = -(self._grad_each(xp, g) * self.w)
        return grad.reshape(self.x_shape), None


class CrossEntropy(_ClassIndexLoss):
    """NLL of log-softmax(input) over the class axis, with optional label smoothing ``eps``.

    With smoothing each non-ignored target adds ``eps / C * sum_c(-w_c * logp_c)``
    to ``(1 - eps) * (-w_t * logp_t)``; backward, per sample with output gradient
    ``g``: ``g * ((1-eps) w_t (p - onehot_t) + eps/C (p * sum(w) - w))``.  (Without
    smoothing ``cross_entropy`` is torch's two nodes, LogSoftmax then NLLLoss.)
    """

    def __init__(self, weight, ignore_index, reduction, fn, label_smoothing=0.0):
        super().__init__(weight, ignore_index, reduction, fn)
        self.eps = label_smoothing

    def name(self):
        return "AddBackward0"  # torch's last step: the NLL and smoothing terms added

    @quiet
    def forward(self, x, t):
        xp = get_xp(x)
        self._targets(xp, x, t)
        n, c, s = self.ncs
        # C order, so that the flat target positions address it (and its softmax) in place
        logp = self.logp = xp.ascontiguousarray(_log_softmax(x.reshape(n, c, s)))
        loss = -self.w * logp.reshape(-1)[self.flat]
        if self.eps:
            wc = logp if self.weight is None else logp * self.weight.reshape(1, c, 1)
            loss = (1 - self.eps) * loss - (self.eps / c) * wc.sum(axis=1)
        return self._finish(xp, loss)

    @quiet
    def backward(self, g):
        xp = get_xp(g)
        n, c, s = self.ncs
        each = self._grad_each(xp, g)
        target_part = each * self.w
        grad = xp.exp(self.logp)
        if self.eps:
            target_part = target_part * (1 - self.eps)
            smooth = each * (self.eps / c)
            total_w = c if self.weight is None else self.weight.sum()
            grad *= (target_part + smooth * total_w).reshape(n, 1, s)
            wc = 1 if self.weight is None else self.weight.reshape(1, c, 1)
            grad -= smooth.reshape(n, 1, s) * wc
        else:
            grad *= target_part.reshape(n, 1, s)
        grad.reshape(-1)[self.flat] -= target_part
        return grad.reshape(self.x_shape), None


class SoftCrossEntropy(Op):
    """-sum_c(w_c * q_c * logp_c) for class probabilities ``q`` (smoothed: q(1-eps) + eps/C).

    Inputs (input, target, weight or None); 'mean' divides by the number of samples
    (N times the extra dims).  All three inputs get gradients.
    """

    def __init__(self, reduction, label_smoothing=0.0, weighted=False):
        self.reduction, self.eps = reduction, label_smoothing
        self.save_inputs = (1, 2) if weighted else (1,)

    @quiet
    def forward(self, x, q, w):
        n, c, s = self.ncs = _ncs(x.shape)
        self.shapes = (x.shape, q.shape)
        self.out_shape = () if x.ndim == 1 else (n,) + x.shape[2:]
        logp = self.logp = _log_softmax(x.reshape(n, c, s))
        q = q.reshape(n, c, s)
        if self.eps:
            q = q * (1 - self.eps) + self.eps / c
        self.q = q
        self.w = None if w is None else w.reshape(1, c, 1)
        wq = self.wq = q if w is None else q * self.w
        return _reduce(-(wq * logp).sum(axis=1).reshape(self.out_shape), self.reduction)

    @quiet
    def backward(self, g):
        xp = get_xp(g)
        n, c, s = self.ncs
        gl = _spread(xp, g, self.out_shape, self.reduction).reshape(n, 1, s)
        needs = self.needs_input_grad
        gx = gq = gw = None
        if needs[0]:
            gx = ((xp.exp(self.logp) * self.wq.sum(axis=1, keepdims=True) - self.wq) * gl)
            gx = gx.reshape(self.shapes[0])
        if needs[1]:
            gq = -self.logp * gl * (1 - self.eps)
            gq = (gq if self.w is None else gq * self.w).reshape(self.shapes[1])
        if needs[2]:
            gw = -(self.q * self.logp * gl).sum(axis=(0, 2))
        return gx, gq, gw


# -- pointwise losses ------------------------------------------------------------------
class Pointwise(Op):
    """An elementwise loss of (input, target), broadcast together, then reduced.

    Subclasses give ``value(xp, x, y)`` and the elementwise derivatives
    ``d_input(xp, x, y)`` and ``d_target(xp, x, y)``; backward multiplies them
    by the spread output gradient and sums broadcast dims away.
    """

    save_inputs = (0, 1)
    #: torch's fused kernel for the loss (its grad_fn stem), or None where torch composes it:
    #: then the grad_fn is the reduction's, or ``unreduced`` with reduction 'none'
    kernel = None
    unreduced = "SubBackward0"

    def __init__(self, reduction):
        self.reduction = reduction

    def name(self):
        if self.kernel is not None:
            return self.kernel + "Backward0"
        return {"mean": "MeanBackward0", "sum": "SumBackward0"}.get(self.reduction, self.unreduced)

    @quiet
    def forward(self, x, y):
        self.x, self.y = x, y
        loss = self.value(get_xp(x), x, y)
        self.shape = loss.shape
        return _reduce(loss, self.reduction)

    @quiet
    def backward(self, g):
        xp = get_xp(g)
        g = _spread(xp, g, self.shape, self.reduction)
        nx, ny = self.needs_input_grad
        x, y = self.x, self.y
        return (sum_to(g * self.d_input(xp, x, y), x.shape) if nx else None,
                sum_to(g * self.d_target(xp, x, y), y.shape) if ny else None)


class _Difference(Pointwise):
    """A loss of d = input - target alone (``f``, ``df``): the target's derivative is -df."""

    def value(self, xp, x, y):
        return self.f(xp, x - y)

    def d_input(self, xp, x, y):
        return self.df(xp, x - y)

    def d_target(self, xp, x, y):
        return -self.df(xp, x - y)


class L1(_Difference):
    """|x - y|; the gradient is torch's sign, 0 at NaN."""

    unreduced = "AbsBackward0"

    def f(self, xp, d):
        return xp.abs(d)

    def df(self, xp, d):
        return sign(xp, d)


class MSE(_Difference):
    kernel = "MseLoss"

    def f(self, xp, d):
        return d * d

    def df(self, xp, d):
        return 2 * d


class Huber(_Difference):
    """0.5 d^2 where |d| < delta, else delta (|d| - delta/2); derivative: d clipped to +-delta."""

    kernel = "HuberLoss"

    scale = 1

    def __init__(self, reduction, delta):
        super().__init__(reduction)
        self.delta = delta

    def f(self, xp, d):
        a = xp.abs(d)
        loss = xp.where(a < self.delta, 0.5 * a * a, self.delta * (a - 0.5 * self.delta))
        return loss * self.scale

    def df(self, xp, d):
        return xp.clip(d, -self.delta, self.delta) * self.scale


class SmoothL1(Huber):
    """Huber with delta = ``beta``, divided by ``beta`` (beta > 0)."""

    kernel = "SmoothL1Loss"

    def __init__(self, reduction, beta):
        super().__init__(reduction, beta)
        self.scale = 1 / beta


def _softplus(xp, z):
    """log(1 + exp(z)) without overflow."""
    return xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))


def _sigmoid(xp, z):
    return 0.5 * (xp.tanh(0.5 * z) + 1)


class _Weighted(Pointwise):
    """A pointwise loss times a constant ``weight`` array (None: no weight)."""

    def __init__(self, reduction, weight=None):
        super().__init__(reduction)
        self.weight = weight

    def _w(self, v):
        return v if self.weight is None else v * self.weight


class BCE(_Weighted):
    """-(y log x + (1-y) log(1-x)), each log clamped at -100 as torch does; x, y in [0, 1]."""

    kernel = "BinaryCrossEntropy"

    def value(self, xp, x, y):
        for arr, what in ((x, "input"), (y, "target")):
            if not ((arr >= 0) & (arr <= 1)).all():
                raise RuntimeError(f"all elements of {what} should be between 0 and 1 (got values "
                                   f"from {arr.min().item()} to {arr.max().item()})")
        lx = xp.maximum(xp.log(x), -100)
        l1x = xp.maximum(xp.log1p(-x), -100)
        return self._w(-(y * lx + (1 - y) * l1x))

    def d_input(self, xp, x, y):
        return self._w((x - y) / xp.maximum((1 - x) * x, 1e-12))

    def d_target(self, xp, x, y):
        return self._w(xp.log1p(-x) - xp.log(x))


class BCEWithLogits(_Weighted):
    """BCE of sigmoid(x), computed stably: (1-y) x + (1 + (pw-1) y) softplus(-x)."""

    kernel = "BinaryCrossEntropyWithLogits"

    def __init__(self, reduction, weight=None, pos_weight=None):
        super().__init__(reduction, weight)
        self.pos_weight = pos_weight

    def value(self, xp, x, y):
        sp = _softplus(xp, -x)
        if self.pos_weight is not None:
            sp = sp * (1 + (self.pos_weight - 1) * y)
        return self._w((1 - y) * x + sp)

    def d_input(self, xp, x, y):
        s = _sigmoid(xp, -x)
        if self.pos_weight is not None:
            s = s * (1 + (self.pos_weight - 1) * y)
        return self._w((1 - y) - s)

    def d_target(self, xp, x, y):
        d = -x
        if self.pos_weight is not None:
            d = d + (self.pos_weight - 1) * _softplus(xp, -x)
        return self._w(d)


class SoftMargin(Pointwise):
    """log(1 + exp(-y x)), computed without overflow (torch gives the target no gradient)."""

    kernel = "SoftMarginLoss"

    def value(self, xp, x, y):
        return _softplus(xp, -y * x)

    def d_input(self, xp, x, y):
        return -y * _sigmoid(xp, -y * x)


class KLDiv(Pointwise):
    """y (log y - x) (0 where y = 0), or exp(y) (y - x) for a log-space target."""

    def __init__(self, reduction, log_target):
        super().__init__(reduction)
        self.log_target = log_target

    def value(self, xp, x, y):
        if self.log_target:
            return xp.exp(y) * (y - x)
        return xp.where(y == 0, 0, y * xp.log(y)) - y * x

    def d_input(self, xp, x, y):
        return -xp.exp(y) if self.log_target else -y

    def d_target(self, xp, x, y):
        if self.log_target:
            return xp.exp(y) * (y - x + 1)
        return xp.log(y) + y / y - x  # NaN at y = 0, as torch's xlogy gradient gives


class PoissonNLL(Pointwise):
    """exp(x) - y x (``log_input``) or x - y log(x + eps); ``full`` adds Stirling's term (y > 1)."""

    def __init__(self, reduction, log_input, full, eps):
        super().__init__(reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def value(self, xp, x, y):
        loss = xp.exp(x) - y * x if self.log_input else x - y * xp.log(x + self.eps)
        if self.full:
            stirling = y * xp.log(y) - y + 0.5 * xp.log(2 * math.pi * y)
            loss = loss + xp.where(y > 1, stirling, 0)
        return loss

    def d_input(self, xp, x, y):
        return xp.exp(x) - y if self.log_input else 1 - y / (x + self.eps)

    def d_target(self, xp, x, y):
        d = -x if self.log_input else -xp.log(x + self.eps)
        if self.full:
            d = d + xp.where(y > 1, xp.log(y) + 0.5 / y, 0)
        return d


# -- connectionist temporal classification ---------------------------------------------
def _logsumexp3(xp, a, b, c):
    m = xp.maximum(xp.maximum(a, b), c)
    m = xp.where(xp.isfinite(m), m, 0)
    return m + xp.log(xp.exp(a - m) + xp.exp(b - m) + xp.exp(c - m))


def _shift(xp, a, k, fill):
    """``a`` moved ``k`` places along the last axis (right for k > 0), padded with ``fill``."""
    out = xp.full_like(a, fill)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


class CTCLoss(Op):
    """CTC negative log-likelihood of (T, N, C) log-probabilities, per sample or reduced.

    Works on the extended label sequence (blank, l1, blank, l2, ..., blank) of
    length S = 2 * max_len + 1, all samples at once: the forward (alpha)
    recursion runs over time in log space, and backward runs the beta
    recursion and gives torch's gradient, exp(lp) - exp(log(sum over s with
    label c of alpha*beta) + nll - lp), zero past each sample's input length.
    ``targets`` is (N, max_len) padded; the lengths are int arrays.
    """

    save_inputs = (0,)

    def name(self):
        # torch reduces its per-sample kernel's result with mean() or sum()
        return {"mean": "MeanBackward0", "sum": "SumBackward0"}.get(self.reduction,
                                                                    "CtcLossBackward0")

    def __init__(self, targets, input_lengths, target_lengths, blank, reduction, zero_infinity):
        self.targets, self.blank = targets, blank
        self.input_lengths, self.target_lengths = input_lengths, target_lengths
        self.reduction, self.zero_infinity = reduction, zero_infinity

    @quiet
    def forward(self, lp):
        xp = get_xp(lp)
        t_max, n, _ = self.lp_shape = lp.shape
        tl, il = self.target_lengths, self.input_lengths
        s = 2 * self.targets.shape[1] + 1
        ext = xp.full((n, s), self.blank, dtype=xp.intp)
        ext[:, 1::2] = self.targets
        pos = xp.arange(s)
        # a label may follow the one two places back unless it is blank or repeats it
        skip = xp.zeros((n, s), dtype=bool)
        skip[:, 2:] = (ext[:, 2:] != self.blank) & (ext[:, 2:] != ext[:, :-2])
        lpe = lp[:, xp.arange(n).reshape(n, 1), ext]
        lpe = xp.where(pos < (2 * tl + 1).reshape(n, 1), lpe, -xp.inf)
        alpha = xp.full((t_max, n, s), -xp.inf, dtype=lp.dtype)
        if t_max:
            alpha[0, :, :2] = lpe[0, :, :2]
        for t in range(1, t_max):
            a = alpha[t - 1]
            alpha[t] = _logsumexp3(xp, a, _shift(xp, a, 1, -xp.inf),
                                   xp.where(skip, _shift(xp, a, 2, -xp.inf), -xp.inf)) + lpe[t]
        rows = xp.arange(n)
        last = alpha[xp.maximum(il - 1, 0), rows]
        end = last[rows, 2 * tl]
        before = xp.where(tl > 0, last[rows, xp.maximum(2 * tl - 1, 0)], -xp.inf)
        nll = -xp.logaddexp(end, before)
        nll = xp.where(il > 0, nll, xp.where(tl > 0, xp.inf, 0)).astype(lp.dtype)
        self.ext, self.skip, self.lpe, self.alpha = ext, skip, lpe, alpha
        self.nll, self.lp = nll, lp
        if self.zero_infinity:
            nll = xp.where(xp.isinf(nll), 0, nll)
        if self.reduction == "none":
            return nll
        if self.reduction == "sum":
            return nll.sum()
        return (nll / xp.maximum(tl, 1).astype(nll.dtype)).mean()

    def graph_backward(self, grads):
        """Under create_graph: the gradient as usual, on arrays; torch defines no second
        derivative of CTC, and neither does ember (its error is raised if one is asked for)."""
        return delayed_error((_wrap(self.backward(grads[0]._data)),),
                             "derivative for aten::_ctc_loss_backward is not implemented")

    @quiet
    def backward(self, g):
        xp = get_xp(g)
        t_max, n, c = self.lp_shape
        il, tl, lpe = self.input_lengths, self.target_lengths, self.lpe
        s = lpe.shape[2]
        pos = xp.arange(s)
        ends = (pos == (2 * tl).reshape(n, 1)) | (pos == (2 * tl - 1).reshape(n, 1))
        skip_next = _shift(xp, self.skip, -2, False)
        beta = xp.full_like(self.alpha, -xp.inf)
        b = beta[0]
        for t in range(t_max - 1, -1, -1):
            step = _logsumexp3(xp, b, _shift(xp, b, -1, -xp.inf),
                               xp.where(skip_next, _shift(xp, b, -2, -xp.inf), -xp.inf)) + lpe[t]
            first = xp.where(ends, lpe[t], -xp.inf)
            b = xp.where((il - 1 == t).reshape(n, 1), first,
                         xp.where((t < il - 1).reshape(n, 1), step, -xp.inf))
            beta[t] = b
        ab = self.alpha + beta
        m = ab.max(axis=2, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        flat = (xp.arange(t_max * n).reshape(t_max, n, 1) * c + self.ext).reshape(-1)
        occupancy = xp.bincount(flat, weights=xp.exp(ab - m).reshape(-1), minlength=t_max * n * c)
        lcab = xp.log(occupancy.reshape(t_max, n, c)).astype(ab.dtype) + m
        lp, nll = self.lp, self.nll
        grad = xp.exp(lp) - xp.exp(lcab + nll.reshape(1, n, 1) - lp)
        if self.reduction == "none":
            scale = g
        elif self.reduction == "sum":
            scale = xp.broadcast_to(g, (n,))
        else:
            scale = g / (n * xp.maximum(tl, 1))
        keep = xp.arange(t_max).reshape(t_max, 1) < il
        if self.zero_infinity:
            keep = keep & ~xp.isinf(nll)
        grad *= scale.reshape(1, n, 1).astype(lp.dtype)
        return xp.where(keep.reshape(t_max, n, 1), grad, 0)
