"""Helpers shared by the RoI operations."""
import numpy as np

import ember


def rois_array(boxes):
    """RoIs as a float64 (K, 5) array of (batch index, x1, y1, x2, y2), from either such a
    tensor or a list of (L_i, 4) box tensors, one per image."""
    if isinstance(boxes, (list, tuple)):
        rows = [np.concatenate([np.full((len(b), 1), i, dtype=np.float64),
                                np.asarray(b.detach().numpy(), dtype=np.float64)], 1)
                for i, b in enumerate(boxes)]
        return np.concatenate(rows, 0) if rows else np.zeros((0, 5))
    if boxes.dim() != 2 or boxes.shape[1] != 5:
        raise ValueError("The boxes tensor shape is not correct as Tensor[K, 5]")
    return np.asarray(boxes.detach().numpy(), dtype=np.float64)


def pair(size):
    return (size, size) if isinstance(size, int) else tuple(size)


def position_channels(input, out_h, out_w):
    """Output channels of a position-sensitive pooling: C / (out_h * out_w), which must be
    whole."""
    if input.shape[1] % (out_h * out_w):
        raise RuntimeError("input channels must be a multiple of pooling height * pooling width")
    return input.shape[1] // (out_h * out_w)


def stack_rois(pieces, input, out_h, out_w):
    """(K, C, out_h, out_w) from per-RoI results (an empty stack when there are none)."""
    if not pieces:
        return ember.zeros(0, input.shape[1], out_h, out_w, dtype=input.dtype)
    return ember.stack(pieces)


def reduce_loss(loss, reduction):
    """``loss`` as it is ("none"), averaged ("mean"; 0 for no elements) or summed ("sum")."""
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else 0.0 * loss.sum()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"Invalid Value for arg 'reduction': '{reduction} \n Supported reduction "
                     "modes: 'none', 'mean', 'sum'")
