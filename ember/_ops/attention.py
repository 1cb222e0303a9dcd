"""Attention: ``scaled_dot_product_attention`` and ``multi_head_attention_forward``.

The core is one op, ``Attention``, on raw arrays::

    P = softmax(Q K^T * scale + bias  [+ causal -inf above the diagonal])
    out = (P * keep) @ V                      keep: dropout mask scaled by 1/(1-p)

and its backward, with D = (dOut V^T) * keep::

    dV = (P * keep)^T dOut,   dS = P * (D - rowsum(D * P)),   dbias = dS,
    dQ = dS K * scale,        dK = dS^T Q * scale

(batch dims broadcast, and gradients are summed back to each input's shape).
Masks become an additive float ``bias``: a bool mask gives 0 where attention
is allowed and -inf elsewhere.  A query whose every key is masked gets a zero
output in ``scaled_dot_product_attention`` (as torch's kernels give) and NaN
in the need-weights path of multi-head attention (as torch's softmax gives).
"""
import math

import numpy as np

from .creation import zeros
from .shape.funcs import cat
from .base import Op, get_xp, sum_to
from .elementwise.ops import quiet
from .._tensor import _wrap
from ..nn._functional.dropout import _keep_mask, check_p
from .linear import linear
from ..nn._functional.padding import pad

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


class Attention(Op):
    """softmax(q k^T * scale + bias) (dropout ``keep``) @ v, optionally returning the weights."""

    def __init__(self, scale, causal=False, keep=None, zero_masked_rows=True, with_weights=False):
        self.scale, self.causal, self.keep = scale, causal, keep
        self.zero_masked_rows, self.with_weights = zero_masked_rows, with_weights

    @quiet
    def forward(self, q, k, v, bias):
        xp = get_xp(q)
        self.shapes = (q.shape, k.shape, v.shape, None if bias is None else bias.shape)
        s, weights = self._weights(xp, q, k, bias)
        self.q, self.k, self.v, self.bias, self.p, self.weights = q, k, v, bias, s, weights
        self.save_inputs = (0, 1, 2) if bias is None else (0, 1, 2, 3)
        out = xp.matmul(weights, v)
        return (out, weights.copy()) if self.with_weights else out

    def regraph(self):
        """Under create_graph: the attention weights again from the swapped q, k and bias."""
        p, weights = self._weights(get_xp(self.q), self.q, self.k, self.bias)
        return {"p": p, "weights": weights}

    def _weights(self, xp, q, k, bias):
        """The softmax ``P`` and the weights applied to v (``P`` times the dropout mask)."""
        s = xp.matmul(q, xp.swapaxes(k, -1, -2))
        s *= self.scale
        if bias is not None:
            if np.broadcast_shapes(s.shape, bias.shape) == s.shape:
                s += bias
            else:
                s = s + bias
        if self.causal:
            s[..., xp.triu(xp.ones(s.shape[-2:], bool), 1)] = -xp.inf
        top = s.max(axis=-1, keepdims=True)
        masked = None
        if self.zero_masked_rows:
            masked = xp.isneginf(top)
            top[masked] = 0
        s -= top
        xp.exp(s, out=s)
        total = s.sum(axis=-1, keepdims=True)
        if masked is not None:
            total[masked] = 1
        s /= total
        return s, (s if self.keep is None else s * self.keep)

    @quiet
    def backward(self, g, gw=None):
        nq, nk, nv, nb = self.needs_input_grad
        xp = get_xp(g if g is not None else gw)
        qs, ks, vs, bs = self.shapes
        swap = lambda a: xp.swapaxes(a, -1, -2)  # noqa: E731
        dq = dk = dv = db = None
        if g is not None and nv:
            dv = sum_to(xp.matmul(swap(self.weights), g), vs)
        if nq or nk or nb:
            dw = xp.matmul(g, swap(self.v)) if g is not None else xp.zeros_like(self.p)
            if gw is not None:
                dw += gw
            if self.keep is not None:
                dw *= self.keep
            dw *= self.p
            ds = dw - self.p * dw.sum(axis=-1, keepdims=True)
            if nb:
                db = sum_to(ds, bs)
            ds *= self.scale
            if nq:
                dq = sum_to(xp.matmul(ds, self.k), qs)
            if nk:
                dk = sum_to(xp.matmul(swap(ds), self.q), ks)
        return dq, dk, dv, db


