"""Rows of the indexing family: getitem/setitem, gather/scatter, index_*, masks, selection by
condition, and the ternary elementwise ops (where, clamp, lerp, addcmul, addcdiv)."""
import numpy as np

from .core import ALL, FLOATS, FLOAT_INT, OpRow, Sample

NO_BOOL = ALL[:-1]


def _getitem(make):
    x = make((4, 5))
    idx = make.index((3,), 4)
    mask = make((4, 5), dtype="bool")
    return [Sample("int", (x, 1)), Sample("slice_step", (x, (slice(None), slice(0, 5, 2)))),
            Sample("neg_ellipsis", (x, (Ellipsis, -1))), Sample("none", (x, (None, 0))),
            Sample("tensor", (x, idx)), Sample("list", (x, ([0, 2], [1, 3]))),
            Sample("mask", (x, mask)), Sample("mixed", (x, (idx, slice(1, 3)))),
            Sample("0d", (make(()), ())), Sample("empty_slice", (x, slice(2, 2)))]


def _getitem_call(lib, x, key):
    return x[key]


def _setitem_call(lib, x, key, value):
    """``y = x * 1; y[key] = value`` (a write into a non-leaf), returning ``y``."""
    y = x * 1
    y[key] = value
    return y


def _setitem(make):
    return [Sample("int_scalar", (make((3, 4)), 1, 2.5)),
            Sample("slice_tensor", (make((3, 4)), (slice(None), slice(1, 3)), make((3, 2)))),
            Sample("broadcast", (make((3, 4)), 0, make((4,)))),
            Sample("index", (make((3, 4)), make.index((2,), 3), make((4,)))),
            Sample("mask", (make((3, 4)), make((3, 4), dtype="bool"), 0.0))]


def _self_write_call(lib, x):
    """torch's everyday pattern: ``c = a * 1; c[0] = c[1] * 2``."""
    c = x * 1
    c[0] = c[1] * 2
    return c


def _gather(make):
    x = make((3, 4))
    return [Sample("dim1", (x, 1, make.index((3, 2), 4))),
            Sample("dim0", (x, 0, make.index((2, 4), 3))),
            Sample("neg", (x, -1, make.index((3, 4), 4)))]


def _scatter(reduce=None):
    def gen(make):
        kw = {"reduce": reduce} if reduce else {}
        # no index repeats along the scattered dim, so every gradient is well defined
        along1 = make.values([[0, 2], [3, 1], [1, 0]], "int64", grad=False)
        along0 = make.values([[0, 1, 2, 0], [2, 0, 1, 1]], "int64", grad=False)
        return [Sample("src", (make((3, 4)), 1, along1, make((3, 2))), kw),
                Sample("dim0", (make((3, 4)), 0, along0, make((2, 4))), kw),
                Sample("value", (make((3, 4)), 1, along1, 1.5), kw)]
    return gen


def _scatter_add(make):
    return [Sample("dim1", (make((3, 4)), 1, make.index((3, 3), 4), make((3, 3)))),
            Sample("dim0", (make((3, 4)), 0, make.index((5, 4), 3), make((5, 4))))]


def _scatter_reduce(make):
    out = []
    for red in ("sum", "prod", "mean", "amax", "amin"):
        for include in (True, False):
            out.append(Sample(f"{red}_{int(include)}", (make((3, 4)), 1, make.index((3, 3), 4),
                                                        make((3, 3)), red),
                              {"include_self": include}))
    return out


def _index_select(make):
    return [Sample("dim0", (make((4, 3)), 0, make.index((5,), 4))),
            Sample("dim1", (make((4, 3)), 1, make.index((2,), 3))),
            Sample("0d", (make(()), 0, make.index((2,), 1)), gradcheck=False)]   # both raise


def _index_add(make):
    return [Sample("dim0", (make((4, 3)), 0, make.index((5,), 4), make((5, 3)))),
            Sample("alpha", (make((4, 3)), 1, make.index((2,), 3), make((4, 2))), {"alpha": 2.0})]


def _index_copy(make):
    return [Sample("dim0", (make((4, 3)), 0, make.values([2, 0], "int64", grad=False),
                            make((2, 3)))),
            Sample("dim1", (make((4, 3)), 1, make.values([1], "int64", grad=False), make((4, 1))))]


def _index_fill(make):
    return [Sample("dim0", (make((4, 3)), 0, make.index((2,), 4), 1.5)),
            Sample("dim1", (make((4, 3)), 1, make.index((2,), 3), -2.0))]


