"""RoI Align (He et al., Mask R-CNN, 2017): bilinear sampling of region features."""
import math

import numpy as np

import ember
from ember import nn
from ._utils import pair, rois_array, stack_rois

__all__ = ["roi_align", "RoIAlign"]


def _axis_samples(start, size, bins, grid, limit):
    """Sample coordinates along one axis for ``bins`` bins of ``grid`` points each, with the
    low/high pixel indices, the weight of the high pixel and a validity mask."""
    pos = start + np.arange(bins)[:, None] * (size / bins) + \
        (np.arange(grid)[None, :] + 0.5) * (size / bins) / grid
    pos = pos.ravel()
    valid = (pos >= -1.0) & (pos <= limit)
    pos = np.clip(pos, 0, None)
    low = np.floor(pos).astype(np.int64)
    at_edge = low >= limit - 1
    low = np.where(at_edge, limit - 1, low)
    high = np.where(at_edge, limit - 1, low + 1)
    frac = np.where(at_edge, 0.0, pos - low)
    return low, high, frac, valid


def align_regions(input, rois, out_h, out_w, spatial_scale, sampling_ratio, offset, min_size):
    """Per-region (C, out_h, out_w) averages of bilinear samples over every channel of
    ``input`` for the float64 (K, 5) ``rois``: corners are scaled, then shifted by ``-offset``;
    region sides are raised to ``min_size`` unless it is None."""
    height, width = input.shape[-2], input.shape[-1]
    pieces = []
    for batch, x1, y1, x2, y2 in rois:
        sx, sy = x1 * spatial_scale - offset, y1 * spatial_scale - offset
        roi_w, roi_h = x2 * spatial_scale - offset - sx, y2 * spatial_scale - offset - sy
        if min_size is not None:
            roi_w, roi_h = max(roi_w, min_size), max(roi_h, min_size)
        grid_h = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_h / out_h)
        grid_w = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_w / out_w)
        count = max(grid_h * grid_w, 1)
        if grid_h * grid_w == 0:
            pieces.append(ember.zeros(input.shape[1], out_h, out_w, dtype=input.dtype))
            continue
        ylo, yhi, fy, vy = _axis_samples(sy, roi_h, out_h, grid_h, height)
        xlo, xhi, fx, vx = _axis_samples(sx, roi_w, out_w, grid_w, width)
        valid = (vy[:, None] & vx[None, :]).astype(np.float64)
        flat = input[int(batch)].reshape(input.shape[1], height * width)
        total = 0
        for rows, wy in ((ylo, 1 - fy), (yhi, fy)):
            for cols, wx in ((xlo, 1 - fx), (xhi, fx)):
                index = (rows[:, None] * width + cols[None, :]).ravel()
                weight = (wy[:, None] * wx[None, :] * valid).ravel() / count
                total = total + flat[:, ember.from_numpy(index)] * \
                    ember.from_numpy(weight).to(input.dtype)
        total = total.reshape(input.shape[1], out_h, grid_h, out_w, grid_w)
        pieces.append(total.sum((2, 4)))
    return pieces


def roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    """Average of bilinearly interpolated samples in each bin of each region.

    Differentiable in ``input``.

    Args:
        input (Tensor): ``(N, C, H, W)`` features.
        boxes (Tensor or list of Tensor): ``(K, 5)`` rows ``(batch index, x1, y1, x2, y2)``, or
            one ``(L_i, 4)`` tensor per image.
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates. Default: ``1.0``.
        sampling_ratio (int): points per bin side; 0 or less: adaptive. Default: ``-1``.
        aligned (bool): shift by half a pixel so box corners fall on pixel corners.
            Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: ``(K, C, h, w)``.

    Example::

        >>> from ember.vision.ops import roi_align
        >>> feats = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> roi_align(feats, [ember.tensor([[0.0, 0.0, 3.0, 3.0]])], 1, aligned=True)
        tensor([[[[5.]]]])
    """
    out_h, out_w = pair(output_size)
    offset = 0.5 if aligned else 0.0
    pieces = align_regions(input, rois_array(boxes), out_h, out_w, spatial_scale,
                           sampling_ratio, offset, None if aligned else 1.0)
    return stack_rois(pieces, input, out_h, out_w)


class RoIAlign(nn.Module):
    """``roi_align`` as a layer with fixed ``output_size``, ``spatial_scale``,
    ``sampling_ratio`` and ``aligned``.

    Args:
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates.
        sampling_ratio (int): as in ``roi_align``.
        aligned (bool): as in ``roi_align``. Default: ``False``.

    Example::

        >>> from ember.vision.ops import RoIAlign
        >>> RoIAlign(2, 0.5, 2)(ember.randn(1, 3, 8, 8), [ember.tensor([[0., 0., 8., 8.]])]).shape
        ember.Size([1, 3, 2, 2])
    """

    def __init__(self, output_size, spatial_scale, sampling_ratio, aligned=False):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale
        self.sampling_ratio, self.aligned = sampling_ratio, aligned

    def forward(self, input, rois):
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio,
                         self.aligned)

    def __repr__(self):
        return (f"{type(self).__name__}(output_size={self.output_size}, spatial_scale="
                f"{self.spatial_scale}, sampling_ratio={self.sampling_ratio}, "
                f"aligned={self.aligned})")
