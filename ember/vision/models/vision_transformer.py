"""Vision Transformer (Dosovitskiy et al., 2020) with torchvision's module names:
``conv_proj`` (patch embedding), ``class_token``, ``encoder`` (``pos_embedding``,
``layers.encoder_layer_{i}`` with ``ln_1``, ``self_attention``, ``ln_2``, ``mlp``; ``ln``)
and ``heads``."""
import math
from collections import OrderedDict, namedtuple
from functools import partial

import ember
from ember import nn
from ..ops.misc import MLP, Conv2dNormActivation
from ._weights import model_builder, overwrite_named_param, weights_enum

__all__ = ["VisionTransformer", "ConvStemConfig", "vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32",
           "vit_h_14", "ViT_B_16_Weights", "ViT_B_32_Weights", "ViT_L_16_Weights",
           "ViT_L_32_Weights", "ViT_H_14_Weights"]

ConvStemConfig = namedtuple("ConvStemConfig", ["out_channels", "kernel_size", "stride",
                                               "norm_layer", "activation_layer"],
                            defaults=[nn.BatchNorm2d, nn.ReLU])
ConvStemConfig.__doc__ = """One conv-norm-activation layer of an optional convolutional stem.

Args:
    out_channels (int): the layer's output channels.
    kernel_size (int): of the convolution.
    stride (int): of the convolution.
    norm_layer (callable): Default: ``nn.BatchNorm2d``.
    activation_layer (callable): Default: ``nn.ReLU``.

Example:
    >>> ember.vision.models.ConvStemConfig(32, 3, 2).stride
    2
"""


class MLPBlock(MLP):
    """The encoder's feed-forward part: Linear to ``mlp_dim``, GELU, dropout, Linear back,
    dropout (Xavier-uniform weights, N(0, 1e-6) biases)."""

    _version = 2

    def __init__(self, in_dim, mlp_dim, dropout):
        super().__init__(in_dim, [mlp_dim, in_dim], activation_layer=nn.GELU, inplace=None,
                         dropout=dropout)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.normal_(m.bias, std=1e-6)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        # checkpoints saved before version 2 name the linear layers linear_1 and linear_2
        if local_metadata.get("version", None) is None or local_metadata["version"] < 2:
            for i in range(2):
                for kind in ("weight", "bias"):
                    old = f"{prefix}linear_{i + 1}.{kind}"
                    if old in state_dict:
                        state_dict[f"{prefix}{3 * i}.{kind}"] = state_dict.pop(old)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


