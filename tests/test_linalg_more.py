"""The rest of torch.linalg against torch: pinv, lstsq, rank, cond, matrix_exp, triangular and
LU solves, the *_ex forms, eig, vander, householder_product, tensorinv/tensorsolve."""
import numpy as np
import pytest

import ember
import ember.linalg
from tests.helpers import check_op, raises_like_torch, make_arrays, torch

TOL = dict(atol=1e-4, rtol=1e-3)


def _wellcond(shape, seed=0):
    a = make_arrays([shape], "float64", seed=seed)[0]
    return (a + 3 * np.eye(shape[-1])).astype(np.float32)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2)])
def test_pinv(shape):
    check_op(lambda m, a: m.linalg.pinv(a), [shape], **TOL)


def test_pinv_tolerances_and_hermitian():
    a = np.diag([1.0, 1e-3, 0.0]).astype(np.float32)
    for kw in ({"atol": 0.01}, {"rtol": 0.01}, {"atol": 0.5, "rtol": 0.0001}, {"hermitian": True}):
        check_op(lambda m, x: m.linalg.pinv(x, **kw), arrays=[a], grad=False)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_matrix_exp(shape):
    check_op(lambda m, a: m.linalg.matrix_exp(a), [shape], **TOL)
    check_op(lambda m, a: m.linalg.matrix_exp(a * 4), [shape], dtype="float64", grad=False)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unit", [True, False])
def test_solve_triangular(upper, left, unit):
    a = _wellcond((2, 3, 3))
    b = make_arrays([(3, 2) if left else (2, 3)], seed=1)[0]
    check_op(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=upper, left=left,
                                                       unitriangular=unit), arrays=[a, b], **TOL)


def test_ex_forms_succeed_like_torch():
    a = _wellcond((2, 3, 3))
    spd = (a @ a.transpose(0, 2, 1)).astype(np.float32)
    b = make_arrays([(2, 3)], seed=2)[0]
    check_op(lambda m, x: m.linalg.inv_ex(x), arrays=[a], **TOL)
    check_op(lambda m, x, y: m.linalg.solve_ex(x, y), arrays=[a, b], **TOL)
    check_op(lambda m, x: m.linalg.cholesky_ex((x + x.mT) / 2), arrays=[spd], **TOL)
    check_op(lambda m, x: m.linalg.cholesky_ex((x + x.mT) / 2, upper=True), arrays=[spd], **TOL)


def test_ex_forms_report_failures_like_torch():
    for lib in (torch, ember):
        sing = lib.stack([lib.eye(3), lib.zeros(3, 3)])
        assert lib.linalg.inv_ex(sing).info.tolist() == [0, 1]
        assert lib.linalg.solve_ex(sing, lib.ones(2, 3)).info.tolist() == [0, 1]
        assert lib.linalg.solve_ex(sing, lib.ones(2, 3)).result.shape == (2, 3)
        notpd = lib.diag(lib.tensor([1.0, 2.0, -1.0]))
        out = lib.linalg.cholesky_ex(notpd)
        assert out.info.dtype == lib.int32 and out.info.item() == 3
    raises_like_torch(lambda lib: lib.linalg.inv_ex(lib.zeros(2, 2), check_errors=True),
                      RuntimeError, "linalg.inv_ex")
    raises_like_torch(lambda lib: lib.linalg.cholesky_ex(-lib.eye(2), check_errors=True),
                      RuntimeError, "linalg.cholesky_ex")
    with pytest.raises(ember.linalg.LinAlgError):
        ember.linalg.inv_ex(ember.zeros(2, 2), check_errors=True)


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", 1, -1, float("inf"), float("-inf")])
def test_cond(p):
    # torch's own backward fails for the norm-based orders (it changes inv_ex's output in place)
    check_op(lambda m, a: m.linalg.cond(a, p), arrays=[_wellcond((2, 3, 3))],
             grad=p in (None, 2, -2), **TOL)


def test_cond_rectangular_spectral():
    check_op(lambda m, a: m.linalg.cond(a), [(4, 2)], **TOL)


