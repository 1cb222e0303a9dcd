"""Pooling: max/avg/adaptive/lp pooling in 1-3 dims, max unpooling.

Geometry and checks follow torch (output sizes with ``ceil_mode``, which
windows count padding, flat indices per input plane); the work is in
``ember/_ops/pooling/ops.py``.  Average pooling is a separable linear map (one
small matrix per axis, applied with BLAS).
"""
import numpy as np

from ..creation import tensor
from ..conv.ops import Windows
from .ops import AdaptiveMaxPool, MaxPool, MaxUnpool, Resample, adaptive_bounds

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_avg_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "lp_pool1d",
           "lp_pool2d", "lp_pool3d"]

_COUNT = {1: "a single int, or a tuple of one int", 2: "a single int, or a tuple of two ints",
          3: "a single int, or a tuple of three ints"}


def _tuple(value, nd, fn, name, default=None):
    """kernel/stride/padding/dilation as an nd-tuple, with torch's wording when malformed."""
    if value is None or (isinstance(value, (list, tuple)) and len(value) == 0 and
                         default is not None):
        value = default
    vals = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if len(vals) == 1:
        vals = vals * nd
    if len(vals) != nd:
        omitted = "omitted, " if name == "stride" else ""
        raise RuntimeError(f"{fn}: {name} must either be {omitted}{_COUNT[nd]}")
    return tuple(int(v) for v in vals)


def _check_input(input, nd, fn):
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor for input, "
                           f"but got input of size {list(input.shape)}")
    if any(s == 0 for s in input.shape[-nd - 1:]):
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input.shape)}")


def pool_out_size(n, k, s, p, d, ceil_mode):
    """torch's pooling output length along one dim."""
    eff = d * (k - 1) + 1
    out = (n + 2 * p - eff + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _geometry(input, nd, fn, kernel_size, stride, padding, dilation, ceil_mode):
    """(Windows, output spatial size) for a pooling call, after torch's checks."""
    _check_input(input, nd, fn)
    k = _tuple(kernel_size, nd, fn, "kernel_size")
    s = _tuple(stride, nd, fn, "stride", default=k)
    p = _tuple(padding, nd, fn, "padding")
    d = _tuple(dilation, nd, fn, "dilation")
    if any(v <= 0 for v in k):
        raise RuntimeError(f"{fn}: kernel_size must be greater than zero, but got {list(k)}")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should not be zero (got {list(s)})" if 0 in s else
                           f"{fn}: stride must be greater than zero, but got {list(s)}")
    if any(v <= 0 for v in d):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(d)}")
    for pi, ki, di in zip(p, k, d):
        if pi < 0 or pi > (di * (ki - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={pi}, kernel_size={ki} and dilation={di}")
    spatial = tuple(input.shape[-nd:])
    out = tuple(pool_out_size(*a, ceil_mode) for a in zip(spatial, k, s, p, d))
    if any(o <= 0 for o in out):
        c = input.shape[-nd - 1]
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, (c,) + spatial))}). "
                           f"Calculated output size: ({'x'.join(map(str, (c,) + out))}). Output "
                           f"size is too small")
    # ceil_mode may need extra room after the input: pad it (max ignores it, avg excludes it)
    hi = tuple(max(pi, (o - 1) * si + di * (ki - 1) + 1 - n - pi)
               for n, o, ki, si, pi, di in zip(spatial, out, k, s, p, d))
    return Windows(k, s, d, p, hi), out


def _max_pool(nd, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    win, _ = _geometry(input, nd, f"max_pool{nd}d", kernel_size, stride, padding, dilation,
                       ceil_mode)
    return MaxPool(win, return_indices)(input)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over sliding windows of (N, C, L) or (C, L); optionally also the argmax indices."""
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over sliding windows of (N, C, H, W) or (C, H, W); indices are flat per plane."""
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over sliding windows of (N, C, D, H, W) or (C, D, H, W)."""
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def _box_matrix(n, out, k, s, p, count_include_pad):
    """One axis of average pooling: (window membership (out, n), divisor per window)."""
    m = np.zeros((out, n))
    counts = np.zeros(out)
    for o in range(out):
        start = o * s - p
        end = min(start + k, n + p)
        size = end - start
        start, end = max(start, 0), min(end, n)
        m[o, start:end] = 1.0
        counts[o] = size if count_include_pad else max(end - start, 1)
    return m, counts


def _avg_pool(nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override=None):
    fn = f"avg_pool{nd}d"
    win, out = _geometry(input, nd, fn, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    spatial = tuple(input.shape[-nd:])
    boxes = [_box_matrix(n, o, k, s, p, count_include_pad) for n, o, k, s, p in
             zip(spatial, out, win.kernel, win.stride, win.pad_lo)]
    if divisor_override is not None:
        boxes = [(m, np.ones(len(c))) for m, c in boxes]
        boxes[0][1][:] = divisor_override
    # torch pools one dim as two, then squeezes
    name = (f"AvgPool{nd}D", 0) if nd > 1 else ("Squeeze", 1)
    if input.is_floating_point():
        return Resample([m / c[:, None] for m, c in boxes], *name)(input)
    # integers: exact window sums, then torch's truncating division by the window count
    sums = Resample([m for m, _ in boxes], *name)(input)
    divisor = np.ones(())
    for _, c in boxes:
        divisor = np.multiply.outer(divisor, c)
    return (sums / tensor(divisor, device=input.device)).trunc().to(input.dtype)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Mean over sliding windows of (N, C, L) or (C, L)."""
    return _avg_pool(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mean over sliding windows of (N, C, H, W) or (C, H, W)."""
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mean over sliding windows of (N, C, D, H, W) or (C, D, H, W)."""
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def _requested_size(input, nd, output_size, fn):
    """The adaptive output size as an nd-tuple, None entries taking the input's size."""
    seq = isinstance(output_size, (list, tuple))
    if seq and nd > 1 and input.dim() <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    vals = tuple(output_size) if seq else (output_size,) * nd
    if len(vals) != nd:
        raise RuntimeError(f"{fn}: output_size must be {nd}, but got {len(vals)}")
    return tuple(n if v is None else int(v) for v, n in zip(vals, input.shape[-nd:]))


def _adaptive_size(input, nd, output_size, fn, sep=":", out=None):
    if out is None:
        out = _requested_size(input, nd, output_size, fn)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got"
                           f"{sep} {list(input.shape)}")
    if any(o < 0 for o in out):
        raise RuntimeError(f"{fn}: elements of output_size must be non-negative, got {list(out)}")
    return out


def _adaptive_avg(nd, input, output_size):
    fn = f"adaptive_avg_pool{nd}d"
    out = _requested_size(input, nd, output_size, fn)
    ones = all(o == 1 for o in out)
    if nd == 1 or not ones:
        _adaptive_size(input, nd, output_size, fn, sep="", out=out)
    if ones:
        # torch takes the mean over the last nd dims here (for 2-d/3-d whatever the rank)
        return input.mean(tuple(range(-nd, 0)), keepdim=True)
    if input.dtype.is_floating_point is False:
        raise NotImplementedError(f'"{fn}" not implemented for \'{_type_name(input)}\'')
    mats = []
    for n, o in zip(input.shape[-nd:], out):
        starts, ends = adaptive_bounds(n, o)
        m = np.zeros((o, n))
        for i, (a, b) in enumerate(zip(starts, ends)):
            m[i, a:b] = 1.0 / (b - a)
        mats.append(None if o == n else m)
    return Resample(mats, *((f"AdaptiveAvgPool{nd}D", 0) if nd > 1 else ("Squeeze", 1)))(input)


def _type_name(t):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(t.dtype).split(".")[-1], str(t.dtype))


