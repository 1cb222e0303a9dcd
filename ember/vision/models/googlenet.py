"""GoogLeNet (Inception v1, Szegedy et al., 2014) with torchvision's module names: ``conv1``..
``conv3``, ``inception3a``..``inception5b``, auxiliary heads ``aux1``/``aux2``, ``fc``."""
from collections import namedtuple

import ember
from ember import nn
from ember.nn import functional as F
from .inception import (BasicConv2d, _Branches, aux_head_builder, imagenet_to_inception_range,
                        warn_default_init)
from ._weights import weights_enum

__all__ = ["GoogLeNet", "GoogLeNetOutputs", "googlenet", "GoogLeNet_Weights"]

GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])
GoogLeNetOutputs.__doc__ = """What GoogLeNet returns in training mode with auxiliary heads.

Args:
    logits (Tensor): ``(N, num_classes)``.
    aux_logits2, aux_logits1 (Tensor): the two auxiliary heads' logits.

Example:
    >>> ember.vision.models.GoogLeNetOutputs._fields
    ('logits', 'aux_logits2', 'aux_logits1')
"""


class Inception(_Branches):
    """Four parallel branches (1x1; 1x1 then 3x3; 1x1 then 3x3; 3x3 max-pool then 1x1)
    concatenated: (N, in, H, W) -> (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W)."""

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj,
                 conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branch1 = conv_block(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(conv_block(in_channels, ch3x3red, kernel_size=1),
                                     conv_block(ch3x3red, ch3x3, kernel_size=3, padding=1))
        # torchvision's "5x5" branch uses a 3x3 convolution (a known quirk kept for checkpoints)
        self.branch3 = nn.Sequential(conv_block(in_channels, ch5x5red, kernel_size=1),
                                     conv_block(ch5x5red, ch5x5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            conv_block(in_channels, pool_proj, kernel_size=1))

    def _branches(self, x):
        return [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]


class InceptionAux(nn.Module):
    """Auxiliary classifier: 4x4 average pool, 1x1 conv to 128, two linear layers."""

    def __init__(self, in_channels, num_classes, conv_block=None, dropout=0.7):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.conv = conv_block(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x):
        x = ember.flatten(self.conv(F.adaptive_avg_pool2d(x, (4, 4))), 1)
        return self.fc2(self.dropout(F.relu(self.fc1(x), inplace=True)))


class GoogLeNet(nn.Module):
    """GoogLeNet: (N, 3, H, W) with H, W >= 15 -> (N, num_classes) logits, or
    ``GoogLeNetOutputs(logits, aux_logits2, aux_logits1)`` in training mode with
    ``aux_logits``.

    Args:
        num_classes (int): Default: ``1000``.
        aux_logits (bool): build the two auxiliary classifiers. Default: ``True``.
        transform_input (bool): map ImageNet-normalised input to the checkpoint's range.
            Default: ``False``.
        init_weights (bool, optional): truncated-normal init (None: yes, with a warning).
        blocks (list of type, optional): the conv, inception and aux block classes.
        dropout (float): before the classifier. Default: ``0.2``.
        dropout_aux (float): in the auxiliary classifiers. Default: ``0.7``.

    Shape:
        - Input: ``(N, 3, H, W)`` with H, W at least 15.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import GoogLeNet
        >>> model = GoogLeNet(num_classes=10, aux_logits=False, init_weights=False).eval()
        >>> model(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, num_classes=1000, aux_logits=True, transform_input=False,
                 init_weights=None, blocks=None, dropout=0.2, dropout_aux=0.7):
        super().__init__()
        blocks = blocks or [BasicConv2d, Inception, InceptionAux]
        init_weights = warn_default_init(init_weights, "GoogleNet")
        if len(blocks) != 3:
            raise ValueError(f"blocks length should be 3 instead of {len(blocks)}")
        conv, inception, aux = blocks
        self.aux_logits, self.transform_input = aux_logits, transform_input
        self.conv1 = conv(3, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = conv(64, 64, kernel_size=1)
        self.conv3 = conv(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = inception(832, 384, 192, 384, 48, 128, 128)
        self.aux1 = aux(512, num_classes, dropout=dropout_aux) if aux_logits else None
        self.aux2 = aux(528, num_classes, dropout=dropout_aux) if aux_logits else None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)
        if init_weights:
            for m in self.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2, b=2)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

    def _run(self, x, names):
        for name in names:
            x = getattr(self, name)(x)
        return x

    def forward(self, x):
        if self.transform_input:
            x = imagenet_to_inception_range(x)
        x = self._run(x, ["conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a",
                          "inception3b", "maxpool3", "inception4a"])
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self._run(x, ["inception4b", "inception4c", "inception4d"])
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self._run(x, ["inception4e", "maxpool4", "inception5a", "inception5b", "avgpool"])
        x = self.fc(self.dropout(ember.flatten(x, 1)))
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(x, aux2, aux1)
        return x


GoogLeNet_Weights = weights_enum("GoogLeNet_Weights", __name__, "googlenet", {
    "IMAGENET1K_V1": ("googlenet-1378be20.pth", 224, 256, "BILINEAR", 6624904, 15),
})

googlenet = aux_head_builder("googlenet", GoogLeNet, GoogLeNet_Weights,
                             "GoogLeNet (Inception v1).", False, ["aux1", "aux2"],
                             example_kwargs="aux_logits=False, init_weights=False")
