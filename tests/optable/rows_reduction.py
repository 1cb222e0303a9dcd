"""Rows of the reduction family: sums and means, extrema, statistics, scans, softmax, sorting."""
import numpy as np

from .core import ALL, FLOATS, FLOAT_INT, OpRow, Sample
from .samples import reduce_samples

NO_BOOL = ALL[:-1]


def reduction(name, samples=None, out=True, dtypes=ALL, grad=True, **kw):
    """A reduction with function, method and ``out=`` forms."""
    return OpRow(name, samples or reduce_samples(), method=True, out=out, dtypes=dtypes, grad=grad,
                 kind="reduce", **kw)


def scan(name, dtypes=ALL, **kw):
    """A scan along a dim (no keepdim, no whole-tensor form)."""
    return OpRow(name, reduce_samples(dim_none=False, keepdim=False), method=True, out=True,
                 dtypes=dtypes, **kw)


def _kth(make):
    return [Sample("dim1", (make.distinct((3, 4)), 2), {"dim": 1}),
            Sample("default_dim", (make.distinct((2, 5)), 1)),
            Sample("keepdim", (make.distinct((3, 4)), 3), {"dim": 0, "keepdim": True}),
            Sample("0d", (make(()), 1))]


def _quantile(make):
    q = make.values([0.1, 0.5, 0.9], make.dtype if make.dtype in FLOATS else "float32", grad=False)
    return [Sample("scalar_q", (make((3, 4)), 0.3)),
            Sample("tensor_q_dim", (make((3, 4)), q), {"dim": 1}),
            Sample("keepdim", (make((3, 4)), 0.5), {"dim": 0, "keepdim": True}),
            Sample("lower", (make((5,)), 0.4), {"interpolation": "lower"}),
            Sample("midpoint", (make((2, 5)), 0.4), {"dim": 1, "interpolation": "midpoint"})] + (
        [Sample("nonfinite", (make.values([1.0, np.nan, 3.0, 0.5]), 0.5))]
        if make.dtype in FLOATS else [])


def _norm(make):
    return [Sample("default", (make((3, 4)),)),
            Sample("p1_dim", (make((3, 4)), 1), {"dim": 1}),
            Sample("fro", (make((3, 4)), "fro")),
            Sample("inf_keepdim", (make((3, 4)), float("inf")), {"dim": 0, "keepdim": True}),
            Sample("p3", (make((2, 3)), 3)),
            Sample("0d", (make(()),))]


def _topk(make):
    return [Sample("k2", (make.distinct((3, 5)), 2)),
            Sample("dim0_smallest", (make.distinct((4, 3)), 3), {"dim": 0, "largest": False}),
            Sample("0d", (make(()), 1)),
            Sample("noncontig", (make((3, 4), noncontig=True), 1))]


def _sort(make):
    return [Sample("last", (make.distinct((3, 5)),)),
            Sample("dim0_desc", (make.distinct((4, 3)),), {"dim": 0, "descending": True}),
            Sample("stable", (make((6,), low=0, high=3),), {"stable": True}),
            Sample("0d", (make(()),)),
            Sample("empty", (make((0, 3)),))]


def _searchsorted(make):
    seq = make.values(np.sort(make((5,)).array), grad=False)
    return [Sample("1d", (seq, make((3, 2), grad=False))),
            Sample("right", (seq, make((4,), grad=False)), {"right": True}),
            Sample("scalar", (seq, 0.5))]


def _bucketize(make):
    bounds = make.values(np.sort(make((4,)).array), grad=False)
    return [Sample("2d", (make((3, 2), grad=False), bounds)),
            Sample("right", (make((4,), grad=False), bounds), {"right": True})]


def _unique(make):
    x = make((8,), low=0, high=3)
    return [Sample("sorted", (x,)),
            Sample("inverse_counts", (x,), {"return_inverse": True, "return_counts": True}),
            Sample("dim0", (make.values([[1, 2], [1, 2], [0, 1]]),), {"dim": 0})]


def _unique_consecutive(make):
    x = make.values([1, 1, 2, 2, 2, 0, 1, 1])
    return [Sample("plain", (x,)),
            Sample("inverse_counts", (x,), {"return_inverse": True, "return_counts": True})]


