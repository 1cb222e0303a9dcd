"""Padding layers: Zero/Constant/Reflection/Replication/CircularPad 1d-3d, over ``F.pad``."""
from .._functional.padding import pad
from .module import Module, layer_error

__all__ = ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


def _expand(padding, n):
    """An int means the same amount on both sides of each of the ``n`` last dims."""
    if isinstance(padding, (list, tuple)):
        return tuple(padding)
    return (padding,) * (2 * n)


class _PadNd(Module):
    """A padding layer for the last ``_dims`` dims; ``padding`` is F.pad's (left, right, ...)."""

    _dims = 1
    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _expand(padding, self._dims)

    def forward(self, input):
        return pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``; ``padding`` is an int or (left, right)."""
    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last 2 dims with ``value``; ``padding`` is an int or (left, right, top, bottom)."""
    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last 3 dims with ``value``; ``padding`` is an int or a 6-tuple."""
    _dims = 3


class _ZeroPad:
    """Constant padding with 0.0, printed as just the padding."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    extra_repr = _PadNd.extra_repr


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    """Pad the last dim with zeros."""


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    """Pad the last 2 dims with zeros; ``padding`` is an int or (left, right, top, bottom)."""


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    """Pad the last 3 dims with zeros."""


class ReflectionPad1d(_PadNd):
    """Mirror the last dim at its edges (the edge value itself is not repeated)."""
    _dims, mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror the last 2 dims at their edges."""
    _dims, mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Mirror the last 3 dims at their edges."""
    _dims, mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the edge values of the last dim."""
    _dims, mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the edge values of the last 2 dims."""
    _dims, mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Repeat the edge values of the last 3 dims."""
    _dims, mode = 3, "replicate"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input):
        n = self._dims
        if input.dim() not in (n + 1, n + 2):
            raise layer_error(self, f"expected {n + 1}D or {n + 2}D input (got {input.dim()}D "
                                    f"input)", ValueError)
        return pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Wrap the last dim around (periodic padding)."""
    _dims = 1


class CircularPad2d(_CircularPadNd):
    """Wrap the last 2 dims around."""
    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Wrap the last 3 dims around."""
    _dims = 3
