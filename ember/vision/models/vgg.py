"""VGG (Simonyan & Zisserman, 2014), configurations A, B, D, E = VGG-11/13/16/19, with and
without batch norm, with torchvision's module names: ``features`` (3x3 convolutions
[+ BatchNorm] + ReLU, "M" = 2x2 max-pool), ``avgpool`` (adaptive, 7x7), ``classifier``."""
from functools import partial

import ember
from ember import nn
from ._weights import model_builder, weights_enum

__all__ = ["VGG", "make_layers", "cfgs", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16",
           "vgg16_bn", "vgg19", "vgg19_bn", "VGG11_Weights", "VGG11_BN_Weights", "VGG13_Weights",
           "VGG13_BN_Weights", "VGG16_Weights", "VGG16_BN_Weights", "VGG19_Weights",
           "VGG19_BN_Weights"]

# output channels of each 3x3 convolution, "M" for a max-pool
cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"],
}


def make_layers(cfg, batch_norm=False):
    """The convolutional ``features`` of a VGG, built from a configuration list.

    Each int adds a 3x3 convolution of that many channels (and batch norm) with a ReLU; each
    ``"M"`` adds a 2x2 max-pool.

    Args:
        cfg (list of int or str): such as ``cfgs["D"]`` of ``ember.vision.models.vgg``.
        batch_norm (bool): add batch norm after each convolution. Default: ``False``.

    Example:
        >>> features = ember.vision.models.make_layers([8, "M", 16])
        >>> features(ember.zeros(1, 3, 8, 8)).shape
        ember.Size([1, 16, 4, 4])
    """
    layers, in_channels = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """A VGG classifier over a ``features`` module ending in 512 channels.

    Input (N, 3, H, W) -> (N, num_classes).  ``init_weights`` uses Kaiming-normal
    convolutions, N(0, 0.01) linear weights and zero biases.

    Args:
        features (Module): the convolutional part, ending in 512 channels.
        num_classes (int): Default: ``1000``.
        init_weights (bool): Default: ``True``.
        dropout (float): in the classifier. Default: ``0.5``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import cfgs, make_layers, VGG
        >>> with ember.device("meta"):  # lays the layers out without allocating weights
        ...     model = VGG(make_layers(cfgs["A"]), num_classes=10)
        >>> model.classifier[-1]
        Linear(in_features=4096, out_features=10, bias=True)
    """

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes))
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.classifier(ember.flatten(self.avgpool(self.features(x)), 1))


def _vgg(cfg, batch_norm, **kwargs):
    return VGG(make_layers(cfgs[cfg], batch_norm), **kwargs)


VGG11_Weights = weights_enum("VGG11_Weights", __name__, "vgg11", {
    "IMAGENET1K_V1": ("vgg11-8a719046.pth", 224, 256, "BILINEAR", 132863336, 32),
})
VGG11_BN_Weights = weights_enum("VGG11_BN_Weights", __name__, "vgg11_bn", {
    "IMAGENET1K_V1": ("vgg11_bn-6002323d.pth", 224, 256, "BILINEAR", 132868840, 32),
})
VGG13_Weights = weights_enum("VGG13_Weights", __name__, "vgg13", {
    "IMAGENET1K_V1": ("vgg13-19584684.pth", 224, 256, "BILINEAR", 133047848, 32),
})
VGG13_BN_Weights = weights_enum("VGG13_BN_Weights", __name__, "vgg13_bn", {
    "IMAGENET1K_V1": ("vgg13_bn-abd245e5.pth", 224, 256, "BILINEAR", 133053736, 32),
})
VGG16_Weights = weights_enum("VGG16_Weights", __name__, "vgg16", {
    "IMAGENET1K_V1": ("vgg16-397923af.pth", 224, 256, "BILINEAR", 138357544, 32),
    # SSD's VGG-16 backbone: only ``features`` is trained (the classifier is not), on inputs
    # in 0-255 with the mean removed; no categories
    "IMAGENET1K_FEATURES": ("vgg16_features-amdegroot-88682ab5.pth", 224, 256, "BILINEAR",
                            138357544, 32,
                            {"mean": (0.48235, 0.45882, 0.40784), "std": (1 / 255,) * 3},
                            {"num_classes": None, "categories": None}),
})
VGG16_BN_Weights = weights_enum("VGG16_BN_Weights", __name__, "vgg16_bn", {
    "IMAGENET1K_V1": ("vgg16_bn-6c64b313.pth", 224, 256, "BILINEAR", 138365992, 32),
})
VGG19_Weights = weights_enum("VGG19_Weights", __name__, "vgg19", {
    "IMAGENET1K_V1": ("vgg19-dcbb9e9d.pth", 224, 256, "BILINEAR", 143667240, 32),
})
VGG19_BN_Weights = weights_enum("VGG19_BN_Weights", __name__, "vgg19_bn", {
    "IMAGENET1K_V1": ("vgg19_bn-c79401a0.pth", 224, 256, "BILINEAR", 143678248, 32),
})

vgg11 = model_builder("vgg11", partial(_vgg, "A", False), VGG11_Weights,
                      "VGG-11 (configuration A).")
vgg11_bn = model_builder("vgg11_bn", partial(_vgg, "A", True), VGG11_BN_Weights,
                         "VGG-11 with batch normalization.")
vgg13 = model_builder("vgg13", partial(_vgg, "B", False), VGG13_Weights,
                      "VGG-13 (configuration B).")
vgg13_bn = model_builder("vgg13_bn", partial(_vgg, "B", True), VGG13_BN_Weights,
                         "VGG-13 with batch normalization.")
vgg16 = model_builder("vgg16", partial(_vgg, "D", False), VGG16_Weights,
                      "VGG-16 (configuration D).")
vgg16_bn = model_builder("vgg16_bn", partial(_vgg, "D", True), VGG16_BN_Weights,
                         "VGG-16 with batch normalization.")
vgg19 = model_builder("vgg19", partial(_vgg, "E", False), VGG19_Weights,
                      "VGG-19 (configuration E).")
vgg19_bn = model_builder("vgg19_bn", partial(_vgg, "E", True), VGG19_BN_Weights,
                         "VGG-19 with batch normalization.")
