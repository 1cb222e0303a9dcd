"""The rest of torch.linalg: pseudo-inverse, least squares, rank and condition number,
triangular solves, the matrix exponential, the ``*_ex`` forms, eigenvalues of general
matrices, Vandermonde matrices and Householder products.  Re-exported by ``ember.linalg``."""
import math
import numpy as np

from .._ops.linalg import ops as L
from .._ops.linalg import ops_more as LM
from .._ops.base import get_xp, relabel
from .._tensor import _wrap, _wrap_dim
from .._ops.common import handle_out
from .._ops.reduction.funcs import return_type
from .._ops.linalg.funcs import square_check, float_check, matmul, _tname
from .._ops.comparison.funcs import where
from .._ops.creation import eye, ones_like
from .._ops.reduction.funcs import cumprod
from .._ops.shape.copies import cat, tril, triu
from ._basic import cholesky, inv, matrix_norm, solve, svdvals

_inv_ex = return_type("linalg_inv_ex", ["inverse", "info"])
_solve_ex = return_type("linalg_solve_ex", ["result", "info"])
_cholesky_ex = return_type("linalg_cholesky_ex", ["L", "info"])
_lstsq = return_type("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
_eig = return_type("linalg_eig", ["eigenvalues", "eigenvectors"])

_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _batch_info(A):
    return _wrap(get_xp(A._data).zeros(tuple(A.shape[:-2]), dtype=np.int32))


def _rtol_default(A, atol, rtol):
    """torch's tolerance rule: rtol = eps * max(m, n) when neither is given, 0 when only atol is."""
    if rtol is None:
        rtol = 0.0 if atol not in (None, 0) else np.finfo(A._data.dtype).eps * max(A.shape[-2:])
    return (0.0 if atol is None else float(atol)), float(rtol)


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Moore-Penrose pseudo-inverse of (a batch of) m x n matrices, shape ``(*, n, m)``.

    Singular values at or below ``max(atol, rtol * largest)`` count as zero; rtol defaults to
    ``eps * max(m, n)`` (to 0 when only atol is given).  Differentiable where the rank is constant.

    Example: ``linalg.pinv(ember.ones(3, 2))`` is a 2 x 3 matrix of 1/6.
    """
    if A._data.dtype.kind not in "fc" or A.ndim < 2:
        raise RuntimeError(f"linalg.pinv({_tname(A)}{{{list(A.shape)}}}): expected a tensor with 2 "
                           "or more dimensions of float, double, cfloat or cdouble types")
    atol, rtol = _rtol_default(A, atol, rtol)
    return handle_out(LM.Pinv(atol, rtol)(A), out, "linalg.pinv")


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Number of singular values above ``max(atol, rtol * largest)`` per matrix (int64,
    shape ``*``).

    Example: ``linalg.matrix_rank(ember.ones(3, 3))`` is ``tensor(1)``.
    """
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least "
                           "2 dimensions.")
    float_check(A, "linalg.matrix_rank")
    atol, rtol = _rtol_default(A, atol, rtol)
    xp = get_xp(A._data)
    if hermitian:
        s = xp.abs(xp.linalg.eigvalsh(A._data))
        s = -xp.sort(-s, axis=-1)
    else:
        s = xp.linalg.svd(A._data, compute_uv=False)
    smax = s[..., :1] if s.shape[-1] else xp.zeros(s.shape[:-1] + (1,), dtype=s.dtype)
    rank = (s > xp.maximum(atol, rtol * smax)).sum(-1).astype(np.int64)
    return handle_out(_wrap(xp.asarray(rank)), out, "linalg.matrix_rank")


