"""Loss functions of ``ember.nn.functional``, with torch's signatures and defaults.

The hot losses (cross-entropy, NLL, BCE, the regression losses, KL divergence)
are fused ops from ``ember/_ops/loss/ops.py``; the rest are short compositions of
tensor ops (the margin and embedding losses are in ``margin.py``).  ``reduction`` is 'mean', 'sum' or 'none'; the deprecated
``size_average``/``reduce`` flags map onto it as torch maps them, with torch's
warning.  Bad arguments raise torch's exception types with messages that name
the function, the argument and the shapes, dtypes or values involved.
"""
import functools
import math
import warnings

import numpy as np

from ... import _dtype, broadcast_shapes, ones_like
from ..._tensor import Tensor
from ..common import promote_all
from ..elementwise.funcs import _check_bool_sub
from . import ops as L
from ..base import get_xp
from ..activation.softmax import Softmax
from ...autograd import grad_mode

__all__ = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "kl_div", "poisson_nll_loss",
           "gaussian_nll_loss", "ctc_loss"]

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


def _out_of_range(fn, target, bad, c, valid):
    """RuntimeError naming the first target where ``bad`` (tensors or arrays) holds."""
    bad = np.asarray(bad)
    if bad.any():
        target = np.asarray(target)
        pos = int(bad.reshape(-1).argmax())
        where_ = tuple(int(i) for i in np.unravel_index(pos, target.shape))
        raise RuntimeError(f"{fn}: target out of range: value {target.reshape(-1)[pos]} at index "
                           f"{where_}, but the input has {c} classes (valid: {valid})")


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
    """Negative log-likelihood of class-index targets under log-probabilities.

    ``l_n = -w_{y_n} * x[n, y_n]``; the input is usually ``log_softmax`` output. ``'mean'`` divides
    by the summed weights of the non-ignored targets.

    Args:
        input (Tensor): log-probabilities.
        target (Tensor): class indices.
        weight (Tensor, optional): a rescaling weight per class, shape ``(C,)``. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        ignore_index (int): targets equal to this add nothing and are left out of the mean. Default:
          ``-100``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(N, C)``, ``(C)`` or ``(N, C, d_1, ..., d_k)``.
        - Target: ``(N)``, ``()`` or ``(N, d_1, ..., d_k)``, int64 in ``[0, C)``.
        - Output: a scalar; with ``reduction='none'``, the target's shape.

    Example:
        >>> logp = ember.tensor([[-0.5, -1., -2.], [-1., -0.5, -3.]])
        >>> ember.nn.functional.nll_loss(logp, ember.tensor([0, 2]))
        tensor(1.7500)
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
    """Cross-entropy between unnormalised class scores and targets.

    For a class-index target ``y``: ``l = -w_y * log(softmax(x)_y)``.  For class-probability targets
    ``p``: ``l = -sum_c w_c * p_c * log(softmax(x)_c)``.  ``label_smoothing = e`` mixes the target
    with the uniform distribution, ``(1 - e) * target + e / C``.  ``'mean'`` divides by the summed
    weights of the non-ignored targets.

    Args:
        input (Tensor): unnormalised scores.
        target (Tensor): class indices or class probabilities.
        weight (Tensor, optional): a rescaling weight per class, shape ``(C,)``. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        ignore_index (int): targets equal to this add nothing and are left out of the mean. Default:
          ``-100``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        label_smoothing (float): in ``[0, 1]``. Default: ``0.0``.

    Shape:
        - Input: ``(N, C)``, ``(C)`` or ``(N, C, d_1, ..., d_k)``.
        - Target: indices ``(N)``, ``()`` or ``(N, d_1, ..., d_k)`` in ``[0, C)``; or probabilities
          with the input's shape.
        - Output: a scalar; with ``reduction='none'``, the target's shape (indices) or
          ``(N, d_1, ...)``.

    Example:
        >>> x = ember.tensor([[2., 0., 0.], [0., 1., 0.]])
        >>> ember.nn.functional.cross_entropy(x, ember.tensor([0, 2]))
        tensor(0.8955)
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
    """Binary cross-entropy of probabilities: ``l = -w * (y * log(p) + (1 - y) * log(1 - p))``.

    Each log is clamped at ``-100`` so that ``p`` of exactly 0 or 1 gives a finite loss.

    Args:
        input (Tensor): probabilities in ``[0, 1]``.
        target (Tensor): targets in ``[0, 1]``, the input's shape.
        weight (Tensor, optional): rescaling weight, broadcastable to the input. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> p, y = ember.tensor([0.9, 0.2, 0.5]), ember.tensor([1., 0., 1.])
        >>> ember.nn.functional.binary_cross_entropy(p, y)
        tensor(0.3406)
    """
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
    """Binary cross-entropy of logits: ``BCELoss`` after a sigmoid, computed stably.

    ``l = -w * (pos_weight * y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))``.  ``pos_weight``
    (one entry per class, broadcast along the last dimension) trades recall against precision.

    Args:
        input (Tensor): logits.
        target (Tensor): targets in ``[0, 1]``, the input's shape.
        weight (Tensor, optional): rescaling weight, broadcastable to the input. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        pos_weight (Tensor, optional): weight of the positive term per class. Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([2., -1., 0.]), ember.tensor([1., 0., 1.])
        >>> ember.nn.functional.binary_cross_entropy_with_logits(x, y)
        tensor(0.3778)
    """
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
    (x, y), _ = promote_all(input, target)
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
    """Mean absolute error: ``l_i = |x_i - y_i|``, then averaged or summed.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets, broadcastable to ``input``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        weight (Tensor, optional): multiplies each element's loss (broadcast). Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> ember.nn.functional.l1_loss(x, y)
        tensor(1.3333)
    """
    return _regression("l1_loss", L.L1, input, target,
                       _reduction(reduction, size_average, reduce), weight)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: ``l_i = (x_i - y_i) ** 2``, then averaged or summed.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets, broadcastable to ``input``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        weight (Tensor, optional): multiplies each element's loss (broadcast). Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> ember.nn.functional.mse_loss(x, y)
        tensor(3.3333)
    """
    return _regression("mse_loss", L.MSE, input, target,
                       _reduction(reduction, size_average, reduce), weight)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss: quadratic for small errors, linear for large ones.

    With ``d = |x - y|``: ``l = 0.5 * d ** 2`` if ``d < delta``, else ``delta * (d - 0.5 * delta)``.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        delta (float): where the loss turns linear; positive. Default: ``1.0``.
        weight (Tensor, optional): multiplies each element's loss (broadcast). Default: ``None``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> ember.nn.functional.huber_loss(x, y)
        tensor(1.)
    """
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta (got "
                           f"delta={delta}).")
    return _regression("huber_loss", lambda r: L.Huber(r, delta), input, target,
                       _reduction(reduction), weight, weighted_mean="count")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1 loss: the Huber loss divided by ``beta``.

    With ``d = |x - y|``: ``l = 0.5 * d ** 2 / beta`` if ``d < beta``, else ``d - 0.5 * beta``;
    ``beta = 0`` gives the L1 loss.

    Args:
        input (Tensor): predictions.
        target (Tensor): targets.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        beta (float): where the loss turns linear; non-negative. Default: ``1.0``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> ember.nn.functional.smooth_l1_loss(x, y)
        tensor(1.)
    """
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta (got "
                           f"beta={beta}).")
    make_op = (lambda r: L.SmoothL1(r, beta)) if beta else L.L1
    return _regression("smooth_l1_loss", make_op, input, target,
                       _reduction(reduction, size_average, reduce))


# -- divergences and likelihoods ------------------------------------------------------
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence ``KL(target || input)`` for log-probabilities ``input``.

    Pointwise ``l = target * (log(target) - input)`` (``exp(target) * (target - input)`` with
    ``log_target``).  ``'batchmean'`` divides the sum by the batch size and gives the true
    divergence; ``'mean'`` divides by the number of elements (and warns).

    Args:
        input (Tensor): log-probabilities.
        target (Tensor): probabilities (or log-probabilities).
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'``, ``'batchmean'``, ``'sum'`` or ``'mean'``. Default: ``'mean'``.
        log_target (bool): ``target`` holds log-probabilities too. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> logq = ember.tensor([[0.5, 0.5]]).log()
        >>> ember.nn.functional.kl_div(logq, ember.tensor([[0.9, 0.1]]), reduction="batchmean")
        tensor(0.3681)
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
    """Poisson negative log-likelihood of counts ``y`` for a predicted rate.

    With ``log_input``: ``l = exp(x) - y * x``; otherwise ``l = x - y * log(x + eps)``. ``full``
    adds Stirling's approximation of ``log(y!)``, ``y * log(y) - y + 0.5 * log(2 * pi * y)`` (for
    ``y > 1``).

    Args:
        input (Tensor): the rate (or its log).
        target (Tensor): the counts.
        log_input (bool): the input is the log of the rate. Default: ``True``.
        full (bool): add the Stirling term. Default: ``False``.
        size_average (bool, optional): deprecated; use ``reduction``.
        eps (float): keeps ``log`` finite without ``log_input``. Default: ``1e-8``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([0., 1.]), ember.tensor([1., 2.])
        >>> ember.nn.functional.poisson_nll_loss(x, y)
        tensor(0.8591)
    """
    _tensors("poisson_nll_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    bool_in, bool_t = input.dtype is _dtype.bool, target.dtype is _dtype.bool
    if bool_in and (bool_t or not log_input):   # torch's first subtraction has a bool operand
        _check_bool_sub(input, 0)
    if full and bool_t:
        _check_bool_sub(target, 0)
    (x, y), _ = promote_all(input, target)
    if not x.is_floating_point():
        x, y = x.to(_dtype.get_default_dtype()), y.to(_dtype.get_default_dtype())
    return L.PoissonNLL(reduction, log_input, full, eps)(x, y)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Gaussian negative log-likelihood with a predicted variance.

    ``l = 0.5 * (log(max(var, eps)) + (x - y) ** 2 / max(var, eps))``, plus ``0.5 * log(2 * pi)``
    with ``full``. ``forward(input, target, var)``; ``var`` may omit the last dimension or have size
    1 there (one variance for all features).

    Args:
        input (Tensor): predicted means.
        target (Tensor): observations.
        var (Tensor): predicted variances, positive.
        full (bool): add the constant term. Default: ``False``.
        eps (float): lower clamp of ``var`` (the gradient passes through). Default: ``1e-6``.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.

    Shape:
        - Input: ``(N, *)`` or ``(*)``.
        - Target: the input's shape.
        - Var: the input's shape, or with the last dimension 1 or dropped.
        - Output: a scalar; with ``reduction='none'``, the input's shape.

    Example:
        >>> x, y, var = ember.tensor([0., 1.]), ember.tensor([1., 1.]), ember.tensor([1., 0.5])
        >>> ember.nn.functional.gaussian_nll_loss(x, y, var)
        tensor(0.0767)
    """
    _tensors("gaussian_nll_loss", input=input, target=target)
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError(f"var has negative entry/entries (got var={var})")
        var = var * ones_like(input)
    elif (var < 0).any():
        raise ValueError("var has negative entry/entries")
    elif not var.is_floating_point():   # torch clamps var at eps in place
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           f"{var.dtype._tensor_type[:-6]}")
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
    """Connectionist temporal classification loss of unsegmented label sequences.

    The negative log of the total probability of every alignment (with ``blank`` symbols and
    repeats) of the target sequence to the input frames.  ``'mean'`` divides each sample's loss by
    its target length, then averages over the batch.  ``forward(log_probs, targets, input_lengths,
    target_lengths)``.

    Args:
        log_probs (Tensor): ``log_softmax`` output over the classes.
        targets (Tensor): label indices (never ``blank``).
        input_lengths (Tensor or tuple): frames used per sample.
        target_lengths (Tensor or tuple): labels per sample.
        blank (int): index of the blank label. Default: ``0``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        zero_infinity (bool): replace infinite losses (impossible alignments) and their gradients by
          zero. Default: ``False``.

    Shape:
        - Log_probs: ``(T, N, C)`` or ``(T, C)``.
        - Targets: ``(N, S)`` padded, or 1-D ``(sum(target_lengths))`` concatenated.
        - Input_lengths, target_lengths: ``(N)`` or ``()``.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> logp = ember.zeros(3, 1, 3).log_softmax(2)
        >>> ember.nn.functional.ctc_loss(logp, ember.tensor([[1, 2]]), [3], [2])
        tensor(0.8432)
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
