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
    """Pad the last dimension with a constant ``value``.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right)``.
        value (float): the fill value.

    Shape:
        - Input: ``(*, W_in)``.
        - Output: ``(*, W_out)`` with
          ``W_out = W_in + left + right``.

    Example:
        >>> ember.nn.ConstantPad1d((2, 1), 3.5)(ember.tensor([[1., 2., 3.]]))
        tensor([[3.5000, 3.5000, 1.0000, 2.0000, 3.0000, 3.5000]])
    """
    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last 2 dimensions with a constant ``value``.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right, top, bottom)``.
        value (float): the fill value.

    Shape:
        - Input: ``(*, H_in, W_in)``.
        - Output: ``(*, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``.

    Example:
        >>> ember.nn.ConstantPad2d(1, 3.5)(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[3.5000, 3.5000, 3.5000, 3.5000],
                 [3.5000, 1.0000, 2.0000, 3.5000],
                 [3.5000, 3.0000, 4.0000, 3.5000],
                 [3.5000, 3.5000, 3.5000, 3.5000]]])
    """
    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last 3 dimensions with a constant ``value``.

    Args:
        padding (int or tuple): the same amount on every side, or
          ``(left, right, top, bottom, front, back)``.
        value (float): the fill value.

    Shape:
        - Input: ``(*, D_in, H_in, W_in)``.
        - Output: ``(*, D_out, H_out, W_out)`` with ``W_out = W_in + left + right``,
          ``H_out = H_in + top + bottom``, ``D_out = D_in + front + back``.

    Example:
        >>> ember.nn.ConstantPad3d((1, 1, 2, 0, 0, 1), 3.5)(ember.zeros(1, 2, 2, 3, 4)).shape
        ember.Size([1, 2, 3, 5, 6])
    """
    _dims = 3


