"""The complex-number ops: real and imaginary parts, conjugation, the (..., 2) real view of a
complex array, the argument (``angle``) and ``polar``.

Gradients follow torch's convention for a real loss L of z = x + iy: the
gradient is dL/dx + i dL/dy, so the real part passes ``g`` back as ``g + 0j``
and the imaginary part as ``i g``.
"""
from .base import Op, get_xp
from .elementwise import quiet
from .shape import Window


class Real(Window):
    """The real part of a complex array, as a view of its memory."""

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


class Angle(Op):
    """The argument of each element: atan2(imag, real) for complex input; for real input pi
    where it is negative, NaN where NaN, else 0.  The gradient of a complex z is
    g * i z / |z|**2 (0 at z = 0); real input gets a zero gradient, as in torch."""

    save_inputs = (0,)

    def forward(self, a):
        xp = get_xp(a)
        self.a = a
        if a.dtype.kind == "c":
            return xp.angle(a).astype(a.real.dtype, copy=False)
        out = xp.where(a < 0, xp.pi, 0).astype(a.dtype, copy=False)
        return xp.where(xp.isnan(a), a, out)

    def backward(self, g):
        a = self.a
        xp = get_xp(g)
        if a.dtype.kind != "c":
            return xp.zeros_like(a)
        with quiet:
            return xp.where(a == 0, 0, g * (1j * a) / (a.real * a.real + a.imag * a.imag))


class Polar(Op):
    """r * exp(i theta) from real ``r`` and ``theta`` of one float dtype.  With the incoming
    complex gradient g, dL/dr = Re(g conj(exp(i theta))) and dL/dtheta = Re(g conj(i z))."""

    save_inputs = (0, 1)

    def forward(self, r, theta):
        xp = get_xp(r)
        self.unit = xp.cos(theta) + 1j * xp.sin(theta)
        self.z = r * self.unit
        return self.z.astype(_complex_of(r), copy=False)

    def backward(self, g):
        nr, nt = self.needs_input_grad
        return ((g * self.unit.conjugate()).real.astype(g.real.dtype) if nr else None,
                (g * (1j * self.z).conjugate()).real.astype(g.real.dtype) if nt else None)
