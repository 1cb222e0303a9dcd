"""Upsampling layers: Upsample, UpsamplingNearest2d, UpsamplingBilinear2d (over F.interpolate)."""
from .._functional.upsampling import interpolate
from .module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]


class Upsample(Module):
    """Resize a batch of 1-D, 2-D or 3-D signals to ``size`` or by ``scale_factor``.

    A layer form of ``ember.nn.functional.interpolate``: the spatial dimensions (all after the
    first two) are resampled with ``mode``.  Give exactly one of ``size`` and ``scale_factor``.

    Args:
        size (int or tuple, optional): output spatial size.
        scale_factor (float or tuple, optional): multiplier of each spatial size.
        mode (str): ``'nearest'``, ``'nearest-exact'``, ``'linear'`` (3-D input), ``'bilinear'``,
          ``'bicubic'`` (4-D), ``'trilinear'`` (5-D) or ``'area'``. Default: ``'nearest'``.
        align_corners (bool, optional): for the interpolating modes, map the corner pixels' centres
          onto each other (``True``) or the corners of the corner pixels (``False``).
          Default: ``None`` (``False``).
        recompute_scale_factor (bool, optional): derive the scale used by the interpolation from the
          computed output size rather than use ``scale_factor``. Default: ``None``.

    Shape:
        - Input: ``(N, C, W_in)``, ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``.
        - Output: ``(N, C, W_out)``, ... with ``S_out = floor(S_in * scale_factor)`` or ``size``.

    Example:
        >>> ember.nn.Upsample(scale_factor=2)(ember.tensor([[[1., 2.]]]))
        tensor([[[1., 1., 2., 2.]]])
        >>> ember.nn.Upsample(scale_factor=2, mode="linear")(ember.tensor([[[1., 2.]]]))
        tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, (list, tuple)):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of images: ``Upsample(size, scale_factor, mode='nearest')``.

    Args:
        size (int or tuple, optional): output size ``(H_out, W_out)``.
        scale_factor (float or tuple, optional): multiplier of height and width.

    Shape:
        - Input: ``(N, C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` with ``H_out = floor(H_in * scale_factor)`` or ``size``.

    Example:
        >>> ember.nn.UpsamplingNearest2d(scale_factor=2)(ember.tensor([[[[1., 2.]]]]))
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of images with ``align_corners=True``.

    Same as ``Upsample(size, scale_factor, mode='bilinear', align_corners=True)``: the corner pixels
    of input and output line up exactly.

    Args:
        size (int or tuple, optional): output size ``(H_out, W_out)``.
        scale_factor (float or tuple, optional): multiplier of height and width.

    Shape:
        - Input: ``(N, C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` with ``H_out = floor(H_in * scale_factor)`` or ``size``.

    Example:
        >>> ember.nn.UpsamplingBilinear2d(size=(1, 3))(ember.tensor([[[[1., 2.]]]]))
        tensor([[[[1.0000, 1.5000, 2.0000]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
