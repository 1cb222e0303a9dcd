"""torchvision.transforms (v1): callable image transforms built on ``functional``.

Like torchvision's, the transforms with state or randomness are ``nn.Module``s
(so they fit in ``nn.Sequential``); Compose, ToTensor, PILToTensor, ToPILImage
and Lambda are plain callables.  Random choices come from ember's default
generator, so ``ember.manual_seed`` makes a pipeline reproducible.
"""
import math
import numbers
from collections.abc import Sequence

import ember
from ember.nn import Module
from ember.random import numpy_rng
from . import functional as F
from .functional import InterpolationMode, interpolation_mode

__all__ = ["Compose", "ToTensor", "PILToTensor", "ToPILImage", "ConvertImageDtype", "Normalize",
           "Resize", "CenterCrop", "Pad", "Lambda", "RandomApply", "RandomChoice", "RandomOrder",
           "RandomCrop", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomResizedCrop",
           "RandomRotation", "ColorJitter", "Grayscale", "RandomGrayscale", "FiveCrop", "TenCrop"]


def _rng():
    return numpy_rng(None)


def _uniform(low, high):
    return float(_rng().uniform(low, high))


def _randint(low, high):
    """An int in [low, high)."""
    return int(_rng().integers(low, high))


def _setup_size(size):
    """An (h, w) output size from an int, a 1-sequence or a 2-sequence."""
    if isinstance(size, numbers.Integral):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if not isinstance(size, Sequence) or len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    return tuple(size)


def _indented(items):
    return "".join(f"\n    {t}" for t in items)


class Compose:
    """Apply several transforms one after the other.

    Args:
        transforms (list of callable): the transforms, in order.

    Example:
        >>> T = ember.vision.transforms
        >>> t = T.Compose([T.CenterCrop(2), T.ConvertImageDtype(ember.float32)])
        >>> t(ember.full((3, 4, 4), 255, dtype=ember.uint8)).shape
        ember.Size([3, 2, 2])
    """

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        return f"{type(self).__name__}({_indented(self.transforms)}\n)"


class ToTensor:
    """Convert a PIL image or an ``(H, W, C)`` NumPy array to a ``(C, H, W)`` tensor.

    uint8 pixels become float32 in ``[0, 1]``; other dtypes keep their values.

    Shape:
        - Input: ``(H, W, C)`` array or PIL image.
        - Output: ``(C, H, W)``.

    Example:
        >>> import numpy as np
        >>> ember.vision.transforms.ToTensor()(np.full((2, 3, 1), 255, dtype=np.uint8))
        tensor([[[1., 1., 1.],
                 [1., 1., 1.]]])
    """

    def __call__(self, pic):
        return F.to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class PILToTensor:
    """Convert a PIL image to a ``(C, H, W)`` tensor of the same dtype, without rescaling.

    Example:
        >>> pixels = ember.full((1, 2, 2), 7, dtype=ember.uint8)
        >>> image = ember.vision.transforms.ToPILImage()(pixels)
        >>> ember.vision.transforms.PILToTensor()(image)
        tensor([[[7, 7],
                 [7, 7]]], dtype=ember.uint8)
    """

    def __call__(self, pic):
        return F.pil_to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ToPILImage:
    """Convert a ``(C, H, W)`` tensor or an ``(H, W, C)`` array to a PIL image.

    Float images are scaled from ``[0, 1]`` to bytes. Needs Pillow.

    Args:
        mode (str, optional): the PIL mode (``"L"``, ``"RGB"``, ...). Default: inferred from
            the channel count and dtype.

    Example:
        >>> image = ember.vision.transforms.ToPILImage()(ember.zeros(3, 4, 5))
        >>> image.mode, image.size
        ('RGB', (5, 4))
    """

    def __init__(self, mode=None):
        self.mode = mode

    def __call__(self, pic):
        return F.to_pil_image(pic, self.mode)

    def __repr__(self):
        mode = f"mode={self.mode}" if self.mode else ""
        return f"{type(self).__name__}({mode})"


