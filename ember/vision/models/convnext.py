"""ConvNeXt (Liu et al., 2022) with torchvision's module names: ``features`` (a 4x4 patchify
stem, stages of ``CNBlock`` and downsampling layers), ``avgpool`` and ``classifier``
(LayerNorm2d, Flatten, Linear)."""
from functools import partial

import ember
from ember import nn
from ember.nn import functional as F
from ..ops.misc import Conv2dNormActivation, Permute
from ..ops.stochastic_depth import StochasticDepth
from ._weights import model_builder, weights_enum

__all__ = ["ConvNeXt", "CNBlockConfig", "LayerNorm2d", "convnext_tiny", "convnext_small",
           "convnext_base", "convnext_large", "ConvNeXt_Tiny_Weights", "ConvNeXt_Small_Weights",
           "ConvNeXt_Base_Weights", "ConvNeXt_Large_Weights"]


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an (N, C, H, W) tensor (at each pixel).

    Args:
        normalized_shape (int): C.
        eps (float): Default: ``1e-5``.
        elementwise_affine (bool): learn a scale. Default: ``True``.
        bias (bool): learn a shift. Default: ``True``.
        device, dtype: of the parameters.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the same.

    Example::

        >>> from ember.vision.models import LayerNorm2d
        >>> LayerNorm2d(8)(ember.randn(2, 8, 4, 4)).shape
        ember.Size([2, 8, 4, 4])
    """

    def forward(self, x):
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias,
                         self.eps)
        return x.permute(0, 3, 1, 2)


class CNBlock(nn.Module):
    """Depthwise 7x7 conv, LayerNorm, Linear to 4x, GELU, Linear back (channels last), a
    learned per-channel ``layer_scale``, stochastic depth, and the shortcut."""

    def __init__(self, dim, layer_scale, stochastic_depth_prob, norm_layer=None):
        super().__init__()
        norm_layer = norm_layer or partial(nn.LayerNorm, eps=1e-6)
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]), norm_layer(dim),
            nn.Linear(dim, 4 * dim, bias=True), nn.GELU(), nn.Linear(4 * dim, dim, bias=True),
            Permute([0, 3, 1, 2]))
        self.layer_scale = nn.Parameter(ember.ones(dim, 1, 1) * layer_scale)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")

    def forward(self, input):
        return self.stochastic_depth(self.layer_scale * self.block(input)) + input


class CNBlockConfig:
    """The settings of one ConvNeXt stage.

    Args:
        input_channels (int): the width of the stage's blocks.
        out_channels (int or None): the width after the downsampling that follows; None for the
            last stage.
        num_layers (int): the number of blocks.

    Example:
        >>> ember.vision.models.CNBlockConfig(96, 192, 3).num_layers
        3
    """

    def __init__(self, input_channels, out_channels, num_layers):
        self.input_channels, self.out_channels = input_channels, out_channels
        self.num_layers = num_layers

    def __repr__(self):
        return (f"{type(self).__name__}(input_channels={self.input_channels}, "
                f"out_channels={self.out_channels}, num_layers={self.num_layers})")


class ConvNeXt(nn.Module):
    """ConvNeXt from a list of ``CNBlockConfig``; block ``i`` of ``n`` gets stochastic depth
    ``stochastic_depth_prob * i / (n - 1)``.  (N, 3, H, W) with H, W >= 32 -> (N, num_classes).

    Args:
        block_setting (list of CNBlockConfig): the stages.
        stochastic_depth_prob (float): the largest stochastic-depth rate. Default: ``0``.
        layer_scale (float): initial scale of each block's output. Default: ``1e-6``.
        num_classes (int): Default: ``1000``.
        block (type, optional): the block class. Default: ``CNBlock``.
        norm_layer (callable, optional): Default: ``LayerNorm2d`` with eps 1e-6.

    Shape:
        - Input: ``(N, 3, H, W)`` with H, W at least 32.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import ConvNeXt, CNBlockConfig
        >>> setting = [CNBlockConfig(8, 16, 1), CNBlockConfig(16, None, 1)]
        >>> ConvNeXt(setting, num_classes=10)(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, block_setting, stochastic_depth_prob=0.0, layer_scale=1e-6,
                 num_classes=1000, block=None, norm_layer=None, **kwargs):
        super().__init__()
        if not block_setting:
            raise ValueError("The block_setting should not be empty")
        if not all(isinstance(s, CNBlockConfig) for s in block_setting):
            raise TypeError("The block_setting should be List[CNBlockConfig]")
        block = block or CNBlock
        norm_layer = norm_layer or partial(LayerNorm2d, eps=1e-6)
        layers = [Conv2dNormActivation(3, block_setting[0].input_channels, kernel_size=4,
                                       stride=4, padding=0, norm_layer=norm_layer,
                                       activation_layer=None, bias=True)]
        total = sum(cnf.num_layers for cnf in block_setting)
        block_id = 0
        for cnf in block_setting:
            stage = []
            for _ in range(cnf.num_layers):
                sd_prob = stochastic_depth_prob * block_id / (total - 1.0)
                stage.append(block(cnf.input_channels, layer_scale, sd_prob))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if cnf.out_channels is not None:
                layers.append(nn.Sequential(
                    norm_layer(cnf.input_channels),
                    nn.Conv2d(cnf.input_channels, cnf.out_channels, kernel_size=2, stride=2)))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        last = block_setting[-1]
        width = last.out_channels if last.out_channels is not None else last.input_channels
        self.classifier = nn.Sequential(norm_layer(width), nn.Flatten(1),
                                        nn.Linear(width, num_classes))
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)))


