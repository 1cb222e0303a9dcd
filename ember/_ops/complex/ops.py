"""The complex-number ops the fft family needs: real and imaginary parts, conjugation, and the
(..., 2) real view of a complex array.

Gradients follow torch's convention for a real loss L of z = x + iy: the
gradient is dL/dx + i dL/dy, so the real part passes ``g`` back as ``g + 0j``
and the imaginary part as ``i g``.
"""
from ..base import Op, get_xp
from ..shape.ops import Window


class Real(Window):
    """The real part of a complex array, as a view of its memory."""

    def name(self):
        return "SelectBackward0"   # torch selects from view_as_real

    def view(self, a):
        return a.real

    def backward(self, g):
        gi = get_xp(g).zeros(self.in_shape, _complex_of(g))
        gi.real[...] = g
        return gi


class Imag(Real):
    """The imaginary part of a complex array, as a view of its memory."""

    def view(self, a):
        return a.imag

    def backward(self, g):
        gi = get_xp(g).zeros(self.in_shape, _complex_of(g))
        gi.imag[...] = g
        return gi


class ViewAsReal(Window):
    """A complex array seen as real pairs: shape (..., 2), [..., 0] real and [..., 1] imaginary."""

    def view(self, a):
        return a[..., None].view(a.real.dtype)

    def backward(self, g):
        return g[..., 0] + 1j * g[..., 1]


class ViewAsComplex(Window):
    """Real pairs (..., 2) seen as one complex array (the last dim must be contiguous)."""

    def view(self, a):
        return a.view(_complex_of(a))[..., 0]

    def backward(self, g):
        return get_xp(g).stack([g.real, g.imag], axis=-1)


class Conj(Op):
    """The complex conjugate (a copy); its gradient is the conjugate of the incoming one."""

    def forward(self, a):
        return get_xp(a).conj(a)

    def backward(self, g):
        return get_xp(g).conj(g)


class ConjPhysical(Conj):
    """``conj_physical``: the same conjugate under torch's node name for it."""


def _complex_of(a):
    """The complex dtype whose parts have ``a``'s float dtype (complex128 for float64)."""
    xp = get_xp(a)
    return xp.result_type(a.dtype, xp.complex64)
