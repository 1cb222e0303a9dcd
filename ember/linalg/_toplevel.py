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
from .._ops.base import get_xp, relabel
from .._ops.creation import eye, zeros
from .._ops.random import randn
from .. import _dtype
from .._ops.linalg.funcs import float_check, square_check, _tname
from .._ops.linalg.ops_more import permutation
from .._ops.reduction.funcs import return_type
from .._ops.shape.copies import cat, tril, triu
from .._tensor import _wrap, tensor_method
from . import _basic, _more

__all__ = ["logdet", "slogdet", "norm", "chain_matmul", "matrix_power", "pinverse", "svd", "qr",
           "cholesky", "matrix_exp", "cholesky_solve", "cholesky_inverse", "triangular_solve", "lu",
           "lu_solve", "lu_unpack", "orgqr", "ormqr", "svd_lowrank", "pca_lowrank", "lobpcg"]


def chain_matmul(*matrices, out=None):
    """Product of a sequence of matrices (deprecated in torch for linalg.multi_dot)."""
    return handle_out(_basic.multi_dot(matrices), out, "chain_matmul")


@tensor_method("slogdet")
def slogdet(input):
    """(sign, log|det|) of (a batch of) square matrices."""
    return _basic.slogdet(input)


@tensor_method("logdet")
def logdet(input):
    """log(det): nan where the determinant is negative, -inf where it is zero; for complex
    input the principal complex log, log|det| + i arg(det)."""
    sign, logabs = slogdet(input)
    if input.is_complex():
        return logabs + sign.log()
    xp = get_xp(sign._data)
    res = logabs + _wrap(xp.where(sign._data < 0, math.nan, 0).astype(logabs._data.dtype))
    return relabel(res, "WhereBackward0")   # torch: where(sign < 0, nan, log|det|)


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
    return relabel(_basic.cholesky(input, upper=upper, out=out), "CholeskyBackward0")


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
    x = relabel(_more.solve_triangular(_mH(factor), y, upper=True), "CholeskySolveBackward0")
    return handle_out(x, out, "cholesky_solve")


@tensor_method("cholesky_inverse")
def cholesky_inverse(input, upper=False, *, out=None):
    """A^-1 from A's Cholesky factor ``input`` (lower L with A = L L^H, or upper U = L^H).
    Example: ``ember.cholesky_inverse(2 * ember.eye(2))`` is ``0.25 * eye(2)``."""
    square_check(input, "cholesky_inverse")
    ident = eye(input.shape[-1], dtype=input.dtype, device=input.device).expand(
        tuple(input.shape))
    inverse = relabel(cholesky_solve(ident, input, upper), "CholeskyInverseBackward0")
    return handle_out(inverse, out, "cholesky_inverse")


@tensor_method("triangular_solve")
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """(solution, cloned_coefficient): X with T X = input (T^T X = input when ``transpose``),
    T the upper or lower triangle of A; the second field is a copy of A.
    Example: ``ember.triangular_solve(b, A).solution`` equals
    ``linalg.solve_triangular(A, b, upper=True)``."""
    tri = A.mT if transpose else A
    x = _more.solve_triangular(tri, input, upper=upper != transpose, unitriangular=unitriangular)
    res = relabel((x, A.clone()), "TriangularSolveBackward0")
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
        low, up = relabel((low, up), "LuUnpackBackward0")
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
    return handle_out(relabel(q @ input3 if left else input3 @ q, "OrmqrBackward0"), out, "ormqr")


# -- randomized low-rank factorizations ---------------------------------------------------
def _range_basis(A, q, niter, M):
    """An orthonormal (m, q) basis approximately spanning the columns of A - M: Q of a random
    projection, refined by ``niter`` power iterations (Halko, Martinsson and Tropp, 2009)."""

    def minus_m(x, y):
        return x if M is None else x - y
    dtype = A.dtype if A.is_floating_point() or A.is_complex() else _dtype.get_default_dtype()
    R = randn(A.shape[-1], q, dtype=dtype, device=A.device)
    Q = _basic.qr(minus_m(A @ R, M @ R if M is not None else None)).Q
    for _ in range(niter):
        Q = _basic.qr(minus_m(_mH(A) @ Q, _mH(M) @ Q if M is not None else None)).Q
        Q = _basic.qr(minus_m(A @ Q, M @ Q if M is not None else None)).Q
    return Q


