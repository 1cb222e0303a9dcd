"""F.pad, interpolate and pixel shuffle against torch, with their layers, reprs and errors."""
import numpy as np
import pytest

import ember
from ember import nn
from tests.helpers import check_op, errors_like_torch, raises_like_torch

torch = pytest.importorskip("torch")

PAD_CASES = [
    ((2, 3, 5, 4), (1, 2), "constant", 0.0),
    ((2, 3, 5, 4), (1, 2, 0, 3), "constant", 2.5),
    ((2, 3, 5, 4), (1, 1, 1, 1, 1, 1, 2, 0), "constant", -1.0),     # every dim
    ((2, 3, 5, 4), (-1, 2, 3, -2), "constant", 0.0),                # negative amounts crop
    ((2, 3, 5, 4), (-4, 0), "constant", 0.0),                       # crop to nothing
    ((5,), (2, 3), "constant", 1.0),
    ((2, 3, 6), (2, 3), "reflect", None),
    ((3, 6), (5, 0), "reflect", None),                               # unbatched
    ((2, 3, 5, 4), (1, 2, 3, 0), "reflect", None),
    ((2, 3, 5, 4, 3), (1, 2, 3, 1, 2, 0), "reflect", None),
    ((2, 3, 5, 4), (-1, 2, 3, -1), "reflect", None),
    ((2, 3, 6), (4, 7), "replicate", None),
    ((2, 3, 5, 4), (1, 2, 3, 0), "replicate", None),
    ((3, 5, 4, 3), (2, 2, 3, 1, 1, 4), "replicate", None),
    ((2, 3, 6), (6, 2), "circular", None),
    ((2, 3, 5, 4), (1, 2, 3, 5), "circular", None),
    ((2, 3, 5, 4, 3), (1, 2, 3, 1, 2, 3), "circular", None),
    ((2, 3, 5, 4), (-1, 3, 2, -2), "circular", None),
]


@pytest.mark.parametrize("shape,pad,mode,value", PAD_CASES,
                         ids=[f"{c[2]}-{c[1]}-{'x'.join(map(str, c[0]))}" for c in PAD_CASES])
def test_pad_matches_torch(shape, pad, mode, value):
    check_op(lambda lib, x: lib.nn.functional.pad(x, pad, mode=mode, value=value), [shape])


def test_pad_integers_noncontiguous_and_grad_fn():
    x = np.arange(24).reshape(2, 3, 4)
    check_op(lambda lib, t: lib.nn.functional.pad(t, (1, 2), value=7), arrays=[x])
    check_op(lambda lib, t: lib.nn.functional.pad(t, (1, 2, 2, 1), mode="reflect"), arrays=[x])
    check_op(lambda lib, t: lib.nn.functional.pad(t, (2, 1, 1, 2), mode="replicate"),
             [(2, 4, 5)], noncontiguous=True)
    x = ember.randn(1, 2, 3, requires_grad=True)
    names = [ember.nn.functional.pad(x, (1, 1), mode=m).grad_fn.name()
             for m in ("constant", "reflect", "replicate")]
    assert names == ["ConstantPadNdBackward0", "ReflectionPad1DBackward0",
                     "ReplicationPad1DBackward0"]


