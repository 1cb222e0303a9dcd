"""Text form of tensors, matching PyTorch's ``repr`` character for character.

The tensor class hands over its raw NumPy array and a little metadata. This module picks
one number format for the whole tensor (integer-valued, fixed point or scientific) so
that columns line up, lays the elements out in nested brackets wrapped at the line
width, elides the middle of large tensors, and appends the ``device=``, ``dtype=`` and
autograd suffixes. It imports nothing else from ember so it can be tested on its own.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

from ._alias import public_prefix


@dataclass
class _PrintOptions:
    """Module-wide printing state, changed through ``set_printoptions``."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}

_OPTS = _PrintOptions()

# Dtypes a non-empty tensor's repr never names (nor the default float and its complex).
_IMPLIED_DTYPES = ("int64", "bool")


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Change how tensors print.

    A known ``profile`` ("default", "short", "full") first resets the numeric options;
    each other argument that is not None then overrides one option. ``sci_mode`` is
    always replaced, so leaving it out restores the automatic choice.
    """
    for name, value in _PROFILES.get(profile, {}).items():
        setattr(_OPTS, name, value)
    overrides = {"precision": precision, "threshold": threshold,
                 "edgeitems": edgeitems, "linewidth": linewidth}
    for name, value in overrides.items():
        if value is not None:
            setattr(_OPTS, name, value)
    _OPTS.sci_mode = sci_mode


def get_printoptions():
    """Return the current print options as a fresh dict."""
    return asdict(_OPTS)


class _ElementFormat:
    """One format and width shared by every element of a tensor, so columns line up."""

    def __init__(self, sample, is_floating):
        self.is_floating = is_floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if sample.size == 0:
            return
        if is_floating:
            self._fit_floats(sample)
        else:
            self._fit_exact(sample)

    def _fit_exact(self, sample):
        """Integers and bools print as Python does; the longest is the min or the max."""
        ends = (sample.min().item(), sample.max().item())
        self.width = max(len(str(v)) for v in ends)

    def _fit_floats(self, sample):
        """Choose the float style from the finite nonzero values and measure its width.

        A forced ``sci_mode`` overrides the automatic choice, but a tensor with no such
        value keeps the integer style even then, as PyTorch does.
        """
        values = sample[np.isfinite(sample) & (sample != 0)].astype(np.float64)
        if values.size == 0:
            return
        magnitudes = np.abs(values)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(values == np.ceil(values)))
        with np.errstate(over="ignore"):  # an infinite ratio is simply wide
            wide = largest / smallest > 1000.0 or largest > 1.0e8
        self.sci_mode = wide or (not self.int_mode and smallest < 1.0e-4)
        if _OPTS.sci_mode is not None:
            self.sci_mode = _OPTS.sci_mode
        self.width = max(map(self._natural_width, values.tolist()))

    def _natural_width(self, value):
        """Length of ``value`` unpadded in the chosen style (integers get a dot)."""
        if self.sci_mode:
            return len(f"{value:.{_OPTS.precision}e}")
        if self.int_mode:
            return len(f"{value:.0f}") + 1
        return len(f"{value:.{_OPTS.precision}f}")

    def format(self, value):
        """Render one Python scalar, right-aligned to the shared width."""
        precision = _OPTS.precision
        if not self.is_floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:.{precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("." if math.isfinite(value) else "")
        else:
            text = f"{value:.{precision}f}"
        return text.rjust(self.width)


class _ComplexFormat:
    """Real and imaginary parts, each with its own float format, joined as ``a+bj``."""

    def __init__(self, sample):
        self.real = _ElementFormat(sample.real, is_floating=True)
        self.imag = _ElementFormat(sample.imag, is_floating=True)
        self.width = self.real.width + 1 + self.imag.width

    def format(self, value):
        """Render one Python complex; the imaginary part loses its padding."""
        imag = (self.imag.format(value.imag) + "j").lstrip()
        sign = "" if imag[0] in "+-" else "+"
        return self.real.format(value.real) + sign + imag


def _summary_sample(arr):
    """The elements a summarized tensor shows: the edge entries along each long axis."""
    edge = _OPTS.edgeitems
    if edge == 0 and arr.ndim >= 2:
        return arr.reshape(-1)[:0]
    for axis, size in enumerate(arr.shape):
        if size > 2 * edge:
            arr = np.take(arr, np.r_[0:edge, size - edge:size], axis=axis)
    return arr


def _shown_indices(size, summarize):
    """Indices printed along the first axis, with None standing for the elided middle."""
    edge = _OPTS.edgeitems
    if summarize and size > 2 * edge:
        return [*range(edge), None, *range(size - edge, size)]
    return list(range(size))


def _render_row(row, indent, summarize, fmt):
    """Render a 1-d array, wrapping so each line holds as many elements as fit."""
    # A row elided with no edge items left shows a bare "..."; otherwise the marker is
    # padded like an element.
    marker = " ..." if _OPTS.edgeitems else "..."
    items = [marker if i is None else fmt.format(row[i].item())
             for i in _shown_indices(row.shape[0], summarize)]
    per_line = max(1, math.floor((_OPTS.linewidth - indent) / (fmt.width + 2)))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _render(arr, indent, summarize, fmt):
    """Render a non-empty array as nested brackets; deeper levels indent one more."""
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _render_row(arr, indent, summarize, fmt)
    blocks = ["..." if i is None else _render(arr[i], indent + 1, summarize, fmt)
              for i in _shown_indices(arr.shape[0], summarize)]
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(blocks) + "]"


def _body(arr, indent, is_floating):
    """The bracketed values of a tensor, summarized when it exceeds the threshold."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > _OPTS.threshold
    sample = _summary_sample(arr) if summarize else arr
    if arr.dtype.kind == "c":
        fmt = _ComplexFormat(sample)
    else:
        fmt = _ElementFormat(sample, is_floating)
    return _render(arr, indent, summarize, fmt)


