"""Loss functions of ``ember.nn.functional``, with torch's signatures and defaults.

The hot losses (cross-entropy, NLL, BCE, the regression losses, KL divergence)
are fused ops from ``ember/_ops/loss/ops.py``; the rest are short compositions of
tensor ops.  ``reduction`` is 'mean', 'sum' or 'none'; the deprecated
``size_average``/``reduce`` flags map onto it as torch maps them, with torch's
warning.  Bad arguments raise torch's exception types with messages that name
the function, the argument and the shapes, dtypes or values involved.
"""
import functools
import math
import warnings

import numpy as np

from ... import _dtype, arange, broadcast_shapes, minimum, ones_like, where
from ..._tensor import Tensor
from ..common import promote
from . import ops as L
from ..base import get_xp
from ..reduction.ops import Softmax
from ...nn._functional.distance import pairwise_distance
from ...autograd import grad_mode

__all__ = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "kl_div", "poisson_nll_loss",
           "gaussian_nll_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "multilabel_margin_loss", "multi_margin_loss", "hinge_embedding_loss",
           "cosine_embedding_loss", "margin_ranking_loss", "triplet_margin_loss",
           "triplet_margin_with_distance_loss", "ctc_loss"]

_REDUCTIONS = ("none", "mean", "sum")


# -- argument handling ----------------------------------------------------------------
def legacy_reduction(size_average, reduce, stacklevel=3):
    """torch's mapping of the deprecated ``size_average``/``reduce`` flags, with its warning."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", stacklevel=stacklevel)
    return reduction


def _reduction(reduction, size_average=None, reduce=None, allowed=_REDUCTIONS):
    if size_average is not None or reduce is not None:
        return legacy_reduction(size_average, reduce, stacklevel=4)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=4)
        return "mean"
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction "
                         f"(expected one of {', '.join(map(repr, allowed))})")
    return reduction


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _tensors(fn, **args):
    """TypeError, worded as torch's, for a non-Tensor argument."""
    for pos, (name, value) in enumerate(args.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{type(value).__name__}")


def _kind(t):
    """torch's scalar-type name of ``t``'s dtype: 'Float', 'Long', ..."""
    return t.dtype._tensor_type[:-6]


def _promoted(*ts):
    """The tensors (None skipped through) cast to their common dtype."""
    dt = functools.reduce(_dtype.promote_types, (t.dtype for t in ts if t is not None))
    return [t if t is None or t.dtype == dt else t.to(dt) for t in ts]


def _constant(fn, arg, t):
    """torch refuses a gradient for some arguments (class weights): say so."""
    if t is not None and t.requires_grad and grad_mode.state.enabled:
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument "
                           f"'{arg}'. This input cannot have requires_grad True.")


def _require_float(fn, t):
    if not t.is_floating_point():
        raise NotImplementedError(f'"{fn}" not implemented for \'{_kind(t)}\' (got an input of '
                                  f"dtype {t.dtype}; pass a floating-point tensor)")


def _broadcast_weight(fn, arg, weight, input):
    """``weight``'s array, checked to broadcast to the input's shape, in the input's dtype."""
    if weight is None:
        return None
    _tensors(fn, **{arg: weight})
    _constant(fn, arg, weight)
    if broadcast_shapes(weight.shape, input.shape) != input.shape:
        raise RuntimeError(f"{fn}: {arg} of shape {list(weight.shape)} does not broadcast to the "
                           f"input's shape {list(input.shape)}")
    return weight._data.astype(input._data.dtype, copy=False)


# -- cross-entropy and NLL ------------------------------------------------------------
def _class_weight(fn, weight, input, n_classes, same_dtype=True):
    if weight is None:
        return None
    _tensors(fn, weight=weight)
    if tuple(weight.shape) != (n_classes,):
        raise RuntimeError(f"{fn}: weight tensor should be defined either for all {n_classes} "
                           f"classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")
    if same_dtype and weight.dtype != input.dtype:
        raise RuntimeError(f"{fn}: weight has dtype {weight.dtype} but the input has {input.dtype} "
                           f"(expected scalar type {_kind(input)} but found {_kind(weight)})")
    return weight


