"""``torch.backends.mps``: Apple's Metal backend, which ember does not have.

Example::

    >>> ember.backends.mps.is_available()
    False
"""
__all__ = ["is_available", "is_built"]


def is_available():
    """False: ember has no MPS backend."""
    return False


def is_built():
    """False: ember is not built with MPS."""
    return False
