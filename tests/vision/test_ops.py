"""ember.vision.ops against torchvision.ops and float64 NumPy references.

Oracles: tests/vision/fixtures/torchvision_ops.json (outputs and input gradients of
torchvision's pure-Python box operations, focal loss and ``_roi_align``, the Python twin of its
RoI Align kernel, recorded on real torch by make_fixtures.py); NumPy references written here
from the documented definitions for nms, batched_nms, roi_pool, ps_roi_align and ps_roi_pool
(compiled in torchvision, so its kernels' documented semantics, not the library, are the oracle)
and for MultiScaleRoIAlign (FPN level mapping over the RoI Align reference); the gradients of
the last three are checked through the references' linearity (adjoint identity);
real torch for the layers in ops.misc.  The drawing functions of ember.vision.utils are
compared with torchvision.utils' (pure Python over Pillow) in the same fixture, and
FeaturePyramidNetwork with torchvision's under fixed weights.
"""
import base64
import json
import os
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn
from ember.vision import ops, utils
from tests.helpers import torch
from tests.vision._cases import cotangent, fixed_input, fixed_weights
from tests.vision._ops_cases import (DRAW_CASES, FPN_CASES, OPS_CASES, _fpn, draw_inputs,
                                     random_boxes)

with open(os.path.join(os.path.dirname(__file__), "fixtures", "torchvision_ops.json")) as f:
    FIXTURE, DRAW, FPN = (lambda d: (d["ops"], d["draw"], d["fpn"]))(json.load(f))


@pytest.mark.parametrize("case", sorted(OPS_CASES))
def test_matches_torchvision(case):
    call, arrays, grad_of = OPS_CASES[case]
    inputs = [ember.from_numpy(a.copy()).requires_grad_(i in grad_of) for i, a in enumerate(arrays)]
    result = call(ops, *inputs)
    expected = FIXTURE[case]
    assert list(result.shape) == expected["shape"]
    assert str(result.dtype).split(".")[-1] == expected["dtype"]
    np.testing.assert_allclose(result.detach().numpy().ravel(), expected["output"], rtol=1e-4,
                               atol=1e-5)
    if grad_of:
        (result * ember.from_numpy(cotangent(tuple(result.shape)))).sum().backward()
        for i, want in zip(grad_of, expected["grads"]):
            np.testing.assert_allclose(inputs[i].grad.numpy().ravel(), want, rtol=1e-4,
                                       atol=1e-5, err_msg=f"grad of input {i}")


def _iou_np(a, b):
    lt, rb = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
    inter = np.prod(np.clip(rb - lt, 0, None))
    return inter / (np.prod(a[2:] - a[:2]) + np.prod(b[2:] - b[:2]) - inter)


def _nms_reference(boxes, scores, threshold):
    """Keep boxes in decreasing score order unless one already kept overlaps by > threshold."""
    kept = []
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if all(_iou_np(boxes[i], boxes[j]) <= threshold for j in kept):
            kept.append(i)
    return kept


@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.9])
def test_nms_and_batched_nms(threshold):
    boxes = random_boxes(40, 11, size=10.0).astype(np.float64)
    scores = np.random.default_rng(12).random(40)
    scores[5] = scores[7]  # a tie keeps index order
    keep = ops.nms(ember.from_numpy(boxes), ember.from_numpy(scores), threshold)
    assert keep.dtype == ember.int64
    assert keep.tolist() == _nms_reference(boxes, scores, threshold)
    classes = np.random.default_rng(13).integers(0, 3, 40)
    kept = [i for c in range(3) for i in np.nonzero(classes == c)[0][
        _nms_reference(boxes[classes == c], scores[classes == c], threshold)]]
    expected = sorted(kept, key=lambda i: (-scores[i], i))
    got = ops.batched_nms(ember.from_numpy(boxes.astype(np.float32)),
                          ember.from_numpy(scores.astype(np.float32)), ember.from_numpy(classes),
                          threshold)
    assert got.tolist() == expected


def test_nms_edge_cases():
    empty = ops.nms(ember.zeros(0, 4), ember.zeros(0), 0.5)
    assert tuple(empty.shape) == (0,) and empty.dtype == ember.int64
    assert ops.batched_nms(ember.zeros(0, 4), ember.zeros(0), ember.zeros(0, dtype=ember.int64),
                           0.5).tolist() == []
    with pytest.raises(RuntimeError, match="boxes should have 2 dimensions"):
        ops.nms(ember.zeros(3, 5), ember.zeros(3), 0.5)


