"""Image operations on ember tensors of shape (..., C, H, W) (or (H, W)).

Written with ember ops so they keep autograd and run on any device.  Integer
images are processed in float32 and rounded back, as torchvision does.
Resizing and rotation use pixel centres at ``i + 0.5`` (half-pixel
convention, ``align_corners=False``).
"""
import math

import numpy as np

import ember
from ember.nn import functional as F

_GRAY_WEIGHTS = (0.2989, 0.587, 0.114)  # ITU-R 601-2 luma, torchvision's weights


def get_dimensions(img):
    if img.dim() < 2:
        raise TypeError("Tensor is not an image: expected (..., H, W), got shape "
                        f"{tuple(img.shape)}")
    channels = 1 if img.dim() == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def max_value(dtype):
    """The value of full intensity: 1.0 for floats, the type's maximum for integers."""
    return 1.0 if dtype.is_floating_point else ember.iinfo(dtype).max


def _float_work(img):
    """``img`` as a float tensor to compute on (float32 for integer images)."""
    return img if img.is_floating_point() else img.to(ember.float32)


def _back_to(result, dtype, clamp=False):
    """Cast a float result to ``dtype``, rounding (and clamping) for integer types."""
    if result.dtype == dtype:
        return result
    if not dtype.is_floating_point:
        result = result.round()
        if clamp:
            result = result.clamp(0, max_value(dtype))
    return result.to(dtype)


