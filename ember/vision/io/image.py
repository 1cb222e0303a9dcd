"""Image files as uint8 tensors through Pillow."""
import enum
import io

import numpy as np

import ember
from .._pil import require_pillow

__all__ = ["ImageReadMode", "decode_image", "decode_jpeg", "decode_png", "encode_jpeg",
           "encode_png", "read_file", "read_image", "write_file", "write_jpeg", "write_png"]


class ImageReadMode(enum.Enum):
    """The channel layout an image is decoded to.

    ``UNCHANGED`` (as stored), ``GRAY``, ``GRAY_ALPHA``, ``RGB``, ``RGB_ALPHA`` (alias
    ``RGBA``). Strings such as ``"RGB"`` are accepted wherever a mode is.

    Example:
        >>> ember.vision.io.ImageReadMode.RGBA is ember.vision.io.ImageReadMode.RGB_ALPHA
        True
    """

    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


_PIL_MODES = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA",
              ImageReadMode.RGB: "RGB", ImageReadMode.RGB_ALPHA: "RGBA"}


def _mode(mode):
    return ImageReadMode[mode.upper()] if isinstance(mode, str) else ImageReadMode(mode)


def read_file(path):
    """The bytes of the file at ``path`` as a 1-D uint8 tensor.

    Args:
        path (str): the file to read.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "hi.bin")
        >>> _ = open(path, "wb").write(b"hi")
        >>> ember.vision.io.read_file(path)
        tensor([104, 105], dtype=ember.uint8)
    """
    with open(path, "rb") as f:
        return ember.from_numpy(np.frombuffer(f.read(), dtype=np.uint8).copy())


def write_file(filename, data):
    """Write a 1-D uint8 tensor of bytes to ``filename``.

    Args:
        filename (str): the file to create or replace.
        data (Tensor): the bytes, a 1-D uint8 tensor.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "hi.bin")
        >>> ember.vision.io.write_file(path, ember.tensor([104, 105], dtype=ember.uint8))
        >>> open(path, "rb").read()
        b'hi'
    """
    with open(filename, "wb") as f:
        f.write(np.asarray(data.numpy(), dtype=np.uint8).tobytes())


def _bytes(input):
    if not isinstance(input, ember.Tensor) or input.dtype != ember.uint8 or input.dim() != 1:
        raise RuntimeError("Expected a 1-D uint8 tensor of encoded bytes, got "
                           f"{getattr(input, 'dtype', type(input))} of shape "
                           f"{tuple(getattr(input, 'shape', ()))}")
    return np.asarray(input.numpy()).tobytes()


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Decode an encoded image (PNG, JPEG, ... through Pillow) to a uint8 tensor.

    The channels are 1 (gray), 2 (gray and alpha), 3 (RGB) or 4 (RGBA), converted to
    ``mode``; 16-bit PNGs decode to uint16. Needs Pillow (the ``vision`` extra).

    Args:
        input (Tensor or str): the encoded bytes as a 1-D uint8 tensor, or a file path.
        mode (ImageReadMode or str): the channel layout. Default: ``UNCHANGED``.
        apply_exif_orientation (bool): rotate as the file's EXIF orientation says.
            Default: ``False``.

    Shape:
        - Input: ``(L,)`` bytes.
        - Output: ``(C, H, W)``.

    Example:
        >>> data = ember.vision.io.encode_png(ember.full((1, 2, 3), 200, dtype=ember.uint8))
        >>> image = ember.vision.io.decode_image(data, mode="RGB")
        >>> image.shape, image[:, 0, 0]
        (ember.Size([3, 2, 3]), tensor([200, 200, 200], dtype=ember.uint8))
    """
    Image = require_pillow("decode_image")
    if not isinstance(input, ember.Tensor):
        input = read_file(str(input))
    mode = _mode(mode)
    with Image.open(io.BytesIO(_bytes(input))) as img:
        if apply_exif_orientation:
            from PIL import ImageOps
            img = ImageOps.exif_transpose(img)
        if mode is not ImageReadMode.UNCHANGED:
            img = img.convert(_PIL_MODES[mode])
        elif img.mode == "P":
            img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        elif img.mode in ("1", "CMYK", "YCbCr"):
            img = img.convert("L" if img.mode == "1" else "RGB")
        array = np.asarray(img)
    if array.dtype == np.int32 or array.dtype.byteorder == ">" or array.dtype == np.uint16:
        array = array.astype(np.uint16)
    elif array.dtype != np.uint8:
        array = array.astype(np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    return ember.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Read an image file into a ``(C, H, W)`` uint8 tensor.

    The same as ``decode_image(read_file(path), mode)``.

    Args:
        path (str): the image file.
        mode (ImageReadMode or str): the channel layout. Default: ``UNCHANGED``.
        apply_exif_orientation (bool): rotate as the file's EXIF orientation says.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "a.png")
        >>> ember.vision.io.write_png(ember.zeros(3, 4, 5, dtype=ember.uint8), path)
        >>> ember.vision.io.read_image(path, mode=ember.vision.io.ImageReadMode.GRAY).shape
        ember.Size([1, 4, 5])
    """
    return decode_image(read_file(path), mode, apply_exif_orientation)


