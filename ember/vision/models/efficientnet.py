"""EfficientNet B0-B7 (Tan & Le, 2019) and EfficientNetV2 S/M/L (Tan & Le, 2021) with
torchvision's module names: ``features`` (a SiLU stem, one Sequential of ``MBConv`` or
``FusedMBConv`` blocks per stage, a 1x1 head), ``avgpool`` and ``classifier``."""
import copy
import math
from functools import partial

import ember
from ember import nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ..ops.stochastic_depth import StochasticDepth
from ._utils import make_divisible
from ._weights import model_builder, weights_enum

__all__ = ["EfficientNet", "MBConvConfig", "FusedMBConvConfig", "efficientnet_b0",
           "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4",
           "efficientnet_b5", "efficientnet_b6", "efficientnet_b7", "efficientnet_v2_s",
           "efficientnet_v2_m", "efficientnet_v2_l", "EfficientNet_B0_Weights",
           "EfficientNet_B1_Weights", "EfficientNet_B2_Weights", "EfficientNet_B3_Weights",
           "EfficientNet_B4_Weights", "EfficientNet_B5_Weights", "EfficientNet_B6_Weights",
           "EfficientNet_B7_Weights", "EfficientNet_V2_S_Weights", "EfficientNet_V2_M_Weights",
           "EfficientNet_V2_L_Weights"]


class _MBConvConfig:
    """A stage: expansion ratio, kernel, first stride, channels in/out, number of blocks."""

    def __init__(self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers,
                 block):
        self.expand_ratio, self.kernel, self.stride = expand_ratio, kernel, stride
        self.input_channels, self.out_channels = input_channels, out_channels
        self.num_layers, self.block = num_layers, block

    @staticmethod
    def adjust_channels(channels, width_mult, min_value=None):
        return make_divisible(channels * width_mult, 8, min_value)


class MBConvConfig(_MBConvConfig):
    """The settings of one EfficientNet stage of ``MBConv`` blocks.

    Channel counts are scaled by ``width_mult`` (rounded to multiples of 8) and the block count
    by ``depth_mult`` (rounded up).

    Args:
        expand_ratio (float): the inner width as a multiple of the input width.
        kernel (int): the depthwise convolution's size.
        stride (int): the first block's stride.
        input_channels, out_channels (int): the widths before scaling.
        num_layers (int): the number of blocks before scaling.
        width_mult, depth_mult (float): the scales. Default: ``1.0``.
        block (type, optional): the block class. Default: ``MBConv``.

    Example:
        >>> c = ember.vision.models.MBConvConfig(6, 3, 2, 16, 24, 2, width_mult=1.5, depth_mult=2.0)
        >>> c.input_channels, c.out_channels, c.num_layers
        (24, 40, 4)
    """

    def __init__(self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers,
                 width_mult=1.0, depth_mult=1.0, block=None):
        super().__init__(expand_ratio, kernel, stride,
                         self.adjust_channels(input_channels, width_mult),
                         self.adjust_channels(out_channels, width_mult),
                         self.adjust_depth(num_layers, depth_mult), block or MBConv)

    @staticmethod
    def adjust_depth(num_layers, depth_mult):
        return int(math.ceil(num_layers * depth_mult))


class FusedMBConvConfig(_MBConvConfig):
    """The settings of one EfficientNetV2 stage of ``FusedMBConv`` blocks (its early stages).

    Args:
        expand_ratio (float): the inner width as a multiple of the input width.
        kernel (int): the convolution's size.
        stride (int): the first block's stride.
        input_channels, out_channels (int): the widths.
        num_layers (int): the number of blocks.
        block (type, optional): the block class. Default: ``FusedMBConv``.

    Example:
        >>> ember.vision.models.FusedMBConvConfig(1, 3, 1, 24, 24, 2).out_channels
        24
    """

    def __init__(self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers,
                 block=None):
        super().__init__(expand_ratio, kernel, stride, input_channels, out_channels, num_layers,
                         block or FusedMBConv)


class _Residual(nn.Module):
    """Shared forward: ``block(x)``, plus ``x`` through stochastic depth when shapes allow."""

    def forward(self, input):
        result = self.block(input)
        if self.use_res_connect:
            result = self.stochastic_depth(result) + input
        return result


