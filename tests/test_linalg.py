"""Matrix products, einsum and ember.linalg against torch: values, gradients, errors."""
import math

import numpy as np
import pytest

import ember
import ember.linalg
from tests.helpers import check_op, check_raises, assert_close, grads_like_torch, make_arrays, raises_like_torch, torch

MATMUL_SHAPES = [
    [(3,), (3,)], [(3,), (3, 4)], [(2, 3), (3,)], [(2, 3), (3, 4)], [(5, 2, 3), (3, 4)],
    [(2, 3), (5, 3, 4)], [(5, 2, 3), (5, 3, 4)], [(2, 1, 2, 3), (5, 3, 4)], [(3,), (2, 3, 4)],
    [(2, 2, 3), (3,)], [(0, 3), (3, 4)], [(2, 0), (0, 4)], [(4, 1, 2, 3), (1, 3, 3, 2)],
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES)
def test_matmul(shapes):
    check_op(lambda m, a, b: m.matmul(a, b), shapes)
    check_op(lambda m, a, b: a @ b, shapes, dtype="float64")


@pytest.mark.parametrize("shapes", [[(2, 3), (3, 4)], [(5, 2, 3), (3, 4)], [(2, 3), (5, 3, 4)],
                                    [(5, 2, 3), (5, 3, 4)]])
def test_matmul_noncontiguous(shapes):
    check_op(lambda m, a, b: a @ b, shapes, noncontiguous=True)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_matmul_integer(dtype):
    check_op(lambda m, a, b: a @ b, [(5, 2, 3), (3, 4)], dtype=dtype, low=0, high=5)
    check_op(lambda m, a, b: m.mm(a, b), [(2, 3), (3, 4)], dtype=dtype, low=0, high=5)


def test_matmul_one_grad_only():
    a = ember.ones(2, 3, requires_grad=True)
    b = ember.ones(3, 4)
    y = a @ b
    y.backward(ember.ones_like(y))
    assert b.grad is None
    assert_close(a.grad, torch.full((2, 3), 4.0))


def test_rmatmul_and_python_operands():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = ember.from_numpy(a.T.copy())
    assert_close([[1.0, 2.0]] @ ember.from_numpy(a), torch.tensor([[1.0, 2.0]]) @ torch.from_numpy(a))
    assert_close(t.matmul(ember.from_numpy(a)), torch.from_numpy(a.T.copy()) @ torch.from_numpy(a))


@pytest.mark.parametrize("fn,shapes", [
    (lambda m, a, b: m.mm(a, b), [(2, 3), (3, 4)]),
    (lambda m, a, b: a.bmm(b), [(5, 2, 3), (5, 3, 4)]),
    (lambda m, a, b: m.mv(a, b), [(2, 3), (3,)]),
    (lambda m, a, b: m.dot(a, b), [(3,), (3,)]),
    (lambda m, a, b: m.vdot(a, b), [(3,), (3,)]),
    (lambda m, a, b: m.outer(a, b), [(3,), (4,)]),
    (lambda m, a, b: a.ger(b), [(3,), (4,)]),
    (lambda m, a, b: m.inner(a, b), [(2, 3), (4, 3)]),
    (lambda m, a, b: m.inner(a, b), [(3,), (2, 4, 3)]),
    (lambda m, a, b: m.inner(a, b), [(), (2, 3)]),
    (lambda m, a, b: m.kron(a, b), [(2, 3), (4, 2)]),
    (lambda m, a, b: m.kron(a, b), [(3,), (2, 2)]),
    (lambda m, a, b: m.cross(a, b, dim=1), [(2, 3), (2, 3)]),
    (lambda m, a, b: m.linalg.cross(a, b), [(4, 1, 3), (1, 2, 3)]),
    (lambda m, a, b: m.tensordot(a, b, dims=1), [(2, 3), (3, 4)]),
    (lambda m, a, b: m.tensordot(a, b), [(2, 3, 4), (3, 4, 5)]),
    (lambda m, a, b: m.tensordot(a, b, dims=([1, 0], [0, 1])), [(2, 3, 4), (3, 2, 5)]),
    (lambda m, a, b: m.tensordot(a, b, dims=0), [(2,), (3,)]),
    (lambda m, a, b: m.linalg.vecdot(a, b), [(2, 3), (3,)]),
    (lambda m, a, b: m.linalg.vecdot(a, b, dim=0), [(3, 2), (3, 1)]),
])
def test_products(fn, shapes):
    check_op(fn, shapes)


