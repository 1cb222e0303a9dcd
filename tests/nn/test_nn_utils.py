"""nn.utils against torch: gradient clipping and parameter <-> vector conversion."""
import math

import numpy as np
import pytest

import ember
from ember import nn

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (5,), (2, 2, 2), ()]


def params_with_grads(lib, scale=1.0, seed=0):
    """Parameters of SHAPES with the same random .grad in both libraries (the last has none)."""
    rng = np.random.default_rng(seed)
    params = []
    for i, shape in enumerate(SHAPES):
        p = lib.nn.Parameter(lib.tensor(rng.standard_normal(shape).astype(np.float32)))
        g = (rng.standard_normal(shape) * scale).astype(np.float32)
        if i < len(SHAPES) - 1:
            p.grad = lib.tensor(g)
        params.append(p)
    return params


def grads_np(params):
    return [None if p.grad is None else np.asarray(p.grad.numpy()) for p in params]


@pytest.mark.parametrize("max_norm", [0.5, 1e3])
@pytest.mark.parametrize("norm_type", [2.0, 1, math.inf, 3.5, "inf"])
def test_clip_grad_norm_matches_torch(max_norm, norm_type):
    e, t = params_with_grads(ember, 2.0), params_with_grads(torch, 2.0)
    total_e = nn.utils.clip_grad_norm_(e, max_norm, norm_type=norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(t, max_norm, norm_type=norm_type)
    assert isinstance(total_e, ember.Tensor) and total_e.dim() == 0
    assert total_e.item() == pytest.approx(total_t.item(), rel=1e-5)
    for ge, gt in zip(grads_np(e), grads_np(t)):
        if gt is None:
            assert ge is None
        else:
            np.testing.assert_allclose(ge, gt, rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_single_tensor_generator_and_empty():
    p = nn.Parameter(ember.ones(4))
    p.grad = ember.full((4,), 3.0)
    total = nn.utils.clip_grad_norm_(p, 1.0)  # one tensor, not a list
    assert total.item() == pytest.approx(6.0)
    np.testing.assert_allclose(p.grad.numpy(), np.full(4, 0.5), rtol=1e-5)
    m = nn.Module()
    m.w = nn.Parameter(ember.ones(2))
    m.w.grad = ember.tensor([3.0, 4.0])
    assert nn.utils.clip_grad_norm_(m.parameters(), 10.0).item() == pytest.approx(5.0)
    empty = nn.utils.clip_grad_norm_([nn.Parameter(ember.ones(2))], 1.0)
    expected = torch.nn.utils.clip_grad_norm_([torch.nn.Parameter(torch.ones(2))], 1.0)
    assert empty.item() == expected.item() == 0.0
    assert empty.dtype.name == str(expected.dtype).split(".")[-1]


def test_clip_grad_norm_nonfinite():
    def run(lib):
        p = lib.nn.Parameter(lib.ones(2))
        p.grad = lib.tensor([float("inf"), 1.0])
        with pytest.raises(RuntimeError) as info:
            lib.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
        quiet = lib.nn.utils.clip_grad_norm_([p], 1.0)
        return str(info.value), math.isinf(quiet.item())
    assert run(ember) == run(torch)


@pytest.mark.parametrize("clip", [0.3, 2])
def test_clip_grad_value_matches_torch(clip):
    e, t = params_with_grads(ember, 2.0), params_with_grads(torch, 2.0)
    assert nn.utils.clip_grad_value_(e, clip) is None
    torch.nn.utils.clip_grad_value_(t, clip)
    for ge, gt in zip(grads_np(e), grads_np(t)):
        if gt is not None:
            np.testing.assert_array_equal(ge, gt)


def test_parameters_to_vector_round_trip():
    e, t = params_with_grads(ember), params_with_grads(torch)
    vec = nn.utils.parameters_to_vector(e)
    np.testing.assert_array_equal(vec.detach().numpy(),
                                  torch.nn.utils.parameters_to_vector(t).detach().numpy())
    assert vec.shape == (12 + 5 + 8 + 1,)
    for p in e:
        p.grad = None
    (vec * ember.arange(26.0)).sum().backward()  # differentiable: each param gets its slice
    np.testing.assert_array_equal(e[1].grad.numpy(), np.arange(12.0, 17.0))
    new = ember.arange(26.0)
    nn.utils.vector_to_parameters(new, e)
    assert [tuple(p.shape) for p in e] == SHAPES and all(type(p) is nn.Parameter for p in e)
    np.testing.assert_array_equal(e[2].detach().numpy().ravel(), np.arange(17.0, 25.0))
    assert e[3].item() == 25.0
    new.add_(1)  # parameters now view the vector, as in torch
    assert e[3].item() == 26.0


def test_vector_to_parameters_error():
    def run(lib):
        with pytest.raises(TypeError) as info:
            lib.nn.utils.vector_to_parameters([1.0], [lib.nn.Parameter(lib.ones(1))])
        return str(info.value).replace("torch.", "ember.")
    assert run(ember) == run(torch)
