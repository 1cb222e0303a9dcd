"""ember.vision.transforms against torchvision's documented semantics.

torchvision cannot be installed beside torch 2.13, so expectations are derived
by hand, from Pillow itself (PIL paths) and from torch ops (tensor paths).
"""
import colorsys
import math
import subprocess
import sys

import numpy as np
import pytest

import ember
from ember.vision import transforms as T
from ember.vision.transforms import functional as F
from tests.helpers import torch

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def pil():
    return pytest.importorskip("PIL.Image")


def rgb_array(h=30, w=40, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def chw(arr):
    return ember.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def tt(t):
    return torch.from_numpy(np.array(t.detach().numpy()))


# -- conversions --------------------------------------------------------------------------

def test_to_tensor_scales_uint8_hwc_to_chw_floats():
    arr = np.array([[[0, 128, 255], [1, 2, 3]]], dtype=np.uint8)  # (1, 2, 3) HWC
    out = F.to_tensor(arr)
    assert out.dtype == ember.float32 and tuple(out.shape) == (3, 1, 2)
    np.testing.assert_allclose(out.numpy(), arr.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    gray = F.to_tensor(np.full((2, 3), 51, np.uint8))
    assert tuple(gray.shape) == (1, 2, 3) and np.allclose(gray.numpy(), 0.2)


def test_to_tensor_keeps_non_uint8_arrays_unscaled():
    arr = np.arange(12, dtype=np.float64).reshape(2, 2, 3)
    out = F.to_tensor(arr)
    assert out.dtype == ember.float64
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1))


def test_to_tensor_errors():
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        F.to_tensor(ember.zeros(3, 2, 2))
    with pytest.raises(ValueError, match="2/3 dimensional. Got 4"):
        F.to_tensor(np.zeros((1, 2, 2, 3), np.uint8))


def test_to_tensor_pil_modes():
    Image = pil()
    arr = rgb_array(4, 5)
    rgb = T.ToTensor()(Image.fromarray(arr))
    np.testing.assert_allclose(rgb.numpy(), arr.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    gray = T.ToTensor()(Image.fromarray(arr[:, :, 0]))
    assert tuple(gray.shape) == (1, 4, 5)
    binary = T.ToTensor()(Image.fromarray(arr[:, :, 0]).convert("1"))
    assert set(np.unique(binary.numpy())) <= {0.0, 1.0}
    ints = F.to_tensor(Image.fromarray(arr[:, :, 0].astype(np.int32) * 1000))
    assert ints.dtype == ember.int32 and int(ints.max()) == int(arr[:, :, 0].max()) * 1000


def test_pil_to_tensor_keeps_dtype_and_values():
    Image = pil()
    arr = rgb_array(3, 4)
    out = T.PILToTensor()(Image.fromarray(arr))
    assert out.dtype == ember.uint8
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1))
    with pytest.raises(TypeError, match="pic should be PIL Image"):
        F.pil_to_tensor(arr)


def test_to_pil_image_modes_and_scaling():
    pil()
    x = ember.tensor([[[0.0, 0.5], [0.999, 1.0]]] * 3)
    img = T.ToPILImage()(x)
    assert img.mode == "RGB" and img.size == (2, 2)
    np.testing.assert_array_equal(np.asarray(img)[:, :, 0], [[0, 127], [254, 255]])
    assert F.to_pil_image(x[:1]).mode == "L"
    assert F.to_pil_image(x[:1], mode="F").mode == "F"
    assert F.to_pil_image(np.zeros((2, 2, 4), np.uint8)).mode == "RGBA"
    assert F.to_pil_image(np.zeros((2, 2), np.int32)).mode == "I"
    back = F.pil_to_tensor(F.to_pil_image(chw(rgb_array(3, 3))))
    np.testing.assert_array_equal(back.numpy(), chw(rgb_array(3, 3)).numpy())
    with pytest.raises(ValueError, match="Only modes"):
        F.to_pil_image(x, mode="L")
    with pytest.raises(ValueError, match="> 4 channels"):
        F.to_pil_image(ember.zeros(5, 2, 2))
    with pytest.raises(ValueError, match=r"Incorrect mode \(RGB\)"):
        F.to_pil_image(np.zeros((2, 2), np.float32), mode="RGB")


