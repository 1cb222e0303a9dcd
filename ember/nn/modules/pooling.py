"""Pooling layers: Max/Avg/AdaptiveMax/AdaptiveAvg/LP pooling and MaxUnpool in 1-3 dims.

Thin classes over ``ember.nn.functional``; the stored attributes and printed
form are torch's (including which classes keep tuples and which keep the
arguments as given).
"""
from ..._ops.pooling import fractional_funcs as fractional_pooling
from ..._ops.pooling import funcs as F
from .module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
           "LPPool1d", "LPPool2d", "LPPool3d", "FractionalMaxPool2d", "FractionalMaxPool3d"]


def _ntuple(value, n):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n


class _PoolNd(Module):
    """A layer over windows of ``kernel_size`` (``stride`` defaults to it) by ``_fn``.

    Classes that set ``_dims`` keep the window arguments as tuples of that length (torch's
    AvgPool1d and MaxUnpool do); the others keep them as given.
    """

    _fn, _dims = None, None

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        stride = kernel_size if stride is None else stride
        n = self._dims
        if n is not None:
            kernel_size, stride, padding = (_ntuple(v, n) for v in (kernel_size, stride, padding))
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _MaxPoolNd(_PoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__(kernel_size, stride, padding)
        self.dilation = dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        return self._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                        ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self):
        return f"{super().extra_repr()}, dilation={self.dilation}, ceil_mode={self.ceil_mode}"