# name: (stage widths, stage depths, default stochastic depth)
_SETTINGS = {"convnext_tiny": ((96, 192, 384, 768), (3, 3, 9, 3), 0.1),
             "convnext_small": ((96, 192, 384, 768), (3, 3, 27, 3), 0.4),
             "convnext_base": ((128, 256, 512, 1024), (3, 3, 27, 3), 0.5),
             "convnext_large": ((192, 384, 768, 1536), (3, 3, 27, 3), 0.5)}


def _convnext(name, **kwargs):
    widths, depths, sd_prob = _SETTINGS[name]
    setting = [CNBlockConfig(w, out, d) for w, out, d in zip(widths, widths[1:] + (None,), depths)]
    return ConvNeXt(setting, stochastic_depth_prob=kwargs.pop("stochastic_depth_prob", sd_prob),
                    **kwargs)


ConvNeXt_Base_Weights = weights_enum("ConvNeXt_Base_Weights", __name__, "convnext_base", {
    "IMAGENET1K_V1": ("convnext_base-6075fbad.pth", 224, 232, "BILINEAR", 88591464, 32),
})
ConvNeXt_Large_Weights = weights_enum("ConvNeXt_Large_Weights", __name__, "convnext_large", {
    "IMAGENET1K_V1": ("convnext_large-ea097f82.pth", 224, 232, "BILINEAR", 197767336, 32),
})
ConvNeXt_Small_Weights = weights_enum("ConvNeXt_Small_Weights", __name__, "convnext_small", {
    "IMAGENET1K_V1": ("convnext_small-0c510722.pth", 224, 230, "BILINEAR", 50223688, 32),
})
ConvNeXt_Tiny_Weights = weights_enum("ConvNeXt_Tiny_Weights", __name__, "convnext_tiny", {
    "IMAGENET1K_V1": ("convnext_tiny-983f1562.pth", 224, 236, "BILINEAR", 28589128, 32),
})

convnext_tiny = model_builder("convnext_tiny", partial(_convnext, "convnext_tiny"),
                              ConvNeXt_Tiny_Weights, "ConvNeXt-Tiny.")
convnext_small = model_builder("convnext_small", partial(_convnext, "convnext_small"),
                               ConvNeXt_Small_Weights, "ConvNeXt-Small.")
convnext_base = model_builder("convnext_base", partial(_convnext, "convnext_base"),
                              ConvNeXt_Base_Weights, "ConvNeXt-Base.")
convnext_large = model_builder("convnext_large", partial(_convnext, "convnext_large"),
                               ConvNeXt_Large_Weights, "ConvNeXt-Large.")
