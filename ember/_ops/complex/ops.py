"""The complex-number ops: real and imaginary parts, conjugation, the (..., 2) real view of a
complex array, the argument (``angle``) and ``polar``.

Gradients follow torch's convention for a real loss L of z = x + iy: the
gradient is dL/dx + i dL/dy, so the real part passes ``g`` back as ``g + 0j``
and the imaginary part as ``i g``.
"""
from ..base import Op, get_xp, sum_to
from ..elementwise.ops import quiet
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

    @quiet
    def backward(self, g):
        a = self.a
        xp = get_xp(g)
        if a.dtype.kind != "c":
            return xp.zeros_like(a)
        return xp.where(a == 0, 0, g * (1j * a) / (a.real * a.real + a.imag * a.imag))


class Polar(Op):
    """z = r * exp(i theta) from real ``r`` and ``theta`` of one float dtype.  With the incoming
    complex gradient g, dL/dtheta = Re(g conj(i z)) and, as torch takes it (r meant to be
    >= 0), dL/dr = Re(g conj(sgn z)): sgn z = z / |z|, 0 at z = 0."""

    save_inputs = (0, 1)

    def forward(self, r, theta):
        self.r, self.theta = r, theta
        self.shapes = (r.shape, theta.shape)
        self.z = self._z(get_xp(r), r, theta)
        return self.z.astype(_complex_of(r), copy=False)

    @staticmethod
    def _z(xp, r, theta):
        return r * (xp.cos(theta) + 1j * xp.sin(theta))

    def regraph(self):
        """Under create_graph: z again, from the swapped inputs."""
        return {"z": self._z(get_xp(self.r), self.r, self.theta)}

    def backward(self, g):
        nr, nt = self.needs_input_grad
        xp, z, dt = get_xp(g), self.z, g.real.dtype
        gr = gt = None
        if nr:
            size = xp.abs(z)
            sgn = xp.where(size == 0, 0, z / xp.where(size == 0, 1, size))
            gr = sum_to((g * sgn.conjugate()).real.astype(dt), self.shapes[0])
        if nt:
            gt = sum_to((g * (1j * z).conjugate()).real.astype(dt), self.shapes[1])
        return gr, gt
