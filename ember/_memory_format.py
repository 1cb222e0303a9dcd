"""Memory formats (``ember.channels_last`` ...), the tags torch's layout arguments take.

ember keeps every array in NumPy's row-major order, so a memory format changes
no values; the objects exist so that ``x.contiguous(memory_format=...)`` and
``model.to(memory_format=...)`` run and ``repr`` reads as torch's.

Example::

    >>> ember.channels_last
    ember.channels_last
"""
from ._alias import public_prefix
__all__ = ["memory_format", "preserve_format", "contiguous_format", "channels_last",
           "channels_last_3d", "layout", "strided"]


class memory_format:
    """One memory-layout tag; the four instances are module constants, compared by identity."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"{public_prefix()}.{self.name}"

    def __reduce__(self):
        return self.name  # pickled as the global ember.<name>


memory_format.__module__ = "ember"  # shown as ember.memory_format, as torch shows torch.memory_format

preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")


class layout(memory_format):
    """A tensor layout tag (``tensor.layout``); every ember tensor is dense: ``ember.strided``."""

    __slots__ = ()


layout.__module__ = "ember"

strided = layout("strided")