class Lambda:
    """Wrap a function as a transform.

    Args:
        lambd (callable): called with the image; its result is the output.

    Example:
        >>> ember.vision.transforms.Lambda(lambda x: x * 2)(ember.ones(1))
        tensor([2.])
    """

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ConvertImageDtype(Module):
    """Convert a tensor image to ``dtype``, rescaling to the new type's value range.

    Integer images span ``0 .. max`` of their type, float images ``[0, 1]``.

    Args:
        dtype (ember.dtype): the output dtype.

    Example:
        >>> t = ember.vision.transforms.ConvertImageDtype(ember.float32)
        >>> t(ember.tensor([[[0, 255]]], dtype=ember.uint8))
        tensor([[[0., 1.]]])
    """

    def __init__(self, dtype):
        super().__init__()
        self.dtype = dtype

    def forward(self, image):
        return F.convert_image_dtype(image, self.dtype)


class Normalize(Module):
    """Normalize a float tensor image per channel: ``output[c] = (input[c] - mean[c]) / std[c]``.

    Args:
        mean (sequence of float): one mean per channel.
        std (sequence of float): one standard deviation per channel.
        inplace (bool): overwrite the input. Default: ``False``.

    Shape:
        - Input: ``(*, C, H, W)``.
        - Output: the same.

    Example:
        >>> t = ember.vision.transforms.Normalize([0.5, 0.0], [0.5, 2.0])
        >>> t(ember.ones(2, 1, 1)).flatten()
        tensor([1.0000, 0.5000])
    """

    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean, self.std, self.inplace = mean, std, inplace

    def forward(self, tensor):
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def extra_repr(self):
        return f"mean={self.mean}, std={self.std}"