def _roi_pool_reference(x, rois, out_h, out_w, scale):
    """Max over bins of the region [round(x1 s), round(x2 s)] (inclusive), float64."""
    def rnd(v):
        return int(np.sign(v) * np.floor(abs(v) + 0.5))
    out = np.zeros((len(rois), x.shape[1], out_h, out_w))
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        sw, sh, ew, eh = rnd(x1 * scale), rnd(y1 * scale), rnd(x2 * scale), rnd(y2 * scale)
        bh, bw = max(eh - sh + 1, 1) / out_h, max(ew - sw + 1, 1) / out_w
        for i in range(out_h):
            h0 = min(max(int(np.floor(i * bh)) + sh, 0), x.shape[2])
            h1 = min(max(int(np.ceil((i + 1) * bh)) + sh, 0), x.shape[2])
            for j in range(out_w):
                w0 = min(max(int(np.floor(j * bw)) + sw, 0), x.shape[3])
                w1 = min(max(int(np.ceil((j + 1) * bw)) + sw, 0), x.shape[3])
                if h1 > h0 and w1 > w0:
                    out[k, :, i, j] = x[int(b), :, h0:h1, w0:w1].max(axis=(1, 2))
    return out


@pytest.mark.parametrize("size,scale", [((2, 3), 1.0), (4, 0.5)])
def test_roi_pool(size, scale):
    _, (feats, rois), _ = OPS_CASES["roi_align"]
    x = ember.from_numpy(feats.copy()).requires_grad_(True)
    out = ops.roi_pool(x, ember.from_numpy(rois), size, scale)
    h, w = (size, size) if isinstance(size, int) else size
    np.testing.assert_allclose(out.detach().numpy(),
                               _roi_pool_reference(feats.astype(np.float64), rois, h, w, scale),
                               rtol=1e-6)
    out.sum().backward()  # each non-empty bin sends its gradient to its maximum
    assert float(x.grad.sum()) == pytest.approx(float((out != 0).sum()))


def _bilinear_reference(img, y, x):
    """Kernel semantics: zero outside [-1, size]; the last pixel repeats near the far edge."""
    _, h, w = img.shape
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return np.zeros(img.shape[0])

    def axis(v, n):
        low = int(max(v, 0.0))
        return (n - 1, n - 1, 0.0) if low >= n - 1 else (low, low + 1, max(v, 0.0) - low)
    y0, y1, ly = axis(y, h)
    x0, x1, lx = axis(x, w)
    return ((1 - ly) * (1 - lx) * img[:, y0, x0] + (1 - ly) * lx * img[:, y0, x1] +
            ly * (1 - lx) * img[:, y1, x0] + ly * lx * img[:, y1, x1])


def _roi_align_reference(x, rois, ph, pw, scale, ratio, aligned, min_size=None):
    """Regions at least ``min_size`` wide (by default 1 pixel unless ``aligned``)."""
    out = np.zeros((len(rois), x.shape[1], ph, pw))
    off = 0.5 if aligned else 0.0
    if min_size is None and not aligned:
        min_size = 1.0
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        sx, sy = x1 * scale - off, y1 * scale - off
        rw, rh = x2 * scale - off - sx, y2 * scale - off - sy
        if min_size is not None:
            rw, rh = max(rw, min_size), max(rh, min_size)
        gh = ratio if ratio > 0 else int(np.ceil(rh / ph))
        gw = ratio if ratio > 0 else int(np.ceil(rw / pw))
        for i in range(ph):
            for j in range(pw):
                acc = sum(_bilinear_reference(x[int(b)], sy + i * rh / ph + (iy + 0.5) * rh / ph / gh,
                                              sx + j * rw / pw + (ix + 0.5) * rw / pw / gw)
                          for iy in range(gh) for ix in range(gw))
                out[k, :, i, j] = acc / max(gh * gw, 1)
    return out


