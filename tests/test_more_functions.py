"""The functions composed in ember/_ops/composite.py, checked against torch (values and grads)."""
import numpy as np
import pytest
import torch

import ember
from tests.helpers import assert_close, check_op


def both(fn):
    """Run ``fn(lib)`` with torch and ember and compare the results."""
    assert_close(fn(ember), fn(torch))


@pytest.mark.parametrize("kw", [{}, {"n": 2, "dim": 0}, {"prepend": True, "append": True}])
def test_diff(kw):
    def fn(lib, x, p):
        extra = {"prepend": p, "append": p} if kw.get("prepend") else {}
        return lib.diff(x, n=kw.get("n", 1), dim=kw.get("dim", -1), **extra)
    check_op(fn, [(4, 3), (4, 1)])
    check_op(lambda lib, x: x.diff(), [(5,)])


def test_diff_bool_and_0d():
    both(lambda lib: lib.diff(lib.tensor([True, False, False, True])))
    with pytest.raises(RuntimeError, match="one-dimensional"):
        ember.diff(ember.tensor(1.0))


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, float("inf")])
def test_cdist_and_dist(p):
    check_op(lambda lib, a, b: lib.cdist(a, b, p=p), [(2, 3, 4), (2, 5, 4)])
    check_op(lambda lib, a, b: lib.dist(a, b, p), [(3, 4), (4,)])
    with pytest.raises(RuntimeError, match="same number of columns"):
        ember.cdist(ember.ones(2, 3), ember.ones(2, 4))


def test_histc_and_histogram():
    x = np.array([0.1, 0.5, 0.9, 2.0, -1.0, 0.5, 0.3], dtype=np.float32)
    both(lambda lib: lib.histc(lib.from_numpy(x.copy()), bins=4, min=0, max=1))
    both(lambda lib: lib.histc(lib.from_numpy(x.copy()), bins=5))
    both(lambda lib: lib.histogram(lib.from_numpy(x.copy()), bins=3))
    both(lambda lib: lib.histogram(lib.from_numpy(x.copy()), bins=4, range=(0.0, 1.0),
                                   density=True))
    edges = np.array([-1.0, 0.0, 0.4, 2.0], dtype=np.float32)
    w = np.arange(7, dtype=np.float32)
    both(lambda lib: lib.histogram(lib.from_numpy(x.copy()), lib.from_numpy(edges.copy()),
                                   weight=lib.from_numpy(w.copy())))
    with pytest.raises(RuntimeError, match="bins must be > 0"):
        ember.histc(ember.ones(3), bins=0)


def test_cov_corrcoef():
    check_op(lambda lib, x: lib.cov(x), [(3, 6)])
    check_op(lambda lib, x: lib.cov(x, correction=0), [(6,)])
    check_op(lambda lib, x: lib.corrcoef(x), [(3, 6)])
    fw = np.array([1, 2, 1, 3, 1, 2])
    aw = np.array([0.5, 1.0, 2.0, 1.0, 0.3, 0.7], dtype=np.float32)
    check_op(lambda lib, x: lib.cov(x, fweights=lib.tensor(fw), aweights=lib.tensor(aw)),
             [(2, 6)])
    with pytest.raises(ValueError, match="two or fewer dimensions"):
        ember.cov(ember.ones(2, 2, 2))


def test_logaddexp_family():
    check_op(lambda lib, a, b: lib.logaddexp(a, b), [(3, 4), (4,)], low=-30, high=30)
    check_op(lambda lib, a, b: a.logaddexp2(b), [(3, 4), (3, 4)])
    check_op(lambda lib, x: lib.logcumsumexp(x, 1), [(3, 5)], low=-50, high=50)
    check_op(lambda lib, x: x.logcumsumexp(0), [(4,)])
    inf = float("inf")
    both(lambda lib: lib.logaddexp(lib.tensor([-inf, inf, 0.0]), lib.tensor([-inf, inf, 1e30])))


