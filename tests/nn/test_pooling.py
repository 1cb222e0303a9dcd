"""Pooling against torch: max/avg/adaptive/lp pooling, max unpooling, layers, reprs, errors.

Values, flat indices (torch's first-maximum rule for ties, NaN propagation)
and gradients over tables of geometries in 1-3 dims, batched and unbatched.
"""
import numpy as np
import pytest

import ember
from ember import nn
from tests.helpers import check_op, errors_like_torch, grads_like_torch

torch = pytest.importorskip("torch")

MAX_CASES = [
    (2, (2, 3, 8, 7), dict(kernel_size=2)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (2, (2, 2, 9, 8), dict(kernel_size=(2, 3), stride=(1, 2), dilation=(2, 1), padding=(1, 1),
                           ceil_mode=True)),
    (2, (3, 7, 6), dict(kernel_size=2, stride=1)),                       # unbatched
    (2, (1, 2, 5, 5), dict(kernel_size=2, stride=3)),                    # gaps between windows
    (1, (2, 3, 11), dict(kernel_size=3, stride=2, padding=1, dilation=2)),
    (1, (3, 10), dict(kernel_size=4, ceil_mode=True, stride=3)),
    (3, (2, 2, 5, 4, 6), dict(kernel_size=2, stride=(1, 2, 2), padding=(1, 0, 1))),
    (3, (2, 4, 5, 6), dict(kernel_size=(3, 2, 2), ceil_mode=True)),
]


def _pool_id(case):
    return f"{case[0]}d-{'x'.join(map(str, case[1]))}-{case[2]}"


@pytest.mark.parametrize("case", MAX_CASES, ids=_pool_id)
def test_max_pool_matches_torch(case):
    nd, shape, kw = case

    def fn(lib, x):
        return getattr(lib.nn.functional, f"max_pool{nd}d")(x, return_indices=True, **kw)
    check_op(fn, [shape])


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
                                dict(kernel_size=2, stride=1, dilation=2)])
def test_max_pool_ties_pick_first_max(kw):
    """Integer-valued inputs have many ties; indices and gradients go to the first maximum."""
    x = np.random.default_rng(3).integers(0, 3, size=(2, 2, 6, 7)).astype(np.float32)
    check_op(lambda lib, t: lib.nn.functional.max_pool2d(t, return_indices=True, **kw),
             arrays=[x], gradcheck=False)


def test_max_pool_nan_and_all_padding_windows():
    nan, inf = float("nan"), float("inf")
    cases = [
        (np.array([[[1, nan, 3, nan, 0, 2]]], np.float32), dict(kernel_size=3, stride=1)),
        (np.array([[[[1, nan], [5, 2]]]], np.float32), dict(kernel_size=2)),
        (np.full((1, 1, 4, 5), -inf, np.float32), dict(kernel_size=3, stride=2, padding=1,
                                                      ceil_mode=True)),
    ]
    for x, kw in cases:
        fn = getattr(torch.nn.functional, f"max_pool{x.ndim - 2 if x.ndim > 3 else 1}d")
        efn = getattr(ember.nn.functional, fn.__name__)
        tv, ti = fn(torch.tensor(x), return_indices=True, **kw)
        ev, ei = efn(ember.tensor(x), return_indices=True, **kw)
        np.testing.assert_array_equal(ev.numpy(), tv.numpy())
        np.testing.assert_array_equal(ei.numpy(), ti.numpy())


def test_max_pool_integer_input_and_grad_fn():
    x = np.random.default_rng(0).integers(-50, 50, size=(2, 3, 6, 6))
    check_op(lambda lib, t: lib.nn.functional.max_pool2d(t, 3, 2, 1), arrays=[x])
    y = ember.nn.functional.max_pool2d(ember.randn(1, 1, 4, 4, requires_grad=True), 2)
    assert y.grad_fn.name() == "MaxPool2DWithIndicesBackward0"


