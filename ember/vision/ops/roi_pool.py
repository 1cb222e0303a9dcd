"""RoI Pool (Girshick, Fast R-CNN, 2015): max over quantized bins of each region."""
import math

import ember
from ember import nn
from ._utils import pair, rois_array, stack_rois

__all__ = ["roi_pool", "RoIPool"]


def round_half_away(v):
    """``v`` rounded to the nearest integer, halves away from zero (C's ``round``)."""
    return int(math.copysign(math.floor(abs(v) + 0.5), v))


def bin_edges(start, size, bins, limit):
    """Start and end pixel of each of ``bins`` bins splitting ``size`` pixels from ``start``,
    clipped to [0, ``limit``]."""
    step = size / bins
    lo = [min(max(math.floor(i * step) + start, 0), limit) for i in range(bins)]
    hi = [min(max(math.ceil((i + 1) * step) + start, 0), limit) for i in range(bins)]
    return lo, hi


def roi_pool(input, boxes, output_size, spatial_scale=1.0):
    """Max of each bin of each region, with region corners rounded to whole pixels.

    Empty bins give 0. Differentiable in ``input``.

    Args:
        input (Tensor): ``(N, C, H, W)`` features.
        boxes (Tensor or list of Tensor): ``(K, 5)`` rows ``(batch index, x1, y1, x2, y2)``, or
            one ``(L_i, 4)`` tensor per image.
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates. Default: ``1.0``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: ``(K, C, h, w)``.

    Example::

        >>> from ember.vision.ops import roi_pool
        >>> feats = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> roi_pool(feats, ember.tensor([[0.0, 0.0, 0.0, 3.0, 3.0]]), 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """
    out_h, out_w = pair(output_size)
    rois = rois_array(boxes)
    height, width = input.shape[-2], input.shape[-1]
    pieces = []
    for batch, x1, y1, x2, y2 in rois:
        sx, sy = round_half_away(x1 * spatial_scale), round_half_away(y1 * spatial_scale)
        ex, ey = round_half_away(x2 * spatial_scale), round_half_away(y2 * spatial_scale)
        hs, he = bin_edges(sy, max(ey - sy + 1, 1), out_h, height)
        ws, we = bin_edges(sx, max(ex - sx + 1, 1), out_w, width)
        image = input[int(batch)]
        zero = ember.zeros(input.shape[1], dtype=input.dtype)
        rows = [ember.stack([image[:, hs[i]:he[i], ws[j]:we[j]].amax((1, 2))
                             if he[i] > hs[i] and we[j] > ws[j] else zero
                             for j in range(out_w)], -1) for i in range(out_h)]
        pieces.append(ember.stack(rows, -2))
    return stack_rois(pieces, input, out_h, out_w)


class RoIPool(nn.Module):
    """``roi_pool`` as a layer with fixed ``output_size`` and ``spatial_scale``.

    Args:
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates.

    Example::

        >>> from ember.vision.ops import RoIPool
        >>> RoIPool(2, 1.0)(ember.randn(1, 3, 8, 8), [ember.tensor([[0., 0., 7., 7.]])]).shape
        ember.Size([1, 3, 2, 2])
    """

    def __init__(self, output_size, spatial_scale):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale

    def forward(self, input, rois):
        return roi_pool(input, rois, self.output_size, self.spatial_scale)

    def __repr__(self):
        return (f"{type(self).__name__}(output_size={self.output_size}, "
                f"spatial_scale={self.spatial_scale})")
