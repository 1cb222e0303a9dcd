"""RegNetX and RegNetY (Radosavovic et al., 2020) with torchvision's module names: ``stem``,
``trunk_output`` (stages ``block1``.. of blocks ``block1-0``.. with ``proj``, ``f.a``/``f.b``/
``f.se``/``f.c``), ``avgpool`` and ``fc``."""
import math
from collections import OrderedDict
from functools import partial

import numpy as np

from ember import nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ._utils import make_divisible
from ._weights import model_builder, weights_enum

__all__ = ["RegNet", "BlockParams", "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf",
           "regnet_y_3_2gf", "regnet_y_8gf", "regnet_y_16gf", "regnet_y_32gf", "regnet_y_128gf",
           "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf", "regnet_x_8gf",
           "regnet_x_16gf", "regnet_x_32gf", "RegNet_Y_400MF_Weights", "RegNet_Y_800MF_Weights",
           "RegNet_Y_1_6GF_Weights", "RegNet_Y_3_2GF_Weights", "RegNet_Y_8GF_Weights",
           "RegNet_Y_16GF_Weights", "RegNet_Y_32GF_Weights", "RegNet_Y_128GF_Weights",
           "RegNet_X_400MF_Weights", "RegNet_X_800MF_Weights", "RegNet_X_1_6GF_Weights",
           "RegNet_X_3_2GF_Weights", "RegNet_X_8GF_Weights", "RegNet_X_16GF_Weights",
           "RegNet_X_32GF_Weights"]


class SimpleStemIN(Conv2dNormActivation):
    """The stem: 3x3 stride-2 convolution, norm, activation."""

    def __init__(self, width_in, width_out, norm_layer, activation_layer):
        super().__init__(width_in, width_out, kernel_size=3, stride=2, norm_layer=norm_layer,
                         activation_layer=activation_layer)


