"""make_grid (tile a batch of images into one) and save_image (write it with Pillow)."""
import math

import ember
from ember.nn import functional as F
from ._pil import require_pillow

__all__ = ["make_grid", "save_image"]


def _as_batch(tensor):
    """(B, C, H, W) from a list of (C, H, W) tensors, (H, W), (C, H, W) or (B, C, H, W);
    single-channel images become 3 equal channels."""
    if isinstance(tensor, (list, tuple)):
        tensor = ember.stack(list(tensor), dim=0)
    if not isinstance(tensor, ember.Tensor):
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() != 4:
        raise ValueError(f"make_grid takes 2-D to 4-D tensors, got shape {tuple(tensor.shape)}")
    if tensor.shape[1] == 1:
        tensor = ember.cat([tensor] * 3, dim=1)
    return tensor


def _rescale(img, value_range):
    low, high = value_range if value_range is not None else (float(img.min()), float(img.max()))
    return (img.clamp(min=low, max=high) - low) / max(high - low, 1e-5)


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False,
              pad_value=0.0):
    """Tile images in rows of ``nrow`` with ``padding`` pixels of ``pad_value`` between and
    around them; a single image comes back unpadded.  ``normalize`` shifts each image
    (``scale_each``) or the whole batch to [0, 1] over ``value_range`` (default min..max)."""
    tensor = _as_batch(tensor)
    if value_range is not None and not isinstance(value_range, tuple):
        raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are "
                        "numbers")
    if normalize:
        if scale_each:
            tensor = ember.stack([_rescale(img, value_range) for img in tensor])
        else:
            tensor = _rescale(tensor, value_range)
    if tensor.shape[0] == 1:
        return tensor.squeeze(0)
    n, channels, h, w = tensor.shape
    cols = min(nrow, n)
    rows = int(math.ceil(n / cols))
    if rows * cols > n:  # blank cells fill the last row
        blank = ember.full((rows * cols - n, channels, h, w), pad_value, dtype=tensor.dtype,
                           device=tensor.device)
        tensor = ember.cat([tensor, blank])
    # each cell is an image with padding above and to its left; one more strip closes the grid
    cells = F.pad(tensor, [padding, 0, padding, 0], value=pad_value)
    grid = cells.reshape(rows, cols, channels, h + padding, w + padding).permute(2, 0, 3, 1, 4)
    grid = grid.reshape(channels, rows * (h + padding), cols * (w + padding))
    return F.pad(grid, [0, padding, 0, padding], value=pad_value)


def save_image(tensor, fp, format=None, **kwargs):
    """Save ``make_grid(tensor, **kwargs)`` as an image file (values in [0, 1] -> 0..255)."""
    Image = require_pillow("save_image")
    grid = make_grid(tensor, **kwargs)
    arr = grid.detach().mul(255).add(0.5).clamp(0, 255).permute(1, 2, 0).to(ember.uint8)
    Image.fromarray(arr.cpu().numpy()).save(fp, format=format)