def _np_dtype(t):
    return t._data.dtype


def _bool_or_float_bias(mask, like, allowed_when, error):
    """Mask -> additive bias of ``like``'s dtype; ``error(mask)`` raises for other dtypes."""
    if mask is None:
        return None
    if mask.is_floating_point():
        return mask
    if mask._data.dtype != np.bool_:
        raise error(mask)
    arr = mask._data
    xp = get_xp(arr)
    bias = xp.zeros(arr.shape, _np_dtype(like))
    bias[arr != allowed_when] = -xp.inf
    return _wrap(bias)


def _sdpa_mask_error(query):
    def error(mask):
        return RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query "
                            f"dtype, but got attn_mask.dtype: {mask.dtype} and  query.dtype: "
                            f"{query.dtype} instead.")
    return error


def _dropout_keep(like, shape, p):
    """The scaled keep-mask of attention dropout (None when p == 0)."""
    check_p(p)
    if p == 0:
        return None
    if p == 1:
        return get_xp(like._data).zeros(shape, _np_dtype(like))
    keep = _keep_mask(like, shape, p)
    keep *= 1.0 / (1.0 - p)
    return keep


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """Scaled dot-product attention: ``softmax(Q K^T * scale + mask) V`` over the last two
    dimensions.

    ``scale`` defaults to ``1 / sqrt(E)``.  Leading (batch, head) dimensions broadcast.  A boolean
    ``attn_mask`` marks with ``True`` the keys a query *may* attend to (the opposite of
    ``MultiheadAttention``'s masks); a float mask is added to the scores.  ``is_causal`` hides the
    keys after each query (top-left aligned).  ``enable_gqa`` lets key and value have fewer heads
    (dimension -3) than the query, each shared by a group of query heads.

    Args:
        query (Tensor): ``(*, L, E)``.
        key (Tensor): ``(*, S, E)``.
        value (Tensor): ``(*, S, Ev)``.
        attn_mask (Tensor, optional): bool or float, broadcastable to ``(*, L, S)``. Default:
          ``None``.
        dropout_p (float): dropout probability on the attention weights. Default: ``0.0``.
        is_causal (bool): apply a causal mask; not with ``attn_mask``. Default: ``False``.
        scale (float, optional): the score factor. Default: ``None``, ``1 / sqrt(E)``.
        enable_gqa (bool): grouped-query attention. Default: ``False``.

    Shape:
        - Output: ``(*, L, Ev)``.

    Example:
        >>> q = ember.tensor([[[1., 0.], [0., 1.]]])
        >>> v = ember.tensor([[[1., 2.], [3., 4.]]])
        >>> ember.nn.functional.scaled_dot_product_attention(q, q, v, is_causal=True)
        tensor([[[1.0000, 2.0000],
                 [2.3395, 3.3395]]])
    """
    if min(query.dim(), key.dim(), value.dim()) < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, "
                           f"but got query.dim: {query.dim()} key.dim: {key.dim()} and value.dim: "
                           f"{value.dim()} instead.")
    if not (query.dtype == key.dtype == value.dtype) or not query.is_floating_point():
        raise RuntimeError(f"Expected query, key, and value to have the same dtype (a floating "
                           f"one), but got query.dtype: {query.dtype} key.dtype: {key.dtype} and "
                           f"value.dtype: {value.dtype} instead.")
    if attn_mask is not None and is_causal:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if key.shape[-1] != query.shape[-1]:
        raise RuntimeError(f"scaled_dot_product_attention: query and key must have the same "
                           f"embedding size, got query {tuple(query.shape)} and key "
                           f"{tuple(key.shape)}")
    if key.shape[-2] != value.shape[-2]:
        raise RuntimeError(f"scaled_dot_product_attention: key and value must have the same "
                           f"sequence length, got key {tuple(key.shape)} and value "
                           f"{tuple(value.shape)}")
    if enable_gqa and query.dim() >= 3 and key.dim() >= 3:
        key, value = _expand_groups(query, key, value)
    bias = _bool_or_float_bias(attn_mask, query, True, _sdpa_mask_error(query))
    lq, sk = query.shape[-2], key.shape[-2]
    try:
        shape = np.broadcast_shapes(tuple(query.shape[:-2]), tuple(key.shape[:-2]),
                                    tuple(value.shape[:-2])) + (lq, sk)
        if bias is not None:
            shape = np.broadcast_shapes(shape, tuple(bias.shape))
    except ValueError:
        raise RuntimeError(f"scaled_dot_product_attention: shapes do not broadcast: query "
                           f"{tuple(query.shape)}, key {tuple(key.shape)}, value "
                           f"{tuple(value.shape)}" + ("" if bias is None else
                                                      f", attn_mask {tuple(bias.shape)}")) from None
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1])
    keep = _dropout_keep(query, shape, dropout_p)
    return Attention(scale, is_causal, keep)(query, key, value, bias)


