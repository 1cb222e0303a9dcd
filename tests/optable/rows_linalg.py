"""Rows of the linear-algebra family: products, fused multiply-adds, einsum, decompositions and
``ember.linalg``."""
import numpy as np

from .core import FLOATS, FLOAT_INT, Arg, OpRow, Sample, lookup

LINALG_TOL = dict(atol=1e-4, rtol=1e-3)


def _spd(make, n, batch=()):
    """A well-conditioned symmetric positive-definite matrix (batched)."""
    a = make(batch + (n, n)).array
    m = a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype=a.dtype)
    return Arg(m.astype(a.dtype))


def _wellcond(make, n, batch=()):
    """A square matrix far from singular."""
    a = make(batch + (n, n)).array
    return Arg((a + 3 * np.eye(n, dtype=a.dtype)).astype(a.dtype))


def pairs(*specs):
    """Samples from ``(tag, shapes, kwargs)``: one input per shape."""
    def gen(make):
        return [Sample(tag, tuple(make(s, noncontig=tag == "noncontig") for s in shapes), dict(kw))
                for tag, shapes, kw in specs]
    return gen


def product(name, gen, out=True, dtypes=FLOAT_INT, **kw):
    """A product-like op: function and (unless ``method=False``) method, ``out=``."""
    return OpRow(name, gen, method=kw.pop("method", True), out=out, dtypes=dtypes, **kw)


def _chain(make):
    return [Sample("three", (make((2, 3)), make((3, 4)), make((4, 2))))]


def _multi_dot(make):
    return [Sample("three", ([make((2, 3)), make((3, 4)), make((4, 2))],)),
            Sample("vectors", ([make((3,)), make((3, 4)), make((4,))],))]


def _einsum(make):
    return [Sample("matmul", ("ij,jk->ik", make((2, 3)), make((3, 4)))),
            Sample("batch", ("bij,bjk->bik", make((2, 2, 3)), make((2, 3, 2)))),
            Sample("trace", ("ii", make((3, 3)))),
            Sample("outer", ("i,j->ij", make((3,)), make((2,)))),
            Sample("ellipsis", ("...ij->...ji", make((2, 3, 4)))),
            Sample("list", ("ij,jk", [make((2, 3)), make((3, 2))])),
            Sample("promote", ("ij,jk->ik", make((2, 3)), make((3, 2), dtype="float64")))]


def _tensordot(make):
    return [Sample("int", (make((2, 3, 4)), make((3, 4, 2))), {"dims": 2}),
            Sample("lists", (make((2, 3)), make((3, 2))), {"dims": ([1], [0])})]


def _square(fn):
    def gen(make):
        return [Sample("2d", (fn(make, 3),)), Sample("batch", (fn(make, 2, (2,)),))]
    return gen


def _solve(make):
    return [Sample("vec", (_wellcond(make, 3), make((3,)))),
            Sample("mat", (_wellcond(make, 3), make((3, 2)))),
            Sample("batch", (_wellcond(make, 2, (2,)), make((2, 2, 1))))]


def _norm_samples(make):
    return [Sample("default", (make((3, 4)),)), Sample("vec", (make((4,)),)),
            Sample("fro_dim", (make((2, 3, 4)), "fro", (1, 2))),
            Sample("ord1_vec", (make((4,)), 1)), Sample("inf_dim", (make((3, 4)), float("inf"), 1))]


def _vector_norm(make):
    return [Sample("default", (make((3, 4)),)), Sample("ord1", (make((3, 4)), 1)),
            Sample("dim_keep", (make((3, 4)), 2), {"dim": 1, "keepdim": True}),
            Sample("inf", (make((3, 4)), float("inf"))), Sample("ord3", (make((2, 3)), 3)),
            Sample("0d", (make(()),))]


def _matrix_norm(make):
    return [Sample("fro", (make((3, 4)),)), Sample("nuc", (make((3, 3)), "nuc")),
            Sample("one", (make((2, 3, 3)), 1)), Sample("inf", (make((3, 4)), float("-inf")))]