@pytest.mark.parametrize("src,dst,expected", [
    (ember.uint8, ember.float32, lambda a: a / 255.0),
    (ember.float32, ember.uint8, lambda a: np.floor(a * (256 - 1e-3))),
    (ember.uint8, ember.int16, lambda a: a * 128),
    (ember.int16, ember.uint8, lambda a: np.floor(a / 128)),
])
def test_convert_image_dtype(src, dst, expected):
    rng = np.random.default_rng(0)
    arr = rng.random((2, 3, 3)) if src.is_floating_point else rng.integers(0, 256, (2, 3, 3))
    x = ember.tensor(arr, dtype=src)
    out = T.ConvertImageDtype(dst)(x)
    assert out.dtype == dst
    np.testing.assert_allclose(out.numpy().astype(np.float64), expected(x.numpy().astype(np.float64)),
                               rtol=1e-6, atol=1e-6)


def test_convert_image_dtype_unsafe_cast():
    with pytest.raises(RuntimeError, match="cannot be performed safely"):
        F.convert_image_dtype(ember.rand(3, 2, 2), ember.int32)


# -- normalize ---------------------------------------------------------------------------

def test_normalize_matches_manual_formula_and_has_gradients():
    x = ember.rand(2, 3, 4, 5, requires_grad=True)
    out = T.Normalize(IMAGENET_MEAN, IMAGENET_STD)(x)
    expected = (tt(x) - torch.tensor(IMAGENET_MEAN)[:, None, None]) / \
        torch.tensor(IMAGENET_STD)[:, None, None]
    np.testing.assert_allclose(out.detach().numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0, :, 0, 0], 1 / np.array(IMAGENET_STD), rtol=1e-6)


def test_normalize_inplace_and_errors():
    x = ember.ones(3, 2, 2)
    out = F.normalize(x, [0.5] * 3, [0.25] * 3, inplace=True)
    assert out is x and np.allclose(x.numpy(), 2.0)
    with pytest.raises(TypeError, match="Input tensor should be a float tensor"):
        F.normalize(ember.ones(3, 2, 2, dtype=ember.uint8), [0.0], [1.0])
    with pytest.raises(ValueError, match=r"tensor image of size \(..., C, H, W\)"):
        F.normalize(ember.ones(2, 2), [0.0], [1.0])
    with pytest.raises(ValueError, match="std evaluated to zero"):
        F.normalize(ember.ones(3, 2, 2), [0.0] * 3, [1.0, 0.0, 1.0])
    with pytest.raises(TypeError, match="Tensor Image"):
        F.normalize(np.ones((3, 2, 2)), [0.0], [1.0])


# -- resize -------------------------------------------------------------------------------

@pytest.mark.parametrize("hw,size,max_size,expected", [
    ((300, 400), 256, None, [256, 341]),
    ((400, 300), 256, None, [341, 256]),
    ((300, 400), [128], None, [128, 170]),
    ((300, 400), (50, 60), None, [50, 60]),
    ((100, 400), 64, 200, [50, 200]),
])
def test_resized_output_size(hw, size, max_size, expected):
    assert F.resized_output_size(*hw, size, max_size) == expected


def test_resize_size_errors():
    with pytest.raises(ValueError, match="max_size = 64 must be strictly greater"):
        F.resize(ember.rand(3, 10, 10), 64, max_size=64)
    with pytest.raises(ValueError, match="max_size should only be passed"):
        F.resize(ember.rand(3, 10, 10), (5, 5), max_size=64)
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        T.Resize(2.5)
    with pytest.raises(ValueError, match="1 or 2 values"):
        T.Resize((1, 2, 3))


@pytest.mark.parametrize("interpolation,resample", [
    (T.InterpolationMode.BILINEAR, 2), (T.InterpolationMode.NEAREST, 0),
    (T.InterpolationMode.BICUBIC, 3), (T.InterpolationMode.LANCZOS, 1)])
def test_resize_pil_is_pillows_resize(interpolation, resample):
    Image = pil()
    img = Image.fromarray(rgb_array(30, 40))
    out = T.Resize(24, interpolation=interpolation)(img)
    assert out.size == (32, 24)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(img.resize((32, 24), resample)))


@pytest.mark.parametrize("in_hw,out_hw", [((30, 40), (12, 17)), ((7, 9), (20, 13)),
                                          ((16, 16), (16, 5))])
@pytest.mark.parametrize("mode,antialias", [("bilinear", True), ("bilinear", False),
                                            ("bicubic", True), ("bicubic", False)])
