"""Convolutions and patch rearrangements: conv1d/2d/3d, conv_transpose1d/2d/3d,
unfold/fold, pixel_shuffle/pixel_unshuffle.

Argument checking follows torch (same exception types, messages that name the
shapes); the work is one im2col op in ``ember/_ops/conv/ops.py``.
"""
import math

from ..base import relabel
from .ops import Col2Im, Convolution, Im2Col, PixelShuffle, Windows

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold", "pixel_shuffle", "pixel_unshuffle", "conv_tbc"]


def expand_param(value, n, name, what="the convolution dimensions"):
    """An int or a 1- or n-sequence as an n-tuple (torch's wording when it is neither)."""
    if isinstance(value, (list, tuple)):
        vals = tuple(value)
        if len(vals) == 1:
            vals = vals * n
    else:
        vals = (value,) * n
    if len(vals) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values "
                           f"to match {what}, but got {name}={list(value)}")
    if not all(hasattr(v, "__index__") for v in vals):
        raise TypeError(f"{name} must be an int or a tuple of ints, but got {value!r}")
    return tuple(int(v) for v in vals)


def _sizes(t):
    return " x ".join(str(s) for s in t)


def _check_rank(input, nd, name):
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    return input.dim() == nd + 1


def _check_dtypes(input, weight, bias):
    if input.dtype != weight.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_name(input.dtype)} but found "
                           f"{_scalar_name(weight.dtype)} (input is {input.dtype}, weight is "
                           f"{weight.dtype}; convert one with .to(dtype))")
    if bias is not None and bias.dtype != input.dtype:
        raise RuntimeError(f"Input type ({_c_name(input.dtype)}) and bias type "
                           f"({_c_name(bias.dtype)}) should be the same")


def _scalar_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
            "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(dtype).split(".")[-1], str(dtype))


def _c_name(dtype):
    return {"Float": "float", "Double": "double", "Half": "c10::Half", "Long": "long int",
            "Int": "int"}.get(_scalar_name(dtype), str(dtype))


def _check_common(weight, bias, stride, padding, dilation, groups, nd, transposed):
    if weight.dim() != nd + 2:
        raise RuntimeError(f"expected stride to be a single integer value or a list of "
                           f"{weight.dim() - 2} values to match the convolution dimensions, but "
                           f"got stride={list(stride)} (weight of size {list(weight.shape)} has "
                           f"{weight.dim() - 2} spatial dims, the input {nd})")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    what = "transposed=1" if transposed else f"groups={groups}"
    if weight.shape[0] == 0 or weight.shape[0] % groups:
        raise RuntimeError(f"Given {what}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size [{list(weight.shape)}] instead")
    n_out = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and tuple(bias.shape) != (n_out,):
        raise RuntimeError(f"Given {what}, weight of size {list(weight.shape)}, expected bias to "
                           f"be 1-dimensional with {n_out} elements, but got bias of size "
                           f"{list(bias.shape)} instead")


def _check_channels(input, weight, expected, unbatched, what):
    c = input.shape[0 if unbatched else 1]
    if c != expected:
        raise RuntimeError(f"Given {what}, weight of size {list(weight.shape)}, expected "
                           f"input{list(input.shape)} to have {expected} channels, but got {c} "
                           f"channels instead")


