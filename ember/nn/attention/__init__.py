"""``torch.nn.attention``: choosing the kernel behind ``scaled_dot_product_attention``.

ember has one attention kernel (``nn.functional.scaled_dot_product_attention``, NumPy or CuPy),
so ``sdpa_kernel(backends)`` accepts torch's backend choices and runs the block unchanged.
``flex_attention`` holds torch's block-sparse attention names; ember does not implement them.

Example:
    >>> from ember.nn.attention import SDPBackend, sdpa_kernel
    >>> q = k = v = ember.zeros(1, 2, 4, 8)
    >>> with sdpa_kernel(SDPBackend.MATH):
    ...     out = ember.nn.functional.scaled_dot_product_attention(q, k, v)
    >>> out.shape
    ember.Size([1, 2, 4, 8])
"""
import contextlib
import enum

__all__ = ["SDPBackend", "sdpa_kernel"]


class SDPBackend(enum.IntEnum):
    """torch's attention backends, with torch's names and values; ember runs the same math for all.

    Members: ``ERROR``, ``MATH``, ``FLASH_ATTENTION``, ``EFFICIENT_ATTENTION``,
    ``CUDNN_ATTENTION``, ``OVERRIDEABLE``.

    Example:
        >>> from ember.nn.attention import SDPBackend
        >>> SDPBackend.FLASH_ATTENTION.value
        1
    """
    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority=False):
    """Context manager choosing the ``scaled_dot_product_attention`` backends inside its block.

    ember has one kernel, so the choice is only checked (every entry must be an ``SDPBackend``, else
    ``AssertionError``) and the block runs unchanged.

    Args:
        backends (SDPBackend or list of SDPBackend): the backends allowed.
        set_priority (bool): treat the list as a priority order; accepted. Default: ``False``.

    Example:
        >>> from ember.nn.attention import SDPBackend, sdpa_kernel
        >>> q = ember.ones(1, 3, 4)
        >>> with sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.MATH]):
        ...     out = ember.nn.functional.scaled_dot_product_attention(q, q, q)
        >>> out.shape
        ember.Size([1, 3, 4])
    """
    for backend in backends if isinstance(backends, (list, tuple, set)) else [backends]:
        if not isinstance(backend, SDPBackend):
            raise AssertionError("Backend must be an instance of SDPBackend")
    yield