def _pad_errors(lib):
    F = lib.nn.functional
    x, x3 = lib.randn(2, 3, 4, 5), lib.randn(2, 3, 5)
    return [
        (lambda: F.pad(x, (1,)), RuntimeError, "Padding length must be divisible by 2"),
        (lambda: F.pad(x, (1, 1) * 5), RuntimeError,
         "Padding length should be less than or equal to two times the input dimension but got "
         "padding length 10 and input of dimension 4"),
        (lambda: F.pad(x, (-3, -3)), RuntimeError, "narrow\\(\\): length must be non-negative"),
        (lambda: F.pad(x, (1, 1), mode="reflect", value=1.0), RuntimeError,
         'Padding mode "reflect" doesn\'t take in value argument'),
        (lambda: F.pad(x, (1, 1), mode="foo"), NotImplementedError,
         "Unrecognised padding mode foo"),
        (lambda: F.pad(x, (1, 1), mode="reflect"), NotImplementedError,
         "Padding size 2 is not supported for 4D input tensor"),
        (lambda: F.pad(x, (1, 1) * 4, mode="replicate"), NotImplementedError,
         "Padding size 8 is not supported for 4D input tensor"),
        (lambda: F.pad(x3, (5, 1), mode="reflect"), RuntimeError,
         r"Argument #4: Padding size should be less than the corresponding input dimension, but "
         r"got: padding \(5, 1\) at dimension 2 of input \[2, 3, 5\]"),
        (lambda: F.pad(x, (1, 1, 5, 1), mode="reflect"), RuntimeError,
         r"Argument #6: .* padding \(5, 1\) at dimension 2 of input \[2, 3, 4, 5\]"),
        (lambda: F.pad(x3, (6, 1), mode="circular"), RuntimeError,
         "Padding value causes wrapping around more than once"),
        (lambda: F.pad(x3[:, :, :0], (1, 2), mode="replicate"), RuntimeError,
         r"Expected 2D or 3D \(batch mode\) tensor with possibly 0 batch size and other non-zero "
         r"dimensions for input, but got: \[2, 3, 0\]"),
        (lambda: F.pad(x, (1.0, 1)), TypeError,
         "must be tuple of ints, but found element of type float at pos 0"),
    ]


def test_pad_errors_match_torch():
    errors_like_torch(_pad_errors)


PAD_LAYERS = [
    ("ZeroPad1d", (1,), (2, 3, 5)), ("ZeroPad2d", (2,), (2, 3, 4, 5)),
    ("ZeroPad2d", ((1, 2, 3, 4),), (2, 3, 4, 5)), ("ZeroPad3d", (1,), (1, 2, 3, 4, 5)),
    ("ConstantPad1d", (2, 3.5), (3, 5)), ("ConstantPad2d", ((1, 0, 2, 1), -1.0), (2, 3, 4, 5)),
    ("ConstantPad3d", (1, 0), (1, 2, 3, 4, 5)), ("ReflectionPad1d", (2,), (2, 3, 5)),
    ("ReflectionPad2d", (1,), (2, 3, 4, 5)), ("ReflectionPad3d", ((1, 0, 2, 1, 0, 2),),
                                              (1, 2, 3, 4, 5)),
    ("ReplicationPad1d", ((3, 1),), (2, 3, 5)), ("ReplicationPad2d", (2,), (3, 4, 5)),
    ("ReplicationPad3d", (1,), (1, 2, 3, 4, 5)), ("CircularPad1d", (2,), (2, 3, 5)),
    ("CircularPad2d", ((1, 2, 0, 3),), (2, 3, 4, 5)), ("CircularPad3d", (1,), (1, 2, 3, 4, 5)),
]


@pytest.mark.parametrize("cls,args,shape", PAD_LAYERS)
def test_pad_layers_match_torch(cls, args, shape):
    t_layer, e_layer = getattr(torch.nn, cls)(*args), getattr(nn, cls)(*args)
    assert repr(e_layer) == repr(t_layer)
    assert e_layer.padding == t_layer.padding
    assert getattr(e_layer, "value", None) == getattr(t_layer, "value", None)
    check_op(lambda lib, x: (t_layer if lib is torch else e_layer)(x), [shape], gradcheck=False)


def test_circular_pad_layer_checks_rank():
    raises_like_torch(lambda lib: lib.nn.CircularPad2d(1)(lib.randn(2, 3, 4, 5, 6)), ValueError,
                      r"expected 3D or 4D input \(got 5D input\)")


# -- interpolate ---------------------------------------------------------------------------