AVG_CASES = [
    (2, (2, 3, 8, 7), dict(kernel_size=2)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    (2, (2, 3, 9, 8), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (2, (2, 3, 9, 8), dict(kernel_size=(3, 2), stride=2, padding=1, ceil_mode=True,
                           count_include_pad=False)),
    (2, (2, 3, 7, 8), dict(kernel_size=3, padding=1, divisor_override=5)),
    (2, (3, 7, 6), dict(kernel_size=(2, 3), stride=(1, 2))),             # unbatched
    (1, (2, 3, 11), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (1, (3, 10), dict(kernel_size=4, count_include_pad=False, padding=2)),
    (3, (2, 2, 5, 4, 6), dict(kernel_size=2, stride=(1, 2, 2), padding=(1, 0, 1))),
    (3, (2, 4, 5, 6), dict(kernel_size=3, ceil_mode=True, stride=2, divisor_override=4)),
]


@pytest.mark.parametrize("case", AVG_CASES, ids=_pool_id)
def test_avg_pool_matches_torch(case):
    nd, shape, kw = case
    check_op(lambda lib, x: getattr(lib.nn.functional, f"avg_pool{nd}d")(x, **kw), [shape])


def test_avg_pool_integer_input_truncates_like_torch():
    x = np.arange(-8, 8).reshape(1, 1, 4, 4)
    check_op(lambda lib, t: lib.nn.functional.avg_pool2d(t, 3, 1, 1), arrays=[x])


ADAPTIVE_CASES = [
    (2, (2, 3, 9, 8), (3, 4)),
    (2, (2, 3, 9, 8), 1),
    (2, (2, 3, 9, 8), (5, None)),
    (2, (2, 3, 9, 8), (4, 7)),
    (2, (3, 5, 6), (11, 3)),                                            # larger than the input
    (1, (2, 3, 10), 4),
    (1, (3, 7), 7),
    (3, (1, 2, 5, 4, 6), (2, 3, 4)),
    (3, (2, 6, 3, 5), (4, None, 2)),
]


def _adaptive_id(case):
    return f"{case[0]}d-{'x'.join(map(str, case[1]))}-{case[2]}"


@pytest.mark.parametrize("case", ADAPTIVE_CASES, ids=_adaptive_id)
def test_adaptive_pools_match_torch(case):
    nd, shape, out = case
    check_op(lambda lib, x: getattr(lib.nn.functional, f"adaptive_avg_pool{nd}d")(x, out), [shape])
    check_op(lambda lib, x: getattr(lib.nn.functional, f"adaptive_max_pool{nd}d")(
        x, out, return_indices=True), [shape])


@pytest.mark.parametrize("nd,shape,out", [
    (2, (3, 4), 1), (2, (3, 0), 1), (2, (2, 3, 4), (1, None)), (2, (1, 2, 3, 4, 5), 1),
    (3, (2, 3, 4), 1), (3, (2, 2, 3, 4), (1, 1, 1)), (1, (3, 4), 1), (1, (3, 0), 1)])
def test_adaptive_avg_pool_to_one_is_a_mean_like_torch(nd, shape, out):
    """torch takes a mean over the last nd dims for an all-ones output size, so 2-d input to
    adaptive_avg_pool2d (and any rank) works there, with the mean's grad_fn."""
    fn = lambda lib, x: getattr(lib.nn.functional, f"adaptive_avg_pool{nd}d")(x, out)  # noqa: E731
    check_op(fn, [shape], gradcheck=0 not in shape)
    if nd > 1:
        assert (fn(ember, ember.ones(shape, requires_grad=True)).grad_fn.name() ==
                fn(torch, torch.ones(shape, requires_grad=True)).grad_fn.name())


def test_adaptive_max_pool_ties_and_nan():
    x = np.random.default_rng(5).integers(0, 2, size=(2, 2, 7, 9)).astype(np.float32)
    check_op(lambda lib, t: lib.nn.functional.adaptive_max_pool2d(t, (3, 4), return_indices=True),
             arrays=[x], gradcheck=False)
    x[0, 0, 1, 2] = x[0, 0, 0, 3] = x[1, 1, 5, 5] = np.nan
    tv, ti = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), (3, 4), True)
    ev, ei = ember.nn.functional.adaptive_max_pool2d(ember.tensor(x), (3, 4), True)
    np.testing.assert_array_equal(ev.numpy(), tv.numpy())
    np.testing.assert_array_equal(ei.numpy(), ti.numpy())


@pytest.mark.parametrize("nd,shape,kw,out", [
    (2, (2, 3, 6, 8), dict(kernel_size=2), None),
    (2, (2, 3, 7, 9), dict(kernel_size=3, stride=2, padding=1), (7, 9)),
    (1, (2, 3, 9), dict(kernel_size=2), [2, 3, 9]),
    (3, (1, 2, 4, 6, 4), dict(kernel_size=2), None),
    (2, (3, 6, 6), dict(kernel_size=2), None),                           # unbatched
])
def test_max_unpool_matches_torch(nd, shape, kw, out):
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    _, ti = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.tensor(x), return_indices=True,
                                                         **kw)
    pooled = ti.shape

    def fn(lib, v):
        idx = lib.tensor(ti.numpy())
        return getattr(lib.nn.functional, f"max_unpool{nd}d")(v, idx, output_size=out, **kw)
    # overlapping windows can repeat an index: the last value wins, yet torch's gradient (a
    # gather) reaches every copy, which finite differences cannot confirm
    planes = ti.numpy().reshape(-1, int(np.prod(ti.shape[-nd:])))
    check_op(fn, [tuple(pooled)], gradcheck=all(len(set(p)) == len(p) for p in planes))


