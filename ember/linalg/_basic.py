"""torch.linalg's core: inverses, determinants, solves, norms, eigh, svd, qr, products.

The rest of ``ember.linalg`` (pseudo-inverse, LU and LDL, ``*_ex`` forms, lstsq...) is in
``_more.py``, written on these; ``linalg/__init__.py`` re-exports both.

Example::

    >>> ember.linalg.det(2 * ember.eye(2))
    tensor(4.)
"""
import math as _math
from collections import namedtuple as _namedtuple

from .._ops.linalg import ops as _L, ops_more as _LM
from .._ops.random import Sampled as _Sampled
from .._tensor import _wrap_dim
from .._ops.base import get_xp as _get_xp, relabel as _relabel
from .._ops.elementwise.funcs import check_kinds as _check_kinds
from .._dtype import can_cast as _can_cast, as_dtype as _as_dtype
from .._ops.common import handle_out as _handle_out, broadcast_shape as _broadcast_shape
from .._ops.linalg.funcs import (matmul, square_check as _square_check, float_check as _float_check,
                                 linalg_cross as cross, einsum as _einsum, _tname, vdot as _vdot)

LinAlgError = _L.LinAlgError

_slogdet = _namedtuple("linalg_slogdet", ["sign", "logabsdet"])
_svd = _namedtuple("linalg_svd", ["U", "S", "Vh"])
_qr = _namedtuple("linalg_qr", ["Q", "R"])
_eigh = _namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])


def inv(A, *, out=None):
    """Inverse of (a batch of) square matrices; singular input raises LinAlgError."""
    _square_check(A, "linalg.inv")
    return _handle_out(_L.Inv()(A), out, "linalg.inv")


def det(A, *, out=None):
    _square_check(A, "linalg.det")
    return _handle_out(_L.Det()(A), out, "linalg.det")


def slogdet(A, *, out=None):
    """(sign, log|det|): the log-determinant without overflow."""
    _square_check(A, "linalg.slogdet")
    return _slogdet(*_handle_out(_L.SlogDet()(A), out, "linalg.slogdet"))


def solve(A, B, *, left=True, out=None):
    """X with A X = B.  B is a (batch of) vector(s) when it is 1-D or has A's shape minus
    the last dim; batch dims broadcast."""
    if not left:
        raise NotImplementedError("ember: linalg.solve(left=False) is not supported; solve the "
                                  "transposed system instead")
    _square_check(A, "linalg.solve")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of "
                           f"type {_tname(A)} and B of type {_tname(B)} instead")
    vec = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    rows = B.shape[-1] if vec else (B.shape[-2] if B.ndim >= 2 else None)
    if rows != A.shape[-1]:
        shown = f"{B.shape[-1]}x1" if vec else "x".join(map(str, B.shape))
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {shown})")
    _broadcast_shape(B.shape[:-1] if vec else B.shape[:-2], A.shape[:-2])  # torch names B first
    return _handle_out(_L.Solve(vec)(A, B), out, "linalg.solve")


def cholesky(A, *, upper=False, out=None):
    """Cholesky factor of symmetric positive-definite matrices (lower unless ``upper``)."""
    _square_check(A, "linalg.cholesky")
    return _handle_out(_L.Cholesky(upper)(A), out, "linalg.cholesky")


