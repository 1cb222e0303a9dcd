"""IoU-based box regression losses between matched xyxy boxes (``torchvision.ops``'
generalized/distance/complete box IoU losses)."""
import math

import ember
from ._utils import reduce_loss

__all__ = ["generalized_box_iou_loss", "distance_box_iou_loss", "complete_box_iou_loss"]


def _float(t):
    return t if t.dtype in (ember.float32, ember.float64) else t.float()


def _iou_and_enclosure(boxes1, boxes2, eps):
    """Elementwise IoU (``inter / (union + eps)``), union, and the corners of the smallest
    enclosing boxes."""
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    inter = (ember.minimum(x2, x2g) - ember.maximum(x1, x1g)).clamp(min=0) * \
        (ember.minimum(y2, y2g) - ember.maximum(y1, y1g)).clamp(min=0)
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    enclosure = (ember.minimum(x1, x1g), ember.minimum(y1, y1g), ember.maximum(x2, x2g),
                 ember.maximum(y2, y2g))
    return inter / (union + eps), union, enclosure


def generalized_box_iou_loss(boxes1, boxes2, reduction="none", eps=1e-7):
    """``1 - GIoU`` of matched boxes: (..., 4) and (..., 4) -> (...) (or a scalar with
    ``reduction`` "mean"/"sum"); 0 for identical boxes, up to 2 for distant ones.

    Args:
        boxes1 (Tensor): ``(*, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, 4)`` boxes matched one to one with ``boxes1``.
        reduction (str): ``"none"``, ``"mean"`` or ``"sum"``. Default: ``"none"``.
        eps (float): keeps the divisions finite. Default: ``1e-7``.

    Shape:
        - Input: ``(*, 4)`` and ``(*, 4)``.
        - Output: ``(*)``, or a scalar when reduced.

    Example::

        >>> from ember.vision.ops import generalized_box_iou_loss
        >>> generalized_box_iou_loss(ember.tensor([[0.0, 0.0, 1.0, 1.0]]),
        ...                          ember.tensor([[2.0, 0.0, 3.0, 1.0]]))
        tensor([1.3333])
    """
    boxes1, boxes2 = _float(boxes1), _float(boxes2)
    iou, union, (xc1, yc1, xc2, yc2) = _iou_and_enclosure(boxes1, boxes2, eps)
    area_c = (xc2 - xc1) * (yc2 - yc1)
    return reduce_loss(1 - (iou - (area_c - union) / (area_c + eps)), reduction)


def _diou_loss(boxes1, boxes2, eps):
    iou, _, (xc1, yc1, xc2, yc2) = _iou_and_enclosure(boxes1, boxes2, eps)
    diagonal = (xc2 - xc1) ** 2 + (yc2 - yc1) ** 2 + eps
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    centers = ((x2 + x1) / 2 - (x1g + x2g) / 2) ** 2 + ((y2 + y1) / 2 - (y1g + y2g) / 2) ** 2
    return 1 - iou + centers / diagonal, iou


def distance_box_iou_loss(boxes1, boxes2, reduction="none", eps=1e-7):
    """``1 - DIoU`` of matched boxes: one minus IoU plus the squared centre distance over the
    squared diagonal of the enclosing box.

    Args:
        boxes1 (Tensor): ``(*, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, 4)`` boxes matched one to one with ``boxes1``.
        reduction (str): ``"none"``, ``"mean"`` or ``"sum"``. Default: ``"none"``.
        eps (float): keeps the divisions finite. Default: ``1e-7``.

    Shape:
        - Input: ``(*, 4)`` and ``(*, 4)``.
        - Output: ``(*)``, or a scalar when reduced.

    Example::

        >>> from ember.vision.ops import distance_box_iou_loss
        >>> distance_box_iou_loss(ember.tensor([[0.0, 0.0, 1.0, 1.0]]),
        ...                       ember.tensor([[1.0, 0.0, 2.0, 1.0]]))
        tensor([1.2000])
    """
    return reduce_loss(_diou_loss(_float(boxes1), _float(boxes2), eps)[0], reduction)


def complete_box_iou_loss(boxes1, boxes2, reduction="none", eps=1e-7):
    """``1 - CIoU`` of matched boxes: the DIoU loss plus ``alpha * v`` for the aspect-ratio
    mismatch ``v = 4 / pi^2 * (atan(w2 / h2) - atan(w1 / h1))^2``, with ``alpha`` held
    constant for the gradient.

    Args:
        boxes1 (Tensor): ``(*, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, 4)`` boxes matched one to one with ``boxes1``.
        reduction (str): ``"none"``, ``"mean"`` or ``"sum"``. Default: ``"none"``.
        eps (float): keeps the divisions finite. Default: ``1e-7``.

    Shape:
        - Input: ``(*, 4)`` and ``(*, 4)``.
        - Output: ``(*)``, or a scalar when reduced.

    Example::

        >>> from ember.vision.ops import complete_box_iou_loss
        >>> complete_box_iou_loss(ember.tensor([[0.0, 0.0, 2.0, 1.0]]),
        ...                       ember.tensor([[0.0, 0.0, 2.0, 1.0]]))
        tensor([0.])
    """
    boxes1, boxes2 = _float(boxes1), _float(boxes2)
    diou, iou = _diou_loss(boxes1, boxes2, 1e-7)
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    v = (4 / math.pi ** 2) * (ember.atan((x2g - x1g) / (y2g - y1g)) -
                              ember.atan((x2 - x1) / (y2 - y1))) ** 2
    with ember.no_grad():
        alpha = v / (1 - iou + v + eps)
    return reduce_loss(diou + alpha * v, reduction)