@pytest.mark.parametrize("ratio,aligned", [(2, False), (-1, True)])
def test_roi_align_outside_the_image_reads_zeros(ratio, aligned):
    # regions reaching past the border by more than a pixel, where torchvision's kernel
    # samples zeros (its Python twin, the fixture's oracle, clamps instead)
    _, (feats, _), _ = OPS_CASES["roi_align"]
    rois = np.array([[0, -4.0, -3.0, 6.0, 5.0], [1, 5.0, 2.0, 16.0, 14.0],
                     [0, -9.0, -9.0, -2.0, -3.0]], dtype=np.float32)
    out = ops.roi_align(ember.from_numpy(feats), ember.from_numpy(rois), (3, 2), 1.0, ratio,
                        aligned)
    expected = _roi_align_reference(feats.astype(np.float64), rois.astype(np.float64), 3, 2, 1.0,
                                     ratio, aligned)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert np.all(out.numpy()[2] == 0)


def test_roi_box_lists_and_modules():
    _, (feats, rois), _ = OPS_CASES["roi_align"]
    x = ember.from_numpy(feats)
    as_list = [ember.from_numpy(rois[rois[:, 0] == i, 1:]) for i in range(2)]
    order = np.argsort(rois[:, 0], kind="stable")
    by_tensor = ops.roi_align(x, ember.from_numpy(rois[order]), 3, 1.0, 2)
    np.testing.assert_allclose(ops.RoIAlign(3, 1.0, 2)(x, as_list).numpy(), by_tensor.numpy())
    assert repr(ops.RoIAlign(3, 1.0, 2)) == \
        "RoIAlign(output_size=3, spatial_scale=1.0, sampling_ratio=2, aligned=False)"
    assert repr(ops.RoIPool((2, 2), 0.25)) == "RoIPool(output_size=(2, 2), spatial_scale=0.25)"
    assert tuple(ops.RoIPool(2, 1.0)(x, as_list).shape) == (4, 3, 2, 2)
    with pytest.raises(ValueError, match="Tensor\\[K, 5\\]"):
        ops.roi_align(x, ember.zeros(3, 4), 2)


def test_box_errors_and_masks():
    with pytest.raises(ValueError, match="Unsupported Bounding Box Conversions"):
        ops.box_convert(ember.zeros(1, 4), "xyxy", "yxyx")
    with pytest.raises(ValueError, match="Unsupported Bounding Box area for given format abc"):
        ops.box_area(ember.zeros(1, 4), fmt="abc")
    with pytest.raises(ValueError, match="Invalid Value for arg 'reduction'"):
        ops.sigmoid_focal_loss(ember.zeros(2), ember.zeros(2), reduction="max")
    masks = np.zeros((3, 5, 6), dtype=np.uint8)
    masks[0, 1:4, 2:5] = 1
    masks[1, 4, 0] = 1
    boxes = ops.masks_to_boxes(ember.from_numpy(masks))
    assert boxes.dtype == ember.float32
    assert boxes.tolist() == [[2, 1, 4, 3], [0, 4, 0, 4], [0, 0, 0, 0]]


