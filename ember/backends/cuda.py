"""``torch.backends.cuda``: CUDA math switches (``matmul.allow_tf32``, the SDPA kernels).

ember computes float32 at full precision and attention with one kernel, so
these are recorded and read back, changing no result; ``is_built()`` says
whether ember can reach CUDA (CuPy and a GPU).

Example::

    >>> ember.backends.cuda.matmul.allow_tf32 = True
"""
import types
from .._backend import cuda_available

__all__ = ["is_built", "matmul", "flash_sdp_enabled", "mem_efficient_sdp_enabled",
           "math_sdp_enabled", "enable_flash_sdp", "enable_mem_efficient_sdp", "enable_math_sdp"]

matmul = types.SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                               allow_bf16_reduced_precision_reduction=True)
_sdp = {"flash": True, "mem_efficient": True, "math": True}


def is_built():
    """True when ember can run on CUDA (CuPy with a GPU)."""
    return cuda_available()


def _sdp_switch(kernel):
    """The ``<kernel>_sdp_enabled`` query and ``enable_<kernel>_sdp`` setter for one kernel."""
    def enabled():
        return _sdp[kernel]

    def enable(on):
        _sdp[kernel] = bool(on)
    enabled.__doc__ = f"Whether the {kernel} attention kernel is allowed (recorded only)."
    enable.__doc__ = f"Allow or forbid the {kernel} attention kernel (recorded only)."
    return enabled, enable


flash_sdp_enabled, enable_flash_sdp = _sdp_switch("flash")
mem_efficient_sdp_enabled, enable_mem_efficient_sdp = _sdp_switch("mem_efficient")
math_sdp_enabled, enable_math_sdp = _sdp_switch("math")
