"""PixelShuffle / PixelUnshuffle: trade channels for spatial resolution and back."""
from ..._ops.conv.funcs import pixel_shuffle, pixel_unshuffle
from .module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle"]


class PixelShuffle(Module):
    """Rearrange ``(*, C * r * r, H, W)`` into ``(*, C, H * r, W * r)`` (sub-pixel upsampling).

    Args:
        upscale_factor (int): ``r``, the factor by which height and width grow.

    Shape:
        - Input: ``(*, C * r * r, H, W)``.
        - Output: ``(*, C, H * r, W * r)``.

    Example:
        >>> ember.nn.PixelShuffle(2)(ember.zeros(1, 8, 3, 3)).shape
        ember.Size([1, 2, 6, 6])
    """

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearrange ``(*, C, H * r, W * r)`` into ``(*, C * r * r, H, W)``, undoing ``PixelShuffle``.

    Args:
        downscale_factor (int): ``r``, the factor by which height and width shrink.

    Shape:
        - Input: ``(*, C, H * r, W * r)``.
        - Output: ``(*, C * r * r, H, W)``.

    Example:
        >>> ember.nn.PixelUnshuffle(2)(ember.zeros(1, 2, 6, 6)).shape
        ember.Size([1, 8, 3, 3])
    """

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