def test_frozen_batch_norm_matches_eval_batch_norm():
    bn = nn.BatchNorm2d(4)
    with ember.no_grad():
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-1, 1)
    frozen = ops.FrozenBatchNorm2d(4)
    frozen.load_state_dict(bn.state_dict())  # num_batches_tracked is dropped
    assert [n for n, _ in frozen.named_parameters()] == []
    x = ember.randn(2, 4, 3, 3)
    np.testing.assert_allclose(frozen(x).numpy(), bn.eval()(x).detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    assert repr(frozen) == "FrozenBatchNorm2d(4, eps=1e-05)"
    assert list(frozen.state_dict()) == ["weight", "bias", "running_mean", "running_var"]


def test_conv_norm_activation_layout_and_values():
    block = ops.Conv2dNormActivation(3, 8, kernel_size=3, stride=2, dilation=2)
    assert [type(m).__name__ for m in block] == ["Conv2d", "BatchNorm2d", "ReLU"]
    assert block[0].padding == (2, 2) and block[0].bias is None and block.out_channels == 8
    plain = ops.Conv2dNormActivation(3, 8, 1, norm_layer=None, activation_layer=nn.SiLU)
    assert plain[0].bias is not None and [type(m).__name__ for m in plain] == ["Conv2d", "SiLU"]
    assert ops.Conv3dNormActivation(2, 4, (3, 1, 5))[0].padding == (1, 0, 2)
    x = ember.randn(1, 3, 9, 9)
    w = torch.from_numpy(block[0].weight.detach().numpy().copy())
    expected = torch.relu(torch.nn.functional.batch_norm(
        torch.nn.functional.conv2d(torch.from_numpy(x.numpy().copy()), w, stride=2, padding=2,
                                   dilation=2), torch.zeros(8), torch.ones(8), training=False))
    np.testing.assert_allclose(block.eval()(x).detach().numpy(), expected.numpy(), rtol=1e-4,
                               atol=1e-5)


def test_squeeze_excitation_mlp_permute():
    se = ops.SqueezeExcitation(6, 2)
    x = ember.randn(2, 6, 4, 4)
    gate = ember.sigmoid(se.fc2(ember.relu(se.fc1(x.mean((2, 3), keepdim=True)))))
    np.testing.assert_allclose(se(x).detach().numpy(), (x * gate).detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    mlp = ops.MLP(4, [8, 8, 3], norm_layer=nn.LayerNorm, dropout=0.1, inplace=False)
    assert [type(m).__name__ for m in mlp] == ["Linear", "LayerNorm", "ReLU", "Dropout",
                                               "Linear", "LayerNorm", "ReLU", "Dropout",
                                               "Linear", "Dropout"]
    assert tuple(mlp(ember.randn(5, 4)).shape) == (5, 3)
    assert tuple(ops.Permute([0, 2, 3, 1])(ember.randn(1, 2, 3, 4)).shape) == (1, 3, 4, 2)


def test_stochastic_depth_and_drop_block():
    x = ember.ones(1000, 2)
    out = ops.stochastic_depth(x, 0.3, "row")
    rows = out.numpy()[:, 0]
    assert np.all(np.isclose(rows, 0) | np.isclose(rows, 1 / 0.7))
    assert abs((rows == 0).mean() - 0.3) < 0.06 and np.all(out.numpy()[:, 0] == out.numpy()[:, 1])
    whole = ops.stochastic_depth(x, 0.5, "batch").numpy()
    assert len(np.unique(whole)) == 1
    assert ops.StochasticDepth(0.5, "row").eval()(x) is x
    assert repr(ops.StochasticDepth(0.5, "row")) == "StochasticDepth(p=0.5, mode=row)"
    with pytest.raises(ValueError, match="mode has to be either 'batch' or 'row'"):
        ops.stochastic_depth(x, 0.5, "col")
    with pytest.raises(ValueError, match="drop probability has to be between 0 and 1"):
        ops.stochastic_depth(x, 1.5, "row")
    ember.manual_seed(0)
    dropped = ops.drop_block2d(ember.ones(4, 8, 16, 16), 0.2, 5).numpy()
    zeros = dropped == 0
    assert 0.1 < zeros.mean() < 0.35
    kept = dropped[~zeros]
    np.testing.assert_allclose(kept, dropped.size / kept.size, rtol=1e-5)  # mean preserved
    assert repr(ops.DropBlock2d(0.1, 3)) == "DropBlock2d(p=0.1, block_size=3, inplace=False)"
    with pytest.raises(ValueError, match="block size should be odd"):
        ops.drop_block2d(ember.ones(1, 1, 8, 8), 0.1, 4)
    with pytest.raises(ValueError, match="input should be 4 dimensional"):
        ops.drop_block2d(ember.ones(1, 8, 8), 0.1, 3)


@pytest.mark.parametrize("case", sorted(DRAW))
def test_drawing_matches_torchvision_utils(case):
    call, _, _ = DRAW_CASES[case]
    result = call(utils, ember, *draw_inputs(ember, case))
    expected = DRAW[case]
    assert list(result.shape) == expected["shape"]
    assert str(result.dtype).split(".")[-1] == expected["dtype"]
    if "uint8_base64" in expected:
        want = np.frombuffer(base64.b64decode(expected["uint8_base64"]), np.uint8)
        np.testing.assert_array_equal(result.numpy().ravel(), want)
    else:
        np.testing.assert_allclose(result.numpy().ravel(), expected["output"], atol=2e-6)


def test_drawing_errors():
    img = ember.zeros(3, 5, 5, dtype=ember.uint8)
    with pytest.raises(ValueError, match="Boxes need to be in \\(xmin, ymin, xmax, ymax\\)"):
        utils.draw_bounding_boxes(img, ember.tensor([[3.0, 0.0, 1.0, 2.0]]))
    with pytest.raises(ValueError, match="Pass individual images, not batches"):
        utils.draw_bounding_boxes(img[None], ember.tensor([[0.0, 0.0, 1.0, 2.0]]))
    with pytest.raises(ValueError, match="labels \\(1\\) mismatch"):
        utils.draw_bounding_boxes(img, ember.zeros(2, 4), labels=["x"])
    with pytest.warns(UserWarning, match="No box was drawn"):
        assert utils.draw_bounding_boxes(img, ember.zeros(0, 4)) is img
    with pytest.raises(ValueError, match="The masks must be of dtype bool"):
        utils.draw_segmentation_masks(img, ember.zeros(5, 5))
    with pytest.raises(ValueError, match="Pass an RGB image"):
        utils.draw_segmentation_masks(img[:1], ember.zeros(5, 5, dtype=ember.bool))
    with pytest.raises(ValueError, match="colors should be an RGB triplet"):
        utils.draw_segmentation_masks(img, ember.ones(5, 5, dtype=ember.bool), colors=(1, 2))


@pytest.mark.parametrize("case", sorted(FPN_CASES))
def test_feature_pyramid_network_matches_torchvision(case):
    extra, shapes = FPN_CASES[case]
    fpn = _fpn(ops, extra)
    fpn.load_state_dict({k: ember.from_numpy(v) for k, v in fixed_weights(fpn).items()})
    feats = OrderedDict((f"c{i}", ember.from_numpy(fixed_input(s) + i))
                        for i, s in enumerate(shapes))
    out = fpn(feats)
    expected = FPN[case]
    assert list(out) == list(expected)
    for name, value in out.items():
        assert list(value.shape) == expected[name]["shape"]
        np.testing.assert_allclose(value.detach().numpy().ravel(), expected[name]["output"],
                                   rtol=1e-4, atol=1e-5, err_msg=name)


def test_feature_pyramid_network_layout_and_old_keys():
    fpn = ops.FeaturePyramidNetwork([4, 8], 6)
    assert list(fpn.state_dict()) == ["inner_blocks.0.0.weight", "inner_blocks.0.0.bias",
                                      "inner_blocks.1.0.weight", "inner_blocks.1.0.bias",
                                      "layer_blocks.0.0.weight", "layer_blocks.0.0.bias",
                                      "layer_blocks.1.0.weight", "layer_blocks.1.0.bias"]
    old = {k.replace(".0.weight", ".weight").replace(".0.bias", ".bias"): v
           for k, v in fpn.state_dict().items()}
    assert "inner_blocks.1.weight" in old
    fresh = ops.FeaturePyramidNetwork([4, 8], 6)
    fresh.load_state_dict(old)
    for key, value in fpn.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[key].numpy(), value.numpy())
    with pytest.raises(TypeError, match="extra_blocks should be of type ExtraFPNBlock"):
        ops.FeaturePyramidNetwork([4], 6, extra_blocks=nn.ReLU())


# Position-sensitive pooling and MultiScaleRoIAlign: float64 NumPy references written from
# torchvision's documented semantics (its kernels are compiled, so the library cannot run here).
_PS_FEATS = np.random.default_rng(9).standard_normal((2, 12, 9, 11)).astype(np.float32)
# RoI Align's regions, one reaching well outside the image and one under 0.1 pixel wide
_PS_ROIS = np.concatenate([np.array([[0, -3.0, -2.0, 5.0, 4.0], [1, 2.0, 2.0, 2.02, 2.05]],
                                    np.float32), OPS_CASES["roi_align"][1][1]])


def _ps_roi_align_reference(x, rois, ph, pw, scale, ratio):
    """Bin (i, j) of channel c: RoI Align (half-pixel shift, regions >= 0.1) of channel
    (c * ph + i) * pw + j."""
    full = _roi_align_reference(x, rois, ph, pw, scale, ratio, True, min_size=0.1)
    out = np.zeros((len(rois), x.shape[1] // (ph * pw), ph, pw))
    for c in range(out.shape[1]):
        for i in range(ph):
            for j in range(pw):
                out[:, c, i, j] = full[:, (c * ph + i) * pw + j, i, j]
    return out


def _ps_roi_pool_reference(x, rois, ph, pw, scale):
    """Mean of bin (i, j) of [round(x1 s), round(x2 s)) (at least a pixel) over channel
    (c * ph + i) * pw + j; empty bins 0."""
    def rnd(v):
        return int(np.sign(v) * np.floor(abs(v) + 0.5))
    out = np.zeros((len(rois), x.shape[1] // (ph * pw), ph, pw))
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        sw, sh, ew, eh = rnd(x1 * scale), rnd(y1 * scale), rnd(x2 * scale), rnd(y2 * scale)
        bh, bw = max(eh - sh, 1) / ph, max(ew - sw, 1) / pw
        for i in range(ph):
            h0 = min(max(int(np.floor(i * bh)) + sh, 0), x.shape[2])
            h1 = min(max(int(np.ceil((i + 1) * bh)) + sh, 0), x.shape[2])
            for j in range(pw):
                w0 = min(max(int(np.floor(j * bw)) + sw, 0), x.shape[3])
                w1 = min(max(int(np.ceil((j + 1) * bw)) + sw, 0), x.shape[3])
                if h1 > h0 and w1 > w0:
                    for c in range(out.shape[1]):
                        out[k, c, i, j] = x[int(b), (c * ph + i) * pw + j, h0:h1, w0:w1].mean()
    return out


def _check_value_and_adjoint(call, x, reference):
    """``call`` (on ember) equals the linear ``reference`` (on float64 arrays) in value, and
    its input gradient is the reference's adjoint: <grad, d> == <cot, reference(d)>."""
    rng = np.random.default_rng(0)
    xt = ember.from_numpy(x.copy()).requires_grad_(True)
    out = call(xt)
    np.testing.assert_allclose(out.detach().numpy(), reference(x.astype(np.float64)),
                               rtol=1e-5, atol=1e-6)
    cot = rng.standard_normal(tuple(out.shape))
    (out * ember.from_numpy(cot.astype(np.float32))).sum().backward()
    for _ in range(2):
        d = rng.standard_normal(x.shape)
        assert float((xt.grad.numpy() * d).sum()) == pytest.approx(
            float((cot * reference(d)).sum()), rel=1e-4, abs=1e-4)
    return out


@pytest.mark.parametrize("size,scale,ratio", [((2, 3), 1.0, 2), (2, 0.5, -1), ((3, 2), 1.0, 0)])
def test_ps_roi_align(size, scale, ratio):
    h, w = (size, size) if isinstance(size, int) else size
    x = _PS_FEATS[:, :3 * h * w] if h * w < 6 else _PS_FEATS
    out = _check_value_and_adjoint(
        lambda t: ops.ps_roi_align(t, ember.from_numpy(_PS_ROIS), size, scale, ratio), x,
        lambda a: _ps_roi_align_reference(a, _PS_ROIS.astype(np.float64), h, w, scale, ratio))
    assert tuple(out.shape) == (len(_PS_ROIS), x.shape[1] // (h * w), h, w)
    assert out.dtype == ember.float32


@pytest.mark.parametrize("size,scale", [((2, 3), 1.0), (2, 0.5), ((3, 2), 0.7)])
def test_ps_roi_pool(size, scale):
    h, w = (size, size) if isinstance(size, int) else size
    x = _PS_FEATS[:, :3 * h * w] if h * w < 6 else _PS_FEATS
    out = _check_value_and_adjoint(
        lambda t: ops.ps_roi_pool(t, ember.from_numpy(_PS_ROIS), size, scale), x,
        lambda a: _ps_roi_pool_reference(a, _PS_ROIS.astype(np.float64), h, w, scale))
    assert tuple(out.shape) == (len(_PS_ROIS), x.shape[1] // (h * w), h, w)


def test_ps_modules_box_lists_and_errors():
    x = ember.from_numpy(_PS_FEATS)
    as_list = [ember.from_numpy(_PS_ROIS[_PS_ROIS[:, 0] == i, 1:]) for i in range(2)]
    order = np.argsort(_PS_ROIS[:, 0], kind="stable")
    np.testing.assert_allclose(ops.PSRoIAlign((2, 3), 1.0, 2)(x, as_list).numpy(),
                               ops.ps_roi_align(x, ember.from_numpy(_PS_ROIS[order]), (2, 3), 1.0,
                                                2).numpy())
    np.testing.assert_allclose(ops.PSRoIPool(2, 0.5)(x, as_list).numpy(),
                               ops.ps_roi_pool(x, ember.from_numpy(_PS_ROIS[order]), 2,
                                               0.5).numpy())
    assert repr(ops.PSRoIAlign(2, 0.5, -1)) == \
        "PSRoIAlign(output_size=2, spatial_scale=0.5, sampling_ratio=-1)"
    assert repr(ops.PSRoIPool((2, 3), 1.0)) == "PSRoIPool(output_size=(2, 3), spatial_scale=1.0)"
    assert tuple(ops.ps_roi_align(x, ember.zeros(0, 5), 2).shape) == (0, 3, 2, 2)
    assert tuple(ops.ps_roi_pool(x, ember.zeros(0, 5), (2, 3)).shape) == (0, 2, 2, 3)
    for fn in (ops.ps_roi_align, ops.ps_roi_pool):
        with pytest.raises(RuntimeError, match="input channels must be a multiple of pooling "
                                               "height \\* pooling width"):
            fn(x, ember.from_numpy(_PS_ROIS), 5)


def _fpn_levels(boxes, k_min, k_max, canonical_scale, canonical_level):
    """FPN eq. 1: floor(k0 + log2(sqrt(area) / s0)), clipped to the levels, from 0."""
    side = np.sqrt((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
    lvl = np.floor(canonical_level + np.log2(side / canonical_scale) + 1e-6)
    return np.clip(lvl, k_min, k_max).astype(int) - k_min


def test_multi_scale_roi_align():
    rng = np.random.default_rng(3)
    p2 = rng.standard_normal((2, 3, 16, 20)).astype(np.float32)
    p3 = rng.standard_normal((2, 3, 8, 10)).astype(np.float32)
    boxes = [np.array([[2.0, 3.0, 12.0, 11.0], [5.0, 4.0, 60.0, 50.0], [0.0, 0.0, 79.0, 63.0]],
                      np.float32),
             np.array([[10.0, 12.0, 40.0, 45.0], [30.0, 20.0, 38.0, 29.0]], np.float32)]
    rois = np.concatenate([np.concatenate([np.full((len(b), 1), i), b], 1)
                           for i, b in enumerate(boxes)])
    levels = _fpn_levels(rois[:, 1:], 2, 3, 32, 3)  # 1/4 and 1/8 of 64 rows: levels 2 and 3
    assert sorted(set(levels)) == [0, 1]
    feats, scales = [p2, p3], [0.25, 0.125]

    def reference(level_arrays):
        return np.concatenate([
            _roi_align_reference(level_arrays[lv], rois[k:k + 1], 3, 2, scales[lv], 2, False)
            for k, lv in enumerate(levels)])

    m = ops.MultiScaleRoIAlign(["p2", "p3"], (3, 2), 2, canonical_scale=32, canonical_level=3)
    xs = [ember.from_numpy(a.copy()).requires_grad_(True) for a in feats]
    inputs = OrderedDict([("p2", xs[0]), ("unused", ember.zeros(2, 3, 32, 40)), ("p3", xs[1])])
    out = m(inputs, [ember.from_numpy(b) for b in boxes], [(64, 80), (60, 72)])
    np.testing.assert_allclose(out.detach().numpy(), reference(feats), rtol=1e-5, atol=1e-6)
    assert m.scales == [0.25, 0.125]
    cot = rng.standard_normal(tuple(out.shape))
    (out * ember.from_numpy(cot.astype(np.float32))).sum().backward()
    d = [rng.standard_normal(a.shape) for a in feats]
    assert sum(float((x.grad.numpy() * e).sum()) for x, e in zip(xs, d)) == pytest.approx(
        float((cot * reference(d)).sum()), rel=1e-4)
    assert repr(m) == "MultiScaleRoIAlign(featmap_names=['p2', 'p3'], output_size=(3, 2), " \
        "sampling_ratio=2)"
    single = ops.MultiScaleRoIAlign(["p3"], 2, -1)(inputs, [ember.from_numpy(b) for b in boxes],
                                                   [(64, 80)])
    np.testing.assert_allclose(single.detach().numpy(),
                               _roi_align_reference(p3.astype(np.float64), rois, 2, 2, 0.125, -1,
                                                    False), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="images list should not be empty"):
        ops.MultiScaleRoIAlign(["p2"], 2, 2)(inputs, [ember.from_numpy(b) for b in boxes], [])