def test_resize_tensor_matches_torch_interpolate(in_hw, out_hw, mode, antialias):
    x = ember.rand(2, 3, *in_hw)
    out = F.resize(x, list(out_hw), getattr(T.InterpolationMode, mode.upper()), antialias=antialias)
    expected = torch.nn.functional.interpolate(tt(x), size=out_hw, mode=mode, align_corners=False,
                                               antialias=antialias)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), atol=2e-5)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_resize_tensor_nearest_matches_torch(mode):
    x = ember.rand(3, 11, 7)
    out = F.resize(x, [5, 16], T.InterpolationMode(mode))
    expected = torch.nn.functional.interpolate(tt(x)[None], size=(5, 16), mode=mode)[0]
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_resize_uint8_tensor_rounds_float_result():
    arr = rgb_array(20, 24)
    out = T.Resize(10)(chw(arr))
    assert out.dtype == ember.uint8 and tuple(out.shape) == (3, 10, 12)
    ref = torch.nn.functional.interpolate(torch.from_numpy(arr.transpose(2, 0, 1)).float()[None],
                                          size=(10, 12), mode="bilinear", antialias=True)[0]
    assert np.abs(out.numpy().astype(int) - ref.round().numpy().astype(int)).max() <= 1


def test_resize_ndarray_keeps_layout_and_gradients_flow():
    out = F.resize(rgb_array(20, 24), [10, 12])
    assert isinstance(out, np.ndarray) and out.shape == (10, 12, 3) and out.dtype == np.uint8
    x = ember.rand(3, 8, 8, requires_grad=True)
    T.Resize(4)(x).sum().backward()
    # every input pixel contributes in total (4*4)/(8*8) of an output unit
    np.testing.assert_allclose(x.grad.numpy().sum(), 3 * 16, rtol=1e-5)


def test_resize_same_size_returns_input():
    x = ember.rand(3, 8, 6)
    assert T.Resize(6)(x) is x


# -- crops --------------------------------------------------------------------------------

@pytest.mark.parametrize("hw,size", [((7, 9), (4, 4)), ((10, 10), (3, 5)), ((6, 5), 6),
                                     ((3, 3), (6, 4))])
def test_center_crop_offsets(hw, size):
    h, w = hw
    th, tw = (size, size) if isinstance(size, int) else size
    img = ember.arange(1, h * w + 1, dtype=ember.float32).reshape(1, h, w)
    out = T.CenterCrop(size)(img).numpy()[0]
    # torchvision: pad (smaller half first) when the crop is larger, then crop at
    # round((h - th) / 2), round((w - tw) / 2)
    pad_t, pad_l = max(th - h, 0) // 2, max(tw - w, 0) // 2
    padded = np.pad(img.numpy()[0], ((pad_t, max(th - h, 0) - pad_t), (pad_l, max(tw - w, 0) - pad_l)))
    top = int(round((padded.shape[0] - th) / 2.0))
    left = int(round((padded.shape[1] - tw) / 2.0))
    np.testing.assert_array_equal(out, padded[top:top + th, left:left + tw])


def test_center_crop_pil_matches_tensor():
    Image = pil()
    arr = rgb_array(9, 12)
    for size in [(4, 5), (12, 14)]:
        from_pil = np.asarray(T.CenterCrop(size)(Image.fromarray(arr)))
        from_tensor = T.CenterCrop(size)(chw(arr)).numpy().transpose(1, 2, 0)
        np.testing.assert_array_equal(from_pil, from_tensor)


def test_crop_outside_reads_zeros():
    img = ember.ones(1, 3, 3)
    out = F.crop(img, -1, 2, 3, 3).numpy()[0]
    np.testing.assert_array_equal(out, [[0, 0, 0], [1, 0, 0], [1, 0, 0]])
    assert F.crop(img, 5, 5, 2, 2).numpy().sum() == 0


def test_random_crop_reproducible_and_in_image():
    img = ember.arange(100, dtype=ember.float32).reshape(1, 10, 10)
    ember.manual_seed(3)
    first = T.RandomCrop(4)(img)
    ember.manual_seed(3)
    top, left, h, w = T.RandomCrop.get_params(img, (4, 4))
    np.testing.assert_array_equal(first.numpy(), img.numpy()[:, top:top + 4, left:left + 4])
    ember.manual_seed(3)
    np.testing.assert_array_equal(T.RandomCrop(4)(img).numpy(), first.numpy())
    with pytest.raises(ValueError, match=r"Required crop size \(11, 11\) is larger"):
        T.RandomCrop(11)(img)


