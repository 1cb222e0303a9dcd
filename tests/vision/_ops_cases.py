"""Fixed inputs for torchvision.ops functions, run on torchvision's pure-Python definitions
(with real torch, by make_fixtures.py) and on ember.vision.ops (in the tests)."""
import numpy as np


def random_boxes(n, seed, size=20.0):
    """(n, 4) float32 xyxy boxes with positive width and height inside [0, size + 8]."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, size, (n, 2))
    wh = rng.uniform(1, 8, (n, 2))
    return np.concatenate([xy, xy + wh], 1).astype(np.float32)


_FEATS = np.random.default_rng(5).standard_normal((2, 3, 9, 11)).astype(np.float32)
# (batch index, x1, y1, x2, y2): inside, touching the borders, tiny, up to the far edges.
# Samples stay within [-1, size]: beyond that torchvision's kernel reads zeros while its
# Python twin _roi_align clamps, so those cases are checked against a NumPy reference.
_ROIS = np.array([[0, 1.0, 1.5, 7.2, 6.0], [1, -0.4, 3.0, 10.5, 8.7], [1, 4.2, 4.1, 4.6, 4.3],
                  [0, 6.0, -0.3, 11.0, 9.0]], dtype=np.float32)

# name: (call(ops, *tensors), input arrays, indices of the inputs whose gradient is compared)
OPS_CASES = {
    "box_area": (lambda ops, b: ops.box_area(b), [random_boxes(6, 0)], [0]),
    "box_area_cxcywh": (lambda ops, b: ops.box_area(b, fmt="cxcywh"), [random_boxes(6, 0)], [0]),
    "box_iou": (lambda ops, a, b: ops.box_iou(a, b), [random_boxes(5, 1), random_boxes(4, 2)],
                [0, 1]),
    "box_iou_xywh": (lambda ops, a, b: ops.box_iou(a, b, fmt="xywh"),
                     [random_boxes(5, 1), random_boxes(4, 2)], [0, 1]),
    "box_iou_batched": (lambda ops, a, b: ops.box_iou(a, b),
                        [random_boxes(6, 3).reshape(2, 3, 4), random_boxes(4, 4).reshape(2, 2, 4)],
                        [0, 1]),
    "generalized_box_iou": (lambda ops, a, b: ops.generalized_box_iou(a, b),
                            [random_boxes(5, 1), random_boxes(4, 2)], [0, 1]),
    "distance_box_iou": (lambda ops, a, b: ops.distance_box_iou(a, b),
                         [random_boxes(5, 1), random_boxes(4, 2)], [0, 1]),
    "complete_box_iou": (lambda ops, a, b: ops.complete_box_iou(a, b),
                         [random_boxes(5, 1), random_boxes(4, 2)], [0, 1]),
    "box_convert_xyxy_cxcywh": (lambda ops, b: ops.box_convert(b, "xyxy", "cxcywh"),
                                [random_boxes(4, 6)], [0]),
    "box_convert_cxcywh_xywh": (lambda ops, b: ops.box_convert(b, "cxcywh", "xywh"),
                                [random_boxes(4, 6)], [0]),
    "box_convert_xywh_xyxy": (lambda ops, b: ops.box_convert(b, "xywh", "xyxy"),
                              [random_boxes(4, 6)], [0]),
    "clip_boxes_to_image": (lambda ops, b: ops.clip_boxes_to_image(b - 5, (12, 15)),
                            [random_boxes(6, 7)], [0]),
    "remove_small_boxes": (lambda ops, b: ops.remove_small_boxes(b, 4.0), [random_boxes(8, 8)],
                           []),
    "sigmoid_focal_loss": (lambda ops, x, t: ops.sigmoid_focal_loss(x, t),
                           [np.random.default_rng(9).standard_normal((4, 3)).astype(np.float32),
                            (np.random.default_rng(10).random((4, 3)) > 0.5).astype(np.float32)],
                           [0]),
    "sigmoid_focal_loss_mean": (lambda ops, x, t: ops.sigmoid_focal_loss(x, t, 0.6, 1.5, "mean"),
                                [np.random.default_rng(9).standard_normal((4, 3)).astype(np.float32),
                                 (np.random.default_rng(10).random((4, 3)) > 0.5)
                                 .astype(np.float32)], [0]),
    "sigmoid_focal_loss_no_alpha": (lambda ops, x, t: ops.sigmoid_focal_loss(x, t, -1, 2, "sum"),
                                    [np.random.default_rng(9).standard_normal((4, 3))
                                     .astype(np.float32),
                                     (np.random.default_rng(10).random((4, 3)) > 0.5)
                                     .astype(np.float32)], [0]),
    "roi_align": (lambda ops, x, r: ops.roi_align(x, r, (3, 2), 1.0, 2, False), [_FEATS, _ROIS],
                  [0]),
    "roi_align_adaptive_aligned": (lambda ops, x, r: ops.roi_align(x, r, 3, 0.8, -1, True),
                                   [_FEATS, _ROIS], [0]),
    "roi_align_scaled": (lambda ops, x, r: ops.roi_align(x, r, (2, 4), 0.5, 0, False),
                         [_FEATS, _ROIS], [0]),
}
