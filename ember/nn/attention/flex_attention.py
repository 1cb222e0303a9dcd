"""``torch.nn.attention.flex_attention``: torch's compiled block-sparse attention.

ember has no compiler to generate those kernels. ``BlockMask`` exists for annotations and
``isinstance`` checks (libraries test for it); ``create_block_mask`` and ``flex_attention`` raise
NotImplementedError pointing at ``scaled_dot_product_attention`` with a dense mask.

Example:
    >>> from ember.nn.attention.flex_attention import BlockMask
    >>> isinstance(ember.ones(2), BlockMask)
    False
"""

__all__ = ["AuxRequest", "BlockMask", "create_block_mask", "flex_attention"]

_DEFAULT_SPARSE_BLOCK_SIZE = 128  # torch's block size, which libraries read as a default

_UNSUPPORTED = ("ember does not implement flex attention (it needs torch's compiler); use "
                "nn.functional.scaled_dot_product_attention with a dense attn_mask")


class BlockMask:
    """torch's block-sparse attention mask; ember cannot build one, so constructing it raises.

    The class exists for type annotations and ``isinstance`` checks in libraries.

    Example:
        >>> from ember.nn.attention.flex_attention import BlockMask
        >>> isinstance(ember.ones(2), BlockMask)
        False
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_UNSUPPORTED)


class AuxRequest:
    """torch's request for extra flex-attention outputs, recorded only (``flex_attention`` raises).

    Args:
        lse (bool): ask for the log-sum-exp of the scores. Default: ``False``.
        max_scores (bool): ask for the maximum scores. Default: ``False``.

    Example:
        >>> from ember.nn.attention.flex_attention import AuxRequest
        >>> AuxRequest(lse=True).lse
        True
    """

    def __init__(self, lse=False, max_scores=False):
        self.lse = lse
        self.max_scores = max_scores


def create_block_mask(mask_mod, B, H, Q_LEN, KV_LEN, device="cuda", BLOCK_SIZE=128, _compile=False):
    """Raise ``NotImplementedError``: ember has no flex attention (torch's needs its compiler).

    Use ``scaled_dot_product_attention`` with a dense boolean ``attn_mask`` instead.

    Example:
        >>> from ember.nn.attention.flex_attention import create_block_mask
        >>> create_block_mask(None, 1, 1, 4, 4)
        Traceback (most recent call last):
        NotImplementedError: ember does not implement flex attention ...
    """
    raise NotImplementedError(_UNSUPPORTED)


def flex_attention(query, key, value, score_mod=None, block_mask=None, scale=None,
                   enable_gqa=False, return_lse=False, kernel_options=None):
    """Raise ``NotImplementedError``: ember has no flex attention (it needs torch's compiler).

    Use ``scaled_dot_product_attention`` with a dense ``attn_mask`` instead.

    Example:
        >>> from ember.nn.attention.flex_attention import flex_attention
        >>> q = ember.ones(1, 1, 4, 8)
        >>> flex_attention(q, q, q)
        Traceback (most recent call last):
        NotImplementedError: ember does not implement flex attention ...
    """
    raise NotImplementedError(_UNSUPPORTED)