@pytest.mark.parametrize("nd,shape,p,kw", [
    (1, (2, 3, 9), 2, dict(kernel_size=3, stride=2)),
    (2, (2, 3, 6, 7), 3, dict(kernel_size=2)),
    (2, (2, 3, 7, 7), 1.5, dict(kernel_size=(2, 3), stride=2, ceil_mode=True)),
    (3, (1, 2, 4, 4, 4), 2, dict(kernel_size=2)),
])
def test_lp_pool_matches_torch(nd, shape, p, kw):
    check_op(lambda lib, x: getattr(lib.nn.functional, f"lp_pool{nd}d")(x, p, **kw), [shape],
             positive=True, grad_atol=1e-3)


REPRS = [
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", ((2, 3), 1, 1, 2, True, True), {}),
    ("MaxPool1d", (3,), dict(stride=2, ceil_mode=True)),
    ("MaxPool3d", (2,), dict(padding=1)),
    ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", ((2, 3),), dict(ceil_mode=True)),
    ("AvgPool3d", (2,), dict(divisor_override=3)),
    ("AdaptiveAvgPool2d", ((3, None),), {}),
    ("AdaptiveAvgPool1d", (4,), {}),
    ("AdaptiveMaxPool2d", (3, True), {}),
    ("AdaptiveMaxPool3d", ((1, 2, 3),), {}),
    ("MaxUnpool2d", (2,), {}),
    ("MaxUnpool1d", (3, 2, 1), {}),
    ("MaxUnpool3d", (2,), {}),
    ("LPPool2d", (2, 3), {}),
    ("LPPool1d", (2, 3, 2), {}),
]


@pytest.mark.parametrize("cls,args,kw", REPRS)
def test_pool_layer_repr_and_attributes(cls, args, kw):
    t_layer = getattr(torch.nn, cls)(*args, **kw)
    e_layer = getattr(nn, cls)(*args, **kw)
    assert repr(e_layer) == repr(t_layer)
    for name, value in vars(t_layer).items():
        if not name.startswith("_") and name != "training":
            assert getattr(e_layer, name) == value, name


