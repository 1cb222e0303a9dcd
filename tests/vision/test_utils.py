"""ember.vision.utils: make_grid layout (derived by hand) and save_image."""
import numpy as np
import pytest

import ember
from ember.vision.utils import make_grid, save_image


def test_make_grid_layout_and_padding():
    images = ember.rand(5, 3, 2, 3)
    grid = make_grid(images, nrow=2, padding=1, pad_value=0.5).numpy()
    assert grid.shape == (3, 3 * (2 + 1) + 1, 2 * (3 + 1) + 1)
    expected = np.full(grid.shape, 0.5, np.float32)
    for k in range(5):
        y, x = (k // 2) * 3 + 1, (k % 2) * 4 + 1
        expected[:, y:y + 2, x:x + 3] = images.numpy()[k]
    np.testing.assert_array_equal(grid, expected)


def test_make_grid_single_image_gray_and_lists():
    img = ember.rand(1, 4, 5)
    single = make_grid(img)
    assert tuple(single.shape) == (3, 4, 5)  # no padding for one image; gray -> 3 channels
    assert all(np.array_equal(single.numpy()[c], img.numpy()[0]) for c in range(3))
    grid = make_grid([ember.rand(3, 4, 4) for _ in range(3)], padding=0)
    assert tuple(grid.shape) == (3, 4, 12)
    assert tuple(make_grid(ember.rand(2, 2)).shape) == (3, 2, 2)
    with pytest.raises(TypeError, match="tensor or list of tensors"):
        make_grid(np.zeros((3, 4, 4)))


def test_make_grid_normalize():
    images = ember.tensor([[[[-1.0, 1.0]]], [[[3.0, 0.0]]]])
    whole = make_grid(images, normalize=True, padding=0).numpy()[0]
    np.testing.assert_allclose(whole, [[0.0, 0.5, 1.0, 0.25]], atol=1e-5)
    each = make_grid(images, normalize=True, scale_each=True, padding=0).numpy()[0]
    np.testing.assert_allclose(each, [[0.0, 1.0, 1.0, 0.0]], atol=1e-5)
    clipped = make_grid(images, normalize=True, value_range=(0.0, 2.0), padding=0).numpy()[0]
    np.testing.assert_allclose(clipped, [[0.0, 0.5, 1.0, 0.0]], atol=1e-5)
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        make_grid(images, normalize=True, value_range=[0, 1])


def test_make_grid_is_differentiable():
    images = ember.rand(3, 3, 2, 2, requires_grad=True)
    make_grid(images, nrow=2).sum().backward()
    np.testing.assert_array_equal(images.grad.numpy(), np.ones((3, 3, 2, 2)))


def test_save_image_round_trip(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    images = ember.rand(4, 3, 5, 6)
    save_image(images, tmp_path / "grid.png", nrow=2)
    saved = np.asarray(Image.open(tmp_path / "grid.png"))
    grid = make_grid(images, nrow=2).numpy()
    expected = np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    np.testing.assert_array_equal(saved, expected)