def _index_put(make):
    return [Sample("one", (make((4, 3)), (make.values([0, 2], "int64", grad=False),), make((3,)))),
            Sample("pair", (make((4, 3)), (make.values([0, 3], "int64", grad=False),
                                           make.values([1, 2], "int64", grad=False)), make((2,)))),
            Sample("accumulate", (make((4, 3)), (make.index((5,), 4),), make((5, 3))),
                   {"accumulate": True})]


def _masked(make):
    return [Sample("same", (make((3, 4)), make((3, 4), dtype="bool"), 2.0)),
            Sample("broadcast", (make((3, 4)), make((4,), dtype="bool"), -1.0)),
            Sample("tensor_value", (make((3, 4)), make((3, 4), dtype="bool"), make(()))),
            Sample("0d", (make(()), make((), dtype="bool"), 3.0))]


def _masked_scatter(make):
    return [Sample("same", (make((3, 4)), make((3, 4), dtype="bool"), make((3, 4)))),
            Sample("broadcast", (make((3, 4)), make((4,), dtype="bool"), make((12,))))]


def _masked_select(make):
    return [Sample("same", (make((3, 4)), make((3, 4), dtype="bool"))),
            Sample("broadcast", (make((3, 4)), make((4,), dtype="bool"))),
            Sample("0d", (make(()), make((), dtype="bool")))]


def _take(make):
    return [Sample("flat", (make((3, 4)), make.index((2, 3), 12))),
            Sample("0d", (make(()), make.index((2,), 1)))]


def _take_along(make):
    return [Sample("dim1", (make((3, 4)), make.index((3, 2), 4), 1)),
            Sample("flat", (make((3, 4)), make.index((5,), 12)))]


def _put(make):
    return [Sample("plain", (make((3, 4)), make.values([0, 5, 11], "int64", grad=False),
                             make((3,)))),
            Sample("accumulate", (make((3, 4)), make.index((4,), 12), make((4,))),
                   {"accumulate": True})]


def _nonzero(make):
    return [Sample("2d", (make((3, 4), low=-1, high=2),)), Sample("0d", (make(()),)),
            Sample("empty", (make((0, 3)),))]


def _where(make):
    cond = make((3, 4), dtype="bool")
    return [Sample("same", (cond, make((3, 4)), make((3, 4)))),
            Sample("broadcast", (make((3, 1), dtype="bool"), make((1, 4)), make((3, 4)))),
            Sample("scalars", (cond, make((3, 4)), 0.0)),
            Sample("promote", (cond, make((3, 4)), make((3, 4), dtype="float64"))),
            Sample("cond_only", (cond,))]


def _clamp(make):
    return [Sample("both", (make((3, 4)),), {"min": -0.5, "max": 0.5}),
            Sample("min", (make((3, 4)),), {"min": 0.0}),
            Sample("max_pos", (make((3, 4)), None, 1.0)),
            Sample("tensors", (make((3, 4)), make((4,), low=-2, high=0), make((3, 1), low=0, high=2)))
            ] + ([Sample("nonfinite", (make.values([np.nan, np.inf, -np.inf, 0.3]),),
                         {"min": -1.0, "max": 1.0})] if make.dtype in FLOATS else [])


def _clamp_side(make):
    return [Sample("scalar", (make((3, 4)), 0.2)), Sample("tensor", (make((3, 4)), make((4,))))]


def _ternary(make):
    return [Sample("same", (make((3, 4)), make((3, 4)), make((3, 4), low=0.5))),
            Sample("broadcast", (make((3, 1)), make((1, 4)), make((4,), low=0.5))),
            Sample("value", (make((3, 4)), make((3, 4)), make((3, 4), low=0.5)), {"value": 0.5}),
            Sample("0d", (make(()), make(()), make((), low=0.5)))]


def _lerp(make):
    return [Sample("scalar_w", (make((3, 4)), make((3, 4)), 0.3)),
            Sample("tensor_w", (make((3, 4)), make((4,)), make((3, 4)))),
            Sample("0d", (make(()), make(()), 0.7))]


def _isclose(make):
    if make.dtype not in FLOATS:
        x, y = make((5,)), make((5,))
        return [Sample("default", (x, y)), Sample("tol", (x, y), {"rtol": 0.1, "atol": 1})]
    x = make.values([1.0, np.nan, np.inf, 2.0, 0.0])
    y = make.values([1.0 + 1e-9, np.nan, np.inf, 2.1, 1e-9])
    return [Sample("default", (x, y)), Sample("equal_nan", (x, y), {"equal_nan": True}),
            Sample("tol", (x, y), {"rtol": 0.1, "atol": 0.0})]


