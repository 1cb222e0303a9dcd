"""torchvision.transforms.functional: the image operations behind the transforms.

Each function takes a PIL image (handled by Pillow), an ember tensor of shape
(..., C, H, W) (handled with ember ops, so autograd flows), or a NumPy array
of shape (H, W) or (H, W, C) (handled as a tensor and given back as an array
of the same layout and dtype), and returns the same kind of image.
"""
import enum
import numbers
from collections.abc import Sequence

import numpy as np

import ember
from ember._tensor import Tensor
from .._pil import is_pil_image, require_pillow
from . import _functional_pil as F_pil, _functional_tensor as F_t

__all__ = ["InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
           "to_tensor", "pil_to_tensor", "to_pil_image", "convert_image_dtype", "normalize",
           "resize", "crop", "center_crop", "resized_crop", "pad", "hflip", "vflip", "rotate",
           "rgb_to_grayscale", "to_grayscale", "adjust_brightness", "adjust_contrast",
           "adjust_saturation", "adjust_hue", "five_crop", "ten_crop"]


class InterpolationMode(enum.Enum):
    """How resizing and rotating compute new pixels.

    ``NEAREST``, ``NEAREST_EXACT``, ``BILINEAR``, ``BICUBIC``, ``BOX``, ``HAMMING``,
    ``LANCZOS`` (the last three for PIL images only).

    Example:
        >>> ember.vision.transforms.InterpolationMode.BILINEAR.value
        'bilinear'
    """
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


# Pillow's integer filter codes, which torchvision also accepts
_FROM_PIL_CODE = {0: InterpolationMode.NEAREST, 1: InterpolationMode.LANCZOS,
                  2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
                  4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING}


def interpolation_mode(value):
    """An InterpolationMode from a mode, its name ("bilinear") or a Pillow filter code."""
    if isinstance(value, InterpolationMode):
        return value
    if isinstance(value, numbers.Integral) and int(value) in _FROM_PIL_CODE:
        return _FROM_PIL_CODE[int(value)]
    if isinstance(value, str):
        try:
            return InterpolationMode(value.lower())
        except ValueError:
            pass
    raise TypeError(f"Argument interpolation should be an InterpolationMode, got {value!r}")


def _kind(img):
    if isinstance(img, Tensor):
        return "tensor"
    if is_pil_image(img):
        return "pil"
    if isinstance(img, np.ndarray):
        return "ndarray"
    raise TypeError(f"img should be a PIL Image, a NumPy array or a Tensor. Got {type(img)}")


def _array_as_chw(arr):
    if arr.ndim not in (2, 3):
        raise ValueError(f"A NumPy image should be (H, W) or (H, W, C), got shape {arr.shape}")
    return ember.from_numpy(np.ascontiguousarray(arr if arr.ndim == 2 else arr.transpose(2, 0, 1)))


def _chw_as_array(t, like):
    arr = t.detach().cpu().numpy()
    return arr if like.ndim == 2 else np.ascontiguousarray(np.moveaxis(arr, -3, -1))


def _apply(img, pil_fn, tensor_fn, *args, **kwargs):
    """Run the PIL or tensor version of an op on ``img``; arrays go through tensors."""
    kind = _kind(img)
    if kind == "pil":
        return pil_fn(img, *args, **kwargs)
    if kind == "tensor":
        return tensor_fn(img, *args, **kwargs)
    return _chw_as_array(tensor_fn(_array_as_chw(img), *args, **kwargs), img)


def get_dimensions(img):
    """The ``[channels, height, width]`` of an image.

    Args:
        img (PIL image or Tensor): the image, a tensor ``(*, C, H, W)``.

    Example:
        >>> ember.vision.transforms.functional.get_dimensions(ember.zeros(3, 4, 5))
        [3, 4, 5]
    """
    kind = _kind(img)
    if kind == "pil":
        return F_pil.get_dimensions(img)
    if kind == "tensor":
        return F_t.get_dimensions(img)
    return [1 if img.ndim == 2 else img.shape[2], img.shape[0], img.shape[1]]