def _cross(make):
    return [Sample("vec", (make((3,)), make((3,)))), Sample("batch", (make((2, 3)), make((1, 3)))),
            Sample("dim", (make((3, 2)), make((3, 2))), {"dim": 0})]


def _vecdot(make):
    return [Sample("2d", (make((3, 4)), make((3, 4)))), Sample("dim", (make((3, 4)), make((4,))))]


def _matrix_power(make):
    return [Sample("p3", (make((3, 3)), 3)), Sample("p0", (make((2, 2)), 0)),
            Sample("neg", (_wellcond(make, 3), -1))]


def _sym(name):
    """``linalg.<name>`` of the symmetrized input, so that finite differences (which perturb one
    entry) and gradients see the same function; eigenvector signs are fixed by the first row."""
    def call(lib, x, *args, **kwargs):
        out = lookup(lib, name)((x + x.mT) / 2, *args, **kwargs)
        if name == "linalg.eigh":
            return out[0], out[1] * out[1][..., :1, :].sign()
        return out
    return call


def _svd_call(lib, x, **kwargs):
    """``linalg.svd`` with singular-vector signs fixed by the first row of ``U``."""
    u, s, vh = lib.linalg.svd(x, **kwargs)
    sign = u[..., :1, :].sign()
    return u * sign, s, vh * sign.mT


def _qr_errors(lib):
    """torch's refusals to differentiate: mode 'r' (no Q), and 'complete' for a tall input."""
    def backward(shape, mode):
        return lambda: lib.linalg.qr(lib.ones(*shape, requires_grad=True) + lib.eye(*shape),
                                     mode=mode)[1].sum().backward()
    return [(backward((3, 4), "r"), RuntimeError), (backward((4, 3), "complete"), RuntimeError)]


def _qr_call(lib, x, **kwargs):
    """``linalg.qr`` with signs fixed so that ``R`` has a non-negative diagonal."""
    q, r = lib.linalg.qr(x, **kwargs)
    sign = r.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-1)
    return q * sign.mT, r * sign


def _int_eigh(name):
    return lambda lib: [(lambda: lookup(lib, "linalg." + name)(lib.ones(2, 2, dtype=lib.int64)),
                         NotImplementedError)]