def _equal(make):
    x = make((3, 4))
    return [Sample("same", (x, x)), Sample("other", (x, make((3, 4)))),
            Sample("shapes", (x, make((4,))))]


ROWS = [
    OpRow("Tensor.__getitem__", _getitem, call=_getitem_call, dtypes=ALL,
          errors=lambda lib: [(lambda: lib.ones(2, 3)[2], IndexError),
                              (lambda: lib.ones(2, 3)[0, 0, 0], IndexError),
                              (lambda: lib.ones(2)[lib.tensor([2])], IndexError)]),
    OpRow("Tensor.__setitem__", _setitem, call=_setitem_call, dtypes=FLOAT_INT,
          errors=lambda lib: [(lambda: lib.ones(2, 3).__setitem__(0, lib.ones(4)), RuntimeError)]),
    OpRow("Tensor.__setitem__", lambda make: [Sample("self", (make((3, 2)),))],
          call=_self_write_call, variant="self_read", gradcheck=False),
    OpRow("gather", _gather, method=True, out=True, dtypes=ALL,
          errors=lambda lib: [(lambda: lib.gather(lib.ones(2, 3), 1, lib.tensor([[3]])),
                               RuntimeError)]),
    OpRow("scatter", _scatter(), method=True, inplace="scatter_", out=True, dtypes=ALL),
    OpRow("scatter", _scatter("add"), variant="reduce", method=True, inplace="scatter_",
          grad=False, dtypes=FLOAT_INT),
    OpRow("scatter_add", _scatter_add, method=True, inplace="scatter_add_", out=True, dtypes=ALL),
    OpRow("scatter_reduce", _scatter_reduce, method=True, inplace="scatter_reduce_", out=True,
          dtypes=NO_BOOL),
    OpRow("index_select", _index_select, method=True, out=True, dtypes=ALL),
    OpRow("index_add", _index_add, method=True, inplace="index_add_", out=True, dtypes=NO_BOOL),
    OpRow("index_copy", _index_copy, method=True, inplace="index_copy_", out=True, dtypes=ALL),
    OpRow("index_fill", _index_fill, method=True, inplace="index_fill_", dtypes=NO_BOOL),
    OpRow("index_put", _index_put, method=True, inplace="index_put_", dtypes=NO_BOOL),
    OpRow("masked_fill", _masked, method=True, inplace="masked_fill_", dtypes=NO_BOOL),
    OpRow("masked_scatter", _masked_scatter, method=True, inplace="masked_scatter_", dtypes=ALL),
    OpRow("masked_select", _masked_select, method=True, out=True, dtypes=ALL),
    OpRow("take", _take, method=True, out=True, dtypes=ALL),
    OpRow("take_along_dim", _take_along, method=True, out=True, dtypes=ALL),
    OpRow("put", _put, method=True, inplace="put_", dtypes=NO_BOOL),
    OpRow("nonzero", _nonzero, method=True, out=True, grad=False, dtypes=ALL),
    OpRow("argwhere", _nonzero, method=True, grad=False, dtypes=ALL),
    OpRow("where", _where, out=True, dtypes=ALL),
    OpRow("Tensor.where", lambda make: [
        Sample("same", (make((3, 4)), make((3, 4), dtype="bool"), make((3, 4)))),
        Sample("scalar", (make((3, 4)), make((4,), dtype="bool"), 0.5))], dtypes=ALL),
    OpRow("clamp", _clamp, method=True, inplace="clamp_", out=True, dtypes=FLOAT_INT,
          aliases=("ember.clip", "Tensor.clip", "Tensor.clip_", "ember.clamp_", "ember.clip_"),
          errors=lambda lib: [(lambda: lib.clamp(lib.ones(2)), RuntimeError)]),
    OpRow("clamp_min", _clamp_side, method=True, inplace="clamp_min_", dtypes=FLOAT_INT),
    OpRow("clamp_max", _clamp_side, method=True, inplace="clamp_max_", dtypes=FLOAT_INT),
    OpRow("addcmul", _ternary, method=True, inplace="addcmul_", out=True, dtypes=FLOAT_INT),
    OpRow("addcdiv", _ternary, method=True, inplace="addcdiv_", out=True),
    OpRow("lerp", _lerp, method=True, inplace="lerp_", out=True),
    OpRow("isclose", _isclose, method=True, grad=False),
    OpRow("allclose", _isclose, method=True, grad=False),
    OpRow("equal", _equal, method=True, grad=False, dtypes=ALL),
]
