"""Inception v3 (Szegedy et al., 2015) with torchvision's module names (``Conv2d_1a_3x3``..,
``Mixed_5b``..``Mixed_7c``, ``AuxLogits``, ``fc``); also the conv-BN-ReLU unit and the
auxiliary-head builder that GoogLeNet shares."""
import warnings
from collections import namedtuple

import ember
from ember import nn
from ember.nn import functional as F
from ._weights import overwrite_named_param, register, resolve_weights, weights_enum

__all__ = ["Inception3", "InceptionOutputs", "inception_v3", "Inception_V3_Weights"]

InceptionOutputs = namedtuple("InceptionOutputs", ["logits", "aux_logits"])
InceptionOutputs.__doc__ = """What Inception v3 returns in training mode with its auxiliary head.

Args:
    logits (Tensor): ``(N, num_classes)``.
    aux_logits (Tensor or None): the auxiliary head's logits.

Example:
    >>> ember.vision.models.InceptionOutputs._fields
    ('logits', 'aux_logits')
"""


class BasicConv2d(nn.Module):
    """Convolution without bias, batch norm (eps 1e-3), ReLU.  Keyword arguments go to the
    convolution."""

    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)), inplace=True)


def imagenet_to_inception_range(x):
    """Re-normalise an ImageNet-normalised batch to the [-1, 1] scaling that Google's
    checkpoints were trained on (``transform_input=True``)."""
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    return ember.cat([x[:, i:i + 1] * (std[i] / 0.5) + (mean[i] - 0.5) / 0.5 for i in range(3)], 1)


def warn_default_init(init_weights, model_name):
    """torchvision's FutureWarning when ``init_weights`` is left as None; returns True then."""
    if init_weights is None:
        warnings.warn(f"The default weight initialization of {model_name} will be changed in "
                      "future releases of torchvision. If you wish to keep the old behavior "
                      "(which leads to long initialization times due to scipy/scipy#11299), "
                      "please set init_weights=True.", FutureWarning, stacklevel=3)
        return True
    return init_weights


class _Branches(nn.Module):
    """Runs ``_branches(x)`` and concatenates the results along channels."""

    def forward(self, x):
        return ember.cat(self._branches(x), 1)