def get_image_size(img):
    """The ``[width, height]`` of an image (width first, as PIL's ``size``).

    Args:
        img (PIL image or Tensor): the image.

    Example:
        >>> ember.vision.transforms.functional.get_image_size(ember.zeros(3, 4, 5))
        [5, 4]
    """
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img):
    """The number of channels of an image.

    Args:
        img (PIL image or Tensor): the image.

    Example:
        >>> ember.vision.transforms.functional.get_image_num_channels(ember.zeros(3, 4, 5))
        3
    """
    return get_dimensions(img)[0]


# -- conversions ----------------------------------------------------------------

# Pillow modes whose pixels are not uint8, and the NumPy type that holds them
_PIL_MODE_DTYPE = {"I": np.int32, "I;16": np.int16, "F": np.float32}


def _pil_as_chw_array(pic):
    arr = np.array(pic, dtype=_PIL_MODE_DTYPE.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        arr = arr * np.uint8(255)
    arr = arr.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


def to_tensor(pic):
    """Convert a PIL image or an ``(H, W)``/``(H, W, C)`` array to a ``(C, H, W)`` tensor.

    uint8 pixels become float32 in ``[0, 1]``; other dtypes keep their values.

    Args:
        pic (PIL image or numpy.ndarray): the picture.

    Example:
        >>> import numpy as np
        >>> ember.vision.transforms.functional.to_tensor(np.zeros((4, 5, 3), np.uint8)).shape
        ember.Size([3, 4, 5])
    """
    if is_pil_image(pic):
        arr = _pil_as_chw_array(pic)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
        arr = np.ascontiguousarray(arr)
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    img = ember.from_numpy(arr)
    if arr.dtype == np.uint8:
        return img.to(ember.get_default_dtype()).div(255)
    return img


def pil_to_tensor(pic):
    """Convert a PIL image to a ``(C, H, W)`` tensor of the image's own dtype, values unchanged.

    Args:
        pic (PIL image): the picture.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.pil_to_tensor(F.to_pil_image(ember.ones(1, 2, 2, dtype=ember.uint8))).dtype
        ember.uint8
    """
    if not is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    return ember.from_numpy(_pil_as_chw_array(pic))


# channels -> (modes allowed, default mode for uint8)
_MULTI_BAND_MODES = {2: (("LA",), "LA"), 3: (("RGB", "YCbCr", "HSV"), "RGB"),
                     4: (("RGBA", "CMYK", "RGBX"), "RGBA")}
_SINGLE_BAND_MODE = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16",
                     np.dtype(np.int32): "I", np.dtype(np.float32): "F"}


def _pil_mode(npimg, mode):
    channels = npimg.shape[2]
    if channels == 1:
        expected = _SINGLE_BAND_MODE.get(npimg.dtype)
        if expected is None:
            raise TypeError(f"Input type {npimg.dtype} is not supported")
        if mode is not None and mode != expected and not (mode in ("L", "1") and expected == "L"):
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {npimg.dtype}. "
                             f"Should be {expected}")
        return mode or expected
    allowed, default = _MULTI_BAND_MODES[channels]
    if mode is not None and mode not in allowed:
        raise ValueError(f"Only modes {list(allowed)} are supported for {channels}D inputs")
    if mode is None:
        if npimg.dtype != np.uint8:
            raise TypeError(f"Input type {npimg.dtype} is not supported")
        mode = default
    return mode