class MaxPool1d(_MaxPoolNd):
    """1-D max pooling: the largest value of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit ``-inf`` padding on both sides; at most half the
          kernel size. Default: ``0``.
        dilation (int or tuple): spacing between window taps. Default: ``1``.
        return_indices (bool): also return the flat (per channel plane) index of each maximum,
          for ``MaxUnpool1d``. Default: ``False``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``, with
          ``out = floor((in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)``
          per spatial dimension (``ceil`` instead of ``floor`` with ``ceil_mode``; a window
          must start inside the input or its left padding).

    Example:
        >>> m = ember.nn.MaxPool1d(2)
        >>> m(ember.zeros(1, 2, 6)).shape
        ember.Size([1, 2, 3])
        >>> m(ember.arange(4.).reshape(1, 2, 2)).flatten()
        tensor([1., 3.])
    """
    _fn = staticmethod(F.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """2-D max pooling: the largest value of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit ``-inf`` padding on both sides; at most half the
          kernel size. Default: ``0``.
        dilation (int or tuple): spacing between window taps. Default: ``1``.
        return_indices (bool): also return the flat (per channel plane) index of each maximum,
          for ``MaxUnpool2d``. Default: ``False``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``, with
          ``out = floor((in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)``
          per spatial dimension (``ceil`` instead of ``floor`` with ``ceil_mode``; a window
          must start inside the input or its left padding).

    Example:
        >>> m = ember.nn.MaxPool2d(2)
        >>> m(ember.zeros(1, 2, 6, 6)).shape
        ember.Size([1, 2, 3, 3])
        >>> m(ember.arange(8.).reshape(1, 2, 2, 2)).flatten()
        tensor([3., 7.])
    """
    _fn = staticmethod(F.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """3-D max pooling: the largest value of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit ``-inf`` padding on both sides; at most half the
          kernel size. Default: ``0``.
        dilation (int or tuple): spacing between window taps. Default: ``1``.
        return_indices (bool): also return the flat (per channel plane) index of each maximum,
          for ``MaxUnpool3d``. Default: ``False``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)``, with
          ``out = floor((in + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)``
          per spatial dimension (``ceil`` instead of ``floor`` with ``ceil_mode``; a window
          must start inside the input or its left padding).

    Example:
        >>> m = ember.nn.MaxPool3d(2)
        >>> m(ember.zeros(1, 2, 6, 6, 6)).shape
        ember.Size([1, 2, 3, 3, 3])
        >>> m(ember.arange(16.).reshape(1, 2, 2, 2, 2)).flatten()
        tensor([ 7., 15.])
    """
    _fn = staticmethod(F.max_pool3d)


class _AvgPoolNd(_PoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__(kernel_size, stride, padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad


class AvgPool1d(_AvgPoolNd):
    """1-D average pooling: the mean of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit zero padding on both sides; at most half the kernel
          size. Default: ``0``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.
        count_include_pad (bool): count the padding zeros in the divisor. Default: ``True``.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``, with
          ``out = floor((in + 2 * padding - kernel_size) / stride + 1)`` per spatial dimension
          (``ceil`` with ``ceil_mode``).

    Example:
        >>> m = ember.nn.AvgPool1d(2)
        >>> m(ember.zeros(1, 2, 6)).shape
        ember.Size([1, 2, 3])
        >>> m(ember.arange(4.).reshape(1, 2, 2)).flatten()
        tensor([0.5000, 2.5000])
    """
    _fn, _dims = staticmethod(F.avg_pool1d), 1

    def forward(self, input):
        return self._fn(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                        self.count_include_pad)


class _AvgPool(_AvgPoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input):
        return self._fn(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                        self.count_include_pad, self.divisor_override)


class AvgPool2d(_AvgPool):
    """2-D average pooling: the mean of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit zero padding on both sides; at most half the kernel
          size. Default: ``0``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.
        count_include_pad (bool): count the padding zeros in the divisor. Default: ``True``.
        divisor_override (int, optional): divide every window sum by this instead.
          Default: ``None``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``, with
          ``out = floor((in + 2 * padding - kernel_size) / stride + 1)`` per spatial dimension
          (``ceil`` with ``ceil_mode``).

    Example:
        >>> m = ember.nn.AvgPool2d(2)
        >>> m(ember.zeros(1, 2, 6, 6)).shape
        ember.Size([1, 2, 3, 3])
        >>> m(ember.arange(8.).reshape(1, 2, 2, 2)).flatten()
        tensor([1.5000, 5.5000])
    """
    _fn = staticmethod(F.avg_pool2d)


class AvgPool3d(_AvgPool):
    """3-D average pooling: the mean of each sliding window, per channel.

    Args:
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        padding (int or tuple): implicit zero padding on both sides; at most half the kernel
          size. Default: ``0``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.
        count_include_pad (bool): count the padding zeros in the divisor. Default: ``True``.
        divisor_override (int, optional): divide every window sum by this instead.
          Default: ``None``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)``, with
          ``out = floor((in + 2 * padding - kernel_size) / stride + 1)`` per spatial dimension
          (``ceil`` with ``ceil_mode``).

    Example:
        >>> m = ember.nn.AvgPool3d(2)
        >>> m(ember.zeros(1, 2, 6, 6, 6)).shape
        ember.Size([1, 2, 3, 3, 3])
        >>> m(ember.arange(16.).reshape(1, 2, 2, 2, 2)).flatten()
        tensor([ 3.5000, 11.5000])
    """
    _fn = staticmethod(F.avg_pool3d)


class _AdaptivePoolNd(Module):
    """Pooling to a fixed ``output_size`` by ``_fn`` (the adaptive average pools as they are)."""

    _fn = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return self._fn(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input):
        return self._fn(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """1-D adaptive max pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size.

    Args:
        output_size (int or tuple): target size.
        return_indices (bool): also return the flat (per plane) index of each maximum.
          Default: ``False``.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)`` given by ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveMaxPool1d(5)
        >>> m(ember.zeros(1, 2, 8)).shape
        ember.Size([1, 2, 5])
    """
    _fn = staticmethod(F.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """2-D adaptive max pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size.

    Args:
        output_size (int or tuple): target sizes. ``None`` keeps that input size.
        return_indices (bool): also return the flat (per plane) index of each maximum.
          Default: ``False``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)`` given by ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveMaxPool2d((5, 7))
        >>> m(ember.zeros(1, 2, 8, 9)).shape
        ember.Size([1, 2, 5, 7])
    """
    _fn = staticmethod(F.adaptive_max_pool2d)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """3-D adaptive max pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size.

    Args:
        output_size (int or tuple): target sizes. ``None`` keeps that input size.
        return_indices (bool): also return the flat (per plane) index of each maximum.
          Default: ``False``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)`` given by
          ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveMaxPool3d((5, 7, 9))
        >>> m(ember.zeros(1, 2, 8, 9, 10)).shape
        ember.Size([1, 2, 5, 7, 9])
    """
    _fn = staticmethod(F.adaptive_max_pool3d)


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """1-D adaptive average pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size.

    Args:
        output_size (int or tuple): target size.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)`` given by ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveAvgPool1d(5)
        >>> m(ember.zeros(1, 2, 8)).shape
        ember.Size([1, 2, 5])
    """
    _fn = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """2-D adaptive average pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size. ``AdaptiveAvgPool2d(1)`` is global average pooling.

    Args:
        output_size (int or tuple): target sizes. ``None`` keeps that input size.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)`` given by ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveAvgPool2d((5, 7))
        >>> m(ember.zeros(1, 2, 8, 9)).shape
        ember.Size([1, 2, 5, 7])
    """
    _fn = staticmethod(F.adaptive_avg_pool2d)


class AdaptiveAvgPool3d(_AdaptivePoolNd):
    """3-D adaptive average pooling: the window sizes adapt so the output has size ``output_size``.

    Output cell ``i`` of an input of size ``S`` and output size ``O`` covers input
    positions ``floor(i * S / O)`` to ``ceil((i + 1) * S / O)`` (exclusive), so windows
    may overlap and differ in size.

    Args:
        output_size (int or tuple): target sizes. ``None`` keeps that input size.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` or ``(C, D_out, H_out, W_out)`` given by
          ``output_size``.

    Example:
        >>> m = ember.nn.AdaptiveAvgPool3d((5, 7, 9))
        >>> m(ember.zeros(1, 2, 8, 9, 10)).shape
        ember.Size([1, 2, 5, 7, 9])
    """
    _fn = staticmethod(F.adaptive_avg_pool3d)


class _MaxUnpoolNd(_PoolNd):
    def forward(self, input, indices, output_size=None):
        return self._fn(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool1d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool1d``: put each value back at the index of its maximum.

    Every other position is zero.  ``forward(input, indices, output_size=None)`` takes the indices
    returned by ``MaxPool1d(..., return_indices=True)``; ``output_size`` resolves the sizes a
    strided pooling maps to the same output.

    Args:
        kernel_size (int or tuple): window size of the pooling being undone.
        stride (int or tuple, optional): its stride. Default: ``kernel_size``.
        padding (int or tuple): its padding. Default: ``0``.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``; ``indices`` the same shape.
        - Output: ``(N, C, L_out)`` with
          ``out = (in - 1) * stride - 2 * padding + kernel_size``, or ``output_size``.

    Example:
        >>> pool = ember.nn.MaxPool1d(2, return_indices=True)
        >>> y, idx = pool(ember.arange(4.).reshape(1, 2, 2))
        >>> ember.nn.MaxUnpool1d(2)(y, idx).flatten()[-4:]
        tensor([0., 1., 0., 3.])
    """
    _dims, _fn = 1, staticmethod(F.max_unpool1d)


class MaxUnpool2d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool2d``: put each value back at the index of its maximum.

    Every other position is zero.  ``forward(input, indices, output_size=None)`` takes the indices
    returned by ``MaxPool2d(..., return_indices=True)``; ``output_size`` resolves the sizes a
    strided pooling maps to the same output.

    Args:
        kernel_size (int or tuple): window size of the pooling being undone.
        stride (int or tuple, optional): its stride. Default: ``kernel_size``.
        padding (int or tuple): its padding. Default: ``0``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``; ``indices`` the same shape.
        - Output: ``(N, C, H_out, W_out)`` with
          ``out = (in - 1) * stride - 2 * padding + kernel_size``, or ``output_size``.

    Example:
        >>> pool = ember.nn.MaxPool2d(2, return_indices=True)
        >>> y, idx = pool(ember.arange(8.).reshape(1, 2, 2, 2))
        >>> ember.nn.MaxUnpool2d(2)(y, idx).flatten()[-4:]
        tensor([0., 0., 0., 7.])
    """
    _dims, _fn = 2, staticmethod(F.max_unpool2d)


class MaxUnpool3d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool3d``: put each value back at the index of its maximum.

    Every other position is zero.  ``forward(input, indices, output_size=None)`` takes the indices
    returned by ``MaxPool3d(..., return_indices=True)``; ``output_size`` resolves the sizes a
    strided pooling maps to the same output.

    Args:
        kernel_size (int or tuple): window size of the pooling being undone.
        stride (int or tuple, optional): its stride. Default: ``kernel_size``.
        padding (int or tuple): its padding. Default: ``0``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``; ``indices`` the same
          shape.
        - Output: ``(N, C, D_out, H_out, W_out)`` with
          ``out = (in - 1) * stride - 2 * padding + kernel_size``, or ``output_size``.

    Example:
        >>> pool = ember.nn.MaxPool3d(2, return_indices=True)
        >>> y, idx = pool(ember.arange(16.).reshape(1, 2, 2, 2, 2))
        >>> ember.nn.MaxUnpool3d(2)(y, idx).flatten()[-4:]
        tensor([ 0.,  0.,  0., 15.])
    """
    _dims, _fn = 3, staticmethod(F.max_unpool3d)


class _LPPoolNd(Module):
    _fn = None

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, input):
        return self._fn(input, float(self.norm_type), self.kernel_size, self.stride,
                        self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """1-D power-average pooling: ``(sum over the window of x ** p) ** (1 / p)`` per channel.

    ``p = inf`` gives max pooling; ``p = 1`` gives sum pooling.

    Args:
        norm_type (float): the power ``p``.
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        - Output: ``(N, C, L_out)`` with ``out = floor((in - kernel_size) / stride + 1)``.

    Example:
        >>> m = ember.nn.LPPool1d(2, 2)
        >>> m(ember.full((1, 2, 4), 3.)).flatten()[:2]
        tensor([4.2426, 4.2426])
    """
    _fn = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPoolNd):
    """2-D power-average pooling: ``(sum over the window of x ** p) ** (1 / p)`` per channel.

    ``p = inf`` gives max pooling; ``p = 1`` gives sum pooling.

    Args:
        norm_type (float): the power ``p``.
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        - Output: ``(N, C, H_out, W_out)`` with ``out = floor((in - kernel_size) / stride + 1)``.

    Example:
        >>> m = ember.nn.LPPool2d(2, 2)
        >>> m(ember.full((1, 2, 4, 4), 3.)).flatten()[:2]
        tensor([6., 6.])
    """
    _fn = staticmethod(F.lp_pool2d)


class LPPool3d(_LPPoolNd):
    """3-D power-average pooling: ``(sum over the window of x ** p) ** (1 / p)`` per channel.

    ``p = inf`` gives max pooling; ``p = 1`` gives sum pooling.

    Args:
        norm_type (float): the power ``p``.
        kernel_size (int or tuple): window size.
        stride (int or tuple, optional): step between windows. Default: ``kernel_size``.
        ceil_mode (bool): round the output size up instead of down. Default: ``False``.

    Shape:
        - Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        - Output: ``(N, C, D_out, H_out, W_out)`` with
          ``out = floor((in - kernel_size) / stride + 1)``.

    Example:
        >>> m = ember.nn.LPPool3d(2, 2)
        >>> m(ember.full((1, 2, 4, 4, 4), 3.)).flatten()[:2]
        tensor([8.4853, 8.4853])
    """
    _fn = staticmethod(F.lp_pool3d)


class _FractionalMaxPoolNd(Module):
    """Holds torch's attributes; ``_random_samples`` is a (possibly None) buffer."""

    _nd = None

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        nd = self._nd
        self.kernel_size = _ntuple(kernel_size, nd)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _ntuple(output_size, nd) if output_size is not None else None
        self.output_ratio = _ntuple(output_ratio, nd) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"FractionalMaxPool{nd}d requires specifying either an output "
                             "size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input):
        fn = getattr(fractional_pooling, f"fractional_max_pool{self._nd}d")
        return fn(input, self.kernel_size, self.output_size, self.output_ratio,
                  self.return_indices, _random_samples=self._random_samples)


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Max pooling over pseudo-random overlapping windows that shrink ``(H, W)`` by a fraction.

    Window start positions follow a random increasing sequence per sample and channel (Graham's
    fractional max pooling), so the output size need not divide the input size.

    Args:
        kernel_size (int or pair): the window size.
        output_size (int or pair, optional): the output ``(oH, oW)``; give this or
          ``output_ratio``.
        output_ratio (float or pair in (0, 1), optional): ``oH = int(H * ratio)``, likewise W.
        return_indices (bool): also return the flat per-plane index of each maximum.
          Default: ``False``.
        _random_samples (Tensor, optional): ``(N, C, 2)`` samples in ``[0, 1)`` fixing the windows
          (otherwise drawn on every call).

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, oH, oW)`` or ``(C, oH, oW)``.

    Example:
        >>> pool = ember.nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5))
        >>> pool(ember.randn(2, 3, 10, 8)).shape
        ember.Size([2, 3, 5, 4])
    """

    _nd = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """3-D fractional max pooling: as ``FractionalMaxPool2d`` over ``(T, H, W)``.

    Args:
        kernel_size (int or triple): the window size.
        output_size (int or triple, optional): the output ``(oT, oH, oW)``; give this or
          ``output_ratio``.
        output_ratio (float or triple in (0, 1), optional): output size as a fraction of the
        input's.
        return_indices (bool): also return the flat per-volume index of each maximum.
          Default: ``False``.
        _random_samples (Tensor, optional): ``(N, C, 3)`` samples in ``[0, 1)`` fixing the windows.

    Shape:
        - Input: ``(N, C, T, H, W)`` or ``(C, T, H, W)``.
        - Output: ``(N, C, oT, oH, oW)`` or ``(C, oT, oH, oW)``.

    Example:
        >>> pool = ember.nn.FractionalMaxPool3d(2, output_size=(5, 6, 7))
        >>> pool(ember.randn(2, 3, 10, 12, 14)).shape
        ember.Size([2, 3, 5, 6, 7])
    """

    _nd = 3
