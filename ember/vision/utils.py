"""make_grid (tile a batch of images into one), save_image (write it with Pillow), and
draw_bounding_boxes/draw_segmentation_masks (annotate an image)."""
import math
import warnings

import numpy as np

import ember
from ember.nn import functional as F
from ._pil import require_pillow

__all__ = ["make_grid", "save_image", "draw_bounding_boxes", "draw_segmentation_masks"]


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
    """Tile a batch of images into one grid image, ``nrow`` images per row.

    A single image comes back unpadded; 1-channel images are repeated to 3 channels.

    Args:
        tensor (Tensor or list of Tensor): images ``(B, C, H, W)``, or one ``(C, H, W)``.
        nrow (int): images per row. Default: ``8``.
        padding (int): pixels between and around the images. Default: ``2``.
        normalize (bool): shift values to ``[0, 1]`` over ``value_range``. Default: ``False``.
        value_range (tuple, optional): ``(min, max)`` for ``normalize``. Default: the data's.
        scale_each (bool): normalize each image on its own. Default: ``False``.
        pad_value (float): the value of the padding. Default: ``0``.

    Shape:
        - Input: ``(B, C, H, W)``.
        - Output: ``(C', rows * (H + padding) + padding, nrow' * (W + padding) + padding)``
          with ``nrow' = min(nrow, B)``, ``rows = ceil(B / nrow')``, ``C' = 3`` for 1 channel.

    Example:
        >>> ember.vision.utils.make_grid(ember.zeros(5, 3, 4, 4), nrow=2).shape
        ember.Size([3, 20, 14])
    """
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
    """Save an image, or a grid of images, to a file through Pillow.

    The grid is ``make_grid(tensor, **kwargs)``; values in ``[0, 1]`` map to ``0 .. 255``.

    Args:
        tensor (Tensor or list of Tensor): an image ``(C, H, W)`` or a batch ``(B, C, H, W)``.
        fp (str or file object): where to write.
        format (str, optional): the file format; by default taken from the file name.
        kwargs: passed to ``make_grid``.

    Example:
        >>> import io
        >>> buffer = io.BytesIO()
        >>> ember.vision.utils.save_image(ember.ones(3, 4, 4), buffer, format="PNG")
        >>> buffer.getvalue()[1:4]
        b'PNG'
    """
    Image = require_pillow("save_image")
    grid = make_grid(tensor, **kwargs)
    arr = grid.detach().mul(255).add(0.5).clamp(0, 255).permute(1, 2, 0).to(ember.uint8)
    Image.fromarray(arr.cpu().numpy()).save(fp, format=format)


def _palette(num_objects):
    """Distinct default colours: (i * (2**25 - 1, 2**15 - 1, 2**21 - 1)) % 255."""
    return [tuple(int(i * p % 255) for p in (2 ** 25 - 1, 2 ** 15 - 1, 2 ** 21 - 1))
            for i in range(num_objects)]


def _parse_colors(colors, num_objects, floating=False):
    """RGB triplets (0..255, or 0..1 when ``floating``) for ``num_objects`` objects from None
    (the palette), one colour (name or triplet) or a list of them."""
    if colors is None:
        colors = _palette(num_objects)
    elif isinstance(colors, list):
        if len(colors) < num_objects:
            raise ValueError("Number of colors must be equal or larger than the number of "
                             f"objects, but got {len(colors)} < {num_objects}.")
    elif not isinstance(colors, (tuple, str)):
        raise ValueError("colors must be a tuple or a string, or a list thereof, but got "
                         f"{colors}.")
    elif isinstance(colors, tuple) and len(colors) != 3:
        raise ValueError(f"If passed as tuple, colors should be an RGB triplet, but got {colors}.")
    else:
        colors = [colors] * num_objects
    if any(isinstance(c, str) for c in colors):
        from PIL import ImageColor
        colors = [ImageColor.getrgb(c) if isinstance(c, str) else c for c in colors]
    return [tuple(v / 255 for v in c) for c in colors] if floating else [tuple(c) for c in colors]


def _check_image(image, channels):
    if not isinstance(image, ember.Tensor):
        raise TypeError(f"Tensor expected, got {type(image)}")
    if not (image.dtype == ember.uint8 or image.is_floating_point()):
        raise ValueError(f"The image dtype must be uint8 or float, got {image.dtype}")
    if image.dim() != 3:
        raise ValueError("Pass individual images, not batches")
    if image.shape[0] not in channels:
        raise ValueError("Only grayscale and RGB images are supported" if len(channels) > 1 else
                         "Pass an RGB image. Other Image formats are not supported")


