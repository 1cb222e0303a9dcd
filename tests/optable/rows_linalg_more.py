"""Rows of the rest of ``ember.linalg``: pseudo-inverse, least squares, rank, condition
number, matrix exponential, triangular and LU solves, the ``*_ex`` forms, eig, Vandermonde and
Householder products.  Tiny matrices, few samples."""
import numpy as np

from .core import FLOAT_INT, Arg, OpRow, Sample
from .rows_linalg import LINALG_TOL, _square, _spd, _wellcond


def _one(*specs):
    """Samples from ``(tag, shape)``: one matrix input each."""
    return lambda make: [Sample(tag, (make(shape),)) for tag, shape in specs]


def _tri(make):
    return [Sample("left", (_wellcond(make, 3), make((3, 2))), {"upper": True}),
            Sample("right", (_wellcond(make, 2, (2,)), make((1, 3, 2))),
                   {"upper": False, "left": False, "unitriangular": True})]


def _solve_ex(make):
    return [Sample("vec", (_wellcond(make, 3), make((3,)))),
            Sample("batch", (_wellcond(make, 2, (2,)), make((2, 2, 1))))]


def _lstsq(make):
    return [Sample("tall", (make((4, 2)), make((4, 2)))),
            Sample("gelsd", (make((2, 3, 2)), make((2, 3, 1))), {"driver": "gelsd"})]


def _lstsq_call(lib, a, b, **kw):
    """solution and residuals (singular values carry no gradient, so finite differences
    would see them change)."""
    return tuple(lib.linalg.lstsq(a, b, **kw))[:2]


def _eig_call(lib, a):
    """eig with each eigenvector's phase fixed by its first entry."""
    w, v = lib.linalg.eig(a)
    return w, v / (v[..., :1, :] / v[..., :1, :].abs())


def _eig_real(make):
    a = make((3, 3)).array
    m = np.triu(a) + np.diag([0.0, 1.0, 2.0]) + 0.1 * np.tril(a, -1)
    return [Sample("real_spectrum", (Arg(m.astype(a.dtype)),))]


def _householder(make):
    return [Sample("tall", (make((3, 2)), make((2,)))),
            Sample("batch", (make((2, 2, 2)), make((2, 1))))]


def _lu_solve_call(lib, a, b, **kw):
    lu, piv = lib.linalg.lu_factor(a)
    return lib.linalg.lu_solve(lu, piv, b, **kw)


def _lu_solve(make):
    return [Sample("left", (_wellcond(make, 3), make((3, 2)))),
            Sample("adjoint_right", (_wellcond(make, 2, (2,)), make((2, 3, 2))),
                   {"adjoint": True, "left": False})]


def _svd_call(lib, a, **kw):
    """torch.svd with signs fixed by U's first row."""
    u, s, v = lib.svd(a, **kw)
    sign = u[..., :1, :].sign()
    return u * sign, s, v * sign


def _qr_call(lib, a, **kw):
    q, r = lib.qr(a, **kw)
    sign = r.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-1)
    return q * sign.mT, r * sign


def _chol_pair(make):
    return [Sample("lower", (make((3, 2)), _spd(make, 3))),
            Sample("upper", (make((2, 2, 1)), _spd(make, 2, (2,))), {"upper": True})]


def _chol_solve_call(lib, b, a, upper=False):
    factor = lib.linalg.cholesky((a + a.mT) / 2, upper=upper)
    return lib.cholesky_solve(b, factor, upper=upper)


def _chol_inverse_call(lib, a, upper=False):
    return lib.cholesky_inverse(lib.linalg.cholesky((a + a.mT) / 2, upper=upper), upper=upper)


def _tri_solve(make):
    return [Sample("upper", (make((3, 2)), _wellcond(make, 3))),
            Sample("lower_t", (make((2, 2, 1)), _wellcond(make, 2, (2,))),
                   {"upper": False, "transpose": True, "unitriangular": True})]


def _top_lu_solve_call(lib, b, a):
    lu, piv = lib.lu(a)
    return lib.lu_solve(b, lu, piv)


def _lu_unpack_call(lib, a):
    return lib.lu_unpack(*lib.linalg.lu_factor(a))


def _symmetric(make):
    a = make((4, 4)).array
    a = a + a.T
    b = a.copy()
    b[np.arange(4), np.arange(4)] = 0  # 2 x 2 pivot blocks
    return [Sample("plain", (Arg(a),)), Sample("blocks", (Arg(b),))]


def _ldl_solve_call(lib, a, b):
    return lib.linalg.ldl_solve(*lib.linalg.ldl_factor(a), b)


def _ldl_solve(make):
    a = make((3, 3)).array
    return [Sample("2d", (Arg(a + a.T), make((3, 2))))]


def _ormqr(make):
    import torch
    a = make((4, 3)).array
    h, tau = (Arg(t.numpy().astype(a.dtype))
              for t in torch.geqrf(torch.from_numpy(a.astype(np.float64))))
    return [Sample("left", (h, tau, make((4, 2)))),
            Sample("right_t", (h, tau, make((2, 4))), {"left": False, "transpose": True})]


