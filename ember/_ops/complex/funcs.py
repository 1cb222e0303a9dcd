"""The complex-number functions: ``real``, ``imag``, ``conj``, ``view_as_real``,
``view_as_complex``, ``angle`` and ``polar`` (also as Tensor methods where torch has them;
``.real`` and ``.imag`` are properties, as in torch).

``real``, ``imag`` and the two ``view_as_*`` share memory with their input (an
in-place change through them reaches the input), as torch's views do.
"""
from ..._tensor import Tensor, tensor_method
from . import ops as C
from ...autograd.views import as_view
from ..common import float_input, handle_out

__all__ = ["real", "imag", "conj", "conj_physical", "resolve_conj", "view_as_real",
           "view_as_complex", "angle", "polar"]


def _view(src, op):
    return as_view(op(src), src, op.view)


def _tensor(x, name):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def real(input):
    """The real part of a complex tensor, sharing its memory; a real tensor is returned as is.

    Example: ``ember.real(ember.tensor([1 + 2j]))`` is ``tensor([1.])``.
    """
    x = _tensor(input, "real")
    return _view(x, C.Real()) if x.is_complex() else x


def imag(input):
    """The imaginary part of a complex tensor, sharing its memory (real tensors raise).

    Example: ``ember.imag(ember.tensor([1 + 2j]))`` is ``tensor([2.])``.
    """
    x = _tensor(input, "imag")
    if not x.is_complex():
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _view(x, C.Imag())


@tensor_method("conj")
def conj(input):
    """The complex conjugate (a copy); a real tensor is returned as is.

    Example: ``ember.conj(ember.tensor([1 + 2j]))`` is ``tensor([1.-2.j])``.
    """
    x = _tensor(input, "conj")
    return C.Conj()(x) if x.is_complex() else x


@tensor_method("conj_physical")
def conj_physical(input, *, out=None):
    """The complex conjugate, always a new tensor (``out`` receives it when given); a real
    tensor is returned as is.

    Example: ``ember.conj_physical(ember.tensor([1 + 2j]))`` is ``tensor([1.-2.j])``.
    """
    x = _tensor(input, "conj_physical")
    return handle_out(C.ConjPhysical()(x) if x.is_complex() else x, out, "conj_physical")


@tensor_method("resolve_conj")
def resolve_conj(input):
    """``input`` itself: ember's ``conj`` makes a copy, so there is no lazy conjugate to resolve.

    Example: ``z.conj().resolve_conj()`` is ``z.conj()``.
    """
    return _tensor(input, "resolve_conj")


@tensor_method("conj_physical_")
def conj_physical_(input):
    """In-place ``conj_physical``: conjugates a complex tensor's values (a real one is left
    as is) and returns it.  Example: ``z.conj_physical_()`` turns ``1+2j`` into ``1-2j``."""
    x = _tensor(input, "conj_physical_")
    return x.copy_(conj_physical(x)) if x.is_complex() else x


@tensor_method("angle")
def angle(input, *, out=None):
    """The argument (phase, in radians) of each element: atan2(imag, real) for complex input,
    pi for negative real input, 0 otherwise (NaN stays NaN).  Integer input gives the default
    float dtype; complex input its real counterpart.

    Example: ``ember.angle(ember.tensor([1j, -1.]))`` is ``tensor([1.5708, 3.1416])``.
    """
    x = float_input(_tensor(input, "angle"))
    return handle_out(C.Angle()(x), out, "angle")


def polar(abs, angle, *, out=None):  # noqa: A002 - torch's argument names
    """The complex tensor ``abs * (cos(angle) + i sin(angle))`` from float tensors of one dtype
    (broadcast); differentiable in both.  Shape: the broadcast shape of the two.

    Example: ``ember.polar(ember.tensor([2.]), ember.tensor([0.]))`` is ``tensor([2.+0.j])``.
    """
    r, theta = _tensor(abs, "polar"), _tensor(angle, "polar")
    kinds = (r._data.dtype, theta._data.dtype)
    if any(k.kind != "f" or k.itemsize < 4 for k in kinds):
        raise RuntimeError(f"Expected both inputs to be Float or Double tensors but got "
                           f"{r.dtype._tensor_type[:-6]} and {theta.dtype._tensor_type[:-6]}")
    if kinds[0] != kinds[1]:
        raise RuntimeError(f"Expected object of scalar type {r.dtype._tensor_type[:-6]} but got "
                           f"scalar type {theta.dtype._tensor_type[:-6]} for second argument")
    return handle_out(C.Polar()(r, theta), out, "polar")


def view_as_real(input):
    """A complex tensor of shape S seen as a real one of shape S + (2,): real and imaginary
    parts in the last dim, sharing memory.  Example: ``view_as_real(tensor([1 + 2j]))`` is
    ``tensor([[1., 2.]])``."""
    x = _tensor(input, "view_as_real")
    if not x.is_complex():
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _view(x, C.ViewAsReal())


def view_as_complex(input):
    """A float32/float64 tensor of shape S + (2,) seen as a complex one of shape S, sharing
    memory.  Example: ``view_as_complex(tensor([[1., 2.]]))`` is ``tensor([1.+2.j])``."""
    x = _tensor(input, "view_as_complex")
    if x.dtype.name not in ("float32", "float64"):
        raise RuntimeError("view_as_complex is only supported for float and double tensors, but "
                           f"got a tensor of scalar type: {x.dtype._tensor_type[:-6]}")
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if x.stride(-1) != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    return _view(x, C.ViewAsComplex())


def _set_real(self, value):
    real(self).copy_(value)


def _set_imag(self, value):
    imag(self).copy_(value)


Tensor.real = property(real, _set_real, doc="The real part, a view (assignable, as in torch).")
Tensor.imag = property(imag, _set_imag, doc="The imaginary part, a view (assignable).")