class _ZeroPad:
    """Constant padding with 0.0, printed as just the padding."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    extra_repr = _PadNd.extra_repr


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    """Pad the last dimension with zeros.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right)``.

    Shape:
        - Input: ``(*, W_in)``.
        - Output: ``(*, W_out)`` with
          ``W_out = W_in + left + right``.

    Example:
        >>> ember.nn.ZeroPad1d((2, 1))(ember.tensor([[1., 2., 3.]]))
        tensor([[0., 0., 1., 2., 3., 0.]])
    """


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    """Pad the last 2 dimensions with zeros.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right, top, bottom)``.

    Shape:
        - Input: ``(*, H_in, W_in)``.
        - Output: ``(*, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``.

    Example:
        >>> ember.nn.ZeroPad2d(1)(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[0., 0., 0., 0.],
                 [0., 1., 2., 0.],
                 [0., 3., 4., 0.],
                 [0., 0., 0., 0.]]])
    """


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    """Pad the last 3 dimensions with zeros.

    Args:
        padding (int or tuple): the same amount on every side, or
          ``(left, right, top, bottom, front, back)``.

    Shape:
        - Input: ``(*, D_in, H_in, W_in)``.
        - Output: ``(*, D_out, H_out, W_out)`` with ``W_out = W_in + left + right``,
          ``H_out = H_in + top + bottom``, ``D_out = D_in + front + back``.

    Example:
        >>> ember.nn.ZeroPad3d((1, 1, 2, 0, 0, 1))(ember.zeros(1, 2, 2, 3, 4)).shape
        ember.Size([1, 2, 3, 5, 6])
    """


class ReflectionPad1d(_PadNd):
    """Pad the last dimension by mirroring at the edges, without repeating the edge value.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[3, 2, 1, 2, 3]``; each padding must be smaller
    than the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right)``.

    Shape:
        - Input: ``(N, C, W_in)`` or ``(C, W_in)``.
        - Output: ``(N, C, W_out)`` or ``(C, W_out)`` with
          ``W_out = W_in + left + right``.

    Example:
        >>> ember.nn.ReflectionPad1d((2, 1))(ember.tensor([[1., 2., 3.]]))
        tensor([[3., 2., 1., 2., 3., 2.]])
    """
    _dims, mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Pad the last 2 dimensions by mirroring at the edges, without repeating the edge value.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[3, 2, 1, 2, 3]``; each padding must be smaller
    than the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right, top, bottom)``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``.

    Example:
        >>> ember.nn.ReflectionPad2d(1)(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[4., 3., 4., 3.],
                 [2., 1., 2., 1.],
                 [4., 3., 4., 3.],
                 [2., 1., 2., 1.]]])
    """
    _dims, mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Pad the last 3 dimensions by mirroring at the edges, without repeating the edge value.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[3, 2, 1, 2, 3]``; each padding must be smaller
    than the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or
          ``(left, right, top, bottom, front, back)``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``,
          ``D_out = D_in + front + back``.

    Example:
        >>> ember.nn.ReflectionPad3d((1, 1, 2, 0, 0, 1))(ember.zeros(1, 2, 2, 3, 4)).shape
        ember.Size([1, 2, 3, 5, 6])
    """
    _dims, mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last dimension by repeating the edge values.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[1, 1, 1, 2, 3]``.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right)``.

    Shape:
        - Input: ``(N, C, W_in)`` or ``(C, W_in)``.
        - Output: ``(N, C, W_out)`` or ``(C, W_out)`` with
          ``W_out = W_in + left + right``.

    Example:
        >>> ember.nn.ReplicationPad1d((2, 1))(ember.tensor([[1., 2., 3.]]))
        tensor([[1., 1., 1., 2., 3., 3.]])
    """
    _dims, mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Pad the last 2 dimensions by repeating the edge values.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[1, 1, 1, 2, 3]``.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right, top, bottom)``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``.

    Example:
        >>> ember.nn.ReplicationPad2d(1)(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[1., 1., 2., 2.],
                 [1., 1., 2., 2.],
                 [3., 3., 4., 4.],
                 [3., 3., 4., 4.]]])
    """
    _dims, mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Pad the last 3 dimensions by repeating the edge values.

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[1, 1, 1, 2, 3]``.

    Args:
        padding (int or tuple): the same amount on every side, or
          ``(left, right, top, bottom, front, back)``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``,
          ``D_out = D_in + front + back``.

    Example:
        >>> ember.nn.ReplicationPad3d((1, 1, 2, 0, 0, 1))(ember.zeros(1, 2, 2, 3, 4)).shape
        ember.Size([1, 2, 3, 5, 6])
    """
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
    """Pad the last dimension by wrapping around (periodic padding).

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[2, 3, 1, 2, 3]``; each padding may be at most
    the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right)``.

    Shape:
        - Input: ``(N, C, W_in)`` or ``(C, W_in)``.
        - Output: ``(N, C, W_out)`` or ``(C, W_out)`` with
          ``W_out = W_in + left + right``.

    Example:
        >>> ember.nn.CircularPad1d((2, 1))(ember.tensor([[1., 2., 3.]]))
        tensor([[2., 3., 1., 2., 3., 1.]])
    """
    _dims = 1


class CircularPad2d(_CircularPadNd):
    """Pad the last 2 dimensions by wrapping around (periodic padding).

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[2, 3, 1, 2, 3]``; each padding may be at most
    the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or ``(left, right, top, bottom)``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``.

    Example:
        >>> ember.nn.CircularPad2d(1)(ember.tensor([[[1., 2.], [3., 4.]]]))
        tensor([[[4., 3., 4., 3.],
                 [2., 1., 2., 1.],
                 [4., 3., 4., 3.],
                 [2., 1., 2., 1.]]])
    """
    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Pad the last 3 dimensions by wrapping around (periodic padding).

    ``[1, 2, 3]`` padded by 2 on the left becomes ``[2, 3, 1, 2, 3]``; each padding may be at most
    the size it pads.

    Args:
        padding (int or tuple): the same amount on every side, or
          ``(left, right, top, bottom, front, back)``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)`` with
          ``W_out = W_in + left + right``, ``H_out = H_in + top + bottom``,
          ``D_out = D_in + front + back``.

    Example:
        >>> ember.nn.CircularPad3d((1, 1, 2, 0, 0, 1))(ember.zeros(1, 2, 2, 3, 4)).shape
        ember.Size([1, 2, 3, 5, 6])
    """
    _dims = 3
