"""torchvision.transforms.v2 for plain images (tensors, PIL images, arrays).

The v1 transforms work unchanged here (they already take tensors and PIL images), plus
``ToImage``, ``ToDtype``, ``ToPureTensor``, ``Identity`` and ``functional``.  ember has no
``tv_tensors`` (bounding boxes, masks transformed jointly with an image): inputs other than
one image per call are not supported.
"""
from ember.nn import Module
from .. import transforms as _v1
from ..transforms import *  # noqa: F401,F403
from . import functional
from .functional import to_dtype, to_image

__all__ = [*_v1.__all__, "functional", "ToImage", "ToDtype", "ToPureTensor", "Identity"]


class ToImage(Module):
    """Convert a PIL image or an ``(H, W, C)`` array to a ``(C, H, W)`` tensor.

    ``functional.to_image`` as a transform: values and dtype are kept.

    Shape:
        - Input: ``(H, W, C)`` array or PIL image.
        - Output: ``(C, H, W)``.

    Example:
        >>> import numpy as np
        >>> ember.vision.transforms.v2.ToImage()(np.zeros((4, 5, 3), dtype=np.uint8)).shape
        ember.Size([3, 4, 5])
    """

    def forward(self, inpt):
        return to_image(inpt)


class ToDtype(Module):
    """Convert to ``dtype``; ``scale=True`` also maps value ranges (uint8 -> float in [0, 1]).
    A dict of dtypes per tv_tensor type is not supported (ember has no tv_tensors).

    Args:
        dtype (ember.dtype): the output dtype.
        scale (bool): map value ranges too. Default: ``False``.

    Example::

        >>> from ember.vision.transforms.v2 import ToDtype
        >>> ToDtype(ember.float32, scale=True)(ember.full((1, 1, 1), 255, dtype=ember.uint8))
        tensor([[[1.]]])
    """

    def __init__(self, dtype, scale=False):
        super().__init__()
        if isinstance(dtype, dict):
            raise NotImplementedError("ToDtype with a dict of dtypes needs tv_tensors, which "
                                      "ember does not provide; pass one dtype")
        self.dtype, self.scale = dtype, scale

    def forward(self, inpt):
        return to_dtype(inpt, self.dtype, self.scale)

    def extra_repr(self):
        return f"dtype={self.dtype}, scale={self.scale}"


class ToPureTensor(Module):
    """Return the input as a plain tensor: the identity in ember, which has no ``tv_tensors``
    wrappers to unwrap.

    Example:
        >>> x = ember.ones(2)
        >>> ember.vision.transforms.v2.ToPureTensor()(x) is x
        True
    """

    def forward(self, inpt):
        return inpt


class Identity(Module):
    """Return the input unchanged (a placeholder in a pipeline).

    Example:
        >>> ember.vision.transforms.v2.Identity()("anything")
        'anything'
    """

    def forward(self, inpt):
        return inpt
