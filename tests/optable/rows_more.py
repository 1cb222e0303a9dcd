"""Rows of the functions composed in ember/_ops/composite.py: differences, distances,
histograms, covariance, log-space sums, index builders, bit maths, integration, scatters and
the copying forms of views."""
from .core import ALL, FLOAT_INT, INTS, OpRow, Sample

NO_GRAD = {"grad": False, "gradcheck": False}


def _one(*shapes, **kwargs):
    """Samples of one tag: tensors of ``shapes`` then ``kwargs``."""
    return lambda make: [Sample("main", tuple(make(s) for s in shapes), kwargs)]


def _args(shapes, *extra, **kwargs):
    return lambda make: [Sample("main", tuple(make(s) for s in shapes) + extra, kwargs)]


def _copy_row(view, *args):
    grad = {} if view != "detach" else NO_GRAD
    return OpRow(view + "_copy", _args([(3, 4)], *args), dtypes=ALL, **grad)


ROWS = [
    OpRow("diff", lambda make: [Sample("1d", (make((5,)),)),
                                Sample("n2_dim0", (make((4, 3)),), {"n": 2, "dim": 0}),
                                Sample("prepend", (make((3, 3)),), {"prepend": make((3, 1))})],
          method=True, dtypes=("float32", "float64", "int64")),
    OpRow("cdist", _one((2, 3), (4, 3), p=1.0)),
    OpRow("dist", _args([(3, 4), (4,)], 3), method=True),
    OpRow("histc", _args([(20,)], 5), method=True, out=True, **NO_GRAD),
    OpRow("histogram", _args([(20,)], 4), method=True, **NO_GRAD),
    OpRow("cov", _one((3, 6)), method=True, dtypes=FLOAT_INT),
    OpRow("corrcoef", _one((3, 6)), method=True, dtypes=FLOAT_INT),
    OpRow("logaddexp", _one((3, 4), (4,)), method=True, out=True),
    OpRow("logaddexp2", _one((3, 4), (3, 4)), method=True, out=True),
    OpRow("logcumsumexp", _args([(3, 4)], 1), method=True, out=True),
    OpRow("block_diag", _one((2, 3), (2,), ())),
    OpRow("cartesian_prod", _one((3,), (2,)), dtypes=ALL),
    OpRow("combinations", _args([(4,)], 2), dtypes=ALL),
    OpRow("tril_indices", lambda make: [Sample("offset", (4, 3, 1))], dtypes=("int64",),
          **NO_GRAD),
    OpRow("triu_indices", lambda make: [Sample("offset", (3, 5, -1))], dtypes=("int64",),
          **NO_GRAD),
    OpRow("vander", _args([(4,)], 3), dtypes=("float32", "float64", "int64"), grad=False),
    OpRow("heaviside", _one((3, 4), (4,)), method=True, out=True, inplace="heaviside_",
          **NO_GRAD),
    OpRow("nextafter", _one((3, 4), (3, 4)), method=True, out=True, inplace="nextafter_",
          **NO_GRAD),
    OpRow("ldexp", lambda make: [Sample("int_exp", (make((3, 4)),
                                                     make((4,), dtype="int64", low=0, high=3)))],
          method=True, out=True, inplace="ldexp_"),
    OpRow("gcd", _one((3, 4), (4,)), method=True, out=True, inplace="gcd_", dtypes=INTS[:2],
          domain=(-20, 20), **NO_GRAD),
    OpRow("lcm", _one((3, 4), (4,)), method=True, out=True, inplace="lcm_", dtypes=INTS[:2],
          domain=(-20, 20), **NO_GRAD),
    OpRow("frexp", _one((3, 4)), method=True, **NO_GRAD),
    OpRow("trapezoid", _one((3, 5), (5,)), aliases=("ember.trapz",), dtypes=FLOAT_INT),
    OpRow("cumulative_trapezoid", _args([(3, 5)], dx=0.5), dtypes=FLOAT_INT),
    OpRow("renorm", _args([(3, 4)], 2, 0, 1.0), method=True, inplace="renorm_"),
    OpRow("unsafe_split", _args([(5, 3)], 2), method=True, dtypes=ALL),
    OpRow("unsafe_chunk", _args([(5, 3)], 2), method=True, dtypes=ALL),
    OpRow("adjoint", _one((2, 3, 4)), method=True, dtypes=ALL),
    OpRow("is_conj", _one((2,)), method=True, **NO_GRAD),
    OpRow("resolve_neg", _one((2, 3)), method=True, dtypes=ALL),
    OpRow("select_scatter", _args([(3, 4), (3,)], 1, 2), method=True),
    OpRow("slice_scatter", _args([(5, 3), (2, 3)], 0, 1, 4, 2), method=True),
    OpRow("diagonal_scatter", _args([(3, 4), (3,)], 1), method=True),
    OpRow("unravel_index", lambda make: [Sample("2d", (make.values([0, 5, 7], "int64"), (2, 4)))],
          dtypes=("int64",), **NO_GRAD),
    OpRow("Tensor.sum_to_size", _args([(2, 3, 4)], 3, 1)),
    OpRow("Tensor.fill_diagonal_", lambda make: [Sample("wrap", (make((5, 3)), 0.5),
                                                        {"wrap": True})],
          call=lambda lib, x, v, **kw: (x * 1).fill_diagonal_(v, **kw)),
    OpRow("Tensor.mH", _one((2, 3, 4)), call=lambda lib, x: x.mH, dtypes=ALL),
    OpRow("Tensor.H", _one((3, 4)), call=lambda lib, x: x.H, dtypes=ALL),
    OpRow("Tensor.addr_", _one((3, 4), (3,), (4,)),
          call=lambda lib, x, a, b: x.clone().addr_(a, b)),
    OpRow("Tensor.addbmm_", _one((3, 4), (2, 3, 5), (2, 5, 4)),
          call=lambda lib, x, a, b: x.clone().addbmm_(a, b)),
    OpRow("Tensor.itemsize", _one((2, 3)), call=lambda lib, x: x.itemsize, dtypes=ALL,
          **NO_GRAD),
    OpRow("Tensor.nbytes", _one((2, 3)), call=lambda lib, x: x.nbytes, dtypes=ALL, **NO_GRAD),
    OpRow("Tensor.apply_", _one((2, 3)), call=lambda lib, x: x.detach().clone().apply_(abs),
          **NO_GRAD),
    OpRow("Tensor.map_", _one((2, 3), (3,)),
          call=lambda lib, x, y: x.detach().clone().map_(y.detach(), max), **NO_GRAD),
    OpRow("is_warn_always_enabled", lambda make: [Sample("default", ())], **NO_GRAD),
    OpRow("set_warn_always", lambda make: [Sample("off", (False,))], **NO_GRAD),
    OpRow("Tensor.is_neg", _one((2,)), call=lambda lib, x: x.is_neg(), **NO_GRAD),
    OpRow("Tensor.is_signed", _one((2,)), call=lambda lib, x: x.is_signed(), dtypes=ALL,
          **NO_GRAD),
] + [_copy_row(v, *a) for v, a in (
    ("alias", ()), ("as_strided", ((2, 2), (1, 2))), ("detach", ()), ("diagonal", ()),
    ("expand", ((2, 3, 4),)), ("permute", ((1, 0),)), ("select", (0, 1)), ("slice", (1, 0, 2)),
    ("split", (2,)), ("split_with_sizes", ([1, 2],)), ("squeeze", ()), ("t", ()),
    ("transpose", (0, 1)), ("unbind", ()), ("unfold", (1, 2, 1)), ("unsqueeze", (1,)),
    ("view", ((12,),)))] + [
    OpRow("view_as_real_copy", lambda make: [Sample("c", (make((3,), dtype="float32"),))],
          call=lambda lib, x: lib.view_as_real_copy(lib.complex(x, x)), **NO_GRAD),
    OpRow("view_as_complex_copy", _one((3, 2)), **NO_GRAD),
    OpRow("bincount", lambda make: [
        Sample("plain", (make.values([0, 2, 2, 5, 1], "int64", grad=False),)),
        Sample("weights_minlength", (make.values([1, 1, 3], "int64", grad=False),),
               {"weights": make((3,), "float64", grad=False), "minlength": 6}),
        Sample("empty", (make.values([], "int64", grad=False),))],
          method=True, dtypes=("int64",), **NO_GRAD),
    OpRow("isin", lambda make: [
        Sample("tensors", (make.values([1, 2, 3, 4], "int64"), make.values([2, 4, 6], "int64"))),
        Sample("invert", (make.values([[1, 5], [2, 0]], "int64"), make.values([0, 5], "int64")),
               {"invert": True}),
        Sample("scalar_elements", (3, make.values([1, 3], "int64")))],
          dtypes=("int64",), **NO_GRAD),
]
