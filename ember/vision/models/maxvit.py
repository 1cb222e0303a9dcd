"""MaxViT (Tu et al., 2022): stages of MBConv + window attention + grid attention, with
torchvision's module names (``stem``, ``blocks[i].layers[j].layers.{MBconv, window_attention,
grid_attention}``, ``classifier``) and state_dict keys."""
import math
from collections import OrderedDict
from functools import partial

import numpy as np

import ember
from ember import nn
from ..ops.misc import Conv2dNormActivation, SqueezeExcitation
from ..ops.stochastic_depth import StochasticDepth
from ._weights import model_builder, overwrite_named_param, weights_enum

__all__ = ["MaxVit", "MaxVit_T_Weights", "maxvit_t"]


def _halved(size):
    """(H, W) after a 3x3 convolution of stride 2 and padding 1."""
    return tuple((s - 1) // 2 + 1 for s in size)


def _relative_position_index(size):
    """(size^2, size^2) index into the (2 size - 1)^2 relative-offset table of each pair of
    positions in a size x size window."""
    coords = np.stack(np.meshgrid(np.arange(size), np.arange(size), indexing="ij")).reshape(2, -1)
    rel = coords[:, :, None] - coords[:, None, :] + size - 1
    return ember.from_numpy((rel[0] * (2 * size - 1) + rel[1]).astype(np.int64))


class MBConv(nn.Module):
    """Inverted residual with squeeze-excitation and a pre-norm: ``proj(x) +
    layers(x)`` where ``proj`` is identity, or (stride 2) 3x3 average pool + 1x1 conv.

    Shape: (N, C_in, H, W) -> (N, C_out, H / stride, W / stride).

    Example::

        >>> from ember import nn
        >>> from ember.vision.models.maxvit import MBConv
        >>> MBConv(8, 16, 4, 0.25, 2, nn.GELU, nn.BatchNorm2d)(ember.randn(1, 8, 6, 6)).shape
        ember.Size([1, 16, 3, 3])
    """

    def __init__(self, in_channels, out_channels, expansion_ratio, squeeze_ratio, stride,
                 activation_layer, norm_layer, p_stochastic_dropout=0.0):
        super().__init__()
        if stride != 1 or in_channels != out_channels:
            proj = [nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=1, bias=True)]
            if stride == 2:
                proj = [nn.AvgPool2d(kernel_size=3, stride=stride, padding=1)] + proj
            self.proj = nn.Sequential(*proj)
        else:
            self.proj = nn.Identity()
        mid, squeeze = int(out_channels * expansion_ratio), int(out_channels * squeeze_ratio)
        self.stochastic_depth = (StochasticDepth(p_stochastic_dropout, mode="row")
                                 if p_stochastic_dropout else nn.Identity())
        self.layers = nn.Sequential(OrderedDict([
            ("pre_norm", norm_layer(in_channels)),
            ("conv_a", Conv2dNormActivation(in_channels, mid, kernel_size=1, stride=1, padding=0,
                                            activation_layer=activation_layer,
                                            norm_layer=norm_layer, inplace=None)),
            ("conv_b", Conv2dNormActivation(mid, mid, kernel_size=3, stride=stride, padding=1,
                                            activation_layer=activation_layer,
                                            norm_layer=norm_layer, groups=mid, inplace=None)),
            ("squeeze_excitation", SqueezeExcitation(mid, squeeze, activation=nn.SiLU)),
            ("conv_c", nn.Conv2d(mid, out_channels, kernel_size=1, bias=True)),
        ]))

    def forward(self, x):
        return self.proj(x) + self.stochastic_depth(self.layers(x))


