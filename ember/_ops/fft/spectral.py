"""Short-time Fourier transforms (``stft``, ``istft``) and the window functions they use.

``stft`` cuts the (padded) signal into frames ``hop_length`` apart, multiplies
each by the window and takes its DFT; ``istft`` inverts that by an inverse DFT
per frame, a windowed overlap-add, and division by the summed squared window.
Both are built from differentiable ops, so gradients flow through them.
"""
import math
import warnings

import numpy as np

from ..._tensor import Tensor, tensor_method, _wrap
from ... import _dtype
from .ops import OverlapAdd
from ..base import get_xp, relabel
from ..._utils import finish_tensor as _finish
from ..creation import ones
from ..complex.funcs import view_as_real
from . import funcs as _fft

__all__ = ["stft", "istft", "hann_window", "hamming_window", "blackman_window",
           "bartlett_window", "kaiser_window"]


# -- windows --------------------------------------------------------------------------
def _window(name, window_length, periodic, dtype, device, requires_grad, values):
    """A window of ``window_length`` points: ``values(n, N)`` on n = 0..length-1 in float64,
    N the denominator length (window_length + 1 when ``periodic``, for spectral analysis)."""
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    if window_length <= 1:
        arr = np.ones(window_length)
    else:
        arr = values(np.arange(window_length, dtype=np.float64),
                     window_length + 1 if periodic else window_length)
    return _finish(arr.astype(dtype.np), device, requires_grad)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                requires_grad=False):
    """The Hann window 0.5 - 0.5 cos(2 pi n / (N - 1)), n = 0..window_length-1.

    ``periodic=True`` (the default) takes N = window_length + 1, the window to
    use with ``stft``; ``False`` gives the symmetric one (N = window_length).
    Example: ``hann_window(4)`` is [0, 0.5, 1, 0.5].
    """
    return _window("hann_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: 0.5 - 0.5 * np.cos(2 * math.pi * n / (N - 1)))


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, requires_grad=False):
    """The Hamming window alpha - beta cos(2 pi n / (N - 1)) (N as in ``hann_window``).

    Example: ``hamming_window(4)`` is [0.08, 0.54, 1, 0.54].
    """
    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: alpha - beta * np.cos(2 * math.pi * n / (N - 1)))


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """The Blackman window 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1)).

    Example: ``blackman_window(4)`` is [0, 0.34, 1, 0.34].
    """
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: 0.42 - 0.5 * np.cos(2 * math.pi * n / (N - 1))
                   + 0.08 * np.cos(4 * math.pi * n / (N - 1)))


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """The triangular (Bartlett) window ``1 - |2 n / (N - 1) - 1|``.

    Example: ``bartlett_window(4)`` is [0, 0.5, 1, 0.5].
    """
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: 1 - np.abs(2 * n / (N - 1) - 1))


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, requires_grad=False):
    """The Kaiser window I0(beta sqrt(1 - (2 n / (N - 1) - 1)^2)) / I0(beta), I0 the modified
    Bessel function of order 0; larger ``beta`` narrows it.  Example: ``kaiser_window(4,
    beta=5.0)``."""
    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, N: np.i0(beta * np.sqrt(np.clip(1 - (2 * n / (N - 1) - 1) ** 2, 0,
                                                             None))) / np.i0(beta))


# -- stft / istft ------------------------------------------------------------------------
def _frame_window(name, window, win_length, n_fft, like):
    """The window of ``win_length`` points (ones by default), checked against torch's rules."""
    if not 0 < win_length <= n_fft:
        raise RuntimeError(f"{name}: expected 0 < win_length <= n_fft, but got "
                           f"win_length={win_length}")
    if window is None:
        return ones(win_length, dtype=like.dtype.to_real(), device=like.device)
    if window.ndim != 1 or window.shape[0] != win_length:
        raise RuntimeError(f"{name}: expected a 1D window tensor of size equal to "
                           f"win_length={win_length}, but got window with size "
                           f"{list(window.shape)}")
    return window


def _centre(x, n_fft):
    """``x`` zero-padded on both sides of its last dim to ``n_fft``, centred (the left side
    gets the smaller half)."""
    size = x.shape[-1]
    if size == n_fft:
        return x
    from ...nn._functional.padding import pad  # deferred: nn sits above the ops
    left = (n_fft - size) // 2
    return pad(x, (left, n_fft - size - left))


def _missing_window(name, extra):
    warnings.warn(f"{name}: no window was given, so a rectangular window is used{extra}. Pass "
                  "window=ember.ones(n_fft) to silence this warning.", UserWarning, stacklevel=3)