def test_matrix_rank():
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]], dtype=np.float32)
    batch = np.stack([a, np.eye(3, dtype=np.float32), np.zeros((3, 3), np.float32)])
    for kw in ({}, {"atol": 1.5}, {"rtol": 0.5}, {"hermitian": True}):
        check_op(lambda m, x: m.linalg.matrix_rank(x, **kw), arrays=[batch], grad=False)
    check_op(lambda m, x: m.linalg.matrix_rank(x), arrays=[a[:2]], grad=False)


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
def test_lstsq(driver):
    # singular_values carry no gradient in torch, so finite differences skip them
    check_op(lambda m, a, b: m.linalg.lstsq(a, b, driver=driver), [(2, 5, 3), (2, 5, 2)],
             gradcheck=False, **TOL)
    check_op(lambda m, a, b: m.linalg.lstsq(a, b, driver=driver)[:2], [(2, 5, 3), (2, 5, 2)],
             dtype="float64", **TOL)


def test_lstsq_vector_and_wide():
    check_op(lambda m, a, b: m.linalg.lstsq(a, b).solution, [(4, 2), (4,)], **TOL)
    check_op(lambda m, a, b: m.linalg.lstsq(a, b, driver="gelsd")[:3], [(2, 4), (2, 3)], **TOL)
    for lib in (torch, ember):
        res = lib.linalg.lstsq(lib.ones(3, 2), lib.ones(3, 1), driver="gelsd")
        assert type(res).__name__ == "linalg_lstsq" and len(res) == 4
        assert res.residuals.shape == (0,) and res.rank.item() == 1
        assert res.singular_values.shape == (2,)


def _eig_call(lib, a):
    w, v = lib.linalg.eig(a)
    # fix each eigenvector's phase by its first entry
    ph = v[..., :1, :] / v[..., :1, :].abs()
    return w, v / ph


def test_eig_and_eigvals():
    check_op(_eig_call, arrays=[np.array([[2.0, 1.0], [0.5, 3.0]], np.float32)], **TOL)
    check_op(_eig_call, [(2, 3, 3)], dtype="float64", grad=False)
    check_op(lambda m, a: m.linalg.eigvals(a), arrays=[_wellcond((2, 3, 3))], grad=False, **TOL)
    rot = np.array([[0.0, -1.0], [1.0, 0.0]], np.float32)
    check_op(lambda m, a: m.linalg.eigvals(a).abs(), arrays=[rot], **TOL)


def test_eigvals_gradient_real_spectrum():
    sym = np.array([[2.0, 1.0, 0.0], [0.3, 1.0, 0.5], [0.0, 0.2, -1.0]])
    check_op(lambda m, a: m.linalg.eigvals(a).real, arrays=[sym], **TOL)


def test_vander_diagonal():
    check_op(lambda m, x: m.linalg.vander(x), [(2, 3)])
    check_op(lambda m, x: m.linalg.vander(x, N=4), [(3,)])
    check_op(lambda m, x: m.linalg.vander(x), [(3,)], dtype="int64", low=-3, high=3)
    check_op(lambda m, x: m.linalg.diagonal(x, offset=1), [(2, 3, 4)])
    check_op(lambda m, x: m.linalg.diagonal(x, dim1=0, dim2=2), [(3, 2, 3)])


def test_householder_product():
    check_op(lambda m, a, t: m.linalg.householder_product(a, t), [(4, 3), (2,)], **TOL)
    check_op(lambda m, a, t: m.linalg.householder_product(a, t), [(2, 3, 3), (2, 3)], **TOL)
    a = make_arrays([(4, 3)], "float64")[0]
    for lib in (torch, ember):  # Q from geqrf's reflectors
        q_t, tau_t = torch.geqrf(torch.from_numpy(a))
        q = lib.linalg.householder_product(lib.from_numpy(q_t.numpy()), lib.from_numpy(tau_t.numpy()))
        assert np.allclose(np.abs(q.numpy()), np.abs(np.linalg.qr(a)[0]))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (4, 2), (2, 4)])
