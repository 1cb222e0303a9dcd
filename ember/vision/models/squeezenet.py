"""SqueezeNet 1.0 and 1.1 (Iandola et al., 2016) with torchvision's module names:
``features`` (a stem and ``Fire`` modules between ceil-mode max-pools) and
``classifier`` (dropout, ``final_conv`` 1x1 to the classes, ReLU, global average pool)."""
from functools import partial

import ember
from ember import nn
from ._weights import model_builder, weights_enum

__all__ = ["SqueezeNet", "Fire", "squeezenet1_0", "squeezenet1_1", "SqueezeNet1_0_Weights",
           "SqueezeNet1_1_Weights"]


class Fire(nn.Module):
    """1x1 ``squeeze`` convolution, then 1x1 and 3x3 ``expand`` convolutions side by side
    (each with its ReLU), concatenated: (N, inplanes, H, W) -> (N, e1 + e3, H, W).

    Args:
        inplanes (int): input channels.
        squeeze_planes (int): channels of the squeeze convolution.
        expand1x1_planes, expand3x3_planes (int): e1 and e3.

    Shape:
        - Input: ``(N, inplanes, H, W)``.
        - Output: ``(N, e1 + e3, H, W)``.

    Example::

        >>> from ember.vision.models import Fire
        >>> Fire(8, 4, 6, 6)(ember.randn(1, 8, 5, 5)).shape
        ember.Size([1, 12, 5, 5])
    """

    def __init__(self, inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes):
        super().__init__()
        self.inplanes = inplanes
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return ember.cat([self.expand1x1_activation(self.expand1x1(x)),
                          self.expand3x3_activation(self.expand3x3(x))], 1)


class SqueezeNet(nn.Module):
    """SqueezeNet ``version`` "1_0" or "1_1": (N, 3, H, W) -> (N, num_classes).

    Args:
        version (str): ``"1_0"`` or ``"1_1"``. Default: ``"1_0"``.
        num_classes (int): Default: ``1000``.
        dropout (float): before the classifier. Default: ``0.5``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import SqueezeNet
        >>> SqueezeNet("1_1", num_classes=10)(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, version="1_0", num_classes=1000, dropout=0.5):
        super().__init__()
        self.num_classes = num_classes

        def pool():
            return nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)
        if version == "1_0":
            self.features = nn.Sequential(
                nn.Conv2d(3, 96, kernel_size=7, stride=2), nn.ReLU(inplace=True), pool(),
                Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128), pool(),
                Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
                Fire(384, 64, 256, 256), pool(), Fire(512, 64, 256, 256))
        elif version == "1_1":
            self.features = nn.Sequential(
                nn.Conv2d(3, 64, kernel_size=3, stride=2), nn.ReLU(inplace=True), pool(),
                Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), pool(),
                Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), pool(),
                Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
                Fire(512, 64, 256, 256))
        else:
            raise ValueError(f"Unsupported SqueezeNet version {version}: 1_0 or 1_1 expected")
        final_conv = nn.Conv2d(512, num_classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), final_conv, nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                if m is final_conv:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return ember.flatten(self.classifier(self.features(x)), 1)


SqueezeNet1_0_Weights = weights_enum("SqueezeNet1_0_Weights", __name__, "squeezenet1_0", {
    "IMAGENET1K_V1": ("squeezenet1_0-b66bff10.pth", 224, 256, "BILINEAR", 1248424, 21),
})
SqueezeNet1_1_Weights = weights_enum("SqueezeNet1_1_Weights", __name__, "squeezenet1_1", {
    "IMAGENET1K_V1": ("squeezenet1_1-b8a52dc0.pth", 224, 256, "BILINEAR", 1235496, 17),
})

squeezenet1_0 = model_builder("squeezenet1_0", partial(SqueezeNet, "1_0"), SqueezeNet1_0_Weights,
                              "SqueezeNet 1.0.")
squeezenet1_1 = model_builder("squeezenet1_1", partial(SqueezeNet, "1_1"), SqueezeNet1_1_Weights,
                              "SqueezeNet 1.1 (2.4x less computation than 1.0, same accuracy).")
