"""torchvision.transforms.v2.functional for plain images: v1's functions plus ``to_image``,
``to_dtype`` and ``to_pure_tensor``."""
import numpy as np

import ember
from ..functional import *  # noqa: F401,F403
from ..functional import __all__ as _v1_all, convert_image_dtype, pil_to_tensor
from ..._pil import is_pil_image

__all__ = [*_v1_all, "to_image", "to_dtype", "to_pure_tensor"]


def to_image(inpt):
    """A (C, H, W) tensor from a PIL image (its own dtype, values unchanged), an (H, W[, C])
    array, or a tensor (returned as it is; (H, W) gets a channel dimension).

    Args:
        inpt (PIL image, numpy.ndarray or Tensor): the image.

    Example::

        >>> import numpy as np
        >>> from ember.vision.transforms.v2.functional import to_image
        >>> to_image(np.zeros((4, 5, 3), dtype=np.uint8)).shape
        ember.Size([3, 4, 5])
    """
    if is_pil_image(inpt):
        return pil_to_tensor(inpt)
    if isinstance(inpt, np.ndarray):
        arr = inpt[:, :, None] if inpt.ndim == 2 else inpt
        return ember.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))
    if isinstance(inpt, ember.Tensor):
        return inpt.unsqueeze(0) if inpt.dim() == 2 else inpt
    raise TypeError(f"Input can either be a pure Tensor, a numpy array, or a PIL image, but got "
                    f"{type(inpt)} instead.")


def to_dtype(inpt, dtype=ember.float32, scale=False):
    """``inpt`` as ``dtype``; with ``scale`` the values are mapped between the types' ranges
    (uint8 0..255 <-> float 0..1) as ``convert_image_dtype`` does.

    Args:
        inpt (Tensor): the image.
        dtype (ember.dtype): Default: ``ember.float32``.
        scale (bool): map value ranges too. Default: ``False``.

    Example::

        >>> from ember.vision.transforms.v2.functional import to_dtype
        >>> to_dtype(ember.tensor([[[255]]], dtype=ember.uint8), ember.float32, scale=True)
        tensor([[[1.]]])
    """
    if not scale:
        return inpt.to(dtype)
    return convert_image_dtype(inpt, dtype)


def to_pure_tensor(inpt):
    """Return the input as a plain tensor: unchanged in ember, which has no ``tv_tensors``
    subclasses to strip.

    Args:
        inpt (Tensor): the input.

    Example:
        >>> x = ember.ones(2)
        >>> ember.vision.transforms.v2.functional.to_pure_tensor(x) is x
        True
    """
    return inpt
