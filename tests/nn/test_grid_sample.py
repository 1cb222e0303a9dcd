"""F.grid_sample and F.affine_grid against torch: every mode, padding mode and align_corners,
values and gradients for both input and grid (plus a float64 gradcheck), and torch's errors."""
import itertools
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, check_op, raises_like_torch

torch = pytest.importorskip("torch")

PADDINGS = ["zeros", "border", "reflection"]


def _inputs(input_shape, grid_shape, seed=0):
    rng = np.random.default_rng(seed)
    # the grid reaches past [-1, 1] so every padding mode is exercised
    return [rng.standard_normal(input_shape).astype(np.float32),
            rng.uniform(-1.4, 1.4, grid_shape).astype(np.float32)]


@pytest.mark.parametrize("mode,padding_mode,align_corners",
                         list(itertools.product(["bilinear", "nearest", "bicubic"], PADDINGS,
                                                [False, True])))
def test_grid_sample_2d_matches_torch(mode, padding_mode, align_corners):
    check_op(lambda lib, i, g: lib.nn.functional.grid_sample(
        i, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners),
        arrays=_inputs((2, 2, 4, 3), (2, 2, 3, 2)), gradcheck=mode != "bicubic" or align_corners)


@pytest.mark.parametrize("mode,padding_mode,align_corners",
                         list(itertools.product(["bilinear", "nearest"], PADDINGS, [False, True])))
def test_grid_sample_3d_matches_torch(mode, padding_mode, align_corners):
    check_op(lambda lib, i, g: lib.nn.functional.grid_sample(
        i, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners),
        arrays=_inputs((2, 2, 3, 5, 4), (2, 3, 2, 4, 3)), gradcheck=False)


def test_grid_sample_default_warns_and_float64():
    i, g = _inputs((1, 2, 4, 4), (1, 3, 3, 2))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        e = ember.nn.functional.grid_sample(ember.tensor(i.astype(np.float64)),
                                            ember.tensor(g.astype(np.float64)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = torch.nn.functional.grid_sample(torch.tensor(i, dtype=torch.float64),
                                            torch.tensor(g, dtype=torch.float64))
    assert_close(e, t, atol=1e-12)


def test_grid_sample_errors_like_torch():

    def call(i_shape=(1, 1, 3, 3), g_shape=(1, 2, 2, 2), **kw):
        return lambda lib: lib.nn.functional.grid_sample(lib.zeros(*i_shape), lib.zeros(*g_shape),
                                                         align_corners=False, **kw)
    raises_like_torch(call(mode="area"), ValueError,
                      "expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'area'")
    raises_like_torch(call(padding_mode="circular"), ValueError,
                      "expected padding_mode to be 'zeros', 'border', or 'reflection'")
    raises_like_torch(call(g_shape=(2, 2, 2, 2)), RuntimeError,
                      "expected grid and input to have same batch size")
    raises_like_torch(call(g_shape=(1, 2, 2, 3)), RuntimeError,
                      "expected grid to have size 2 in last dimension")
    raises_like_torch(call(i_shape=(1, 1, 2, 3, 3), g_shape=(1, 2, 2, 2, 3),
                           mode="bicubic"), RuntimeError, "bicubic interpolation only supports 4D")


@pytest.mark.filterwarnings("ignore:Since version 1.3.0, affine_grid")
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_matches_torch(align_corners):
    check_op(lambda lib, t: lib.nn.functional.affine_grid(t, (2, 3, 4, 5),
                                                          align_corners=align_corners), [(2, 2, 3)])
    check_op(lambda lib, t: lib.nn.functional.affine_grid(t, [2, 3, 4, 1, 3],
                                                          align_corners=align_corners), [(2, 3, 4)])


def test_affine_grid_then_grid_sample_trains_theta():
    """A spatial transformer step: gradients reach theta through the grid."""
    rng = np.random.default_rng(4)
    img = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    theta0 = np.tile(np.array([[0.9, 0.1, 0.05], [-0.1, 1.1, 0.0]], np.float32), (2, 1, 1))
    grads = {}
    for lib in (torch, ember):
        theta = lib.tensor(theta0, requires_grad=True)
        grid = lib.nn.functional.affine_grid(theta, (2, 3, 5, 5), align_corners=False)
        out = lib.nn.functional.grid_sample(lib.tensor(img), grid, align_corners=False,
                                            padding_mode="border")
        out.pow(2).mean().backward()
        grads[lib] = theta.grad
    assert_close(grads[ember], grads[torch], atol=1e-5)


def test_affine_grid_errors_like_torch():
    raises_like_torch(lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3, dtype=lib.int64),
                                                                (1, 1, 2, 2), align_corners=False),
                      ValueError, "Expected theta to have floating point type")
    raises_like_torch(lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 3, 4), (1, 1, 2, 2),
                                                                align_corners=False),
                      ValueError, "Expected a batch of 2D affine matrices of shape Nx2x3")
    raises_like_torch(lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 2, 2),
                                                                align_corners=False),
                      NotImplementedError, "affine_grid only supports 4D and 5D sizes")
    raises_like_torch(lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 0, 2),
                                                                align_corners=False),
                      ValueError, "Expected non-zero, positive output size")


def test_top_level_aliases_match_torch():
    i, g = _inputs((1, 2, 4, 4), (1, 3, 3, 2))
    check_op(lambda lib, x, y: lib.grid_sampler(x, y, 2, 2, True), arrays=[i, g], gradcheck=False)
    check_op(lambda lib, t: lib.affine_grid_generator(t, [1, 1, 3, 4], False), [(1, 2, 3)])
    check_op(lambda lib, x: lib.channel_shuffle(x, 2), [(1, 4, 3)])
