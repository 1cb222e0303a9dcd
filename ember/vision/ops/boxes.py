"""Box operations (``torchvision.ops.boxes``): areas, pairwise IoU variants, format
conversion, clipping, filtering and non-maximum suppression.

Boxes are (..., 4) tensors; "xyxy" means (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2.
Everything except the NMS functions is built from differentiable tensor operations.
"""
import math

import numpy as np

import ember

__all__ = ["box_area", "box_iou", "generalized_box_iou", "distance_box_iou", "complete_box_iou",
           "box_convert", "clip_boxes_to_image", "remove_small_boxes", "nms", "batched_nms",
           "masks_to_boxes"]

_AREA_FORMATS = ("xyxy", "xywh", "cxcywh")


def _upcast(t):
    """float16/bfloat16 to float32 and small integers to int32, so products do not overflow."""
    if t.is_floating_point():
        return t if t.dtype in (ember.float32, ember.float64) else t.float()
    return t if t.dtype in (ember.int32, ember.int64) else t.int()


def box_area(boxes, fmt="xyxy"):
    """Areas of (..., 4) boxes in format ``fmt`` ("xyxy", "xywh" or "cxcywh") -> (...).

    Args:
        boxes (Tensor): ``(*, 4)`` boxes.
        fmt (str): ``"xyxy"``, ``"xywh"`` or ``"cxcywh"``. Default: ``"xyxy"``.

    Shape:
        - Input: ``(*, 4)``.
        - Output: ``(*)``.

    Example::

        >>> from ember.vision.ops import box_area
        >>> box_area(ember.tensor([[0.0, 0.0, 2.0, 3.0]]))
        tensor([6.])
    """
    if fmt not in _AREA_FORMATS:
        raise ValueError(f"Unsupported Bounding Box area for given format {fmt}")
    boxes = _upcast(boxes)
    if fmt == "xyxy":
        return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
    return boxes[..., 2] * boxes[..., 3]


def _corners(boxes, fmt):
    """(top-left, bottom-right) corners of boxes in ``fmt``, each (..., 2)."""
    if fmt == "xyxy":
        return boxes[..., :2], boxes[..., 2:]
    if fmt == "xywh":
        return boxes[..., :2], boxes[..., :2] + boxes[..., 2:]
    return boxes[..., :2] - boxes[..., 2:] / 2, boxes[..., :2] + boxes[..., 2:] / 2