def _same_padding(weight, stride, dilation):
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for d, k in zip(dilation, weight.shape[2:])]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _convnd(input, weight, bias, stride, padding, dilation, groups, nd):
    name = f"conv{nd}d"
    unbatched = _check_rank(input, nd, name)
    stride = expand_param(stride, nd, "stride")
    dilation = expand_param(dilation, nd, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            lo = hi = (0,) * nd
        elif padding == "same":
            lo, hi = _same_padding(weight, stride, dilation)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        lo = hi = expand_param(padding, nd, "padding")
    _check_common(weight, bias, stride, lo, dilation, groups, nd, False)
    _check_channels(input, weight, weight.shape[1] * groups, unbatched, f"groups={groups}")
    _check_dtypes(input, weight, bias)
    win = Windows(weight.shape[2:], stride, dilation, lo, hi)
    spatial = tuple(input.shape[-nd:])
    padded = win.padded_shape(spatial)
    eff = tuple(d * (k - 1) + 1 for d, k in zip(dilation, weight.shape[2:]))
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"Calculated padded input size per channel: ({_sizes(padded)}). Kernel "
                           f"size: ({_sizes(eff)}). Kernel size can't be greater than actual input "
                           f"size")
    return Convolution(win, groups, unbatched=unbatched)(input, weight, bias)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation, no kernel flip) of ``input`` with ``weight``.

    ``out[n, j] = bias[j] + sum_k weight[j, k] * input[n, k]`` with ``*`` sliding the kernel.

    Args:
        input (Tensor): ``(N, C_in, L_in)`` or unbatched ``(C_in, L_in)``.
        weight (Tensor): ``(C_out, C_in / groups, k)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step between kernel applications. Default: ``1``.
        padding (int, tuple or str): zeros added on both sides of each spatial dimension, or
          ``'valid'`` / ``'same'``. Default: ``0``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.
        groups (int): number of independent channel groups. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, L_out)`` with
          ``out = floor((in + 2 * padding - dilation * (k - 1) - 1) / stride + 1)`` per dimension.

    Example:
        >>> ember.nn.functional.conv1d(ember.ones(1, 1, 4), ember.ones(1, 1, 2))
        tensor([[[2., 2., 2.]]])
    """
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1)


def conv_tbc(input, weight, bias, pad=0):
    """1-D convolution in time-batch-channel layout (the layout of fairseq's older models).

    ``out[t, b, o] = bias[o] + sum_k sum_i weight[k, i, o] * x[t + k, b, i]`` over the input
    zero-padded by ``pad`` steps at both ends of time.

    Args:
        input (Tensor): ``(T, B, C_in)``.
        weight (Tensor): ``(K, C_in, C_out)``.
        bias (Tensor): ``(C_out,)``.
        pad (int): zeros added at both ends of time. Default: ``0``.

    Shape:
        - Input: ``(T, B, C_in)``.
        - Output: ``(T + 2 * pad - K + 1, B, C_out)``.

    Example:
        >>> x, w, b = ember.ones(5, 2, 3), ember.ones(3, 3, 4), ember.zeros(4)
        >>> ember.nn.functional.conv_tbc(x, w, b, 1).shape
        ember.Size([5, 2, 4])
    """
    if input.dim() != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.dim() != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, "
                           "out_channels.")
    if bias.dim() != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if weight.shape[2] != bias.shape[0]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    out = conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    return relabel(out.permute(2, 0, 1), "ConvTbcBackward0")   # torch: one node


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, no kernel flip) of ``input`` with ``weight``.

    ``out[n, j] = bias[j] + sum_k weight[j, k] * input[n, k]`` with ``*`` sliding the kernel.

    Args:
        input (Tensor): ``(N, C_in, H_in, W_in)`` or unbatched ``(C_in, H_in, W_in)``.
        weight (Tensor): ``(C_out, C_in / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step between kernel applications. Default: ``1``.
        padding (int, tuple or str): zeros added on both sides of each spatial dimension, or
          ``'valid'`` / ``'same'``. Default: ``0``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.
        groups (int): number of independent channel groups. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, H_out, W_out)`` with
          ``out = floor((in + 2 * padding - dilation * (k - 1) - 1) / stride + 1)`` per dimension.

    Example:
        >>> ember.nn.functional.conv2d(ember.ones(1, 1, 3, 3), ember.ones(2, 1, 2, 2)).shape
        ember.Size([1, 2, 2, 2])
    """
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution (cross-correlation, no kernel flip) of ``input`` with ``weight``.

    ``out[n, j] = bias[j] + sum_k weight[j, k] * input[n, k]`` with ``*`` sliding the kernel.

    Args:
        input (Tensor): ``(N, C_in, D_in, H_in, W_in)`` or unbatched ``(C_in, D_in, H_in, W_in)``.
        weight (Tensor): ``(C_out, C_in / groups, kD, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step between kernel applications. Default: ``1``.
        padding (int, tuple or str): zeros added on both sides of each spatial dimension, or
          ``'valid'`` / ``'same'``. Default: ``0``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.
        groups (int): number of independent channel groups. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, D_out, H_out, W_out)`` with
          ``out = floor((in + 2 * padding - dilation * (k - 1) - 1) / stride + 1)`` per dimension.

    Example:
        >>> ember.nn.functional.conv3d(ember.ones(1, 2, 4, 4, 4), ember.ones(3, 2, 3, 3, 3)).shape
        ember.Size([1, 3, 2, 2, 2])
    """
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 3)


def transposed_output_size(spatial, kernel, stride, padding, dilation, output_padding):
    """Output size of a transposed convolution, per spatial dim."""
    return tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, k, s, p, d, op in
                 zip(spatial, kernel, stride, padding, dilation, output_padding))


def _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    name = f"conv_transpose{nd}d"
    unbatched = _check_rank(input, nd, name)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    stride = expand_param(stride, nd, "stride")
    padding = expand_param(padding, nd, "padding")
    dilation = expand_param(dilation, nd, "dilation")
    output_padding = expand_param(output_padding, nd, "output_padding")
    _check_common(weight, bias, stride, padding, dilation, groups, nd, True)
    _check_channels(input, weight, weight.shape[0], unbatched, "transposed=1")
    _check_dtypes(input, weight, bias)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        dims = ("depth", "height", "width")[3 - nd:]
        parts = [f"output_padding_{n}: {v}" for n, v in zip(dims, output_padding)]
        parts += [f"stride_{n}: {v}" for n, v in zip(dims, stride)]
        parts += [f"dilation_{n}: {v}" for n, v in zip(dims, dilation)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           "got " + " ".join(parts))
    spatial = tuple(input.shape[-nd:])
    out = transposed_output_size(spatial, weight.shape[2:], stride, padding, dilation,
                                 output_padding)
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Given input size per channel: ({_sizes(spatial)}). Calculated output "
                           f"size per channel: ({_sizes(out)}). Output size is too small")
    win = Windows(weight.shape[2:], stride, dilation, padding, padding)
    return Convolution(win, groups, transposed=True, out_spatial=out, unbatched=unbatched)(
        input, weight, bias)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """1-D transposed convolution: scatters each input value times the kernel into the output.

    Args:
        input (Tensor): ``(N, C_in, L_in)`` or unbatched ``(C_in, L_in)``.
        weight (Tensor): ``(C_in, C_out / groups, k)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step of the kernel on the output. Default: ``1``.
        padding (int or tuple): size trimmed from both sides of each output dimension. Default:
          ``0``.
        output_padding (int or tuple): size added to one side of each output dimension. Default:
          ``0``.
        groups (int): number of independent channel groups. Default: ``1``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, L_out)`` with
          ``out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example:
        >>> ember.nn.functional.conv_transpose1d(ember.ones(1, 1, 2), ember.ones(1, 1, 2))
        tensor([[[1., 2., 1.]]])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 1)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """2-D transposed convolution: scatters each input value times the kernel into the output.

    Args:
        input (Tensor): ``(N, C_in, H_in, W_in)`` or unbatched ``(C_in, H_in, W_in)``.
        weight (Tensor): ``(C_in, C_out / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step of the kernel on the output. Default: ``1``.
        padding (int or tuple): size trimmed from both sides of each output dimension. Default:
          ``0``.
        output_padding (int or tuple): size added to one side of each output dimension. Default:
          ``0``.
        groups (int): number of independent channel groups. Default: ``1``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, H_out, W_out)`` with
          ``out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example:
        >>> x = ember.ones(1, 2, 3, 3)
        >>> ember.nn.functional.conv_transpose2d(x, ember.ones(2, 4, 2, 2), stride=2).shape
        ember.Size([1, 4, 6, 6])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """3-D transposed convolution: scatters each input value times the kernel into the output.

    Args:
        input (Tensor): ``(N, C_in, D_in, H_in, W_in)`` or unbatched ``(C_in, D_in, H_in, W_in)``.
        weight (Tensor): ``(C_in, C_out / groups, kD, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple): step of the kernel on the output. Default: ``1``.
        padding (int or tuple): size trimmed from both sides of each output dimension. Default:
          ``0``.
        output_padding (int or tuple): size added to one side of each output dimension. Default:
          ``0``.
        groups (int): number of independent channel groups. Default: ``1``.
        dilation (int or tuple): spacing between kernel taps. Default: ``1``.

    Shape:
        - Output: ``(N, C_out, D_out, H_out, W_out)`` with
          ``out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example:
        >>> x = ember.ones(1, 2, 2, 2, 2)
        >>> ember.nn.functional.conv_transpose3d(x, ember.ones(2, 1, 3, 3, 3)).shape
        ember.Size([1, 1, 4, 4, 4])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 3)