def convert_image_dtype(image, dtype):
    if image.dtype == dtype:
        return image
    if image.is_floating_point():
        if dtype.is_floating_point:
            return image.to(dtype)
        if (image.dtype == ember.float32 and dtype in (ember.int32, ember.int64)) or \
                (image.dtype == ember.float64 and dtype == ember.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed "
                               "safely.")
        # Scale to just below max+1 so that 1.0 maps to max and each bin is equally wide.
        return image.mul(max_value(dtype) + 1.0 - 1e-3).to(dtype)
    in_max = max_value(image.dtype)
    if dtype.is_floating_point:
        return image.to(dtype).div(in_max)
    out_max = max_value(dtype)
    if in_max > out_max:
        return ember.div(image, (in_max + 1) // (out_max + 1), rounding_mode="floor").to(dtype)
    return image.to(dtype).mul((out_max + 1) // (in_max + 1))


def normalize(tensor, mean, std, inplace=False):
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.dim() < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    mean = ember.as_tensor(mean, dtype=tensor.dtype, device=tensor.device)
    std = ember.as_tensor(std, dtype=tensor.dtype, device=tensor.device)
    if bool((std == 0).any()):
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to "
                         "division by zero.")
    if mean.dim() == 1:
        mean = mean.view(-1, 1, 1)
    if std.dim() == 1:
        std = std.view(-1, 1, 1)
    if inplace:
        return tensor.sub_(mean).div_(std)
    return (tensor - mean) / std


def _span(start, length, size):
    """Slice [lo, hi) of a line of ``size`` pixels, and zeros to add before and after."""
    lo, hi = min(max(start, 0), size), min(max(start + length, 0), size)
    before = min(max(-start, 0), length)
    return lo, hi, before, length - before - (hi - lo)


def crop(img, top, left, height, width):
    """Crop; the parts outside the image are filled with zeros."""
    _, h, w = get_dimensions(img)
    y0, y1, pad_top, pad_bottom = _span(top, height, h)
    x0, x1, pad_left, pad_right = _span(left, width, w)
    inside = img[..., y0:y1, x0:x1]
    if pad_top or pad_bottom or pad_left or pad_right:
        return F.pad(inside, [pad_left, pad_right, pad_top, pad_bottom], value=0)
    return inside


def pad(img, left, top, right, bottom, fill=0, padding_mode="constant"):
    """Pad the last two dims; modes constant, edge, reflect, symmetric (NumPy's names)."""
    if padding_mode == "constant":
        return F.pad(img, [left, right, top, bottom], value=fill)
    # Negative amounts crop; the rest pads by gathering rows and columns by index.
    h, w = img.shape[-2:]
    img = img[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
    for dim, before, after in ((-2, top, bottom), (-1, left, right)):
        before, after = max(before, 0), max(after, 0)
        if before or after:
            idx = np.pad(np.arange(img.shape[dim]), (before, after), mode=padding_mode)
            img = ember.index_select(img, dim, ember.as_tensor(idx, device=img.device))
    return img


def hflip(img):
    return ember.flip(img, [-1])


def vflip(img):
    return ember.flip(img, [-2])


def _triangle(x):
    return np.clip(1.0 - np.abs(x), 0.0, None)


def _cubic(x, a=-0.5):
    """Keys' cubic convolution kernel (a = -0.5 as in PIL's antialiased bicubic)."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _resample_matrix(in_size, out_size, kernel, antialias):
    """(out, in) weights mapping a line of ``in_size`` pixels to ``out_size`` pixels.

    Output pixel i is centred at (i + 0.5) * scale in input coordinates; each
    input pixel j (centre j + 0.5) gets kernel((j + 0.5 - centre) / stretch),
    where stretch = scale when shrinking with antialias (the kernel widens to
    cover all the pixels it replaces) and 1 otherwise.  Weights are normalised
    over the pixels inside the image, which also handles the borders.
    """
    scale = in_size / out_size
    stretch = scale if antialias and scale > 1 else 1.0
    centres = (np.arange(out_size) + 0.5) * scale
    dist = (np.arange(in_size) + 0.5)[None, :] - centres[:, None]
    weights = kernel(dist / stretch)
    return weights / weights.sum(axis=1, keepdims=True)


def _nearest_index(in_size, out_size, exact):
    scale = in_size / out_size
    offset = 0.5 if exact else 0.0
    index = np.floor((np.arange(out_size) + offset) * scale).astype(np.int64)
    return np.minimum(index, in_size - 1)


def resize(img, size, interpolation="bilinear", antialias=True):
    """Resize the last two dims to ``size`` = (height, width)."""
    in_hw, out_hw = tuple(img.shape[-2:]), tuple(size)
    if in_hw == out_hw:
        return img
    dims = [(d, i, o) for d, i, o in zip((-2, -1), in_hw, out_hw) if i != o]
    if interpolation in ("nearest", "nearest-exact"):
        for d, i, o in dims:
            idx = _nearest_index(i, o, interpolation == "nearest-exact")
            img = ember.index_select(img, d, ember.as_tensor(idx, device=img.device))
        return img
    if interpolation == "bicubic" and not antialias:
        work = _float_work(img)
        lead = work.shape[:-2]
        flat = work.reshape(-1, 1, *in_hw)
        out = F.interpolate(flat, size=out_hw, mode="bicubic", align_corners=False)
        return _back_to(out.reshape(*lead, *out_hw), img.dtype, clamp=True)
    if interpolation not in ("bilinear", "bicubic"):
        raise ValueError("Tensor images can be resized with nearest, nearest-exact, bilinear or "
                         f"bicubic interpolation, got {interpolation}")
    kernel = _triangle if interpolation == "bilinear" else _cubic
    out = _float_work(img)
    for d, i, o in dims:
        w = ember.as_tensor(_resample_matrix(i, o, kernel, antialias), dtype=out.dtype,
                            device=out.device)
        out = ember.matmul(w, out) if d == -2 else ember.matmul(out, w.t())
    return _back_to(out, img.dtype, clamp=interpolation == "bicubic")


def rgb_to_grayscale(img, num_output_channels=1):
    channels = get_dimensions(img)[0]
    if img.dim() < 3 or channels not in (1, 3):
        raise TypeError("Input image tensor should have 1 or 3 channels, got shape "
                        f"{tuple(img.shape)}")
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")
    if channels == 3:
        r, g, b = img.unbind(dim=-3)
        # torchvision truncates (not rounds) integer luma
        gray = (_GRAY_WEIGHTS[0] * r + _GRAY_WEIGHTS[1] * g + _GRAY_WEIGHTS[2] * b).to(img.dtype)
        gray = gray.unsqueeze(-3)
    else:
        gray = img
    if num_output_channels == 3:
        return gray.expand(*gray.shape[:-3], 3, *gray.shape[-2:])
    return gray


def _blend(img1, img2, ratio):
    """ratio * img1 + (1 - ratio) * img2, clamped to the image range, in img1's dtype."""
    out = ratio * _float_work(img1) + (1.0 - ratio) * _float_work(img2)
    return out.clamp(0, max_value(img1.dtype)).to(img1.dtype)


def adjust_brightness(img, factor):
    return _blend(img, ember.zeros_like(img), factor)


def adjust_contrast(img, factor):
    work = _float_work(img)
    gray = rgb_to_grayscale(img).to(work.dtype) if get_dimensions(img)[0] == 3 else work
    return _blend(img, gray.mean(dim=(-3, -2, -1), keepdim=True), factor)


def adjust_saturation(img, factor):
    if get_dimensions(img)[0] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), factor)