def cond(A, p=None, *, out=None):
    """Condition number of (a batch of) matrices in the ``p`` norm: sigma_max / sigma_min for
    p None or 2 (-2: the reciprocal), else ||A||_p * ||A^-1||_p ('fro', 'nuc', 1, -1, inf, -inf;
    square A only).

    Example: ``linalg.cond(ember.diag(ember.tensor([1., 4.])))`` is ``tensor(4.)``.
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p in (None, 2, -2):
        float_check(A, "linalg.cond")
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        res = small / big if p == -2 else big / small
    else:
        if A.shape[-1] != A.shape[-2]:
            raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but "
                               f"they are {A.shape[-2]} by {A.shape[-1]} matrices")
        res = matrix_norm(A, p) * matrix_norm(inv(A), p)
    # torch's last nodes: a squeeze of the singular-value ratio, or a nan_to_num of the product
    res = relabel(res, "SqueezeBackward1" if p in (None, 2, -2) else "NanToNumBackward0")
    return handle_out(res, out, "linalg.cond")


def matrix_exp(A):
    """exp(A) = sum A^k / k! of (a batch of) square matrices, differentiable.

    Example: ``linalg.matrix_exp(ember.zeros(2, 2))`` is the 2 x 2 identity.
    """
    square_check(A, "linalg.matrix_exp")
    return LM.MatrixExp()(A)


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (``left``) or X A = B, reading only A's upper or lower triangle (and
    taking its diagonal as ones when ``unitriangular``).  A is ``(*, n, n)``; B is ``(*, n, k)``
    (left) or ``(*, k, n)``; batch dims broadcast.

    Example: ``linalg.solve_triangular(2 * ember.eye(2), ember.ones(2, 1), upper=True)`` is 0.5s.
    """
    name = "linalg.solve_triangular"
    square_check(A, name)
    if B.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    B = B.to(A.dtype)  # torch computes in A's dtype
    rows = B.shape[-2] if left else B.shape[-1]
    if rows != A.shape[-1]:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {eq} "
                           f"({A.shape[-2]}x{A.shape[-1]} and {B.shape[-2]}x{B.shape[-1]})")
    if left:
        res = LM.SolveTriangular(upper, unitriangular)(A, B)
    else:
        res = LM.SolveTriangular(not upper, unitriangular)(A.mT, B.mT).mT
    return handle_out(res, out, name)


def inv_ex(A, *, check_errors=False, out=None):
    """(inverse, info): ``linalg.inv`` that reports failure in ``info`` (int32, 0 = success,
    shape ``*``) instead of raising, unless ``check_errors``; a singular matrix's inverse holds
    inf/nan.

    Example: ``linalg.inv_ex(ember.eye(2)).info`` is ``tensor(0, dtype=int32)``.
    """
    return handle_out(_ex(inv, (A,), check_errors, _inv_ex, "linalg.inv_ex"), out, "linalg.inv_ex")


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """(result, info): ``linalg.solve`` reporting failure in ``info`` (see ``inv_ex``).

    Example: ``linalg.solve_ex(ember.eye(2), ember.ones(2)).result`` is ``tensor([1., 1.])``.
    """
    res = _ex(lambda a, b: solve(a, b, left=left), (A, B), check_errors, _solve_ex,
              "linalg.solve_ex")
    return handle_out(res, out, "linalg.solve_ex")


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """(L, info): ``linalg.cholesky`` reporting in ``info`` the order of the first leading
    minor that is not positive-definite (0 = success) instead of raising, unless
    ``check_errors``.

    Example: ``linalg.cholesky_ex(4 * ember.eye(2)).L`` is ``2 * eye(2)``.
    """
    square_check(A, "linalg.cholesky_ex")
    res = _ex(lambda a: cholesky(a, upper=upper), (A,), check_errors, _cholesky_ex,
              "linalg.cholesky_ex", upper)
    return handle_out(res, out, "linalg.cholesky_ex")