class Resize(Module):
    """Resize an image to ``size``.

    Args:
        size (int or sequence of int): ``(h, w)``; an int sets the shorter side, keeping the
            aspect ratio.
        interpolation (InterpolationMode): Default: ``BILINEAR``.
        max_size (int, optional): the longer side's limit when ``size`` is an int.
        antialias (bool): smooth when shrinking. Default: ``True``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: ``(*, C, h, w)``.

    Example:
        >>> ember.vision.transforms.Resize(4)(ember.zeros(3, 8, 16)).shape
        ember.Size([3, 4, 8])
    """

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
                 antialias=True):
        super().__init__()
        F._check_size_arg(size)
        self.size, self.max_size, self.antialias = size, max_size, antialias
        self.interpolation = interpolation_mode(interpolation)

    def forward(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def extra_repr(self):
        return (f"size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias}")


class _SizedCrop(Module):
    """A crop transform whose only setting is its (h, w) ``size``."""

    def __init__(self, size):
        super().__init__()
        self.size = _setup_size(size)

    def extra_repr(self):
        return f"size={self.size}"


class CenterCrop(_SizedCrop):
    """Crop the central ``(h, w)`` window (padded with zeros where the image is smaller).

    Args:
        size (int or sequence of int): ``(h, w)``, or an int for a square.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: ``(*, C, h, w)``.

    Example:
        >>> ember.vision.transforms.CenterCrop(2)(ember.arange(16.0).view(1, 4, 4))
        tensor([[[ 5.,  6.],
                 [ 9., 10.]]])
    """

    def forward(self, img):
        return F.center_crop(img, self.size)


class Pad(Module):
    """Pad an image's borders.

    Args:
        padding (int or sequence of int): all sides; ``(left/right, top/bottom)``; or
            ``(left, top, right, bottom)``.
        fill (number or tuple): the value of ``constant`` padding. Default: ``0``.
        padding_mode (str): ``"constant"``, ``"edge"``, ``"reflect"`` or ``"symmetric"``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: ``(*, C, H + top + bottom, W + left + right)``.

    Example:
        >>> ember.vision.transforms.Pad((1, 2))(ember.ones(1, 2, 2)).shape
        ember.Size([1, 6, 4])
    """

    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        F.parse_padding(padding)
        if padding_mode not in F._PADDING_MODES:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def forward(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def extra_repr(self):
        return f"padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode}"


class RandomApply(Module):
    """Apply a list of transforms with probability ``p``, else return the input.

    Args:
        transforms (sequence of callable): applied in order.
        p (float): the probability. Default: ``0.5``.

    Example:
        >>> T = ember.vision.transforms
        >>> t = T.RandomApply([T.Lambda(lambda x: -x)], p=1.0)
        >>> t(ember.ones(2))
        tensor([-1., -1.])
    """

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms, self.p = transforms, p

    def forward(self, img):
        if self.p < _rng().random():
            return img
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        return f"{type(self).__name__}(\n    p={self.p}{_indented(self.transforms)}\n)"


class RandomChoice:
    """Apply one transform picked at random from a list.

    Args:
        transforms (sequence of callable): the candidates.
        p (sequence of float, optional): their probabilities. Default: uniform.

    Example:
        >>> T = ember.vision.transforms
        >>> T.RandomChoice([T.Lambda(lambda x: x + 1), T.Lambda(lambda x: x + 2)], p=[0.0, 1.0])(0)
        2
    """

    def __init__(self, transforms, p=None):
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence")
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != "
                             f"{len(transforms)}")
        self.transforms = transforms
        self.p = p if p is None else [w / sum(p) for w in p]

    def __call__(self, img):
        return self.transforms[int(_rng().choice(len(self.transforms), p=self.p))](img)

    def __repr__(self):
        return f"{type(self).__name__}({_indented(self.transforms)}\n    p={self.p}\n)"


class RandomOrder(Compose):
    """Apply a list of transforms, in a random order each call.

    Args:
        transforms (sequence of callable): the transforms.

    Example:
        >>> T = ember.vision.transforms
        >>> T.RandomOrder([T.Lambda(lambda x: x * 2), T.Lambda(lambda x: x * 3)])(1)
        6
    """

    def __call__(self, img):
        for i in _rng().permutation(len(self.transforms)):
            img = self.transforms[i](img)
        return img


class RandomCrop(Module):
    """Crop a random ``(h, w)`` window, after optional padding.

    Args:
        size (int or sequence of int): ``(h, w)``, or an int for a square.
        padding (int or sequence of int, optional): padding applied first, as ``Pad``.
        pad_if_needed (bool): pad an image smaller than ``size``. Default: ``False``.
        fill (number or tuple): the value of constant padding. Default: ``0``.
        padding_mode (str): as ``Pad``. Default: ``"constant"``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: ``(*, C, h, w)``.

    Example:
        >>> ember.vision.transforms.RandomCrop(3, padding=2)(ember.ones(3, 4, 4)).shape
        ember.Size([3, 3, 3])
    """

    @staticmethod
    def get_params(img, output_size):
        """(top, left, height, width) of a random crop of ``output_size``."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size "
                             f"{(h, w)}")
        if h == th and w == tw:
            return 0, 0, h, w
        return _randint(0, h - th + 1), _randint(0, w - tw + 1), th, tw

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        super().__init__()
        self.size = _setup_size(size)
        self.padding, self.pad_if_needed = padding, pad_if_needed
        self.fill, self.padding_mode = fill, padding_mode

    def forward(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    def extra_repr(self):
        return f"size={self.size}, padding={self.padding}"


class _RandomFlip(Module):
    flip = None

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, img):
        return type(self).flip(img) if _rng().random() < self.p else img

    def extra_repr(self):
        return f"p={self.p}"


class RandomHorizontalFlip(_RandomFlip):
    """Mirror an image left-right with probability ``p``.

    Args:
        p (float): the probability. Default: ``0.5``.

    Example:
        >>> ember.vision.transforms.RandomHorizontalFlip(p=1.0)(ember.tensor([[[1, 2, 3]]]))
        tensor([[[3, 2, 1]]])
    """
    flip = staticmethod(F.hflip)


class RandomVerticalFlip(_RandomFlip):
    """Mirror an image top-bottom with probability ``p``.

    Args:
        p (float): the probability. Default: ``0.5``.

    Example:
        >>> ember.vision.transforms.RandomVerticalFlip(p=1.0)(ember.tensor([[[1], [2]]]))
        tensor([[[2],
                 [1]]])
    """
    flip = staticmethod(F.vflip)


class RandomResizedCrop(Module):
    """Crop a window of random area and aspect ratio, then resize it to ``size`` (Inception-style).

    Args:
        size (int or sequence of int): the output ``(h, w)``.
        scale (tuple of float): the range of the crop's area, as a fraction of the image's.
            Default: ``(0.08, 1.0)``.
        ratio (tuple of float): the range of its aspect ratio (drawn log-uniformly).
            Default: ``(3/4, 4/3)``.
        interpolation (InterpolationMode): Default: ``BILINEAR``.
        antialias (bool): Default: ``True``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: ``(*, C, h, w)``.

    Example:
        >>> ember.vision.transforms.RandomResizedCrop(8)(ember.rand(3, 32, 32)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias=True):
        super().__init__()
        self.size = _setup_size(size)
        if not isinstance(scale, Sequence) or not isinstance(ratio, Sequence):
            raise TypeError("Scale and ratio should be sequences of two numbers")
        self.scale, self.ratio, self.antialias = scale, ratio, antialias
        self.interpolation = interpolation_mode(interpolation)

    @staticmethod
    def get_params(img, scale, ratio):
        """(top, left, height, width): up to 10 tries at a random area and log-uniform ratio,
        then the largest centred crop whose ratio is within ``ratio``."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * _uniform(scale[0], scale[1])
            aspect = math.exp(_uniform(*log_ratio))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return _randint(0, height - h + 1), _randint(0, width - w + 1), h, w
        in_ratio = width / height
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def forward(self, img):
        top, left, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, top, left, h, w, self.size, self.interpolation,
                              antialias=self.antialias)

    def extra_repr(self):
        scale = tuple(round(s, 4) for s in self.scale)
        ratio = tuple(round(r, 4) for r in self.ratio)
        return (f"size={self.size}, scale={scale}, ratio={ratio}, "
                f"interpolation={self.interpolation.value}, antialias={self.antialias}")


def _degrees_range(degrees):
    if isinstance(degrees, numbers.Number):
        if degrees < 0:
            raise ValueError("If degrees is a single number, it must be positive.")
        return [-float(degrees), float(degrees)]
    if not isinstance(degrees, Sequence) or len(degrees) != 2:
        raise ValueError("If degrees is a sequence, it must be of len 2.")
    return [float(d) for d in degrees]


class RandomRotation(Module):
    """Rotate an image by an angle drawn uniformly from ``degrees``.

    Args:
        degrees (number or sequence of number): ``(min, max)`` in degrees, or ``d`` for
            ``(-d, d)``.
        interpolation (InterpolationMode): Default: ``NEAREST``.
        expand (bool): grow the output to hold the whole rotated image. Default: ``False``.
        center (sequence of int, optional): the centre of rotation. Default: the image centre.
        fill (number or tuple): the value of the area outside the image. Default: ``0``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: the same shape unless ``expand``.

    Example:
        >>> ember.vision.transforms.RandomRotation((90, 90))(ember.tensor([[[1, 2], [3, 4]]]))
        tensor([[[2, 4],
                 [1, 3]]])
    """

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand=False,
                 center=None, fill=0):
        super().__init__()
        self.degrees = _degrees_range(degrees)
        self.interpolation = interpolation_mode(interpolation)
        self.expand, self.center, self.fill = expand, center, fill

    @staticmethod
    def get_params(degrees):
        return _uniform(degrees[0], degrees[1])

    def forward(self, img):
        fill = self.fill
        if isinstance(img, ember.Tensor) and fill is not None:
            channels = F.get_image_num_channels(img)
            fill = [float(fill)] * channels if isinstance(fill, numbers.Number) else \
                [float(f) for f in fill]
        return F.rotate(img, self.get_params(self.degrees), self.interpolation, self.expand,
                        self.center, fill)

    def extra_repr(self):
        return (f"degrees={self.degrees}, interpolation={self.interpolation.value}, "
                f"expand={self.expand}, fill={self.fill}")


def _jitter_range(value, name, center=1.0, bound=(0, float("inf")), clip_first_on_zero=True):
    """[low, high] to draw a factor from, or None when the factor is always ``center``."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative.")
        value = [center - float(value), center + float(value)]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, Sequence) and len(value) == 2:
        value = [float(value[0]), float(value[1])]
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}, but got {value}.")
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
    return None if value[0] == value[1] == center else value