def test_lu_factor_and_lu(shape):
    check_op(lambda m, a: m.linalg.lu_factor(a), [shape], grad=shape[-1] == shape[-2], **TOL)
    check_op(lambda m, a: m.linalg.lu(a), [shape], grad=shape[-1] == shape[-2], **TOL)
    check_op(lambda m, a: m.linalg.lu_factor_ex(a), [shape], grad=False)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve(left, adjoint):
    def call(lib, a, b):
        lu, piv = lib.linalg.lu_factor(a)
        return lib.linalg.lu_solve(lu, piv, b, left=left, adjoint=adjoint)
    check_op(call, arrays=[_wellcond((2, 3, 3)), make_arrays([(3, 3)], seed=3)[0]], **TOL)


def test_tensorinv_tensorsolve():
    a = _wellcond((6, 6)).reshape(6, 2, 3)
    check_op(lambda m, x: m.linalg.tensorinv(x, ind=1), arrays=[a], **TOL)
    check_op(lambda m, x, b: m.linalg.tensorsolve(x, b), arrays=[a, make_arrays([(6,)])[0]], **TOL)
    check_op(lambda m, x, b: m.linalg.tensorsolve(x, b, dims=(0,)),
             arrays=[a.transpose(1, 0, 2).copy(), make_arrays([(6,)])[0]], grad=False, **TOL)


ERRORS = [
    (lambda lib: lib.linalg.pinv(lib.ones(3)), RuntimeError, r"linalg.pinv\(Float\{\[3\]\}\)"),
    (lambda lib: lib.linalg.pinv(lib.ones(2, 2, dtype=lib.int64)), RuntimeError, "Long"),
    (lambda lib: lib.linalg.matrix_exp(lib.ones(2, 3)), RuntimeError, "2 by 3 matrices"),
    (lambda lib: lib.linalg.matrix_exp(lib.ones(2, 2, dtype=lib.int64)), RuntimeError, "Got Long"),
    (lambda lib: lib.linalg.solve_triangular(lib.ones(3, 3), lib.ones(2, 3), upper=True),
     RuntimeError, r"AX = B \(3x3 and 2x3\)"),
    (lambda lib: lib.linalg.solve_triangular(lib.ones(3, 3), lib.ones(3), upper=True),
     RuntimeError, "B must have at least 2 dimensions"),
    (lambda lib: lib.linalg.cond(lib.ones(3)), RuntimeError, "at least 2 dimensions"),
    (lambda lib: lib.linalg.cond(lib.ones(2, 3), "fro"), RuntimeError, "2 by 3 matrices"),
    (lambda lib: lib.linalg.matrix_rank(lib.ones(3)), RuntimeError, "at least 2 dimensions"),
    (lambda lib: lib.linalg.vander(lib.ones(3), N=1), RuntimeError, "N must be greater than 1"),
    (lambda lib: lib.linalg.lstsq(lib.ones(3, 2), lib.ones(2, 1)), RuntimeError,
     r"input.size\(-2\) should match other.size\(-2\)"),
    (lambda lib: lib.linalg.lstsq(lib.ones(3, 2), lib.ones(3, 1), driver="foo"), RuntimeError,
     "driver` should be one of"),
    (lambda lib: lib.linalg.lu_factor(lib.zeros(2, 2)), RuntimeError, r"U\[1,1\] is zero"),
    (lambda lib: lib.linalg.householder_product(lib.ones(2, 3), lib.ones(2)), RuntimeError,
     "greater than or equal"),
    (lambda lib: lib.linalg.tensorinv(lib.ones(2, 3), ind=1), RuntimeError, "prod"),
    (lambda lib: lib.linalg.eig(lib.ones(2, 3)), RuntimeError, "2 by 3 matrices"),
]


@pytest.mark.parametrize("call, exc, match", ERRORS)
def test_errors_like_torch(call, exc, match):
    raises_like_torch(call, exc, match)