class EncoderBlock(nn.Module):
    """Pre-norm transformer block: ``x + attention(ln_1(x))``, then ``+ mlp(ln_2(.))``.
    Shape: (N, L, hidden_dim) -> (N, L, hidden_dim)."""

    def __init__(self, num_heads, hidden_dim, mlp_dim, dropout, attention_dropout,
                 norm_layer=partial(nn.LayerNorm, eps=1e-6)):
        super().__init__()
        self.num_heads = num_heads
        self.ln_1 = norm_layer(hidden_dim)
        self.self_attention = nn.MultiheadAttention(hidden_dim, num_heads,
                                                    dropout=attention_dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.ln_2 = norm_layer(hidden_dim)
        self.mlp = MLPBlock(hidden_dim, mlp_dim, dropout)

    def forward(self, input):
        if input.dim() != 3:
            raise ValueError(f"Expected (batch_size, seq_length, hidden_dim) got {input.shape}")
        x = self.ln_1(input)
        x, _ = self.self_attention(x, x, x, need_weights=False)
        x = self.dropout(x) + input
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    """Learned position embedding, dropout, ``num_layers`` encoder blocks, final LayerNorm."""

    def __init__(self, seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout,
                 attention_dropout, norm_layer=partial(nn.LayerNorm, eps=1e-6)):
        super().__init__()
        self.pos_embedding = nn.Parameter(ember.empty(1, seq_length, hidden_dim).normal_(std=0.02))
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.Sequential(OrderedDict(
            (f"encoder_layer_{i}", EncoderBlock(num_heads, hidden_dim, mlp_dim, dropout,
                                                attention_dropout, norm_layer))
            for i in range(num_layers)))
        self.ln = norm_layer(hidden_dim)

    def forward(self, input):
        if input.dim() != 3:
            raise ValueError(f"Expected (batch_size, seq_length, hidden_dim) got {input.shape}")
        return self.ln(self.layers(self.dropout(input + self.pos_embedding)))


class VisionTransformer(nn.Module):
    """ViT: square ``image_size`` images cut into ``patch_size`` patches, a class token, a
    transformer encoder, and a head on the class token.  (N, 3, S, S) -> (N, num_classes).

    Args:
        image_size (int): the side S of the square images.
        patch_size (int): the side of the patches; divides S.
        num_layers, num_heads (int): of the encoder.
        hidden_dim (int): the token width.
        mlp_dim (int): the encoder MLPs' width.
        dropout, attention_dropout (float): Default: ``0``.
        num_classes (int): Default: ``1000``.
        representation_size (int, optional): a tanh pre-logits layer of this width.
        norm_layer (callable): Default: ``LayerNorm`` with eps 1e-6.
        conv_stem_configs (list of ConvStemConfig, optional): a convolutional stem instead of
            the patch projection.

    Shape:
        - Input: ``(N, 3, S, S)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import VisionTransformer
        >>> vit = VisionTransformer(32, 16, num_layers=1, num_heads=2, hidden_dim=8,
        ...                         mlp_dim=16, num_classes=10)
        >>> vit(ember.randn(2, 3, 32, 32)).shape
        ember.Size([2, 10])
    """

    def __init__(self, image_size, patch_size, num_layers, num_heads, hidden_dim, mlp_dim,
                 dropout=0.0, attention_dropout=0.0, num_classes=1000, representation_size=None,
                 norm_layer=partial(nn.LayerNorm, eps=1e-6), conv_stem_configs=None):
        super().__init__()
        if image_size % patch_size != 0:
            raise ValueError("Input shape indivisible by patch size!")
        self.image_size, self.patch_size = image_size, patch_size
        self.hidden_dim, self.mlp_dim = hidden_dim, mlp_dim
        self.attention_dropout, self.dropout = attention_dropout, dropout
        self.num_classes, self.representation_size = num_classes, representation_size
        self.norm_layer = norm_layer
        if conv_stem_configs is not None:
            self.conv_proj = nn.Sequential()
            prev = 3
            for i, cfg in enumerate(conv_stem_configs):
                self.conv_proj.add_module(f"conv_bn_relu_{i}", Conv2dNormActivation(
                    prev, cfg.out_channels, kernel_size=cfg.kernel_size, stride=cfg.stride,
                    norm_layer=cfg.norm_layer, activation_layer=cfg.activation_layer))
                prev = cfg.out_channels
            self.conv_proj.add_module("conv_last", nn.Conv2d(prev, hidden_dim, kernel_size=1))
        else:
            self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
        seq_length = (image_size // patch_size) ** 2 + 1
        self.class_token = nn.Parameter(ember.zeros(1, 1, hidden_dim))
        self.encoder = Encoder(seq_length, num_layers, num_heads, hidden_dim, mlp_dim, dropout,
                               attention_dropout, norm_layer)
        self.seq_length = seq_length
        heads = OrderedDict()
        if representation_size is None:
            heads["head"] = nn.Linear(hidden_dim, num_classes)
        else:
            heads["pre_logits"] = nn.Linear(hidden_dim, representation_size)
            heads["act"] = nn.Tanh()
            heads["head"] = nn.Linear(representation_size, num_classes)
        self.heads = nn.Sequential(heads)
        self._init_weights()

    def _init_weights(self):
        if isinstance(self.conv_proj, nn.Conv2d):
            fan_in = self.conv_proj.in_channels * self.patch_size ** 2
            nn.init.trunc_normal_(self.conv_proj.weight, std=math.sqrt(1 / fan_in))
            nn.init.zeros_(self.conv_proj.bias)
        else:
            last = self.conv_proj.conv_last
            nn.init.normal_(last.weight, mean=0.0, std=math.sqrt(2.0 / last.out_channels))
            nn.init.zeros_(last.bias)
        if "pre_logits" in self.heads._modules:
            pre = self.heads.pre_logits
            nn.init.trunc_normal_(pre.weight, std=math.sqrt(1 / pre.in_features))
            nn.init.zeros_(pre.bias)
        nn.init.zeros_(self.heads.head.weight)
        nn.init.zeros_(self.heads.head.bias)

    def _process_input(self, x):
        n, _, h, w = x.shape
        if h != self.image_size:
            raise ValueError(f"Wrong image height! Expected {self.image_size} but got {h}!")
        if w != self.image_size:
            raise ValueError(f"Wrong image width! Expected {self.image_size} but got {w}!")
        x = self.conv_proj(x).reshape(n, self.hidden_dim, (h // self.patch_size) ** 2)
        return x.permute(0, 2, 1)

    def forward(self, x):
        x = self._process_input(x)
        x = ember.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1)
        return self.heads(self.encoder(x)[:, 0])


# name: (patch_size, num_layers, num_heads, hidden_dim, mlp_dim)
_SETTINGS = {"vit_b_16": (16, 12, 12, 768, 3072), "vit_b_32": (32, 12, 12, 768, 3072),
             "vit_l_16": (16, 24, 16, 1024, 4096), "vit_l_32": (32, 24, 16, 1024, 4096),
             "vit_h_14": (14, 32, 16, 1280, 5120)}


def _vision_transformer(name, **kwargs):
    patch, layers, heads, hidden, mlp = _SETTINGS[name]
    return VisionTransformer(kwargs.pop("image_size", 224), patch, layers, heads, hidden, mlp,
                             **kwargs)


def _checkpoint_image_size(weights, kwargs):
    overwrite_named_param(kwargs, "image_size", weights.meta["min_size"][0])


ViT_B_16_Weights = weights_enum("ViT_B_16_Weights", __name__, "vit_b_16", {
    "IMAGENET1K_V1": ("vit_b_16-c867db91.pth", 224, 256, "BILINEAR", 86567656, 224),
    "IMAGENET1K_SWAG_E2E_V1": ("vit_b_16_swag-9ac1b537.pth", 384, 384, "BICUBIC", 86859496, 384),
    "IMAGENET1K_SWAG_LINEAR_V1": ("vit_b_16_lc_swag-4e70ced5.pth", 224, 224, "BICUBIC",
                                  86567656, 224),
})
ViT_B_32_Weights = weights_enum("ViT_B_32_Weights", __name__, "vit_b_32", {
    "IMAGENET1K_V1": ("vit_b_32-d86f8d99.pth", 224, 256, "BILINEAR", 88224232, 224),
})
ViT_H_14_Weights = weights_enum("ViT_H_14_Weights", __name__, "vit_h_14", {
    "IMAGENET1K_SWAG_E2E_V1": ("vit_h_14_swag-80465313.pth", 518, 518, "BICUBIC", 633470440, 518),
    "IMAGENET1K_SWAG_LINEAR_V1": ("vit_h_14_lc_swag-c1eb923e.pth", 224, 224, "BICUBIC",
                                  632045800, 224),
}, default="IMAGENET1K_SWAG_E2E_V1")
ViT_L_16_Weights = weights_enum("ViT_L_16_Weights", __name__, "vit_l_16", {
    "IMAGENET1K_V1": ("vit_l_16-852ce7e3.pth", 224, 242, "BILINEAR", 304326632, 224),
    "IMAGENET1K_SWAG_E2E_V1": ("vit_l_16_swag-4f3808c9.pth", 512, 512, "BICUBIC", 305174504, 512),
    "IMAGENET1K_SWAG_LINEAR_V1": ("vit_l_16_lc_swag-4d563306.pth", 224, 224, "BICUBIC",
                                  304326632, 224),
})
ViT_L_32_Weights = weights_enum("ViT_L_32_Weights", __name__, "vit_l_32", {
    "IMAGENET1K_V1": ("vit_l_32-c7638314.pth", 224, 256, "BILINEAR", 306535400, 224),
})

vit_b_16 = model_builder("vit_b_16", partial(_vision_transformer, "vit_b_16"), ViT_B_16_Weights,
                         "ViT-B/16.", configure=_checkpoint_image_size)
vit_b_32 = model_builder("vit_b_32", partial(_vision_transformer, "vit_b_32"), ViT_B_32_Weights,
                         "ViT-B/32.", configure=_checkpoint_image_size)
vit_l_16 = model_builder("vit_l_16", partial(_vision_transformer, "vit_l_16"), ViT_L_16_Weights,
                         "ViT-L/16.", configure=_checkpoint_image_size)
vit_l_32 = model_builder("vit_l_32", partial(_vision_transformer, "vit_l_32"), ViT_L_32_Weights,
                         "ViT-L/32.", configure=_checkpoint_image_size)
vit_h_14 = model_builder("vit_h_14", partial(_vision_transformer, "vit_h_14"), ViT_H_14_Weights,
                         "ViT-H/14.", configure=_checkpoint_image_size,
                         example_kwargs="image_size=518")
