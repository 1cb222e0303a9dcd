"""Swin Transformer V1 (Liu et al., 2021) and V2 (Liu et al., 2022) with torchvision's module
names: ``features`` (patch embedding, stages of ``SwinTransformerBlock``, ``PatchMerging``),
``norm``, ``permute``, ``avgpool``, ``flatten`` and ``head``.  Activations are channels-last
(N, H, W, C) inside ``features``."""
import math
from functools import partial

import numpy as np

import ember
from ember import nn
from ember.nn import functional as F
from ..ops.misc import MLP, Permute
from ..ops.stochastic_depth import StochasticDepth
from ._weights import model_builder, weights_enum

__all__ = ["SwinTransformer", "shifted_window_attention", "swin_t", "swin_s", "swin_b",
           "swin_v2_t", "swin_v2_s", "swin_v2_b", "Swin_T_Weights", "Swin_S_Weights",
           "Swin_B_Weights", "Swin_V2_T_Weights", "Swin_V2_S_Weights", "Swin_V2_B_Weights"]


def _patch_merging_pad(x):
    """(..., H, W, C) -> (..., ceil(H/2), ceil(W/2), 4C): each 2x2 neighbourhood stacked."""
    h, w = x.shape[-3], x.shape[-2]
    x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2))
    return ember.cat([x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :], x[..., 0::2, 1::2, :],
                      x[..., 1::2, 1::2, :]], -1)


class PatchMerging(nn.Module):
    """Halve H and W, double C: 2x2 stacking, LayerNorm(4C), Linear(4C, 2C).

    Example::

        >>> from ember.vision.models.swin_transformer import PatchMerging
        >>> PatchMerging(8)(ember.randn(1, 6, 6, 8)).shape
        ember.Size([1, 3, 3, 16])
    """

    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = norm_layer(4 * dim)

    def forward(self, x):
        return self.reduction(self.norm(_patch_merging_pad(x)))


class PatchMergingV2(PatchMerging):
    """Swin V2's patch merging: the LayerNorm (over 2C) comes after the reduction."""

    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__(dim, norm_layer)
        self.norm = norm_layer(2 * dim)

    def forward(self, x):
        return self.norm(self.reduction(_patch_merging_pad(x)))


def _shift_mask(pad_h, pad_w, window_size, shift_size):
    """(num_windows, Ws, Ws) additive mask: -100 between tokens that come from different
    regions of the cyclically shifted image, 0 elsewhere."""
    regions = np.zeros((pad_h, pad_w), dtype=np.float32)
    h_cuts = [0, pad_h - window_size[0], pad_h - shift_size[0], pad_h]
    w_cuts = [0, pad_w - window_size[1], pad_w - shift_size[1], pad_w]
    count = 0
    for i in range(3):
        for j in range(3):
            regions[h_cuts[i]:h_cuts[i + 1], w_cuts[j]:w_cuts[j + 1]] = count
            count += 1
    regions = regions.reshape(pad_h // window_size[0], window_size[0], pad_w // window_size[1],
                              window_size[1]).transpose(0, 2, 1, 3)
    regions = regions.reshape(-1, window_size[0] * window_size[1])
    diff = regions[:, None, :] - regions[:, :, None]
    return ember.from_numpy(np.where(diff != 0, np.float32(-100.0), np.float32(0.0)))