def _expand_groups(query, key, value):
    """Repeat key/value heads (dim -3) so each serves its group of query heads."""
    hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
    if hq % hk or hq % hv:
        raise RuntimeError(f"Number of heads in key and value must divide the number of heads "
                           f"in query, got query heads {hq}, key heads {hk}, value heads {hv}")
    if hk != hq:
        key = key.repeat_interleave(hq // hk, dim=-3)
    if hv != hq:
        value = value.repeat_interleave(hq // hv, dim=-3)
    return key, value


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """True for batched (3-D) inputs; torch's AssertionErrors for inconsistent ranks."""
    if query.dim() not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received "
                             f"{query.dim()}-D query tensor")
    batched = query.dim() == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.dim() != query.dim() or value.dim() != query.dim():
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be "
                             f"{query.dim()}-D but found {key.dim()}-D and {value.dim()}-D "
                             "tensors respectively")
    if key_padding_mask is not None and key_padding_mask.dim() != query.dim() - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or "
                             f"{query.dim() - 1}-D but found {key_padding_mask.dim()}-D tensor "
                             "instead")
    if attn_mask is not None:
        if attn_mask.dim() not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or "
                                 f"3-D but found {attn_mask.dim()}-D tensor instead")
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
            raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                 f"{tuple(attn_mask.shape)}")
    return batched


def _mha_mask_error(name):
    def error(mask):
        return AssertionError(f"only bool and floating types of {name} are supported (got "
                              f"{mask.dtype})")
    return error


def _project(query, key, value, embed, in_proj_weight, in_proj_bias, separate):
    """q, k, v of multi-head attention: one matmul when query, key and value are one tensor."""
    if separate:
        weights = separate
    else:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        if query is key and key is value:
            return linear(query, in_proj_weight, in_proj_bias).chunk(3, dim=-1)
        weights = (in_proj_weight[:embed], in_proj_weight[embed:2 * embed],
                   in_proj_weight[2 * embed:])
    biases = (None,) * 3 if in_proj_bias is None else \
        (in_proj_bias[:embed], in_proj_bias[embed:2 * embed], in_proj_bias[2 * embed:])
    return tuple(linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))