def test_namespace_is_torchs():
    def public(mod):
        return {n for n in dir(mod) if not n.startswith("_")}
    assert public(ember.linalg) == public(torch.linalg)
    assert set(ember.linalg.common_notes) == set(torch.linalg.common_notes)


def _spd(shape, seed=0):
    a = make_arrays([shape], "float64", seed=seed)[0]
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(np.float32)


def test_top_level_forms():
    a, b = _wellcond((2, 3, 3)), make_arrays([(2, 3, 2)], seed=4)[0]
    check_op(lambda m, x: m.pinverse(x), [(3, 2)], **TOL)
    check_op(lambda m, x: x.pinverse(rcond=0.1), [(3, 2)], **TOL)
    check_op(lambda m, x: m.matrix_exp(x), [(3, 3)], **TOL)
    check_op(lambda m, x: m.cholesky((x + x.mT) / 2, upper=True), arrays=[_spd((3, 3))], **TOL)
    check_op(lambda m, x: x.qr()[1].abs(), [(4, 3)], **TOL)
    check_op(lambda m, x: m.svd(x, compute_uv=False), [(4, 3)], grad=False, **TOL)
    check_op(lambda m, x: m.svd(x)[1], [(4, 3)], **TOL)
    for upper in (True, False):
        def chol_solve(lib, bb, x):
            f = lib.linalg.cholesky((x + x.mT) / 2, upper=upper)
            return lib.cholesky_solve(bb, f, upper=upper), lib.cholesky_inverse(f, upper=upper)
        check_op(chol_solve, arrays=[b, _spd((2, 3, 3))], **TOL)
    for kw in ({}, {"upper": False, "transpose": True, "unitriangular": True}):
        check_op(lambda m, bb, x: m.triangular_solve(bb, x, **kw), arrays=[b, a], **TOL)

    def lu_forms(lib, x, bb):
        lu, piv = lib.lu(x)
        return lib.lu_solve(bb, lu, piv), lib.lu_unpack(lu, piv), lib.lu(x, get_infos=True)[2]
    check_op(lu_forms, arrays=[a, b], **TOL)
    check_op(lambda m, x: m.vander(x), [(3,)], grad=False)  # torch's own backward fails here
    check_op(lambda m, x: m.vander(x, N=4, increasing=True), [(3,)], dtype="int64")
    check_op(lambda m, x, t: m.orgqr(x, t), [(3, 2), (2,)], **TOL)


def test_top_level_svd_shapes_like_torch():
    for lib in (torch, ember):
        u, s, v = lib.svd(lib.ones(4, 3), some=False)
        assert (tuple(u.shape), tuple(s.shape), tuple(v.shape)) == ((4, 4), (3,), (3, 3))
        u, s, v = lib.svd(lib.ones(4, 3), compute_uv=False)
        assert tuple(u.shape) == (4, 4) and not u.abs().sum().item()


def _svd_fixed(lib, a, **kw):
    """svd with signs fixed by U's first row, so gradients compare."""
    u, s, vh = lib.linalg.svd(a, **kw)
    sign = u[..., :1, :].sign()
    return u * sign, s, vh * sign.mT


def _qr_fixed(lib, a, **kw):
    q, r = lib.linalg.qr(a, **kw)
    sign = r.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-1)
    return q * sign.mT, r * sign


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2)])
def test_svd_gradients(shape):
    check_op(lambda m, a: _svd_fixed(m, a, full_matrices=False), [shape], **TOL)
    check_op(lambda m, a: m.linalg.svd(a)[1], [shape], **TOL)
    check_op(lambda m, a: _svd_full_leading(m, a, min(shape[-2:])), [shape], **TOL)


def _svd_full_leading(lib, a, k):
    """full_matrices=True: the leading k columns of U (scaled by S) and rows of Vh."""
    u, s, vh = lib.linalg.svd(a)
    sign = u[..., :1, :k].sign()
    return u[..., :, :k] * sign * s.unsqueeze(-2), vh[..., :k, :] * sign.mT


