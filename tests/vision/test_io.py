"""ember.vision.io against Pillow's own decoding (torchvision's libpng gives the same PNG
pixels) and torchvision's layout: (C, H, W) uint8 tensors."""
import numpy as np
import pytest

import ember
from ember.vision import io

Image = pytest.importorskip("PIL.Image")


def _rgba():
    return np.random.default_rng(0).integers(0, 256, (6, 7, 4)).astype(np.uint8)


def test_png_round_trip_and_modes(tmp_path):
    pixels = _rgba()
    path = tmp_path / "a.png"
    Image.fromarray(pixels).save(path)
    img = io.read_image(str(path))
    assert img.dtype == ember.uint8 and tuple(img.shape) == (4, 6, 7)
    np.testing.assert_array_equal(img.numpy(), pixels.transpose(2, 0, 1))
    rgb = io.read_image(str(path), io.ImageReadMode.RGB)
    np.testing.assert_array_equal(rgb.numpy(), pixels[..., :3].transpose(2, 0, 1))
    gray = io.decode_image(io.read_file(str(path)), mode="GRAY")
    expected = np.asarray(Image.fromarray(pixels).convert("L"))
    np.testing.assert_array_equal(gray.numpy(), expected[None])
    assert io.ImageReadMode.RGBA is io.ImageReadMode.RGB_ALPHA
    out = tmp_path / "b.png"
    io.write_png(rgb, str(out))
    np.testing.assert_array_equal(np.asarray(Image.open(out)), pixels[..., :3])
    data = io.encode_png(gray[:1], compression_level=9)
    assert data.dtype == ember.uint8 and data.dim() == 1 and bytes(data.numpy()[:4]) == b"\x89PNG"
    np.testing.assert_array_equal(io.decode_png(data).numpy(), gray.numpy())


def test_jpeg_and_errors(tmp_path):
    pixels = _rgba()[..., :3]
    io.write_jpeg(ember.from_numpy(pixels.transpose(2, 0, 1).copy()), str(tmp_path / "c.jpg"),
                  quality=95)
    decoded = io.read_image(str(tmp_path / "c.jpg"))
    assert tuple(decoded.shape) == (3, 6, 7)
    np.testing.assert_array_equal(decoded.numpy(), np.asarray(Image.open(tmp_path / "c.jpg"))
                                  .transpose(2, 0, 1))
    with pytest.raises(RuntimeError, match="expects a \\(C, H, W\\) uint8 tensor"):
        io.encode_png(ember.zeros(3, 2, 2))
    with pytest.raises(ValueError, match="Compression level should be between 0 and 9"):
        io.encode_png(ember.zeros(3, 2, 2, dtype=ember.uint8), compression_level=10)
    with pytest.raises(RuntimeError, match="1-D uint8 tensor of encoded bytes"):
        io.decode_image(ember.zeros(2, 2, dtype=ember.uint8))
    io.write_file(str(tmp_path / "raw"), ember.tensor([1, 2, 3], dtype=ember.uint8))
    assert io.read_file(str(tmp_path / "raw")).tolist() == [1, 2, 3]