def decode_png(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """Decode PNG bytes to a ``(C, H, W)`` tensor; the same as ``decode_image``.

    Args:
        input (Tensor or str): PNG bytes as a 1-D uint8 tensor, or a file path.
        mode (ImageReadMode or str): the channel layout. Default: ``UNCHANGED``.
        apply_exif_orientation (bool): Default: ``False``.

    Example:
        >>> png = ember.vision.io.encode_png(ember.zeros(1, 2, 2, dtype=ember.uint8))
        >>> ember.vision.io.decode_png(png).shape
        ember.Size([1, 2, 2])
    """
    return decode_image(input, mode, apply_exif_orientation)


def decode_jpeg(input, mode=ImageReadMode.UNCHANGED, device="cpu",
                apply_exif_orientation=False):
    """Decode JPEG bytes (one tensor, or a list of them) to ``(C, H, W)`` uint8 tensors.

    Args:
        input (Tensor or list of Tensor): encoded bytes.
        mode (ImageReadMode or str): the channel layout. Default: ``UNCHANGED``.
        device (str): accepted for compatibility; decoding runs on the CPU.
        apply_exif_orientation (bool): rotate as the file's EXIF orientation says.

    Example:
        >>> jpeg = ember.vision.io.encode_jpeg(ember.zeros(3, 8, 8, dtype=ember.uint8))
        >>> [t.shape for t in ember.vision.io.decode_jpeg([jpeg, jpeg])]
        [ember.Size([3, 8, 8]), ember.Size([3, 8, 8])]
    """
    if isinstance(input, (list, tuple)):
        return [decode_image(x, mode, apply_exif_orientation) for x in input]
    return decode_image(input, mode, apply_exif_orientation)


def _to_pil(input, what):
    Image = require_pillow(what)
    if not isinstance(input, ember.Tensor) or input.dtype != ember.uint8 or input.dim() != 3:
        raise RuntimeError(f"{what} expects a (C, H, W) uint8 tensor, got "
                           f"{getattr(input, 'dtype', type(input))} of shape "
                           f"{tuple(getattr(input, 'shape', ()))}")
    if input.shape[0] not in (1, 3) + ((2, 4) if what == "encode_png" else ()):
        raise RuntimeError(f"{what}: the number of channels should be 1 or 3"
                           + (" (or 2, 4 with alpha)" if what == "encode_png" else "") +
                           f", got {input.shape[0]}")
    array = np.asarray(input.numpy()).transpose(1, 2, 0)
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else
                           np.ascontiguousarray(array))


def _encode(img, **kwargs):
    buffer = io.BytesIO()
    img.save(buffer, **kwargs)
    return ember.from_numpy(np.frombuffer(buffer.getvalue(), dtype=np.uint8).copy())


def encode_png(input, compression_level=6):
    """Encode a ``(C, H, W)`` uint8 image, C from 1 to 4, as PNG bytes (a 1-D uint8 tensor).

    Args:
        input (Tensor): the image.
        compression_level (int): 0 (none) to 9 (smallest). Default: ``6``.

    Example:
        >>> png = ember.vision.io.encode_png(ember.zeros(3, 4, 4, dtype=ember.uint8))
        >>> bytes(png[1:4].tolist())
        b'PNG'
    """
    if not 0 <= compression_level <= 9:
        raise ValueError("Compression level should be between 0 and 9")
    return _encode(_to_pil(input, "encode_png"), format="PNG", compress_level=compression_level)


def write_png(input, filename, compression_level=6):
    """Write a ``(C, H, W)`` uint8 image to ``filename`` as PNG.

    Args:
        input (Tensor): the image, C from 1 to 4.
        filename (str): the file to write.
        compression_level (int): 0 to 9. Default: ``6``.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "black.png")
        >>> ember.vision.io.write_png(ember.zeros(3, 4, 4, dtype=ember.uint8), path)
        >>> ember.vision.io.read_image(path).shape
        ember.Size([3, 4, 4])
    """
    write_file(filename, encode_png(input, compression_level))


def encode_jpeg(input, quality=75):
    """Encode a ``(C, H, W)`` uint8 image (C = 1 or 3), or a list of them, as JPEG bytes.

    Args:
        input (Tensor or list of Tensor): the image(s).
        quality (int): 1 (smallest) to 100 (best). Default: ``75``.

    Example:
        >>> jpeg = ember.vision.io.encode_jpeg(ember.zeros(1, 8, 8, dtype=ember.uint8))
        >>> jpeg[:2].tolist()  # the JPEG start-of-image marker
        [255, 216]
    """
    if not 1 <= quality <= 100:
        raise ValueError("Image quality should be a positive number between 1 and 100")
    if isinstance(input, (list, tuple)):
        return [encode_jpeg(x, quality) for x in input]
    return _encode(_to_pil(input, "encode_jpeg"), format="JPEG", quality=quality)


def write_jpeg(input, filename, quality=75):
    """Write a ``(C, H, W)`` uint8 image (C = 1 or 3) to ``filename`` as JPEG.

    Args:
        input (Tensor): the image.
        filename (str): the file to write.
        quality (int): 1 to 100. Default: ``75``.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "gray.jpg")
        >>> ember.vision.io.write_jpeg(ember.full((1, 8, 8), 128, dtype=ember.uint8), path)
        >>> ember.vision.io.read_image(path).shape
        ember.Size([1, 8, 8])
    """
    write_file(filename, encode_jpeg(input, quality))