def _ex(fn, args, check_errors, kind, name, upper=False):
    """Run ``fn``; where it fails on some matrices, report their failure codes in ``info``
    and give NaN results for those only (a Cholesky factor: LAPACK's partial one, ``upper``
    or lower), raising under ``name`` when ``check_errors``."""
    A = args[0]
    try:
        return kind(fn(*args), _batch_info(A))
    except L.LinAlgError as e:
        if check_errors:
            raise L.LinAlgError(name + str(e)[str(e).index(":"):]) from None
    xp = get_xp(A._data)
    flat = A._data.reshape((-1,) + tuple(A.shape[-2:]))
    if kind is _cholesky_ex:
        info = xp.asarray([_first_bad_minor(xp, m) for m in flat], dtype=np.int32)
    else:
        info = LM.lu_factor(flat)[2]
    info = info.reshape(tuple(A.shape[:-2]))
    bad = _wrap(info != 0)
    safe = where(bad[..., None, None], eye(A.shape[-1], dtype=A.dtype, device=A.device), A)
    res = fn(safe, *args[1:])
    bad = bad.reshape(tuple(bad.shape) + (1,) * (res.ndim - bad.ndim))
    fill = math.nan
    if kind is _cholesky_ex and A._data.dtype.kind == "f":   # real matrices (no conjugates)
        partial = xp.stack([_partial_cholesky(xp, m) for m in flat]).reshape(tuple(A.shape))
        fill = _wrap(partial.swapaxes(-1, -2) if upper else partial)
    return kind(where(bad, fill, res), _wrap(info))


def _partial_cholesky(xp, m):
    """LAPACK's unblocked lower Cholesky (potf2) of the real matrix ``m``, stopped at the first
    pivot that is not positive, as torch returns it for small matrices: that pivot's value
    left on the diagonal, the columns after it still ``m``'s lower triangle."""
    low = xp.tril(m)
    for j in range(m.shape[-1]):
        pivot = low[j, j] - low[j, :j] @ low[j, :j]
        if not pivot > 0:
            low[j, j] = pivot
            break
        low[j, j] = pivot = xp.sqrt(pivot)
        low[j + 1:, j] = (low[j + 1:, j] - low[j + 1:, :j] @ low[j, :j]) / pivot
    return low


def _first_bad_minor(xp, m):
    """Order of the first leading minor of ``m`` that is not positive-definite, 0 if none."""
    for k in range(1, m.shape[-1] + 1):
        try:
            xp.linalg.cholesky(m[:k, :k])
        except xp.linalg.LinAlgError:
            return k
    return 0


def eig(A, *, out=None):
    """(eigenvalues, eigenvectors) of (a batch of) general square matrices, always complex
    (complex64 for float32 input, complex128 for float64), eigenvectors of unit norm as
    columns; differentiable.

    Example: ``linalg.eig(ember.diag(ember.tensor([1., 2.]))).eigenvalues`` is ``[1+0j, 2+0j]``.
    """
    square_check(A, "linalg.eig")
    ctype = np.complex64 if A._data.dtype in (np.float32, np.complex64) else np.complex128
    return _eig(*handle_out(LM.Eig("linalg.eig", ctype)(A), out, "linalg.eig"))


def eigvals(A, *, out=None):
    """Eigenvalues of (a batch of) general square matrices, complex (see ``eig``)."""
    square_check(A, "linalg.eigvals")
    ctype = np.complex64 if A._data.dtype in (np.float32, np.complex64) else np.complex128
    return handle_out(LM.Eig("linalg.eigvals", ctype)(A)[0], out, "linalg.eigvals")


