"""``torch.backends.mkldnn``: oneDNN, which ember does not use (NumPy's BLAS does the work).

Example::

    >>> ember.backends.mkldnn.is_available()
    False
"""
__all__ = ["enabled", "is_available"]

enabled = False


def is_available():
    """False: ember does not use oneDNN."""
    return False
