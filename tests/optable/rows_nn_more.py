"""Rows of the ``nn.functional`` ops added after the first table: sampling grids, fractional
max-pooling, channel shuffles, the fused linear cross-entropy and cross-map LRN (through its
module, its only public form)."""
from .core import FLOATS, OpRow, Sample


def _grid_sample(make):
    return [Sample("bilinear", (make((1, 2, 3, 4)), make((1, 3, 2, 2), low=-0.9, high=0.9)),
                   {"align_corners": False}),
            Sample("nearest_border", (make((1, 1, 3, 3)), make((1, 2, 2, 2), low=-1.2, high=1.2)),
                   {"mode": "nearest", "padding_mode": "border", "align_corners": True},
                   gradcheck=False),
            Sample("reflection_5d", (make((1, 1, 2, 3, 3)),
                                     make((1, 2, 2, 2, 3), low=-1.1, high=1.1)),
                   {"padding_mode": "reflection", "align_corners": False})]


def _affine_grid(make):
    return [Sample("2d", (make((2, 2, 3)), [2, 1, 3, 4]), {"align_corners": False}),
            Sample("3d_corners", (make((1, 3, 4)), [1, 1, 2, 3, 2]), {"align_corners": True})]


def _fractional(nd):
    def gen(make):
        x = make.distinct((1, 2) + (5,) * nd)
        u = make((1, 2, nd), low=0.0, high=1.0, grad=False)
        return [Sample("output_size", (x, 2), {"output_size": 3, "_random_samples": u}),
                Sample("ratio", (x, 2), {"output_ratio": 0.5, "_random_samples": u})]
    return gen


def _shuffle(make):
    return [Sample("groups2", (make((1, 4, 2, 2)), 2)), Sample("3d", (make((2, 6, 3)), 3))]


def _linear_ce(make):
    target = make.values([0, 2, 4], "int64", grad=False)
    return [Sample("mean", (make((3, 4)), make((5, 4)), target)),
            Sample("bias_sum", (make((3, 4)), make((5, 4)), target),
                   {"linear_bias": make((5,)), "reduction": "sum"})]


def _cross_map_lrn(make):
    return [Sample("size3", (make((1, 5, 3, 3)),)), Sample("size1", (make((2, 3, 2, 2)),))]


def _call_cross_map_lrn(lib, x):
    return lib.nn.CrossMapLRN2d(3, alpha=1e-2, beta=0.75, k=1.0)(x)


def _nf(name, samples, **kw):
    return OpRow("nn.functional." + name, samples, dtypes=FLOATS, **kw)


ROWS = [
    _nf("grid_sample", _grid_sample),
    _nf("affine_grid", _affine_grid),
    *[_nf(f"fractional_max_pool{n}d{suffix}", _fractional(n), gradcheck=False)
      for n in (2, 3) for suffix in ("", "_with_indices")],
    _nf("channel_shuffle", _shuffle),
    _nf("native_channel_shuffle", _shuffle, grad=False),
    _nf("linear_cross_entropy", _linear_ce),
    OpRow("nn.CrossMapLRN2d", _cross_map_lrn, call=_call_cross_map_lrn, dtypes=FLOATS,
          gradcheck=False),
]