@pytest.mark.parametrize("fn,shapes", [
    (lambda m, a, b: m.mm(a, b), [(2, 3), (3, 4)]),
    (lambda m, a, b: m.mv(a, b), [(2, 3), (3,)]),
    (lambda m, a, b: m.dot(a, b), [(3,), (3,)]),
    (lambda m, a, b: m.outer(a, b), [(3,), (4,)]),
    (lambda m, a, b: m.kron(a, b), [(2, 3), (2,)]),
    (lambda m, a, b: m.inner(a, b), [(2, 3), (4, 3)]),
    (lambda m, a, b: m.tensordot(a, b, dims=1), [(2, 3), (3, 4)]),
    (lambda m, a: m.trace(a), [(3, 4)]),
])
def test_products_int64(fn, shapes):
    check_op(fn, shapes, dtype="int64", low=-3, high=4)


def test_mixed_dtype_promotion_where_torch_promotes():
    for fn in (lambda m, a, b: m.outer(a, b.double()), lambda m, a, b: m.kron(a, b.long())):
        check_op(fn, [(3,), (2,)], grad=False)


@pytest.mark.parametrize("fn,shapes", [
    (lambda m, c, a, b: m.addmm(c, a, b), [(2, 4), (2, 3), (3, 4)]),
    (lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2), [(4,), (2, 3), (3, 4)]),
    (lambda m, c, a, b: c.addmm(a, b, beta=0, alpha=-1), [(1, 4), (2, 3), (3, 4)]),
    (lambda m, c, a, b: m.addmv(c, a, b, beta=2, alpha=3), [(2,), (2, 3), (3,)]),
    (lambda m, c, a, b: m.addmv(c, a, b), [(), (2, 3), (3,)]),
    (lambda m, c, a, b: m.baddbmm(c, a, b, beta=0.5), [(5, 2, 4), (5, 2, 3), (5, 3, 4)]),
    (lambda m, c, a, b: m.baddbmm(c, a, b, alpha=2), [(2, 4), (5, 2, 3), (5, 3, 4)]),
    (lambda m, c, a, b: m.addbmm(c, a, b, beta=0.5, alpha=2), [(2, 4), (5, 2, 3), (5, 3, 4)]),
    (lambda m, c, a, b: m.addbmm(c, a, b), [(4,), (5, 2, 3), (5, 3, 4)]),
    (lambda m, c, a, b: m.addr(c, a, b, beta=2, alpha=0.5), [(2, 3), (2,), (3,)]),
])
def test_add_products(fn, shapes):
    check_op(fn, shapes)


def test_beta_zero_ignores_nan_input():
    c = np.full((2, 2), np.nan, np.float32)
    a = np.eye(2, dtype=np.float32)
    for name in ("addmm", "addbmm"):
        x, y = (a, a) if name == "addmm" else (a[None], a[None])
        e = getattr(ember, name)(ember.from_numpy(c), ember.from_numpy(x), ember.from_numpy(y), beta=0)
        t = getattr(torch, name)(torch.from_numpy(c), torch.from_numpy(x), torch.from_numpy(y), beta=0)
        assert_close(e, t)


@pytest.mark.parametrize("name,shapes", [("addmm_", [(2, 4), (2, 3), (3, 4)]),
                                         ("addmv_", [(2,), (2, 3), (3,)]),
                                         ("baddbmm_", [(5, 2, 4), (5, 2, 3), (5, 3, 4)])])
def test_inplace_add_products(name, shapes):
    def fn(m, c, a, b):
        c = c * 1
        getattr(c, name)(a, b, beta=0.5, alpha=2)
        return c
    check_op(fn, shapes)


EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iij->j", [(3, 3, 2)]),
    ("ij->", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (5, 3, 4)]),
    ("...ij->...", [(2, 3, 4)]),
    ("b...,b...->b", [(2, 3, 4), (2, 3, 4)]),
    ("ij,ij->ij", [(2, 1), (1, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,ik,il->jkl", [(2, 3), (2, 4), (2, 2)]),
    ("i,jk->ijk", [(2,), (3, 1)]),
    ("ij,ji->", [(3, 3), (3, 3)]),
    ("ba,dc", [(2, 3), (4, 5)]),
    ("ij, jk -> ik", [(2, 3), (3, 4)]),
]


@pytest.mark.parametrize("eq,shapes", EINSUM_CASES)
def test_einsum(eq, shapes):
    check_op(lambda m, *xs: m.einsum(eq, *xs), shapes)


def test_einsum_forms():
    check_op(lambda m, a, b: m.einsum("ij,jk", [a, b]), [(2, 3), (3, 4)])
    check_op(lambda m, a, b: m.einsum(a, [0, 1], b, [1, 2], [0, 2]), [(2, 3), (3, 4)])
    check_op(lambda m, a, b: m.einsum(a, [Ellipsis, 0], b, [Ellipsis, 0]), [(2, 3), (2, 3)])
    check_op(lambda m, a, b: m.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)], noncontiguous=True)
    check_op(lambda m, a, b: m.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)], dtype="int64")


_MIXED = {"f32": np.float32, "f64": np.float64, "i64": np.int64, "i32": np.int32, "bool": np.bool_}


@pytest.mark.parametrize("eq,dtypes", [
    ("ij,j->j", "f32 i64"), ("ij,j->ij", "f32 i64"), ("j,ij->j", "i64 f32"), ("i,j->ij", "f32 i64"),
    ("ij,ij,j->ij", "f32 bool f64"), ("ij,j,j->i", "f32 f64 f64"), ("ij,j,j->ij", "f32 i64 f64"),
    ("ij,j->j", "bool bool"), ("ij->j", "bool"), ("ij->i", "i32"), ("ij,j->ij", "bool i64"),
    ("ij,ij->", "f64 f64"), ("ij,j->ij", "f64 f32"),
])
def test_einsum_mixed_dtypes_promote_like_torch(eq, dtypes):
    """torch multiplies (and promotes) where nothing is contracted, and sums a label held by
    one side alone (bools and ints to int64); gradients come back in each input's dtype."""
    rng = np.random.default_rng(0)
    shapes = {"ij": (2, 3), "j": (3,), "i": (2,)}
    arrays = [rng.uniform(-2, 2, shapes[s]).astype(_MIXED[d]) if _MIXED[d] != np.bool_ else
              rng.random(shapes[s]) > 0.5 for s, d in zip(eq.split("->")[0].split(","), dtypes.split())]
    check_op(lambda m, *xs: m.einsum(eq, *xs), arrays=arrays, gradcheck=False)


@pytest.mark.parametrize("eq,dtypes,exc,match", [
    ("ij,j->i", "f32 i64", RuntimeError, "expected scalar type Float but found Long"),
    ("ij,j->", "f32 i64", RuntimeError, "expected scalar type Float but found Long"),
    ("ij,ij,j->j", "f32 bool i64", RuntimeError, "expected scalar type Float but found Bool"),
    ("ij,j->i", "bool bool", NotImplementedError, "\"bmm\" not implemented for 'Bool'"),
])
def test_einsum_mixed_dtype_contraction_errors_like_torch(eq, dtypes, exc, match):
    shapes = {"ij": (2, 3), "j": (3,)}
    names = {"f32": "float32", "i64": "int64", "bool": "bool"}

    def call(lib):
        ops = [lib.ones(shapes[s], dtype=getattr(lib, names[d]))
               for s, d in zip(eq.split("->")[0].split(","), dtypes.split())]
        return lib.einsum(eq, *ops)
    raises_like_torch(call, exc, match)


def test_einsum_diagonal_is_a_copy():
    x = ember.eye(3)
    d = ember.einsum("ii->i", x)
    d.add_(1.0)
    assert_close(x, torch.eye(3))


def test_cross_default_dim_warns_and_picks_first_size_3_dim():
    with pytest.warns(UserWarning, match="dim"):
        check_op(lambda m, a, b: m.cross(a, b), [(2, 3, 3), (2, 3, 3)])


@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (1, 1), (0, 2)])
def test_trace(shape):
    check_op(lambda m, a: m.trace(a), [shape])
    check_op(lambda m, a: a.trace(), [shape], dtype="int32", low=-3, high=3)