def shifted_window_attention(input, qkv_weight, proj_weight, relative_position_bias, window_size,
                             num_heads, shift_size, attention_dropout=0.0, dropout=0.0,
                             qkv_bias=None, proj_bias=None, logit_scale=None, training=True):
    """Multi-head self-attention inside (shifted) windows.

    ``input`` (B, H, W, C) is padded to whole windows, rolled by ``-shift_size``, cut into
    ``window_size`` windows, attended within each window (plus ``relative_position_bias``,
    (1, heads, Ws, Ws), and a mask between regions that the roll brought together), and put
    back.  ``logit_scale`` switches to V2's scaled cosine attention.  Returns (B, H, W, C).

    Args:
        input (Tensor): ``(B, H, W, C)``.
        qkv_weight, proj_weight (Tensor): ``(3C, C)`` and ``(C, C)``.
        relative_position_bias (Tensor): ``(1, heads, Ws, Ws)``.
        window_size (list of int), num_heads (int), shift_size (list of int).
        attention_dropout, dropout (float): Default: ``0``.
        qkv_bias, proj_bias (Tensor, optional): the projections' biases.
        logit_scale (Tensor, optional): V2's per-head scale of cosine attention.
        training (bool): apply dropout. Default: ``True``.

    Shape:
        - Input: ``(B, H, W, C)``.
        - Output: ``(B, H, W, C)``.

    Example::

        >>> from ember.vision.models import shifted_window_attention
        >>> x = ember.randn(1, 4, 4, 8)
        >>> out = shifted_window_attention(x, ember.randn(24, 8), ember.randn(8, 8),
        ...                                ember.zeros(1, 2, 4, 4), [2, 2], 2, [1, 1])
        >>> out.shape
        ember.Size([1, 4, 4, 8])
    """
    B, H, W, C = input.shape
    pad_r = (window_size[1] - W % window_size[1]) % window_size[1]
    pad_b = (window_size[0] - H % window_size[0]) % window_size[0]
    x = F.pad(input, (0, 0, 0, pad_r, 0, pad_b))
    pad_h, pad_w = x.shape[1], x.shape[2]
    shift_size = [0 if window_size[i] >= (pad_h, pad_w)[i] else shift_size[i] for i in range(2)]
    shifted = sum(shift_size) > 0
    if shifted:
        x = ember.roll(x, shifts=(-shift_size[0], -shift_size[1]), dims=(1, 2))
    nh, nw = pad_h // window_size[0], pad_w // window_size[1]
    tokens = window_size[0] * window_size[1]
    x = x.reshape(B, nh, window_size[0], nw, window_size[1], C).permute(0, 1, 3, 2, 4, 5)
    x = x.reshape(B * nh * nw, tokens, C)
    if logit_scale is not None and qkv_bias is not None:  # V2 has no key bias
        length = qkv_bias.numel() // 3
        qkv_bias = ember.cat([qkv_bias[:length], ember.zeros_like(qkv_bias[length:2 * length]),
                              qkv_bias[2 * length:]])
    qkv = F.linear(x, qkv_weight, qkv_bias)
    qkv = qkv.reshape(x.shape[0], tokens, 3, num_heads, C // num_heads).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    if logit_scale is not None:
        attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
        attn = attn * ember.clamp(logit_scale, max=math.log(100.0)).exp()
    else:
        attn = (q * (C // num_heads) ** -0.5).matmul(k.transpose(-2, -1))
    attn = attn + relative_position_bias
    if shifted:
        mask = _shift_mask(pad_h, pad_w, window_size, shift_size).to(attn.dtype)
        attn = attn.reshape(B, nh * nw, num_heads, tokens, tokens) + mask.unsqueeze(1)
        attn = attn.reshape(-1, num_heads, tokens, tokens)
    attn = F.dropout(F.softmax(attn, dim=-1), p=attention_dropout, training=training)
    x = attn.matmul(v).transpose(1, 2).reshape(x.shape[0], tokens, C)
    x = F.dropout(F.linear(x, proj_weight, proj_bias), p=dropout, training=training)
    x = x.reshape(B, nh, nw, window_size[0], window_size[1], C).permute(0, 1, 3, 2, 4, 5)
    x = x.reshape(B, pad_h, pad_w, C)
    if shifted:
        x = ember.roll(x, shifts=(shift_size[0], shift_size[1]), dims=(1, 2))
    return x[:, :H, :W, :].contiguous()


class ShiftedWindowAttention(nn.Module):
    """Window attention with a learned relative-position bias table
    ((2Wh - 1)(2Ww - 1), heads) and ``qkv``/``proj`` linear layers.  (B, H, W, C) -> same."""

    def __init__(self, dim, window_size, shift_size, num_heads, qkv_bias=True, proj_bias=True,
                 attention_dropout=0.0, dropout=0.0):
        super().__init__()
        if len(window_size) != 2 or len(shift_size) != 2:
            raise ValueError("window_size and shift_size must be of length 2")
        self.window_size, self.shift_size, self.num_heads = window_size, shift_size, num_heads
        self.attention_dropout, self.dropout = attention_dropout, dropout
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim, bias=proj_bias)
        self.define_relative_position_bias_table()
        self.define_relative_position_index()

    def define_relative_position_bias_table(self):
        wh, ww = self.window_size
        self.relative_position_bias_table = nn.Parameter(
            ember.zeros((2 * wh - 1) * (2 * ww - 1), self.num_heads))
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)

    def define_relative_position_index(self):
        wh, ww = self.window_size
        coords = np.stack(np.meshgrid(np.arange(wh), np.arange(ww), indexing="ij")).reshape(2, -1)
        rel = (coords[:, :, None] - coords[:, None, :]).transpose(1, 2, 0)
        index = (rel[..., 0] + wh - 1) * (2 * ww - 1) + (rel[..., 1] + ww - 1)
        self.register_buffer("relative_position_index",
                             ember.from_numpy(index.reshape(-1).astype(np.int64)))

    def _bias_from_table(self, table):
        n = self.window_size[0] * self.window_size[1]
        bias = table[self.relative_position_index].reshape(n, n, -1)
        return bias.permute(2, 0, 1).contiguous().unsqueeze(0)

    def get_relative_position_bias(self):
        return self._bias_from_table(self.relative_position_bias_table)

    def _logit_scale(self):
        return None

    def forward(self, x):
        return shifted_window_attention(
            x, self.qkv.weight, self.proj.weight, self.get_relative_position_bias(),
            self.window_size, self.num_heads, shift_size=self.shift_size,
            attention_dropout=self.attention_dropout, dropout=self.dropout,
            qkv_bias=self.qkv.bias, proj_bias=self.proj.bias, logit_scale=self._logit_scale(),
            training=self.training)


class ShiftedWindowAttentionV2(ShiftedWindowAttention):
    """Swin V2 window attention: scaled cosine attention (learned ``logit_scale``) and a
    continuous position bias from a small MLP (``cpb_mlp``) on log-spaced coordinates."""

    def __init__(self, dim, window_size, shift_size, num_heads, qkv_bias=True, proj_bias=True,
                 attention_dropout=0.0, dropout=0.0):
        super().__init__(dim, window_size, shift_size, num_heads, qkv_bias=qkv_bias,
                         proj_bias=proj_bias, attention_dropout=attention_dropout,
                         dropout=dropout)
        self.logit_scale = nn.Parameter(ember.log(10 * ember.ones((num_heads, 1, 1))))
        self.cpb_mlp = nn.Sequential(nn.Linear(2, 512, bias=True), nn.ReLU(inplace=True),
                                     nn.Linear(512, num_heads, bias=False))
        if qkv_bias:
            length = self.qkv.bias.numel() // 3
            with ember.no_grad():
                self.qkv.bias[length:2 * length] = 0.0

    def define_relative_position_bias_table(self):
        wh, ww = self.window_size
        h = np.arange(-(wh - 1), wh, dtype=np.float32)
        w = np.arange(-(ww - 1), ww, dtype=np.float32)
        table = np.stack(np.meshgrid(h, w, indexing="ij")).transpose(1, 2, 0)[None].copy()
        table[..., 0] /= wh - 1
        table[..., 1] /= ww - 1
        table *= 8
        table = np.sign(table) * np.log2(np.abs(table) + 1.0) / 3.0
        self.register_buffer("relative_coords_table", ember.from_numpy(table.astype(np.float32)))

    def get_relative_position_bias(self):
        table = self.cpb_mlp(self.relative_coords_table).reshape(-1, self.num_heads)
        return 16 * ember.sigmoid(self._bias_from_table(table))

    def _logit_scale(self):
        return self.logit_scale


class SwinTransformerBlock(nn.Module):
    """``x + sd(attn(norm1(x)))``, then ``+ sd(mlp(norm2(.)))``; (B, H, W, C) -> same."""

    def __init__(self, dim, num_heads, window_size, shift_size, mlp_ratio=4.0, dropout=0.0,
                 attention_dropout=0.0, stochastic_depth_prob=0.0, norm_layer=nn.LayerNorm,
                 attn_layer=ShiftedWindowAttention):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = attn_layer(dim, window_size, shift_size, num_heads,
                               attention_dropout=attention_dropout, dropout=dropout)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.norm2 = norm_layer(dim)
        self.mlp = MLP(dim, [int(dim * mlp_ratio), dim], activation_layer=nn.GELU, inplace=None,
                       dropout=dropout)
        for m in self.mlp.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.normal_(m.bias, std=1e-6)

    def forward(self, x):
        x = x + self.stochastic_depth(self.attn(self.norm1(x)))
        return x + self.stochastic_depth(self.mlp(self.norm2(x)))


class SwinTransformerBlockV2(SwinTransformerBlock):
    """Swin V2 block: post-norm residuals, ``x + sd(norm1(attn(x)))``."""

    def __init__(self, dim, num_heads, window_size, shift_size, mlp_ratio=4.0, dropout=0.0,
                 attention_dropout=0.0, stochastic_depth_prob=0.0, norm_layer=nn.LayerNorm,
                 attn_layer=ShiftedWindowAttentionV2):
        super().__init__(dim, num_heads, window_size, shift_size, mlp_ratio, dropout,
                         attention_dropout, stochastic_depth_prob, norm_layer, attn_layer)

    def forward(self, x):
        x = x + self.stochastic_depth(self.norm1(self.attn(x)))
        return x + self.stochastic_depth(self.norm2(self.mlp(x)))


class SwinTransformer(nn.Module):
    """Swin Transformer: ``patch_size`` patch embedding to ``embed_dim``, stages of
    ``depths[i]`` blocks with ``num_heads[i]`` heads (every other block shifted by half a
    window), patch merging between stages.  (N, 3, H, W) -> (N, num_classes).

    Args:
        patch_size (list of int): the patch embedding's ``(h, w)``.
        embed_dim (int): the first stage's width (doubled at each merge).
        depths (list of int): blocks per stage.
        num_heads (list of int): heads per stage.
        window_size (list of int): the attention window.
        mlp_ratio (float): Default: ``4.0``.
        dropout, attention_dropout (float): Default: ``0``.
        stochastic_depth_prob (float): the largest stochastic-depth rate. Default: ``0.1``.
        num_classes (int): Default: ``1000``.
        norm_layer (callable, optional): Default: ``LayerNorm`` with eps 1e-5.
        block (type, optional): Default: ``SwinTransformerBlock``.
        downsample_layer (type): Default: ``PatchMerging``.

    Shape:
        - Input: ``(N, 3, H, W)``.
        - Output: ``(N, num_classes)`` logits.

    Example::

        >>> from ember.vision.models import SwinTransformer
        >>> swin = SwinTransformer([4, 4], 8, [1, 1], [1, 2], [2, 2], num_classes=10)
        >>> swin(ember.randn(1, 3, 32, 32)).shape
        ember.Size([1, 10])
    """

    def __init__(self, patch_size, embed_dim, depths, num_heads, window_size, mlp_ratio=4.0,
                 dropout=0.0, attention_dropout=0.0, stochastic_depth_prob=0.1, num_classes=1000,
                 norm_layer=None, block=None, downsample_layer=PatchMerging):
        super().__init__()
        self.num_classes = num_classes
        block = block or SwinTransformerBlock
        norm_layer = norm_layer or partial(nn.LayerNorm, eps=1e-5)
        layers = [nn.Sequential(
            nn.Conv2d(3, embed_dim, kernel_size=tuple(patch_size), stride=tuple(patch_size)),
            Permute([0, 2, 3, 1]), norm_layer(embed_dim))]
        total, block_id = sum(depths), 0
        for i_stage, depth in enumerate(depths):
            dim = embed_dim * 2 ** i_stage
            stage = []
            for i_layer in range(depth):
                stage.append(block(
                    dim, num_heads[i_stage], window_size=window_size,
                    shift_size=[0 if i_layer % 2 == 0 else w // 2 for w in window_size],
                    mlp_ratio=mlp_ratio, dropout=dropout, attention_dropout=attention_dropout,
                    stochastic_depth_prob=stochastic_depth_prob * block_id / (total - 1),
                    norm_layer=norm_layer))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if i_stage < len(depths) - 1:
                layers.append(downsample_layer(dim, norm_layer))
        self.features = nn.Sequential(*layers)
        num_features = embed_dim * 2 ** (len(depths) - 1)
        self.norm = norm_layer(num_features)
        self.permute = Permute([0, 3, 1, 2])
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten(1)
        self.head = nn.Linear(num_features, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.permute(self.norm(self.features(x)))
        return self.head(self.flatten(self.avgpool(x)))


# name: (embed_dim, depths, num_heads, window, stochastic depth, version 2)
_SETTINGS = {"swin_t": (96, [2, 2, 6, 2], [3, 6, 12, 24], 7, 0.2, False),
             "swin_s": (96, [2, 2, 18, 2], [3, 6, 12, 24], 7, 0.3, False),
             "swin_b": (128, [2, 2, 18, 2], [4, 8, 16, 32], 7, 0.5, False),
             "swin_v2_t": (96, [2, 2, 6, 2], [3, 6, 12, 24], 8, 0.2, True),
             "swin_v2_s": (96, [2, 2, 18, 2], [3, 6, 12, 24], 8, 0.3, True),
             "swin_v2_b": (128, [2, 2, 18, 2], [4, 8, 16, 32], 8, 0.5, True)}


def _swin(name, **kwargs):
    embed_dim, depths, heads, window, sd_prob, v2 = _SETTINGS[name]
    if v2:
        kwargs.setdefault("block", SwinTransformerBlockV2)
        kwargs.setdefault("downsample_layer", PatchMergingV2)
    return SwinTransformer([4, 4], embed_dim, depths, heads, [window, window],
                           stochastic_depth_prob=kwargs.pop("stochastic_depth_prob", sd_prob),
                           **kwargs)


Swin_B_Weights = weights_enum("Swin_B_Weights", __name__, "swin_b", {
    "IMAGENET1K_V1": ("swin_b-68c6b09e.pth", 224, 238, "BICUBIC", 87768224, 224),
})
Swin_S_Weights = weights_enum("Swin_S_Weights", __name__, "swin_s", {
    "IMAGENET1K_V1": ("swin_s-5e29d889.pth", 224, 246, "BICUBIC", 49606258, 224),
})
Swin_T_Weights = weights_enum("Swin_T_Weights", __name__, "swin_t", {
    "IMAGENET1K_V1": ("swin_t-704ceda3.pth", 224, 232, "BICUBIC", 28288354, 224),
})
Swin_V2_B_Weights = weights_enum("Swin_V2_B_Weights", __name__, "swin_v2_b", {
    "IMAGENET1K_V1": ("swin_v2_b-781e5279.pth", 256, 272, "BICUBIC", 87930848, 256),
})
Swin_V2_S_Weights = weights_enum("Swin_V2_S_Weights", __name__, "swin_v2_s", {
    "IMAGENET1K_V1": ("swin_v2_s-637d8ceb.pth", 256, 260, "BICUBIC", 49737442, 256),
})
Swin_V2_T_Weights = weights_enum("Swin_V2_T_Weights", __name__, "swin_v2_t", {
    "IMAGENET1K_V1": ("swin_v2_t-b137f0e2.pth", 256, 260, "BICUBIC", 28351570, 256),
})

swin_t = model_builder("swin_t", partial(_swin, "swin_t"), Swin_T_Weights, "Swin-T.")
swin_s = model_builder("swin_s", partial(_swin, "swin_s"), Swin_S_Weights, "Swin-S.")
swin_b = model_builder("swin_b", partial(_swin, "swin_b"), Swin_B_Weights, "Swin-B.")
swin_v2_t = model_builder("swin_v2_t", partial(_swin, "swin_v2_t"),
                          Swin_V2_T_Weights, "Swin-V2-T.")
swin_v2_s = model_builder("swin_v2_s", partial(_swin, "swin_v2_s"),
                          Swin_V2_S_Weights, "Swin-V2-S.")
swin_v2_b = model_builder("swin_v2_b", partial(_swin, "swin_v2_b"),
                          Swin_V2_B_Weights, "Swin-V2-B.")