@tensor_method("stft")
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """The short-time Fourier transform of a signal (L,) or batch (B, L).

    Frames of ``n_fft`` samples every ``hop_length`` (default n_fft // 4) are
    multiplied by ``window`` (length ``win_length``, default n_fft, centred in
    n_fft; ones when None) and transformed.  ``center`` pads n_fft // 2 on
    both sides with ``pad_mode`` first (without it, ``align_to_window=True``
    takes frames of win_length instead, each centred in n_fft); ``normalized`` scales by
    n_fft ** -0.5; ``onesided`` (default for real input and window) keeps
    n_fft // 2 + 1 frequencies.  Returns (B?, freq, frames), complex when
    ``return_complex`` (required for real input), else with a trailing
    (real, imag) dim.  Example: ``stft(x, 400, window=hann_window(400),
    return_complex=True)``.
    """
    x = input
    if x._data.dtype.kind in "iub":
        raise RuntimeError(f"stft: expected a tensor of floating point or complex values, got "
                           f"{x.dtype._tensor_type[:-6]}")
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    cplx = x.is_complex() or (window is not None and window.is_complex())
    if return_complex is None:
        if not cplx:
            raise RuntimeError("stft requires the return_complex parameter be given for real "
                               "inputs, and will further require that return_complex=True in a "
                               "future PyTorch release.")
        return_complex = True
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if x.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, got {x.ndim}D")
    batched = x.ndim == 2
    x = x if batched else x.unsqueeze(0)
    if center:
        from ...nn._functional.padding import pad  # deferred: nn sits above the ops
        x = pad(x.unsqueeze(1), (n_fft // 2, n_fft // 2), mode=pad_mode).squeeze(1)
    length = x.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(f"stft: expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    if window is None:
        _missing_window("stft", ", which is known to cause spectral leakage")
    window = _frame_window("stft", window, win_length, n_fft, x)
    if onesided is None:
        onesided = not cplx
    elif onesided and cplx:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    if align_to_window:  # frames of win_length from every hop, each centred in n_fft
        frames = _centre(x.unfold(-1, win_length, hop) * window, n_fft)
    else:
        frames = x.unfold(-1, n_fft, hop) * _centre(window, n_fft)
    norm = "ortho" if normalized else "backward"
    spec = (_fft.rfft if onesided else _fft.fft)(frames, dim=-1, norm=norm).transpose(-1, -2)
    # torch's nodes: its in-place transpose_ (batched) or squeeze_ (unbatched)
    spec = relabel(spec, "TransposeBackward1") if batched else relabel(spec.squeeze(0),
                                                                       "SqueezeBackward4")
    return spec if return_complex else view_as_real(spec)


@tensor_method("istft")
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """The inverse of ``stft``: a signal (B?, length) from a complex spectrogram
    (B?, freq, frames) made with the same n_fft, hop_length, window and center.

    Each frame's inverse DFT is windowed and overlap-added; the sum is divided
    by the overlap-added squared window, which must be nonzero everywhere (a
    RuntimeError otherwise).  ``length`` trims or zero-pads the result.  Example:
    ``istft(stft(x, 64, window=w, return_complex=True), 64, window=w, length=x.shape[-1])``
    gives ``x`` back (w = hann_window(64)).
    """
    if not isinstance(input, Tensor) or not input.is_complex():
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if input.ndim not in (2, 3):
        raise RuntimeError(f"istft: expected a tensor with 2 or 3 dimensions of complex dtype, "
                           f"but got {input.ndim}")
    batched = input.ndim == 3
    spec = input if batched else input.unsqueeze(0)
    n_freq, n_frames = spec.shape[-2:]
    if onesided is None:
        onesided = n_freq != n_fft
    if return_complex and onesided or window is not None and window.is_complex() and onesided:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    want = n_fft // 2 + 1 if onesided else n_fft
    if n_freq != want:
        what = "n_fft / 2 + 1 when onesided=True" if onesided else "n_fft when onesided=False"
        raise RuntimeError(f"istft: expected the frequency dimension (3rd to the last) of the "
                           f"input tensor to match {what}, but got {n_freq}")
    if hop <= 0:
        raise RuntimeError(f"istft: expected hop_length > 0, but got hop_length={hop}")
    if window is None:
        _missing_window("istft", "; pass the window stft used to make the inversion lossless")
    window = _centre(_frame_window("istft", window, win_length, n_fft, spec), n_fft)
    norm = "ortho" if normalized else "backward"
    frames = spec.transpose(-1, -2)
    frames = _fft.irfft(frames, n=n_fft, dim=-1, norm=norm) if onesided else \
        _fft.ifft(frames, dim=-1, norm=norm)
    if not return_complex and frames.is_complex():
        frames = frames.real
    y = OverlapAdd(hop)(frames * window)
    w = window.detach()._data
    xp = get_xp(w)
    envelope = OverlapAdd(hop).forward(xp.broadcast_to(w * w, (n_frames, n_fft)))
    start = n_fft // 2 if center else 0
    total = y.shape[-1]
    end = min(total, start + length if length is not None else
              (total - n_fft // 2 if center else total))
    envelope = envelope[start:end]
    if envelope.size and float(xp.abs(envelope).min()) < 1e-11:
        raise RuntimeError(f"istft: window overlap add min: {float(xp.abs(envelope).min()):g} (the "
                           "summed squared window must be nonzero over the output; check "
                           "hop_length, window and center)")
    y = y[..., start:end] / _wrap(envelope.astype(w.dtype))
    if length is not None and y.shape[-1] < length:
        from ...nn._functional.padding import pad  # deferred: nn sits above the ops
        y = pad(y, (0, length - y.shape[-1]))
    return y if batched else y.squeeze(0)
