"""Image operations on PIL images: each one hands the work to Pillow."""
import numpy as np

from .._pil import Image

# torchvision's interpolation names -> Pillow resampling filters
_RESAMPLE = {"nearest": 0, "nearest-exact": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3,
             "box": 4, "hamming": 5}


def resample_filter(interpolation, allowed=None):
    if interpolation not in _RESAMPLE or (allowed is not None and interpolation not in allowed):
        names = sorted(allowed or _RESAMPLE)
        raise ValueError(f"PIL images support interpolation {names}, got {interpolation}")
    return Image.Resampling(_RESAMPLE[interpolation])


def get_dimensions(img):
    width, height = img.size
    return [len(img.getbands()), height, width]


def fill_for(img, fill):
    """``fill`` in the form Pillow wants for ``img``'s mode (one value per band)."""
    if fill is None:
        fill = 0
    bands = len(img.getbands())
    if isinstance(fill, (int, float)):
        return fill if bands == 1 else tuple([fill] * bands)
    fill = tuple(fill)
    if len(fill) == 1:
        return fill[0] if bands == 1 else fill * bands
    if len(fill) != bands:
        raise ValueError(f"The number of elements in 'fill' does not match the number of bands of "
                         f"the image ({len(fill)} != {bands})")
    return fill if bands > 1 else fill[0]


def crop(img, top, left, height, width):
    return img.crop((left, top, left + width, top + height))


def resize(img, size, interpolation="bilinear", antialias=True):
    """Resize to (height, width); Pillow always antialiases, so ``antialias`` is unused."""
    height, width = size
    return img.resize((width, height), resample_filter(interpolation))


def pad(img, left, top, right, bottom, fill=0, padding_mode="constant"):
    if padding_mode == "constant" and min(left, top, right, bottom) >= 0:
        from PIL import ImageOps
        return ImageOps.expand(img, border=(left, top, right, bottom), fill=fill_for(img, fill))
    arr = np.asarray(img)
    h, w = arr.shape[:2]
    arr = arr[max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
    widths = [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    widths += [(0, 0)] * (arr.ndim - 2)
    if padding_mode == "constant":
        arr = np.pad(arr, widths, mode="constant", constant_values=fill or 0)
    else:
        arr = np.pad(arr, widths, mode=padding_mode)
    out = Image.fromarray(np.ascontiguousarray(arr))
    if img.mode == "P":
        out.putpalette(img.getpalette())
    return out


def hflip(img):
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img):
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def rotate(img, angle, interpolation="nearest", expand=False, center=None, fill=None):
    resample = resample_filter(interpolation, ("nearest", "bilinear", "bicubic"))
    return img.rotate(angle, resample, expand=expand, center=center, fillcolor=fill_for(img, fill))


def rgb_to_grayscale(img, num_output_channels=1):
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")
    gray = img.convert("L")
    return gray if num_output_channels == 1 else Image.merge("RGB", [gray] * 3)


def _enhance(kind):
    def adjust(img, factor):
        from PIL import ImageEnhance
        return getattr(ImageEnhance, kind)(img).enhance(factor)
    adjust.__name__ = f"adjust_{kind.lower()}"
    return adjust


adjust_brightness = _enhance("Brightness")
adjust_contrast = _enhance("Contrast")
adjust_saturation = _enhance("Color")


def adjust_hue(img, factor):
    """Shift the hue channel of Pillow's HSV (hue in 0..255, wrapping round)."""
    if img.mode in ("L", "1", "I", "F"):
        return img
    mode = img.mode
    h, s, v = img.convert("HSV").split()
    shift = int(np.int8(factor * 255)) % 256
    hue = ((np.asarray(h, dtype=np.uint16) + shift) % 256).astype(np.uint8)
    out = Image.merge("HSV", (Image.fromarray(hue), s, v))
    return out.convert(mode)
