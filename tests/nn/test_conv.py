"""Convolutions against torch: F.conv*/conv_transpose*, unfold/fold, the Conv/ConvTranspose layers.

Forward values and input/weight/bias gradients over a table of geometries
(strides, paddings incl. 'same', dilations, groups incl. depthwise, 1-3 dims,
unbatched, non-square, transposed with output_padding), float64 gradchecks,
padding modes, reprs, default init and error messages.
"""
import math

import numpy as np
import pytest

import ember
import ember._ops.conv.ops as conv_ops
from ember import nn
from tests.helpers import check_op, errors_like_torch, make_arrays, raises_like_torch

torch = pytest.importorskip("torch")

# torch warns that 'same' with an even kernel pads a copy of the input (ember always does)
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

# (nd, input shape, weight shape, with bias, kwargs)
CONV_CASES = [
    (2, (2, 3, 7, 6), (4, 3, 3, 3), True, {}),
    (2, (2, 3, 7, 6), (4, 3, 3, 2), True, dict(stride=2, padding=1)),
    (2, (2, 3, 7, 6), (4, 3, 3, 3), False, dict(stride=(2, 1), padding=(0, 2))),
    (2, (2, 3, 7, 6), (4, 3, 3, 3), True, dict(padding="same")),
    (2, (2, 3, 7, 6), (4, 3, 2, 4), True, dict(padding="same", dilation=(1, 2))),
    (2, (2, 3, 7, 6), (4, 3, 3, 3), True, dict(padding="valid")),
    (2, (2, 3, 9, 8), (4, 3, 3, 3), True, dict(dilation=2, padding=1)),
    (2, (2, 4, 6, 6), (6, 2, 3, 3), True, dict(groups=2)),
    (2, (2, 4, 6, 6), (8, 1, 3, 3), True, dict(groups=4, padding=1)),      # depthwise x2
    (2, (2, 4, 6, 5), (5, 4, 1, 1), True, {}),                             # pointwise
    (2, (3, 7, 6), (4, 3, 3, 3), True, dict(padding=1)),                   # unbatched
    (2, (2, 3, 5, 9), (2, 3, 2, 5), True, dict(stride=(1, 3), dilation=(2, 1))),
    (1, (2, 3, 11), (4, 3, 3), True, dict(stride=2, padding=1)),
    (1, (3, 11), (4, 3, 4), False, dict(padding="same", dilation=3)),
    (1, (2, 4, 9), (4, 1, 3), True, dict(groups=4)),
    (3, (2, 2, 4, 5, 4), (3, 2, 2, 3, 2), True, dict(padding=(1, 0, 1))),
    (3, (2, 4, 5, 4, 6), (4, 2, 3, 1, 2), True,
     dict(stride=(2, 1, 2), groups=2, dilation=(1, 1, 2))),
    (3, (2, 4, 5, 4), (2, 2, 3, 3, 3), False, dict(padding="same")),
]


def _case_id(case):
    nd, x, w, b, kw = case
    return f"{nd}d-x{'x'.join(map(str, x))}-w{'x'.join(map(str, w))}-{kw}"


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv_matches_torch(case):
    nd, xs, ws, bias, kw = case
    shapes = [xs, ws] + ([(ws[0],)] if bias else [])

    def fn(lib, x, w, b=None):
        return getattr(lib.nn.functional, f"conv{nd}d")(x, w, b, **kw)
    check_op(fn, shapes, atol=1e-5, grad_atol=1e-4)


# (nd, input shape, weight shape (C_in, C_out/groups, *k), with bias, kwargs)
TRANSPOSED_CASES = [
    (2, (2, 4, 4, 5), (4, 3, 3, 3), True, {}),
    (2, (2, 4, 4, 5), (4, 3, 3, 2), True, dict(stride=2, padding=1, output_padding=1)),
    (2, (2, 4, 3, 3), (4, 2, 3, 3), True, dict(stride=(2, 3), groups=2, output_padding=(1, 2))),
    (2, (2, 4, 3, 4), (4, 1, 2, 3), False, dict(dilation=2, padding=1, stride=2, output_padding=1)),
    (2, (4, 3, 3), (4, 2, 3, 3), True, dict(stride=2)),                   # unbatched
    (1, (2, 3, 5), (3, 2, 4), True, dict(stride=3, padding=2, output_padding=2)),
    (3, (1, 2, 3, 2, 3), (2, 3, 2, 2, 3), True, dict(stride=2, padding=(0, 1, 1))),
]


