"""MobileNetV3 Large and Small (Howard et al., 2019) with torchvision's module names:
``features`` (a Hardswish stem, inverted residual blocks whose ``block`` Sequential may hold a
squeeze-excitation layer, a 1x1 head), ``avgpool`` and ``classifier``."""
from functools import partial

import ember
from ember import nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ._utils import init_conv_bn_linear, make_divisible
from ._weights import model_builder, weights_enum

__all__ = ["MobileNetV3", "InvertedResidualConfig", "mobilenet_v3_large", "mobilenet_v3_small",
           "MobileNet_V3_Large_Weights", "MobileNet_V3_Small_Weights"]


class InvertedResidualConfig:
    """The settings of one MobileNetV3 inverted-residual block.

    Channel counts are scaled by ``width_mult`` and rounded to multiples of 8.

    Args:
        input_channels, expanded_channels, out_channels (int): the widths before scaling.
        kernel (int): the depthwise convolution's size.
        use_se (bool): add squeeze-and-excitation.
        activation (str): ``"RE"`` (ReLU) or ``"HS"`` (Hardswish).
        stride, dilation (int): of the depthwise convolution.
        width_mult (float): the width scale.

    Example:
        >>> c = ember.vision.models.InvertedResidualConfig(16, 3, 64, 24, False, "HS", 2, 1, 0.5)
        >>> c.input_channels, c.expanded_channels, c.out_channels, c.use_hs
        (8, 32, 16, True)
    """

    def __init__(self, input_channels, kernel, expanded_channels, out_channels, use_se,
                 activation, stride, dilation, width_mult):
        self.input_channels = self.adjust_channels(input_channels, width_mult)
        self.kernel = kernel
        self.expanded_channels = self.adjust_channels(expanded_channels, width_mult)
        self.out_channels = self.adjust_channels(out_channels, width_mult)
        self.use_se = use_se
        self.use_hs = activation == "HS"
        self.stride, self.dilation = stride, dilation

    @staticmethod
    def adjust_channels(channels, width_mult):
        return make_divisible(channels * width_mult, 8)


