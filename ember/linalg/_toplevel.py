"""The linalg functions torch also offers at top level and as Tensor methods (``torch.svd``,
``torch.qr``, ``torch.lu_solve``, ``Tensor.cholesky``...), written over ``ember.linalg`` with the
older signatures and result fields torch keeps for them.

Example::

    >>> U, S, V = ember.svd(ember.eye(2))
    >>> S
    tensor([1., 1.])
"""
import math

from .._ops.common import handle_out
from .._ops.base import get_xp
from .._ops.creation import eye, zeros
from .._ops.linalg.funcs import square_check, _tname
from .._ops.linalg.ops_more import permutation
from .._ops.reduction.funcs import return_type
from .._ops.shape.funcs import cat, tril, triu
from .._tensor import _wrap, tensor_method
from . import _basic, _more

__all__ = ["logdet", "slogdet", "norm", "chain_matmul", "matrix_power", "pinverse", "svd", "qr",
           "cholesky", "matrix_exp", "cholesky_solve", "cholesky_inverse", "triangular_solve", "lu",
           "lu_solve", "lu_unpack", "orgqr", "ormqr"]


def chain_matmul(*matrices, out=None):
    """Product of a sequence of matrices (deprecated in torch for linalg.multi_dot)."""
    return handle_out(_basic.multi_dot(matrices), out, "chain_matmul")


@tensor_method("slogdet")
def slogdet(input):
    """(sign, log|det|) of (a batch of) square matrices."""
    return _basic.slogdet(input)


@tensor_method("logdet")
def logdet(input):
    """log(det): nan where the determinant is negative, -inf where it is zero."""
    sign, logabs = slogdet(input)
    xp = get_xp(sign._data)
    return logabs + _wrap(xp.where(sign._data < 0, math.nan, 0).astype(logabs._data.dtype))


@tensor_method("matrix_power")
def matrix_power(input, n):
    """``input`` multiplied by itself n times (see linalg.matrix_power)."""
    return _basic.matrix_power(input, n)