@pytest.mark.parametrize("case", TRANSPOSED_CASES, ids=_case_id)
def test_conv_transpose_matches_torch(case):
    nd, xs, ws, bias, kw = case
    groups = kw.get("groups", 1)
    shapes = [xs, ws] + ([(ws[1] * groups,)] if bias else [])

    def fn(lib, x, w, b=None):
        return getattr(lib.nn.functional, f"conv_transpose{nd}d")(x, w, b, **kw)
    check_op(fn, shapes, atol=1e-5, grad_atol=1e-4)


def test_conv_noncontiguous_and_float64():
    def fn(lib, x, w, b):
        return lib.nn.functional.conv2d(x, w, b, stride=(1, 2), padding=(2, 1))
    check_op(fn, [(2, 3, 6, 7), (4, 3, 3, 2), (4,)], noncontiguous=True, grad_atol=1e-4)
    check_op(fn, [(2, 3, 6, 7), (4, 3, 3, 2), (4,)], dtype="float64", atol=1e-10, grad_atol=1e-9)


def test_conv_in_several_batch_chunks(monkeypatch):
    """A small chunk budget makes forward and backward run over many batch chunks."""
    monkeypatch.setattr(conv_ops, "_CHUNK_ELEMENTS", 200)

    def fn(lib, x, w, b):
        return lib.nn.functional.conv2d(x, w, b, padding=1, stride=2)
    check_op(fn, [(7, 3, 6, 6), (4, 3, 3, 3), (4,)], grad_atol=1e-4, gradcheck=False)

    def fn_t(lib, x, w):
        return lib.nn.functional.conv_transpose2d(x, w, stride=2, output_padding=1)
    check_op(fn_t, [(5, 4, 3, 3), (4, 2, 3, 3)], grad_atol=1e-4, gradcheck=False)


def test_conv_skips_input_grad_when_not_needed(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("input gradient computed for an input that does not need it")
    monkeypatch.setattr(conv_ops, "conv_input_grad", fail)
    x = ember.randn(2, 1, 6, 6)
    w = ember.randn(3, 1, 3, 3, requires_grad=True)
    ember.nn.functional.conv2d(x, w).sum().backward()
    assert w.grad.shape == (3, 1, 3, 3) and x.grad is None


def test_conv_empty_batch_and_grad_fn_name():
    x = ember.zeros(0, 2, 5, 5, requires_grad=True)
    w = ember.randn(3, 2, 3, 3, requires_grad=True)
    y = ember.nn.functional.conv2d(x, w)
    assert y.shape == (0, 3, 3, 3)
    assert y.grad_fn.name() == "ConvolutionBackward0"
    y.sum().backward()
    assert x.grad.shape == (0, 2, 5, 5)
    assert np.all(w.grad.numpy() == 0)


def _conv_errors(lib):
    F = lib.nn.functional
    r = lib.randn
    return [
        (lambda: F.conv2d(r(28, 28), r(32, 1, 3, 3)), RuntimeError,
         r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: "
         r"\[28, 28\]"),
        (lambda: F.conv2d(r(1, 1, 2, 2), r(1, 1, 3, 3)), RuntimeError,
         r"Calculated padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\). Kernel "
         r"size can't be greater than actual input size"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), dilation=3), RuntimeError,
         r"Kernel size: \(7 x 7\)"),
        (lambda: F.conv2d(r(64, 3, 28, 28), r(32, 1, 3, 3)), RuntimeError,
         r"Given groups=1, weight of size \[32, 1, 3, 3\], expected input\[64, 3, 28, 28\] to "
         r"have 1 channels, but got 3 channels instead"),
        (lambda: F.conv2d(r(1, 4, 5, 5), r(3, 2, 3, 3), groups=2), RuntimeError,
         r"expected weight to be divisible by 2 at dimension 0"),
        (lambda: F.conv2d(r(1, 4, 5, 5), r(4, 2, 3, 3), r(3), groups=2), RuntimeError,
         r"expected bias to be 1-dimensional with 4 elements, but got bias of size \[3\]"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3).double()), RuntimeError,
         r"expected scalar type Float but found Double"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), r(1).double()), RuntimeError,
         r"Input type \(float\) and bias type \(double\) should be the same"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), stride=0), RuntimeError,
         "non-positive stride is not supported"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), padding=-1), RuntimeError,
         "negative padding is not supported"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), dilation=0), RuntimeError,
         "dilation should be greater than zero"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), groups=0), RuntimeError,
         "non-positive groups is not supported"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), stride=(1, 1, 1)), RuntimeError,
         r"expected stride to be a single integer value or a list of 2 values"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), stride=2, padding="same"), RuntimeError,
         "padding='same' is not supported for strided convolutions"),
        (lambda: F.conv2d(r(1, 1, 5, 5), r(1, 1, 3, 3), padding="foo"), RuntimeError,
         "Invalid padding string: 'foo'"),
        (lambda: F.conv_transpose2d(r(1, 3, 5, 5), r(4, 2, 3, 3)), RuntimeError,
         r"Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have "
         r"4 channels, but got 3 channels instead"),
        (lambda: F.conv_transpose2d(r(1, 4, 5, 5), r(4, 2, 3, 3), output_padding=1), RuntimeError,
         "output padding must be smaller than either stride or dilation, but got "
         "output_padding_height: 1 output_padding_width: 1 stride_height: 1"),
        (lambda: F.conv_transpose2d(r(1, 4, 1, 1), r(4, 2, 3, 3), padding=2), RuntimeError,
         r"Given input size per channel: \(1 x 1\). Calculated output size per channel: "
         r"\(-1 x -1\). Output size is too small"),
        (lambda: F.conv_transpose2d(r(1, 4, 5, 5), r(4, 2, 3, 3), padding="same"), TypeError,
         "argument 'padding' must be tuple of ints, not str"),
        (lambda: F.conv_transpose2d(r(4, 2), r(4, 2, 3, 3)), RuntimeError,
         r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv_transpose2d"),
    ]