def _complex_of(float_name):
    """The complex dtype whose parts have the given float dtype."""
    return "complex128" if float_name == "float64" else "complex64"


def _suffixes(arr, dtype_name, default_dtype_name, requires_grad, grad_fn_name, device):
    """The ``key=value`` notes after the values, in PyTorch's order."""
    notes, prefix = [], public_prefix()
    if device is not None and device != "cpu":
        notes.append(f"device='{device}'")
    if arr.size == 0:
        # No values to show the shape or the dtype, so both are spelled out.
        if arr.ndim != 1:
            notes.append(f"size={tuple(arr.shape)}")
        if dtype_name != default_dtype_name:
            notes.append(f"dtype={prefix}.{dtype_name}")
    else:
        if not _OPTS.edgeitems:
            notes.append(f"size={tuple(arr.shape)}")
        if dtype_name not in (default_dtype_name, _complex_of(default_dtype_name),
                              *_IMPLIED_DTYPES):
            notes.append(f"dtype={prefix}.{dtype_name}")
    if grad_fn_name:
        notes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        notes.append("requires_grad=True")
    return notes


def _close(text, notes, indent):
    """Append the notes and the closing parenthesis, breaking lines at the line width."""
    parts = [text]
    # PyTorch counts two characters more than the last line holds; match it exactly.
    used = len(text) - text.rfind("\n") + 1
    for note in notes:
        if used + len(note) + 2 > _OPTS.linewidth:
            parts.append(",\n" + " " * indent + note)
            used = indent + len(note)
        else:
            parts.append(", " + note)
            used += len(note) + 2
    return "".join(parts) + ")"


def format_tensor(arr, *, dtype_name, default_dtype_name, is_floating, requires_grad=False,
                  grad_fn_name=None, device=None, prefix="tensor("):
    """Return the repr of a tensor holding ``arr``, as PyTorch would print it.

    ``dtype_name`` is the tensor's dtype ("float32"), ``default_dtype_name`` the current
    default float dtype, ``device`` None or "cpu" for the CPU or a name like "cuda:0".
    ``prefix`` opens the repr and sets the indentation of continuation lines. Complex
    arrays are recognised by their NumPy dtype.
    """
    indent = len(prefix)
    if device == "meta":  # no values: the size and any non-default dtype are always spelled out
        notes = ["device='meta'", f"size={tuple(arr.shape)}"]
        if dtype_name != default_dtype_name:
            notes.append(f"dtype={public_prefix()}.{dtype_name}")
        notes += _suffixes(arr, dtype_name, dtype_name, requires_grad, grad_fn_name, None)[-1:] \
            if requires_grad or grad_fn_name else []
        return _close(prefix + "...", notes, indent)
    arr = np.asarray(arr)
    text = prefix + _body(arr, indent, is_floating)
    notes = _suffixes(arr, dtype_name, default_dtype_name, requires_grad, grad_fn_name, device)
    return _close(text, notes, indent)
