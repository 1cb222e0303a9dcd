"""Position-sensitive RoI Align (Dai et al., R-FCN, 2016; with RoI Align's sampling)."""
import numpy as np

import ember
from ember import nn
from ._utils import pair, position_channels, rois_array, stack_rois
from .roi_align import align_regions

__all__ = ["ps_roi_align", "PSRoIAlign"]


def ps_roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1):
    """RoI Align where bin (i, j) of output channel c reads only input channel
    ``(c * h + i) * w + j``.

    Corners are shifted by half a pixel and regions are at least 0.1 pixel wide.
    Differentiable in ``input``.

    Args:
        input (Tensor): ``(N, C, H, W)`` features.
        boxes (Tensor or list of Tensor): ``(K, 5)`` rows ``(batch index, x1, y1, x2, y2)``, or
            one ``(L_i, 4)`` tensor per image.
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates. Default: ``1.0``.
        sampling_ratio (int): points per bin side; 0 or less: adaptive. Default: ``-1``.

    Shape:
        - Input: ``(N, C, H, W)`` with C a multiple of ``h * w``.
        - Output: ``(K, C / (h * w), h, w)``.

    Example::

        >>> from ember.vision.ops import ps_roi_align
        >>> feats = ember.arange(64.0).reshape(1, 4, 4, 4)
        >>> ps_roi_align(feats, [ember.tensor([[0.0, 0.0, 4.0, 4.0]])], 2, sampling_ratio=1)
        tensor([[[[ 2.5000, 20.5000],
                  [42.5000, 60.5000]]]])
    """
    out_h, out_w = pair(output_size)
    channels = position_channels(input, out_h, out_w)
    pieces = align_regions(input, rois_array(boxes), out_h, out_w, spatial_scale,
                           sampling_ratio, 0.5, 0.1)
    full = stack_rois(pieces, input, out_h, out_w)
    bins = out_h * out_w
    diagonal = ember.from_numpy(np.arange(bins) * (bins + 1))
    return full.reshape(len(full), channels, bins * bins)[:, :, diagonal] \
        .reshape(len(full), channels, out_h, out_w)


class PSRoIAlign(nn.Module):
    """``ps_roi_align`` as a layer with fixed ``output_size``, ``spatial_scale`` and
    ``sampling_ratio``; maps (N, C, H, W) features and K regions to (K, C / (h * w), h, w).

    Args:
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates.
        sampling_ratio (int): as in ``ps_roi_align``.

    Example::

        >>> from ember.vision.ops import PSRoIAlign
        >>> PSRoIAlign(2, 1.0, 2)(ember.randn(1, 8, 6, 6), [ember.tensor([[0., 0., 5., 5.]])]).shape
        ember.Size([1, 2, 2, 2])
    """

    def __init__(self, output_size, spatial_scale, sampling_ratio):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale
        self.sampling_ratio = sampling_ratio

    def forward(self, input, rois):
        return ps_roi_align(input, rois, self.output_size, self.spatial_scale,
                            self.sampling_ratio)

    def __repr__(self):
        return (f"{type(self).__name__}(output_size={self.output_size}, spatial_scale="
                f"{self.spatial_scale}, sampling_ratio={self.sampling_ratio})")