def test_builders():
    check_op(lambda lib, a, b, c: lib.block_diag(a, b, c), [(2, 3), (4,), ()])
    both(lambda lib: lib.block_diag(lib.tensor([[1, 2]]), lib.tensor([[3.5]])))
    check_op(lambda lib, a, b: lib.cartesian_prod(a, b), [(3,), (2,)])
    check_op(lambda lib, a: lib.combinations(a, 2), [(4,)])
    check_op(lambda lib, a: lib.combinations(a, 3, with_replacement=True), [(3,)])
    both(lambda lib: lib.combinations(lib.tensor([1.0, 2.0]), r=3))
    for off in (-1, 0, 2):
        both(lambda lib: lib.tril_indices(4, 3, off))
        both(lambda lib: lib.triu_indices(3, 5, off, dtype=lib.int32))
    # torch's own vander backward fails (an in-place op in its formula), so values only
    check_op(lambda lib, x: lib.vander(x), [(4,)], grad=False)
    check_op(lambda lib, x: lib.vander(x, N=3, increasing=True), [(4,)], grad=False)
    both(lambda lib: lib.vander(lib.tensor([1, 2, 3])))


def test_integer_and_bit_maths():
    a = np.array([0, 6, -12, 9, 7], dtype=np.int64)
    b = np.array([0, 4, 18, -6, 1], dtype=np.int64)
    for name in ("gcd", "lcm"):
        both(lambda lib: getattr(lib, name)(lib.from_numpy(a.copy()), lib.from_numpy(b.copy())))
    with pytest.raises(RuntimeError, match="not implemented"):
        ember.gcd(ember.ones(2), ember.ones(2))
    x = np.array([0.0, 1.0, -2.5, 3.0], dtype=np.float32)
    y = np.array([0.0, 2.0, -3.0, -1.0], dtype=np.float32)
    both(lambda lib: lib.nextafter(lib.from_numpy(x.copy()), lib.from_numpy(y.copy())))
    both(lambda lib: lib.heaviside(lib.from_numpy(y.copy()), lib.tensor(0.5)))
    both(lambda lib: lib.frexp(lib.from_numpy(x.copy())).mantissa)
    both(lambda lib: lib.frexp(lib.from_numpy(x.copy()))[1])
    both(lambda lib: lib.ldexp(lib.from_numpy(x.copy()), lib.tensor([1, 2, 3, -1])))
    check_op(lambda lib, v: lib.ldexp(v, lib.tensor([2])), [(3,)])
    t = ember.from_numpy(a.copy())
    t.gcd_(ember.from_numpy(b.copy()))
    assert_close(t, torch.from_numpy(a).gcd(torch.from_numpy(b)))


def test_trapezoid():
    check_op(lambda lib, y: lib.trapezoid(y), [(3, 5)])
    check_op(lambda lib, y, x: lib.trapezoid(y, x), [(3, 5), (5,)])
    check_op(lambda lib, y: lib.trapezoid(y, dx=0.5, dim=0), [(3, 5)])
    check_op(lambda lib, y, x: lib.cumulative_trapezoid(y, x, dim=0), [(4, 2), (4, 2)])
    check_op(lambda lib, y: lib.cumulative_trapezoid(y, dx=2.0), [(6,)])


def test_renorm_and_unsafe_split():
    check_op(lambda lib, x: lib.renorm(x, 2, 0, 1.0), [(3, 4)])
    check_op(lambda lib, x: x.renorm(1, 1, 2.5), [(3, 4, 2)])
    check_op(lambda lib, x: lib.unsafe_split(x, 2, 1)[1] * 2, [(3, 5)])
    check_op(lambda lib, x: x.unsafe_chunk(3)[2], [(7, 2)])


def test_tensor_helpers():
    check_op(lambda lib, x: x.mT, [(2, 3, 4)])
    check_op(lambda lib, x: x.mH, [(2, 3, 4)])
    check_op(lambda lib, x: x.H, [(3, 4)])
    check_op(lambda lib, x: x.sum_to_size(3, 1), [(2, 3, 4)])
    check_op(lambda lib, x: x.sum_to_size((1, 4)), [(3, 4)])
    with pytest.raises(RuntimeError, match="is not expandable to size"):
        ember.ones(2, 3).sum_to_size(4, 3)
    for shape, wrap in (((5, 3), True), ((5, 3), False), ((3, 3, 3), False), ((2, 4), True)):
        both(lambda lib: lib.zeros(shape).fill_diagonal_(2.0, wrap=wrap))
    check_op(lambda lib, x: (x * 1).fill_diagonal_(0.5), [(3, 3)])


def test_conj_neg_bits_and_sizes():
    for lib in (torch, ember):
        x = lib.ones(2, 3)
        assert (lib.is_conj(x), x.is_neg(), x.is_signed(), x.itemsize, x.nbytes) == \
            (False, False, True, 4, 24)
        assert lib.resolve_neg(x) is not None and not lib.ones(2, dtype=lib.uint8).is_signed()
    check_op(lambda lib, x: lib.adjoint(x), [(2, 3, 4)])