def test_conv_errors_match_torch():
    errors_like_torch(_conv_errors)


# -- layers ---------------------------------------------------------------------------

def _copy_params(src, dst):
    """torch layer -> ember layer (same parameter names)."""
    for name, p in src.named_parameters():
        getattr(dst, name).data = ember.tensor(p.detach().numpy().copy())


def _compare_layer(t_layer, e_layer, shape, seed=0, atol=1e-5, **call):
    _copy_params(t_layer, e_layer)
    x = make_arrays([shape], seed=seed)[0]
    tx = torch.tensor(x, requires_grad=True)
    ex = ember.tensor(x, requires_grad=True)
    ty, ey = t_layer(tx, **call), e_layer(ex, **call)
    assert tuple(ey.shape) == tuple(ty.shape)
    np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), atol=atol, rtol=1e-4)
    g = np.random.default_rng(seed + 1).standard_normal(tuple(ty.shape)).astype(x.dtype)
    ty.backward(torch.tensor(g))
    ey.backward(ember.tensor(g))
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy(), atol=10 * atol, rtol=1e-3)
    for name, p in t_layer.named_parameters():
        np.testing.assert_allclose(getattr(e_layer, name).grad.numpy(), p.grad.numpy(),
                                   atol=10 * atol, rtol=1e-3, err_msg=name)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("nd,padding", [(1, 2), (2, (1, 2)), (2, "same"), (3, 1)])
def test_conv_layer_padding_modes(mode, nd, padding):
    cls = f"Conv{nd}d"
    kw = dict(padding=padding, padding_mode=mode, groups=2, dilation=2 if padding == "same" else 1)
    t_layer = getattr(torch.nn, cls)(4, 6, 3, **kw)
    e_layer = getattr(nn, cls)(4, 6, 3, **kw)
    _compare_layer(t_layer, e_layer, (2, 4) + (7, 6, 5)[:nd])


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_transpose_layer_and_output_size(nd):
    cls = f"ConvTranspose{nd}d"
    t_layer = getattr(torch.nn, cls)(4, 6, 3, stride=2, padding=1, bias=nd != 2)
    e_layer = getattr(nn, cls)(4, 6, 3, stride=2, padding=1, bias=nd != 2)
    shape = (2, 4) + (3, 4, 2)[:nd]
    _compare_layer(t_layer, e_layer, shape)
    size = [2 * s for s in shape[2:]]       # needs output_padding 1
    _compare_layer(t_layer, e_layer, shape, output_size=size)
    _compare_layer(t_layer, e_layer, shape, output_size=[2, 6] + size)