def _rgb_to_hsv(img):
    r, g, b = img.unbind(dim=-3)
    maxc, minc = img.amax(dim=-3), img.amin(dim=-3)
    flat = maxc == minc
    chroma = maxc - minc
    one = ember.ones_like(maxc)
    s = chroma / ember.where(flat, one, maxc)
    chroma = ember.where(flat, one, chroma)
    rc, gc, bc = (maxc - r) / chroma, (maxc - g) / chroma, (maxc - b) / chroma
    is_r, is_g = maxc == r, (maxc == g) & (maxc != r)
    h = ember.where(is_r, bc - gc, ember.where(is_g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = ember.remainder(h / 6.0 + 1.0, 1.0)
    return h, s, maxc


def _hsv_to_rgb(h, s, v):
    sector = ember.floor(h * 6.0)
    f = h * 6.0 - sector
    sector = ember.remainder(sector, 6.0)
    p, q, t = v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f))
    # (r, g, b) for sectors 0..5
    table = ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))
    channels = []
    for c in range(3):
        out = table[5][c]
        for k in range(4, -1, -1):
            out = ember.where(sector == k, table[k][c], out)
        channels.append(out)
    return ember.stack(channels, dim=-3)


def adjust_hue(img, factor):
    if get_dimensions(img)[0] == 1:
        return img
    work = convert_image_dtype(img, ember.float32) if not img.is_floating_point() else img
    h, s, v = _rgb_to_hsv(work)
    out = _hsv_to_rgb(ember.remainder(h + factor, 1.0), s, v)
    return convert_image_dtype(out, img.dtype) if not img.is_floating_point() else out


def rotated_size(width, height, angle):
    """(width, height) of the box that holds the whole image rotated by ``angle`` degrees."""
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    tol = 1e-4  # absorbs float error so that 90 degrees keeps exact sizes
    return (math.ceil(width * cos + height * sin - tol),
            math.ceil(width * sin + height * cos - tol))


def rotate(img, angle, interpolation="nearest", expand=False, center=None, fill=None):
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (x, y).

    ``center`` is in continuous pixel coordinates (pixel (0, 0) covers
    [0, 1) x [0, 1)); default: the image centre.  Samples that fall outside
    the image take ``fill`` (zeros when None).
    """
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Tensor images can be rotated with nearest or bilinear interpolation, "
                         f"got {interpolation}")
    _, h, w = get_dimensions(img)
    cx, cy = (w / 2, h / 2) if center is None else center
    ow, oh = rotated_size(w, h, angle) if expand else (w, h)
    ocx, ocy = (ow / 2, oh / 2) if expand else (cx, cy)
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    ys, xs = np.meshgrid(np.arange(oh) + 0.5 - ocy, np.arange(ow) + 0.5 - ocx, indexing="ij")
    # each output pixel samples the source point that the rotation carries onto it
    src_x = xs * cos - ys * sin + cx - 0.5
    src_y = xs * sin + ys * cos + cy - 0.5
    if interpolation == "nearest":
        taps = [(np.rint(src_y), np.rint(src_x), 1.0)]
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        fy, fx = src_y - y0, src_x - x0
        taps = [(y0 + dy, x0 + dx, (fy if dy else 1 - fy) * (fx if dx else 1 - fx))
                for dy in (0, 1) for dx in (0, 1)]
    work = _float_work(img)
    flat = work.reshape(*work.shape[:-2], h * w)
    out, coverage = 0.0, 0.0
    for ty, tx, wt in taps:
        valid = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
        wt = np.where(valid, wt, 0.0)
        idx = np.where(valid, ty * w + tx, 0).astype(np.int64).reshape(-1)
        gathered = ember.index_select(flat, -1, ember.as_tensor(idx, device=img.device))
        out = out + gathered.reshape(*work.shape[:-2], oh, ow) * ember.as_tensor(
            wt, dtype=work.dtype, device=img.device)
        coverage = coverage + wt
    if fill is not None:
        fill_t = ember.as_tensor(fill, dtype=work.dtype, device=img.device)
        if fill_t.dim() == 1:
            fill_t = fill_t.view(-1, 1, 1)
        cover = ember.as_tensor(coverage, dtype=work.dtype, device=img.device)
        if interpolation == "nearest":
            out = ember.where(cover < 0.5, fill_t, out)
        else:
            out = out * cover + (1.0 - cover) * fill_t
    return _back_to(out, img.dtype)