class RelativePositionalMultiHeadAttention(nn.Module):
    """Multi-head self-attention within groups of ``max_seq_len`` (a square window) tokens,
    with a learnt bias per head and relative offset.

    Shape: (B, G, P, D) -> (B, G, P, D), P = ``max_seq_len``, D = ``feat_dim``.

    Example::

        >>> from ember.vision.models.maxvit import RelativePositionalMultiHeadAttention
        >>> RelativePositionalMultiHeadAttention(8, 4, 4)(ember.randn(1, 2, 4, 8)).shape
        ember.Size([1, 2, 4, 8])
    """

    def __init__(self, feat_dim, head_dim, max_seq_len):
        super().__init__()
        if feat_dim % head_dim != 0:
            raise ValueError(f"feat_dim: {feat_dim} must be divisible by head_dim: {head_dim}")
        self.n_heads, self.head_dim = feat_dim // head_dim, head_dim
        self.size, self.max_seq_len = int(math.sqrt(max_seq_len)), max_seq_len
        self.to_qkv = nn.Linear(feat_dim, self.n_heads * head_dim * 3)
        self.scale_factor = feat_dim ** -0.5
        self.merge = nn.Linear(head_dim * self.n_heads, feat_dim)
        self.relative_position_bias_table = nn.Parameter(
            ember.empty((2 * self.size - 1) ** 2, self.n_heads))
        self.register_buffer("relative_position_index", _relative_position_index(self.size))
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)

    def get_relative_positional_bias(self):
        """(1, heads, P, P) bias added to the attention logits."""
        bias = self.relative_position_bias_table[self.relative_position_index.reshape(-1)]
        return bias.reshape(self.max_seq_len, self.max_seq_len, -1).permute(2, 0, 1).unsqueeze(0)

    def forward(self, x):
        b, g, p, d = x.shape
        q, k, v = (t.reshape(b, g, p, self.n_heads, self.head_dim).permute(0, 1, 3, 2, 4)
                   for t in self.to_qkv(x).chunk(3, dim=-1))
        logits = q @ (k * self.scale_factor).transpose(-1, -2)
        attention = (logits + self.get_relative_positional_bias()).softmax(-1)
        out = (attention @ v).permute(0, 1, 3, 2, 4).reshape(b, g, p, d)
        return self.merge(out)


class SwapAxes(nn.Module):
    """Swap dimensions ``a`` and ``b``.

    Example::

        >>> from ember.vision.models.maxvit import SwapAxes
        >>> SwapAxes(-2, -3)(ember.randn(1, 2, 3, 4)).shape
        ember.Size([1, 3, 2, 4])
    """

    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, x):
        return x.transpose(self.a, self.b)