def test_conv_layer_unbatched_and_float64():
    t_layer = torch.nn.Conv2d(3, 5, (2, 3), stride=(2, 1), padding=1).double()
    e_layer = nn.Conv2d(3, 5, (2, 3), stride=(2, 1), padding=1).double()
    arrays = make_arrays([(3, 6, 5)], dtype="float64")
    _copy_params(t_layer, e_layer)
    ty = t_layer(torch.tensor(arrays[0]))
    ey = e_layer(ember.tensor(arrays[0]))
    assert ey.dtype == ember.float64
    np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), atol=1e-12)


def test_conv_layer_gradcheck():
    layer = nn.Conv2d(2, 3, 2, padding=1, padding_mode="reflect").double()
    x = ember.randn(1, 2, 3, 3, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, w, b: nn.functional.conv2d(
        nn.functional.pad(x, (1, 1, 1, 1), mode="reflect"), w, b), (x, layer.weight, layer.bias))


REPRS = [
    ("Conv2d", (4, 6, 3), {}),
    ("Conv2d", (4, 6, (3, 2)), dict(stride=2, padding=1, dilation=2, groups=2, bias=False,
                                     padding_mode="reflect")),
    ("Conv1d", (4, 6, 3), dict(padding="same")),
    ("Conv2d", (4, 6, 3), dict(padding="valid")),
    ("Conv3d", (2, 4, (1, 2, 3)), dict(stride=(1, 2, 1), padding_mode="circular", padding=1)),
    ("ConvTranspose2d", (4, 6, 3), dict(stride=2, output_padding=1)),
    ("ConvTranspose3d", (4, 6, 3), {}),
    ("ConvTranspose1d", (4, 6, 3), dict(groups=2, dilation=2, bias=False)),
]


@pytest.mark.parametrize("cls,args,kw", REPRS)
def test_conv_layer_repr_and_attributes(cls, args, kw):
    t_layer = getattr(torch.nn, cls)(*args, **kw)
    e_layer = getattr(nn, cls)(*args, **kw)
    assert repr(e_layer) == repr(t_layer)
    for attr in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                 "groups", "padding_mode", "output_padding", "transposed",
                 "_reversed_padding_repeated_twice"):
        assert getattr(e_layer, attr) == getattr(t_layer, attr), attr
    assert tuple(e_layer.weight.shape) == tuple(t_layer.weight.shape)
    assert (e_layer.bias is None) == (t_layer.bias is None)
    assert list(e_layer.state_dict()) == list(t_layer.state_dict())


@pytest.mark.parametrize("cls,args", [("Conv2d", (16, 32, 3)), ("ConvTranspose2d", (8, 12, 4)),
                                      ("Conv1d", (6, 64, 5, 1, 0, 1, 2))])
def test_conv_default_init_statistics(cls, args):
    ember.manual_seed(0)
    layer = getattr(nn, cls)(*args)
    w = layer.weight.detach().numpy()
    fan_in = w.shape[1] * math.prod(w.shape[2:])
    bound = 1 / math.sqrt(fan_in)     # kaiming_uniform(a=sqrt(5)) on the weight
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.mean()) < 0.1 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.1 * bound
    b = layer.bias.detach().numpy()
    assert np.abs(b).max() <= bound and len(np.unique(b)) == len(b)


def test_conv_layer_errors_name_the_layer():
    layer = nn.Conv2d(1, 32, 3)
    with pytest.raises(RuntimeError, match=r"^Conv2d\(1, 32, kernel_size=\(3, 3\), stride=\(1, 1\)"
                                           r"\): expected input with 1 channels, got input of "
                                           r"shape \(64, 3, 28, 28\)$"):
        layer(ember.randn(64, 3, 28, 28))
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Conv2d(3, 8, 3))
    with pytest.raises(RuntimeError, match=r"^1 \(Conv2d\(3, 8, .*\)\): expected input with 3 "
                                           r"channels, got input of shape \(2, 4, 4, 4\)$"):
        model(ember.randn(2, 1, 6, 6))
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to "
                                           r"conv2d, but got input of size: \[28, 28\]"):
        layer(ember.randn(28, 28))
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        layer(ember.randn(1, 1, 2, 2))


