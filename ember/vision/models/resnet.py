"""ResNet, ResNeXt and Wide ResNet with torchvision's module names and state_dict keys.

The layout (``conv1``, ``bn1``, ``relu``, ``maxpool``, ``layer1``..``layer4`` of
BasicBlock/Bottleneck blocks with ``downsample`` = Sequential(conv, bn),
``avgpool``, ``fc``) follows "Deep Residual Learning for Image Recognition"
(He et al., 2015) with the stride on the 3x3 convolution (ResNet v1.5), so a
torchvision checkpoint loads with ``model.load_state_dict(ember.load(path))``.
"""
from functools import partial

import ember
from ember import nn
from ._weights import model_builder, weights_enum

__all__ = ["ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet34", "resnet50", "resnet101",
           "resnet152", "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d",
           "wide_resnet50_2", "wide_resnet101_2", "ResNet18_Weights", "ResNet34_Weights",
           "ResNet50_Weights", "ResNet101_Weights", "ResNet152_Weights", "ResNeXt50_32X4D_Weights",
           "ResNeXt101_32X8D_Weights", "ResNeXt101_64X4D_Weights", "Wide_ResNet50_2_Weights",
           "Wide_ResNet101_2_Weights"]


def conv3x3(in_planes, out_planes, stride=1, groups=1, dilation=1):
    """3x3 convolution, padded to keep the size (at stride 1), no bias."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation,
                     groups=groups, bias=False, dilation=dilation)


def conv1x1(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """The block of ResNet-18/34: two 3x3 convolutions with batch norm, plus a shortcut.

    ``y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``, where the shortcut is
    ``downsample`` when given, else the identity.

    Args:
        inplanes (int): input channels.
        planes (int): output channels.
        stride (int): of the first convolution. Default: ``1``.
        downsample (Module, optional): maps ``x`` to the output's shape for the shortcut.
        groups, base_width, dilation: must stay 1, 64, 1 for this block.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.

    Shape:
        - Input: ``(N, inplanes, H, W)``.
        - Output: ``(N, planes, H / stride, W / stride)``.

    Example:
        >>> block = ember.vision.models.BasicBlock(8, 8)
        >>> block(ember.zeros(1, 8, 4, 4)).shape
        ember.Size([1, 8, 4, 4])
    """

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1, norm_layer=None):
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("Dilation > 1 not supported in BasicBlock")
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class Bottleneck(nn.Module):
    """The block of ResNet-50 and deeper: 1x1 reduce, 3x3 (strided, grouped), 1x1 expand by 4,
    plus a shortcut.

    The inner width is ``planes * base_width / 64 * groups``; the output has
    ``planes * 4`` channels.

    Args:
        inplanes (int): input channels.
        planes (int): the block's base width; the output has ``4 * planes`` channels.
        stride (int): of the 3x3 convolution. Default: ``1``.
        downsample (Module, optional): maps ``x`` to the output's shape for the shortcut.
        groups (int): groups of the 3x3 convolution. Default: ``1``.
        base_width (int): Default: ``64``.
        dilation (int): of the 3x3 convolution. Default: ``1``.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.

    Shape:
        - Input: ``(N, inplanes, H, W)``.
        - Output: ``(N, 4 * planes, H / stride, W / stride)``.

    Example:
        >>> block = ember.vision.models.Bottleneck(16, 4)
        >>> block(ember.zeros(1, 16, 4, 4)).shape
        ember.Size([1, 16, 4, 4])
    """

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1, norm_layer=None):
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class ResNet(nn.Module):
    """A residual network: a stem, four stages of residual blocks, average pooling, a classifier.

    The stem is a 7x7 stride-2 convolution and a stride-2 max-pool; stage ``i`` stacks
    ``layers[i]`` blocks of base width 64, 128, 256, 512 (stages 2 to 4 halve the resolution,
    or dilate instead where ``replace_stride_with_dilation`` says).

    Args:
        block (type): ``BasicBlock`` or ``Bottleneck``.
        layers (list of int): blocks per stage, four entries.
        num_classes (int): Default: ``1000``.
        zero_init_residual (bool): start each block's last norm at zero, so blocks begin as
            the identity. Default: ``False``.
        groups (int), width_per_group (int): the ResNeXt / wide settings. Default: 1, 64.
        replace_stride_with_dilation (list of bool, optional): for stages 2 to 4.
        norm_layer (callable, optional): Default: ``BatchNorm2d``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)``.

    Example:
        >>> net = ember.vision.models.ResNet(ember.vision.models.BasicBlock, [1, 1, 1, 1], 10)
        >>> net.eval()(ember.zeros(2, 3, 32, 32)).shape
        ember.Size([2, 10])
    """

    def __init__(self, block, layers, num_classes=1000, zero_init_residual=False, groups=1,
                 width_per_group=64, replace_stride_with_dilation=None, norm_layer=None):
        super().__init__()
        self._norm_layer = norm_layer or nn.BatchNorm2d
        self.inplanes, self.dilation = 64, 1
        replace_stride_with_dilation = replace_stride_with_dilation or [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise ValueError("replace_stride_with_dilation should be None or a 3-element tuple, "
                             f"got {replace_stride_with_dilation}")
        self.groups, self.base_width = groups, width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], 2, replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, 256, layers[2], 2, replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, 512, layers[3], 2, replace_stride_with_dilation[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        self._init_weights(zero_init_residual)

    def _init_weights(self, zero_init_residual):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if zero_init_residual:
            # each residual branch starts as zero, so every block starts as the identity
            for m in self.modules():
                last_bn = getattr(m, "bn3", None) if isinstance(m, Bottleneck) else \
                    getattr(m, "bn2", None) if isinstance(m, BasicBlock) else None
                if last_bn is not None and last_bn.weight is not None:
                    nn.init.constant_(last_bn.weight, 0)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        norm_layer, previous_dilation = self._norm_layer, self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       norm_layer(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width,
                        previous_dilation, norm_layer)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, groups=self.groups, base_width=self.base_width,
                         dilation=self.dilation, norm_layer=norm_layer)
                   for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(ember.flatten(self.avgpool(x), 1))


ResNet101_Weights = weights_enum("ResNet101_Weights", __name__, "resnet101", {
    "IMAGENET1K_V1": ("resnet101-63fe2227.pth", 224, 256, "BILINEAR", 44549160, 1),
    "IMAGENET1K_V2": ("resnet101-cd907fc2.pth", 224, 232, "BILINEAR", 44549160, 1),
}, default="IMAGENET1K_V2")
ResNet152_Weights = weights_enum("ResNet152_Weights", __name__, "resnet152", {
    "IMAGENET1K_V1": ("resnet152-394f9c45.pth", 224, 256, "BILINEAR", 60192808, 1),
    "IMAGENET1K_V2": ("resnet152-f82ba261.pth", 224, 232, "BILINEAR", 60192808, 1),
}, default="IMAGENET1K_V2")
ResNet18_Weights = weights_enum("ResNet18_Weights", __name__, "resnet18", {
    "IMAGENET1K_V1": ("resnet18-f37072fd.pth", 224, 256, "BILINEAR", 11689512, 1),
})
ResNet34_Weights = weights_enum("ResNet34_Weights", __name__, "resnet34", {
    "IMAGENET1K_V1": ("resnet34-b627a593.pth", 224, 256, "BILINEAR", 21797672, 1),
})
ResNet50_Weights = weights_enum("ResNet50_Weights", __name__, "resnet50", {
    "IMAGENET1K_V1": ("resnet50-0676ba61.pth", 224, 256, "BILINEAR", 25557032, 1),
    "IMAGENET1K_V2": ("resnet50-11ad3fa6.pth", 224, 232, "BILINEAR", 25557032, 1),
}, default="IMAGENET1K_V2")
ResNeXt101_32X8D_Weights = weights_enum("ResNeXt101_32X8D_Weights", __name__, "resnext101_32x8d", {
    "IMAGENET1K_V1": ("resnext101_32x8d-8ba56ff5.pth", 224, 256, "BILINEAR", 88791336, 1),
    "IMAGENET1K_V2": ("resnext101_32x8d-110c445d.pth", 224, 232, "BILINEAR", 88791336, 1),
}, default="IMAGENET1K_V2")
ResNeXt101_64X4D_Weights = weights_enum("ResNeXt101_64X4D_Weights", __name__, "resnext101_64x4d", {
    "IMAGENET1K_V1": ("resnext101_64x4d-173b62eb.pth", 224, 232, "BILINEAR", 83455272, 1),
})
ResNeXt50_32X4D_Weights = weights_enum("ResNeXt50_32X4D_Weights", __name__, "resnext50_32x4d", {
    "IMAGENET1K_V1": ("resnext50_32x4d-7cdf4587.pth", 224, 256, "BILINEAR", 25028904, 1),
    "IMAGENET1K_V2": ("resnext50_32x4d-1a0047aa.pth", 224, 232, "BILINEAR", 25028904, 1),
}, default="IMAGENET1K_V2")
Wide_ResNet101_2_Weights = weights_enum("Wide_ResNet101_2_Weights", __name__, "wide_resnet101_2", {
    "IMAGENET1K_V1": ("wide_resnet101_2-32ee1156.pth", 224, 256, "BILINEAR", 126886696, 1),
    "IMAGENET1K_V2": ("wide_resnet101_2-d733dc28.pth", 224, 232, "BILINEAR", 126886696, 1),
}, default="IMAGENET1K_V2")
Wide_ResNet50_2_Weights = weights_enum("Wide_ResNet50_2_Weights", __name__, "wide_resnet50_2", {
    "IMAGENET1K_V1": ("wide_resnet50_2-95faca4d.pth", 224, 256, "BILINEAR", 68883240, 1),
    "IMAGENET1K_V2": ("wide_resnet50_2-9ba9bcbe.pth", 224, 232, "BILINEAR", 68883240, 1),
}, default="IMAGENET1K_V2")


def _builder(name, block, layers, weights_enum, doc, **preset):
    return model_builder(name, partial(ResNet, block, layers), weights_enum, doc, **preset)


resnet18 = _builder("resnet18", BasicBlock, [2, 2, 2, 2], ResNet18_Weights, "ResNet-18.")
resnet34 = _builder("resnet34", BasicBlock, [3, 4, 6, 3], ResNet34_Weights, "ResNet-34.")
resnet50 = _builder("resnet50", Bottleneck, [3, 4, 6, 3], ResNet50_Weights, "ResNet-50.")
resnet101 = _builder("resnet101", Bottleneck, [3, 4, 23, 3], ResNet101_Weights, "ResNet-101.")
resnet152 = _builder("resnet152", Bottleneck, [3, 8, 36, 3], ResNet152_Weights, "ResNet-152.")
resnext50_32x4d = _builder("resnext50_32x4d", Bottleneck, [3, 4, 6, 3], ResNeXt50_32X4D_Weights,
                           "ResNeXt-50 32x4d (32 groups of width 4 in the 3x3 convolutions).",
                           groups=32, width_per_group=4)
wide_resnet50_2 = _builder("wide_resnet50_2", Bottleneck, [3, 4, 6, 3], Wide_ResNet50_2_Weights,
                           "Wide ResNet-50-2 (inner 3x3 convolutions twice as wide).",
                           width_per_group=128)
resnext101_32x8d = _builder("resnext101_32x8d", Bottleneck, [3, 4, 23, 3],
                            ResNeXt101_32X8D_Weights,
                            "ResNeXt-101 32x8d.", groups=32, width_per_group=8)
resnext101_64x4d = _builder("resnext101_64x4d", Bottleneck, [3, 4, 23, 3],
                            ResNeXt101_64X4D_Weights,
                            "ResNeXt-101 64x4d.", groups=64, width_per_group=4)
wide_resnet101_2 = _builder("wide_resnet101_2", Bottleneck, [3, 4, 23, 3],
                            Wide_ResNet101_2_Weights,
                            "Wide ResNet-101-2 (inner 3x3 convolutions twice as wide).",
                            width_per_group=128)