class MBConv(_Residual):
    """Expand (1x1), depthwise kxk, squeeze-excitation (SiLU), project (1x1), SiLU
    activations; shortcut with stochastic depth when the shape is kept."""

    def __init__(self, cnf, stochastic_depth_prob, norm_layer, se_layer=SqueezeExcitation):
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        expanded = cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)
        layers = []
        if expanded != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, expanded, kernel_size=1,
                                               norm_layer=norm_layer, activation_layer=nn.SiLU))
        layers += [
            Conv2dNormActivation(expanded, expanded, kernel_size=cnf.kernel, stride=cnf.stride,
                                 groups=expanded, norm_layer=norm_layer, activation_layer=nn.SiLU),
            se_layer(expanded, max(1, cnf.input_channels // 4),
                     activation=partial(nn.SiLU, inplace=True)),
            Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1, norm_layer=norm_layer,
                                 activation_layer=None)]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels


class FusedMBConv(_Residual):
    """A full kxk convolution in place of expand + depthwise, then project (1x1)."""

    def __init__(self, cnf, stochastic_depth_prob, norm_layer):
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        expanded = cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)
        if expanded != cnf.input_channels:
            layers = [Conv2dNormActivation(cnf.input_channels, expanded, kernel_size=cnf.kernel,
                                           stride=cnf.stride, norm_layer=norm_layer,
                                           activation_layer=nn.SiLU),
                      Conv2dNormActivation(expanded, cnf.out_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=None)]
        else:
            layers = [Conv2dNormActivation(cnf.input_channels, cnf.out_channels,
                                           kernel_size=cnf.kernel, stride=cnf.stride,
                                           norm_layer=norm_layer, activation_layer=nn.SiLU)]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels


