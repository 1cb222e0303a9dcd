"""Position-sensitive RoI Pool (Dai et al., R-FCN, 2016): average of quantized bins."""
import ember
from ember import nn
from ._utils import pair, position_channels, rois_array
from .roi_pool import bin_edges, round_half_away

__all__ = ["ps_roi_pool", "PSRoIPool"]


def ps_roi_pool(input, boxes, output_size, spatial_scale=1.0):
    """Mean of each bin of each region, where bin (i, j) of output channel c reads only input
    channel ``(c * h + i) * w + j``; region corners are rounded to whole pixels.

    Empty bins give 0. Differentiable in ``input``.

    Args:
        input (Tensor): ``(N, C, H, W)`` features.
        boxes (Tensor or list of Tensor): ``(K, 5)`` rows ``(batch index, x1, y1, x2, y2)``, or
            one ``(L_i, 4)`` tensor per image.
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates. Default: ``1.0``.

    Shape:
        - Input: ``(N, C, H, W)`` with C a multiple of ``h * w``.
        - Output: ``(K, C / (h * w), h, w)``.

    Example::

        >>> from ember.vision.ops import ps_roi_pool
        >>> feats = ember.arange(16.0).reshape(1, 4, 2, 2)
        >>> ps_roi_pool(feats, ember.tensor([[0.0, 0.0, 0.0, 2.0, 2.0]]), 2)
        tensor([[[[ 0.,  5.],
                  [10., 15.]]]])
    """
    out_h, out_w = pair(output_size)
    channels = position_channels(input, out_h, out_w)
    height, width = input.shape[-2], input.shape[-1]
    bins = out_h * out_w
    pieces = []
    for batch, x1, y1, x2, y2 in rois_array(boxes):
        sx, sy = round_half_away(x1 * spatial_scale), round_half_away(y1 * spatial_scale)
        ex, ey = round_half_away(x2 * spatial_scale), round_half_away(y2 * spatial_scale)
        hs, he = bin_edges(sy, max(ey - sy, 1), out_h, height)
        ws, we = bin_edges(sx, max(ex - sx, 1), out_w, width)
        image = input[int(batch)]
        zero = ember.zeros(channels, dtype=input.dtype)
        rows = [ember.stack([image[i * out_w + j::bins, hs[i]:he[i], ws[j]:we[j]].mean((1, 2))
                             if he[i] > hs[i] and we[j] > ws[j] else zero
                             for j in range(out_w)], -1) for i in range(out_h)]
        pieces.append(ember.stack(rows, -2))
    if not pieces:
        return ember.zeros(0, channels, out_h, out_w, dtype=input.dtype)
    return ember.stack(pieces)


class PSRoIPool(nn.Module):
    """``ps_roi_pool`` as a layer with fixed ``output_size`` and ``spatial_scale``; maps
    (N, C, H, W) features and K regions to (K, C / (h * w), h, w).

    Args:
        output_size (int or tuple): ``(h, w)``.
        spatial_scale (float): from box to feature coordinates.

    Example::

        >>> from ember.vision.ops import PSRoIPool
        >>> PSRoIPool(2, 1.0)(ember.randn(1, 8, 6, 6), [ember.tensor([[0., 0., 5., 5.]])]).shape
        ember.Size([1, 2, 2, 2])
    """

    def __init__(self, output_size, spatial_scale):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale

    def forward(self, input, rois):
        return ps_roi_pool(input, rois, self.output_size, self.spatial_scale)

    def __repr__(self):
        return (f"{type(self).__name__}(output_size={self.output_size}, "
                f"spatial_scale={self.spatial_scale})")