def _check_class_target(fn, input, target):
    """torch's shape and dtype rules for class-index targets; returns the number of classes."""
    dim = input.dim()
    if dim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {dim})")
    n = input.shape[0]
    if dim == 1:
        if target.dim() > 1:
            raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported (got "
                               f"target of shape {list(target.shape)} for input of shape [{n}])")
        if target.numel() != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{list(target.shape)}")
    elif target.dim() == 0 or target.shape[0] != n:
        raise ValueError(f"Expected input batch_size ({n}) to match target batch_size "
                         f"({target.shape[0] if target.dim() else 0}).")
    elif dim == 2 and target.dim() != 1:
        raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported (got "
                           f"target of shape {list(target.shape)} for input of shape "
                           f"{list(input.shape)})")
    elif dim > 2 and tuple(target.shape) != (n,) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[n] + list(input.shape[2:])}, got "
                           f"{list(target.shape)}")
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        hint = ""
        if target.is_floating_point() and fn == "cross_entropy":
            hint = (f"; a floating-point target is read as class probabilities only when it has "
                    f"the input's shape {list(input.shape)}, got {list(target.shape)}")
        raise RuntimeError(f"{fn}: expected target dtype to be Long or Byte (class indices), but "
                           f"got {_kind(target)}{hint}")
    return input.shape[0] if dim == 1 else input.shape[1]


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of class-index targets under log-probabilities ``input``.

    ``input`` is (N, C), (C,) or (N, C, d1, ...); ``target`` holds class indices
    of shape (N,), () or (N, d1, ...).  Targets equal to ``ignore_index`` add
    nothing, and 'mean' divides by the summed weights of the others.
    """
    _tensors("nll_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    c = _check_class_target("nll_loss", input, target)
    _require_float("nll_loss", input)
    weight = _class_weight("nll_loss", weight, input, c)
    _constant("nll_loss", "weight", weight)
    return L.NLLLoss(None if weight is None else weight._data, ignore_index, reduction,
                     "nll_loss")(input, target)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy of unnormalised scores ``input`` against class indices or probabilities.

    As in torch, log-softmax over the class dim (dim 1, or 0 for a (C,) input) then NLL:
    the graph reads NllLossBackward0 after LogSoftmaxBackward0 (one fused op with label
    smoothing).  A ``target`` with the input's shape holds class probabilities.
    """
    _tensors("cross_entropy", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.dim() >= 1 and input.shape == target.shape:
        return _soft_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)
    c = _check_class_target("cross_entropy", input, target)
    _require_float("cross_entropy", input)
    weight = _class_weight("cross_entropy", weight, input, c)
    _constant("cross_entropy", "weight", weight)
    weight = None if weight is None else weight._data
    if label_smoothing:
        return L.CrossEntropy(weight, ignore_index, reduction, "cross_entropy",
                              label_smoothing)(input, target)
    logp = Softmax(1 if input.dim() > 1 else 0, log=True)(input)
    return L.NLLLoss(weight, ignore_index, reduction, "cross_entropy")(logp, target)


def _soft_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing):
    if not target.is_floating_point():
        index_shape = [input.shape[0]] + list(input.shape[2:]) if input.dim() > 1 else []
        raise RuntimeError(f"Expected floating point type for target with class probabilities, "
                           f"got {_kind(target)} (class-index targets have no class dim: shape "
                           f"{index_shape})")
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    _require_float("cross_entropy", input)
    c = input.shape[1] if input.dim() > 1 else input.shape[0]
    weight = _class_weight("cross_entropy", weight, input, c, same_dtype=False)
    op = L.SoftCrossEntropy(reduction, label_smoothing, weighted=weight is not None)
    return op(*_promoted(input, target, weight))