# -- ember.linalg ---------------------------------------------------------------
def _spd(n, batch=(), seed=0):
    a = np.random.default_rng(seed).standard_normal(batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(np.float32)


def _wellcond(shape, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return (a + 3 * np.eye(shape[-1])).astype(np.float32)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_inv_det_slogdet(shape):
    A = [_wellcond(shape)]
    check_op(lambda m, a: m.linalg.inv(a), arrays=A, atol=1e-4)
    check_op(lambda m, a: m.inverse(a), arrays=A, atol=1e-4)
    check_op(lambda m, a: m.linalg.det(a), arrays=A, atol=1e-4, rtol=1e-3)
    check_op(lambda m, a: a.det(), arrays=A, atol=1e-4, rtol=1e-3)
    check_op(lambda m, a: m.linalg.slogdet(a).logabsdet, arrays=A, atol=1e-4)
    check_op(lambda m, a: m.linalg.slogdet(a)[0], arrays=A, grad=False)
    check_op(lambda m, a: m.logdet(a), arrays=[_spd(shape[-1], shape[:-2])], atol=1e-4)


def test_det_of_singular_matrix_has_the_cofactor_gradient():
    """torch returns a zero gradient at a singular matrix; ember returns the true derivative
    (the cofactor matrix), which finite differences confirm."""
    a = ember.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=ember.float64, requires_grad=True)
    d = ember.linalg.det(a)
    d.backward()
    np.testing.assert_allclose(a.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    rank2 = ember.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dtype=ember.float64)
    assert ember.autograd.gradcheck(ember.linalg.det, (rank2.requires_grad_(),))
    check_op(lambda m, x: m.det(x), arrays=[np.zeros((3, 3), np.float64)], gradcheck=False)


def test_logdet_negative_is_nan():
    assert_close(ember.logdet(ember.tensor([[0.0, 1.0], [1.0, 0.0]])),
                 torch.logdet(torch.tensor([[0.0, 1.0], [1.0, 0.0]])))


@pytest.mark.parametrize("ashape,bshape", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3)),
                                           ((2, 3, 3), (3, 2)), ((2, 3, 3), (4, 1, 3, 2)),
                                           ((3, 3), (2, 3, 1))])
def test_solve(ashape, bshape):
    A = _wellcond(ashape)
    B = make_arrays([bshape], seed=3)[0]
    check_op(lambda m, a, b: m.linalg.solve(a, b), arrays=[A, B], atol=1e-4)


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_cholesky(upper, batch):
    check_op(lambda m, a: m.linalg.cholesky(a, upper=upper), arrays=[_spd(3, batch)], atol=1e-4,
             gradcheck=False)


def test_eigh_and_svdvals():
    A = _spd(4, (2,))
    check_op(lambda m, a: m.linalg.eigvalsh(a), arrays=[A], atol=1e-4, gradcheck=False)
    check_op(lambda m, a: m.linalg.eigh(a)[0], arrays=[A], atol=1e-4, gradcheck=False)
    # eigenvectors are defined up to sign: compare a sign-invariant function of them
    def squared_vectors(m, a):
        v = m.linalg.eigh(a).eigenvectors
        return v * v
    check_op(squared_vectors, arrays=[A], atol=1e-4, gradcheck=False)
    check_op(lambda m, a: m.linalg.svdvals(a), [(2, 4, 3)], atol=1e-4, gradcheck=False)


def test_svd_qr_values():
    a = make_arrays([(4, 3)])[0]
    for full in (True, False):
        U, S, Vh = ember.linalg.svd(ember.from_numpy(a), full_matrices=full)
        tU, tS, tVh = torch.linalg.svd(torch.from_numpy(a), full_matrices=full)
        assert U.shape == tuple(tU.shape) and Vh.shape == tuple(tVh.shape)
        k = S.shape[0]
        rec = (U.numpy()[:, :k] * S.numpy()) @ Vh.numpy()[:k]
        np.testing.assert_allclose(rec, a, atol=1e-5)
        assert_close(S, tS)
    Q, R = ember.linalg.qr(ember.from_numpy(a))
    np.testing.assert_allclose(Q.numpy() @ R.numpy(), a, atol=1e-5)
    assert tuple(Q.shape) == (4, 3) and tuple(R.shape) == (3, 3)


VECTOR_NORMS = [(2, None, False), (1, 1, False), (3, (0, 1), True), (math.inf, -1, False),
                (-math.inf, None, False), (0, 0, True), (0.5, 1, False), (-1, 0, False)]


