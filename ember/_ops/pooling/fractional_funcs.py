"""Fractional max pooling in 2 and 3 dims (windows from one random sample per plane).

Pass ``_random_samples`` (N, C, 2 or 3) in [0, 1) to fix the windows; with the samples
torch used, values and indices equal torch's.  Without them the samples come from
ember's generator.
"""
from ..random import rand
from .fractional_ops import FractionalMaxPool

__all__ = ["fractional_max_pool2d", "fractional_max_pool3d",
           "fractional_max_pool2d_with_indices", "fractional_max_pool3d_with_indices"]

_AXES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _fractional(nd, input, kernel_size, output_size, output_ratio, _random_samples):
    fn = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{fn} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:
            raise ValueError("fractional_max_pool2d requires output_ratio to either be a single "
                             "Int or tuple of Ints.")
        ratio = tuple(output_ratio) if isinstance(output_ratio, (list, tuple)) else \
            (output_ratio,) * nd
        output_size = [int(input.size(d - nd) * ratio[d]) for d in range(nd)]
    if _random_samples is None:
        batch = 1 if input.dim() == nd + 1 else input.size(0)
        _random_samples = rand(batch, input.size(-nd - 1), nd, dtype=input.dtype,
                               device=input.device)
    kernel = tuple(kernel_size) if isinstance(kernel_size, (list, tuple)) else (kernel_size,) * nd
    out = tuple(output_size) if isinstance(output_size, (list, tuple)) else (output_size,) * nd
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: "
                           f"{list(input.shape)}")
    if any(s == 0 for s in input.shape[-nd - 1:]):
        raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                           f"dimensions, but got input with sizes {list(input.shape)}")
    if _random_samples.requires_grad:
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument "
                           "'random_samples'. This input cannot have requires_grad True.")
    if _random_samples.size(1) != input.size(-nd - 1):
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    for d, axis in enumerate(_AXES[nd]):
        if out[d] + kernel[d] - 1 > input.size(d - nd):
            raise RuntimeError(f"{fn}(): pool {axis} {kernel[d]} too large relative to input "
                               f"{axis} {input.size(d - nd)}")
    batched = input if input.dim() == nd + 2 else input.unsqueeze(0)
    values, indices = FractionalMaxPool(kernel, out)(batched, _random_samples)
    if input.dim() == nd + 1:
        values, indices = values.squeeze(0), indices.squeeze(0)
    return values, indices


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """``fractional_max_pool2d`` that always returns ``(values, indices)``.

    Takes the arguments of ``fractional_max_pool2d``; ``return_indices`` is ignored.

    Shape:
        - Output: values and int64 flat per-plane indices, ``(N, C, oH, oW)`` or ``(C, oH, oW)``.

    Example:
        >>> x = ember.randn(1, 2, 6, 6)
        >>> v, i = ember.nn.functional.fractional_max_pool2d_with_indices(x, 2, output_size=3)
        >>> v.shape, i.dtype
        (ember.Size([1, 2, 3, 3]), ember.int64)
    """
    return _fractional(2, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """``fractional_max_pool3d`` that always returns ``(values, indices)``.

    Takes the arguments of ``fractional_max_pool3d``; ``return_indices`` is ignored.

    Shape:
        - Output: values and int64 flat per-volume indices, ``(N, C, oT, oH, oW)`` or
          ``(C, oT, oH, oW)``.

    Example:
        >>> x = ember.randn(2, 4, 4, 4)
        >>> v, i = ember.nn.functional.fractional_max_pool3d_with_indices(x, 2, output_size=2)
        >>> v.shape, i.shape
        (ember.Size([2, 2, 2, 2]), ember.Size([2, 2, 2, 2]))
    """
    return _fractional(3, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """2-D fractional max pooling: max over pseudo-random overlapping windows, to ``output_size``.

    The window starts follow a random increasing sequence per sample and channel (drawn on every
    call unless ``_random_samples`` fixes them), so the output size need not divide the input size.

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size (int or pair): the window size.
        output_size (int or pair, optional): the output ``(oH, oW)``; give this or ``output_ratio``.
        output_ratio (float or pair, optional): ``oH = int(H * ratio)``, likewise for W.
        return_indices (bool): also return the flat per-plane index of each maximum.
          Default: ``False``.
        _random_samples (Tensor, optional): ``(N, C, 2)`` samples in ``[0, 1)`` fixing the windows.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, oH, oW)`` or ``(C, oH, oW)``.

    Example:
        >>> x = ember.arange(25.).view(1, 1, 5, 5)
        >>> ember.nn.functional.fractional_max_pool2d(x, 2, output_size=2,
        ...                                           _random_samples=ember.full((1, 1, 2), 0.5))
        tensor([[[[ 6.,  9.],
                  [21., 24.]]]])
    """
    values, indices = _fractional(2, input, kernel_size, output_size, output_ratio,
                                  _random_samples)
    return (values, indices) if return_indices else values


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """3-D fractional max pooling: as ``fractional_max_pool2d`` over ``(T, H, W)``.

    Args:
        input (Tensor): ``(N, C, T, H, W)`` or ``(C, T, H, W)``.
        kernel_size (int or triple): the window size.
        output_size (int or triple, optional): the output ``(oT, oH, oW)``; give this or
          ``output_ratio``.
        output_ratio (float or triple, optional): output size as a fraction of the input's.
        return_indices (bool): also return the flat per-volume index of each maximum.
          Default: ``False``.
        _random_samples (Tensor, optional): ``(N, C, 3)`` samples in ``[0, 1)`` fixing the windows.

    Shape:
        - Input: ``(N, C, T, H, W)`` or ``(C, T, H, W)``.
        - Output: ``(N, C, oT, oH, oW)`` or ``(C, oT, oH, oW)``.

    Example:
        >>> x = ember.randn(1, 2, 6, 6, 6)
        >>> ember.nn.functional.fractional_max_pool3d(x, 2, output_ratio=0.5).shape
        ember.Size([1, 2, 3, 3, 3])
    """
    values, indices = _fractional(3, input, kernel_size, output_size, output_ratio,
                                  _random_samples)
    return (values, indices) if return_indices else values