def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices, read from one triangle."""
    _check_kinds("linalg_eigh_cpu", A.dtype, "fc")   # torch: no integer kernel, before checks
    _square_check(A, "linalg.eigh")
    return _eigh(*_handle_out(_L.Eigh(_upper(UPLO))(A), out, "linalg.eigh"))


def eigvalsh(A, UPLO="L", *, out=None):
    _check_kinds("linalg_eigh_cpu", A.dtype, "fc")
    _square_check(A, "linalg.eigvalsh")
    return _handle_out(_L.Eigh(_upper(UPLO))(A)[0], out, "linalg.eigvalsh")


def _upper(uplo):
    if uplo not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")
    return uplo == "U"


def svd(A, full_matrices=True, *, driver=None, out=None):
    """U, S, Vh with A = U diag(S) Vh (thin factors unless ``full_matrices``); differentiable
    for distinct singular values."""
    _square_check(A, "linalg.svd", square=False)
    return _svd(*_handle_out(_LM.SVD(full_matrices)(A), out, "linalg.svd"))


def svdvals(A, *, driver=None, out=None):
    """Singular values in descending order, with a gradient."""
    _square_check(A, "linalg.svdvals", square=False)
    return _handle_out(_L.SVDVals()(A), out, "linalg.svdvals")


def qr(A, mode="reduced", *, out=None):
    """Q, R with A = Q R (``mode`` 'reduced', 'complete', or 'r': R only, Q empty);
    differentiable as torch's (any shape in 'reduced', not 'r', 'complete' only for m <= n)."""
    _square_check(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    return _qr(*_handle_out(_LM.QR(mode)(A), out, "linalg.qr"))


# -- norms ------------------------------------------------------------------------
def _norm_input(x, name, dtype):
    _float_check(x, name)
    if dtype is not None:
        dtype = _as_dtype(dtype)
        if x.dtype is not dtype:
            if not _can_cast(x.dtype, dtype) or dtype.itemsize < x.dtype.itemsize:
                raise RuntimeError(f"{name}: the dtype of the input ({_tname(x)}) should be "
                                   f"convertible without narrowing to the specified dtype "
                                   f"({dtype._tensor_type[:-6]})")
            x = x.to(dtype)
    return x


def _norm_dims(dim, ndim):
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        return None
    dims = tuple(_wrap_dim(d, ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims} appears multiple times in the list of dims")
    return dims


def _fmt_ord(o):
    return str(o) if not isinstance(o, float) or not o.is_integer() else str(int(o))


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``(sum |x|^ord)^(1/ord)`` over ``dim`` (all elements when None); ord may be inf, -inf or 0."""
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not "
                        f"{type(ord).__name__}")
    x = _norm_input(x, "linalg.vector_norm", dtype)
    dims = _norm_dims(dim, x.ndim)
    if ord < 0 or _math.isinf(ord):
        reduced = x.shape if dims is None else [x.shape[d] for d in dims]
        if 0 in reduced or (x.numel() == 0 and dims is None):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {_fmt_ord(ord)} norm on an "
                               "empty tensor because the operation does not have an identity")
    return _handle_out(_L.VectorNorm(ord, dims, keepdim)(x), out, "linalg.vector_norm")


_MATRIX_ORDS = ("fro", "nuc", 2, -2, 1, -1, _math.inf, -_math.inf)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Frobenius, nuclear, spectral (2/-2), max column (1/-1) or max row (inf/-inf) sum norm."""
    A = _norm_input(A, "linalg.matrix_norm", dtype)
    _square_check(A, "linalg.matrix_norm", square=False)
    if ord not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    dims = _norm_dims(dim, A.ndim)
    if dims is None or len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}")
    if ord == "fro":
        return _handle_out(_L.VectorNorm(2, dims, keepdim)(A), out, "linalg.matrix_norm")
    return _handle_out(_L.MatrixNorm(ord, dims, keepdim)(A), out, "linalg.matrix_norm")


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """Vector norm over one dim, matrix norm over two; with dim None, ord picks by A's rank
    (and without ord, the 2-norm of all elements)."""
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype,
                               out=out)
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)
    raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or "
                       f"2D. Got {A.ndim}D.")


# -- products -----------------------------------------------------------------------
def vecdot(x, y, *, dim=-1, out=None):
    """Sum over ``dim`` of conj(x) * y (inputs broadcast); float or complex inputs only.

    Example: ``linalg.vecdot(ember.tensor([1., 2.]), ember.tensor([3., 4.]))`` is 11.
    """
    _float_check(x, "linalg.vecdot")
    if x.dtype != y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x "
                           f"of type {_tname(x)} and y of type {_tname(y)} instead")
    # torch's steps (and grad_fn): vdot for two vectors, else a product summed over dim
    res = _vdot(x, y) if x.ndim == 1 and y.ndim == 1 else (x.conj() * y).sum(dim)
    return _handle_out(res, out, "linalg.vecdot")


def multi_dot(tensors, *, out=None):
    """Product of a chain of matrices; the first and last may be vectors."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        ok = (1, 2) if i in (0, len(tensors) - 1) else (2,)
        if t.ndim not in ok:
            raise RuntimeError(f"multi_dot(): tensor {i} must be "
                               f"{'1D or 2D' if len(ok) == 2 else '2D'} but got {t.ndim}D")
    res = tensors[0]
    for t in tensors[1:]:
        res = matmul(res, t)
    # torch multiplies the chain as matrices, then views the result in its shape
    return _handle_out(_relabel(res, "ViewBackward0"), out, "linalg.multi_dot")


def matrix_power(A, n, *, out=None):
    """A @ A @ ... (n times) by repeated squaring; n < 0 uses the inverse, n == 0 the identity."""
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, got shape "
                           f"{list(A.shape)}")
    if n == 0:
        xp = _get_xp(A._data)
        eye = xp.broadcast_to(xp.eye(A.shape[-1], dtype=A._data.dtype), A.shape)
        # a constant output with torch's zero gradient
        return _handle_out(_Sampled(eye.copy())(A), out, "linalg.matrix_power")
    if n < 0:
        A, n = inv(A), -n
    res, base = None, A
    while n:
        if n & 1:
            res = base if res is None else matmul(res, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return _handle_out(res, out, "linalg.matrix_power")
