"""ShuffleNet V2 (Ma et al., 2018) with torchvision's module names: ``conv1``, ``maxpool``,
``stage2``..``stage4`` (inverted residual units with ``branch1``/``branch2``), ``conv5``,
``fc``."""
from functools import partial

import ember
from ember import nn
from ._weights import model_builder, weights_enum

__all__ = ["ShuffleNetV2", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
           "shufflenet_v2_x2_0", "ShuffleNet_V2_X0_5_Weights", "ShuffleNet_V2_X1_0_Weights",
           "ShuffleNet_V2_X1_5_Weights", "ShuffleNet_V2_X2_0_Weights"]


def channel_shuffle(x, groups):
    """Interleave the channels of ``groups`` groups: (N, C, H, W) -> (N, C, H, W).

    Example::

        >>> from ember.vision.models.shufflenetv2 import channel_shuffle
        >>> channel_shuffle(ember.arange(4.0).reshape(1, 4, 1, 1), 2).flatten().tolist()
        [0.0, 2.0, 1.0, 3.0]
    """
    n, c, h, w = x.shape
    x = x.reshape(n, groups, c // groups, h, w).transpose(1, 2)
    return x.reshape(n, c, h, w)


def _depthwise(channels, stride):
    return nn.Conv2d(channels, channels, 3, stride, 1, bias=False, groups=channels)


class InvertedResidual(nn.Module):
    """A ShuffleNet V2 unit.  Stride 1: half the channels pass through, the other half go
    through ``branch2`` (1x1, depthwise 3x3, 1x1); stride > 1: both branches see the whole
    input and halve the size.  The halves are concatenated and channel-shuffled.

    Example::

        >>> from ember.vision.models.shufflenetv2 import InvertedResidual
        >>> InvertedResidual(24, 48, 2)(ember.randn(1, 24, 8, 8)).shape
        ember.Size([1, 48, 4, 4])
    """

    def __init__(self, inp, oup, stride):
        super().__init__()
        if not 1 <= stride <= 3:
            raise ValueError("illegal stride value")
        self.stride = stride
        branch_features = oup // 2
        if stride == 1 and inp != branch_features << 1:
            raise ValueError(f"Invalid combination of stride {stride}, inp {inp} and oup {oup} "
                             "values. If stride == 1 then inp should be equal to oup // 2 << 1.")
        if stride > 1:
            self.branch1 = nn.Sequential(
                _depthwise(inp, stride), nn.BatchNorm2d(inp),
                nn.Conv2d(inp, branch_features, 1, 1, 0, bias=False),
                nn.BatchNorm2d(branch_features), nn.ReLU(inplace=True))
        else:
            self.branch1 = nn.Sequential()
        self.branch2 = nn.Sequential(
            nn.Conv2d(inp if stride > 1 else branch_features, branch_features, 1, 1, 0,
                      bias=False),
            nn.BatchNorm2d(branch_features), nn.ReLU(inplace=True),
            _depthwise(branch_features, stride), nn.BatchNorm2d(branch_features),
            nn.Conv2d(branch_features, branch_features, 1, 1, 0, bias=False),
            nn.BatchNorm2d(branch_features), nn.ReLU(inplace=True))

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = ember.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = ember.cat((self.branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


class ShuffleNetV2(nn.Module):
    """ShuffleNet V2 with ``stages_repeats`` (3 ints) units per stage and
    ``stages_out_channels`` (5 ints: stem, 3 stages, conv5).  (N, 3, H, W) -> (N, num_classes).

    Args:
        stages_repeats (list of int): units in each of the 3 stages.
        stages_out_channels (list of int): 5 widths: stem, 3 stages, last convolution.
        num_classes (int): Default: ``1000``.
        inverted_residual (type): the unit class.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import ShuffleNetV2
        >>> ShuffleNetV2([1, 1, 1], [8, 16, 32, 64, 128], 10).eval()(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, stages_repeats, stages_out_channels, num_classes=1000,
                 inverted_residual=InvertedResidual):
        super().__init__()
        if len(stages_repeats) != 3:
            raise ValueError("expected stages_repeats as list of 3 positive ints")
        if len(stages_out_channels) != 5:
            raise ValueError("expected stages_out_channels as list of 5 positive ints")
        self._stage_out_channels = stages_out_channels
        channels = stages_out_channels[0]
        self.conv1 = nn.Sequential(nn.Conv2d(3, channels, 3, 2, 1, bias=False),
                                   nn.BatchNorm2d(channels), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        for i, (repeats, out) in enumerate(zip(stages_repeats, stages_out_channels[1:4]), 2):
            units = [inverted_residual(channels, out, 2)]
            units += [inverted_residual(out, out, 1) for _ in range(repeats - 1)]
            setattr(self, f"stage{i}", nn.Sequential(*units))
            channels = out
        out = stages_out_channels[-1]
        self.conv5 = nn.Sequential(nn.Conv2d(channels, out, 1, 1, 0, bias=False),
                                   nn.BatchNorm2d(out), nn.ReLU(inplace=True))
        self.fc = nn.Linear(out, num_classes)

    def forward(self, x):
        x = self.stage4(self.stage3(self.stage2(self.maxpool(self.conv1(x)))))
        return self.fc(self.conv5(x).mean([2, 3]))


ShuffleNet_V2_X0_5_Weights = weights_enum("ShuffleNet_V2_X0_5_Weights", __name__,
                                          "shufflenet_v2_x0_5", {
    "IMAGENET1K_V1": ("shufflenetv2_x0.5-f707e7126e.pth", 224, 256, "BILINEAR", 1366792, 1),
})
ShuffleNet_V2_X1_0_Weights = weights_enum("ShuffleNet_V2_X1_0_Weights", __name__,
                                          "shufflenet_v2_x1_0", {
    "IMAGENET1K_V1": ("shufflenetv2_x1-5666bf0f80.pth", 224, 256, "BILINEAR", 2278604, 1),
})
ShuffleNet_V2_X1_5_Weights = weights_enum("ShuffleNet_V2_X1_5_Weights", __name__,
                                          "shufflenet_v2_x1_5", {
    "IMAGENET1K_V1": ("shufflenetv2_x1_5-3c479a10.pth", 224, 232, "BILINEAR", 3503624, 1),
})
ShuffleNet_V2_X2_0_Weights = weights_enum("ShuffleNet_V2_X2_0_Weights", __name__,
                                          "shufflenet_v2_x2_0", {
    "IMAGENET1K_V1": ("shufflenetv2_x2_0-8be3c8ee.pth", 224, 232, "BILINEAR", 7393996, 1),
})

shufflenet_v2_x0_5 = model_builder("shufflenet_v2_x0_5", partial(
    ShuffleNetV2, [4, 8, 4], [24, 48, 96, 192, 1024]), ShuffleNet_V2_X0_5_Weights,
    "ShuffleNet V2 with 0.5x output channels.")
shufflenet_v2_x1_0 = model_builder("shufflenet_v2_x1_0", partial(
    ShuffleNetV2, [4, 8, 4], [24, 116, 232, 464, 1024]), ShuffleNet_V2_X1_0_Weights,
    "ShuffleNet V2 with 1.0x output channels.")
shufflenet_v2_x1_5 = model_builder("shufflenet_v2_x1_5", partial(
    ShuffleNetV2, [4, 8, 4], [24, 176, 352, 704, 1024]), ShuffleNet_V2_X1_5_Weights,
    "ShuffleNet V2 with 1.5x output channels.")
shufflenet_v2_x2_0 = model_builder("shufflenet_v2_x2_0", partial(
    ShuffleNetV2, [4, 8, 4], [24, 244, 488, 976, 2048]), ShuffleNet_V2_X2_0_Weights,
    "ShuffleNet V2 with 2.0x output channels.")
