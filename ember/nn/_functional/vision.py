"""Spatial sampling: ``grid_sample``, ``affine_grid`` and ``channel_shuffle``.

``grid_sample`` is written with differentiable tensor ops (gathers, products, ``where``),
so gradients reach both the input and the grid through autograd: the interpolation
weights depend on the grid, the integer taps do not.  Coordinates follow torch: the
grid's last dimension is ``(x, y[, z])`` in [-1, 1], mapped to pixel centres
(``align_corners=False``) or corner pixels (``True``); ``padding_mode`` decides what
taps outside the image read (0, the nearest border pixel, or the reflected pixel).
"""
import warnings

import numpy as np

from ..._backend import get_array_module
from ..._ops.base import relabel
from ..._ops.comparison.funcs import where
from ..._tensor import _wrap

__all__ = ["grid_sample", "affine_grid", "channel_shuffle", "native_channel_shuffle"]

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")
_CUBIC_A = -0.75


def _warn_align_corners():
    warnings.warn("Default grid_sample and affine_grid behavior has changed to "
                  "align_corners=False since 1.3.0. Please specify align_corners=True if the "
                  "old behavior is desired. See the documentation of grid_sample for details.",
                  stacklevel=3)


def _unnormalize(coord, size, align_corners):
    """[-1, 1] -> pixel index space."""
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(coord, twice_low, twice_high):
    """Reflect ``coord`` into [twice_low / 2, twice_high / 2] (mirror at both ends)."""
    if twice_low == twice_high:
        return coord * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    coord = (coord - low).abs()
    extra = coord.fmod(span)
    flips = (coord / span).floor().detach()
    even = (flips.fmod(2) == 0)
    return where(even, extra + low, span - extra + low)


def _pad_coordinate(coord, size, padding_mode, align_corners):
    """Apply ``border``/``reflection`` padding to a pixel coordinate (zeros: unchanged)."""
    if padding_mode == "border":
        return coord.clamp(0, size - 1)
    if padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (size - 1))
        else:
            coord = _reflect(coord, -1, 2 * size - 1)
        return coord.clamp(0, size - 1)
    return coord


def _taps(coord):
    """The integer array (on ``coord``'s device) of a whole-valued coordinate tensor."""
    return coord.detach()._data.astype(np.int64)


def _gather(flat, taps, sizes):
    """Values of ``flat`` (N, C, prod(sizes)) at integer taps (one (N, P) array per dim, on
    ``flat``'s device), zero where a tap lies outside the image."""
    xp = get_array_module(taps[0])
    inside = xp.ones(taps[0].shape, dtype=bool)
    index = xp.zeros(taps[0].shape, dtype=np.int64)
    for tap, size in zip(taps, sizes):
        inside &= (tap >= 0) & (tap < size)
        index = index * size + xp.clip(tap, 0, size - 1)
    n, c = flat.shape[:2]
    index = _wrap(xp.ascontiguousarray(xp.broadcast_to(index[:, None, :], (n, c, index.shape[1]))))
    values = flat.gather(2, index)
    return values * _wrap(inside[:, None, :].astype(flat._data.dtype))


def _cubic_weights(t):
    """The four cubic-convolution weights (A = -0.75) for fractional offset ``t``."""
    a = _CUBIC_A

    def near(x):   # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):    # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Sample ``input`` at the locations in ``grid`` (the sampler of a spatial transformer).

    Each output position takes the input value at the normalised coordinates its ``grid`` entry
    holds (``-1`` is the left/top edge, ``1`` the right/bottom), interpolated by ``mode``;
    coordinates outside ``[-1, 1]`` are handled by ``padding_mode``.  Differentiable in ``input``
    and ``grid``.

    Args:
        input (Tensor): ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``.
        grid (Tensor): ``(N, H_out, W_out, 2)`` or ``(N, D_out, H_out, W_out, 3)``, the last
          dimension holding ``(x, y[, z])`` normalised to ``[-1, 1]``.
        mode (str): ``'bilinear'`` (trilinear for 5-D), ``'nearest'`` or ``'bicubic'`` (4-D).
          Default: ``'bilinear'``.
        padding_mode (str): ``'zeros'``, ``'border'`` or ``'reflection'``. Default: ``'zeros'``.
        align_corners (bool, optional): -1 and 1 are the centres of the corner pixels (``True``) or
          the outer edges of the image (``False``). Default: ``None``, meaning ``False`` with a
          warning.

    Shape:
        - Input: ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``.
        - Grid: ``(N, H_out, W_out, 2)`` or ``(N, D_out, H_out, W_out, 3)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(N, C, D_out, H_out, W_out)``.

    Example:
        >>> img = ember.arange(16.).view(1, 1, 4, 4)
        >>> grid = ember.tensor([[[[0., 0.], [-1., -1.]]]])
        >>> ember.nn.functional.grid_sample(img, grid, align_corners=True)
        tensor([[[[7.5000, 0.0000]]]])
    """
    if mode not in _MODES:
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in _PADDINGS:
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    _check_grid_sample(input, grid, mode)
    n, c, *sizes = input.shape
    out_shape = tuple(grid.shape[1:-1])
    flat = input.reshape(n, c, -1)
    # grid's last dim is (x, y, z): reverse it to the input's dim order
    coords = [_unnormalize(grid[..., k].reshape(n, -1), size, align_corners)
              for k, size in zip(range(len(sizes) - 1, -1, -1), sizes)]
    if mode == "bicubic":
        out = _bicubic(flat, coords, sizes, padding_mode, align_corners)
    else:
        coords = [_pad_coordinate(x, s, padding_mode, align_corners) for x, s in zip(coords, sizes)]
        if mode == "nearest":
            taps = [_taps(x.detach().round()) for x in coords]
            # the tap's weight is the constant 1: the grid gets a zero gradient, as in torch
            out = _gather(flat, taps, sizes) * (coords[0] * 0 + 1).unsqueeze(1)
        else:
            out = _linear(flat, coords, sizes)
    return relabel(out.reshape(n, c, *out_shape), f"GridSampler{len(out_shape)}DBackward0")


def _check_grid_sample(input, grid, mode):
    if input.dim() not in (4, 5) or grid.dim() != input.dim():
        raise RuntimeError("grid_sampler(): expected 4D or 5D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(input.shape)} and "
                           f"grid with sizes {list(grid.shape)}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    if grid.shape[-1] != input.dim() - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.dim() - 2} in "
                           f"last dimension, but got grid with sizes {list(grid.shape)}")
    if mode == "bicubic" and input.dim() == 5:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")


def _linear(flat, coords, sizes):
    """Multilinear interpolation: each of the 2^d corner values times its weight."""
    lows = [x.detach().floor() for x in coords]
    fracs = [x - lo for x, lo in zip(coords, lows)]
    low_taps = [_taps(lo) for lo in lows]
    out = None
    for corner in range(2 ** len(coords)):
        bits = [(corner >> (len(coords) - 1 - k)) & 1 for k in range(len(coords))]
        weight = None
        for bit, f in zip(bits, fracs):
            w = f if bit else 1 - f
            weight = w if weight is None else weight * w
        term = _gather(flat, [t + b for t, b in zip(low_taps, bits)], sizes) * weight.unsqueeze(1)
        out = term if out is None else out + term
    return out


def _bicubic(flat, coords, sizes, padding_mode, align_corners):
    """4x4-tap cubic convolution; each tap's coordinate is padded on its own, as torch does."""
    (y, x), (h, w) = coords, sizes
    y0, x0 = y.detach().floor(), x.detach().floor()
    wy, wx = _cubic_weights(y - y0), _cubic_weights(x - x0)
    y0, x0 = _taps(y0), _taps(x0)

    def padded(tap, size):
        if padding_mode == "zeros":
            return tap
        coord = _pad_coordinate(_wrap(tap.astype(np.float64)), size, padding_mode, align_corners)
        return _taps(coord)

    out = None
    for i in range(4):
        ty = padded(y0 - 1 + i, h)
        row = None
        for j in range(4):
            v = _gather(flat, [ty, padded(x0 - 1 + j, w)], sizes) * wx[j].unsqueeze(1)
            row = v if row is None else row + v
        term = row * wy[i].unsqueeze(1)
        out = term if out is None else out + term
    return out