def _vander(make):
    return [Sample("vec", (make((3,)),)), Sample("batch_N", (make((2, 3)),), {"N": 4})]


def _tensorsolve(make):
    a = _wellcond(make, 6).array.reshape(6, 2, 3)
    return [Sample("3d", (Arg(a), make((6,))))]


def _tensorinv(make):
    return [Sample("ind1", (Arg(_wellcond(make, 6).array.reshape(6, 2, 3)),), {"ind": 1})]


ROWS = [
    OpRow("linalg.pinv", _one(("square", (3, 3)), ("wide", (2, 3)), ("batch", (2, 3, 2))),
          out=True, **LINALG_TOL),
    OpRow("linalg.matrix_exp", _one(("2d", (3, 3)), ("batch", (2, 2, 2))), **LINALG_TOL),
    OpRow("linalg.solve_triangular", _tri, out=True, **LINALG_TOL),
    OpRow("linalg.inv_ex", _square(_wellcond), out=True, **LINALG_TOL),
    OpRow("linalg.solve_ex", _solve_ex, out=True, **LINALG_TOL),
    OpRow("linalg.cholesky_ex", _square(_spd), out=True,
          call=lambda lib, x: lib.linalg.cholesky_ex((x + x.mT) / 2),
          **LINALG_TOL),
    OpRow("linalg.cond", _square(_wellcond), out=True, **LINALG_TOL),
    OpRow("linalg.matrix_rank", _one(("2d", (3, 3)), ("batch", (2, 2, 3))), out=True,
          grad=False),
    OpRow("linalg.lstsq", _lstsq, call=_lstsq_call,
          **LINALG_TOL),
    OpRow("linalg.eig", _eig_real, call=_eig_call, **LINALG_TOL),
    OpRow("linalg.eigvals", _eig_real, out=True, **LINALG_TOL),
    OpRow("linalg.vander", _vander,
          dtypes=FLOAT_INT),
    OpRow("linalg.diagonal", lambda make: [Sample("3d", (make((2, 3, 4)),), {"offset": 1})],
          dtypes=FLOAT_INT),
    OpRow("linalg.householder_product", _householder, out=True,
          **LINALG_TOL),
    OpRow("linalg.lu_factor", _square(_wellcond), out=True, **LINALG_TOL),
    OpRow("linalg.lu_factor_ex", _square(_wellcond), out=True, **LINALG_TOL),
    OpRow("linalg.lu", _square(_wellcond), out=True,
          **LINALG_TOL),
    OpRow("linalg.lu_solve", _lu_solve, call=_lu_solve_call,
          **LINALG_TOL),
    OpRow("linalg.tensorinv", _tensorinv, out=True, **LINALG_TOL),
    OpRow("linalg.tensorsolve", _tensorsolve, out=True, **LINALG_TOL),
    OpRow("linalg.ldl_factor", _symmetric, out=True, grad=False, **LINALG_TOL),
    OpRow("linalg.ldl_factor_ex", _symmetric, out=True, grad=False, **LINALG_TOL),
    OpRow("linalg.ldl_solve", _ldl_solve, call=_ldl_solve_call, grad=False, **LINALG_TOL),
    OpRow("geqrf", _one(("tall", (4, 3)), ("batch", (2, 3, 3))), method=True, grad=False,
          **LINALG_TOL),
    OpRow("ormqr", _ormqr, method=True, **LINALG_TOL),
    OpRow("pinverse", _one(("tall", (3, 2)), ("batch", (2, 2, 3))), method=True, **LINALG_TOL),
    OpRow("matrix_exp", _one(("2d", (2, 2))), method=True, **LINALG_TOL),
    OpRow("svd", _one(("tall", (3, 2))), call=_svd_call, aliases=("Tensor.svd",), **LINALG_TOL),
    OpRow("qr", _one(("tall", (3, 2)), ("wide", (2, 3))), call=_qr_call, aliases=("Tensor.qr",),
          **LINALG_TOL),
    OpRow("cholesky", _square(_spd), call=lambda lib, x: lib.cholesky((x + x.mT) / 2),
          aliases=("Tensor.cholesky",), **LINALG_TOL),
    OpRow("cholesky_solve", _chol_pair, call=_chol_solve_call, aliases=("Tensor.cholesky_solve",),
          **LINALG_TOL),
    OpRow("cholesky_inverse", _square(_spd), call=_chol_inverse_call,
          aliases=("Tensor.cholesky_inverse",),
          **LINALG_TOL),
    OpRow("triangular_solve", _tri_solve, method=True,
          **LINALG_TOL),
    OpRow("lu", _square(_wellcond), method=True, **LINALG_TOL),
    OpRow("lu_solve", lambda make: [Sample("2d", (make((3, 2)), _wellcond(make, 3)))],
          call=_top_lu_solve_call, aliases=("Tensor.lu_solve",),
          **LINALG_TOL),
    OpRow("lu_unpack", _square(_wellcond), call=_lu_unpack_call, **LINALG_TOL),
    OpRow("orgqr", _householder, method=True,
          **LINALG_TOL),
]