def test_scatters():
    check_op(lambda lib, x, s: lib.select_scatter(x, s, 1, 2), [(3, 4), (3,)])
    check_op(lambda lib, x, s: x.slice_scatter(s, 0, 1, 4, 2), [(5, 3), (2, 3)])
    check_op(lambda lib, x, s: lib.diagonal_scatter(x, s, 1), [(3, 4), (3,)])


@pytest.mark.parametrize("view,args", [("t", ()), ("transpose", (0, 1)), ("diagonal", ()),
                                       ("select", (1, 0)), ("unsqueeze", (0,)),
                                       ("expand", ((2, 3, 4),)), ("permute", ((1, 0),)),
                                       ("view", ((12,),)), ("slice", (1, 1, 3)),
                                       ("unfold", (0, 2, 1)), ("alias", ()), ("detach", ())])
def test_copy_of_views(view, args):
    check_op(lambda lib, x: getattr(lib, view + "_copy")(x, *args) * 2, [(3, 4)],
             grad=view != "detach")
    out = ember.t_copy(ember.ones(2, 3))
    assert out._base is None


def test_copy_of_splitting_views():
    check_op(lambda lib, x: lib.split_copy(x, 2)[1], [(5, 2)])
    check_op(lambda lib, x: lib.unbind_copy(x, 1)[0], [(2, 3)])
    check_op(lambda lib, x: lib.split_with_sizes_copy(x, [1, 3])[1], [(4, 2)])


def test_unravel_index():
    both(lambda lib: lib.stack(lib.unravel_index(lib.tensor([0, 5, 7, -1]), (2, 4))))
    both(lambda lib: lib.unravel_index(lib.tensor(4), (3, 2))[0])
    with pytest.raises(TypeError, match="integer dtype"):
        ember.unravel_index(ember.tensor([1.0]), (2,))


def test_inplace_forms():
    for name, args in (("addr_", ((3,), (4,))), ("addbmm_", ((2, 3, 5), (2, 5, 4)))):
        def fn(lib, x, *others):
            y = x * 1
            getattr(y, name)(*others)
            return y
        check_op(fn, [(3, 4)] + list(args))
    check_op(lambda lib, x: (x * 1).renorm_(2, 0, 1.0), [(3, 4)])


NAN = float("nan")


@pytest.mark.parametrize("seq,values,kw", [
    ([1.0, NAN], [NAN, 2.0, 0.5], {}), ([1.0, NAN], [NAN, 2.0, 0.5], {"right": True}),
    ([NAN, NAN, 1.0], [2.0], {}), ([], [1.0, 2.0], {}), ([1.0, 3.0, 3.0, 5.0], 3.0, {}),
    ([1.0, 3.0, 3.0, 5.0], [[3.0, 0.0], [6.0, 3.0]], {"side": "right", "out_int32": True}),
    ([[1.0, 3.0], [2.0, 4.0]], [[2.0], [3.0]], {"right": True})])
def test_searchsorted_edge_cases(seq, values, kw):
    both(lambda lib: lib.searchsorted(lib.tensor(seq), lib.tensor(values), **kw))
    if isinstance(values, list) and lib_dim(seq) == 1:
        both(lambda lib: lib.bucketize(lib.tensor(values), lib.tensor(seq),
                                       right=kw.get("right", False)))


def lib_dim(seq):
    return np.asarray(seq).ndim


def test_searchsorted_sorter_and_dtype():
    both(lambda lib: lib.searchsorted(lib.tensor([5.0, 1.0, 3.0]), lib.tensor([2.0, 4.0]),
                                      sorter=lib.tensor([1, 2, 0])))
    for lib in (torch, ember):
        assert lib.bucketize(lib.tensor([3, 0]), lib.tensor([1, 3, 5]),
                             out_int32=True).dtype == lib.int32


def test_apply_map_and_warn_always():
    for lib in (torch, ember):
        x = lib.tensor([[1.0, -2.0], [3.0, 0.5]])
        x.apply_(lambda v: v * v + 1)
        x.map_(lib.tensor([10.0, 20.0]), lambda v, w: v - w)
        assert x.tolist() == [[-8.0, -15.0], [0.0, -18.75]]
        with pytest.raises(RuntimeError, match="requires grad"):
            lib.ones(2, requires_grad=True).apply_(abs)
        assert not lib.is_warn_always_enabled()
        lib.set_warn_always(True)
        assert lib.is_warn_always_enabled()
        lib.set_warn_always(False)