def _base_coords(xp, n, align_corners, dtype):
    """The n normalised pixel positions along one dim (on array module ``xp``'s device)."""
    if n <= 1:
        return xp.zeros(max(n, 0), dtype=dtype)
    lin = xp.linspace(-1.0, 1.0, n)
    return (lin if align_corners else lin * (n - 1) / n).astype(dtype)


def affine_grid(theta, size, align_corners=None):
    """The sampling grid of a batch of affine maps, for ``grid_sample``.

    Output position ``p`` (normalised coordinates ``(x, y[, z], 1)``) maps to ``theta @ p``.
    Differentiable in ``theta``.

    Args:
        theta (Tensor): ``(N, 2, 3)`` (2-D) or ``(N, 3, 4)`` (3-D) affine matrices.
        size (sequence of int): the output size ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        align_corners (bool, optional): as in ``grid_sample``. Default: ``None``, meaning ``False``
          with a warning.

    Shape:
        - Theta: ``(N, 2, 3)`` or ``(N, 3, 4)``.
        - Output: ``(N, H, W, 2)`` or ``(N, D, H, W, 3)``.

    Example:
        >>> theta = ember.tensor([[[1., 0., 0.], [0., 1., 0.]]])   # identity
        >>> ember.nn.functional.affine_grid(theta, (1, 1, 2, 2), align_corners=False)[0, 0]
        tensor([[-0.5000, -0.5000],
                [ 0.5000, -0.5000]])
    """
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = list(size)
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    spatial = size[2:]
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    dtype = theta._data.dtype
    xp = get_array_module(theta._data)
    axes = [_base_coords(xp, s, align_corners, dtype) for s in spatial]
    mesh = xp.meshgrid(*axes, indexing="ij")           # in the output's dim order
    base = xp.stack(list(mesh[::-1]) + [xp.ones_like(mesh[0])], axis=-1)  # (x, y[, z], 1)
    base = _wrap(xp.ascontiguousarray(base.reshape(1, -1, len(spatial) + 1)))
    grid = base @ theta.transpose(1, 2)
    return relabel(grid.reshape(size[0], *spatial, len(spatial)), "AffineGridGeneratorBackward0")


def channel_shuffle(input, groups):
    """Interleave ``groups`` equal channel groups (ShuffleNet's mixing).

    The channels, read as a ``(groups, C / groups)`` grid, are transposed: with two groups
    ``[0, 1, 2, 3]`` becomes ``[0, 2, 1, 3]``.  ``native_channel_shuffle`` is the same function.

    Args:
        input (Tensor): ``(N, C, *)`` with ``C`` divisible by ``groups`` and more than 2 dimensions.
        groups (int): the number of groups.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: ``(N, C, *)``.

    Example:
        >>> ember.nn.functional.channel_shuffle(ember.arange(4.).view(1, 4, 1), 2).flatten()
        tensor([0., 2., 1., 3.])
    """
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    if input.dim() <= 2:
        raise RuntimeError("channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(input.shape)}")
    n, c, *rest = input.shape
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    out = input.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(n, c, *rest)
    return relabel(out, "ChannelShuffleBackward0")


native_channel_shuffle = channel_shuffle