def to_pil_image(pic, mode=None):
    """Convert a ``(C, H, W)`` tensor or an ``(H, W[, C])`` array to a PIL image.

    Float values are scaled by 255 to bytes. Needs Pillow.

    Args:
        pic (Tensor or numpy.ndarray): the image.
        mode (str, optional): the PIL mode. Default: inferred from channels and dtype.

    Example:
        >>> ember.vision.transforms.functional.to_pil_image(ember.zeros(1, 2, 3)).mode
        'L'
    """
    Image = require_pillow("to_pil_image")
    if isinstance(pic, Tensor):
        if pic.dim() not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.dim()} dimensions.")
        if pic.dim() == 2:
            pic = pic.unsqueeze(0)
        if pic.shape[0] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[0]} channels.")
        if pic.is_floating_point() and mode != "F":
            pic = pic.mul(255).to(ember.uint8)
        npimg = np.moveaxis(pic.detach().cpu().numpy(), 0, -1)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        npimg = pic[:, :, None] if pic.ndim == 2 else pic
        if npimg.shape[2] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {npimg.shape[2]} channels.")
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    mode = _pil_mode(npimg, mode)
    if npimg.shape[2] == 1:
        npimg = npimg[:, :, 0]
        if mode == "I;16":
            npimg = npimg.astype("<i2")
    height, width = npimg.shape[:2]
    return Image.frombytes(mode, (width, height), np.ascontiguousarray(npimg).tobytes())


def convert_image_dtype(image, dtype=ember.float32):
    """Convert a tensor image to ``dtype``, rescaling values to the new type's range.

    Integer images span ``0 .. max`` of their type, float images ``[0, 1]``.

    Args:
        image (Tensor): the image.
        dtype (ember.dtype): the output dtype. Default: ``ember.float32``.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.convert_image_dtype(ember.tensor([0.0, 1.0]), ember.uint8)
        tensor([  0, 255], dtype=ember.uint8)
    """
    if not isinstance(image, Tensor):
        raise TypeError(f"Input img should be Tensor Image. Got {type(image)}")
    return F_t.convert_image_dtype(image, dtype)


def normalize(tensor, mean, std, inplace=False):
    """Normalize a float tensor image per channel: ``(tensor[c] - mean[c]) / std[c]``.

    Args:
        tensor (Tensor): the image, ``(*, C, H, W)``.
        mean (sequence of float): one mean per channel.
        std (sequence of float): one standard deviation per channel.
        inplace (bool): overwrite ``tensor``. Default: ``False``.

    Shape:
        - Input: ``(*, C, H, W)``.
        - Output: the same.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.normalize(ember.ones(1, 1, 2), [0.5], [0.25])
        tensor([[[2., 2.]]])
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    return F_t.normalize(tensor, mean, std, inplace)


# -- geometry ---------------------------------------------------------------------

def _size_pair(size, what="size"):
    """(height, width) from an int or a 1- or 2-sequence."""
    if isinstance(size, numbers.Integral):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) in (1, 2):
        return (int(size[0]), int(size[0])) if len(size) == 1 else (int(size[0]), int(size[1]))
    raise ValueError(f"Please provide only two dimensions (h, w) for {what}, got {size!r}")


def resized_output_size(height, width, size, max_size=None):
    """[height, width] after resizing: an int (or 1-sequence) sets the shorter side."""
    if isinstance(size, numbers.Integral) or (isinstance(size, Sequence) and len(size) == 1):
        requested = int(size if isinstance(size, numbers.Integral) else size[0])
        short, long = (width, height) if width <= height else (height, width)
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                                 f"requested size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        return [new_long, new_short] if width <= height else [new_short, new_long]
    if max_size is not None:
        raise ValueError("max_size should only be passed if size specifies the length of the "
                         "smaller edge, i.e. size should be an int or a sequence of length 1")
    return list(_size_pair(size))


def _check_size_arg(size):
    if not isinstance(size, (numbers.Integral, Sequence)) or isinstance(size, str):
        raise TypeError(f"Size should be int or sequence. Got {type(size)}")
    if isinstance(size, Sequence) and len(size) not in (1, 2):
        raise ValueError(f"If size is a sequence, it should have 1 or 2 values, got {len(size)}")


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize an image to ``size``.

    Tensors are antialiased when shrinking unless ``antialias=False``; Pillow always
    antialiases.

    Args:
        img (PIL image or Tensor): the image, a tensor ``(*, C, H, W)``.
        size (int or sequence of int): ``(h, w)``; an int sets the shorter side, keeping the
            aspect ratio.
        interpolation (InterpolationMode): Default: ``BILINEAR``.
        max_size (int, optional): the longer side's limit when ``size`` is an int.
        antialias (bool): Default: ``True``.

    Shape:
        - Input: ``(*, C, H, W)``.
        - Output: ``(*, C, h, w)``.

    Example:
        >>> ember.vision.transforms.functional.resize(ember.zeros(1, 4, 8), [2, 3]).shape
        ember.Size([1, 2, 3])
    """
    _check_size_arg(size)
    mode = interpolation_mode(interpolation).value
    _, h, w = get_dimensions(img)
    out = resized_output_size(h, w, size, max_size)
    if out == [h, w]:
        return img
    return _apply(img, F_pil.resize, F_t.resize, out, mode, antialias not in (False, None))


