"""Helpers shared by the model families (and ``IntermediateLayerGetter``, which torchvision
keeps here)."""
from .feature_extraction import IntermediateLayerGetter  # noqa: F401
from ember import nn


def make_divisible(v, divisor, min_value=None):
    """``v`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``, default
    ``divisor``), never more than 10% below ``v``: the channel rounding of MobileNet and
    EfficientNet.  ``make_divisible(37.5, 8) == 40``."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def init_conv_bn_linear(model, linear_std=0.01):
    """MobileNet-style init: convolutions Kaiming-normal (fan_out), norms 1/0, linear
    weights N(0, ``linear_std``), all biases 0."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, linear_std)
            nn.init.zeros_(m.bias)