class BottleneckTransform(nn.Sequential):
    """``a`` (1x1), ``b`` (grouped 3x3, strided), optional ``se``, ``c`` (1x1, no activation)."""

    def __init__(self, width_in, width_out, stride, norm_layer, activation_layer, group_width,
                 bottleneck_multiplier, se_ratio):
        w_b = int(round(width_out * bottleneck_multiplier))
        layers = OrderedDict()
        layers["a"] = Conv2dNormActivation(width_in, w_b, kernel_size=1, norm_layer=norm_layer,
                                           activation_layer=activation_layer)
        layers["b"] = Conv2dNormActivation(w_b, w_b, kernel_size=3, stride=stride,
                                           groups=w_b // group_width, norm_layer=norm_layer,
                                           activation_layer=activation_layer)
        if se_ratio:
            layers["se"] = SqueezeExcitation(w_b, int(round(se_ratio * width_in)),
                                             activation=activation_layer)
        layers["c"] = Conv2dNormActivation(w_b, width_out, kernel_size=1, norm_layer=norm_layer,
                                           activation_layer=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    """``activation(proj(x) + f(x))``; ``proj`` (1x1 conv + norm) only when the shape changes."""

    def __init__(self, width_in, width_out, stride, norm_layer, activation_layer, group_width=1,
                 bottleneck_multiplier=1.0, se_ratio=None):
        super().__init__()
        self.proj = None
        if width_in != width_out or stride != 1:
            self.proj = Conv2dNormActivation(width_in, width_out, kernel_size=1, stride=stride,
                                             norm_layer=norm_layer, activation_layer=None)
        self.f = BottleneckTransform(width_in, width_out, stride, norm_layer, activation_layer,
                                     group_width, bottleneck_multiplier, se_ratio)
        self.activation = activation_layer(inplace=True)

    def forward(self, x):
        shortcut = x if self.proj is None else self.proj(x)
        return self.activation(shortcut + self.f(x))


class AnyStage(nn.Sequential):
    """``depth`` blocks named ``block{stage_index}-{i}``, the first one strided."""

    def __init__(self, width_in, width_out, stride, depth, block_constructor, norm_layer,
                 activation_layer, group_width, bottleneck_multiplier, se_ratio=None,
                 stage_index=0):
        super().__init__()
        for i in range(depth):
            self.add_module(f"block{stage_index}-{i}", block_constructor(
                width_in if i == 0 else width_out, width_out, stride if i == 0 else 1,
                norm_layer, activation_layer, group_width, bottleneck_multiplier, se_ratio))


class BlockParams:
    """The per-stage settings of a RegNet: depths, widths, group widths, bottleneck multipliers,
    strides.

    ``BlockParams.from_init_params`` derives them from the paper's linear width rule.

    Args:
        depths, widths, group_widths (list of int): one entry per stage.
        bottleneck_multipliers (list of float): one entry per stage.
        strides (list of int): one entry per stage.
        se_ratio (float, optional): the squeeze-and-excitation ratio; None for none.

    Example:
        >>> p = ember.vision.models.BlockParams.from_init_params(16, 48, 27.89, 2.09, 8)
        >>> p.depths, p.widths
        ([1, 3, 6, 6], [48, 104, 208, 440])
    """

    def __init__(self, depths, widths, group_widths, bottleneck_multipliers, strides,
                 se_ratio=None):
        self.depths, self.widths, self.group_widths = depths, widths, group_widths
        self.bottleneck_multipliers, self.strides = bottleneck_multipliers, strides
        self.se_ratio = se_ratio

    @classmethod
    def from_init_params(cls, depth, w_0, w_a, w_m, group_width, bottleneck_multiplier=1.0,
                         se_ratio=None, **kwargs):
        """The stages of the paper's linear width rule ``w_j = w_0 + w_a * j`` quantized to
        powers of ``w_m`` (and multiples of 8), computed in float32 like torchvision."""
        if w_a < 0 or w_0 <= 0 or w_m <= 1 or w_0 % 8 != 0:
            raise ValueError("Invalid RegNet settings")
        f32 = np.float32
        widths_cont = np.arange(depth).astype(f32) * f32(w_a) + f32(w_0)
        capacity = np.round(np.log(widths_cont / f32(w_0)) / f32(math.log(w_m)))
        block_widths = (np.round(f32(w_0) * np.power(f32(w_m), capacity) / f32(8)) * 8)
        block_widths = block_widths.astype(np.int32).tolist()
        starts = [i for i, w in enumerate(block_widths) if i == 0 or w != block_widths[i - 1]]
        stage_widths = [block_widths[i] for i in starts]
        stage_depths = np.diff(starts + [depth]).tolist()
        n = len(stage_widths)
        multipliers = [bottleneck_multiplier] * n
        stage_widths, group_widths = cls._adjust_widths_groups_compatibilty(
            stage_widths, multipliers, [group_width] * n)
        return cls(stage_depths, stage_widths, group_widths, multipliers, [2] * n, se_ratio)

    def _get_expanded_params(self):
        return zip(self.widths, self.strides, self.depths, self.group_widths,
                   self.bottleneck_multipliers)

    @staticmethod
    def _adjust_widths_groups_compatibilty(stage_widths, bottleneck_ratios, group_widths):
        """Bottleneck widths made divisible by their (capped) group widths."""
        widths = [int(w * b) for w, b in zip(stage_widths, bottleneck_ratios)]
        group_widths = [min(g, w) for g, w in zip(group_widths, widths)]
        ws_bot = [make_divisible(w, g) for w, g in zip(widths, group_widths)]
        return [int(w / b) for w, b in zip(ws_bot, bottleneck_ratios)], group_widths


class RegNet(nn.Module):
    """A RegNet from ``BlockParams``: (N, 3, H, W) -> (N, num_classes).

    Args:
        block_params (BlockParams): the stages.
        num_classes (int): Default: ``1000``.
        stem_width (int): Default: ``32``.
        stem_type, block_type (type, optional): the stem and block classes.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.
        activation (callable, optional): Default: ``nn.ReLU``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import RegNet, BlockParams
        >>> params = BlockParams.from_init_params(depth=4, w_0=16, w_a=8.0, w_m=2.0,
        ...                                       group_width=8)
        >>> RegNet(params, num_classes=10, stem_width=16)(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, block_params, num_classes=1000, stem_width=32, stem_type=None,
                 block_type=None, norm_layer=None, activation=None):
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        activation = activation or nn.ReLU
        self.stem = (stem_type or SimpleStemIN)(3, stem_width, norm_layer, activation)
        width, stages = stem_width, []
        for i, (width_out, stride, depth, group_width, multiplier) in enumerate(
                block_params._get_expanded_params()):
            stages.append((f"block{i + 1}", AnyStage(
                width, width_out, stride, depth, block_type or ResBottleneckBlock, norm_layer,
                activation, group_width, multiplier, block_params.se_ratio, stage_index=i + 1)))
            width = width_out
        self.trunk_output = nn.Sequential(OrderedDict(stages))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(in_features=width, out_features=num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                nn.init.normal_(m.weight, mean=0.0, std=math.sqrt(2.0 / fan_out))
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.avgpool(self.trunk_output(self.stem(x)))
        return self.fc(x.flatten(start_dim=1))


# name: (depth, w_0, w_a, w_m, group_width, se_ratio)
_SETTINGS = {
    "regnet_y_400mf": (16, 48, 27.89, 2.09, 8, 0.25),
    "regnet_y_800mf": (14, 56, 38.84, 2.4, 16, 0.25),
    "regnet_y_1_6gf": (27, 48, 20.71, 2.65, 24, 0.25),
    "regnet_y_3_2gf": (21, 80, 42.63, 2.66, 24, 0.25),
    "regnet_y_8gf": (17, 192, 76.82, 2.19, 56, 0.25),
    "regnet_y_16gf": (18, 200, 106.23, 2.48, 112, 0.25),
    "regnet_y_32gf": (20, 232, 115.89, 2.53, 232, 0.25),
    "regnet_y_128gf": (27, 456, 160.83, 2.52, 264, 0.25),
    "regnet_x_400mf": (22, 24, 24.48, 2.54, 16, None),
    "regnet_x_800mf": (16, 56, 35.73, 2.28, 16, None),
    "regnet_x_1_6gf": (18, 80, 34.01, 2.25, 24, None),
    "regnet_x_3_2gf": (25, 88, 26.31, 2.25, 48, None),
    "regnet_x_8gf": (23, 80, 49.56, 2.88, 120, None),
    "regnet_x_16gf": (22, 216, 55.59, 2.1, 128, None),
    "regnet_x_32gf": (23, 320, 69.86, 2.0, 168, None),
}


def _regnet(name, **kwargs):
    depth, w_0, w_a, w_m, group_width, se_ratio = _SETTINGS[name]
    params = BlockParams.from_init_params(depth=depth, w_0=w_0, w_a=w_a, w_m=w_m,
                                          group_width=group_width, se_ratio=se_ratio)
    kwargs.setdefault("norm_layer", partial(nn.BatchNorm2d, eps=1e-05, momentum=0.1))
    return RegNet(params, **kwargs)


RegNet_X_16GF_Weights = weights_enum("RegNet_X_16GF_Weights", __name__, "regnet_x_16gf", {
    "IMAGENET1K_V1": ("regnet_x_16gf-2007eb11.pth", 224, 256, "BILINEAR", 54278536, 1),
    "IMAGENET1K_V2": ("regnet_x_16gf-ba3796d7.pth", 224, 232, "BILINEAR", 54278536, 1),
}, default="IMAGENET1K_V2")
RegNet_X_1_6GF_Weights = weights_enum("RegNet_X_1_6GF_Weights", __name__, "regnet_x_1_6gf", {
    "IMAGENET1K_V1": ("regnet_x_1_6gf-e3633e7f.pth", 224, 256, "BILINEAR", 9190136, 1),
    "IMAGENET1K_V2": ("regnet_x_1_6gf-a12f2b72.pth", 224, 232, "BILINEAR", 9190136, 1),
}, default="IMAGENET1K_V2")
RegNet_X_32GF_Weights = weights_enum("RegNet_X_32GF_Weights", __name__, "regnet_x_32gf", {
    "IMAGENET1K_V1": ("regnet_x_32gf-9d47f8d0.pth", 224, 256, "BILINEAR", 107811560, 1),
    "IMAGENET1K_V2": ("regnet_x_32gf-6eb8fdc6.pth", 224, 232, "BILINEAR", 107811560, 1),
}, default="IMAGENET1K_V2")
RegNet_X_3_2GF_Weights = weights_enum("RegNet_X_3_2GF_Weights", __name__, "regnet_x_3_2gf", {
    "IMAGENET1K_V1": ("regnet_x_3_2gf-f342aeae.pth", 224, 256, "BILINEAR", 15296552, 1),
    "IMAGENET1K_V2": ("regnet_x_3_2gf-7071aa85.pth", 224, 232, "BILINEAR", 15296552, 1),
}, default="IMAGENET1K_V2")
RegNet_X_400MF_Weights = weights_enum("RegNet_X_400MF_Weights", __name__, "regnet_x_400mf", {
    "IMAGENET1K_V1": ("regnet_x_400mf-adf1edd5.pth", 224, 256, "BILINEAR", 5495976, 1),
    "IMAGENET1K_V2": ("regnet_x_400mf-62229a5f.pth", 224, 232, "BILINEAR", 5495976, 1),
}, default="IMAGENET1K_V2")
RegNet_X_800MF_Weights = weights_enum("RegNet_X_800MF_Weights", __name__, "regnet_x_800mf", {
    "IMAGENET1K_V1": ("regnet_x_800mf-ad17e45c.pth", 224, 256, "BILINEAR", 7259656, 1),
    "IMAGENET1K_V2": ("regnet_x_800mf-94a99ebd.pth", 224, 232, "BILINEAR", 7259656, 1),
}, default="IMAGENET1K_V2")
RegNet_X_8GF_Weights = weights_enum("RegNet_X_8GF_Weights", __name__, "regnet_x_8gf", {
    "IMAGENET1K_V1": ("regnet_x_8gf-03ceed89.pth", 224, 256, "BILINEAR", 39572648, 1),
    "IMAGENET1K_V2": ("regnet_x_8gf-2b70d774.pth", 224, 232, "BILINEAR", 39572648, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_128GF_Weights = weights_enum("RegNet_Y_128GF_Weights", __name__, "regnet_y_128gf", {
    "IMAGENET1K_SWAG_E2E_V1": ("regnet_y_128gf_swag-c8ce3e52.pth", 384, 384, "BICUBIC",
                               644812894, 1),
    "IMAGENET1K_SWAG_LINEAR_V1": ("regnet_y_128gf_lc_swag-cbe8ce12.pth", 224, 224, "BICUBIC",
                                  644812894, 1),
}, default="IMAGENET1K_SWAG_E2E_V1")
RegNet_Y_16GF_Weights = weights_enum("RegNet_Y_16GF_Weights", __name__, "regnet_y_16gf", {
    "IMAGENET1K_V1": ("regnet_y_16gf-9e6ed7dd.pth", 224, 256, "BILINEAR", 83590140, 1),
    "IMAGENET1K_V2": ("regnet_y_16gf-3e4a00f9.pth", 224, 232, "BILINEAR", 83590140, 1),
    "IMAGENET1K_SWAG_E2E_V1": ("regnet_y_16gf_swag-43afe44d.pth", 384, 384, "BICUBIC",
                               83590140, 1),
    "IMAGENET1K_SWAG_LINEAR_V1": ("regnet_y_16gf_lc_swag-f3ec0043.pth", 224, 224, "BICUBIC",
                                  83590140, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_1_6GF_Weights = weights_enum("RegNet_Y_1_6GF_Weights", __name__, "regnet_y_1_6gf", {
    "IMAGENET1K_V1": ("regnet_y_1_6gf-b11a554e.pth", 224, 256, "BILINEAR", 11202430, 1),
    "IMAGENET1K_V2": ("regnet_y_1_6gf-0d7bc02a.pth", 224, 232, "BILINEAR", 11202430, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_32GF_Weights = weights_enum("RegNet_Y_32GF_Weights", __name__, "regnet_y_32gf", {
    "IMAGENET1K_V1": ("regnet_y_32gf-4dee3f7a.pth", 224, 256, "BILINEAR", 145046770, 1),
    "IMAGENET1K_V2": ("regnet_y_32gf-8db6d4b5.pth", 224, 232, "BILINEAR", 145046770, 1),
    "IMAGENET1K_SWAG_E2E_V1": ("regnet_y_32gf_swag-04fdfa75.pth", 384, 384, "BICUBIC",
                               145046770, 1),
    "IMAGENET1K_SWAG_LINEAR_V1": ("regnet_y_32gf_lc_swag-e1583746.pth", 224, 224, "BICUBIC",
                                  145046770, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_3_2GF_Weights = weights_enum("RegNet_Y_3_2GF_Weights", __name__, "regnet_y_3_2gf", {
    "IMAGENET1K_V1": ("regnet_y_3_2gf-b5a9779c.pth", 224, 256, "BILINEAR", 19436338, 1),
    "IMAGENET1K_V2": ("regnet_y_3_2gf-9180c971.pth", 224, 232, "BILINEAR", 19436338, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_400MF_Weights = weights_enum("RegNet_Y_400MF_Weights", __name__, "regnet_y_400mf", {
    "IMAGENET1K_V1": ("regnet_y_400mf-c65dace8.pth", 224, 256, "BILINEAR", 4344144, 1),
    "IMAGENET1K_V2": ("regnet_y_400mf-e6988f5f.pth", 224, 232, "BILINEAR", 4344144, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_800MF_Weights = weights_enum("RegNet_Y_800MF_Weights", __name__, "regnet_y_800mf", {
    "IMAGENET1K_V1": ("regnet_y_800mf-1b27b58c.pth", 224, 256, "BILINEAR", 6432512, 1),
    "IMAGENET1K_V2": ("regnet_y_800mf-58fc7688.pth", 224, 232, "BILINEAR", 6432512, 1),
}, default="IMAGENET1K_V2")
RegNet_Y_8GF_Weights = weights_enum("RegNet_Y_8GF_Weights", __name__, "regnet_y_8gf", {
    "IMAGENET1K_V1": ("regnet_y_8gf-d0d0e4a8.pth", 224, 256, "BILINEAR", 39381472, 1),
    "IMAGENET1K_V2": ("regnet_y_8gf-dc2b1b54.pth", 224, 232, "BILINEAR", 39381472, 1),
}, default="IMAGENET1K_V2")

regnet_y_400mf = model_builder("regnet_y_400mf", partial(_regnet, "regnet_y_400mf"),
                               RegNet_Y_400MF_Weights, "RegNetY-400MF.")
regnet_y_800mf = model_builder("regnet_y_800mf", partial(_regnet, "regnet_y_800mf"),
                               RegNet_Y_800MF_Weights, "RegNetY-800MF.")
regnet_y_1_6gf = model_builder("regnet_y_1_6gf", partial(_regnet, "regnet_y_1_6gf"),
                               RegNet_Y_1_6GF_Weights, "RegNetY-1.6GF.")
regnet_y_3_2gf = model_builder("regnet_y_3_2gf", partial(_regnet, "regnet_y_3_2gf"),
                               RegNet_Y_3_2GF_Weights, "RegNetY-3.2GF.")
regnet_y_8gf = model_builder("regnet_y_8gf", partial(_regnet, "regnet_y_8gf"),
                             RegNet_Y_8GF_Weights, "RegNetY-8GF.")
regnet_y_16gf = model_builder("regnet_y_16gf", partial(_regnet, "regnet_y_16gf"),
                              RegNet_Y_16GF_Weights, "RegNetY-16GF.")
regnet_y_32gf = model_builder("regnet_y_32gf", partial(_regnet, "regnet_y_32gf"),
                              RegNet_Y_32GF_Weights, "RegNetY-32GF.")
regnet_y_128gf = model_builder("regnet_y_128gf", partial(_regnet, "regnet_y_128gf"),
                               RegNet_Y_128GF_Weights, "RegNetY-128GF.")
regnet_x_400mf = model_builder("regnet_x_400mf", partial(_regnet, "regnet_x_400mf"),
                               RegNet_X_400MF_Weights, "RegNetX-400MF.")
regnet_x_800mf = model_builder("regnet_x_800mf", partial(_regnet, "regnet_x_800mf"),
                               RegNet_X_800MF_Weights, "RegNetX-800MF.")
regnet_x_1_6gf = model_builder("regnet_x_1_6gf", partial(_regnet, "regnet_x_1_6gf"),
                               RegNet_X_1_6GF_Weights, "RegNetX-1.6GF.")
regnet_x_3_2gf = model_builder("regnet_x_3_2gf", partial(_regnet, "regnet_x_3_2gf"),
                               RegNet_X_3_2GF_Weights, "RegNetX-3.2GF.")
regnet_x_8gf = model_builder("regnet_x_8gf", partial(_regnet, "regnet_x_8gf"),
                             RegNet_X_8GF_Weights, "RegNetX-8GF.")
regnet_x_16gf = model_builder("regnet_x_16gf", partial(_regnet, "regnet_x_16gf"),
                              RegNet_X_16GF_Weights, "RegNetX-16GF.")
regnet_x_32gf = model_builder("regnet_x_32gf", partial(_regnet, "regnet_x_32gf"),
                              RegNet_X_32GF_Weights, "RegNetX-32GF.")