def _std_range(make):
    """Values whose squares leave float32's range (floats only): the root is still torch's."""
    dtype = make.dtype if make.dtype.startswith("float") else "float32"
    return [Sample("tiny", (make.values([0.0, 1e-25], dtype),), {"dim": 0}),
            Sample("huge", (make.values([1e20, 3e20], dtype),))]


ROWS = [
    reduction("sum", reduce_samples(dim_tuple=True)),
    reduction("nansum", reduce_samples(dim_tuple=True), dtypes=FLOATS),
    reduction("mean", reduce_samples(dim_tuple=True), dtypes=FLOATS),
    reduction("nanmean", reduce_samples(dim_tuple=True), dtypes=FLOATS),
    reduction("prod", dtypes=NO_BOOL,
              errors=lambda lib: [(lambda: lib.prod(lib.ones(2, 3), dim=None), TypeError)]),
    reduction("amax", reduce_samples(dim_tuple=True), dtypes=NO_BOOL,
              ),
    reduction("amin", reduce_samples(dim_tuple=True), dtypes=NO_BOOL,
              ),
    reduction("aminmax", dtypes=NO_BOOL),
    reduction("max", dtypes=NO_BOOL),
    reduction("min", dtypes=NO_BOOL),
    reduction("argmax", grad=False, out=False, dtypes=NO_BOOL),
    reduction("argmin", grad=False, out=False, dtypes=NO_BOOL),
    reduction("all", reduce_samples(dim_tuple=True), grad=False),
    reduction("any", reduce_samples(dim_tuple=True), grad=False),
    reduction("count_nonzero", reduce_samples(dim_tuple=True, keepdim=False), grad=False, out=False),
    reduction("std", reduce_samples(dim_tuple=True), dtypes=FLOATS),
    reduction("std", reduce_samples(correction=0), variant="correction", dtypes=FLOATS),
    OpRow("std", _std_range, variant="range", method=True, dtypes=FLOATS, gradcheck=False),
    reduction("var", reduce_samples(dim_tuple=True), dtypes=FLOATS),
    reduction("var", reduce_samples(unbiased=False), variant="unbiased", dtypes=FLOATS, out=False),
    OpRow("std_mean", reduce_samples(dim_tuple=True), dtypes=FLOATS, kind="reduce"),
    OpRow("var_mean", reduce_samples(dim_tuple=True, correction=0), dtypes=FLOATS, kind="reduce"),
    reduction("logsumexp", reduce_samples(dim_none=False, dim_tuple=True), dtypes=FLOATS,
              errors=lambda lib: [(lambda: lib.logsumexp(lib.ones(2, 3)), TypeError)]),
    reduction("median", dtypes=NO_BOOL),
    reduction("nanmedian", dtypes=FLOATS),
    reduction("mode", dtypes=NO_BOOL),
    OpRow("kthvalue", _kth, method=True, out=True, dtypes=NO_BOOL),
    OpRow("quantile", _quantile, method=True, out=True),
    OpRow("nanquantile", _quantile, method=True, out=True),
    OpRow("norm", _norm, method=True, out=True),
    scan("cumsum", inplace="cumsum_"),
    scan("cumprod", inplace="cumprod_"),
    scan("cummax", dtypes=NO_BOOL), scan("cummin", dtypes=NO_BOOL),
    OpRow("softmax", reduce_samples(dim_none=False, keepdim=False), method=True, dtypes=FLOATS),
    OpRow("log_softmax", reduce_samples(dim_none=False, keepdim=False), method=True, dtypes=FLOATS),
    OpRow("topk", _topk, method=True, out=True, dtypes=NO_BOOL),
    OpRow("sort", _sort, method=True, out=True, dtypes=NO_BOOL),
    OpRow("argsort", _sort, method=True, grad=False, dtypes=NO_BOOL),
    OpRow("msort", lambda make: [Sample("2d", (make((3, 4)),)), Sample("0d", (make(()),))],
          method=True, out=True, dtypes=NO_BOOL),
    OpRow("searchsorted", _searchsorted, out=True, grad=False, dtypes=FLOAT_INT),
    OpRow("bucketize", _bucketize, out=True, grad=False, dtypes=FLOAT_INT),
    OpRow("unique", _unique, method=True, dtypes=NO_BOOL, gradcheck=False),
    OpRow("unique_consecutive", _unique_consecutive, method=True, dtypes=NO_BOOL, gradcheck=False),
]