class EfficientNet(nn.Module):
    """EfficientNet from stage configs (``MBConvConfig``/``FusedMBConvConfig``).

    Block ``i`` of ``n`` gets stochastic depth ``stochastic_depth_prob * i / n``; the head
    widens to ``last_channel`` (default 4x the last stage).  Input (N, 3, H, W) ->
    (N, num_classes).

    Args:
        inverted_residual_setting (list): ``MBConvConfig``/``FusedMBConvConfig`` stages.
        dropout (float): before the classifier.
        stochastic_depth_prob (float): the largest stochastic-depth rate. Default: ``0.2``.
        num_classes (int): Default: ``1000``.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.
        last_channel (int, optional): the head's width. Default: 4 times the last stage's.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import EfficientNet, MBConvConfig
        >>> setting = [MBConvConfig(1, 3, 1, 8, 8, 1), MBConvConfig(6, 3, 2, 8, 16, 2)]
        >>> EfficientNet(setting, 0.2, num_classes=10)(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, inverted_residual_setting, dropout, stochastic_depth_prob=0.2,
                 num_classes=1000, norm_layer=None, last_channel=None):
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        if not all(isinstance(s, _MBConvConfig) for s in inverted_residual_setting):
            raise TypeError("The inverted_residual_setting should be List[MBConvConfig]")
        norm_layer = norm_layer or nn.BatchNorm2d
        layers = [Conv2dNormActivation(3, inverted_residual_setting[0].input_channels,
                                       kernel_size=3, stride=2, norm_layer=norm_layer,
                                       activation_layer=nn.SiLU)]
        total = sum(cnf.num_layers for cnf in inverted_residual_setting)
        block_id = 0
        for cnf in inverted_residual_setting:
            stage = []
            for _ in range(cnf.num_layers):
                block_cnf = copy.copy(cnf)
                if stage:
                    block_cnf.input_channels, block_cnf.stride = block_cnf.out_channels, 1
                stage.append(block_cnf.block(block_cnf, stochastic_depth_prob * block_id / total,
                                             norm_layer))
                block_id += 1
            layers.append(nn.Sequential(*stage))
        last_in = inverted_residual_setting[-1].out_channels
        last_out = last_channel if last_channel is not None else 4 * last_in
        layers.append(Conv2dNormActivation(last_in, last_out, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True),
                                        nn.Linear(last_out, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                bound = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -bound, bound)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(ember.flatten(self.avgpool(self.features(x)), 1))


def _efficientnet_conf(arch, width_mult=1.0, depth_mult=1.0):
    """(stage configs, last_channel) of "efficientnet_b*" (scaled by the multipliers) or
    "efficientnet_v2_s"/"_m"/"_l"."""
    if arch.startswith("efficientnet_b"):
        c = partial(MBConvConfig, width_mult=width_mult, depth_mult=depth_mult)
        return [c(1, 3, 1, 32, 16, 1), c(6, 3, 2, 16, 24, 2), c(6, 5, 2, 24, 40, 2),
                c(6, 3, 2, 40, 80, 3), c(6, 5, 1, 80, 112, 3), c(6, 5, 2, 112, 192, 4),
                c(6, 3, 1, 192, 320, 1)], None
    F, M = FusedMBConvConfig, MBConvConfig
    if arch == "efficientnet_v2_s":
        return [F(1, 3, 1, 24, 24, 2), F(4, 3, 2, 24, 48, 4), F(4, 3, 2, 48, 64, 4),
                M(4, 3, 2, 64, 128, 6), M(6, 3, 1, 128, 160, 9), M(6, 3, 2, 160, 256, 15)], 1280
    if arch == "efficientnet_v2_m":
        return [F(1, 3, 1, 24, 24, 3), F(4, 3, 2, 24, 48, 5), F(4, 3, 2, 48, 80, 5),
                M(4, 3, 2, 80, 160, 7), M(6, 3, 1, 160, 176, 14), M(6, 3, 2, 176, 304, 18),
                M(6, 3, 1, 304, 512, 5)], 1280
    if arch == "efficientnet_v2_l":
        return [F(1, 3, 1, 32, 32, 4), F(4, 3, 2, 32, 64, 7), F(4, 3, 2, 64, 96, 7),
                M(4, 3, 2, 96, 192, 10), M(6, 3, 1, 192, 224, 19), M(6, 3, 2, 224, 384, 25),
                M(6, 3, 1, 384, 640, 7)], 1280
    raise ValueError(f"Unsupported model type {arch}")


# name: (width_mult, depth_mult, dropout, batch-norm eps, batch-norm momentum)
_SCALING = {"efficientnet_b0": (1.0, 1.0, 0.2, 1e-5, 0.1),
            "efficientnet_b1": (1.0, 1.1, 0.2, 1e-5, 0.1),
            "efficientnet_b2": (1.1, 1.2, 0.3, 1e-5, 0.1),
            "efficientnet_b3": (1.2, 1.4, 0.3, 1e-5, 0.1),
            "efficientnet_b4": (1.4, 1.8, 0.4, 1e-5, 0.1),
            "efficientnet_b5": (1.6, 2.2, 0.4, 1e-3, 0.01),
            "efficientnet_b6": (1.8, 2.6, 0.5, 1e-3, 0.01),
            "efficientnet_b7": (2.0, 3.1, 0.5, 1e-3, 0.01),
            "efficientnet_v2_s": (1.0, 1.0, 0.2, 1e-3, 0.1),
            "efficientnet_v2_m": (1.0, 1.0, 0.3, 1e-3, 0.1),
            "efficientnet_v2_l": (1.0, 1.0, 0.4, 1e-3, 0.1)}


def _efficientnet(arch, **kwargs):
    width, depth, dropout, eps, momentum = _SCALING[arch]
    setting, last_channel = _efficientnet_conf(arch, width, depth)
    if eps != 1e-5:
        kwargs.setdefault("norm_layer", partial(nn.BatchNorm2d, eps=eps, momentum=momentum))
    return EfficientNet(setting, kwargs.pop("dropout", dropout), last_channel=last_channel,
                        **kwargs)


EfficientNet_B0_Weights = weights_enum("EfficientNet_B0_Weights", __name__, "efficientnet_b0", {
    "IMAGENET1K_V1": ("efficientnet_b0_rwightman-7f5810bc.pth", 224, 256, "BICUBIC", 5288548, 1),
})
EfficientNet_B1_Weights = weights_enum("EfficientNet_B1_Weights", __name__, "efficientnet_b1", {
    "IMAGENET1K_V1": ("efficientnet_b1_rwightman-bac287d4.pth", 240, 256, "BICUBIC", 7794184, 1),
    "IMAGENET1K_V2": ("efficientnet_b1-c27df63c.pth", 240, 255, "BILINEAR", 7794184, 1),
}, default="IMAGENET1K_V2")
EfficientNet_B2_Weights = weights_enum("EfficientNet_B2_Weights", __name__, "efficientnet_b2", {
    "IMAGENET1K_V1": ("efficientnet_b2_rwightman-c35c1473.pth", 288, 288, "BICUBIC", 9109994, 1),
})
EfficientNet_B3_Weights = weights_enum("EfficientNet_B3_Weights", __name__, "efficientnet_b3", {
    "IMAGENET1K_V1": ("efficientnet_b3_rwightman-b3899882.pth", 300, 320, "BICUBIC", 12233232, 1),
})
EfficientNet_B4_Weights = weights_enum("EfficientNet_B4_Weights", __name__, "efficientnet_b4", {
    "IMAGENET1K_V1": ("efficientnet_b4_rwightman-23ab8bcd.pth", 380, 384, "BICUBIC", 19341616, 1),
})
EfficientNet_B5_Weights = weights_enum("EfficientNet_B5_Weights", __name__, "efficientnet_b5", {
    "IMAGENET1K_V1": ("efficientnet_b5_lukemelas-1a07897c.pth", 456, 456, "BICUBIC", 30389784, 1),
})
EfficientNet_B6_Weights = weights_enum("EfficientNet_B6_Weights", __name__, "efficientnet_b6", {
    "IMAGENET1K_V1": ("efficientnet_b6_lukemelas-24a108a5.pth", 528, 528, "BICUBIC", 43040704, 1),
})
EfficientNet_B7_Weights = weights_enum("EfficientNet_B7_Weights", __name__, "efficientnet_b7", {
    "IMAGENET1K_V1": ("efficientnet_b7_lukemelas-c5b4e57e.pth", 600, 600, "BICUBIC", 66347960, 1),
})
EfficientNet_V2_L_Weights = weights_enum("EfficientNet_V2_L_Weights", __name__,
                                         "efficientnet_v2_l", {
    "IMAGENET1K_V1": ("efficientnet_v2_l-59c71312.pth", 480, 480, "BICUBIC", 118515272, 33,
                      {"mean": (0.5, 0.5, 0.5), "std": (0.5, 0.5, 0.5)}),
})
EfficientNet_V2_M_Weights = weights_enum("EfficientNet_V2_M_Weights", __name__,
                                         "efficientnet_v2_m", {
    "IMAGENET1K_V1": ("efficientnet_v2_m-dc08266a.pth", 480, 480, "BILINEAR", 54139356, 33),
})
EfficientNet_V2_S_Weights = weights_enum("EfficientNet_V2_S_Weights", __name__,
                                         "efficientnet_v2_s", {
    "IMAGENET1K_V1": ("efficientnet_v2_s-dd5fe13b.pth", 384, 384, "BILINEAR", 21458488, 33),
})

_ENUMS = {"efficientnet_b0": EfficientNet_B0_Weights, "efficientnet_b1": EfficientNet_B1_Weights,
          "efficientnet_b2": EfficientNet_B2_Weights, "efficientnet_b3": EfficientNet_B3_Weights,
          "efficientnet_b4": EfficientNet_B4_Weights, "efficientnet_b5": EfficientNet_B5_Weights,
          "efficientnet_b6": EfficientNet_B6_Weights, "efficientnet_b7": EfficientNet_B7_Weights,
          "efficientnet_v2_s": EfficientNet_V2_S_Weights,
          "efficientnet_v2_m": EfficientNet_V2_M_Weights,
          "efficientnet_v2_l": EfficientNet_V2_L_Weights}
_DOC = "EfficientNet-{} (width x{}, depth x{}, dropout {})."
(efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3, efficientnet_b4,
 efficientnet_b5, efficientnet_b6, efficientnet_b7, efficientnet_v2_s, efficientnet_v2_m,
 efficientnet_v2_l) = [
    model_builder(name, partial(_efficientnet, name), enum,
                  _DOC.format(name.split("_", 1)[1].upper(), *_SCALING[name][:3]))
    for name, enum in _ENUMS.items()]
