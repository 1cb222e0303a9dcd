"""The Transformer encoder/decoder layers and stacks (their attention is ``MultiheadAttention``,
in ``activation.py`` as in torch).

Submodule and parameter names (``self_attn.in_proj_weight``, ``linear1``,
``norm1``, ``layers.0``, ...), defaults and initialisation follow torch, so
state dicts move across unchanged.  The maths lives in
``_ops/attention.py``.
"""
import copy

from ..._ops.creation import full
from .. import init
from ..._ops.activation import funcs as A
from .activation import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

__all__ = ["TransformerEncoderLayer", "TransformerEncoder",
           "TransformerDecoderLayer", "TransformerDecoder", "Transformer"]


def _activation(activation):
    """'relu' / 'gelu' -> the function; a callable as given."""
    if callable(activation):
        return activation
    if activation == "relu":
        return A.relu
    if activation == "gelu":
        return A.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


class _TransformerLayer(Module):
    """What encoder and decoder layers share: attention block(s) named ``_attn_names``, the
    feed-forward block (linear1, dropout, linear2), one LayerNorm and Dropout per block,
    and the residual wiring (norm after each block, or before it with ``norm_first``)."""

    _attn_names = ()
    _notes_activation = False

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=A.relu,
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None):
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        for name in self._attn_names:
            setattr(self, name, MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                   batch_first=batch_first, **kw))
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        blocks = range(1, len(self._attn_names) + 2)
        for i in blocks:
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw))
        for i in blocks:
            setattr(self, f"dropout{i}", Dropout(dropout))
        if self._notes_activation:   # as torch's encoder layer: relu 1, gelu 2, other 0
            self.activation_relu_or_gelu = 1 if activation in ("relu", A.relu) else \
                2 if activation in ("gelu", A.gelu) else 0
        self.activation = _activation(activation)

    def _residual(self, x, blocks):
        """x through each (norm, block) pair with its residual connection."""
        for norm, block in blocks:
            x = x + block(norm(x)) if self.norm_first else norm(x + block(x))
        return x

    @staticmethod
    def _attend(attn, dropout, x, mem, attn_mask, key_padding_mask, is_causal):
        return dropout(attn(x, mem, mem, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                            is_causal=is_causal, need_weights=False)[0])

    def _ff_block(self, x, dropout):
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "activation"):
            self.activation = A.relu


class TransformerEncoderLayer(_TransformerLayer):
    """Self-attention then a feed-forward block, each with a residual and LayerNorm."""

    _attn_names = ("self_attn",)
    _notes_activation = True

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        return self._residual(src, (
            (self.norm1, lambda x: self._attend(self.self_attn, self.dropout1, x, x, src_mask,
                                                src_key_padding_mask, is_causal)),
            (self.norm2, lambda x: self._ff_block(x, self.dropout2))))


class TransformerDecoderLayer(_TransformerLayer):
    """Self-attention, attention over the encoder's memory, then a feed-forward block."""

    _attn_names = ("self_attn", "multihead_attn")

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        return self._residual(tgt, (
            (self.norm1, lambda x: self._attend(self.self_attn, self.dropout1, x, x, tgt_mask,
                                                tgt_key_padding_mask, tgt_is_causal)),
            (self.norm2, lambda x: self._attend(self.multihead_attn, self.dropout2, x, memory,
                                                memory_mask, memory_key_padding_mask,
                                                memory_is_causal)),
            (self.norm3, lambda x: self._ff_block(x, self.dropout3))))


def _causal_hint(mask, is_causal, size):
    """torch's rule: without an explicit hint, a mask equal to the square causal mask is causal."""
    if is_causal is None and mask is not None and tuple(mask.shape[-2:]) == (size, size):
        causal = Transformer.generate_square_subsequent_mask(size, device=mask.device,
                                                             dtype=mask.dtype)
        return bool((mask == causal).all())
    return bool(is_causal)


class _LayerStack(Module):
    """``num_layers`` deep copies of ``layer`` (as ``layers``), then an optional ``norm``."""

    def __init__(self, layer, num_layers, norm):
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])
        self.num_layers, self.norm = num_layers, norm

    def _is_causal(self, x, mask, is_causal):
        seq_len = x.shape[1 if self.layers[0].self_attn.batch_first and x.dim() == 3 else 0]
        return _causal_hint(mask, is_causal, seq_len)

    def _run(self, out, call):
        for layer in self.layers:
            out = call(layer, out)
        return out if self.norm is None else self.norm(out)


class TransformerEncoder(_LayerStack):
    """A stack of encoder layers (``enable_nested_tensor`` is accepted; ember has no nested
    tensors, so padded positions are computed like the others)."""

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                 mask_check=True):
        super().__init__(encoder_layer, num_layers, norm)
        self.enable_nested_tensor, self.mask_check = enable_nested_tensor, mask_check
        # torch's flag for its nested-tensor fast path; False keeps torch, loading this
        # layer from a pickle, on the dense path ember computes
        self.use_nested_tensor = False

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        is_causal = self._is_causal(src, mask, is_causal)
        return self._run(src, lambda layer, x: layer(
            x, src_mask=mask, is_causal=is_causal, src_key_padding_mask=src_key_padding_mask))


class TransformerDecoder(_LayerStack):
    """A stack of decoder layers over one encoder memory."""

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__(decoder_layer, num_layers, norm)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        tgt_is_causal = self._is_causal(tgt, tgt_mask, tgt_is_causal)
        return self._run(tgt, lambda layer, x: layer(
            x, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal))


class Transformer(Module):
    """Encoder-decoder transformer (torch's ``nn.Transformer``), xavier-initialised."""

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
                 dim_feedforward=2048, dropout=0.1, activation=A.relu, custom_encoder=None,
                 custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False,
                 bias=True, device=None, dtype=None):
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        layer_args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                      batch_first, norm_first, bias)

        def stack(custom, stack_cls, layer_cls, num_layers):
            if custom is not None:
                return custom
            return stack_cls(layer_cls(*layer_args, **kw), num_layers,
                             LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw))
        self.encoder = stack(custom_encoder, TransformerEncoder, TransformerEncoderLayer,
                             num_encoder_layers)
        self.decoder = stack(custom_decoder, TransformerDecoder, TransformerDecoderLayer,
                             num_decoder_layers)
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        for p in self.parameters():
            if p.dim() > 1:
                init.xavier_uniform_(p)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                src_key_padding_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        batched = src.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if batched and src.shape[batch_dim] != tgt.shape[batch_dim]:
            raise RuntimeError(f"the batch number of src and tgt must be equal (src "
                               f"{tuple(src.shape)}, tgt {tuple(tgt.shape)})")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"the feature number of src and tgt must be equal to d_model "
                               f"({self.d_model}), got src {tuple(src.shape)} and tgt "
                               f"{tuple(tgt.shape)}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """A float (sz, sz) mask: -inf above the diagonal, 0 elsewhere."""
        return full((sz, sz), float("-inf"), device=device, dtype=dtype).triu(1)
