"""``torch.backends.cuda``: CUDA math switches (``matmul.allow_tf32``, the SDPA kernels).

ember computes float32 at full precision and attention with one kernel, so
these are recorded and read back, changing no result; ``is_built()`` says
whether ember can reach CUDA (CuPy and a GPU).

Example::

    >>> ember.backends.cuda.matmul.allow_tf32 = True
"""
import types

__all__ = ["is_built", "matmul", "flash_sdp_enabled", "mem_efficient_sdp_enabled",
           "math_sdp_enabled", "enable_flash_sdp", "enable_mem_efficient_sdp", "enable_math_sdp"]

matmul = types.SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                               allow_bf16_reduced_precision_reduction=True)
_sdp = {"flash": True, "mem_efficient": True, "math": True}


def is_built():
    """True when ember can run on CUDA (CuPy with a GPU)."""
    from .._backend import cuda_available
    return cuda_available()


def flash_sdp_enabled():
    return _sdp["flash"]


def mem_efficient_sdp_enabled():
    return _sdp["mem_efficient"]


def math_sdp_enabled():
    return _sdp["math"]


def enable_flash_sdp(enabled):
    _sdp["flash"] = bool(enabled)


def enable_mem_efficient_sdp(enabled):
    _sdp["mem_efficient"] = bool(enabled)


def enable_math_sdp(enabled):
    _sdp["math"] = bool(enabled)