class ColorJitter(Module):
    """Change brightness, contrast, saturation and hue by random factors, in a random order.

    Each argument ``v`` is a range ``[max(0, 1 - v), 1 + v]`` to draw the factor from, or an
    explicit ``(min, max)``; hue's is ``[-v, v]`` with ``v <= 0.5``. 0 leaves that property.

    Args:
        brightness, contrast, saturation (float or tuple of float): Default: ``0``.
        hue (float or tuple of float): Default: ``0``.

    Shape:
        - Input: a PIL image or ``(*, 3, H, W)`` (1 channel without saturation and hue).
        - Output: the same.

    Example:
        >>> jitter = ember.vision.transforms.ColorJitter(brightness=(2.0, 2.0))
        >>> jitter(ember.full((3, 1, 1), 0.25)).flatten()
        tensor([0.5000, 0.5000, 0.5000])
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self.brightness = _jitter_range(brightness, "brightness")
        self.contrast = _jitter_range(contrast, "contrast")
        self.saturation = _jitter_range(saturation, "saturation")
        self.hue = _jitter_range(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def get_params(brightness, contrast, saturation, hue):
        """(order, brightness, contrast, saturation, hue factors; None where unused)."""
        order = _rng().permutation(4).tolist()
        factors = [None if r is None else _uniform(r[0], r[1])
                   for r in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def forward(self, img):
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation,
                                          self.hue)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for i in order:
            if factors[i] is not None:
                img = adjust[i](img, factors[i])
        return img

    def extra_repr(self):
        return (f"brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue}")


class Grayscale(Module):
    """Convert an RGB image to greyscale, ``0.2989 R + 0.587 G + 0.114 B`` (for tensors).

    Args:
        num_output_channels (int): 1, or 3 equal channels. Default: ``1``.

    Shape:
        - Input: a PIL image or ``(*, 3, H, W)``.
        - Output: ``(*, num_output_channels, H, W)``.

    Example:
        >>> ember.vision.transforms.Grayscale()(ember.ones(3, 2, 2)).shape
        ember.Size([1, 2, 2])
    """

    def __init__(self, num_output_channels=1):
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img):
        return F.rgb_to_grayscale(img, self.num_output_channels)

    def extra_repr(self):
        return f"num_output_channels={self.num_output_channels}"


class RandomGrayscale(Module):
    """Convert an image to greyscale with probability ``p``, keeping its channel count.

    Args:
        p (float): the probability. Default: ``0.1``.

    Example:
        >>> image = ember.tensor([1.0, 0.0, 0.0]).view(3, 1, 1)
        >>> ember.vision.transforms.RandomGrayscale(p=1.0)(image).flatten()
        tensor([0.2989, 0.2989, 0.2989])
    """

    def __init__(self, p=0.1):
        super().__init__()
        self.p = p

    def forward(self, img):
        if _rng().random() < self.p:
            return F.rgb_to_grayscale(img, F.get_image_num_channels(img))
        return img

    def extra_repr(self):
        return f"p={self.p}"


class FiveCrop(_SizedCrop):
    """Crop the four corners and the centre, returned as a tuple of five images.

    Args:
        size (int or sequence of int): the crops' ``(h, w)``.

    Shape:
        - Input: a PIL image or ``(*, C, H, W)``.
        - Output: a tuple of five ``(*, C, h, w)``.

    Example:
        >>> crops = ember.vision.transforms.FiveCrop(2)(ember.arange(16.0).view(1, 4, 4))
        >>> [c[0, 0, 0].item() for c in crops]
        [0.0, 2.0, 8.0, 10.0, 5.0]
    """

    def forward(self, img):
        return F.five_crop(img, self.size)


class TenCrop(FiveCrop):
    """``FiveCrop`` of the image and of its mirror image: a tuple of ten crops.

    Args:
        size (int or sequence of int): the crops' ``(h, w)``.
        vertical_flip (bool): mirror top-bottom instead of left-right. Default: ``False``.

    Example:
        >>> len(ember.vision.transforms.TenCrop(2)(ember.zeros(3, 4, 4)))
        10
    """

    def __init__(self, size, vertical_flip=False):
        super().__init__(size)
        self.vertical_flip = vertical_flip

    def forward(self, img):
        return F.ten_crop(img, self.size, self.vertical_flip)

    def extra_repr(self):
        return f"size={self.size}, vertical_flip={self.vertical_flip}"
