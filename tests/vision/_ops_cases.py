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
    "generalized_box_iou_loss": (lambda ops, a, b: ops.generalized_box_iou_loss(a, b),
                                 [random_boxes(7, 14), random_boxes(7, 15)], [0, 1]),
    "distance_box_iou_loss_mean": (lambda ops, a, b: ops.distance_box_iou_loss(a, b, "mean"),
                                   [random_boxes(7, 14), random_boxes(7, 15)], [0, 1]),
    "complete_box_iou_loss_sum": (lambda ops, a, b: ops.complete_box_iou_loss(a, b, "sum"),
                                  [random_boxes(7, 14), random_boxes(7, 15)], [0, 1]),
    "complete_box_iou_loss_self": (lambda ops, a: ops.complete_box_iou_loss(a, a + 0.5),
                                   [random_boxes(5, 16)], [0]),
    "roi_align": (lambda ops, x, r: ops.roi_align(x, r, (3, 2), 1.0, 2, False), [_FEATS, _ROIS],
                  [0]),
    "roi_align_adaptive_aligned": (lambda ops, x, r: ops.roi_align(x, r, 3, 0.8, -1, True),
                                   [_FEATS, _ROIS], [0]),
    "roi_align_scaled": (lambda ops, x, r: ops.roi_align(x, r, (2, 4), 0.5, 0, False),
                         [_FEATS, _ROIS], [0]),
}


def _image(dtype_float):
    img = np.random.default_rng(21).integers(0, 256, (3, 20, 24)).astype(np.uint8)
    return (img / 255).astype(np.float32) if dtype_float else img


_BOXES = np.array([[1, 2, 10, 12], [5, 5, 22, 18], [0, 0, 3.7, 4.2]], dtype=np.float32)
_MASKS = np.zeros((3, 20, 24), dtype=bool)
_MASKS[0, 2:9, 3:12] = True
_MASKS[1, 6:15, 10:20] = True
_MASKS[2, 0:4, 0:4] = True

# name: (call(utils, lib, image, boxes or masks), image is float)
DRAW_CASES = {
    "boxes_uint8": (lambda u, lib, img, b: u.draw_bounding_boxes(img, b), False, "boxes"),
    "boxes_float_width_colors": (lambda u, lib, img, b: u.draw_bounding_boxes(
        img, b, colors=["red", (0, 255, 0), "#0000ff"], width=2), True, "boxes"),
    "boxes_fill": (lambda u, lib, img, b: u.draw_bounding_boxes(img, b, fill=True,
                                                                colors="yellow"), False, "boxes"),
    "boxes_labels": (lambda u, lib, img, b: u.draw_bounding_boxes(
        img, b, labels=["a", "bb", "c"], fill_labels=True, label_colors="white"), False, "boxes"),
    "boxes_gray": (lambda u, lib, img, b: u.draw_bounding_boxes(img[:1], b, colors="white"),
                   False, "boxes"),
    "masks_uint8": (lambda u, lib, img, m: u.draw_segmentation_masks(img, m), False, "masks"),
    "masks_float": (lambda u, lib, img, m: u.draw_segmentation_masks(
        img, m, alpha=0.4, colors=["green", "blue", (90, 10, 200)]), True, "masks"),
    "masks_single": (lambda u, lib, img, m: u.draw_segmentation_masks(img, m[1], colors="red"),
                     False, "masks"),
}


def draw_inputs(lib, case):
    """(image, boxes or masks) tensors of ``lib`` for a DRAW_CASES entry."""
    _, floating, kind = DRAW_CASES[case]
    other = _BOXES if kind == "boxes" else _MASKS
    return lib.from_numpy(_image(floating)), lib.from_numpy(other.copy())


def _fpn(ops, extra):
    """An FPN over three levels (with an extra block), given fixed weights in make/test."""
    fpn_module = __import__(ops.__name__ + ".feature_pyramid_network", fromlist=["x"])
    blocks = {"pool": fpn_module.LastLevelMaxPool(), "p6p7": fpn_module.LastLevelP6P7(16, 6),
              "none": None}[extra]
    return ops.FeaturePyramidNetwork([4, 8, 16], 6, extra_blocks=blocks)


# name: (extra block, input shapes finest first)
FPN_CASES = {"fpn": ("none", [(1, 4, 16, 12), (1, 8, 8, 6), (1, 16, 3, 3)]),
             "fpn_pool": ("pool", [(2, 4, 8, 8), (2, 8, 4, 4), (2, 16, 2, 2)]),
             "fpn_p6p7": ("p6p7", [(1, 4, 16, 16), (1, 8, 8, 8), (1, 16, 4, 4)])}
