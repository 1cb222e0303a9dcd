"""Margin and embedding losses of ``ember.nn.functional``: soft-margin, multi-label and
multi-class margin, hinge, cosine and ranking embeddings, triplets.

They share ``funcs.py``'s argument handling (``reduction``, the deprecated flags, tensor
checks) and keep torch's signatures, defaults and errors; most are short compositions of
tensor ops, a few run on the fused ops of ``ops.py``.

Example::

    F.margin_ranking_loss(tensor([1., 2.]), tensor([2., 1.]), tensor([1., 1.]))  # tensor(0.5)
"""

from ... import _dtype, arange, full_like, minimum, where
from ..common import promote_all
from . import ops as L
from ..base import relabel
from .funcs import _constant, _kind, _out_of_range, _promoted, _reduce, _reduction, _tensors
from ...nn._functional.distance import pairwise_distance

__all__ = ["soft_margin_loss", "multilabel_soft_margin_loss", "multilabel_margin_loss",
           "multi_margin_loss", "hinge_embedding_loss", "cosine_embedding_loss",
           "margin_ranking_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss"]


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Two-class logistic loss for targets of 1 or -1: ``l = log(1 + exp(-y * x))``.

    Args:
        input (Tensor): scores.
        target (Tensor): 1 or -1, the input's shape.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Target: ``(*)``, the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(*)``.

    Example:
        >>> x, y = ember.tensor([2., -1.]), ember.tensor([1., 1.])
        >>> ember.nn.functional.soft_margin_loss(x, y)
        tensor(0.7201)
    """
    _tensors("soft_margin_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    _constant("soft_margin_loss", "target", target)
    (x, y), _ = promote_all(input, target)
    if not x.is_floating_point():
        raise RuntimeError(f"soft_margin_loss: result type Float can't be cast to the desired "
                           f"output type {_kind(x)} (pass floating-point tensors)")
    return L.SoftMargin(reduction)(x, y)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Multi-label logistic loss: per-class binary cross-entropy of ``sigmoid(x)``, averaged over
    classes.

    ``l_n = -mean_c w_c * (y_c * log(sigmoid(x_c)) + (1 - y_c) * log(sigmoid(-x_c)))``.

    Args:
        input (Tensor): scores.
        target (Tensor): 0 or 1 per class.
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
        >>> x, y = ember.tensor([[2., -1., 0.]]), ember.tensor([[1., 0., 1.]])
        >>> ember.nn.functional.multilabel_soft_margin_loss(x, y)
        tensor(0.3778)
    """
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


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """Multi-class hinge loss: ``l = sum_{i != y} w_y * max(0, margin - x_y + x_i) ** p / C``.

    Args:
        input (Tensor): scores.
        target (Tensor): class indices.
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
        >>> x = ember.tensor([[1., 0., 2.]])
        >>> ember.nn.functional.multi_margin_loss(x, ember.tensor([0]))
        tensor(0.6667)
    """
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
    loss = _reduce((z.sum(dim=1) / c).reshape(target.shape), reduction)
    return relabel(loss, "MultiMarginLossBackward0")


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge loss on class indices.

    Each row of the target lists the sample's classes, ended by the first ``-1``.  For every target
    class ``j`` and non-target class ``i``: ``l = sum_{j, i} max(0, 1 - (x_j - x_i)) / C``.

    Args:
        input (Tensor): scores.
        target (Tensor): int64 class indices, padded with ``-1``.
        size_average (bool, optional): deprecated; use ``reduction``.
        reduce (bool, optional): deprecated; use ``reduction``.
        reduction (str): ``'none'`` (one value per element), ``'mean'`` or ``'sum'``. Default:
          ``'mean'``.

    Shape:
        - Input: ``(C)`` or ``(N, C)``.
        - Target: the input's shape.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> x = ember.tensor([[1., 0., 2.]])
        >>> ember.nn.functional.multilabel_margin_loss(x, ember.tensor([[2, -1, 0]]))
        tensor(0.)
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
    return relabel(_reduce(loss.reshape(target.shape[:-1]), reduction),
                   "MultilabelMarginLossBackward0")


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """Hinge loss on a distance: ``l = x`` where ``y = 1``, ``max(0, margin - x)`` where ``y = -1``.

    Typically ``x`` is a distance between two inputs, small for similar pairs (``y = 1``).

    Args:
        input (Tensor): distances.
        target (Tensor): 1 or -1.
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
        >>> x, y = ember.tensor([0.5, 0.3]), ember.tensor([1., -1.])
        >>> ember.nn.functional.hinge_embedding_loss(x, y)
        tensor(0.6000)
    """
    _tensors("hinge_embedding_loss", input=input, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    margin = margin if input.is_floating_point() else full_like(input, margin)
    loss = where(target != 1, (margin - input).clamp(min=0), 0) + where(target != -1, input, 0)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """Cosine embedding loss of pairs: ``1 - cos(x1, x2)`` where ``y = 1``,
    ``max(0, cos(x1, x2) - margin)`` where ``y = -1``.

    Args:
        input1 (Tensor): first embeddings.
        input2 (Tensor): second embeddings.
        target (Tensor): 1 or -1 per pair.
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
        >>> a, b = ember.tensor([[1., 0.], [1., 1.]]), ember.tensor([[1., 0.], [1., 0.]])
        >>> ember.nn.functional.cosine_embedding_loss(a, b, ember.tensor([1, -1]))
        tensor(0.3536)
    """
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
    """Ranking loss: ``l = max(0, -y * (x1 - x2) + margin)``.

    ``y = 1`` asks for ``x1`` to rank above ``x2`` by ``margin``, ``y = -1`` for the reverse.

    Args:
        input1 (Tensor): first scores.
        input2 (Tensor): second scores.
        target (Tensor): 1 or -1.
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
        >>> x1, x2 = ember.tensor([1., 2.]), ember.tensor([2., 1.])
        >>> ember.nn.functional.margin_ranking_loss(x1, x2, ember.tensor([1., 1.]))
        tensor(0.5000)
    """
    fn = "margin_ranking_loss"
    _tensors(fn, input1=input1, input2=input2, target=target)
    reduction = _reduction(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.size()}, input2: {input2.size()}, "
                           f"target: {target.size()} ")
    return _reduce((-target * (input1 - input2) + float(margin)).clamp(min=0), reduction)


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
    """Triplet loss: ``l = max(0, margin + d(a, p) - d(a, n))`` with ``d`` the ``p``-norm distance.

    The anchor should be closer to the positive than to the negative by ``margin``; with ``swap``
    the distance from positive to negative is used where it is smaller than ``d(a, n)``.

    Args:
        anchor (Tensor): anchors.
        positive (Tensor): positives.
        negative (Tensor): negatives.
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
        >>> a, p, n = ember.tensor([[0., 0.]]), ember.tensor([[1., 0.]]), ember.tensor([[3., 4.]])
        >>> ember.nn.functional.triplet_margin_loss(a, p, n, margin=5.0)
        tensor(1.0000)
    """
    fn = "triplet_margin_loss"
    _tensors(fn, anchor=anchor, positive=positive, negative=negative)
    reduction = _reduction(reduction, size_average, reduce)
    return _triplet(anchor, positive, negative,
                    lambda a, b: pairwise_distance(a, b, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """Triplet loss with any distance: ``l = max(0, margin + d(a, p) - d(a, n))``.

    Args:
        anchor (Tensor): anchors.
        positive (Tensor): positives.
        negative (Tensor): negatives.
        distance_function (callable, keyword-only): maps two ``(N, D)`` tensors to ``(N)``
          distances. Default: ``None``, ``pairwise_distance``.
        margin (float, keyword-only): the margin. Default: ``1.0``.
        swap (bool, keyword-only): use the distance swap. Default: ``False``.
        reduction (str, keyword-only): ``'none'``, ``'mean'`` or ``'sum'``. Default: ``'mean'``.

    Shape:
        - Anchor, positive, negative: ``(N, D)`` or what ``distance_function`` accepts.
        - Output: a scalar; with ``reduction='none'``, ``(N)``.

    Example:
        >>> a, p, n = ember.tensor([[0., 0.]]), ember.tensor([[1., 0.]]), ember.tensor([[3., 4.]])
        >>> ember.nn.functional.triplet_margin_with_distance_loss(a, p, n, margin=5.0)
        tensor(1.0000)
    """
    fn = "triplet_margin_with_distance_loss"
    _tensors(fn, anchor=anchor, positive=positive, negative=negative)
    reduction = _reduction(reduction)
    return _triplet(anchor, positive, negative, distance_function or pairwise_distance,
                    margin, swap, reduction)