class InvertedResidual(nn.Module):
    """Expand (1x1), depthwise kxk, optional squeeze-excitation (hard-sigmoid gate),
    project (1x1); a shortcut when the shape is kept."""

    def __init__(self, cnf, norm_layer,
                 se_layer=partial(SqueezeExcitation, scale_activation=nn.Hardsigmoid)):
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        activation = nn.Hardswish if cnf.use_hs else nn.ReLU
        layers = []
        if cnf.expanded_channels != cnf.input_channels:
            layers.append(Conv2dNormActivation(cnf.input_channels, cnf.expanded_channels,
                                               kernel_size=1, norm_layer=norm_layer,
                                               activation_layer=activation))
        layers.append(Conv2dNormActivation(
            cnf.expanded_channels, cnf.expanded_channels, kernel_size=cnf.kernel,
            stride=1 if cnf.dilation > 1 else cnf.stride, dilation=cnf.dilation,
            groups=cnf.expanded_channels, norm_layer=norm_layer, activation_layer=activation))
        if cnf.use_se:
            layers.append(se_layer(cnf.expanded_channels,
                                   make_divisible(cnf.expanded_channels // 4, 8)))
        layers.append(Conv2dNormActivation(cnf.expanded_channels, cnf.out_channels, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels

    def forward(self, input):
        result = self.block(input)
        return result + input if self.use_res_connect else result


class MobileNetV3(nn.Module):
    """MobileNetV3 from a list of ``InvertedResidualConfig`` and the classifier's hidden
    width ``last_channel``.  Input (N, 3, H, W) -> (N, num_classes).

    Args:
        inverted_residual_setting (list of InvertedResidualConfig): the blocks.
        last_channel (int): the classifier's hidden width.
        num_classes (int): Default: ``1000``.
        block (type, optional): Default: ``InvertedResidual``.
        norm_layer (callable, optional): Default: ``BatchNorm2d(eps=1e-3, momentum=0.01)``.
        dropout (float): in the classifier. Default: ``0.2``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import MobileNetV3
        >>> from ember.vision.models.mobilenetv3 import _mobilenet_v3_conf
        >>> setting, last = _mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.5)
        >>> MobileNetV3(setting, last, num_classes=10).eval()(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, inverted_residual_setting, last_channel, num_classes=1000, block=None,
                 norm_layer=None, dropout=0.2, **kwargs):
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        if not all(isinstance(s, InvertedResidualConfig) for s in inverted_residual_setting):
            raise TypeError("The inverted_residual_setting should be List[InvertedResidualConfig]")
        block = block or InvertedResidual
        norm_layer = norm_layer or partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        layers = [Conv2dNormActivation(3, inverted_residual_setting[0].input_channels,
                                       kernel_size=3, stride=2, norm_layer=norm_layer,
                                       activation_layer=nn.Hardswish)]
        layers += [block(cnf, norm_layer) for cnf in inverted_residual_setting]
        lastconv_in = inverted_residual_setting[-1].out_channels
        layers.append(Conv2dNormActivation(lastconv_in, 6 * lastconv_in, kernel_size=1,
                                           norm_layer=norm_layer, activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(6 * lastconv_in, last_channel), nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True), nn.Linear(last_channel, num_classes))
        init_conv_bn_linear(self)

    def forward(self, x):
        return self.classifier(ember.flatten(self.avgpool(self.features(x)), 1))


def _mobilenet_v3_conf(arch, width_mult=1.0, reduced_tail=False, dilated=False):
    """(block settings, last_channel) of "mobilenet_v3_large" or "mobilenet_v3_small";
    ``reduced_tail`` halves the last stage, ``dilated`` dilates it instead of striding."""
    div = 2 if reduced_tail else 1
    dil = 2 if dilated else 1
    c = partial(InvertedResidualConfig, width_mult=width_mult)
    if arch == "mobilenet_v3_large":
        setting = [
            c(16, 3, 16, 16, False, "RE", 1, 1), c(16, 3, 64, 24, False, "RE", 2, 1),
            c(24, 3, 72, 24, False, "RE", 1, 1), c(24, 5, 72, 40, True, "RE", 2, 1),
            c(40, 5, 120, 40, True, "RE", 1, 1), c(40, 5, 120, 40, True, "RE", 1, 1),
            c(40, 3, 240, 80, False, "HS", 2, 1), c(80, 3, 200, 80, False, "HS", 1, 1),
            c(80, 3, 184, 80, False, "HS", 1, 1), c(80, 3, 184, 80, False, "HS", 1, 1),
            c(80, 3, 480, 112, True, "HS", 1, 1), c(112, 3, 672, 112, True, "HS", 1, 1),
            c(112, 5, 672, 160 // div, True, "HS", 2, dil),
            c(160 // div, 5, 960 // div, 160 // div, True, "HS", 1, dil),
            c(160 // div, 5, 960 // div, 160 // div, True, "HS", 1, dil)]
        last = 1280
    elif arch == "mobilenet_v3_small":
        setting = [
            c(16, 3, 16, 16, True, "RE", 2, 1), c(16, 3, 72, 24, False, "RE", 2, 1),
            c(24, 3, 88, 24, False, "RE", 1, 1), c(24, 5, 96, 40, True, "HS", 2, 1),
            c(40, 5, 240, 40, True, "HS", 1, 1), c(40, 5, 240, 40, True, "HS", 1, 1),
            c(40, 5, 120, 48, True, "HS", 1, 1), c(48, 5, 144, 48, True, "HS", 1, 1),
            c(48, 5, 288, 96 // div, True, "HS", 2, dil),
            c(96 // div, 5, 576 // div, 96 // div, True, "HS", 1, dil),
            c(96 // div, 5, 576 // div, 96 // div, True, "HS", 1, dil)]
        last = 1024
    else:
        raise ValueError(f"Unsupported model type {arch}")
    return setting, InvertedResidualConfig.adjust_channels(last // div, width_mult)


def _mobilenet_v3(arch, width_mult=1.0, reduced_tail=False, dilated=False, **kwargs):
    return MobileNetV3(*_mobilenet_v3_conf(arch, width_mult, reduced_tail, dilated), **kwargs)


MobileNet_V3_Large_Weights = weights_enum("MobileNet_V3_Large_Weights", __name__,
                                          "mobilenet_v3_large", {
    "IMAGENET1K_V1": ("mobilenet_v3_large-8738ca79.pth", 224, 256, "BILINEAR", 5483032, 1),
    "IMAGENET1K_V2": ("mobilenet_v3_large-5c1a4163.pth", 224, 232, "BILINEAR", 5483032, 1),
}, default="IMAGENET1K_V2")
MobileNet_V3_Small_Weights = weights_enum("MobileNet_V3_Small_Weights", __name__,
                                          "mobilenet_v3_small", {
    "IMAGENET1K_V1": ("mobilenet_v3_small-047dcff4.pth", 224, 256, "BILINEAR", 2542856, 1),
})

mobilenet_v3_large = model_builder("mobilenet_v3_large",
                                   partial(_mobilenet_v3, "mobilenet_v3_large"),
                                   MobileNet_V3_Large_Weights, "MobileNetV3-Large.")
mobilenet_v3_small = model_builder("mobilenet_v3_small",
                                   partial(_mobilenet_v3, "mobilenet_v3_small"),
                                   MobileNet_V3_Small_Weights, "MobileNetV3-Small.")