def test_random_crop_padding():
    img = ember.ones(1, 5, 6)
    assert tuple(T.RandomCrop(5, padding=2)(img).shape) == (1, 5, 5)
    out = T.RandomCrop((9, 10), padding=2)(img)  # crop covers the whole padded image
    assert out.numpy().sum() == 30 and tuple(out.shape) == (1, 9, 10)
    assert tuple(T.RandomCrop((8, 9), pad_if_needed=True)(img).shape) == (1, 8, 9)


def test_random_resized_crop():
    img = ember.rand(3, 40, 60)
    ember.manual_seed(0)
    for _ in range(20):
        top, left, h, w = T.RandomResizedCrop.get_params(img, (0.08, 1.0), (3 / 4, 4 / 3))
        assert 0 <= top <= 40 - h and 0 <= left <= 60 - w
        assert 0.08 * 2400 * 0.8 <= h * w <= 2400
    # impossible ratio: falls back to the largest centred crop within the ratio bounds
    assert T.RandomResizedCrop.get_params(img, (1.0, 1.0), (3.0, 4.0)) == (10, 0, 20, 60)
    assert tuple(T.RandomResizedCrop(16)(img).shape) == (3, 16, 16)
    assert tuple(T.RandomResizedCrop((8, 12))(rgb_array()).shape) == (8, 12, 3)


def test_random_resized_crop_fallback_is_centred():
    img = ember.rand(1, 10, 100)  # ratio 10 > 4/3 and no area fits: whole height, width 13
    assert T.RandomResizedCrop.get_params(img, (2.0, 3.0), (3 / 4, 4 / 3)) == (0, 43, 10, 13)


def test_five_and_ten_crop():
    img = ember.arange(36, dtype=ember.float32).reshape(1, 6, 6)
    crops = F.five_crop(img, 2)
    assert [float(c[0, 0, 0]) for c in crops] == [0.0, 4.0, 24.0, 28.0, 14.0]
    ten = T.TenCrop(2)(img)
    assert len(ten) == 10 and float(ten[5][0, 0, 0]) == 5.0


# -- flips, pad, rotate ---------------------------------------------------------------------

def test_flips_tensor_and_pil_agree():
    Image = pil()
    arr = rgb_array(5, 6)
    assert np.array_equal(T.RandomHorizontalFlip(p=1.0)(chw(arr)).numpy(),
                          arr[:, ::-1].transpose(2, 0, 1))
    assert np.array_equal(np.asarray(T.RandomVerticalFlip(p=1.0)(Image.fromarray(arr))), arr[::-1])
    assert T.RandomHorizontalFlip(p=0.0)(chw(arr)).numpy().tolist() == chw(arr).numpy().tolist()


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
@pytest.mark.parametrize("padding", [2, (1, 3), (1, 2, 3, 0)])
def test_pad_tensor_and_pil_match_numpy(mode, padding):
    arr = rgb_array(5, 6)
    left, top, right, bottom = F.parse_padding(padding)
    kw = {"constant_values": 7} if mode == "constant" else {}
    expected = np.pad(arr, ((top, bottom), (left, right), (0, 0)), mode=mode, **kw)
    out = T.Pad(padding, fill=7, padding_mode=mode)(chw(arr))
    np.testing.assert_array_equal(out.numpy().transpose(1, 2, 0), expected)
    Image = pytest.importorskip("PIL.Image")
    out_pil = T.Pad(padding, fill=7, padding_mode=mode)(Image.fromarray(arr))
    np.testing.assert_array_equal(np.asarray(out_pil), expected)


def test_pad_errors():
    with pytest.raises(ValueError, match="1, 2, or 4 element tuple"):
        F.pad(ember.ones(1, 2, 2), (1, 2, 3))
    with pytest.raises(ValueError, match="Padding mode should be"):
        F.pad(ember.ones(1, 2, 2), 1, padding_mode="wrap")


