"""Loss layers: thin classes over the functions in ``ember/_ops/loss/funcs.py``.

Attributes, buffers (``weight``, ``pos_weight``), defaults and reprs are
torch's.  An input error raised by the function names the loss's place in the
model (``criterion (CrossEntropyLoss()): Target 10 is out of bounds ...``)
through ``Module``'s layer naming, since these are built-in leaf layers.
"""
import math
import warnings

from ..._ops.loss import funcs as F, margin as M
from .._functional.linear_cross_entropy import linear_cross_entropy
from .distance import PairwiseDistance
from .linear import Linear
from .module import Module

__all__ = ["L1Loss", "MSELoss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss",
           "NLLLoss2d", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss", "PoissonNLLLoss",
           "GaussianNLLLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss", "MultiLabelMarginLoss",
           "MultiMarginLoss", "HingeEmbeddingLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
           "TripletMarginLoss", "TripletMarginWithDistanceLoss", "CTCLoss",
           "LinearCrossEntropyLoss"]


class _Loss(Module):
    """Holds ``reduction``, mapping the deprecated ``size_average``/``reduce`` flags onto it."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = F.legacy_reduction(size_average, reduce)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with per-class ``weight``, kept as a buffer (so ``.to()`` and state_dict see it)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """Mean absolute error: ``l_i = |x_i - y_i|``, then averaged or summed.

    Args:
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.L1Loss()
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> loss(x, y)
        tensor(1.3333)
    """

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error: ``l_i = (x_i - y_i) ** 2``, then averaged or summed.

    Args:
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.MSELoss()
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> loss(x, y)
        tensor(3.3333)
    """

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss: quadratic for small errors, linear for large ones.

    With ``d = |x - y|``: ``l = 0.5 * d ** 2`` if ``d < delta``, else ``delta * (d - 0.5 * delta)``.

    Args:
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.
        delta (float): where the loss turns linear; positive. Default: ``1.0``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.HuberLoss()
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> loss(x, y)
        tensor(1.)
    """

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss: the Huber loss divided by ``beta``.

    With ``d = |x - y|``: ``l = 0.5 * d ** 2 / beta`` if ``d < beta``, else ``d - 0.5 * beta``;
    ``beta = 0`` gives the L1 loss.

    Args:
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
        >>> loss = ember.nn.SmoothL1Loss()
        >>> x, y = ember.tensor([0., 2., 5.]), ember.tensor([1., 2., 2.])
        >>> loss(x, y)
        tensor(1.)
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class-index targets under log-probabilities.

    ``l_n = -w_{y_n} * x[n, y_n]``; the input is usually ``log_softmax`` output. ``'mean'`` divides
    by the summed weights of the non-ignored targets.

    Args:
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
        >>> loss = ember.nn.NLLLoss()
        >>> logp = ember.tensor([[-0.5, -1., -2.], [-1., -0.5, -3.]])
        >>> loss(logp, ember.tensor([0, 2]))
        tensor(1.7500)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)



class NLLLoss2d(NLLLoss):
    """``NLLLoss`` under its old name: deprecated, warns with a ``FutureWarning`` and then acts as
    ``NLLLoss``.

    Args:
        weight, size_average, ignore_index, reduce, reduction: as in ``NLLLoss``.

    Shape:
        - Input: ``(N, C, H, W)`` (any shape ``NLLLoss`` takes).
        - Target: ``(N, H, W)``.
        - Output: a scalar; with ``reduction='none'``, the target's shape.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     loss = ember.nn.NLLLoss2d()
        >>> loss(ember.full((1, 2, 2, 2), -0.5), ember.zeros(1, 2, 2, dtype=ember.int64))
        tensor(0.5000)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in "
                      "replacement and see https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss "
                      "for more details.", FutureWarning, stacklevel=2)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)

