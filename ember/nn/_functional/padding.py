"""``pad``: constant, reflect, replicate and circular padding (negative amounts crop)."""
from ..._ops.conv.ops import Pad

__all__ = ["pad"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _pairs(pad_arg):
    """torch's flat (last_lo, last_hi, prev_lo, ...) list as (lo, hi) pairs, first dim first."""
    if not isinstance(pad_arg, (list, tuple)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad_arg).__name__}")
    vals = []
    for i, p in enumerate(pad_arg):
        if isinstance(p, float) or not hasattr(p, "__index__"):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found "
                            f"element of type {type(p).__name__} at pos {i}")
        vals.append(int(p))
    if len(vals) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    return [(vals[i], vals[i + 1]) for i in range(0, len(vals), 2)][::-1]


def _check_border_mode(input, pairs, mode):
    shape = list(input.shape)
    n = len(pairs)
    if input.dim() not in (n + 1, n + 2) or n > 3:
        raise NotImplementedError(
            f"Padding size {2 * n} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    lead = input.dim() - n
    if mode != "circular" and any(s == 0 for s in shape[input.dim() - n - 1:]):
        raise RuntimeError(f"Expected {n + 1}D or {n + 2}D (batch mode) tensor with possibly 0 "
                           f"batch size and other non-zero dimensions for input, but got: {shape}")
    for d, (lo, hi) in enumerate(pairs):
        size = shape[lead + d]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #{2 + 2 * n}: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({lo}, {hi}) at "
                               f"dimension {lead + d} of input {shape}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError(f"Padding value causes wrapping around more than once. (padding "
                               f"({lo}, {hi}) at dimension {lead + d} of input {shape})")


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims; ``pad`` is (last_before, last_after, prev_before, ...).

    ``constant`` fills with ``value`` (0 by default) and works on any number
    of dims; reflect/replicate/circular pad the last 1-3 dims of a batched or
    unbatched input.  Negative amounts crop.
    """
    pairs = _pairs(pad)
    if len(pairs) > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {2 * len(pairs)} and input of "
                           f"dimension {input.dim()}")
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        if value is not None and value != 0:
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        _check_border_mode(input, pairs, mode)
    lead = input.dim() - len(pairs)
    for d, (lo, hi) in enumerate(pairs):
        size = input.shape[lead + d]
        if size + min(lo, 0) + min(hi, 0) < 0:
            raise RuntimeError(f"narrow(): length must be non-negative. (padding ({lo}, {hi}) "
                               f"crops dimension {lead + d} of size {size} below zero)")
    return Pad(pairs, mode, 0 if value is None else value)(input)