def crop(img, top, left, height, width):
    """Crop the ``(height, width)`` window whose top-left corner is ``(top, left)``.

    Parts of the window outside the image read as zeros.

    Args:
        img (PIL image or Tensor): the image.
        top, left (int): the window's corner.
        height, width (int): the window's size.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.crop(ember.arange(9).view(1, 3, 3), 1, 1, 2, 2)
        tensor([[[4, 5],
                 [7, 8]]])
    """
    return _apply(img, F_pil.crop, F_t.crop, int(top), int(left), int(height), int(width))


def center_crop(img, output_size):
    """Crop the central window of ``output_size``; a window larger than the image pads with zeros.

    Args:
        img (PIL image or Tensor): the image.
        output_size (int or sequence of int): ``(h, w)``, or an int for a square.

    Example:
        >>> ember.vision.transforms.functional.center_crop(ember.ones(1, 2, 2), 4)[0, 0]
        tensor([0., 0., 0., 0.])
    """
    th, tw = _size_pair(output_size, "output_size")
    _, h, w = get_dimensions(img)
    # extra rows/columns split as torchvision pads: the smaller half before the image
    top = -((th - h) // 2) if th > h else int(round((h - th) / 2.0))
    left = -((tw - w) // 2) if tw > w else int(round((w - tw) / 2.0))
    return crop(img, top, left, th, tw)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
    """Crop a window (as ``crop``) and resize it to ``size`` (as ``resize``).

    Args:
        img (PIL image or Tensor): the image.
        top, left, height, width (int): the window.
        size (int or sequence of int): the output size.
        interpolation (InterpolationMode): Default: ``BILINEAR``.
        antialias (bool): Default: ``True``.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.resized_crop(ember.ones(3, 8, 8), 0, 0, 4, 4, [2, 2]).shape
        ember.Size([3, 2, 2])
    """
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def parse_padding(padding):
    """(left, top, right, bottom) from an int or a 1-, 2- or 4-sequence."""
    if isinstance(padding, numbers.Integral):
        return (int(padding),) * 4
    if not isinstance(padding, Sequence) or isinstance(padding, str):
        raise TypeError(f"Got inappropriate padding arg: {padding!r}")
    if len(padding) == 1:
        return (int(padding[0]),) * 4
    if len(padding) == 2:
        return (int(padding[0]), int(padding[1])) * 2
    if len(padding) == 4:
        return tuple(int(p) for p in padding)
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                     f"{len(padding)} element tuple")


_PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad an image's borders.

    Args:
        img (PIL image or Tensor): the image.
        padding (int or sequence of int): all sides; ``(left/right, top/bottom)``; or
            ``(left, top, right, bottom)``.
        fill (number or tuple): the value of constant padding. Default: ``0``.
        padding_mode (str): ``"constant"``, ``"edge"``, ``"reflect"`` or ``"symmetric"``.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.pad(ember.tensor([[[1, 2]]]), [1, 0], padding_mode="edge")
        tensor([[[1, 1, 2, 2]]])
    """
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, "
                         f"got {padding_mode!r}")
    if not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError(f"Got inappropriate fill arg: {fill!r}")
    left, top, right, bottom = parse_padding(padding)
    if not is_pil_image(img) and not isinstance(fill, numbers.Number):
        if len(fill) != 1:
            raise TypeError("Tensor images are padded with one fill number, got "
                            f"{len(fill)} values")
        fill = fill[0]
    return _apply(img, F_pil.pad, F_t.pad, left, top, right, bottom, fill, padding_mode)


def hflip(img):
    """Mirror an image left-right.

    Args:
        img (PIL image or Tensor): the image, a tensor ``(*, C, H, W)``.

    Example:
        >>> ember.vision.transforms.functional.hflip(ember.tensor([[[1, 2, 3]]]))
        tensor([[[3, 2, 1]]])
    """
    return _apply(img, F_pil.hflip, F_t.hflip)


def vflip(img):
    """Mirror an image top-bottom.

    Args:
        img (PIL image or Tensor): the image, a tensor ``(*, C, H, W)``.

    Example:
        >>> ember.vision.transforms.functional.vflip(ember.tensor([[[1], [2]]])).flatten()
        tensor([2, 1])
    """
    return _apply(img, F_pil.vflip, F_t.vflip)


def rotate(img, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
           fill=None):
    """Rotate an image counter-clockwise by ``angle`` degrees.

    Args:
        img (PIL image or Tensor): the image.
        angle (float): degrees, counter-clockwise.
        interpolation (InterpolationMode): Default: ``NEAREST``.
        expand (bool): grow the output to hold the whole rotated image. Default: ``False``.
        center (sequence of int, optional): ``(x, y)`` of the centre. Default: the image centre.
        fill (number or sequence, optional): the value outside the image. Default: ``0``.

    Example:
        >>> ember.vision.transforms.functional.rotate(ember.tensor([[[1, 2], [3, 4]]]), 90)
        tensor([[[2, 4],
                 [1, 3]]])
    """
    if not isinstance(angle, numbers.Real):
        raise TypeError(f"Argument angle should be int or float, got {type(angle)}")
    if center is not None and (not isinstance(center, Sequence) or len(center) != 2):
        raise TypeError("Argument center should be a sequence of two numbers (x, y)")
    mode = interpolation_mode(interpolation).value
    return _apply(img, F_pil.rotate, F_t.rotate, float(angle), mode, expand,
                  None if center is None else tuple(center), fill)


# -- colour ---------------------------------------------------------------------

def rgb_to_grayscale(img, num_output_channels=1):
    """Convert an RGB image to greyscale by ITU-R 601-2 luma, ``L = 0.2989 R + 0.587 G + 0.114 B``.

    Args:
        img (PIL image or Tensor): the image, a tensor ``(*, 3, H, W)``.
        num_output_channels (int): 1, or 3 equal channels. Default: ``1``.

    Shape:
        - Input: ``(*, 3, H, W)``.
        - Output: ``(*, num_output_channels, H, W)``.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.rgb_to_grayscale(ember.tensor([0.0, 1.0, 0.0]).view(3, 1, 1)).flatten()
        tensor([0.5870])
    """
    return _apply(img, F_pil.rgb_to_grayscale, F_t.rgb_to_grayscale, num_output_channels)


def to_grayscale(img, num_output_channels=1):
    """Convert a PIL image to greyscale, as ``rgb_to_grayscale``.

    Args:
        img (PIL image): the image.
        num_output_channels (int): 1 (mode ``L``) or 3 (mode ``RGB``). Default: ``1``.

    Example:
        >>> F = ember.vision.transforms.functional
        >>> F.to_grayscale(F.to_pil_image(ember.zeros(3, 2, 2))).mode
        'L'
    """
    if not is_pil_image(img):
        raise TypeError(f"Input should be PIL Image. Got {type(img)}")
    return F_pil.rgb_to_grayscale(img, num_output_channels)


def _check_factor(factor, name):
    if factor < 0:
        raise ValueError(f"{name} ({factor}) is not non-negative.")


def adjust_brightness(img, brightness_factor):
    """Scale an image's intensities by ``brightness_factor``: 0 gives black, 1 the original.

    Args:
        img (PIL image or Tensor): the image.
        brightness_factor (float): a non-negative factor; results are clipped to the range.

    Example:
        >>> ember.vision.transforms.functional.adjust_brightness(ember.full((1, 1, 2), 0.25), 2.0)
        tensor([[[0.5000, 0.5000]]])
    """
    _check_factor(brightness_factor, "brightness_factor")
    return _apply(img, F_pil.adjust_brightness, F_t.adjust_brightness, brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Blend an image with its mean grey: 0 gives a solid grey image, 1 the original.

    Args:
        img (PIL image or Tensor): the image (1 or 3 channels).
        contrast_factor (float): a non-negative factor.

    Example:
        >>> img = ember.tensor([0.0, 1.0]).view(1, 1, 2)
        >>> ember.vision.transforms.functional.adjust_contrast(img, 0.0)
        tensor([[[0.5000, 0.5000]]])
    """
    _check_factor(contrast_factor, "contrast_factor")
    return _apply(img, F_pil.adjust_contrast, F_t.adjust_contrast, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Blend an RGB image with its greyscale version: 0 gives grey, 1 the original.

    Args:
        img (PIL image or Tensor): the image, 3 channels.
        saturation_factor (float): a non-negative factor.

    Example:
        >>> img = ember.tensor([0.0, 1.0, 0.0]).view(3, 1, 1)
        >>> ember.vision.transforms.functional.adjust_saturation(img, 0.0).flatten()
        tensor([0.5870, 0.5870, 0.5870])
    """
    _check_factor(saturation_factor, "saturation_factor")
    return _apply(img, F_pil.adjust_saturation, F_t.adjust_saturation, saturation_factor)


def adjust_hue(img, hue_factor):
    """Rotate an RGB image's hue by ``hue_factor`` turns of the colour wheel.

    Args:
        img (PIL image or Tensor): the image, 3 channels.
        hue_factor (float): in ``[-0.5, 0.5]``; 1/3 turns red into green.

    Example:
        >>> red = ember.tensor([1.0, 0.0, 0.0]).view(3, 1, 1)
        >>> ember.vision.transforms.functional.adjust_hue(red, 1 / 3).flatten()
        tensor([0., 1., 0.])
    """
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    return _apply(img, F_pil.adjust_hue, F_t.adjust_hue, hue_factor)


# -- multi-crops ----------------------------------------------------------------

def five_crop(img, size):
    """Crop the four corners and the centre: (top-left, top-right, bottom-left, bottom-right,
    centre).

    Args:
        img (PIL image or Tensor): the image.
        size (int or sequence of int): the crops' ``(h, w)``.

    Example:
        >>> crops = ember.vision.transforms.functional.five_crop(ember.arange(16).view(1, 4, 4), 2)
        >>> [c[0, 0, 0].item() for c in crops]
        [0, 2, 8, 10, 5]
    """
    crop_h, crop_w = _size_pair(size)
    _, h, w = get_dimensions(img)
    if crop_w > w or crop_h > h:
        raise ValueError(f"Requested crop size {(crop_h, crop_w)} is bigger than input size "
                         f"{(h, w)}")
    corners = [(0, 0), (0, w - crop_w), (h - crop_h, 0), (h - crop_h, w - crop_w)]
    return tuple(crop(img, t, l, crop_h, crop_w) for t, l in corners) + \
        (center_crop(img, (crop_h, crop_w)),)


def ten_crop(img, size, vertical_flip=False):
    """``five_crop`` of the image and of its horizontal (or, with ``vertical_flip``, vertical)
    mirror image: ten crops.

    Args:
        img (PIL image or Tensor): the image.
        size (int or sequence of int): the crops' ``(h, w)``.
        vertical_flip (bool): mirror top-bottom instead. Default: ``False``.

    Example:
        >>> len(ember.vision.transforms.functional.ten_crop(ember.zeros(1, 4, 4), 2))
        10
    """
    flipped = vflip(img) if vertical_flip else hflip(img)
    return five_crop(img, size) + five_crop(flipped, size)