ROWS = [
    product("matmul", pairs(("mm", ((2, 3), (3, 4)), {}), ("mv", ((2, 3), (3,)), {}),
                            ("vm", ((3,), (3, 2)), {}), ("dot", ((3,), (3,)), {}),
                            ("batch", ((2, 2, 3), (3, 4)), {}), ("bcast", ((2, 1, 2, 3), (3, 3, 2)), {}),
                            ("noncontig", ((3, 3), (3, 3)), {}), ("empty", ((2, 0), (0, 3)), {})),
            operator="__matmul__", aliases=("linalg.matmul",)),
    product("mm", pairs(("2d", ((2, 3), (3, 4)), {}), ("noncontig", ((3, 3), (3, 3)), {}))),
    product("bmm", pairs(("3d", ((2, 2, 3), (2, 3, 4)), {}))),
    product("mv", pairs(("2d", ((2, 3), (3,)), {}))),
    product("dot", pairs(("1d", ((3,), (3,)), {}))),
    product("vdot", pairs(("1d", ((3,), (3,)), {}))),
    product("inner", pairs(("1d", ((3,), (3,)), {}), ("2d", ((2, 3), (4, 3)), {}),
                           ("0d", ((), (2, 3)), {}))),
    product("outer", pairs(("1d", ((3,), (2,)), {})), aliases=("ember.ger", "Tensor.ger")),
    product("addmm", pairs(("2d", ((2, 4), (2, 3), (3, 4)), {}),
                           ("scaled", ((4,), (2, 3), (3, 4)), {"beta": 0.5, "alpha": 2.0})),
            inplace="addmm_"),
    product("addmv", pairs(("2d", ((2,), (2, 3), (3,)), {}),
                           ("scaled", ((2,), (2, 3), (3,)), {"beta": 0.0, "alpha": 2.0})),
            inplace="addmv_"),
    product("addr", pairs(("2d", ((3, 2), (3,), (2,)), {}),
                          ("scaled", ((3, 2), (3,), (2,)), {"beta": 2.0, "alpha": 0.5}))),
    product("addbmm", pairs(("3d", ((2, 2), (2, 2, 3), (2, 3, 2)), {}))),
    product("baddbmm", pairs(("3d", ((3, 2, 4), (3, 2, 3), (3, 3, 4)), {}),
                             ("scaled", ((1, 2), (2, 2, 3), (2, 3, 2)), {"beta": 0.5, "alpha": 2.0})),
            inplace="baddbmm_"),
    product("matrix_power", _matrix_power, out=False, dtypes=FLOATS,
            aliases=("linalg.matrix_power",)),
    product("chain_matmul", _chain, method=False),
    OpRow("linalg.multi_dot", _multi_dot, out=True, dtypes=FLOAT_INT),
    product("tensordot", _tensordot, method=False),
    OpRow("einsum", _einsum, dtypes=FLOAT_INT, xfail={"grad_fn": (
        "grad_fn EinsumBackward0, torch ViewBackward0: torch's last node follows its "
        "permute/bmm/sum plan for the equation (View, Sum, Permute or Mul); ember contracts in "
        "one node (issue 9 item 13)")}),
    product("kron", pairs(("2d", ((2, 2), (2, 3)), {}), ("1d", ((2,), (3,)), {}))),
    product("cross", _cross, aliases=("linalg.cross",)),
    OpRow("linalg.vecdot", _vecdot, out=True),
    product("trace", pairs(("2d", ((3, 4),), {})), out=False),
    product("det", _square(_wellcond), out=False, dtypes=FLOATS, aliases=("linalg.det",),
            **LINALG_TOL),
    product("logdet", _square(_spd), out=False, dtypes=FLOATS, **LINALG_TOL),
    product("slogdet", _square(_wellcond), out=False, dtypes=FLOATS, aliases=("linalg.slogdet",),
            **LINALG_TOL),
    product("inverse", _square(_wellcond), dtypes=FLOATS, aliases=("linalg.inv",), **LINALG_TOL),
    OpRow("linalg.solve", _solve, out=True, **LINALG_TOL),
    OpRow("linalg.cholesky", _square(_spd), call=_sym("linalg.cholesky"), **LINALG_TOL),
    OpRow("linalg.qr", lambda make: [Sample("tall", (make((4, 3)),)),
                                     Sample("complete", (make((3, 3)),), {"mode": "complete"}),
                                     Sample("wide", (make((3, 5)),)),
                                     Sample("wide_batch", (make((2, 2, 4)),)),
                                     Sample("wide_complete", (make((2, 3)),), {"mode": "complete"})],
          call=_qr_call, errors=_qr_errors, **LINALG_TOL),
    OpRow("linalg.qr", lambda make: [Sample("wide", (make((3, 4)),))], variant="r", grad=False,
          **LINALG_TOL,
          call=lambda lib, x: (lambda q, r: (q, r * r.diagonal().sign().unsqueeze(-1)))(
              *lib.linalg.qr(x, mode="r"))),
    OpRow("linalg.eigh", _square(_spd), call=_sym("linalg.eigh"), errors=_int_eigh("eigh"),
          **LINALG_TOL),
    OpRow("linalg.eigvalsh", _square(_spd), call=_sym("linalg.eigvalsh"),
          errors=_int_eigh("eigvalsh"), **LINALG_TOL),
    OpRow("linalg.svd", lambda make: [Sample("thin", (make((4, 3)),), {"full_matrices": False})],
          call=_svd_call, gradcheck=False, **LINALG_TOL),
    OpRow("linalg.svdvals", lambda make: [Sample("2d", (make((4, 3)),)),
                                          Sample("batch", (make((2, 3, 2)),))],
          out=True, **LINALG_TOL),
    OpRow("linalg.norm", _norm_samples, out=True, **LINALG_TOL),
    OpRow("linalg.vector_norm", _vector_norm, out=True, **LINALG_TOL),
    OpRow("linalg.matrix_norm", _matrix_norm, out=True, **LINALG_TOL),
]