def _interp_cases():
    shapes = {"nearest": (2, 3, 5, 7), "nearest-exact": (2, 3, 5, 7), "linear": (2, 3, 6),
              "bilinear": (2, 3, 5, 7), "bicubic": (2, 2, 5, 6), "trilinear": (1, 2, 3, 4, 5),
              "area": (2, 3, 9, 7)}
    cases = []
    for mode, shape in shapes.items():
        dim = len(shape) - 2
        sizing = [dict(size=tuple([4, 11, 8][:dim]) if dim > 1 else 11), dict(scale_factor=1.7),
                  dict(scale_factor=2), dict(scale_factor=0.6),
                  dict(scale_factor=tuple([2.5, 0.5, 1.5][:dim]), recompute_scale_factor=True)]
        for kw in sizing:
            if mode in ("nearest", "nearest-exact", "area"):
                cases.append((mode, shape, kw))
            else:
                cases += [(mode, shape, dict(kw, align_corners=ac)) for ac in (False, True)]
    return cases


@pytest.mark.parametrize("mode,shape,kw", _interp_cases())
def test_interpolate_matches_torch(mode, shape, kw):
    check_op(lambda lib, x: lib.nn.functional.interpolate(x, mode=mode, **kw), [shape],
             grad_atol=1e-4)


def test_interpolate_nearest_indices_exact_over_many_sizes():
    x = np.random.default_rng(0).standard_normal((1, 1, 37)).astype(np.float32)
    for mode in ("nearest", "nearest-exact"):
        for size in range(1, 100, 3):
            t = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode=mode)
            e = ember.nn.functional.interpolate(ember.tensor(x), size=size, mode=mode)
            np.testing.assert_array_equal(e.numpy(), t.numpy(), err_msg=f"{mode} {size}")
        for scale in (0.3, 0.77, 1.1, 1.5, 2.9, 3.3):
            t = torch.nn.functional.interpolate(torch.tensor(x), scale_factor=scale, mode=mode)
            e = ember.nn.functional.interpolate(ember.tensor(x), scale_factor=scale, mode=mode)
            np.testing.assert_array_equal(e.numpy(), t.numpy(), err_msg=f"{mode} x{scale}")


def test_interpolate_uint8_nearest_and_grad_fn_names():
    x = np.random.default_rng(0).integers(0, 255, size=(1, 3, 4, 5)).astype(np.uint8)
    check_op(lambda lib, t: lib.nn.functional.interpolate(t, scale_factor=3), arrays=[x])
    x = ember.randn(1, 1, 3, 3, requires_grad=True)
    F = ember.nn.functional
    assert F.interpolate(x, scale_factor=2).grad_fn.name() == "UpsampleNearest2DBackward0"
    assert F.interpolate(x, scale_factor=2, mode="bilinear").grad_fn.name() == \
        "UpsampleBilinear2DBackward0"


def _interp_errors(lib):
    F = lib.nn.functional
    x = lib.randn(2, 3, 5, 7)
    return [
        (lambda: F.interpolate(x, size=(4, 4), scale_factor=2), ValueError,
         "only one of size or scale_factor should be defined"),
        (lambda: F.interpolate(x), ValueError, "either size or scale_factor should be defined"),
        (lambda: F.interpolate(x, size=(4, 4, 4)), ValueError,
         r"Input and output must have the same number of spatial dimensions, but got input with "
         r"spatial dimensions of \[5, 7\] and output size of \(4, 4, 4\)"),
        (lambda: F.interpolate(x, scale_factor=(2, 2, 2)), ValueError,
         r"and scale_factor of shape \(2, 2, 2\)"),
        (lambda: F.interpolate(x, size=4, mode="linear"), NotImplementedError,
         "Got 4D input, but linear mode needs 3D input"),
        (lambda: F.interpolate(x, size=4, mode="trilinear"), NotImplementedError,
         "Got 4D input, but trilinear mode needs 5D input"),
        (lambda: F.interpolate(x, size=4, align_corners=True), ValueError,
         "align_corners option can only be set with the interpolating modes"),
        (lambda: F.interpolate(x, size=4, mode="foo"), NotImplementedError,
         r"Only 3D, 4D and 5D input Tensors supported \(got 4D\) for the modes"),
        (lambda: F.interpolate(x[0, 0], scale_factor=2), NotImplementedError,
         r"Only 3D, 4D and 5D input Tensors supported \(got 2D\)"),
        (lambda: F.interpolate(x, scale_factor=0.1), RuntimeError,
         r"Input and output sizes should be greater than 0, but got input \(H: 5, W: 7\) output "
         r"\(H: 0, W: 0\)"),
        (lambda: F.interpolate(x, size=[4.5, 4]), TypeError,
         "expected size to be one of int or Tuple"),
        (lambda: F.interpolate(x, size=4, recompute_scale_factor=True), ValueError,
         "recompute_scale_factor is not meaningful with an explicit size"),
    ]