def _patch_windows(kernel_size, dilation, padding, stride, spatial):
    k = expand_param(kernel_size, 2, "kernel_size", "the spatial dimensions")
    d = expand_param(dilation, 2, "dilation", "the spatial dimensions")
    p = expand_param(padding, 2, "padding", "the spatial dimensions")
    s = expand_param(stride, 2, "stride", "the spatial dimensions")
    for name, vals, low in (("kernel size", k, 1), ("dilation", d, 1), ("stride", s, 1),
                            ("padding", p, 0)):
        if any(v < low for v in vals):
            word = "non-negative" if low == 0 else "greater than zero"
            key = "pad" if name == "padding" else name.split()[0]
            raise RuntimeError(f"{name} should be {word}, but got {key}_height: {vals[0]} "
                               f"{key}_width: {vals[1]}")
    win = Windows(k, s, d, p, p)
    blocks = win.out_shape(spatial)
    if any(b < 1 for b in blocks):
        raise RuntimeError(f"Given input with spatial size {tuple(spatial)}, kernel_size={k}, "
                           f"dilation={d}, padding={p}, calculated shape of the array of sliding "
                           f"blocks as {blocks}, but its components must be at least one.")
    return win, blocks


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extract sliding blocks of a batched image as columns (im2col).

    Every ``kernel_size`` window of every channel is flattened into one column, so a convolution
    becomes a matrix product with the columns.

    Args:
        input (Tensor): ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
        kernel_size (int or tuple): window size.
        dilation (int or tuple): spacing between window taps. Default: ``1``.
        padding (int or tuple): zeros added on both sides of each spatial dimension. Default: ``0``.
        stride (int or tuple): step between windows. Default: ``1``.

    Shape:
        - Output: ``(N, C * kH * kW, L)`` where ``L`` is the number of windows,
          ``prod_d floor((size_d + 2 * padding_d - dilation_d * (k_d - 1) - 1) / stride_d + 1)``.

    Example:
        >>> x = ember.arange(9.).reshape(1, 1, 3, 3)
        >>> ember.nn.functional.unfold(x, 2)
        tensor([[[0., 1., 3., 4.],
                 [1., 2., 4., 5.],
                 [3., 4., 6., 7.],
                 [4., 5., 7., 8.]]])
    """
    if input.dim() not in (3, 4) or any(s == 0 for s in input.shape[-3:]):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {list(input.shape)}")
    win, _ = _patch_windows(kernel_size, dilation, padding, stride, tuple(input.shape[-2:]))
    return Im2Col(win, unbatched=input.dim() == 3)(input)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum columns of sliding blocks back into an image (col2im), the adjoint of ``unfold``.

    Overlapping blocks add up, so ``fold(unfold(x))`` multiplies each pixel by the number of
    windows that cover it.

    Args:
        input (Tensor): ``(N, C * kH * kW, L)`` or unbatched ``(C * kH * kW, L)``.
        output_size (int or tuple): spatial size ``(H, W)`` of the image.
        kernel_size (int or tuple): window size.
        dilation (int or tuple): spacing between window taps. Default: ``1``.
        padding (int or tuple): implicit zero padding of the image. Default: ``0``.
        stride (int or tuple): step between windows. Default: ``1``.

    Shape:
        - Output: ``(N, C, H, W)`` or ``(C, H, W)``.

    Example:
        >>> cols = ember.ones(1, 4, 4)
        >>> ember.nn.functional.fold(cols, (3, 3), 2)
        tensor([[[[1., 2., 1.],
                  [2., 4., 2.],
                  [1., 2., 1.]]]])
    """
    if input.dim() not in (2, 3) or any(s == 0 for s in input.shape[-2:]):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and "
                           f"non-zero dimensions for input, but got: {list(input.shape)}")
    out = expand_param(output_size, 2, "output_size", "the spatial dimensions")
    win, blocks = _patch_windows(kernel_size, dilation, padding, stride, out)
    k = math.prod(win.kernel)
    ck, n_blocks = input.shape[-2:]
    if ck % k:
        raise RuntimeError(f"Expected size of input's dimension {input.dim() - 2} to be divisible "
                           f"by the product of kernel_size, but got input.size({input.dim() - 2})"
                           f"={ck} and kernel_size={win.kernel}.")
    if n_blocks != math.prod(blocks):
        raise RuntimeError(f"Given output_size={out}, kernel_size={win.kernel}, dilation="
                           f"{win.dilation}, padding={win.pad_lo}, stride={win.stride}, expected "
                           f"size of input's dimension {input.dim() - 1} to match the calculated "
                           f"number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{math.prod(blocks)}, but got input.size({input.dim() - 1})="
                           f"{n_blocks}.")
    return Col2Im(win, out, unbatched=input.dim() == 2)(input)