def _heads(x, bsz, num_heads, head_dim, static=None):
    """(S, N, E) -> (N, H, S, head_dim); a given ``static`` (N * H, S, head_dim) is used instead."""
    if static is not None:
        if static.shape[0] != bsz * num_heads or static.shape[2] != head_dim:
            raise AssertionError(f"expecting static key/value of shape ({bsz * num_heads}, S, "
                                 f"{head_dim}), but got {tuple(static.shape)}")
        return static.reshape(bsz, num_heads, static.shape[1], head_dim)
    return x.reshape(x.shape[0], bsz, num_heads, head_dim).permute(1, 2, 0, 3)


def _pad_key(mask):
    """One more key position, unmasked (for bias_k/bias_v and add_zero_attn)."""
    return None if mask is None else pad(mask, (0, 1))


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """The computation of ``MultiheadAttention`` with every weight passed explicitly.

    Projects query, key and value (with ``in_proj_weight`` split in three, or the separate
    ``q/k/v_proj_weight`` when ``use_separate_proj_weight``), runs scaled dot-product attention in
    ``num_heads`` heads and applies the output projection.  Boolean ``attn_mask`` and
    ``key_padding_mask`` entries ``True`` may *not* be attended to; float masks are added to the
    scores.  Returns ``(output, weights)``; weights are averaged over heads unless
    ``average_attn_weights=False``, and ``None`` without ``need_weights``.

    Args:
        query (Tensor): ``(L, N, E)`` or ``(L, E)``.
        key (Tensor): ``(S, N, E_k)`` or ``(S, E_k)``.
        value (Tensor): ``(S, N, E_v)`` or ``(S, E_v)``.
        embed_dim_to_check (int): expected ``E``.
        num_heads (int): number of heads.
        in_proj_weight (Tensor or None): ``(3 * E, E)`` stacked projections.
        in_proj_bias (Tensor or None): ``(3 * E,)``.
        bias_k (Tensor or None): ``(1, 1, E)`` row appended to the keys.
        bias_v (Tensor or None): ``(1, 1, E)`` row appended to the values.
        add_zero_attn (bool): append a zero row to keys and values.
        dropout_p (float): dropout on the attention weights.
        out_proj_weight (Tensor): ``(E, E)``.
        out_proj_bias (Tensor or None): ``(E,)``.
        training (bool): apply dropout. Default: ``True``.
        key_padding_mask (Tensor, optional): ``(N, S)`` or ``(S,)``. Default: ``None``.
        need_weights (bool): also return the attention weights. Default: ``True``.
        attn_mask (Tensor, optional): ``(L, S)`` or ``(N * num_heads, L, S)``. Default: ``None``.
        use_separate_proj_weight (bool): use ``q/k/v_proj_weight``. Default: ``False``.
        q_proj_weight (Tensor, optional): ``(E, E)``. Default: ``None``.
        k_proj_weight (Tensor, optional): ``(E, E_k)``. Default: ``None``.
        v_proj_weight (Tensor, optional): ``(E, E_v)``. Default: ``None``.
        static_k (Tensor, optional): ready-made keys ``(N * num_heads, S, E / num_heads)``.
          Default: ``None``.
        static_v (Tensor, optional): ready-made values, same layout. Default: ``None``.
        average_attn_weights (bool): average the weights over heads. Default: ``True``.
        is_causal (bool): hint that ``attn_mask`` is causal, or make one if absent. Default:
          ``False``.

    Shape:
        - Output: ``(L, N, E)`` or ``(L, E)``; weights ``(N, L, S)`` (``(N, num_heads, L, S)``
          unaveraged).

    Example:
        >>> E = 4
        >>> out, w = ember.nn.functional.multi_head_attention_forward(
        ...     ember.zeros(3, 2, E), ember.zeros(5, 2, E), ember.zeros(5, 2, E), E, 2,
        ...     ember.ones(3 * E, E), None, None, None, False, 0.0, ember.ones(E, E), None)
        >>> out.shape, w.shape
        (ember.Size([3, 2, 4]), ember.Size([2, 3, 5]))
    """
    if query._data.dtype.kind in "iub":
        raise RuntimeError("multi_head_attention_forward: expected scalar type Float but found "
                           f"{query.dtype._tensor_type[:-6]} (the query must be floating point)")
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        same = {}
        query, key, value = (same.setdefault(id(x), x.unsqueeze(1)) for x in (query, key, value))
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed = query.shape
    kpm = _bool_or_float_bias(key_padding_mask, query, False, _mha_mask_error("key_padding_mask"))
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    causal = is_causal and kpm is None and not need_weights
    mask = None if causal else _bool_or_float_bias(attn_mask, query, False,
                                                   _mha_mask_error("attn_mask"))
    if embed != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed}")
    head_dim = embed // num_heads
    if head_dim * num_heads != embed:
        raise AssertionError(f"embed_dim {embed} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {tuple(key.shape[:2])} do not "
                                 f"match value's {tuple(value.shape[:2])}")
        separate = (q_proj_weight, k_proj_weight, v_proj_weight)
        if any(w is None for w in separate):
            raise AssertionError("use_separate_proj_weight is True but q/k/v_proj_weight is None")
    else:
        separate = None
        if tuple(key.shape) != tuple(value.shape):
            raise AssertionError(f"key shape {tuple(key.shape)} does not match value shape "
                                 f"{tuple(value.shape)}")
    q, k, v = _project(query, key, value, embed, in_proj_weight, in_proj_bias, separate)
    src_len = key.shape[0]
    if mask is not None:
        if mask.dim() == 2:
            if tuple(mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {tuple(mask.shape)}, but "
                                   f"should be {(tgt_len, src_len)}.")
            mask = mask.reshape(1, 1, tgt_len, src_len)
        else:
            if tuple(mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {tuple(mask.shape)}, but "
                                   f"should be {(bsz * num_heads, tgt_len, src_len)}.")
            mask = mask.reshape(bsz, num_heads, tgt_len, src_len)
    if bias_k is not None or bias_v is not None:
        if bias_k is None or bias_v is None:
            raise AssertionError("bias_k and bias_v must be given together")
        if static_k is not None or static_v is not None:
            raise AssertionError("bias cannot be added to static key or value.")
        k = cat([k, bias_k.expand(1, bsz, embed)])
        v = cat([v, bias_v.expand(1, bsz, embed)])
        mask, kpm = _pad_key(mask), _pad_key(kpm)
    q = _heads(q, bsz, num_heads, head_dim)
    k = _heads(k, bsz, num_heads, head_dim, static_k)
    v = _heads(v, bsz, num_heads, head_dim, static_v)
    if add_zero_attn:
        extra = zeros(bsz, num_heads, 1, head_dim, dtype=q.dtype, device=q.device)
        k, v = cat([k, extra], 2), cat([v, extra], 2)
        mask, kpm = _pad_key(mask), _pad_key(kpm)
    src_len = k.shape[2]
    if kpm is not None:
        if tuple(kpm.shape) != (bsz, src_len):
            raise AssertionError(f"Expected key_padding_mask of shape {(bsz, src_len)}, but got "
                                 f"{tuple(kpm.shape)}")
        kpm = kpm.reshape(bsz, 1, 1, src_len)
        mask = kpm if mask is None else mask + kpm
    keep = _dropout_keep(q, (bsz, num_heads, tgt_len, src_len), dropout_p if training else 0.0)
    res = Attention(1.0 / math.sqrt(head_dim), causal, keep, zero_masked_rows=not need_weights,
                    with_weights=need_weights)(q, k, v, mask)
    out, weights = res if need_weights else (res, None)
    out = linear(out.permute(2, 0, 1, 3).reshape(tgt_len, bsz, embed), out_proj_weight,
                 out_proj_bias)
    if weights is not None and average_attn_weights:
        weights = weights.mean(dim=1)
    if not batched:
        out = out.squeeze(1)
        weights = None if weights is None else weights.squeeze(0)
    return out, weights