@pytest.mark.parametrize("call,exc,pattern", [
    (lambda lib: lib.nn.Conv2d(4, 6, 3, groups=4), ValueError, "out_channels must be divisible"),
    (lambda lib: lib.nn.Conv2d(4, 6, 3, groups=3), ValueError, "in_channels must be divisible"),
    (lambda lib: lib.nn.Conv2d(4, 6, 3, groups=0), ValueError, "groups must be a positive"),
    (lambda lib: lib.nn.Conv2d(4, 6, 3, padding="same", stride=2), ValueError,
     "padding='same' is not supported for strided convolutions"),
    (lambda lib: lib.nn.Conv2d(4, 6, 3, padding="full"), ValueError, "Invalid padding string"),
    (lambda lib: lib.nn.Conv2d(4, 6, 3, padding_mode="foo"), ValueError,
     "padding_mode must be one of"),
    (lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"), ValueError,
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
    (lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, stride=2)(lib.randn(1, 4, 3, 3),
                                                          output_size=[9, 9]),
     ValueError, r"requested an output size of \[9, 9\], but valid sizes range from \[7, 7\] to "
                 r"\[8, 8\]"),
])
def test_conv_layer_construction_errors(call, exc, pattern):
    raises_like_torch(call, exc, pattern)


# -- unfold / fold ------------------------------------------------------------------------

@pytest.mark.parametrize("shape,kw", [
    ((2, 3, 6, 5), dict(kernel_size=2)),
    ((2, 3, 8, 6), dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))),
    ((3, 4, 5), dict(kernel_size=2, stride=2)),                 # unbatched
    ((2, 3, 4, 4), dict(kernel_size=1)),
])
def test_unfold_matches_torch(shape, kw):
    check_op(lambda lib, x: lib.nn.functional.unfold(x, **kw), [shape])


@pytest.mark.parametrize("shape,out,kw", [
    ((2, 12, 12), (4, 5), dict(kernel_size=2)),
    ((2, 12, 30), (4, 5), dict(kernel_size=2, padding=1)),
    ((1, 18, 6), (5, 6), dict(kernel_size=(3, 2), stride=(2, 3), dilation=(1, 2), padding=(1, 0))),
    ((12, 12), (4, 5), dict(kernel_size=2)),                    # unbatched
])
def test_fold_matches_torch(shape, out, kw):
    check_op(lambda lib, x: lib.nn.functional.fold(x, out, **kw), [shape])


def test_fold_unfold_layers_and_errors():
    from ember.nn.modules.fold import Fold, Unfold
    assert repr(Unfold((2, 3), dilation=2, padding=1, stride=(1, 2))) == \
        repr(torch.nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2)))
    assert repr(Fold((4, 5), 2)) == repr(torch.nn.Fold((4, 5), 2))
    x = ember.randn(2, 3, 4, 5)
    np.testing.assert_allclose(Fold((4, 5), 2)(Unfold(2)(x)).numpy(),
                               torch.nn.Fold((4, 5), 2)(torch.nn.Unfold(2)(
                                   torch.tensor(x.numpy()))).numpy(), rtol=1e-6)
    cases = [
        (lambda lib: lib.nn.functional.unfold(lib.randn(2, 3, 4, 5), 6), RuntimeError,
         "calculated shape of the array of sliding blocks as"),
        (lambda lib: lib.nn.functional.unfold(lib.randn(2, 3, 4, 5), 3, padding=-1), RuntimeError,
         "padding should be non-negative"),
        (lambda lib: lib.nn.functional.fold(lib.randn(2, 13, 12), (4, 5), 2), RuntimeError,
         "to be divisible by the product of kernel_size"),
        (lambda lib: lib.nn.functional.fold(lib.randn(2, 12, 11), (4, 5), 2), RuntimeError,
         "match the calculated number of sliding blocks 3 \\* 4 = 12"),
    ]
    for call, exc, pattern in cases:
        raises_like_torch(call, exc, pattern)
