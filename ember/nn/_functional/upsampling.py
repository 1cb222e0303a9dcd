"""``interpolate`` (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area) and the
deprecated ``upsample*`` aliases.

Every mode is separable: each spatial axis gets a small (out, in) matrix of
torch's interpolation weights (nearest is a plain gather), applied by one
``Resample`` op.  Coordinates are computed in the precision torch uses for
the input's dtype (float32 for float32/float16, float64 for float64), so
nearest indices and linear weights match torch exactly.
"""
import math
import warnings

import numpy as np

from ..._ops.pooling.ops import Resample
from ..._ops.pooling.funcs import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_LINEAR_RANK = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_CUBIC_A = -0.75


def _spatial_arg(value, dim, input, what, desc, fmt):
    """``size``/``scale_factor`` as a list with one entry per spatial dim."""
    if isinstance(value, (list, tuple)):
        if len(value) != dim:
            raise ValueError(f"Input and {what} must have the same number of spatial dimensions, "
                             f"but got input with spatial dimensions of {list(input.shape[2:])} "
                             f"and {desc} {tuple(value)}. Please provide input tensor in (N, C, "
                             f"d1, d2, ...,dK) format and {fmt} format.")
        return list(value)
    return [value] * dim


def _source_scale(n_in, n_out, scale, align_corners, ftype):
    """torch's input-per-output step along one axis (in the computation dtype)."""
    if align_corners:
        return ftype((n_in - 1) / (n_out - 1)) if n_out > 1 else ftype(0)
    if scale is not None and scale > 0:
        return ftype(1.0 / scale)
    return ftype(n_in) / ftype(n_out)


def _nearest_index(n_in, n_out, scale, exact):
    if n_in == n_out:
        return None
    if n_out == 2 * n_in and not exact:
        return np.arange(n_out) >> 1
    step = _source_scale(n_in, n_out, scale, False, np.float32)
    pos = np.arange(n_out, dtype=np.float32)
    if exact:
        pos = pos + np.float32(0.5)
    return np.minimum(np.floor(pos * step).astype(np.int64), n_in - 1)


def _source_coords(n_in, n_out, scale, align_corners, ftype, cubic):
    step = _source_scale(n_in, n_out, scale, align_corners, ftype)
    dst = np.arange(n_out, dtype=ftype)
    if align_corners:
        return dst * step
    src = step * (dst + ftype(0.5)) - ftype(0.5)
    return src if cubic else np.maximum(src, ftype(0))


def _linear_matrix(n_in, n_out, scale, align_corners, ftype):
    src = _source_coords(n_in, n_out, scale, align_corners, ftype, cubic=False)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    w1 = np.clip(src - i0.astype(ftype), 0, 1).astype(ftype)
    i1 = i0 + (i0 < n_in - 1)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(m, (rows, i0), (ftype(1) - w1).astype(np.float64))
    np.add.at(m, (rows, i1), w1.astype(np.float64))
    return m


def _cubic_matrix(n_in, n_out, scale, align_corners, ftype):
    src = _source_coords(n_in, n_out, scale, align_corners, ftype, cubic=True)
    base = np.floor(src)
    t = (src - base).astype(ftype)
    a = ftype(_CUBIC_A)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = ftype(1)
    coeffs = (far(t + one), near(t), near(one - t), far(one - t + one))
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    for k, c in enumerate(coeffs):
        idx = np.clip(base.astype(np.int64) - 1 + k, 0, n_in - 1)
        np.add.at(m, (rows, idx), c.astype(np.float64))
    return m


def _axis_map(mode, n_in, n_out, scale, align_corners, ftype):
    if mode in ("nearest", "nearest-exact"):
        return _nearest_index(n_in, n_out, scale, mode == "nearest-exact")
    if mode == "bicubic":
        return _cubic_matrix(n_in, n_out, scale, align_corners, ftype)
    if n_in == n_out and (align_corners or scale is None or scale == 1):
        return None
    return _linear_matrix(n_in, n_out, scale, align_corners, ftype)


def _grad_name(mode, dim):
    kind = {"nearest": "Nearest", "nearest-exact": "NearestExact", "linear": "Linear",
            "bilinear": "Bilinear", "bicubic": "Bicubic", "trilinear": "Trilinear"}[mode]
    return f"Upsample{kind}{dim}D"


def _resolve_sizes(input, dim, size, scale_factor, recompute_scale_factor, mode):
    """(output sizes, scale factors or Nones) per spatial dim, as torch resolves them."""
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        sizes = _spatial_arg(size, dim, input, "output", "output size of",
                             "output size in (o1, o2, ...,oK)")
        if any(not isinstance(s, (int, np.integer)) for s in sizes):
            raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                            f"Tuple[int, int, int], but got size with types "
                            f"{[type(s) for s in sizes]}")
        return [int(s) for s in sizes], [None] * dim
    scales = [float(s) for s in _spatial_arg(scale_factor, dim, input, "scale_factor",
                                             "scale_factor of shape",
                                             "scale_factor in (s1, s2, ...,sK)")]
    sizes = [math.floor(n * s) for n, s in zip(input.shape[2:], scales)]
    if recompute_scale_factor or (mode == "area" and recompute_scale_factor is None):
        scales = [None] * dim
    return sizes, scales


def _check_sizes(input, sizes):
    names = ("D", "H", "W")[3 - len(sizes):]
    if any(s <= 0 for s in sizes) or any(n <= 0 for n in input.shape[2:]):
        ins = ", ".join(f"{k}: {v}" for k, v in zip(names, input.shape[2:]))
        outs = ", ".join(f"{k}: {v}" for k, v in zip(names, sizes))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({ins}) output ({outs})")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of (N, C, *spatial) to ``size`` or by ``scale_factor``.

    Modes: nearest, nearest-exact, linear (3-D input), bilinear and bicubic
    (4-D), trilinear (5-D), area (adaptive average pooling).
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if mode not in ("nearest", "nearest-exact", "area") + tuple(_LINEAR_RANK) or \
            input.dim() not in (3, 4, 5):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{input.dim()}D) for the modes: {_MODES} (got {mode})")
    sizes, scales = _resolve_sizes(input, dim, size, scale_factor, recompute_scale_factor, mode)
    if antialias:
        raise NotImplementedError("interpolate(antialias=True) is not supported by ember; "
                                  "resize without antialias or pre-blur the input")
    if mode in _LINEAR_RANK and _LINEAR_RANK[mode] != dim:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{_LINEAR_RANK[mode] + 2}D input")
    if mode == "area":
        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dim - 1]
        return pool(input, sizes)
    _check_sizes(input, sizes)
    if mode not in ("nearest", "nearest-exact") and not input.is_floating_point():
        raise NotImplementedError(f'"upsample_{mode}{dim}d" not implemented for '
                                  f"'{input.dtype}'")
    ftype = np.float64 if str(input.dtype).endswith("float64") else np.float32
    maps = [_axis_map(mode, n, o, s, align_corners, ftype)
            for n, o, s in zip(input.shape[2:], sizes, scales)]
    return Resample(maps, _grad_name(mode, dim))(input)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of ``interpolate``."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