def test_rotate_90_is_counter_clockwise():
    img = ember.arange(12, dtype=ember.float32).reshape(1, 3, 4)
    square = ember.arange(16, dtype=ember.float32).reshape(1, 4, 4)
    np.testing.assert_array_equal(F.rotate(square, 90).numpy(), np.rot90(square.numpy(), 1, (1, 2)))
    expanded = F.rotate(img, 90, expand=True)
    np.testing.assert_array_equal(expanded.numpy(), np.rot90(img.numpy(), 1, (1, 2)))
    Image = pytest.importorskip("PIL.Image")
    arr = rgb_array(6, 6)
    np.testing.assert_array_equal(np.asarray(F.rotate(Image.fromarray(arr), 90)), np.rot90(arr))


@pytest.mark.parametrize("angle,center", [(37.0, None), (-47.0, (2.0, 3.0))])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_rotate_tensor_matches_torch_grid_sample(angle, center, mode):
    h, w = 9, 13
    x = ember.rand(2, h, w)
    out = F.rotate(x, angle, T.InterpolationMode(mode), center=center)
    # the same sampling built with torch: output pixel -> source point in normalised coords
    cx, cy = (w / 2, h / 2) if center is None else center
    rad = math.radians(angle)
    ys, xs = torch.meshgrid(torch.arange(h) + 0.5 - cy, torch.arange(w) + 0.5 - cx, indexing="ij")
    src_x = xs * math.cos(rad) - ys * math.sin(rad) + cx
    src_y = xs * math.sin(rad) + ys * math.cos(rad) + cy
    grid = torch.stack([src_x / w * 2 - 1, src_y / h * 2 - 1], dim=-1)[None].double()
    expected = torch.nn.functional.grid_sample(tt(x)[None].double(), grid, mode=mode,
                                               padding_mode="zeros", align_corners=False)[0]
    np.testing.assert_allclose(out.numpy(), expected.numpy(), atol=1e-5)


def test_random_rotation_fill_and_range():
    ember.manual_seed(0)
    angles = [T.RandomRotation.get_params([-10.0, 20.0]) for _ in range(50)]
    assert all(-10 <= a <= 20 for a in angles) and len(set(angles)) == 50
    out = T.RandomRotation((45, 45), fill=1.0)(ember.zeros(3, 8, 8))
    assert float(out[0, 0, 0]) == 1.0 and float(out[0, 4, 4]) == 0.0
    with pytest.raises(ValueError, match="must be positive"):
        T.RandomRotation(-3)


# -- colour ---------------------------------------------------------------------------------

def test_grayscale_tensor_formula_and_pil():
    arr = rgb_array(4, 5)
    x = chw(arr).float() / 255
    gray = T.Grayscale()(x).numpy()[0]
    np.testing.assert_allclose(gray, (0.2989 * arr[..., 0] + 0.587 * arr[..., 1] +
                                      0.114 * arr[..., 2]) / 255, rtol=1e-5)
    three = T.Grayscale(3)(x)
    assert tuple(three.shape) == (3, 4, 5) and np.array_equal(three.numpy()[1], three.numpy()[2])
    Image = pytest.importorskip("PIL.Image")
    img = Image.fromarray(arr)
    np.testing.assert_array_equal(np.asarray(T.Grayscale()(img)), np.asarray(img.convert("L")))
    assert T.RandomGrayscale(p=1.0)(img).mode == "RGB"


def test_adjust_colour_tensor_formulas():
    x = ember.rand(3, 4, 5, generator=ember.Generator().manual_seed(1))
    a = x.numpy()
    np.testing.assert_allclose(F.adjust_brightness(x, 1.5).numpy(), np.clip(a * 1.5, 0, 1), rtol=1e-6)
    gray = 0.2989 * a[0] + 0.587 * a[1] + 0.114 * a[2]
    np.testing.assert_allclose(F.adjust_saturation(x, 0.0).numpy(), np.broadcast_to(gray, a.shape),
                               rtol=1e-5)
    np.testing.assert_allclose(F.adjust_contrast(x, 0.3).numpy(),
                               np.clip(0.3 * a + 0.7 * gray.mean(), 0, 1), rtol=1e-5)
    shifted = F.adjust_hue(x, 0.25).numpy()
    for i, j in [(0, 0), (2, 3), (3, 4)]:
        hh, s, v = colorsys.rgb_to_hsv(*a[:, i, j])
        np.testing.assert_allclose(shifted[:, i, j], colorsys.hsv_to_rgb((hh + 0.25) % 1, s, v),
                                   atol=1e-5)
    with pytest.raises(ValueError, match=r"hue_factor \(0.7\) is not in \[-0.5, 0.5\]"):
        F.adjust_hue(x, 0.7)
    with pytest.raises(ValueError, match="brightness_factor"):
        F.adjust_brightness(x, -1)


