"""``torch.backends.openmp``: ember runs no OpenMP code of its own.

Example::

    >>> ember.backends.openmp.is_available()
    False
"""
__all__ = ["is_available"]


def is_available():
    """False: ember's parallelism is NumPy's BLAS threads."""
    return False
