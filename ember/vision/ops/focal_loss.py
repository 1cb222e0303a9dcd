"""Sigmoid focal loss (Lin et al., RetinaNet, 2017)."""
from ember.nn import functional as F
from ._utils import reduce_loss

__all__ = ["sigmoid_focal_loss"]


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """Binary cross-entropy on logits down-weighted for easy examples:
    ``alpha_t * (1 - p_t) ** gamma * BCE``, where ``p_t`` is the predicted probability of
    the true label and ``alpha_t`` is ``alpha`` for positives and ``1 - alpha`` for negatives
    (no weighting when ``alpha < 0``).

    Args:
        inputs (Tensor): logits.
        targets (Tensor): 0/1 floats of the same shape.
        alpha (float): the weight of positives; negative for none. Default: ``0.25``.
        gamma (float): the focusing power. Default: ``2``.
        reduction (str): ``"none"``, ``"mean"`` or ``"sum"``. Default: ``"none"``.

    Shape:
        - Input: ``(*)`` and ``(*)``.
        - Output: ``(*)``, or a scalar when reduced.

    Example::

        >>> from ember.vision.ops import sigmoid_focal_loss
        >>> sigmoid_focal_loss(ember.tensor([2.0, -1.0]), ember.tensor([1.0, 0.0]))
        tensor([0.0005, 0.0170])
    """
    p = inputs.sigmoid()
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return reduce_loss(loss, reduction)