def test_color_jitter_reproducible_on_tensors_and_pil():
    x = ember.rand(3, 6, 6)
    jitter = T.ColorJitter(0.4, 0.4, 0.4, 0.1)
    ember.manual_seed(5)
    first = jitter(x)
    ember.manual_seed(5)
    np.testing.assert_array_equal(jitter(x).numpy(), first.numpy())
    assert not np.allclose(first.numpy(), x.numpy())
    Image = pytest.importorskip("PIL.Image")
    assert jitter(Image.fromarray(rgb_array())).size == (40, 30)
    assert T.ColorJitter().brightness is None
    with pytest.raises(ValueError, match="hue values should be between"):
        T.ColorJitter(hue=(0.1, 0.9))


# -- composition ----------------------------------------------------------------------------

def test_compose_repr_and_seed_pipeline_on_pil():
    Image = pil()
    pipeline = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                          T.Normalize(mean=IMAGENET_MEAN, std=IMAGENET_STD)])
    assert repr(pipeline) == (
        "Compose(\n    Resize(size=256, interpolation=bilinear, max_size=None, antialias=True)\n"
        "    CenterCrop(size=(224, 224))\n    ToTensor()\n"
        f"    Normalize(mean={IMAGENET_MEAN}, std={IMAGENET_STD})\n)")
    img = Image.fromarray(rgb_array(300, 400))
    out = pipeline(img)
    resized = np.asarray(img.resize((341, 256), Image.BILINEAR), dtype=np.float32) / 255
    top, left = int(round((256 - 224) / 2)), int(round((341 - 224) / 2))
    crop = resized[top:top + 224, left:left + 224].transpose(2, 0, 1)
    expected = (crop - np.array(IMAGENET_MEAN)[:, None, None]) / np.array(IMAGENET_STD)[:, None, None]
    assert tuple(out.shape) == (3, 224, 224) and out.dtype == ember.float32
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-5)


def test_random_pipeline_is_reproducible_with_manual_seed():
    pipeline = T.Compose([T.RandomResizedCrop(8), T.RandomHorizontalFlip(), T.RandomRotation(20),
                          T.RandomApply([T.ColorJitter(0.5)], p=0.5)])
    x = ember.rand(3, 20, 20)
    ember.manual_seed(11)
    runs = [pipeline(x).numpy() for _ in range(3)]
    ember.manual_seed(11)
    again = [pipeline(x).numpy() for _ in range(3)]
    assert all(np.array_equal(a, b) for a, b in zip(runs, again))
    assert not np.array_equal(runs[0], runs[1])


def test_lambda_random_apply_choice_order():
    with pytest.raises(TypeError, match="should be callable"):
        T.Lambda(3)
    add1, times2 = T.Lambda(lambda v: v + 1), T.Lambda(lambda v: v * 2)
    assert T.RandomApply([add1, times2], p=1.0)(1) == 4
    assert T.RandomApply([add1], p=0.0)(1) == 1
    assert T.RandomChoice([add1, times2], p=[0.0, 1.0])(5) == 10
    ember.manual_seed(0)
    results = {T.RandomOrder([add1, times2])(1) for _ in range(30)}
    assert results == {3, 4}
    with pytest.raises(ValueError, match="Length of p"):
        T.RandomChoice([add1], p=[0.5, 0.5])


def test_transforms_are_modules_and_type_errors():
    assert isinstance(T.Resize(4), ember.nn.Module)
    net = ember.nn.Sequential(T.Resize(4), T.Normalize([0.5], [0.5]))
    assert tuple(net(ember.rand(1, 8, 8)).shape) == (1, 4, 4)
    with pytest.raises(TypeError, match="PIL Image, a NumPy array or a Tensor"):
        F.hflip([1, 2, 3])


def test_torchvision_alias_serves_ember_vision():
    code = ("import ember._alias as a; a.install(); import torchvision; "
            "from torchvision import transforms; import torchvision.models as m; "
            "import ember.vision; "
            "assert transforms is ember.vision.transforms and m is ember.vision.models; "
            "print(torchvision.models.resnet18().fc.in_features)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "512"
