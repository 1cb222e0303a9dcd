"""DenseNet-BC (Huang et al., 2016) with torchvision's module names: ``features``
(``conv0``, ``norm0``, ``relu0``, ``pool0``, ``denseblock1``.. with ``denselayerK``
children, ``transition1``.., ``norm5``) and ``classifier``."""
import re
from collections import OrderedDict
from functools import partial

import ember
from ember import nn
from ember.nn import functional as F
from ._weights import model_builder, weights_enum

__all__ = ["DenseNet", "densenet121", "densenet161", "densenet169", "densenet201",
           "DenseNet121_Weights", "DenseNet161_Weights", "DenseNet169_Weights",
           "DenseNet201_Weights"]


class _DenseLayer(nn.Module):
    """BN-ReLU-1x1 conv (to ``bn_size * growth_rate``), BN-ReLU-3x3 conv (to
    ``growth_rate``) on the concatenation of all earlier feature maps."""

    def __init__(self, num_input_features, growth_rate, bn_size, drop_rate,
                 memory_efficient=False):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1,
                               stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1,
                               padding=1, bias=False)
        self.drop_rate = float(drop_rate)
        # accepted for torchvision's signature; ember recomputes nothing (no checkpointing)
        self.memory_efficient = memory_efficient

    def forward(self, input):
        features = ember.cat(input if isinstance(input, (list, tuple)) else [input], 1)
        out = self.conv1(self.relu1(self.norm1(features)))
        out = self.conv2(self.relu2(self.norm2(out)))
        if self.drop_rate > 0:
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        return out


class _DenseBlock(nn.ModuleDict):
    """``num_layers`` dense layers, each fed every earlier output; returns them all
    concatenated with the input."""

    def __init__(self, num_layers, num_input_features, bn_size, growth_rate, drop_rate,
                 memory_efficient=False):
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}", _DenseLayer(
                num_input_features + i * growth_rate, growth_rate, bn_size, drop_rate,
                memory_efficient))

    def forward(self, init_features):
        features = [init_features]
        for layer in self.values():
            features.append(layer(features))
        return ember.cat(features, 1)


class _Transition(nn.Sequential):
    """BN, ReLU, 1x1 convolution and 2x2 average pool between dense blocks."""

    def __init__(self, num_input_features, num_output_features):
        super().__init__(OrderedDict([
            ("norm", nn.BatchNorm2d(num_input_features)), ("relu", nn.ReLU(inplace=True)),
            ("conv", nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1,
                               bias=False)),
            ("pool", nn.AvgPool2d(kernel_size=2, stride=2))]))


class DenseNet(nn.Module):
    """DenseNet-BC: ``growth_rate`` (k), ``block_config`` (layers per dense block),
    ``num_init_features`` (stem width), ``bn_size`` (bottleneck factor), ``drop_rate``.

    Input (N, 3, H, W) with H, W >= 29 -> (N, num_classes).

    Args:
        growth_rate (int): channels each layer adds (k). Default: ``32``.
        block_config (tuple of int): layers per dense block. Default: ``(6, 12, 24, 16)``.
        num_init_features (int): the stem's width. Default: ``64``.
        bn_size (int): bottleneck width as a multiple of k. Default: ``4``.
        drop_rate (float): dropout after each layer. Default: ``0``.
        num_classes (int): Default: ``1000``.
        memory_efficient (bool): accepted; ember always keeps the activations.

    Shape:
        - Input: ``(N, 3, H, W)`` with H, W at least 29.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import DenseNet
        >>> DenseNet(8, (2, 2, 2, 2), 16, num_classes=10).eval()(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64,
                 bn_size=4, drop_rate=0, num_classes=1000, memory_efficient=False):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3,
                                bias=False)),
            ("norm0", nn.BatchNorm2d(num_init_features)), ("relu0", nn.ReLU(inplace=True)),
            ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))]))
        num_features = num_init_features
        for i, num_layers in enumerate(block_config):
            self.features.add_module(f"denseblock{i + 1}", _DenseBlock(
                num_layers, num_features, bn_size, growth_rate, drop_rate, memory_efficient))
            num_features += num_layers * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module(f"transition{i + 1}",
                                         _Transition(num_features, num_features // 2))
                num_features //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(num_features))
        self.classifier = nn.Linear(num_features, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        out = F.adaptive_avg_pool2d(F.relu(self.features(x)), (1, 1))
        return self.classifier(ember.flatten(out, 1))


DenseNet121_Weights = weights_enum("DenseNet121_Weights", __name__, "densenet121", {
    "IMAGENET1K_V1": ("densenet121-a639ec97.pth", 224, 256, "BILINEAR", 7978856, 29),
})
DenseNet161_Weights = weights_enum("DenseNet161_Weights", __name__, "densenet161", {
    "IMAGENET1K_V1": ("densenet161-8d451a50.pth", 224, 256, "BILINEAR", 28681000, 29),
})
DenseNet169_Weights = weights_enum("DenseNet169_Weights", __name__, "densenet169", {
    "IMAGENET1K_V1": ("densenet169-b2777c0a.pth", 224, 256, "BILINEAR", 14149480, 29),
})
DenseNet201_Weights = weights_enum("DenseNet201_Weights", __name__, "densenet201", {
    "IMAGENET1K_V1": ("densenet201-c1103571.pth", 224, 256, "BILINEAR", 20013928, 29),
})

# torchvision's DenseNet checkpoints predate its module names: "denselayer1.norm.1.weight"
# is today's "denselayer1.norm1.weight"
_OLD_KEY = re.compile(r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|"
                      r"running_mean|running_var))$")


def _rename_old_keys(state_dict):
    return OrderedDict((_OLD_KEY.sub(lambda m: m.group(1) + m.group(2), k), v)
                       for k, v in state_dict.items())


def _densenet(name, growth_rate, block_config, num_init_features, weights_enum, doc):
    return model_builder(name, partial(DenseNet, growth_rate, block_config, num_init_features),
                         weights_enum, doc, adapt_state_dict=_rename_old_keys)


densenet121 = _densenet("densenet121", 32, (6, 12, 24, 16), 64, DenseNet121_Weights,
                        "DenseNet-121 (k=32).")
densenet161 = _densenet("densenet161", 48, (6, 12, 36, 24), 96, DenseNet161_Weights,
                        "DenseNet-161 (k=48).")
densenet169 = _densenet("densenet169", 32, (6, 12, 32, 32), 64, DenseNet169_Weights,
                        "DenseNet-169 (k=32).")
densenet201 = _densenet("densenet201", 32, (6, 12, 48, 32), 64, DenseNet201_Weights,
                        "DenseNet-201 (k=32).")