def vander(x, *, N=None):
    """Vandermonde matrix of the last dim of x: (*, n) -> (*, n, N), column j = x ** j
    (N defaults to n).

    Example: ``linalg.vander(ember.tensor([2, 3]))`` is ``[[1, 2], [1, 3]]``.
    """
    if x.ndim < 1:
        raise RuntimeError("linalg.vander: Expected x to have at least one dimension. Got "
                           f"{x.ndim} dimensions.")
    if x._data.dtype.kind == "b":
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, "
                           "but got Bool")
    N = x.shape[-1] if N is None else N
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    col = x.unsqueeze(-1)
    # torch's last node joins a column of ones to the running products
    return relabel(cumprod(cat([ones_like(col), col.expand(tuple(x.shape) + (N - 1,))], -1), -1),
                   "CatBackward0")


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The ``offset`` diagonal of A over ``dim1``, ``dim2`` (a view; appended as the last dim).

    Example: ``linalg.diagonal(ember.eye(3))`` is ``tensor([1., 1., 1.])``.
    """
    return A.diagonal(offset=offset, dim1=dim1, dim2=dim2)


def householder_product(A, tau, *, out=None):
    """First n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H, with v_i the i-th column of
    A (m x n, m >= n) below the diagonal and 1 on it; tau is ``(*, k)``, k <= n.  Differentiable.

    Example: ``linalg.householder_product(ember.zeros(2, 2), ember.zeros(2))`` is eye(2).
    """
    name = "torch.linalg.householder_product"
    if A.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if m < n:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if tau.shape[-1] > n:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if A._data.dtype != tau._data.dtype:
        raise RuntimeError(f"{name}: tau dtype {tau.dtype} does not match input dtype {A.dtype}")
    eye_m = eye(m, dtype=A.dtype, device=A.device)
    vs = tril(A, -1) + eye_m[:, :n]
    q = eye_m.expand(tuple(A.shape[:-2]) + (m, m))
    for i in range(tau.shape[-1]):
        v = vs[..., :, i:i + 1]
        vh = v.mT.conj() if A.is_complex() else v.mT
        q = q - ((q @ v) * tau[..., i, None, None]) @ vh
    return handle_out(relabel(q[..., :, :n], "LinalgHouseholderProductBackward0"), out,
                      "linalg.householder_product")


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of A X = B (minimum norm where A is rank-deficient) with torch's
    named fields: ``solution`` ``(*, n, k)``, ``residuals`` (squared, for drivers other than
    gelsy when m > n and A has full rank, else empty), ``rank`` (gelsy, gelsd, gelss) and
    ``singular_values`` (gelsd, gelss).  ``driver`` is one of gels, gelsy (default), gelsd,
    gelss; ``rcond`` is the relative cut-off for rank (default ``eps * max(m, n)``).

    Example: ``linalg.lstsq(ember.ones(3, 1), ember.arange(3.).unsqueeze(1)).solution`` is 1.
    """
    name = "torch.linalg.lstsq"
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise RuntimeError(f"{name}: parameter `driver` should be one of "
                           f"({', '.join(_DRIVERS)})")
    float_check(A, "linalg.lstsq")
    if A.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"{name}: Expected input and other to have the same dtype, but got "
                           f"input's dtype {A.dtype} and other's dtype {B.dtype}")
    vec = B.ndim == A.ndim - 1
    Bm = B.unsqueeze(-1) if vec else B
    if Bm.shape[-2] != A.shape[-2]:
        raise RuntimeError(f"{name}: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2:]
    rtol = np.finfo(A._data.dtype).eps * max(m, n) if rcond is None or rcond < 0 else rcond
    x = matmul(pinv(A, rtol=rtol), Bm)
    xp = get_xp(A._data)
    empty = _wrap(xp.zeros((0,), dtype=A._data.dtype))
    rank = (matrix_rank(A, rtol=rtol) if driver != "gels" else
            _wrap(xp.zeros((0,), dtype=np.int64)))
    residuals = x.reshape(-1)[:0]  # empty, but on the graph as torch's
    if driver != "gelsy" and m > n and bool((matrix_rank(A, rtol=rtol)._data == n).all()):
        residuals = ((matmul(A, x) - Bm).abs() ** 2).sum(-2)
    svals = empty
    if driver in ("gelsd", "gelss"):
        svals = svdvals(A.detach())
    solution, residuals = relabel((x.squeeze(-1) if vec else x, residuals), "LinalgLstsqBackward0")
    return _lstsq(solution, residuals, rank, svals)


_lu_factor = return_type("linalg_lu_factor", ["LU", "pivots"])
_lu_factor_ex = return_type("linalg_lu_factor_ex", ["LU", "pivots", "info"])
_lu = return_type("linalg_lu", ["P", "L", "U"])


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """(LU, pivots, info): LAPACK's packed LU factorisation with partial pivoting (A = P L U,
    L unit lower triangular below LU's diagonal, U on and above it), 1-based int32 row
    interchanges and the first zero pivot in ``info`` (0 = none).  Differentiable for square A.

    Example: ``linalg.lu_factor_ex(ember.eye(2)).pivots`` is ``tensor([1, 2], dtype=int32)``.
    """
    name = "torch.linalg.lu_factor_ex"
    float_check(A, "linalg.lu_factor_ex")
    if A.ndim < 2:
        raise RuntimeError(f"{name}: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(A.shape)} instead")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    op = LM.LUFactor()
    lu, piv = op(A)
    info = _wrap(get_xp(A._data).asarray(op.info))
    if check_errors and bool((op.info != 0).any()):
        raise L.LinAlgError(f"linalg.lu_factor_ex: The factorization could not be completed "
                            f"because the input is not invertible (U[{int(op.info.max())}, "
                            f"{int(op.info.max())}] is zero).")
    return _lu_factor_ex(*handle_out((lu, piv, info), out, "linalg.lu_factor_ex"))


def lu_factor(A, *, pivot=True, out=None):
    """(LU, pivots) of ``lu_factor_ex``, raising LinAlgError for a singular matrix.

    Example: ``LU, piv = linalg.lu_factor(A); linalg.lu_solve(LU, piv, B)`` solves A X = B.
    """
    lu, piv, info = lu_factor_ex(A, pivot=pivot)
    if bool((info._data != 0).any()):
        k = int(info._data.max())
        raise RuntimeError(f"torch.linalg.lu_factor: U[{k},{k}] is zero and using it on "
                            "lu_solve would result in a division by zero. If you still want to "
                            "perform the factorization, consider calling linalg.lu(A, pivot) or "
                            "linalg.lu_factor_ex(A, pivot)")
    return _lu_factor(*handle_out((lu, piv), out, "linalg.lu_factor"))


def lu(A, *, pivot=True, out=None):
    """(P, L, U) with A = P L U: P a permutation matrix, L (*, m, k) unit lower triangular,
    U (*, k, n) upper triangular, k = min(m, n).  Differentiable for square A.

    Example: ``P, L, U = linalg.lu(A)``; ``P @ L @ U`` equals A.
    """
    lu_, piv, _ = lu_factor_ex(A, pivot=pivot)
    m, n = A.shape[-2:]
    k = min(m, n)
    low = tril(lu_[..., :, :k], -1) + eye(m, k, dtype=A.dtype, device=A.device)
    up = triu(lu_[..., :k, :])
    P = _wrap(LM.permutation(piv._data, m, A._data.dtype))
    low, up = relabel((low, up), "LinalgLuBackward0")
    return _lu(*handle_out((P, low, up), out, "linalg.lu"))


def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """X with A X = B (``left``; X A = B otherwise; A^H in place of A when ``adjoint``) from
    ``lu_factor``'s (LU, pivots).  Differentiable in LU and B.

    Example: ``linalg.lu_solve(*linalg.lu_factor(A), B)`` equals ``linalg.solve(A, B)``.
    """
    name = "linalg.lu_solve"
    square_check(LU, name)
    if B.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    if (B.shape[-2] if left else B.shape[-1]) != LU.shape[-1]:
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({LU.shape[-2]}x{LU.shape[-1]} and "
                           f"{B.shape[-2]}x{B.shape[-1]})")
    if not left:
        x = _mH(lu_solve(LU, pivots, _mH(B), adjoint=not adjoint))
    else:
        P = _wrap(LM.permutation(pivots._data, LU.shape[-1], LU._data.dtype))
        if adjoint:
            y = solve_triangular(_mH(LU), B, upper=False)
            x = P @ solve_triangular(_mH(LU), y, upper=True, unitriangular=True)
        else:
            y = solve_triangular(LU, P.mT @ B, upper=False, unitriangular=True)
            x = solve_triangular(LU, y, upper=True)
    return handle_out(relabel(x, "LinalgLuSolveBackward0"), out, name)


def _mH(x):
    """Conjugate transpose of the last two dims."""
    return x.mT.conj() if x.is_complex() else x.mT


def tensorinv(A, ind=2, *, out=None):
    """The inverse of A read as a linear map from its first ``ind`` dims to the rest: a tensor
    of shape A.shape[ind:] + A.shape[:ind] (the two products of sizes must agree).

    Example: ``linalg.tensorinv(ember.eye(4).reshape(4, 2, 2), ind=1)`` has shape (2, 2, 4).
    """
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    if math.prod(rows) != math.prod(cols):
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {math.prod(cols)} != "
                           f"{math.prod(rows)}")
    res = inv(A.reshape(math.prod(rows), math.prod(cols))).reshape(cols + rows)
    return handle_out(relabel(res, "ReshapeAliasBackward0"), out, "linalg.tensorinv")


