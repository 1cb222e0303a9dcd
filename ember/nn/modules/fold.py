"""Fold / Unfold: sliding local blocks as columns (im2col) and back (col2im)."""
from ..._ops.conv.funcs import fold, unfold
from .module import Module

__all__ = ["Fold", "Unfold"]


class Fold(Module):
    """Sum columns of sliding blocks back into an image (col2im); see ``ember.nn.functional.fold``.

    Overlapping blocks add up; with non-overlapping blocks ``Fold`` exactly undoes ``Unfold``.

    Args:
        output_size (int or tuple): spatial size ``(H, W)`` of the image.
        kernel_size (int or tuple): block size.
        dilation (int or tuple): spacing between block taps. Default: ``1``.
        padding (int or tuple): implicit zero padding of the image. Default: ``0``.
        stride (int or tuple): step between blocks. Default: ``1``.

    Shape:
        - Input: ``(N, C * prod(kernel_size), L)`` or ``(C * prod(kernel_size), L)``.
        - Output: ``(N, C, H, W)`` or ``(C, H, W)``.

    Example:
        >>> fold = ember.nn.Fold(output_size=(4, 4), kernel_size=2, stride=2)
        >>> fold(ember.ones(1, 12, 4)).shape
        ember.Size([1, 3, 4, 4])
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                    self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")


class Unfold(Module):
    """Extract sliding blocks of an image as columns (im2col); see ``ember.nn.functional.unfold``.

    Args:
        kernel_size (int or tuple): block size.
        dilation (int or tuple): spacing between block taps. Default: ``1``.
        padding (int or tuple): zeros added on both sides of each spatial dimension. Default: ``0``.
        stride (int or tuple): step between blocks. Default: ``1``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C * prod(kernel_size), L)`` with ``L`` the number of blocks.

    Example:
        >>> unfold = ember.nn.Unfold(kernel_size=2, stride=2)
        >>> unfold(ember.ones(1, 3, 4, 4)).shape
        ember.Size([1, 12, 4])
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input):
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