class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy between unnormalised class scores and targets.

    For a class-index target ``y``: ``l = -w_y * log(softmax(x)_y)``.  For class-probability targets
    ``p``: ``l = -sum_c w_c * p_c * log(softmax(x)_c)``.  ``label_smoothing = e`` mixes the target
    with the uniform distribution, ``(1 - e) * target + e / C``.  ``'mean'`` divides by the summed
    weights of the non-ignored targets.

    Args:
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
        >>> loss = ember.nn.CrossEntropyLoss()
        >>> x = ember.tensor([[2., 0., 0.], [0., 1., 0.]])
        >>> loss(x, ember.tensor([0, 2]))
        tensor(0.8955)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities: ``l = -w * (y * log(p) + (1 - y) * log(1 - p))``.

    Each log is clamped at ``-100`` so that ``p`` of exactly 0 or 1 gives a finite loss.

    Args:
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
        >>> loss = ember.nn.BCELoss()
        >>> p, y = ember.tensor([0.9, 0.2, 0.5]), ember.tensor([1., 0., 1.])
        >>> loss(p, y)
        tensor(0.3406)
    """

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits: ``BCELoss`` after a sigmoid, computed stably.

    ``l = -w * (pos_weight * y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))``.  ``pos_weight``
    (one entry per class, broadcast along the last dimension) trades recall against precision.

    Args:
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
        >>> loss = ember.nn.BCEWithLogitsLoss()
        >>> x, y = ember.tensor([2., -1., 0.]), ember.tensor([1., 0., 1.])
        >>> loss(x, y)
        tensor(0.3778)
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence ``KL(target || input)`` for log-probabilities ``input``.

    Pointwise ``l = target * (log(target) - input)`` (``exp(target) * (target - input)`` with
    ``log_target``).  ``'batchmean'`` divides the sum by the batch size and gives the true
    divergence; ``'mean'`` divides by the number of elements (and warns).

    Args:
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'``, ``'batchmean'``, ``'sum'`` or ``'mean'``. Default: ``'mean'``.
        log_target (bool): ``target`` holds log-probabilities too. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.KLDivLoss(reduction="batchmean")
        >>> logq = ember.tensor([[0.5, 0.5]]).log()
        >>> loss(logq, ember.tensor([[0.9, 0.1]]))
        tensor(0.3681)
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood of counts ``y`` for a predicted rate.

    With ``log_input``: ``l = exp(x) - y * x``; otherwise ``l = x - y * log(x + eps)``. ``full``
    adds Stirling's approximation of ``log(y!)``, ``y * log(y) - y + 0.5 * log(2 * pi * y)`` (for
    ``y > 1``).

    Args:
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
        >>> loss = ember.nn.PoissonNLLLoss()
        >>> x, y = ember.tensor([0., 1.]), ember.tensor([1., 2.])
        >>> loss(x, y)
        tensor(0.8591)
    """

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood with a predicted variance.

    ``l = 0.5 * (log(max(var, eps)) + (x - y) ** 2 / max(var, eps))``, plus ``0.5 * log(2 * pi)``
    with ``full``. ``forward(input, target, var)``; ``var`` may omit the last dimension or have size
    1 there (one variance for all features).

    Args:
        full (bool, keyword-only): add the constant term. Default: ``False``.
        eps (float, keyword-only): lower clamp of ``var`` (the gradient passes through). Default:
          ``1e-6``.
        reduction (str, keyword-only): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.

    Shape:
        - Input: ``(N, *)`` or ``(*)``.
        - Target: the input's shape.
        - Var: the input's shape, or with the last dimension 1 or dropped.
        - Output: a scalar; with ``reduction='none'``, the input's shape.

    Example:
        >>> loss = ember.nn.GaussianNLLLoss()
        >>> x, y, var = ember.tensor([0., 1.]), ember.tensor([1., 1.]), ember.tensor([1., 0.5])
        >>> loss(x, y, var)
        tensor(0.0767)
    """

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """Two-class logistic loss for targets of 1 or -1: ``l = log(1 + exp(-y * x))``.

    Args:
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.SoftMarginLoss()
        >>> x, y = ember.tensor([2., -1.]), ember.tensor([1., 1.])
        >>> loss(x, y)
        tensor(0.7201)
    """

    def forward(self, input, target):
        return M.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Multi-label logistic loss: per-class binary cross-entropy of ``sigmoid(x)``, averaged over
    classes.

    ``l_n = -mean_c w_c * (y_c * log(sigmoid(x_c)) + (1 - y_c) * log(sigmoid(-x_c)))``.

    Args:
        weight (Tensor, optional): weight per class, ``(C,)``. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(N, C)``.
        - Target: ``(N, C)``.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.MultiLabelSoftMarginLoss()
        >>> x, y = ember.tensor([[2., -1., 0.]]), ember.tensor([[1., 0., 1.]])
        >>> loss(x, y)
        tensor(0.3778)
    """

    def forward(self, input, target):
        return M.multilabel_soft_margin_loss(input, target, weight=self.weight,
                                             reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """Multi-label hinge loss on class indices.

    Each row of the target lists the sample's classes, ended by the first ``-1``.  For every target
    class ``j`` and non-target class ``i``: ``l = sum_{j, i} max(0, 1 - (x_j - x_i)) / C``.

    Args:
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(C)`` or ``(N, C)``.
        - Target: the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.MultiLabelMarginLoss()
        >>> x = ember.tensor([[1., 0., 2.]])
        >>> loss(x, ember.tensor([[2, -1, 0]]))
        tensor(0.)
    """

    def forward(self, input, target):
        return M.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss: ``l = sum_{i != y} w_y * max(0, margin - x_y + x_i) ** p / C``.

    Args:
        p (int): 1 or 2. Default: ``1``.
        margin (float): the margin. Default: ``1.0``.
        weight (Tensor, optional): weight per class, ``(C,)``. Default: ``None``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(N, C)`` or ``(C)``.
        - Target: ``(N)`` or ``()``.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.MultiMarginLoss()
        >>> x = ember.tensor([[1., 0., 2.]])
        >>> loss(x, ember.tensor([0]))
        tensor(0.6667)
    """

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError(f"only p == 1 and p == 2 supported (got p={p})")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got "
                             f"{weight.dim()}D instead")
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return M.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """Hinge loss on a distance: ``l = x`` where ``y = 1``, ``max(0, margin - x)`` where ``y = -1``.

    Typically ``x`` is a distance between two inputs, small for similar pairs (``y = 1``).

    Args:
        margin (float): the margin. Default: ``1.0``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> loss = ember.nn.HingeEmbeddingLoss()
        >>> x, y = ember.tensor([0.5, 0.3]), ember.tensor([1., -1.])
        >>> loss(x, y)
        tensor(0.6000)
    """

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return M.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class _PairMarginLoss(_Loss):
    """A loss of (input1, input2, target) with a ``margin``, computed by ``_fn``."""

    _fn = None

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return self._fn(input1, input2, target, margin=self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(_PairMarginLoss):
    """Cosine embedding loss of pairs: ``1 - cos(x1, x2)`` where ``y = 1``,
    ``max(0, cos(x1, x2) - margin)`` where ``y = -1``.

    Args:
        margin (float): in ``[-1, 1]``; ``0`` to ``0.5`` is usual. Default: ``0.0``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input1: ``(N, D)`` or ``(D)``.
        - Input2: the same shape.
        - Target: ``(N)`` or ``()``.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.CosineEmbeddingLoss()
        >>> a, b = ember.tensor([[1., 0.], [1., 1.]]), ember.tensor([[1., 0.], [1., 0.]])
        >>> loss(a, b, ember.tensor([1, -1]))
        tensor(0.3536)
    """
    _fn = staticmethod(M.cosine_embedding_loss)


class MarginRankingLoss(_PairMarginLoss):
    """Ranking loss: ``l = max(0, -y * (x1 - x2) + margin)``.

    ``y = 1`` asks for ``x1`` to rank above ``x2`` by ``margin``, ``y = -1`` for the reverse.

    Args:
        margin (float): the margin. Default: ``0.0``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input1: ``(N)`` or ``()``.
        - Input2: the same shape.
        - Target: the same shape.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.MarginRankingLoss()
        >>> x1, x2 = ember.tensor([1., 2.]), ember.tensor([2., 1.])
        >>> loss(x1, x2, ember.tensor([1., 1.]))
        tensor(0.5000)
    """
    _fn = staticmethod(M.margin_ranking_loss)


class TripletMarginLoss(_Loss):
    """Triplet loss: ``l = max(0, margin + d(a, p) - d(a, n))`` with ``d`` the ``p``-norm distance.

    The anchor should be closer to the positive than to the negative by ``margin``; with ``swap``
    the distance from positive to negative is used where it is smaller than ``d(a, n)``.

    Args:
        margin (float): the margin. Default: ``1.0``.
        p (float): the norm's exponent. Default: ``2.0``.
        eps (float): shift added to differences, as in ``pairwise_distance``. Default: ``1e-6``.
        swap (bool): use the distance swap. Default: ``False``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Anchor, positive, negative: ``(N, D)`` or ``(D)``.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> loss = ember.nn.TripletMarginLoss(margin=5.0)
        >>> a, p, n = ember.tensor([[0., 0.]]), ember.tensor([[1., 0.]]), ember.tensor([[3., 4.]])
        >>> loss(a, p, n)
        tensor(1.0000)
    """

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got "
                             f"{margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return M.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                     eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """Triplet loss with any distance: ``l = max(0, margin + d(a, p) - d(a, n))``.

    Args:
        distance_function (callable, keyword-only): maps two ``(N, D)`` tensors to ``(N)``
          distances. Default: ``None``, ``pairwise_distance``.
        margin (float, keyword-only): the margin. Default: ``1.0``.
        swap (bool, keyword-only): use the distance swap. Default: ``False``.
        reduction (str, keyword-only): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.

    Shape:
        - Anchor, positive, negative: ``(N, D)`` or what ``distance_function`` accepts.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> l1 = ember.nn.PairwiseDistance(p=1)
        >>> loss = ember.nn.TripletMarginWithDistanceLoss(distance_function=l1, margin=5.0)
        >>> a, p, n = ember.tensor([[0., 0.]]), ember.tensor([[1., 0.]]), ember.tensor([[3., 4.]])
        >>> loss(a, p, n)
        tensor(0.)
    """

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(reduction=reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than "
                             f"0, got {margin} instead")
        self.distance_function = distance_function if distance_function is not None \
            else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return M.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)


class CTCLoss(_Loss):
    """Connectionist temporal classification loss of unsegmented label sequences.

    The negative log of the total probability of every alignment (with ``blank`` symbols and
    repeats) of the target sequence to the input frames.  ``'mean'`` divides each sample's loss by
    its target length, then averages over the batch.  ``forward(log_probs, targets, input_lengths,
    target_lengths)``.

    Args:
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
        >>> loss = ember.nn.CTCLoss()
        >>> logp = ember.zeros(3, 1, 3).log_softmax(2)
        >>> loss(logp, ember.tensor([[1, 2]]), [3], [2])
        tensor(0.8432)
    """

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)


class LinearCrossEntropyLoss(_WeightedLoss):
    """A linear projection to class scores followed by the cross-entropy, as one loss.

    Holds ``linear``, a ``Linear(in_features, num_classes * prod(out_features), bias)`` whose weight
    is reshaped to ``(num_classes, *out_features, in_features)`` in forward, and computes
    ``ember.nn.functional.linear_cross_entropy`` with it.  torch's version saves memory by
    chunking the batch; ember computes the whole batch at once, with the same result.

    Args:
        in_features (int): size of each input sample.
        num_classes (int): ``C``, the number of classes.
        out_features (tuple, keyword-only): extra dimensions ``(d_1, ..., d_K)`` for a K-dimensional
          loss. Default: ``()``.
        bias (bool, keyword-only): give the projection a bias. Default: ``False``.
        device (ember.device, keyword-only, optional): where the projection lives.
        dtype (ember.dtype, keyword-only, optional): projection dtype.
        reduction (str, keyword-only): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.
        weight (Tensor, keyword-only, optional): weight per class, ``(C,)``. Default: ``None``.
        ignore_index (int, keyword-only, optional): class index to skip. Default: ``None`` (-100).
        label_smoothing (float, keyword-only): in ``[0, 1]``. Default: ``0.0``.
        options (LinearCrossEntropyOptions, keyword-only, optional): torch's chunking settings.

    Shape:
        - Input: ``(in_features)`` or ``(N, in_features)``.
        - Target: class indices ``()``, ``(N)`` or ``(N, d_1, ..., d_K)``, or class probabilities of
          the logits' shape ``(N, C, d_1, ..., d_K)``.
        - Output: a scalar; with ``reduction='none'``, the per-sample losses.

    Example:
        >>> loss = ember.nn.LinearCrossEntropyLoss(8, 5)
        >>> loss(ember.randn(3, 8), ember.tensor([0, 4, 2])).shape
        ember.Size([])
    """

    def __init__(self, in_features, num_classes, *, out_features=(), bias=False, device=None,
                 dtype=None, reduction="mean", weight=None, ignore_index=None,
                 label_smoothing=0.0, options=None):
        if weight is not None and weight.shape != (num_classes,):
            raise RuntimeError(f"expected weight shape to be {(num_classes,)}, got "
                               f"{tuple(weight.shape)}")
        if label_smoothing < 0 or label_smoothing > 1.0:
            raise RuntimeError("expected label_smoothing to be in range [0, 1], got "
                               f"{label_smoothing}")
        super().__init__(weight=weight, reduction=reduction)
        self.num_classes = num_classes
        self.out_features = out_features
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        self.linear = Linear(in_features, math.prod(out_features, start=num_classes), bias=bias,
                             device=device, dtype=dtype)
        self.options = options

    def forward(self, input, target):
        shape = (self.num_classes, *self.out_features)
        bias = self.linear.bias.reshape(shape) if self.linear.bias is not None else None
        return linear_cross_entropy(
            input, self.linear.weight.reshape(shape + (self.linear.in_features,)), target,
            linear_bias=bias, weight=self.weight, reduction=self.reduction,
            ignore_index=self.ignore_index, label_smoothing=self.label_smoothing,
            options=self.options)

    def extra_repr(self):
        return (f"in_features={self.linear.in_features}, num_classes={self.num_classes}, "
                f"out_features={self.out_features}, bias={self.linear.bias is not None}, "
                f"reduction={self.reduction}, ignore_index={self.ignore_index}, "
                f"label_smoothing={self.label_smoothing}, options={self.options}")