@pytest.mark.parametrize("ord,dim,keepdim", VECTOR_NORMS)
def test_vector_norm(ord, dim, keepdim):
    check_op(lambda m, a: m.linalg.vector_norm(a, ord, dim, keepdim), [(3, 4)], low=0.5, high=2,
             positive=True)


def test_vector_norm_zero_and_ties():
    for ord in (2, 3, math.inf, 1):
        check_op(lambda m, a: m.linalg.vector_norm(a, ord), arrays=[np.zeros(3, np.float32)],
                 gradcheck=False)
    check_op(lambda m, a: m.linalg.vector_norm(a, math.inf),
             arrays=[np.array([3.0, -3.0, 1.0], np.float32)], gradcheck=False)
    check_op(lambda m, a: m.linalg.vector_norm(a, dtype=m.float64), [(3,)])


@pytest.mark.parametrize("ord", ["fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf])
@pytest.mark.parametrize("dim,keepdim", [((-2, -1), False), ((0, 2), True), ((2, 0), False)])
def test_matrix_norm(ord, dim, keepdim):
    check_op(lambda m, a: m.linalg.matrix_norm(a, ord, dim, keepdim), [(3, 2, 4)], atol=1e-4)


@pytest.mark.parametrize("fn", [
    lambda m, a: m.linalg.norm(a), lambda m, a: m.linalg.norm(a, 1, dim=0),
    lambda m, a: m.linalg.norm(a, "nuc"), lambda m, a: m.linalg.norm(a, 2),
lambda m, a: m.norm(a), lambda m, a: a.norm(p=3),
    lambda m, a: a.norm(dim=1, keepdim=True), lambda m, a: m.norm(a, p="nuc"),
    lambda m, a: m.norm(a, p="fro", dim=(0, 1)), lambda m, a: m.norm(a, 1, 1),
])
def test_norm(fn):
    check_op(fn, [(3, 4)], atol=1e-4)


def test_vector_input_norm():
    check_op(lambda m, a: m.linalg.norm(a, 3), [(4,)])
    check_op(lambda m, a: m.linalg.norm(a, -math.inf), [(4,)])


def test_multi_dot_matrix_power():
    check_op(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), [(3,), (3, 4), (4,)])
    check_op(lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), [(2, 3), (3, 4), (4, 2)])
    A = _wellcond((2, 3, 3))
    for n in (0, 1, 3, -2):
        check_op(lambda m, a: m.linalg.matrix_power(a, n), arrays=[A], atol=1e-3, rtol=1e-3)


def test_singular_raises_linalg_error():
    with pytest.raises(ember.linalg.LinAlgError, match="singular"):
        ember.linalg.inv(ember.zeros(3, 3))
    with pytest.raises(RuntimeError, match="positive-definite"):
        ember.linalg.cholesky(-ember.eye(3))
    with pytest.raises(RuntimeError, match="singular"):
        ember.linalg.solve(ember.zeros(2, 2), ember.ones(2))


# -- errors ---------------------------------------------------------------------------
def _z(*shape, dtype=None):
    return ember.zeros(*shape, dtype=dtype)