# -- binary cross-entropy -------------------------------------------------------------
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-w (y log x + (1 - y) log(1 - x)) for probabilities ``input``; logs clamp at -100."""
    _tensors("binary_cross_entropy", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the same "
                         "size.")
    _require_float("binary_cross_entropy", input)
    if target.dtype != input.dtype:
        raise RuntimeError(f"binary_cross_entropy: target has dtype {target.dtype} but input has "
                           f"{input.dtype} (Found dtype {_kind(target)} but expected "
                           f"{_kind(input)}); convert it with target.to(input.dtype)")
    w = _broadcast_weight("binary_cross_entropy", "weight", weight, input)
    return L.BCE(reduction, w)(input, target)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """BCE of sigmoid(input), computed stably from the logits; ``pos_weight`` scales positives."""
    fn = "binary_cross_entropy_with_logits"
    _tensors(fn, input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    if not target.is_floating_point():
        raise RuntimeError(f"{fn}: target must be floating point, got {_kind(target)} (result "
                           f"type Float can't be cast to the desired output type {_kind(target)})")
    x, y = _promoted(input, target)
    return L.BCEWithLogits(reduction, _broadcast_weight(fn, "weight", weight, x),
                           _broadcast_weight(fn, "pos_weight", pos_weight, x))(x, y)


# -- regression losses ----------------------------------------------------------------
def _regression(fn, make_op, input, target, reduction, weight=None, weighted_mean="sum"):
    """Shared body of the (input - target) losses; ``make_op(reduction)`` builds the fused op.

    A ``weight`` of the input's shape scales the unreduced loss; 'mean' then
    divides by the summed weights (``weighted_mean='sum'``) or by the count.
    """
    _tensors(fn, input=input, target=target)
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input size "
                      f"({input.size()}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=3)
    broadcast_shapes(input.shape, target.shape)
    x, y = promote(input, target)
    if not x.is_floating_point():
        if fn != "l1_loss":
            _require_float(fn, x)
        if reduction == "mean":
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either "
                               f"a floating point or complex dtype. Got: {_kind(x)}")
    if weight is None:
        return make_op(reduction)(x, y)
    if weight.shape != input.shape:
        raise ValueError(f"Weights and input must have the same size (got weight of shape "
                         f"{list(weight.shape)} for input of shape {list(input.shape)}).")
    loss = make_op("none")(x, y) * weight
    if reduction == "mean" and weighted_mean == "sum":
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target| (broadcast, with torch's warning when the shapes differ)."""
    return _regression("l1_loss", L.L1, input, target,
                       _reduction(reduction, size_average, reduce), weight)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2 (broadcast, with torch's warning when the shapes differ)."""
    return _regression("mse_loss", L.MSE, input, target,
                       _reduction(reduction, size_average, reduce), weight)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Quadratic for |input - target| < delta, linear beyond ('mean' ignores ``weight``'s sum)."""
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta (got "
                           f"delta={delta}).")
    return _regression("huber_loss", lambda r: L.Huber(r, delta), input, target,
                       _reduction(reduction), weight, weighted_mean="count")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Huber loss divided by ``beta``; ``beta=0`` is the L1 loss."""
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta (got "
                           f"beta={beta}).")
    make_op = (lambda r: L.SmoothL1(r, beta)) if beta else L.L1
    return _regression("smooth_l1_loss", make_op, input, target,
                       _reduction(reduction, size_average, reduce))


# -- divergences and likelihoods ------------------------------------------------------
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL(target || exp(input)) pointwise for log-probabilities ``input``.

    'batchmean' divides the sum by the batch size (the true KL divergence);
    'mean' divides by every element and warns, as torch does.
    """
    _tensors("kl_div", input=input, target=target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and "
                          "the support size.'batchmean' divides only by the batch size, and aligns "
                          "with the KL div math definition.'mean' will be changed to behave the "
                          "same as 'batchmean' in the next major release.", stacklevel=2)
        reduction = _reduction(reduction, allowed=_REDUCTIONS + ("batchmean",))
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError(f"kl_div: Integral inputs not supported (got input {input.dtype}, "
                           f"target {target.dtype}).")
    x, y = _promoted(input, target)
    if reduction != "batchmean":
        return L.KLDiv(reduction, log_target)(x, y)
    loss = L.KLDiv("sum", log_target)(x, y)
    return loss / input.shape[0] if input.dim() else loss


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Poisson negative log-likelihood of counts ``target`` with rate exp(input) (or input)."""
    _tensors("poisson_nll_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    x, y = promote(input, target)
    if not x.is_floating_point():
        x, y = x.to(_dtype.get_default_dtype()), y.to(_dtype.get_default_dtype())
    return L.PoissonNLL(reduction, log_input, full, eps)(x, y)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var), var clamped at ``eps`` (the gradient passes).

    ``var`` has the input's shape, or one dim fewer, or size 1 in one dim where
    the input's differs; a number means the same variance everywhere.
    """
    _tensors("gaussian_nll_loss", input=input, target=target)
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError(f"var has negative entry/entries (got var={var})")
        var = var * ones_like(input)
    elif (var < 0).any():
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.dim() == var.dim() and sum(
                v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError(f"var is of incorrect size: {list(var.shape)} for input of shape "
                             f"{list(input.shape)} (expected the input's shape, its shape without "
                             "the last dim, or size 1 in the one dim where they differ)")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    # clamp the value but let the gradient through unchanged, as torch does
    var = var + (var.detach().clamp(min=eps) - var.detach())
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


# -- margin and embedding losses ------------------------------------------------------
def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)) for targets of +-1."""
    _tensors("soft_margin_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    _constant("soft_margin_loss", "target", target)
    x, y = promote(input, target)
    if not x.is_floating_point():
        raise RuntimeError(f"soft_margin_loss: result type Float can't be cast to the desired "
                           f"output type {_kind(x)} (pass floating-point tensors)")
    return L.SoftMargin(reduction)(x, y)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Binary cross-entropy of sigmoid(input) per class, averaged over the last (class) dim."""
    _tensors("multilabel_soft_margin_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    x, y = _promoted(input, target)
    loss = L.BCEWithLogits("none")(x, y)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss.sum(dim=-1) / input.shape[-1], reduction)


def _check_margin_input(fn, input, target):
    """torch's shape rules for multi_margin / multilabel_margin: (C,) or (N, C) scores."""
    if not (input.dim() <= 2 and (input.numel() > 0 or (input.dim() == 2 and input.shape[1]))):
        raise RuntimeError(f"{fn}: Expected non-empty vector or matrix with optional 0-dim batch "
                           f"size, but got: {list(input.shape)}")
    n, c = (1, input.shape[0]) if input.dim() < 2 else input.shape
    if target.dtype != _dtype.int64:
        raise RuntimeError(f"{fn}: expected target dtype Long (class indices), but found "
                           f"{_kind(target)} (expected scalar type Long but found {_kind(target)})")
    return n, c


def _out_of_range(fn, target, bad, c, valid):
    """RuntimeError naming the first target where ``bad`` (tensors or arrays) holds."""
    bad = np.asarray(bad)
    if bad.any():
        target = np.asarray(target)
        pos = int(bad.reshape(-1).argmax())
        where_ = tuple(int(i) for i in np.unravel_index(pos, target.shape))
        raise RuntimeError(f"{fn}: target out of range: value {target.reshape(-1)[pos]} at index "
                           f"{where_}, but the input has {c} classes (valid: {valid})")


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """sum over classes i != y of max(0, margin - x[y] + x[i])^p * weight[y], over C."""
    fn = "multi_margin_loss"
    _tensors(fn, input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError(f"only p == 1 and p == 2 supported (got p={p})")
    if weight is not None and weight.dim() != 1:
        raise ValueError(f"weight must be one-dimensional (got shape {list(weight.shape)})")
    n, c = _check_margin_input(fn, input, target)
    if target.dim() > 1 or target.numel() != n:
        raise RuntimeError(f"{fn}: target tensor should be 1-D with size equal to the number of "
                           f"input samples (batch size). Expected target size [{n}], but got "
                           f"{list(target.shape)}. Input has shape {list(input.shape)}.")
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"{fn}: inconsistent weight size, expected {c} but got "
                           f"{list(weight.shape)}")
    _constant(fn, "weight", weight)
    _out_of_range(fn, target, (target < 0) | (target >= c), c, f"0..{c - 1}")
    x = input.reshape(n, c)
    t = target.reshape(n, 1)
    z = (margin - x.gather(1, t) + x).clamp(min=0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[t]
    z = where(arange(c, device=input.device) != t, z, 0)
    return _reduce((z.sum(dim=1) / c).reshape(target.shape), reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """sum over target classes j and non-target classes i of max(0, 1 - x[j] + x[i]), over C.

    Each row of ``target`` lists class indices up to the first -1.
    """
    fn = "multilabel_margin_loss"
    _tensors(fn, input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    n, c = _check_margin_input(fn, input, target)
    if target.shape != input.shape:
        raise RuntimeError(f"{fn}: inconsistent target size: {list(target.shape)} for input of "
                           f"size: {list(input.shape)}")
    _out_of_range(fn, target, (target < -1) | (target >= c), c, f"0..{c - 1}, -1 ends a row")
    x, t = input.reshape(n, c), target.reshape(n, c)
    listed = (t < 0).long().cumsum(1) == 0
    # how many times each class is listed (torch counts a repeated target twice)
    counts = x.new_zeros(n, c).scatter_add(1, t.clamp(min=0), listed.to(x.dtype))
    hinge = (1 - x.unsqueeze(2) + x.unsqueeze(1)).clamp(min=0)
    pairs = counts.unsqueeze(2) * (counts == 0).to(x.dtype).unsqueeze(1)
    loss = (hinge * pairs).sum(dim=(1, 2)) / c
    return _reduce(loss.reshape(target.shape[:-1]), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target is 1, max(0, margin - input) where target is -1."""
    _tensors("hinge_embedding_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    loss = where(target != 1, (margin - input).clamp(min=0), 0) + where(target != -1, input, 0)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    fn = "cosine_embedding_loss"
    _tensors(fn, input1=input1, input2=input2, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want = target.dim() + 1
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(f"{target.dim()}D target tensor expects {want}D input tensors, but "
                           f"found inputs with sizes {list(input1.shape)} and "
                           f"{list(input2.shape)}.")
    x1, x2 = _promoted(input1, input2)
    dot = (x1 * x2).sum(dim=-1)
    mag = ((x1 * x1).sum(dim=-1) + 1e-12) * ((x2 * x2).sum(dim=-1) + 1e-12)
    cos = dot / mag.sqrt()
    loss = where(target == 1, 1 - cos, 0) + where(target == -1, (cos - margin).clamp(min=0), 0)
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    fn = "margin_ranking_loss"
    _tensors(fn, input1=input1, input2=input2, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.size()}, input2: {input2.size()}, "
                           f"target: {target.size()} ")
    return _reduce((-target * (input1 - input2) + margin).clamp(min=0), reduction)


def _triplet(anchor, positive, negative, distance, margin, swap, reduction):
    """max(0, margin + d(a, p) - d(a, n)), d(a, n) replaced by d(p, n) where smaller if ``swap``."""
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")
    d_pos = distance(anchor, positive)
    d_neg = distance(anchor, negative)
    if swap:
        d_neg = minimum(d_neg, distance(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp(min=0), reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(a, p) - d(a, n)) with the p-norm distance; ``swap`` also tries d(p, n)."""
    fn = "triplet_margin_loss"
    _tensors(fn, anchor=anchor, positive=positive, negative=negative)
    reduction = _reduction(reduction, size_average, reduce)
    return _triplet(anchor, positive, negative,
                    lambda a, b: pairwise_distance(a, b, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """The triplet margin loss with any ``distance_function`` (default: pairwise L2 distance)."""
    fn = "triplet_margin_with_distance_loss"
    _tensors(fn, anchor=anchor, positive=positive, negative=negative)
    reduction = _reduction(reduction)
    return _triplet(anchor, positive, negative, distance_function or pairwise_distance,
                    margin, swap, reduction)


def _lengths(name, lengths):
    """CTC lengths (a tensor, a sequence or an int) as a flat int64 NumPy array."""
    if isinstance(lengths, Tensor):
        if lengths.is_floating_point():
            raise RuntimeError(f"{name} must be integral (got dtype {lengths.dtype})")
        lengths = lengths.detach().numpy(force=True)
    return np.asarray(lengths, dtype=np.int64).reshape(-1)


def _check_lengths(name, lengths, n, high=None):
    if lengths.size != n:
        raise RuntimeError(f"{name} must be of size batch_size ({n}), got {lengths.size} values")
    if lengths.size and lengths.min() < 0:
        raise RuntimeError(f"Expected {name} to have value at least 0, but got value "
                           f"{lengths.min()}")
    if high is not None and lengths.size and lengths.max() > high:
        raise RuntimeError(f"Expected {name} to have value at most {high}, but got value "
                           f"{lengths.max()}")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """Connectionist temporal classification loss.

    ``log_probs`` is (T, N, C) (or (T, C) unbatched) log-softmax output;
    ``targets`` is (N, S) padded or 1-D concatenated label sequences.  'mean'
    divides each loss by its target length, then averages over the batch.
    """
    fn = "ctc_loss"
    _tensors(fn, log_probs=log_probs, targets=targets)
    reduction = _reduction(reduction)
    if log_probs.dim() not in (2, 3):
        raise RuntimeError(f"{fn}: expected log_probs of shape (T, N, C) or (T, C), got "
                           f"{list(log_probs.shape)}")
    _require_float(fn, log_probs)
    unbatched = log_probs.dim() == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    t_max, n, c = lp.shape
    il, tl = _lengths("input_lengths", input_lengths), _lengths("target_lengths", target_lengths)
    if not 0 <= blank < c:
        raise RuntimeError(f"blank must be in label range (got blank={blank} for {c} classes)")
    _check_lengths("input_lengths", il, n, t_max)
    _check_lengths("target_lengths", tl, n)
    labels = targets.detach().numpy(force=True).astype(np.int64)
    width = int(tl.max()) if n else 0
    if unbatched or labels.ndim == 2:
        labels = labels.reshape(n, -1)
        if labels.shape[1] < width:
            raise RuntimeError(f"Expected tensor to have size at least {width} at dimension 1, but "
                               f"got size {labels.shape[1]} for argument #2 'targets'")
        labels = labels[:, :width]
    elif labels.size != tl.sum():
        raise RuntimeError(f"Expected tensor to have size {tl.sum()} at dimension 0 (the sum of "
                           f"target_lengths), but got size {labels.size} for argument #2 'targets'")
    else:
        start = np.cumsum(tl) - tl
        labels = labels[np.minimum(start[:, None] + np.arange(width), max(labels.size - 1, 0))]
    used = np.arange(width) < tl[:, None]
    _out_of_range(fn, labels, used & ((labels < 0) | (labels >= c)), c, f"0..{c - 1}")
    xp = get_xp(lp._data)
    op = L.CTCLoss(xp.asarray(np.where(used, labels, blank)), xp.asarray(il), xp.asarray(tl),
                   blank, reduction, zero_infinity)
    loss = op(lp)
    return loss.reshape(()) if unbatched and reduction == "none" else loss