def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.ndim) = B, X of shape A.shape[B.ndim:] (``dims`` first moves
    those dims of A to the end).

    Example: ``linalg.tensorsolve(ember.eye(6).reshape(6, 2, 3), ember.ones(6))`` is ones(2, 3).
    """
    if dims is not None:
        dims = [_wrap_dim(d, A.ndim) for d in dims]
        A = A.permute(*[d for d in range(A.ndim) if d not in dims], *dims)
    rest = tuple(A.shape[B.ndim:])
    if math.prod(rest) != B.numel():
        raise RuntimeError(f"Expected self to satisfy the requirement "
                           f"prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), "
                           f"but got {math.prod(rest)} != {B.numel()}")
    res = solve(A.reshape(B.numel(), math.prod(rest)), B.reshape(-1)).reshape(rest)
    return handle_out(res, out, "linalg.tensorsolve")


_ldl_factor = return_type("linalg_ldl_factor", ["LD", "pivots"])
_ldl_factor_ex = return_type("linalg_ldl_factor_ex", ["LD", "pivots", "info"])


def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """(LD, pivots, info): LAPACK's Bunch-Kaufman factorisation of symmetric matrices read
    from the lower triangle, A = P L D L^T P^T with D of 1 x 1 and 2 x 2 blocks; LD holds L
    below the diagonal and D on it (a 2 x 2 block's off-diagonal below it), pivots are 1-based
    (negative for a 2 x 2 block), info the first zero block of D (0 = none).  Real input only;
    no gradient (as torch).

    Example: ``linalg.ldl_factor_ex(ember.eye(2)).pivots`` is ``tensor([1, 2], dtype=int32)``.
    """
    name = "torch.linalg.ldl_factor_ex"
    float_check(A, name)
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if A.is_complex():
        raise NotImplementedError("ember: linalg.ldl_factor supports real matrices only")
    ld, piv, info = LM.ldl_factor(A._data)
    if check_errors and bool((info != 0).any()):
        raise L.LinAlgError(f"{name}: The factorization could not be completed because the "
                            f"block diagonal matrix is singular (D[{int(info.max())}] is zero).")
    res = (_wrap(ld), _wrap(piv), _wrap(get_xp(ld).asarray(info)))
    return _ldl_factor_ex(*handle_out(res, out, "linalg.ldl_factor_ex"))


def ldl_factor(A, *, hermitian=False, out=None):
    """(LD, pivots) of ``ldl_factor_ex`` (see there).

    Example: ``linalg.ldl_solve(*linalg.ldl_factor(A), B)`` solves A X = B for symmetric A.
    """
    ld, piv, _ = ldl_factor_ex(A, hermitian=hermitian)
    return _ldl_factor(*handle_out((ld, piv), out, "linalg.ldl_factor"))


def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """X with A X = B from ``ldl_factor``'s (LD, pivots); B is ``(*, n, k)``, batch dims
    broadcast.  No gradient (as torch).

    Example: ``linalg.ldl_solve(*linalg.ldl_factor(2 * ember.eye(2)), ember.ones(2, 1))``.
    """
    if B.ndim < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of [-{max(B.ndim, 1)},"
                         f" {max(B.ndim, 1) - 1}], but got -2)")
    if B.shape[-2] != LD.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix "
                           f"is {LD.shape[-2]} by {LD.shape[-1]} but each b matrix is "
                           f"{B.shape[-2]} by {B.shape[-1]}")
    x = LM.ldl_solve(LD._data, pivots._data, B._data.astype(LD._data.dtype))
    return handle_out(_wrap(x), out, "linalg.ldl_solve")
