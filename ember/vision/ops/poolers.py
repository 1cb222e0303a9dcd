"""Multi-scale RoI Align: each region pooled from the pyramid level its size selects
(Lin et al., Feature Pyramid Networks, 2017, eq. 1)."""
import math

import numpy as np

import ember
from ember import nn
from ._utils import pair, rois_array, stack_rois
from .roi_align import align_regions

__all__ = ["MultiScaleRoIAlign"]


def _scale_of(feature, image_size):
    """The power of two nearest to feature height / image height."""
    return 2.0 ** round(math.log2(feature.shape[-2] / image_size))


class MultiScaleRoIAlign(nn.Module):
    """RoI Align over several feature maps of a pyramid: a region of area ``A`` (in image
    pixels) is pooled from level ``floor(canonical_level + log2(sqrt(A) / canonical_scale))``,
    clipped to the levels present.  Each level's scale (a power of two) is inferred from its
    height against the largest image height on the first call and kept.

    Args:
        featmap_names (list of str): the keys of the feature dict to use, finest first.
        output_size (int or tuple): ``(h, w)`` of each pooled region.
        sampling_ratio (int): as in ``roi_align``.
        canonical_scale (int): Default: ``224``.
        canonical_level (int): Default: ``4``.

    Shape:
        - Input: a dict of ``(N, C, H_l, W_l)`` maps, a list of ``(L_i, 4)`` boxes, the images'
          ``(height, width)``.
        - Output: ``(sum L_i, C, h, w)``.

    Example::

        >>> from ember.vision.ops import MultiScaleRoIAlign
        >>> m = MultiScaleRoIAlign(["p2", "p3"], 3, 2)
        >>> feats = {"p2": ember.rand(1, 5, 64, 64), "p3": ember.rand(1, 5, 32, 32)}
        >>> m(feats, [ember.tensor([[0., 0., 40., 40.], [10., 10., 250., 200.]])], [(256, 256)]).shape
        ember.Size([2, 5, 3, 3])
    """

    def __init__(self, featmap_names, output_size, sampling_ratio, *, canonical_scale=224,
                 canonical_level=4):
        super().__init__()
        self.featmap_names = featmap_names
        self.sampling_ratio = sampling_ratio
        self.output_size = pair(output_size)
        self.scales = None
        self.map_levels = None
        self.canonical_scale, self.canonical_level = canonical_scale, canonical_level

    def _levels(self, rois):
        """Pyramid level (0 = the first map) of each (batch, x1, y1, x2, y2) row."""
        side = np.sqrt((rois[:, 3] - rois[:, 1]) * (rois[:, 4] - rois[:, 2]))
        k_min, k_max = self.map_levels
        level = np.floor(self.canonical_level + np.log2(side / self.canonical_scale) + 1e-6)
        return np.clip(level, k_min, k_max).astype(np.int64) - k_min

    def forward(self, x, boxes, image_shapes):
        features = [v for k, v in x.items() if k in self.featmap_names]
        if self.scales is None:
            if not image_shapes:
                raise ValueError("images list should not be empty")
            height = max(shape[0] for shape in image_shapes)
            self.scales = [_scale_of(f, height) for f in features]
            self.map_levels = (int(-math.log2(self.scales[0])), int(-math.log2(self.scales[-1])))
        rois = rois_array(boxes)
        out_h, out_w = self.output_size
        levels = self._levels(rois) if len(features) > 1 else np.zeros(len(rois), np.int64)
        pieces = [None] * len(rois)
        for level, (feature, scale) in enumerate(zip(features, self.scales)):
            chosen = np.flatnonzero(levels == level)
            found = align_regions(feature, rois[chosen], out_h, out_w, scale,
                                  self.sampling_ratio, 0.0, 1.0)
            for i, piece in zip(chosen, found):
                pieces[i] = piece
        return stack_rois(pieces, features[0], out_h, out_w)

    def __repr__(self):
        return (f"{type(self).__name__}(featmap_names={self.featmap_names}, "
                f"output_size={self.output_size}, sampling_ratio={self.sampling_ratio})")