def draw_bounding_boxes(image, boxes, labels=None, colors=None, fill=False, width=1, font=None,
                        font_size=None, label_colors=None, label_background_colors=None,
                        fill_labels=False):
    """Draw xyxy ``boxes`` (N, 4) on ``image`` (C, H, W), C = 1 or 3, uint8 or float in
    [0, 1]; returns a new (3, H, W) image of the same dtype.

    Box corners are truncated to whole pixels and outlined ``width`` pixels wide with Pillow
    (``fill`` adds a translucent fill); ``labels`` are written inside the top-left corner
    with ``font`` (a TrueType file, ``font_size`` points) or Pillow's default font.  Colours
    are names ("red"), RGB triplets or lists of them; by default one per box from a palette.

    Args:
        image (Tensor): ``(C, H, W)``, C = 1 or 3, uint8 or float in ``[0, 1]``.
        boxes (Tensor): ``(N, 4)`` as ``(x1, y1, x2, y2)``.
        labels (list of str, optional): one per box.
        colors (str, tuple or list, optional): one colour, or one per box.
        fill (bool): fill the boxes translucently. Default: ``False``.
        width (int): of the outlines. Default: ``1``.
        font (str, optional): a TrueType file for the labels.
        font_size (int, optional): in points.
        label_colors, label_background_colors (optional): colours of the label text and its
            background.
        fill_labels (bool): draw the labels on a filled background. Default: ``False``.

    Shape:
        - Input: ``(C, H, W)`` and ``(N, 4)``.
        - Output: ``(3, H, W)``, the input's dtype.

    Example::

        >>> from ember.vision.utils import draw_bounding_boxes
        >>> img = ember.zeros(3, 8, 8, dtype=ember.uint8)
        >>> draw_bounding_boxes(img, ember.tensor([[1, 1, 5, 5]]), colors="red")[:, 1, 1].tolist()
        [255, 0, 0]
    """
    Image = require_pillow("draw_bounding_boxes")
    from PIL import ImageDraw, ImageFont
    _check_image(image, (1, 3))
    if boxes.shape[-1] == 4 and ((boxes[:, 0] > boxes[:, 2]).any() or
                                 (boxes[:, 1] > boxes[:, 3]).any()):
        raise ValueError("Boxes need to be in (xmin, ymin, xmax, ymax) format. Use "
                         "torchvision.ops.box_convert to convert them")
    if boxes.shape[-1] != 4:
        raise NotImplementedError("ember.vision draws axis-aligned (N, 4) boxes only")
    num_boxes = boxes.shape[0]
    if num_boxes == 0:
        warnings.warn("boxes doesn't contain any box. No box was drawn")
        return image
    if labels is None:
        labels = [None] * num_boxes
    elif len(labels) != num_boxes:
        raise ValueError(f"Number of boxes ({num_boxes}) and labels ({len(labels)}) mismatch. "
                         "Please specify labels for each box.")
    colors = _parse_colors(colors, num_boxes)
    label_colors = (_parse_colors(label_colors or "black", num_boxes)
                    if label_colors or fill_labels else list(colors))
    backgrounds = (_parse_colors(label_background_colors, num_boxes)
                   if fill_labels and label_background_colors else list(colors))
    if font is None:
        if font_size is not None:
            warnings.warn("Argument 'font_size' will be ignored since 'font' is not set.")
        txt_font = ImageFont.load_default()
    else:
        txt_font = ImageFont.truetype(font=font, size=font_size or 10)
    floating = image.is_floating_point()
    pixels = image.detach().numpy()
    if floating:  # to uint8 as ToDtype(uint8, scale=True) does
        pixels = np.clip(pixels * (256 - 1e-3), 0, 255)
    pixels = np.ascontiguousarray(np.broadcast_to(pixels.astype(np.uint8),
                                                  (3,) + pixels.shape[1:]).transpose(1, 2, 0))
    canvas = Image.fromarray(pixels)
    draw = ImageDraw.Draw(canvas, "RGBA" if fill else None)
    for box, color, label, label_color, background in zip(
            boxes.to(ember.int64).tolist(), colors, labels, label_colors, backgrounds):
        draw.rectangle(box, width=width, outline=color, fill=color + (100,) if fill else None)
        if label is not None:
            margin = width + 1
            corner = (box[0] + margin, box[1] + margin)
            if fill_labels:
                left, top, right, bottom = draw.textbbox(corner, label, font=txt_font)
                draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=background)
            draw.text(corner, label, fill=label_color, font=txt_font)
    out = ember.from_numpy(np.asarray(canvas).transpose(2, 0, 1).copy())
    return out.to(image.dtype) / 255 if floating else out


def draw_segmentation_masks(image, masks, alpha=0.8, colors=None):
    """Blend boolean ``masks`` (N, H, W) or (H, W) over an RGB ``image`` (3, H, W), uint8 or
    float in [0, 1]: each mask's pixels take its colour (black where masks overlap), mixed
    as ``image * (1 - alpha) + painted * alpha``.  Returns the image's dtype.

    Args:
        image (Tensor): ``(3, H, W)``, uint8 or float in ``[0, 1]``.
        masks (Tensor): ``(N, H, W)`` or ``(H, W)`` booleans.
        alpha (float): the weight of the colours. Default: ``0.8``.
        colors (str, tuple or list, optional): one colour, or one per mask.

    Shape:
        - Input: ``(3, H, W)`` and ``(N, H, W)``.
        - Output: ``(3, H, W)``, the input's dtype.

    Example::

        >>> from ember.vision.utils import draw_segmentation_masks
        >>> img = ember.zeros(3, 4, 4, dtype=ember.uint8)
        >>> mask = ember.zeros(4, 4, dtype=ember.bool)
        >>> mask[0, 0] = True
        >>> draw_segmentation_masks(img, mask, alpha=1.0, colors="blue")[:, 0, 0].tolist()
        [0, 0, 255]
    """
    _check_image(image, (3,))
    if masks.dim() == 2:
        masks = masks[None]
    if masks.dim() != 3:
        raise ValueError("masks must be of shape (H, W) or (batch_size, H, W)")
    if masks.dtype != ember.bool:
        raise ValueError(f"The masks must be of dtype bool. Got {masks.dtype}")
    if tuple(masks.shape[-2:]) != tuple(image.shape[-2:]):
        raise ValueError("The image and the masks must have the same height and width")
    if masks.shape[0] == 0:
        warnings.warn("masks doesn't contain any mask. No mask was drawn")
        return image
    m = masks.numpy()
    painted = image.detach().numpy().copy()
    for mask, color in zip(m, _parse_colors(colors, m.shape[0], image.is_floating_point())):
        painted[:, mask] = np.asarray(color, dtype=painted.dtype)[:, None]
    painted[:, m.sum(0) > 1] = 0
    out = image * (1 - alpha) + ember.from_numpy(painted) * alpha
    return out.to(image.dtype)