def svd_lowrank(A, q=6, niter=2, M=None):
    """A rank-``q`` SVD of ``A - M`` (M optional, broadcast to A) by random projection:
    ``(U, S, V)`` with shapes (..., m, q), (..., q), (..., n, q) and A - M ~ U diag(S) V^H,
    exact (up to signs) when the rank is at most ``q``.  ``niter`` power iterations sharpen
    the basis.  Differentiable through qr and svd.  The projection draws from ember's random
    stream, so factors are not torch's numbers, only its decomposition.

    Example: ``U, S, V = ember.svd_lowrank(ember.randn(50, 4) @ ember.randn(4, 30), q=4)``.
    """
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(tuple(A.shape))
    wide = m < n
    if wide:  # work on the tall A^H and swap the factors back
        A, M = _mH(A), (None if M is None else _mH(M))
    Q = _range_basis(A, q, niter, M)
    B = _mH(Q) @ A if M is None else _mH(Q) @ A - _mH(Q) @ M
    U, S, Vh = _basic.svd(B, full_matrices=False)
    U, V = Q @ U, _mH(Vh)
    return (V, S, U) if wide else (U, S, V)


def pca_lowrank(A, q=None, center=True, niter=2):
    """Principal components of the rows of ``A`` (..., m, n) by ``svd_lowrank`` of A less
    its column means (``center``): ``(U, S, V)``, V's columns the principal directions and
    ``S**2 / (m - 1)`` the variances.  ``q`` defaults to min(6, m, n).

    Example: ``U, S, V = ember.pca_lowrank(X, q=2); X_2d = (X - X.mean(0)) @ V``.
    """
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than "
                         f"min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=-2, keepdim=True)
    return svd_lowrank(A, q, niter=niter)


def lobpcg(A, k=None, B=None, X=None, n=None, iK=None, niter=None, tol=None, largest=None,
           method=None, tracker=None, ortho_iparams=None, ortho_fparams=None,
           ortho_bparams=None):
    """The ``k`` largest (``largest=True``, the default) or smallest eigenpairs of the
    symmetric generalized problem A x = lambda B x (B symmetric positive definite, identity
    when omitted): ``(E, X)`` with E of shape (..., k) and X (..., m, k), B-orthonormal.

    ember solves the dense problem directly (``eigh`` of L^-1 A L^-H with B = L L^H), which
    is what LOBPCG's iteration converges to; the iteration controls (``X``'s start values
    only set ``k``, ``iK``, ``niter``, ``tol``, ``method``, ``tracker``, ``ortho_*``) are
    accepted for torch's signature.  Differentiable through ``eigh`` when B is not given.

    Example: ``E, X = ember.lobpcg(A, k=2)`` gives A's two largest eigenvalues.
    """
    largest = True if largest is None else largest
    m = A.shape[-1]
    if k is None:
        k = 1 if X is None else X.shape[-1]
    if n is None:
        n = k if X is None else X.shape[-1]
    if m < 3 * n:
        raise ValueError(f"LPBPCG algorithm is not applicable when the number of A rows (={m}) "
                         f"is smaller than 3 x the number of requested eigenpairs (={n})")
    float_check(A, "lobpcg")   # RuntimeError, as torch's first product with a float block
    if B is None:
        E, V = _basic.eigh(A)
    else:
        L = _basic.cholesky(B)
        C = _more.solve_triangular(L, _mH(_more.solve_triangular(L, A, upper=False)), upper=False)
        E, W = _basic.eigh(C)
        V = _more.solve_triangular(_mH(L), W, upper=True)
    picked = slice(m - k, m) if largest else slice(0, k)
    E, V = E[..., picked], V[..., picked]
    if largest:
        E, V = E.flip(-1), V.flip(-1)
    return E, V
