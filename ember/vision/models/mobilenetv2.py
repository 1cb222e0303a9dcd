"""MobileNetV2 (Sandler et al., 2018) with torchvision's module names: ``features`` (a
stem, inverted residual blocks with ``conv`` Sequentials, a 1x1 head convolution) and
``classifier`` (dropout, linear)."""
import ember
from ember import nn
from ember.nn import functional as F
from ..ops.misc import Conv2dNormActivation
from ._utils import init_conv_bn_linear, make_divisible
from ._weights import model_builder, weights_enum

__all__ = ["MobileNetV2", "InvertedResidual", "mobilenet_v2", "MobileNet_V2_Weights"]


class InvertedResidual(nn.Module):
    """Expand (1x1, ReLU6), depthwise 3x3 (``stride``, ReLU6), project (1x1, linear), with
    a shortcut when the shape is kept: (N, inp, H, W) -> (N, oup, H / stride, W / stride).

    Args:
        inp (int): input channels.
        oup (int): output channels.
        stride (int): 1 or 2.
        expand_ratio (float): the hidden width as a multiple of ``inp``.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.

    Shape:
        - Input: ``(N, inp, H, W)``.
        - Output: ``(N, oup, H / stride, W / stride)``.

    Example::

        >>> from ember.vision.models import InvertedResidual
        >>> InvertedResidual(16, 16, 1, expand_ratio=6)(ember.randn(1, 16, 8, 8)).shape
        ember.Size([1, 16, 8, 8])
    """

    def __init__(self, inp, oup, stride, expand_ratio, norm_layer=None):
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"stride should be 1 or 2 instead of {stride}")
        norm_layer = norm_layer or nn.BatchNorm2d
        self.stride = stride
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden_dim, kernel_size=1,
                                               norm_layer=norm_layer, activation_layer=nn.ReLU6))
        layers += [Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim,
                                        norm_layer=norm_layer, activation_layer=nn.ReLU6),
                   nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False), norm_layer(oup)]
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNetV2: ``width_mult`` scales every width (rounded to ``round_nearest``);
    ``inverted_residual_setting`` rows are (expansion t, channels c, repeats n, stride s).

    Input (N, 3, H, W) -> (N, num_classes).

    Args:
        num_classes (int): Default: ``1000``.
        width_mult (float): scales every width. Default: ``1.0``.
        inverted_residual_setting (list, optional): rows ``[t, c, n, s]``.
        round_nearest (int): widths are multiples of this. Default: ``8``.
        block (type, optional): Default: ``InvertedResidual``.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.
        dropout (float): before the classifier. Default: ``0.2``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import MobileNetV2
        >>> MobileNetV2(num_classes=10, width_mult=0.25).eval()(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, num_classes=1000, width_mult=1.0, inverted_residual_setting=None,
                 round_nearest=8, block=None, norm_layer=None, dropout=0.2):
        super().__init__()
        block = block or InvertedResidual
        norm_layer = norm_layer or nn.BatchNorm2d
        if inverted_residual_setting is None:
            inverted_residual_setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2],
                                         [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                                         [6, 320, 1, 1]]
        if len(inverted_residual_setting) == 0 or len(inverted_residual_setting[0]) != 4:
            raise ValueError("inverted_residual_setting should be non-empty or a 4-element list, "
                             f"got {inverted_residual_setting}")
        input_channel = make_divisible(32 * width_mult, round_nearest)
        self.last_channel = make_divisible(1280 * max(1.0, width_mult), round_nearest)
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm_layer,
                                         activation_layer=nn.ReLU6)]
        for t, c, n, s in inverted_residual_setting:
            output_channel = make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                features.append(block(input_channel, output_channel, s if i == 0 else 1,
                                      expand_ratio=t, norm_layer=norm_layer))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1,
                                             norm_layer=norm_layer, activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout),
                                        nn.Linear(self.last_channel, num_classes))
        init_conv_bn_linear(self)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(ember.flatten(x, 1))


MobileNet_V2_Weights = weights_enum("MobileNet_V2_Weights", __name__, "mobilenet_v2", {
    "IMAGENET1K_V1": ("mobilenet_v2-b0353104.pth", 224, 256, "BILINEAR", 3504872, 1),
    "IMAGENET1K_V2": ("mobilenet_v2-7ebf99e0.pth", 224, 232, "BILINEAR", 3504872, 1),
}, default="IMAGENET1K_V2")

mobilenet_v2 = model_builder("mobilenet_v2", MobileNetV2, MobileNet_V2_Weights, "MobileNetV2.")
