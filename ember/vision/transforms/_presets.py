"""ImageClassification: the evaluation preprocessing that goes with pretrained weights."""
from ember._tensor import Tensor
from ember import float32
from ember.nn import Module
from . import functional as F
from .functional import InterpolationMode, interpolation_mode


class ImageClassification(Module):
    """Resize the shorter side to ``resize_size``, centre-crop ``crop_size``, scale to
    [0, 1] floats and normalise with ``mean``/``std`` (ImageNet's by default)."""

    def __init__(self, *, crop_size, resize_size=256, mean=(0.485, 0.456, 0.406),
                 std=(0.229, 0.224, 0.225), interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
        super().__init__()
        self.crop_size, self.resize_size = [crop_size], [resize_size]
        self.mean, self.std = list(mean), list(std)
        self.interpolation, self.antialias = interpolation_mode(interpolation), antialias

    def forward(self, img):
        img = F.resize(img, self.resize_size, self.interpolation, antialias=self.antialias)
        img = F.center_crop(img, self.crop_size)
        if not isinstance(img, Tensor):
            img = F.pil_to_tensor(img) if not hasattr(img, "ndim") else F.to_tensor(img)
        img = F.convert_image_dtype(img, float32)
        return F.normalize(img, self.mean, self.std)

    def extra_repr(self):
        return (f"crop_size={self.crop_size}, resize_size={self.resize_size}, mean={self.mean}, "
                f"std={self.std}, interpolation={self.interpolation}")