@pytest.mark.parametrize("cls,args,shape", [
    ("MaxPool2d", (3, 2, 1), (2, 3, 9, 8)),
    ("MaxPool1d", (2,), (3, 8)),
    ("AvgPool2d", (3, 2, 1, True, False), (2, 3, 9, 8)),
    ("AvgPool1d", (3,), (2, 3, 9)),
    ("AdaptiveAvgPool2d", ((1, 1),), (2, 3, 5, 7)),
    ("AdaptiveMaxPool1d", (3,), (2, 3, 8)),
    ("LPPool2d", (2, 2), (2, 3, 6, 6)),
])
def test_pool_layers_match_torch(cls, args, shape):
    check_op(lambda lib, x: getattr(lib.nn, cls)(*args)(x), [shape], positive=cls.startswith("LP"),
             gradcheck=False, grad_atol=1e-4)


def test_max_pool_layer_indices_feed_max_unpool_layer():
    x = np.random.default_rng(2).standard_normal((2, 3, 6, 7)).astype(np.float32)
    outs = []
    for lib in (torch, ember):
        pool, unpool = lib.nn.MaxPool2d(2, return_indices=True), lib.nn.MaxUnpool2d(2)
        y, idx = pool(lib.tensor(x))
        outs.append(unpool(y, idx, output_size=x.shape).numpy())
    np.testing.assert_array_equal(outs[1], outs[0])


def _pool_errors(lib):
    F = lib.nn.functional
    x = lib.randn(2, 3, 7, 7)
    y, i = F.max_pool2d(lib.arange(16.0).reshape(1, 1, 4, 4), 2, return_indices=True)
    return [
        (lambda: F.max_pool2d(x, 3, padding=2), RuntimeError,
         "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and "
         "dilation=1"),
        (lambda: F.max_pool2d(x, 8), RuntimeError,
         r"Given input size: \(3x7x7\). Calculated output size: \(3x0x0\). Output size is too "
         "small"),
        (lambda: F.avg_pool2d(x, 8), RuntimeError, r"Calculated output size: \(3x0x0\)"),
        (lambda: F.max_pool2d(x, 2, stride=0), RuntimeError, "stride should not be zero"),
        (lambda: F.max_pool2d(x, 2, dilation=0), RuntimeError,
         "dilation should be greater than zero"),
        (lambda: F.max_pool2d(x, (2, 2, 2)), RuntimeError,
         "max_pool2d: kernel_size must either be a single int, or a tuple of two ints"),
        (lambda: F.max_pool2d(x, 2, padding=(1, 1, 1)), RuntimeError,
         "max_pool2d: padding must either be a single int, or a tuple of two ints"),
        (lambda: F.max_pool2d(x[0, 0], 2), RuntimeError, r"3D or 4D \(batch mode\) tensor"),
        (lambda: F.max_pool2d(x[:, :, :0], 2), RuntimeError,
         r"tensor with optional 0 dim batch size for input, but got:\[2, 3, 0, 7\]"),
        (lambda: F.avg_pool2d(x, 2, divisor_override=0), RuntimeError, "divisor must be not zero"),
        (lambda: F.adaptive_avg_pool2d(x[0, 0], 3), RuntimeError,
         r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[7, 7\]"),
        (lambda: F.adaptive_max_pool2d(x[0, 0], 3), RuntimeError,
         r"adaptive_max_pool2d\(\): Expected 3D or 4D tensor, but got: \[7, 7\]"),
        (lambda: F.adaptive_avg_pool2d(x, (1, 2, 3)), RuntimeError,
         "adaptive_avg_pool2d: output_size must be 2"),
        (lambda: F.adaptive_avg_pool2d(x.long(), 3), NotImplementedError,
         "\"adaptive_avg_pool2d\" not implemented for 'Long'"),
        (lambda: F.adaptive_max_pool2d(x.long(), 3), NotImplementedError,
         "\"adaptive_max_pool2d\" not implemented for 'Long'"),
        (lambda: F.adaptive_max_pool3d(x.long(), 3), NotImplementedError,
         "\"adaptive_max_pool3d_cpu\" not implemented for 'Long'"),
        (lambda: F.adaptive_avg_pool2d(x[0, 0], (1, 1)), ValueError,
         "Input dimension should be at least 3"),
        (lambda: F.adaptive_max_pool3d(x[0], (1, 1, 1)), ValueError,
         "Input dimension should be at least 4"),
        (lambda: F.adaptive_avg_pool3d(x[0, 0], 1), IndexError, "Dimension out of range"),
        (lambda: F.adaptive_avg_pool2d(x.long(), 1), RuntimeError, "mean\\(\\): could not infer"),
        (lambda: F.max_unpool2d(y, i + 10, 2), RuntimeError,
         r"Found an invalid max index: \d+ \(output volumes are of size 4x4"),  # torch: any bad one
        (lambda: F.max_unpool2d(y, i[..., :1], 2), RuntimeError,
         r"Expected shape of indices to be same as that of the input tensor \(\[1, 1, 2, 2\]\)"),
        (lambda: F.max_unpool2d(y, i, 2, output_size=(6, 5)), ValueError,
         r"invalid output_size \"\(6, 5\)\" \(dim 0 must be between 2 and 6\)"),
    ]


def test_pool_errors_match_torch():
    errors_like_torch(_pool_errors)


@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, (1, 2)), lambda F, x: F.max_pool2d(x, 2, 1),
    lambda F, x: F.max_pool2d(x, 2, padding=1), lambda F, x: F.max_pool1d(x[0], 3, 1),
    lambda F, x: F.adaptive_max_pool2d(x, 1)], ids=["disjoint", "overlap", "padded", "1d", "adaptive"])