def adaptive_avg_pool1d(input, output_size):
    """Mean over torch's adaptive windows so the output length is ``output_size``."""
    return _adaptive_avg(1, input, output_size)


def adaptive_avg_pool2d(input, output_size):
    """Mean over adaptive windows to an (oH, oW) output (None keeps that input size)."""
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input, output_size):
    """Mean over adaptive windows to an (oD, oH, oW) output."""
    return _adaptive_avg(3, input, output_size)


def _adaptive_max(nd, input, output_size, return_indices):
    fn = f"adaptive_max_pool{nd}d"
    out = _adaptive_size(input, nd, output_size, fn)
    if not input.is_floating_point():
        kernel = "adaptive_max_pool3d_cpu" if nd == 3 else "adaptive_max_pool2d"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(input)}\'')
    if any(s == 0 for s in input.shape[-nd:]):
        raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                           f"dimensions, but input has sizes {list(input.shape)}")
    values, indices = AdaptiveMaxPool(out)(input)
    return (values, indices) if return_indices else values


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max over adaptive windows to length ``output_size``; optionally the argmax indices."""
    return _adaptive_max(1, input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max over adaptive windows to (oH, oW); indices are flat per input plane."""
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max over adaptive windows to (oD, oH, oW)."""
    return _adaptive_max(3, input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=True):
    return _adaptive_max(1, input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=True):
    return _adaptive_max(2, input, output_size, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=True):
    return _adaptive_max(3, input, output_size, True)


def unpool_output_size(input, nd, kernel_size, stride, padding, output_size):
    """The spatial size max_unpool fills: the pooling's input size, or ``output_size``."""
    k = _tuple(kernel_size, nd, f"max_unpool{nd}d", "kernel_size")
    s = _tuple(stride, nd, f"max_unpool{nd}d", "stride", default=k)
    p = _tuple(padding, nd, f"max_unpool{nd}d", "padding")
    default = tuple((n - 1) * si - 2 * pi + ki for n, ki, si, pi in
                    zip(input.shape[-nd:], k, s, p))
    if output_size is None:
        return default
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                         f"elements, but it has a length of '{len(output_size)}'")
    size = tuple(int(v) for v in output_size)
    for d, (v, n) in enumerate(zip(size, default)):
        lo, hi = n - s[d], n + s[d]
        if not lo < v < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between '
                             f'{lo} and {hi})')
    return size


def _max_unpool(nd, input, indices, kernel_size, stride, padding, output_size):
    out = unpool_output_size(input, nd, kernel_size, stride, padding, output_size)
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    size = int(np.prod(out))
    bad = (indices < 0) | (indices >= size)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {indices[bad][0].item()} (output "
                           f"volumes are of size {'x'.join(map(str, out))})")
    return MaxUnpool(out)(input, indices)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Inverse of max_pool1d: values back at their indices, zeros elsewhere."""
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Inverse of max_pool2d: values back at their (flat, per plane) indices, zeros elsewhere."""
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Inverse of max_pool3d."""
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


def _lp_pool(nd, input, norm_type, kernel_size, stride, ceil_mode):
    k = _tuple(kernel_size, nd, f"lp_pool{nd}d", "kernel_size")
    out = _avg_pool(nd, input.pow(norm_type), k, stride, 0, ceil_mode, True)
    return (out.sign() * out.abs().relu()).mul(int(np.prod(k))).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling: (sum over the window of x**p) ** (1/p)."""
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """2-D power-average pooling."""
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """3-D power-average pooling."""
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode)