def _box_inter_union(boxes1, boxes2, fmt="xyxy"):
    """Pairwise intersection and union areas, each (..., N, M)."""
    area1, area2 = box_area(boxes1, fmt=fmt), box_area(boxes2, fmt=fmt)
    lt1, rb1 = _corners(boxes1, fmt)
    lt2, rb2 = _corners(boxes2, fmt)
    lt = ember.maximum(lt1[..., :, None, :], lt2[..., None, :, :])
    rb = ember.minimum(rb1[..., :, None, :], rb2[..., None, :, :])
    wh = _upcast(rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter, area1[..., :, None] + area2[..., None, :] - inter


def box_iou(boxes1, boxes2, fmt="xyxy"):
    """Pairwise intersection over union: (..., N, 4) and (..., M, 4) -> (..., N, M).

    Args:
        boxes1 (Tensor): ``(*, N, 4)`` boxes.
        boxes2 (Tensor): ``(*, M, 4)`` boxes.
        fmt (str): their format, as in ``box_convert``. Default: ``"xyxy"``.

    Shape:
        - Output: ``(*, N, M)``, the IoU of every pair.

    Example::

        >>> from ember.vision.ops import box_iou
        >>> box_iou(ember.tensor([[0.0, 0.0, 2.0, 2.0]]), ember.tensor([[1.0, 1.0, 3.0, 3.0]]))
        tensor([[0.1429]])
    """
    if fmt not in _AREA_FORMATS:
        raise ValueError(f"Unsupported Box IoU Calculation for given format {fmt}.")
    inter, union = _box_inter_union(boxes1, boxes2, fmt)
    return inter / union


def _enclosing_wh(boxes1, boxes2):
    """Width and height of the smallest box enclosing each pair, (..., N, M, 2)."""
    lt = ember.minimum(boxes1[..., :, None, :2], boxes2[..., None, :, :2])
    rb = ember.maximum(boxes1[..., :, None, 2:], boxes2[..., None, :, 2:])
    return _upcast(rb - lt).clamp(min=0)


def generalized_box_iou(boxes1, boxes2):
    """Pairwise generalized IoU (Rezatofighi et al., 2019) of xyxy boxes: IoU minus the part
    of the enclosing box not covered by the union.

    Args:
        boxes1 (Tensor): ``(*, N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, M, 4)`` boxes.

    Shape:
        - Output: ``(*, N, M)``, values in ``[-1, 1]``.

    Example::

        >>> from ember.vision.ops import generalized_box_iou
        >>> generalized_box_iou(ember.tensor([[0.0, 0.0, 1.0, 1.0]]),
        ...                     ember.tensor([[2.0, 0.0, 3.0, 1.0]]))
        tensor([[-0.3333]])
    """
    inter, union = _box_inter_union(boxes1, boxes2)
    whi = _enclosing_wh(boxes1, boxes2)
    enclosing = whi[..., 0] * whi[..., 1]
    return inter / union - (enclosing - union) / enclosing


def _box_diou_iou(boxes1, boxes2, eps):
    iou = box_iou(boxes1, boxes2)
    whi = _enclosing_wh(boxes1, boxes2)
    diagonal_squared = whi[..., 0] ** 2 + whi[..., 1] ** 2 + eps
    cx1, cy1 = (boxes1[..., 0] + boxes1[..., 2]) / 2, (boxes1[..., 1] + boxes1[..., 3]) / 2
    cx2, cy2 = (boxes2[..., 0] + boxes2[..., 2]) / 2, (boxes2[..., 1] + boxes2[..., 3]) / 2
    centers_squared = (_upcast(cx1[..., :, None] - cx2[..., None, :]) ** 2 +
                       _upcast(cy1[..., :, None] - cy2[..., None, :]) ** 2)
    return iou - centers_squared / diagonal_squared, iou


def distance_box_iou(boxes1, boxes2, eps=1e-7):
    """Pairwise distance IoU (Zheng et al., 2019) of xyxy boxes: IoU minus the squared
    distance between centres over the squared diagonal of the enclosing box (plus ``eps``).

    Args:
        boxes1 (Tensor): ``(*, N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, M, 4)`` boxes.
        eps (float): keeps the divisions finite. Default: ``1e-7``.

    Shape:
        - Output: ``(*, N, M)``.

    Example::

        >>> from ember.vision.ops import distance_box_iou
        >>> distance_box_iou(ember.tensor([[0.0, 0.0, 1.0, 1.0]]),
        ...                  ember.tensor([[0.0, 0.0, 1.0, 1.0]]))
        tensor([[1.]])
    """
    return _box_diou_iou(_upcast(boxes1), _upcast(boxes2), eps)[0]


def complete_box_iou(boxes1, boxes2, eps=1e-7):
    """Pairwise complete IoU (Zheng et al., 2020): distance IoU minus ``alpha * v``, where
    ``v = 4 / pi^2 * (atan(w1 / h1) - atan(w2 / h2))^2`` measures the aspect-ratio mismatch
    and ``alpha = v / (1 - IoU + v + eps)`` is a constant for the gradient.

    Args:
        boxes1 (Tensor): ``(*, N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        boxes2 (Tensor): ``(*, M, 4)`` boxes.
        eps (float): keeps the divisions finite. Default: ``1e-7``.

    Shape:
        - Output: ``(*, N, M)``.

    Example::

        >>> from ember.vision.ops import complete_box_iou
        >>> complete_box_iou(ember.tensor([[0.0, 0.0, 2.0, 1.0]]),
        ...                  ember.tensor([[0.0, 0.0, 1.0, 2.0]])).shape
        ember.Size([1, 1])
    """
    boxes1, boxes2 = _upcast(boxes1), _upcast(boxes2)
    diou, iou = _box_diou_iou(boxes1, boxes2, eps)
    ratio1 = (boxes1[..., :, None, 2] - boxes1[..., :, None, 0]) / \
        (boxes1[..., :, None, 3] - boxes1[..., :, None, 1])
    ratio2 = (boxes2[..., None, :, 2] - boxes2[..., None, :, 0]) / \
        (boxes2[..., None, :, 3] - boxes2[..., None, :, 1])
    v = (4 / math.pi ** 2) * (ember.atan(ratio1) - ember.atan(ratio2)) ** 2
    with ember.no_grad():
        alpha = v / (1 - iou + v + eps)
    return diou - alpha * v


def box_convert(boxes, in_fmt, out_fmt):
    """Convert (..., 4) boxes between "xyxy", "xywh" (corner, size) and "cxcywh" (centre,
    size).

    Args:
        boxes (Tensor): ``(*, 4)`` boxes.
        in_fmt, out_fmt (str): ``"xyxy"`` (corners), ``"xywh"`` (corner and size) or
            ``"cxcywh"`` (centre and size).

    Shape:
        - Input: ``(*, 4)``.
        - Output: ``(*, 4)``.

    Example::

        >>> from ember.vision.ops import box_convert
        >>> box_convert(ember.tensor([[1.0, 2.0, 4.0, 6.0]]), "xyxy", "cxcywh")
        tensor([[2.5000, 4.0000, 3.0000, 4.0000]])
    """
    allowed = ("xyxy", "xywh", "cxcywh", "xywhr", "cxcywhr", "xyxyxyxy")
    if in_fmt not in allowed or out_fmt not in allowed:
        raise ValueError("Unsupported Bounding Box Conversions for given in_fmt "
                         f"{in_fmt} and out_fmt {out_fmt}")
    if in_fmt == out_fmt:
        return boxes.clone()
    if in_fmt not in _AREA_FORMATS or out_fmt not in _AREA_FORMATS:
        raise NotImplementedError("ember.vision does not convert rotated boxes "
                                  f"({in_fmt} to {out_fmt})")
    lt, rb = _corners(boxes, in_fmt)
    if out_fmt == "xyxy":
        return ember.cat([lt, rb], -1)
    if out_fmt == "xywh":
        return ember.cat([lt, rb - lt], -1)
    return ember.cat([(lt + rb) / 2, rb - lt], -1)


def clip_boxes_to_image(boxes, size):
    """Clamp xyxy boxes (..., 4) into an image of ``size`` = (height, width).

    Args:
        boxes (Tensor): ``(*, 4)`` boxes as ``(x1, y1, x2, y2)``.
        size (tuple of int): the image's ``(height, width)``.

    Shape:
        - Input: ``(*, 4)``.
        - Output: ``(*, 4)``.

    Example::

        >>> from ember.vision.ops import clip_boxes_to_image
        >>> clip_boxes_to_image(ember.tensor([[-1.0, 2.0, 9.0, 9.0]]), (5, 8))
        tensor([[0., 2., 8., 5.]])
    """
    height, width = size
    x = boxes[..., 0::2].clamp(min=0, max=width)
    y = boxes[..., 1::2].clamp(min=0, max=height)
    return ember.stack((x, y), dim=boxes.dim()).reshape(boxes.shape)


def remove_small_boxes(boxes, min_size):
    """Indices (int64) of the xyxy boxes whose width and height are both >= ``min_size``.

    Args:
        boxes (Tensor): ``(N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        min_size (float): the smallest width and height kept.

    Returns:
        Tensor: int64 indices of the boxes kept.

    Example::

        >>> from ember.vision.ops import remove_small_boxes
        >>> remove_small_boxes(ember.tensor([[0.0, 0.0, 1.0, 5.0], [0.0, 0.0, 3.0, 3.0]]), 2)
        tensor([1])
    """
    ws, hs = boxes[..., 2] - boxes[..., 0], boxes[..., 3] - boxes[..., 1]
    return ember.where((ws >= min_size) & (hs >= min_size))[0]


def _nms_numpy(boxes, scores, iou_threshold):
    """Greedy NMS on float64 arrays: indices kept, by decreasing score (stable for ties)."""
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    order = np.argsort(-scores, kind="stable")
    suppressed = np.zeros(len(order), dtype=bool)
    keep = []
    for pos, i in enumerate(order):
        if suppressed[i]:
            continue
        keep.append(i)
        rest = order[pos + 1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter)
        suppressed[rest[iou > iou_threshold]] = True
    return np.asarray(keep, dtype=np.int64)


def nms(boxes, scores, iou_threshold):
    """Non-maximum suppression: repeatedly keep the highest-scoring box and drop the others
    whose IoU with it exceeds ``iou_threshold``.

    Args:
        boxes (Tensor): ``(N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        scores (Tensor): ``(N,)`` scores.
        iou_threshold (float): drop boxes overlapping a kept one by more than this IoU.

    Returns:
        Tensor: int64 indices of the kept boxes, highest score first.

    Example::

        >>> from ember.vision.ops import nms
        >>> boxes = ember.tensor([[0.0, 0.0, 2.0, 2.0], [0.1, 0.0, 2.0, 2.0], [3, 3, 4, 4]])
        >>> nms(boxes, ember.tensor([0.9, 0.8, 0.7]), 0.5)
        tensor([0, 2])
    """
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise RuntimeError(f"boxes should have 2 dimensions and size 4 in the last one, got "
                           f"{tuple(boxes.shape)}")
    if scores.dim() != 1 or scores.shape[0] != boxes.shape[0]:
        raise RuntimeError(f"scores should be a 1-d tensor with one score per box, got "
                           f"{tuple(scores.shape)} for {boxes.shape[0]} boxes")
    keep = _nms_numpy(np.asarray(boxes.detach().numpy(), dtype=np.float64),
                      np.asarray(scores.detach().numpy(), dtype=np.float64), iou_threshold)
    return ember.from_numpy(keep)


def batched_nms(boxes, scores, idxs, iou_threshold):
    """NMS within each category: boxes with different ``idxs`` never suppress each other.

    Args:
        boxes (Tensor): ``(N, 4)`` boxes as ``(x1, y1, x2, y2)``.
        scores (Tensor): ``(N,)`` scores.
        idxs (Tensor): ``(N,)`` integer categories.
        iou_threshold (float): as in ``nms``.

    Returns:
        Tensor: int64 indices of the kept boxes, highest score first.

    Example::

        >>> from ember.vision.ops import batched_nms
        >>> boxes = ember.tensor([[0.0, 0.0, 2.0, 2.0], [0.1, 0.0, 2.0, 2.0]])
        >>> batched_nms(boxes, ember.tensor([0.9, 0.8]), ember.tensor([0, 1]), 0.5)
        tensor([0, 1])
    """
    b = np.asarray(boxes.detach().numpy(), dtype=np.float64).reshape(-1, 4)
    s = np.asarray(scores.detach().numpy(), dtype=np.float64)
    ids = np.asarray(idxs.detach().numpy())
    keep_mask = np.zeros(len(s), dtype=bool)
    for category in np.unique(ids):
        members = np.nonzero(ids == category)[0]
        keep_mask[members[_nms_numpy(b[members], s[members], iou_threshold)]] = True
    keep = np.nonzero(keep_mask)[0]
    return ember.from_numpy(keep[np.argsort(-s[keep], kind="stable")].astype(np.int64))


def masks_to_boxes(masks):
    """The xyxy bounding box (float32, pixel indices) of each of (N, H, W) masks -> (N, 4);
    an empty mask gives zeros.

    Args:
        masks (Tensor): ``(N, H, W)`` masks, non-zero inside.

    Shape:
        - Input: ``(N, H, W)``.
        - Output: ``(N, 4)`` float32 ``(x1, y1, x2, y2)``.

    Example::

        >>> from ember.vision.ops import masks_to_boxes
        >>> m = ember.zeros(1, 4, 5)
        >>> m[0, 1:3, 2:4] = 1
        >>> masks_to_boxes(m)
        tensor([[2., 1., 3., 2.]])
    """
    m = np.asarray(masks.detach().numpy()).astype(bool)
    out = np.zeros((m.shape[0], 4), dtype=np.float32)
    for i, mask in enumerate(m):
        rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
        if len(rows):
            out[i] = (cols[0], rows[0], cols[-1], rows[-1])
    return ember.from_numpy(out)