def test_max_pool_inf_gradient_is_zero_off_the_max(fn):
    """Positions that are not a window's max get 0 for an infinite upstream gradient (the
    fast mask multiply would give inf * 0 = NaN there)."""
    x = np.array([[[[1, 2, -1, 0], [3, -2, 5, 1]]]], np.float32)
    grads_like_torch(lambda lib, t: fn(lib.nn.functional, t), x, cotangent=np.inf)


@pytest.mark.parametrize("cotangent", [1.0, np.inf])
@pytest.mark.parametrize("fn", [
    lambda F, t: F.avg_pool1d(t[0], 2), lambda F, t: F.avg_pool1d(t[0], 3, 1, 1),
    lambda F, t: F.avg_pool2d(t, 2), lambda F, t: F.avg_pool2d(t, 3, 1, 1),
    lambda F, t: F.avg_pool2d(t, 2, ceil_mode=True, count_include_pad=False),
    lambda F, t: F.avg_pool3d(t, 2), lambda F, t: F.avg_pool3d(t, 3, 2, 1),
    lambda F, t: F.lp_pool2d(t, 2, 2), lambda F, t: F.lp_pool2d(t, 3, 3, 1),
    lambda F, t: F.lp_pool1d(t[0], 2, 2), lambda F, t: F.adaptive_avg_pool2d(t, (4, 3)),
], ids=["avg1d", "avg1d_overlap", "avg2d", "avg2d_overlap", "avg2d_ceil", "avg3d", "avg3d_padded",
        "lp2d", "lp2d_p3", "lp1d", "adaptive_avg2d"])
def test_avg_and_lp_pool_keep_nan_and_inf_in_their_windows(fn, cotangent):
    """A NaN or inf reaches only the windows that hold it, forward and backward (a BLAS
    product with the window matrix would spread 0 * inf = NaN to every window)."""
    x = np.arange(2 * 3 * 6 * 7, dtype=np.float32).reshape(2, 3, 6, 7) / 10
    x[0, 0, 1, 2], x[1, 2, 4, 4], x[0, 1, 0, 0] = np.nan, np.inf, -np.inf
    grads_like_torch(lambda lib, t: fn(lib.nn.functional, t), x, cotangent=cotangent, atol=1e-4)
