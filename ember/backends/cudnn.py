"""``torch.backends.cudnn``: cuDNN's switches, kept as plain module attributes.

ember does not use cuDNN (GPU convolutions run through CuPy), so
``is_available()`` is False and ``version()`` None; ``benchmark``,
``deterministic``, ``enabled`` and ``allow_tf32`` can be set and read back,
and ``flags(...)`` sets them for a block.

Example::

    >>> ember.backends.cudnn.benchmark = True
"""
import contextlib

__all__ = ["allow_tf32", "benchmark", "deterministic", "enabled", "flags", "is_available",
           "version"]

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True


def is_available():
    """False: ember does not use cuDNN."""
    return False


def version():
    """None: no cuDNN library is loaded."""
    return None


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True):
    """Set the flags for the duration of a ``with`` block, then restore them."""
    names = ("enabled", "benchmark", "benchmark_limit", "deterministic", "allow_tf32")
    module = globals()
    saved = {n: module[n] for n in names}
    module.update(zip(names, (enabled, benchmark, benchmark_limit, deterministic, allow_tf32)))
    try:
        yield
    finally:
        module.update(saved)