class InceptionA(_Branches):
    """35x35 block: 1x1, 5x5, double 3x3 and pooled branches."""

    def __init__(self, in_channels, pool_features, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branch1x1 = conv_block(in_channels, 64, kernel_size=1)
        self.branch5x5_1 = conv_block(in_channels, 48, kernel_size=1)
        self.branch5x5_2 = conv_block(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = conv_block(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = conv_block(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = conv_block(96, 96, kernel_size=3, padding=1)
        self.branch_pool = conv_block(in_channels, pool_features, kernel_size=1)

    def _branches(self, x):
        return [self.branch1x1(x), self.branch5x5_2(self.branch5x5_1(x)),
                self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))]


class InceptionB(_Branches):
    """Grid reduction 35 -> 17: strided 3x3, double 3x3 and max-pool."""

    def __init__(self, in_channels, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branch3x3 = conv_block(in_channels, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = conv_block(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = conv_block(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = conv_block(96, 96, kernel_size=3, stride=2)

    def _branches(self, x):
        return [self.branch3x3(x),
                self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                F.max_pool2d(x, kernel_size=3, stride=2)]


class InceptionC(_Branches):
    """17x17 block with factorized 7x7 (1x7 and 7x1) branches."""

    def __init__(self, in_channels, channels_7x7, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        c7 = channels_7x7
        self.branch1x1 = conv_block(in_channels, 192, kernel_size=1)
        self.branch7x7_1 = conv_block(in_channels, c7, kernel_size=1)
        self.branch7x7_2 = conv_block(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = conv_block(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = conv_block(in_channels, c7, kernel_size=1)
        self.branch7x7dbl_2 = conv_block(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = conv_block(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = conv_block(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = conv_block(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = conv_block(in_channels, 192, kernel_size=1)

    def _branches(self, x):
        dbl = x
        for i in range(1, 6):
            dbl = getattr(self, f"branch7x7dbl_{i}")(dbl)
        return [self.branch1x1(x), self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x))), dbl,
                self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))]


class InceptionD(_Branches):
    """Grid reduction 17 -> 8: strided 3x3 and 7x7-then-3x3 branches."""

    def __init__(self, in_channels, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branch3x3_1 = conv_block(in_channels, 192, kernel_size=1)
        self.branch3x3_2 = conv_block(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = conv_block(in_channels, 192, kernel_size=1)
        self.branch7x7x3_2 = conv_block(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = conv_block(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = conv_block(192, 192, kernel_size=3, stride=2)

    def _branches(self, x):
        b7 = x
        for i in range(1, 5):
            b7 = getattr(self, f"branch7x7x3_{i}")(b7)
        return [self.branch3x3_2(self.branch3x3_1(x)), b7,
                F.max_pool2d(x, kernel_size=3, stride=2)]


class InceptionE(_Branches):
    """8x8 block with expanded 1x3/3x1 filter-bank branches."""

    def __init__(self, in_channels, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branch1x1 = conv_block(in_channels, 320, kernel_size=1)
        self.branch3x3_1 = conv_block(in_channels, 384, kernel_size=1)
        self.branch3x3_2a = conv_block(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = conv_block(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = conv_block(in_channels, 448, kernel_size=1)
        self.branch3x3dbl_2 = conv_block(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = conv_block(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = conv_block(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = conv_block(in_channels, 192, kernel_size=1)

    def _branches(self, x):
        b3 = self.branch3x3_1(x)
        dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        return [self.branch1x1(x), ember.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1),
                ember.cat([self.branch3x3dbl_3a(dbl), self.branch3x3dbl_3b(dbl)], 1),
                self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))]


class InceptionAux(nn.Module):
    """The auxiliary classifier on ``Mixed_6e`` (used while training only)."""

    def __init__(self, in_channels, num_classes, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.conv0 = conv_block(in_channels, 128, kernel_size=1)
        self.conv1 = conv_block(128, 768, kernel_size=5)
        self.conv1.stddev = 0.01
        self.fc = nn.Linear(768, num_classes)
        self.fc.stddev = 0.001

    def forward(self, x):
        x = self.conv1(self.conv0(F.avg_pool2d(x, kernel_size=5, stride=3)))
        return self.fc(ember.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1))


class Inception3(nn.Module):
    """Inception v3 for (N, 3, H, W) inputs with H, W >= 75 (299 for the checkpoints).

    Returns (N, num_classes) logits, or ``InceptionOutputs(logits, aux_logits)`` in training
    mode with ``aux_logits``.  ``transform_input`` maps ImageNet-normalised input to [-1, 1].

    Args:
        num_classes (int): Default: ``1000``.
        aux_logits (bool): build the auxiliary classifier. Default: ``True``.
        transform_input (bool): map ImageNet-normalised input to ``[-1, 1]``. Default: ``False``.
        inception_blocks (list of type, optional): the block classes.
        init_weights (bool, optional): truncated-normal init (None: yes, with a warning).
        dropout (float): before the classifier. Default: ``0.5``.

    Shape:
        - Input: ``(N, 3, H, W)`` with H, W at least 75.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import Inception3
        >>> with ember.device("meta"):  # lays the layers out without allocating weights
        ...     model = Inception3(num_classes=10, aux_logits=False, init_weights=False)
        >>> model.fc
        Linear(in_features=2048, out_features=10, bias=True)
    """

    def __init__(self, num_classes=1000, aux_logits=True, transform_input=False,
                 inception_blocks=None, init_weights=None, dropout=0.5):
        super().__init__()
        if inception_blocks is None:
            inception_blocks = [BasicConv2d, InceptionA, InceptionB, InceptionC, InceptionD,
                                InceptionE, InceptionAux]
        init_weights = warn_default_init(init_weights, "inception_v3")
        if len(inception_blocks) != 7:
            raise ValueError(f"length of inception_blocks should be 7 instead of "
                             f"{len(inception_blocks)}")
        conv, block_a, block_b, block_c, block_d, block_e, aux = inception_blocks
        self.aux_logits, self.transform_input = aux_logits, transform_input
        self.Conv2d_1a_3x3 = conv(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = conv(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = conv(32, 64, kernel_size=3, padding=1)
        self.maxpool1 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Conv2d_3b_1x1 = conv(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = conv(80, 192, kernel_size=3)
        self.maxpool2 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Mixed_5b = block_a(192, pool_features=32)
        self.Mixed_5c = block_a(256, pool_features=64)
        self.Mixed_5d = block_a(288, pool_features=64)
        self.Mixed_6a = block_b(288)
        self.Mixed_6b = block_c(768, channels_7x7=128)
        self.Mixed_6c = block_c(768, channels_7x7=160)
        self.Mixed_6d = block_c(768, channels_7x7=160)
        self.Mixed_6e = block_c(768, channels_7x7=192)
        self.AuxLogits = aux(768, num_classes) if aux_logits else None
        self.Mixed_7a = block_d(768)
        self.Mixed_7b = block_e(1280)
        self.Mixed_7c = block_e(2048)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(2048, num_classes)
        if init_weights:
            for m in self.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    nn.init.trunc_normal_(m.weight, mean=0.0, std=float(getattr(m, "stddev", 0.1)),
                                          a=-2, b=2)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        if self.transform_input:
            x = imagenet_to_inception_range(x)
        for name in ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1",
                     "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c",
                     "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"]:
            x = getattr(self, name)(x)
        aux = self.AuxLogits(x) if self.AuxLogits is not None and self.training else None
        x = self.avgpool(self.Mixed_7c(self.Mixed_7b(self.Mixed_7a(x))))
        x = self.fc(ember.flatten(self.dropout(x), 1))
        if self.training and self.aux_logits:
            return InceptionOutputs(x, aux)
        return x


def aux_head_builder(name, model_cls, weights_enum, doc, aux_default, aux_heads,
                     example_kwargs=""):
    """Builder for models with auxiliary classifiers (GoogLeNet, Inception v3): with weights,
    the checkpoint's ``transform_input=True`` and aux heads are built and loaded, then the
    heads in ``aux_heads`` are removed unless ``aux_logits`` was asked for."""
    def build(*, weights=None, progress=True, pretrained=None, **kwargs):
        weights = resolve_weights(weights_enum, weights, pretrained, kwargs)
        keep_aux = kwargs.get("aux_logits", aux_default)
        if weights is not None:
            kwargs.setdefault("transform_input", True)
            overwrite_named_param(kwargs, "aux_logits", True)
            overwrite_named_param(kwargs, "init_weights", False)
        state_dict = None if weights is None else weights.get_state_dict(progress=progress)
        model = model_cls(**kwargs)
        if state_dict is not None:
            model.load_state_dict(state_dict)
            if not keep_aux:
                model.aux_logits = False
                for head in aux_heads:
                    setattr(model, head, None)
        return model
    return register(name, build, weights_enum, doc, example_kwargs)


Inception_V3_Weights = weights_enum("Inception_V3_Weights", __name__, "inception_v3", {
    "IMAGENET1K_V1": ("inception_v3_google-0cc3c7bd.pth", 299, 342, "BILINEAR", 27161264, 75),
})

inception_v3 = aux_head_builder("inception_v3", Inception3, Inception_V3_Weights,
                                "Inception v3 (299x299 inputs for the checkpoint).", True,
                                ["AuxLogits"])