ERRORS = [
    (lambda: _z(64, 1600) @ _z(9216, 128), RuntimeError,
     r"mat1 and mat2 shapes cannot be multiplied \(64x1600 and 9216x128\)"),
    (lambda: ember.mm(_z(64, 1600), _z(9216, 128)), RuntimeError, r"cannot be multiplied \(64x1600"),
    (lambda: _z(5, 64, 16) @ _z(9, 12), RuntimeError, r"cannot be multiplied \(5x64x16 and 9x12\)"),
    (lambda: _z(5, 2, 3) @ _z(5, 4, 6), RuntimeError, r"size mismatch.*\[5, 2, 3\] and \[5, 4, 6\]"),
    (lambda: _z(5, 2, 3) @ _z(4, 3, 6), RuntimeError, r"size of tensor a \(5\) must match .* \(4\)"),
    (lambda: _z(3) @ _z(4), RuntimeError, r"inconsistent tensor size, expected tensor \[3\] and src \[4\]"),
    (lambda: _z(2, 3) @ _z(4), RuntimeError, r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
    (lambda: _z(()) @ _z(4), RuntimeError, "at least 1D, but they are 0D and 1D"),
    (lambda: _z(2, 3) @ _z(3, 4, dtype=ember.float64), RuntimeError,
     "expected m1 and m2 to have the same dtype, but got: float32 != float64"),
    (lambda: _z(2, 3, dtype=ember.bool) @ _z(3, 4, dtype=ember.bool), NotImplementedError, "Bool"),
    (lambda: ember.mm(_z(3), _z(3, 3)), RuntimeError, "self must be a matrix"),
    (lambda: ember.bmm(_z(3, 4), _z(3, 4, 6)), RuntimeError, "batch1 must be a 3D tensor"),
    (lambda: ember.bmm(_z(2, 3, 4), _z(3, 4, 6)), RuntimeError, r"batch2 tensor to be: \[2, 4\] but got: \[3, 4\]"),
    (lambda: ember.bmm(_z(2, 3, 4), _z(2, 4, 6, dtype=ember.float64)), RuntimeError,
     "expected scalar type Float but found Double"),
    (lambda: ember.mv(_z(2, 3), _z(4)), RuntimeError, r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
    (lambda: ember.mv(_z(3), _z(3)), RuntimeError, "expected a matrix and a vector"),
    (lambda: ember.dot(_z(3), _z(3, dtype=ember.float64)), RuntimeError,
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    (lambda: ember.dot(_z(3, 1), _z(3)), RuntimeError, "1D tensors expected, but got 2D and 1D"),
    (lambda: ember.outer(_z(3, 2), _z(4)), RuntimeError, "outer: Expected 1-D argument self, but got 2-D"),
    (lambda: ember.addmm(_z(3), _z(2, 3), _z(3, 4)), RuntimeError, r"\[3\] does not broadcast .* \[2, 4\]"),
    (lambda: ember.addmm(_z(4, dtype=ember.float64), _z(2, 3), _z(3, 4)), RuntimeError,
     "must have the same dtype, but got Double and Float"),
    (lambda: ember.addbmm(_z(2, 4), _z(5, 2, 3), _z(4, 3, 4)), RuntimeError, r"\[5, 3\] but got: \[4, 3\]"),
    (lambda: ember.einsum("ij,jk", _z(2, 3), _z(4, 4)), RuntimeError,
     "subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"),
    (lambda: ember.einsum("ij,jk", _z(2, 3)), RuntimeError, "fewer operands were provided"),
    (lambda: ember.einsum("ij", _z(2, 3), _z(2)), RuntimeError, "more operands were provided"),
    (lambda: ember.einsum("ijk,jk", _z(2, 3), _z(3, 4)), RuntimeError,
     r"number of subscripts in the equation \(3\) does not match the number of dimensions \(2\) for operand 0"),
    (lambda: ember.einsum("ij->k", _z(2, 3)), RuntimeError, "output subscript k does not appear"),
    (lambda: ember.einsum("ii->i", _z(2, 1)), RuntimeError, "subscript i is repeated for operand 0 but the sizes don't match, 2 != 1"),
    (lambda: ember.einsum("ij,jk", _z(2, 3), _z(3, 4, dtype=ember.float64)), RuntimeError,
     "expected scalar type Float but found Double"),
    (lambda: ember.tensordot(_z(2, 3), _z(4, 4), dims=1), RuntimeError,
     "contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0"),
    (lambda: ember.tensordot(_z(2, 3), _z(3, 4, dtype=ember.float64), dims=1), RuntimeError,
     "both inputs should have same dtype"),
    (lambda: ember.inner(_z(2, 3), _z(4, 4)), RuntimeError, r"last dimension must match .* \[2, 3\] and \[4, 4\]"),
    (lambda: ember.cross(_z(2, 4), _z(2, 4)), RuntimeError, "no dimension of size 3"),
    (lambda: ember.linalg.cross(_z(2, 4), _z(2, 4)), RuntimeError, "dimension -1 must have length 3. Got 4 and 4"),
    (lambda: ember.trace(_z(2, 3, 4)), RuntimeError, "trace: expected a matrix, but got tensor with dim 3"),
    (lambda: ember.linalg.inv(_z(2, 3)), RuntimeError, "square matrices, but they are 2 by 3"),
    (lambda: ember.linalg.det(_z(3, 3, dtype=ember.long)), RuntimeError, "floating point or complex tensor as input. Got Long"),
    (lambda: ember.linalg.det(_z(3)), RuntimeError, "at least 2 dimensions"),
    (lambda: ember.linalg.solve(ember.eye(3), _z(4)), RuntimeError, r"AX = B \(3x3 and 4x1\)"),
    (lambda: ember.linalg.solve(ember.eye(3), _z(3, dtype=ember.float64)), RuntimeError,
     "A of type Float and B of type Double"),
    (lambda: ember.linalg.norm(_z(3, 3, 3), ord=2), RuntimeError, "must be 1D or 2D. Got 3D"),
    (lambda: ember.linalg.vector_norm(_z(3, dtype=ember.long)), RuntimeError, "Got Long"),
    (lambda: ember.linalg.vector_norm(_z(0, 3), ord=math.inf), RuntimeError, "inf norm on an empty tensor"),
    (lambda: ember.linalg.vector_norm(_z(3, dtype=ember.float64), dtype=ember.float32), RuntimeError,
     "without narrowing"),
    (lambda: ember.linalg.matrix_norm(_z(3, 3), ord=3), RuntimeError, "Order 3 not supported"),
    (lambda: ember.linalg.matrix_norm(_z(3)), RuntimeError, "at least 2 dimensions"),
]


@pytest.mark.filterwarnings("ignore:Using cross without specifying the dim")
@pytest.mark.parametrize("fn,exc,match", ERRORS)
def test_errors(fn, exc, match):
    check_raises(lambda m: fn(), exc, match)


def test_error_types_match_torch():
    """The exception type ember raises is the one torch raises for the same call."""
    cases = [lambda m: m.zeros(2, 3) @ m.zeros(4, 5), lambda m: m.bmm(m.zeros(3, 4), m.zeros(3, 4, 6)),
             lambda m: m.einsum("ij,jk", m.zeros(2, 3), m.zeros(4, 4)),
             lambda m: m.zeros(2, 3, dtype=m.bool) @ m.zeros(3, 4, dtype=m.bool),
             lambda m: m.linalg.inv(m.zeros(3, 3))]
    for fn in cases:
        with pytest.raises(Exception) as te:
            fn(torch)
        with pytest.raises(Exception) as ee:
            fn(ember)
        assert isinstance(ee.value, RuntimeError) == isinstance(te.value, RuntimeError)
        assert isinstance(ee.value, NotImplementedError) == isinstance(te.value, NotImplementedError)


def test_matmul_version_check():
    a = ember.ones(2, 3, requires_grad=True)
    b = ember.ones(3, 4)
    y = a @ b
    b.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward(ember.ones_like(y))
    # only a is saved when only b needs a gradient, so changing b is fine then
    a2 = ember.ones(2, 3)
    b2 = ember.ones(3, 4, requires_grad=True)
    y2 = a2 @ b2
    with ember.no_grad():
        b2.add_(1.0)
    y2.backward(ember.ones_like(y2))
    assert_close(b2.grad, torch.full((3, 4), 2.0))


@pytest.mark.parametrize("a", [np.float32(1.5), np.zeros(3, np.float32),
                               np.array([1.0, -1.0, 0.5], np.float32),
                               np.array([np.nan, 1.0], np.float32)], ids=lambda a: str(a))
@pytest.mark.parametrize("fn", [
    lambda m, x: m.linalg.norm(x), lambda m, x: m.linalg.vector_norm(x, math.inf),
    lambda m, x: m.linalg.vector_norm(x, -math.inf), lambda m, x: m.linalg.vector_norm(x, 1),
    lambda m, x: x.norm(3), lambda m, x: x.norm(1), lambda m, x: x.norm(math.inf),
    lambda m, x: m.linalg.matrix_norm(x.reshape(1, -1), 1),
    lambda m, x: m.linalg.matrix_norm(x.reshape(1, -1), math.inf),
    lambda m, x: m.linalg.norm(x.reshape(1, -1), -1),
], ids=["norm", "inf", "-inf", "l1", "p3", "norm_p1", "norm_inf", "matrix_1", "matrix_inf",
        "matrix_-1"])
def test_norm_grad_dtype_and_nan(fn, a):
    """float32 in, float32 gradient out; NaN elements get torch's gradient (sign 0)."""
    grads_like_torch(fn, a)


@pytest.mark.parametrize("a", [np.float32(1.5), np.array([1.0, 1.0], np.float32)])
@pytest.mark.parametrize("ord", [2, -2])
def test_spectral_norm_grad_dtype(a, ord):
    grads_like_torch(lambda m, x: m.linalg.matrix_norm(x.reshape(1, -1), ord), a)