@pytest.mark.parametrize("shape, mode", [((3, 3), "reduced"), ((4, 2), "reduced"),
                                         ((2, 3, 3), "complete"), ((2, 4, 3), "reduced"),
                                         ((2, 3, 5), "reduced"), ((3, 5), "complete")])
def test_qr_gradients(shape, mode):
    check_op(lambda m, a: _qr_fixed(m, a, mode=mode), [shape], **TOL)
    check_op(lambda m, a: m.linalg.qr(a, mode=mode)[1].abs(), [shape], **TOL)


def test_qr_gradients_torch_refuses():
    raises_like_torch(lambda lib: lib.linalg.qr(lib.ones(2, 3, requires_grad=True) * 1,
                                                mode="r").R.sum().backward(),
                      RuntimeError, "mode='r'")
    raises_like_torch(lambda lib: lib.linalg.qr(lib.rand(4, 3, requires_grad=True),
                                                mode="complete").R.sum().backward(),
                      RuntimeError, "not differentiable when mode='complete'")


def _sym_arrays(n, seed, zero_diag=False, batch=()):
    a = make_arrays([batch + (n, n)], "float64", seed=seed)[0]
    a = a + np.swapaxes(a, -1, -2)
    if zero_diag:
        a[..., np.arange(n), np.arange(n)] = 0  # forces 2 x 2 pivot blocks
    return a


@pytest.mark.parametrize("n, zero_diag, batch", [(3, False, ()), (4, True, ()), (5, True, (2,)),
                                                  (1, False, ())])
def test_ldl_factor_and_solve(n, zero_diag, batch):
    a = _sym_arrays(n, n, zero_diag, batch)
    b = make_arrays([(n, 2)], "float64", seed=9)[0]
    check_op(lambda m, x: m.linalg.ldl_factor_ex(x), arrays=[a], grad=False)
    check_op(lambda m, x: m.linalg.ldl_factor(x.float()), arrays=[a], grad=False, **TOL)

    def solve(lib, x, y):
        return lib.linalg.ldl_solve(*lib.linalg.ldl_factor(x), y)
    check_op(solve, arrays=[a, b], grad=False, atol=1e-8)


def test_ldl_errors_like_torch():
    raises_like_torch(lambda lib: lib.linalg.ldl_factor(lib.ones(2, 3)), RuntimeError,
                      "2 by 3 matrices")
    raises_like_torch(lambda lib: lib.linalg.ldl_factor(lib.ones(2, 2, dtype=lib.int64)),
                      RuntimeError, "Got Long")
    raises_like_torch(lambda lib: lib.linalg.ldl_solve(lib.eye(2), lib.ones(2, dtype=lib.int32),
                                                       lib.ones(3, 1)), RuntimeError,
                      "each A matrix is 2 by 2 but each b matrix is 3 by 1")
    raises_like_torch(lambda lib: lib.linalg.ldl_solve(lib.eye(2), lib.ones(2, dtype=lib.int32),
                                                       lib.ones(2)), IndexError, "out of range")
    for lib in (torch, ember):
        assert lib.linalg.ldl_factor_ex(lib.zeros(2, 2)).info.item() == 1


@pytest.mark.parametrize("left, transpose", [(True, False), (True, True), (False, False),
                                             (False, True)])
def test_geqrf_ormqr(left, transpose):
    check_op(lambda m, a: m.geqrf(a), [(2, 4, 3)], grad=False)
    c = make_arrays([(2, 4, 2) if left else (2, 2, 4)], seed=5)[0]

    h, tau = (t.numpy() for t in torch.geqrf(torch.from_numpy(make_arrays([(2, 4, 3)])[0])))
    check_op(lambda m, hh, tt, cc: m.ormqr(hh, tt, cc, left=left, transpose=transpose),
             arrays=[h, tau, c], gradcheck=False, **TOL)  # gradients compared with torch's
    raises_like_torch(lambda lib: lib.ormqr(*lib.geqrf(lib.ones(2, 4, 3)), lib.ones(4, 2)),
                      RuntimeError, "same number of dimensions")
    x = ember.ones(3, 2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="geqrf"):
        ember.geqrf(x)[0].sum().backward()
