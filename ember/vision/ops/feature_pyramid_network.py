"""Feature Pyramid Network (Lin et al., 2017): top-down merging of multi-scale features."""
from collections import OrderedDict

from ember import nn
from ember.nn import functional as F
from .misc import Conv2dNormActivation

__all__ = ["FeaturePyramidNetwork", "ExtraFPNBlock", "LastLevelMaxPool", "LastLevelP6P7"]


class ExtraFPNBlock(nn.Module):
    """Base of the blocks that add levels after the pyramid: ``forward(results, inputs,
    names)`` returns the extended (results, names)."""

    def forward(self, results, x, names):
        raise NotImplementedError


class FeaturePyramidNetwork(nn.Module):
    """FPN over an ordered dict of feature maps, finest first, with ``in_channels_list``
    channels: each level gets a 1x1 lateral conv (``inner_blocks``) to ``out_channels``, is
    added to the nearest-upsampled coarser level, and goes through a 3x3 conv
    (``layer_blocks``).  Returns an ordered dict with the same names (plus those of
    ``extra_blocks``), every map with ``out_channels`` channels and its input's size.

    Args:
        in_channels_list (list of int): the channels of each input level, finest first.
        out_channels (int): the channels of every output map.
        extra_blocks (Module, optional): adds levels after the last (``LastLevelMaxPool``).
        norm_layer (callable, optional): a norm after each convolution.

    Shape:
        - Input: an ordered dict of ``(N, C_l, H_l, W_l)`` maps.
        - Output: an ordered dict of ``(N, out_channels, H_l, W_l)`` maps.

    Example::

        >>> from collections import OrderedDict
        >>> from ember.vision.ops import FeaturePyramidNetwork
        >>> fpn = FeaturePyramidNetwork([8, 16], 4)
        >>> out = fpn(OrderedDict(a=ember.randn(1, 8, 8, 8), b=ember.randn(1, 16, 4, 4)))
        >>> [tuple(v.shape) for v in out.values()]
        [(1, 4, 8, 8), (1, 4, 4, 4)]
    """

    _version = 2

    def __init__(self, in_channels_list, out_channels, extra_blocks=None, norm_layer=None):
        super().__init__()
        self.inner_blocks = nn.ModuleList()
        self.layer_blocks = nn.ModuleList()
        for in_channels in in_channels_list:
            if in_channels == 0:
                raise ValueError("in_channels=0 is currently not supported")
            self.inner_blocks.append(Conv2dNormActivation(
                in_channels, out_channels, kernel_size=1, padding=0, norm_layer=norm_layer,
                activation_layer=None))
            self.layer_blocks.append(Conv2dNormActivation(
                out_channels, out_channels, kernel_size=3, norm_layer=norm_layer,
                activation_layer=None))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_uniform_(m.weight, a=1)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
        if extra_blocks is not None and not isinstance(extra_blocks, ExtraFPNBlock):
            raise TypeError(f"extra_blocks should be of type ExtraFPNBlock not "
                            f"{type(extra_blocks)}")
        self.extra_blocks = extra_blocks

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        # before version 2 the blocks were bare convolutions: "inner_blocks.0.weight"
        if local_metadata.get("version", None) is None or local_metadata["version"] < 2:
            for block in ("inner_blocks", "layer_blocks"):
                for i in range(len(self.inner_blocks)):
                    for kind in ("weight", "bias"):
                        old = f"{prefix}{block}.{i}.{kind}"
                        if old in state_dict:
                            state_dict[f"{prefix}{block}.{i}.0.{kind}"] = state_dict.pop(old)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)

    def get_result_from_inner_blocks(self, x, idx):
        return self.inner_blocks[idx](x)

    def get_result_from_layer_blocks(self, x, idx):
        return self.layer_blocks[idx](x)

    def forward(self, x):
        names, feats = list(x.keys()), list(x.values())
        last_inner = self.inner_blocks[-1](feats[-1])
        results = [self.layer_blocks[-1](last_inner)]
        for idx in range(len(feats) - 2, -1, -1):
            lateral = self.inner_blocks[idx](feats[idx])
            last_inner = lateral + F.interpolate(last_inner, size=tuple(lateral.shape[-2:]),
                                                 mode="nearest")
            results.insert(0, self.layer_blocks[idx](last_inner))
        if self.extra_blocks is not None:
            results, names = self.extra_blocks(results, feats, names)
        return OrderedDict(zip(names, results))


class LastLevelMaxPool(ExtraFPNBlock):
    """Adds level "pool": the last result subsampled by 2 (1x1 max-pool, stride 2)."""

    def forward(self, x, y, names):
        return x + [F.max_pool2d(x[-1], kernel_size=1, stride=2, padding=0)], names + ["pool"]


class LastLevelP6P7(ExtraFPNBlock):
    """Adds RetinaNet's "p6" (3x3 stride-2 conv of P5, or of C5 when the channel counts
    differ) and "p7" (3x3 stride-2 conv of relu(p6))."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.p6 = nn.Conv2d(in_channels, out_channels, 3, 2, 1)
        self.p7 = nn.Conv2d(out_channels, out_channels, 3, 2, 1)
        for module in (self.p6, self.p7):
            nn.init.kaiming_uniform_(module.weight, a=1)
            nn.init.constant_(module.bias, 0)
        self.use_P5 = in_channels == out_channels

    def forward(self, p, c, names):
        p6 = self.p6(p[-1] if self.use_P5 else c[-1])
        p7 = self.p7(F.relu(p6))
        return p + [p6, p7], names + ["p6", "p7"]