def test_interpolate_errors_match_torch():
    errors_like_torch(_interp_errors)


UPSAMPLE_LAYERS = [
    ("Upsample", dict(scale_factor=2)),
    ("Upsample", dict(size=(3, 4), mode="bilinear", align_corners=True)),
    ("Upsample", dict(scale_factor=(2, 3))),
    ("Upsample", dict(scale_factor=1.5, mode="bicubic")),
    ("UpsamplingNearest2d", dict(scale_factor=2)),
    ("UpsamplingBilinear2d", dict(size=4)),
]


@pytest.mark.parametrize("cls,kw", UPSAMPLE_LAYERS)
def test_upsample_layers_match_torch(cls, kw):
    t_layer, e_layer = getattr(torch.nn, cls)(**kw), getattr(nn, cls)(**kw)
    assert repr(e_layer) == repr(t_layer)
    for name in ("name", "size", "scale_factor", "mode", "align_corners",
                 "recompute_scale_factor"):
        assert getattr(e_layer, name) == getattr(t_layer, name), name
    check_op(lambda lib, x: (t_layer if lib is torch else e_layer)(x), [(2, 3, 4, 5)],
             gradcheck=False, grad_atol=1e-4)


# -- pixel shuffle -----------------------------------------------------------------------

@pytest.mark.parametrize("shape,r", [((2, 8, 3, 4), 2), ((9, 2, 3), 3), ((2, 3, 8, 2, 2), 2),
                                     ((1, 4, 1, 1), 1)])
def test_pixel_shuffle_round_trip_matches_torch(shape, r):
    check_op(lambda lib, x: lib.nn.functional.pixel_shuffle(x, r), [shape])
    up = shape[:-3] + (shape[-3] // (r * r), shape[-2] * r, shape[-1] * r)
    check_op(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, r), [up])
    x = ember.randn(*shape)
    y = ember.nn.functional.pixel_unshuffle(ember.nn.functional.pixel_shuffle(x, r), r)
    np.testing.assert_array_equal(y.numpy(), x.numpy())


def test_pixel_shuffle_layers_and_errors():
    assert repr(nn.PixelShuffle(2)) == repr(torch.nn.PixelShuffle(2))
    assert repr(nn.PixelUnshuffle(3)) == repr(torch.nn.PixelUnshuffle(3))
    check_op(lambda lib, x: lib.nn.PixelShuffle(2)(x), [(2, 8, 3, 3)], gradcheck=False)
    check_op(lambda lib, x: lib.nn.PixelUnshuffle(2)(x), [(2, 2, 4, 6)], gradcheck=False)
    cases = [
        (lambda lib: lib.nn.functional.pixel_shuffle(lib.randn(2, 5, 3, 3), 2),
         "channel' dimension to be divisible by the square of upscale_factor, but "
         r"input.size\(-3\)=5 is not divisible by 4"),
        (lambda lib: lib.nn.functional.pixel_shuffle(lib.randn(3, 3), 2),
         "pixel_shuffle expects input to have at least 3 dimensions, but got input with 2"),
        (lambda lib: lib.nn.functional.pixel_unshuffle(lib.randn(2, 5, 3, 4), 2),
         r"pixel_unshuffle expects height to be divisible by downscale_factor, but "
         r"input.size\(-2\)=3 is not divisible by 2"),
    ]
    for call, pattern in cases:
        raises_like_torch(call, RuntimeError, pattern)