class WindowPartition(nn.Module):
    """(B, C, H, W) -> (B, H/p * W/p, p*p, C): non-overlapping p x p windows as token groups.

    Example::

        >>> from ember.vision.models.maxvit import WindowPartition
        >>> WindowPartition()(ember.randn(1, 3, 4, 6), 2).shape
        ember.Size([1, 6, 4, 3])
    """

    def forward(self, x, p):
        b, c, h, w = x.shape
        x = x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(b, (h // p) * (w // p), p * p, c)


class WindowDepartition(nn.Module):
    """The inverse of ``WindowPartition``: (B, hp * wp, p*p, C) -> (B, C, hp*p, wp*p).

    Example::

        >>> from ember.vision.models.maxvit import WindowDepartition
        >>> WindowDepartition()(ember.randn(1, 6, 4, 3), 2, 2, 3).shape
        ember.Size([1, 3, 4, 6])
    """

    def forward(self, x, p, h_partitions, w_partitions):
        b, _, _, c = x.shape
        x = x.reshape(b, h_partitions, w_partitions, p, p, c).permute(0, 5, 1, 3, 2, 4)
        return x.reshape(b, c, h_partitions * p, w_partitions * p)


class PartitionAttentionLayer(nn.Module):
    """Pre-norm attention + MLP (both residual) over ``partition_size`` x ``partition_size``
    windows (``partition_type="window"``: local) or over a sparse grid of that many tokens
    spread across the map (``"grid"``: global).  ``grid_size`` is the (H, W) of the input.

    Shape: (B, C, H, W) -> (B, C, H, W).

    Example::

        >>> from ember import nn
        >>> from ember.vision.models.maxvit import PartitionAttentionLayer
        >>> layer = PartitionAttentionLayer(8, 4, 2, "grid", (4, 4), 4, nn.GELU, nn.LayerNorm,
        ...                                 0.0, 0.0, 0.0)
        >>> layer(ember.randn(1, 8, 4, 4)).shape
        ember.Size([1, 8, 4, 4])
    """

    def __init__(self, in_channels, head_dim, partition_size, partition_type, grid_size,
                 mlp_ratio, activation_layer, norm_layer, attention_dropout, mlp_dropout,
                 p_stochastic_dropout):
        super().__init__()
        self.n_heads, self.head_dim = in_channels // head_dim, head_dim
        self.n_partitions = grid_size[0] // partition_size
        self.partition_type, self.grid_size = partition_type, grid_size
        if partition_type not in ["grid", "window"]:
            raise ValueError("partition_type must be either 'grid' or 'window'")
        if partition_type == "window":
            self.p, self.g = partition_size, self.n_partitions
        else:
            self.p, self.g = self.n_partitions, partition_size
        self.partition_op, self.departition_op = WindowPartition(), WindowDepartition()
        swap = partition_type == "grid"
        self.partition_swap = SwapAxes(-2, -3) if swap else nn.Identity()
        self.departition_swap = SwapAxes(-2, -3) if swap else nn.Identity()
        self.attn_layer = nn.Sequential(
            norm_layer(in_channels),
            RelativePositionalMultiHeadAttention(in_channels, head_dim, partition_size ** 2),
            nn.Dropout(attention_dropout))
        self.mlp_layer = nn.Sequential(
            nn.LayerNorm(in_channels), nn.Linear(in_channels, in_channels * mlp_ratio),
            activation_layer(), nn.Linear(in_channels * mlp_ratio, in_channels),
            nn.Dropout(mlp_dropout))
        self.stochastic_dropout = StochasticDepth(p_stochastic_dropout, mode="row")

    def forward(self, x):
        if self.grid_size[0] % self.p or self.grid_size[1] % self.p:
            raise AssertionError(f"Grid size must be divisible by partition size. Got grid size "
                                 f"of {self.grid_size} and partition size of {self.p}")
        gh, gw = self.grid_size[0] // self.p, self.grid_size[1] // self.p
        x = self.partition_swap(self.partition_op(x, self.p))
        x = x + self.stochastic_dropout(self.attn_layer(x))
        x = x + self.stochastic_dropout(self.mlp_layer(x))
        return self.departition_op(self.departition_swap(x), self.p, gh, gw)


class MaxVitLayer(nn.Module):
    """``MBconv`` then window attention then grid attention (``layers``).

    Shape: (B, C_in, H, W) -> (B, C_out, H / stride, W / stride); ``grid_size`` is the output
    (H, W).

    Example::

        >>> from ember import nn
        >>> from ember.vision.models.maxvit import MaxVitLayer
        >>> layer = MaxVitLayer(8, 8, 0.25, 4, 2, nn.BatchNorm2d, nn.GELU, 4, 4, 0.0, 0.0, 0.0,
        ...                     2, (4, 4))
        >>> layer(ember.randn(1, 8, 8, 8)).shape
        ember.Size([1, 8, 4, 4])
    """

    def __init__(self, in_channels, out_channels, squeeze_ratio, expansion_ratio, stride,
                 norm_layer, activation_layer, head_dim, mlp_ratio, mlp_dropout,
                 attention_dropout, p_stochastic_dropout, partition_size, grid_size):
        super().__init__()
        attention = partial(PartitionAttentionLayer, in_channels=out_channels, head_dim=head_dim,
                            partition_size=partition_size, grid_size=grid_size,
                            mlp_ratio=mlp_ratio, activation_layer=activation_layer,
                            norm_layer=nn.LayerNorm, attention_dropout=attention_dropout,
                            mlp_dropout=mlp_dropout, p_stochastic_dropout=p_stochastic_dropout)
        self.layers = nn.Sequential(OrderedDict([
            ("MBconv", MBConv(in_channels, out_channels, expansion_ratio, squeeze_ratio, stride,
                              activation_layer, norm_layer, p_stochastic_dropout)),
            ("window_attention", attention(partition_type="window")),
            ("grid_attention", attention(partition_type="grid")),
        ]))

    def forward(self, x):
        return self.layers(x)


class MaxVitBlock(nn.Module):
    """A stage: ``n_layers`` MaxVitLayers, the first with stride 2; ``p_stochastic`` gives
    each layer's stochastic-depth probability.

    Example::

        >>> from ember import nn
        >>> from ember.vision.models.maxvit import MaxVitBlock
        >>> block = MaxVitBlock(4, 8, 0.25, 4, nn.BatchNorm2d, nn.GELU, 4, 4, 0.0, 0.0, 2,
        ...                     (8, 8), 2, [0.0, 0.1])
        >>> block(ember.randn(1, 4, 8, 8)).shape
        ember.Size([1, 8, 4, 4])
    """

    def __init__(self, in_channels, out_channels, squeeze_ratio, expansion_ratio, norm_layer,
                 activation_layer, head_dim, mlp_ratio, mlp_dropout, attention_dropout,
                 partition_size, input_grid_size, n_layers, p_stochastic):
        super().__init__()
        if not len(p_stochastic) == n_layers:
            raise ValueError(f"p_stochastic must have length n_layers={n_layers}, "
                             f"got p_stochastic={p_stochastic}.")
        self.layers = nn.ModuleList()
        self.grid_size = _halved(input_grid_size)
        for idx, p in enumerate(p_stochastic):
            self.layers.append(MaxVitLayer(
                in_channels if idx == 0 else out_channels, out_channels, squeeze_ratio,
                expansion_ratio, 2 if idx == 0 else 1, norm_layer, activation_layer, head_dim,
                mlp_ratio, mlp_dropout, attention_dropout, p, partition_size, self.grid_size))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class MaxVit(nn.Module):
    """MaxViT for ``input_size`` (H, W) images: a stride-2 ``stem`` of two 3x3 convolutions,
    ``blocks`` (one MaxVitBlock per entry of ``block_channels``/``block_layers``, each halving
    the resolution; every block's input must divide by ``partition_size``) and a
    ``classifier`` (pool, LayerNorm, Linear + tanh, Linear without bias).  Stochastic depth
    grows linearly to ``stochastic_depth_prob`` over all layers; ``norm_layer`` defaults to
    BatchNorm2d(eps=1e-3, momentum=0.01).

    Shape: (N, 3, H, W) -> (N, ``num_classes``).

    Args:
        input_size (tuple of int): ``(H, W)`` of the images.
        stem_channels (int): the stem's width.
        partition_size (int): the side of the attention windows and grid.
        block_channels (list of int): each block's width.
        block_layers (list of int): each block's layers.
        head_dim (int): channels per attention head.
        stochastic_depth_prob (float): the largest stochastic-depth rate.
        norm_layer (callable, optional): Default: ``BatchNorm2d(eps=1e-3, momentum=0.01)``.
        activation_layer (callable): Default: ``nn.GELU``.
        squeeze_ratio (float): of the squeeze-and-excitation. Default: ``0.25``.
        expansion_ratio (float): of the MBConv layers. Default: ``4``.
        mlp_ratio (int): of the attention MLPs. Default: ``4``.
        mlp_dropout, attention_dropout (float): Default: ``0``.
        num_classes (int): Default: ``1000``.

    Example::

        >>> from ember.vision.models import MaxVit
        >>> m = MaxVit((32, 32), 8, 2, [8, 16], [1, 1], 4, 0.0, num_classes=5)
        >>> m(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 5])
    """

    def __init__(self, input_size, stem_channels, partition_size, block_channels, block_layers,
                 head_dim, stochastic_depth_prob, norm_layer=None, activation_layer=nn.GELU,
                 squeeze_ratio=0.25, expansion_ratio=4, mlp_ratio=4, mlp_dropout=0.0,
                 attention_dropout=0.0, num_classes=1000):
        super().__init__()
        if norm_layer is None:
            norm_layer = partial(nn.BatchNorm2d, eps=1e-3, momentum=0.01)
        sizes, size = [], _halved(input_size)
        for _ in block_channels:
            size = _halved(size)
            sizes.append(size)
        for idx, size in enumerate(sizes):
            if size[0] % partition_size != 0 or size[1] % partition_size != 0:
                raise ValueError(
                    f"Input size {size} of block {idx} is not divisible by partition size "
                    f"{partition_size}. Consider changing the partition size or the input "
                    f"size.\nCurrent configuration yields the following block input sizes: "
                    f"{sizes}.")
        self.stem = nn.Sequential(
            Conv2dNormActivation(3, stem_channels, 3, stride=2, norm_layer=norm_layer,
                                 activation_layer=activation_layer, bias=False, inplace=None),
            Conv2dNormActivation(stem_channels, stem_channels, 3, stride=1, norm_layer=None,
                                 activation_layer=None, bias=True))
        grid = _halved(input_size)
        self.partition_size = partition_size
        self.blocks = nn.ModuleList()
        p_stochastic = np.linspace(0, stochastic_depth_prob, sum(block_layers)).tolist()
        start = 0
        for cin, cout, n in zip([stem_channels] + block_channels[:-1], block_channels,
                                block_layers):
            self.blocks.append(MaxVitBlock(cin, cout, squeeze_ratio, expansion_ratio, norm_layer,
                                           activation_layer, head_dim, mlp_ratio, mlp_dropout,
                                           attention_dropout, partition_size, grid, n,
                                           p_stochastic[start:start + n]))
            grid, start = self.blocks[-1].grid_size, start + n
        width = block_channels[-1]
        self.classifier = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(width), nn.Linear(width, width),
            nn.Tanh(), nn.Linear(width, num_classes, bias=False))
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.classifier(x)


def _maxvit(**kwargs):
    return MaxVit(input_size=kwargs.pop("input_size", (224, 224)), **kwargs)


def _fix_input_size(weights, kwargs):
    overwrite_named_param(kwargs, "input_size", weights.meta["min_size"])


MaxVit_T_Weights = weights_enum("MaxVit_T_Weights", __name__, "maxvit_t", {
    "IMAGENET1K_V1": ("maxvit_t-bc5ab103.pth", 224, 224, "BICUBIC", 30919624, 224),
})

maxvit_t = model_builder("maxvit_t", _maxvit, MaxVit_T_Weights, "MaxViT-T.",
                         configure=_fix_input_size, stem_channels=64,
                         block_channels=[64, 128, 256, 512], block_layers=[2, 2, 5, 2],
                         head_dim=32, stochastic_depth_prob=0.2, partition_size=7)