def _shuffle_factor(input, factor, name, arg):
    """``factor`` as an int, after torch's checks shared by pixel_shuffle and pixel_unshuffle."""
    r = int(factor)
    if input.dim() < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"{name} expects a positive {arg}, but got {r}")
    return r


def pixel_shuffle(input, upscale_factor):
    """Move channel blocks into space: ``(*, C * r * r, H, W) -> (*, C, H * r, W * r)``.

    Output pixel ``(c, h * r + i, w * r + j)`` is input channel ``c * r * r + i * r + j`` at
    ``(h, w)``.

    Args:
        input (Tensor): at least 3-D; channels divisible by ``upscale_factor ** 2``.
        upscale_factor (int): ``r``.

    Shape:
        - Input: ``(*, C * r * r, H, W)``.
        - Output: ``(*, C, H * r, W * r)``.

    Example:
        >>> ember.nn.functional.pixel_shuffle(ember.arange(4.).reshape(1, 4, 1, 1), 2)
        tensor([[[[0., 1.],
                  [2., 3.]]]])
    """
    r = _shuffle_factor(input, upscale_factor, "pixel_shuffle", "upscale_factor")
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={c} is not "
                           f"divisible by {r * r}")
    return PixelShuffle(r)(input)


def pixel_unshuffle(input, downscale_factor):
    """Move space into channels, the inverse of ``pixel_shuffle``:
    ``(*, C, H * r, W * r) -> (*, C * r * r, H, W)``.

    Args:
        input (Tensor): at least 3-D; height and width divisible by ``downscale_factor``.
        downscale_factor (int): ``r``.

    Shape:
        - Input: ``(*, C, H * r, W * r)``.
        - Output: ``(*, C * r * r, H, W)``.

    Example:
        >>> x = ember.arange(4.).reshape(1, 1, 2, 2)
        >>> ember.nn.functional.pixel_unshuffle(x, 2).flatten()
        tensor([0., 1., 2., 3.])
    """
    r = _shuffle_factor(input, downscale_factor, "pixel_unshuffle", "downscale_factor")
    for name, dim in (("height", -2), ("width", -1)):
        if input.shape[dim] % r:
            raise RuntimeError(f"pixel_unshuffle expects {name} to be divisible by "
                               f"downscale_factor, but input.size({dim})={input.shape[dim]} is "
                               f"not divisible by {r}")
    return PixelShuffle(r, inverse=True)(input)
