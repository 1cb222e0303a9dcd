"""transforms.v2 for plain images: ToImage/ToDtype against torchvision v2's documented
conversions computed with real torch, and the v1 transforms reachable from v2."""
import numpy as np
import pytest

import ember
from ember.vision import transforms
from ember.vision.transforms import v2
from tests.helpers import torch

Image = pytest.importorskip("PIL.Image")


def test_to_image_from_pil_array_and_tensor():
    pixels = np.random.default_rng(0).integers(0, 256, (5, 6, 3)).astype(np.uint8)
    from_pil = v2.ToImage()(Image.fromarray(pixels))
    from_array = v2.ToImage()(pixels)
    for img in (from_pil, from_array):
        assert img.dtype == ember.uint8 and tuple(img.shape) == (3, 5, 6)
        np.testing.assert_array_equal(img.numpy(), pixels.transpose(2, 0, 1))
    assert tuple(v2.functional.to_image(ember.zeros(5, 6)).shape) == (1, 5, 6)
    with pytest.raises(TypeError, match="pure Tensor, a numpy array, or a PIL image"):
        v2.ToImage()([1, 2])


def test_to_dtype_scaling_matches_torch():
    u8 = np.random.default_rng(1).integers(0, 256, (3, 4, 4)).astype(np.uint8)
    got = v2.ToDtype(ember.float32, scale=True)(ember.from_numpy(u8))
    want = torch.from_numpy(u8).to(torch.float32) / 255  # v2: uint8 -> float is x / 255
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    f = np.random.default_rng(2).random((3, 4, 4)).astype(np.float32)
    back = v2.functional.to_dtype(ember.from_numpy(f), ember.uint8, scale=True)
    # v2: float -> uint8 multiplies by 256 - 1e-3 and truncates
    np.testing.assert_array_equal(back.numpy(), (torch.from_numpy(f) * (256 - 1e-3))
                                  .to(torch.uint8).numpy())
    plain = v2.ToDtype(ember.float64)(ember.from_numpy(u8))
    assert plain.dtype == ember.float64 and float(plain.max()) == float(u8.max())
    with pytest.raises(NotImplementedError, match="tv_tensors"):
        v2.ToDtype({"image": ember.float32})


def test_v2_pipeline_uses_the_v1_transforms():
    assert v2.RandomResizedCrop is transforms.RandomResizedCrop and v2.Compose is transforms.Compose
    pipeline = v2.Compose([v2.ToImage(), v2.ToDtype(ember.float32, scale=True),
                           v2.CenterCrop(4), v2.Normalize([0.5] * 3, [0.5] * 3),
                           v2.ToPureTensor(), v2.Identity()])
    pixels = np.random.default_rng(3).integers(0, 256, (6, 8, 3)).astype(np.uint8)
    out = pipeline(pixels)
    expected = (pixels[1:5, 2:6].transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
