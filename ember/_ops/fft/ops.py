"""Discrete Fourier transforms on raw arrays (NumPy's or CuPy's ``fft`` module), and the
overlap-add that ``istft`` needs.

Each transform is linear, so its gradient is its adjoint: the transform in the
other direction with the dual normalisation ("backward" <-> "forward", "ortho"
stays), the zero padding or truncation of the input undone, and for a real
input only the real part kept (torch's convention for a real loss).  The
half-spectrum transforms follow torch's formulas: ``rfft``'s adjoint fills the
missing half with zeros; ``irfft``'s is an ``rfft`` of the gradient with the
bins that stand for two (all but DC and, for an even length, Nyquist) doubled.
"""
from ..base import Op, get_xp

#: the normalisation of the adjoint transform
DUAL_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def resize(xp, a, shape, axes):
    """``a`` truncated or zero-padded along ``axes`` to the sizes ``shape`` gives there."""
    for ax in axes:
        have, want = a.shape[ax], shape[ax]
        if have > want:
            a = a[(slice(None),) * ax + (slice(0, want),)]
        elif have < want:
            pad = list(a.shape)
            pad[ax] = want - have
            a = xp.concatenate([a, xp.zeros(pad, a.dtype)], axis=ax)
    return a


def complex_dtype(xp, dtype):
    """The complex dtype holding values of ``dtype`` (complex64 for float32)."""
    return xp.result_type(dtype, xp.complex64)


class _Transform(Op):
    """Shared bookkeeping: remember the input's shape and dtype for the adjoint."""

    def _remember(self, a):
        self.in_shape, self.in_dtype = a.shape, a.dtype

    def _to_input(self, xp, gi):
        gi = resize(xp, gi, self.in_shape, self.axes)
        if self.in_dtype.kind != "c":
            gi = gi.real
        return gi.astype(self.in_dtype, copy=False)


class FFT(_Transform):
    """The complex DFT (``inverse``: the inverse DFT) over ``axes``, the input first resized to
    ``sizes`` along them; ``norm`` is torch's "backward", "forward" or "ortho"."""

    def __init__(self, sizes, axes, norm, inverse):
        self.sizes, self.axes, self.norm, self.inverse = sizes, axes, norm, inverse

    def name(self):
        return "FftC2CBackward0"

    def forward(self, a):
        xp = get_xp(a)
        self._remember(a)
        fn = xp.fft.ifftn if self.inverse else xp.fft.fftn
        y = fn(a, s=self.sizes, axes=self.axes, norm=self.norm)
        return y.astype(complex_dtype(xp, a.dtype), copy=False)

    def backward(self, g):
        xp = get_xp(g)
        fn = xp.fft.fftn if self.inverse else xp.fft.ifftn
        return self._to_input(xp, fn(g, axes=self.axes, norm=DUAL_NORM[self.norm]))


class _HalfSpectrum(_Transform):
    """A transform between a length-``n`` real signal and its n // 2 + 1 bins along ``axis``."""

    def __init__(self, n, axis, norm):
        self.n, self.axis, self.axes, self.norm = n, axis, (axis,), norm


class RFFT(_HalfSpectrum):
    """The DFT of a real signal along ``axis`` (resized to ``n``): the n // 2 + 1 bins of
    non-negative frequency."""

    def name(self):
        return "FftR2CBackward0"

    def forward(self, a):
        xp = get_xp(a)
        self._remember(a)
        y = xp.fft.rfft(a, n=self.n, axis=self.axis, norm=self.norm)
        return y.astype(complex_dtype(xp, a.dtype), copy=False)

    def backward(self, g):
        xp = get_xp(g)
        full = list(g.shape)
        full[self.axis] = self.n
        g = resize(xp, g, full, self.axes)
        return self._to_input(xp, xp.fft.ifft(g, axis=self.axis, norm=DUAL_NORM[self.norm]))


class IRFFT(_HalfSpectrum):
    """The real signal of length ``n`` along ``axis`` whose spectrum has the given
    non-negative-frequency half (the input resized to n // 2 + 1 bins)."""

    def name(self):
        return "FftC2RBackward0"

    def forward(self, a):
        xp = get_xp(a)
        self._remember(a)
        y = xp.fft.irfft(a, n=self.n, axis=self.axis, norm=self.norm)
        return y.astype(xp.finfo(complex_dtype(xp, a.dtype)).dtype, copy=False)

    def backward(self, g):
        xp = get_xp(g)
        gi = xp.fft.rfft(g, axis=self.axis, norm=DUAL_NORM[self.norm])
        twice = self.n - gi.shape[self.axis]
        if twice > 0:
            gi[(slice(None),) * self.axis + (slice(1, 1 + twice),)] *= 2
        return self._to_input(xp, gi)


class OverlapAdd(Op):
    """Frames (..., count, size) summed into one signal, frame k starting at k * ``hop``
    (the inverse of cutting a signal into overlapping frames)."""

    def __init__(self, hop):
        self.hop = hop

    def forward(self, frames):
        xp = get_xp(frames)
        count, size = frames.shape[-2:]
        out = xp.zeros(frames.shape[:-2] + (size + self.hop * (count - 1),), frames.dtype)
        for k in range(size):  # one strided add per offset inside a frame
            out[..., k:k + self.hop * (count - 1) + 1:self.hop] += frames[..., k]
        self.shape = frames.shape
        return out

    def backward(self, g):
        xp = get_xp(g)
        count, size = self.shape[-2:]
        starts = xp.arange(count) * self.hop
        return g[..., starts[:, None] + xp.arange(size)]