@tensor_method("norm")
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: a vector p-norm over ``dim`` (all elements by default);
    'fro' is the 2-norm, 'nuc' the nuclear norm of matrices over two dims."""
    if p == "nuc":
        res = _basic.matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else dim,
                                 keepdim=keepdim, dtype=dtype)
    else:
        if isinstance(dim, int):
            dim = (dim,)
        res = _basic.vector_norm(input, 2 if p == "fro" or p is None else p, dim=dim,
                                 keepdim=keepdim, dtype=dtype)
    return handle_out(res, out, "norm")


@tensor_method("pinverse")
def pinverse(input, rcond=1e-15):
    """Pseudo-inverse dropping singular values at or below ``rcond`` times the largest
    (``linalg.pinv(input, rtol=rcond)``).  Example: ``ember.pinverse(ember.ones(2, 2))``."""
    return _more.pinv(input, rtol=rcond)


@tensor_method("svd")
def svd(input, some=True, compute_uv=True, *, out=None):
    """(U, S, V) with input = U diag(S) V^H (note V, not V^H); ``some`` gives the thin factors.
    Without ``compute_uv`` U and V are zero matrices of the full shapes.
    Example: ``U, S, V = ember.svd(ember.randn(4, 3))``: shapes (4, 3), (3,), (3, 3)."""
    if compute_uv:
        u, s, vh = _basic.svd(input, full_matrices=not some)
        v = vh.mT.conj() if vh.is_complex() else vh.mT
    else:
        s = _basic.svdvals(input)
        xp = get_xp(input._data)
        batch, (m, n) = tuple(input.shape[:-2]), tuple(input.shape[-2:])
        u = _wrap(xp.zeros(batch + (m, m), dtype=input._data.dtype))
        v = _wrap(xp.zeros(batch + (n, n), dtype=input._data.dtype))
    return return_type("svd", ("U", "S", "V"))(*handle_out((u, s, v), out, "svd"))


@tensor_method("qr")
def qr(input, some=True, *, out=None):
    """(Q, R) with input = Q R; ``some`` gives the reduced factors (``linalg.qr``).
    Example: ``Q, R = ember.qr(ember.randn(4, 3))``: shapes (4, 3), (3, 3)."""
    q, r = _basic.qr(input, "reduced" if some else "complete")
    return return_type("qr", ("Q", "R"))(*handle_out((q, r), out, "qr"))


@tensor_method("cholesky")
def cholesky(input, upper=False, *, out=None):
    """Cholesky factor of symmetric positive-definite matrices (``linalg.cholesky``).
    Example: ``ember.cholesky(4 * ember.eye(2))`` is ``2 * eye(2)``."""
    return _basic.cholesky(input, upper=upper, out=out)


@tensor_method("matrix_exp")
def matrix_exp(input):
    """exp of square matrices (``linalg.matrix_exp``).
    Example: ``ember.matrix_exp(ember.zeros(2, 2))`` is ``eye(2)``."""
    return _more.matrix_exp(input)


def _mH(x):
    return x.mT.conj() if x.is_complex() else x.mT


@tensor_method("cholesky_solve")
def cholesky_solve(input, input2, upper=False, *, out=None):
    """X with A X = input, A = L L^H given its Cholesky factor ``input2`` (upper: U^H U).
    Example: ``ember.cholesky_solve(b, ember.linalg.cholesky(A))`` solves A X = b."""
    if input._data.dtype != input2._data.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_tname(input)} and A of type {_tname(input2)} instead.")
    factor = _mH(input2) if upper else input2
    y = _more.solve_triangular(factor, input, upper=False)
    return handle_out(_more.solve_triangular(_mH(factor), y, upper=True), out, "cholesky_solve")


@tensor_method("cholesky_inverse")
def cholesky_inverse(input, upper=False, *, out=None):
    """A^-1 from A's Cholesky factor ``input`` (lower L with A = L L^H, or upper U = L^H).
    Example: ``ember.cholesky_inverse(2 * ember.eye(2))`` is ``0.25 * eye(2)``."""
    square_check(input, "cholesky_inverse")
    ident = eye(input.shape[-1], dtype=input.dtype, device=input.device).expand(tuple(input.shape))
    return handle_out(cholesky_solve(ident, input, upper), out, "cholesky_inverse")


@tensor_method("triangular_solve")
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """(solution, cloned_coefficient): X with T X = input (T^T X = input when ``transpose``),
    T the upper or lower triangle of A; the second field is a copy of A.
    Example: ``ember.triangular_solve(b, A).solution`` equals
    ``linalg.solve_triangular(A, b, upper=True)``."""
    tri = A.mT if transpose else A
    x = _more.solve_triangular(tri, input, upper=upper != transpose, unitriangular=unitriangular)
    res = (x, A.clone())
    return return_type("triangular_solve", ("solution", "cloned_coefficient"))(
        *handle_out(res, out, "triangular_solve"))


@tensor_method("lu")
def lu(A, pivot=True, get_infos=False, out=None):
    """(LU, pivots) of ``linalg.lu_factor`` (and info with ``get_infos``; otherwise a singular
    matrix raises).  Example: ``LU, piv = ember.lu(A)``."""
    factor = _more.lu_factor_ex if get_infos else _more.lu_factor
    res = tuple(factor(A, pivot=pivot))
    return handle_out(res, out, "lu")


@tensor_method("lu_solve")
def lu_solve(b, LU_data, LU_pivots, *, out=None):
    """X with A X = b from ``lu``'s (LU_data, LU_pivots) (``linalg.lu_solve``)."""
    return _more.lu_solve(LU_data, LU_pivots, b, out=out)


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """(P, L, U) from packed LU factors and pivots, so that A = P L U; a field left unpacked is
    an empty tensor.  Example: ``P, L, U = ember.lu_unpack(*ember.linalg.lu_factor(A))``."""
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    empty = _wrap(get_xp(LU_data._data).zeros((0,), dtype=LU_data._data.dtype))
    low = up = P = empty
    if unpack_data:
        low = tril(LU_data[..., :, :k], -1) + eye(m, k, dtype=LU_data.dtype,
                                                  device=LU_data.device)
        up = triu(LU_data[..., :k, :])
    if unpack_pivots:
        P = _wrap(permutation(LU_pivots._data, m, LU_data._data.dtype))
    return return_type("lu_unpack", ("P", "L", "U"))(*handle_out((P, low, up), out, "lu_unpack"))


@tensor_method("orgqr")
def orgqr(input, tau):
    """Q from Householder reflectors (``linalg.householder_product``)."""
    return _more.householder_product(input, tau)


@tensor_method("ormqr")
def ormqr(input, input2, input3, left=True, transpose=False, *, out=None):
    """``input3`` multiplied by the full m x m Q of the Householder reflectors (input, tau =
    input2), from the left (Q C) or the right (C Q), Q^T with ``transpose``.
    Example: ``ember.ormqr(*ember.geqrf(A), C)`` is ``Q @ C`` for A's full Q."""
    if input3.ndim != input.ndim:
        raise RuntimeError(f"torch.ormqr: Expected other to have the same number of dimensions "
                           f"as input, but got other.ndim equal to {input3.ndim} and input.ndim "
                           f"is equal to {input.ndim}")
    m, n = input.shape[-2:]
    pad = zeros(tuple(input.shape[:-1]) + (m - n,), dtype=input.dtype, device=input.device)
    q = _more.householder_product(cat([input, pad], -1), input2)
    q = _mH(q) if transpose else q
    return handle_out(q @ input3 if left else input3 @ q, out, "ormqr")
