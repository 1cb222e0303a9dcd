"""Random sampling: reproducibility, generator state, distributions, dtypes/shapes as torch."""
import math
import subprocess
import sys

import numpy as np
import pytest

import ember
import ember.random
from tests.helpers import raises_like_torch, torch

N = 200_000  # large enough that the moment checks below are tight


def _np(t):
    return np.asarray(t.detach().numpy(), np.float64)


def test_manual_seed_reproduces():
    ember.manual_seed(123)
    a = (ember.rand(5), ember.randn(3, 2), ember.randint(0, 10, (4,)), ember.randperm(6))
    ember.manual_seed(123)
    b = (ember.rand(5), ember.randn(3, 2), ember.randint(0, 10, (4,)), ember.randperm(6))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    ember.manual_seed(124)
    assert not np.array_equal(ember.rand(5).numpy(), a[0].numpy())


def test_same_seed_same_numbers_across_processes():
    code = "import ember; ember.manual_seed(7); print(ember.rand(3).tolist())"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}
    assert len(outs) == 1
    ember.manual_seed(7)
    assert outs.pop().strip() == str(ember.rand(3).tolist())


def test_generator_objects_are_independent():
    g1 = ember.Generator().manual_seed(5)
    g2 = ember.Generator().manual_seed(5)
    ember.manual_seed(0)
    x = ember.randn(4, generator=g1)
    ember.rand(100)  # the default generator does not disturb g2
    y = ember.randn(4, generator=g2)
    np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert g1.initial_seed() == 5
    assert ember.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721
    assert str(ember.Generator().device) == "cpu"


def test_all_samplers_take_generator():
    def draw(g):
        x = ember.empty(6)
        return [ember.rand(3, generator=g), ember.randn(3, generator=g),
                ember.randint(5, (3,), generator=g), ember.randperm(5, generator=g),
                ember.normal(0.0, 1.0, (3,), generator=g),
                ember.normal(ember.zeros(3), ember.ones(3), generator=g),
                ember.bernoulli(ember.full((3,), 0.5), generator=g),
                ember.multinomial(ember.ones(5), 3, generator=g),
                ember.poisson(ember.ones(3), generator=g),
                ember.rand_like(x, generator=g), ember.randn_like(x, generator=g),
                ember.randint_like(x, 9, generator=g),
                x.clone().uniform_(generator=g), x.clone().normal_(generator=g),
                x.clone().bernoulli_(0.3, generator=g), x.clone().random_(generator=g),
                x.clone().exponential_(generator=g), x.clone().geometric_(0.3, generator=g),
                x.clone().cauchy_(generator=g), x.clone().log_normal_(generator=g)]
    a = draw(ember.Generator().manual_seed(3))
    b = draw(ember.Generator().manual_seed(3))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_rng_state_round_trip():
    ember.manual_seed(11)
    state = ember.get_rng_state()
    assert state.dtype == ember.uint8 and state.ndim == 1
    x = ember.rand(10)
    ember.rand(3)
    ember.set_rng_state(state)
    np.testing.assert_array_equal(ember.rand(10).numpy(), x.numpy())
    assert ember.initial_seed() == 11
    g = ember.Generator().manual_seed(2)
    s = g.get_state()
    y = ember.randn(5, generator=g)
    assert g.set_state(s) is g
    np.testing.assert_array_equal(ember.randn(5, generator=g).numpy(), y.numpy())
    with ember.random.fork_rng():
        ember.rand(50)
    np.testing.assert_array_equal(ember.random.get_rng_state().numpy(), ember.get_rng_state().numpy())


def test_rng_state_errors():
    with pytest.raises(TypeError, match="ByteTensor"):
        ember.set_rng_state(ember.zeros(3))
    with pytest.raises(RuntimeError, match="size to be 3"):
        ember.set_rng_state(ember.zeros(3, dtype=ember.uint8))
    with pytest.raises(TypeError, match="generator must be an ember.Generator"):
        ember.rand(3, generator=5)


def test_seed_rules():
    assert ember.manual_seed(-1).initial_seed() == torch.manual_seed(-1).initial_seed()
    assert ember.manual_seed("3").initial_seed() == 3
    with pytest.raises(ValueError, match="Overflow"):
        ember.manual_seed(2 ** 64)
    s = ember.seed()
    assert ember.initial_seed() == s
    assert isinstance(ember.manual_seed(0), ember.Generator)


# -- distributions ------------------------------------------------------------------
def _moments(x, mean, std, tol=0.02):
    x = _np(x).ravel()
    assert abs(x.mean() - mean) < tol * max(1.0, std) * 3
    assert abs(x.std() - std) < tol * max(1.0, std) * 3


def test_uniform_and_normal_moments():
    ember.manual_seed(0)
    u = ember.rand(N)
    assert 0 <= float(u.numpy().min()) and float(u.numpy().max()) < 1
    _moments(u, 0.5, math.sqrt(1 / 12))
    _moments(ember.randn(N), 0.0, 1.0)
    _moments(ember.normal(2.0, 3.0, (N,)), 2.0, 3.0)
    _moments(ember.normal(ember.full((N,), -1.0), 0.5), -1.0, 0.5)
    _moments(ember.normal(1.0, ember.full((N,), 2.0)), 1.0, 2.0)
    _moments(ember.empty(N).uniform_(-2, 4), 1.0, math.sqrt(36 / 12))
    _moments(ember.empty(N).normal_(5, 0.1), 5.0, 0.1)
    _moments(ember.empty(N).exponential_(2.0), 0.5, 0.5)
    _moments(ember.empty(N).log_normal_(0.0, 0.25), math.exp(0.25 ** 2 / 2),
             math.sqrt((math.exp(0.25 ** 2) - 1) * math.exp(0.25 ** 2)))
    _moments(ember.empty(N).geometric_(0.5), 2.0, math.sqrt(0.5 / 0.25))
    _moments(ember.poisson(ember.full((N,), 4.0)), 4.0, 2.0)
    assert abs(np.median(_np(ember.empty(N).cauchy_(1.0, 2.0))) - 1.0) < 0.05
    half = ember.rand(N, dtype=ember.float16)
    assert half.dtype == ember.float16 and float(half.numpy().max()) < 1
    _moments(half, 0.5, math.sqrt(1 / 12))


def test_complex_sampling_matches_torch_variance():
    ember.manual_seed(0)
    z = ember.randn(N, dtype=ember.complex64).numpy()
    assert z.dtype == np.complex64
    assert abs(z.real.var() - 0.5) < 0.01 and abs(z.imag.var() - 0.5) < 0.01
    r = ember.rand(N, dtype=ember.complex128).numpy()
    assert 0 <= r.real.min() and r.imag.max() < 1


def test_randint_bounds_and_uniformity():
    ember.manual_seed(1)
    x = ember.randint(-3, 4, (N,))
    assert x.dtype == ember.int64
    counts = np.bincount(x.numpy() + 3, minlength=7)
    assert counts.min() > 0 and np.abs(counts / N - 1 / 7).max() < 0.005
    assert set(np.unique(ember.randint(5, (1000,)).numpy())) == set(range(5))
    b = ember.randint(0, 256, (N,), dtype=ember.uint8)
    assert b.dtype == ember.uint8 and int(b.numpy().max()) == 255
    r = ember.empty(N, dtype=ember.int64).random_(2, 5)
    assert set(np.unique(r.numpy())) == {2, 3, 4}
    assert set(np.unique(ember.empty(1000).random_(3).numpy())) == {0.0, 1.0, 2.0}
    f = ember.empty(N).random_()
    assert 0 <= f.numpy().min() and f.numpy().max() <= 2 ** 24 and f.numpy().max() > 2 ** 23
    assert set(np.unique(ember.empty(100, dtype=ember.bool).random_().numpy())) == {False, True}
    assert int(ember.empty(N, dtype=ember.uint8).random_().numpy().max()) == 255


def test_randperm_is_a_permutation():
    ember.manual_seed(2)
    p = ember.randperm(1000)
    assert p.dtype == ember.int64
    np.testing.assert_array_equal(np.sort(p.numpy()), np.arange(1000))
    assert not np.array_equal(p.numpy(), np.arange(1000))
    assert ember.randperm(0).shape == (0,)
    assert ember.randperm(4, dtype=ember.float32).dtype == ember.float32


def test_bernoulli():
    ember.manual_seed(3)
    p = ember.rand(N)
    x = ember.bernoulli(p)
    assert x.dtype == ember.float32 and set(np.unique(x.numpy())) <= {0.0, 1.0}
    assert abs(x.numpy().mean() - 0.5) < 0.01
    # each draw follows its own probability
    hi = ember.bernoulli(ember.full((N,), 0.9, dtype=ember.float64))
    assert hi.dtype == ember.float64 and abs(hi.numpy().mean() - 0.9) < 0.005
    assert abs(ember.bernoulli(ember.zeros(N), 0.2).numpy().mean() - 0.2) < 0.005
    assert abs(ember.zeros(N, dtype=ember.int64).bernoulli_(0.3).numpy().mean() - 0.3) < 0.005
    np.testing.assert_array_equal(ember.zeros(2).bernoulli_(ember.tensor([0.0, 1.0])).numpy(),
                                  [0.0, 1.0])


def test_multinomial():
    ember.manual_seed(4)
    w = ember.tensor([1.0, 0.0, 3.0, 6.0])
    s = ember.multinomial(w, N, replacement=True)
    assert s.dtype == ember.int64 and s.shape == (N,)
    freq = np.bincount(s.numpy(), minlength=4) / N
    np.testing.assert_allclose(freq, [0.1, 0.0, 0.3, 0.6], atol=0.005)
    rows = ember.multinomial(ember.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), 5, True)
    assert rows.shape == (2, 5) and set(rows.numpy()[0]) <= {0, 1} and set(rows.numpy()[1]) == {2}
    # without replacement: unique indices, heavier categories first more often
    many = ember.multinomial(ember.rand(50, 20) + 0.01, 20)
    for row in many.numpy():
        assert sorted(row) == list(range(20))
    firsts = np.array([ember.multinomial(w, 2).tolist() for _ in range(2000)])
    assert all(len(set(r)) == 2 and 1 not in r for r in firsts)
    np.testing.assert_allclose(np.mean(firsts[:, 0] == 3), 0.6, atol=0.04)
    # zero-weight categories come last once the positive ones are used up, as in torch
    assert ember.multinomial(ember.tensor([1.0, 0.0, 3.0]), 3).tolist()[2] == 1
    assert ember.multinomial(ember.ones(0, 3), 2).shape == (0, 2)


def test_multinomial_errors():
    cases = [((ember.tensor([1.0, 0.0, 3.0]), 4), "cannot sample n_sample > prob_dist.size"),
             ((ember.tensor([1.0, -1.0]), 1), "element < 0"),
             ((ember.tensor([0.0, 0.0]), 1), r"sum of probabilities <= 0"),
             ((ember.tensor([1.0, 1.0]), 0), "n_sample <= 0"),
             ((ember.ones(2, 2, 2), 1), "prob_dist must be 1 or 2 dim"),
             ((ember.ones(2, dtype=ember.long), 1), "only supports floating-point dtypes")]
    for args, match in cases:
        with pytest.raises(RuntimeError, match=match):
            ember.multinomial(*args)


# -- dtypes, shapes and errors as torch -------------------------------------------------
SAMPLERS = [
    lambda m: m.rand(2, 3), lambda m: m.rand((2, 3)), lambda m: m.rand([2, 3]),
    lambda m: m.rand(m.Size([2, 3])), lambda m: m.rand(size=(2, 3)), lambda m: m.rand(()),
    lambda m: m.randn(4, dtype=m.float64), lambda m: m.rand(0, 2), lambda m: m.randn(2, 2, 2),
    lambda m: m.randint(5, (3,)), lambda m: m.randint(2, 5, (3, 1)),
    lambda m: m.randint(3, size=(2,)), lambda m: m.randint(low=1, high=3, size=(3,)),
    lambda m: m.randint(5, (3,), dtype=m.float32), lambda m: m.randint(0, 9, (2,), dtype=m.uint8),
    lambda m: m.randperm(5), lambda m: m.randperm(5, dtype=m.int32),
    lambda m: m.normal(2.0, 3.0, (2,)), lambda m: m.normal(2.0, 3.0, size=(2, 2)),
    lambda m: m.normal(m.zeros(3), 1.0), lambda m: m.normal(m.zeros(3), m.ones(2, 3)),
    lambda m: m.normal(m.zeros(3, dtype=m.float64), m.ones(3)),
    lambda m: m.normal(0.0, m.ones(3, dtype=m.float64)),
    lambda m: m.bernoulli(m.full((3,), 0.5)), lambda m: m.bernoulli(m.zeros(3), 0.9),
    lambda m: m.poisson(m.ones(3, dtype=m.float64)),
    lambda m: m.multinomial(m.ones(3), 2), lambda m: m.ones(2, 3).multinomial(2, True),
    lambda m: m.rand_like(m.zeros(3, dtype=m.float64)), lambda m: m.randn_like(m.zeros(2, 2)),
    lambda m: m.randint_like(m.zeros(3), 5), lambda m: m.randint_like(m.zeros(3, dtype=m.int32), 2, 5),
    lambda m: m.zeros(3, dtype=m.long).random_(), lambda m: m.zeros(3, dtype=m.uint8).random_(),
    lambda m: m.zeros(2, 2).uniform_(), lambda m: m.zeros(3, dtype=m.long).geometric_(0.5),
    lambda m: m.zeros(3, dtype=m.long).bernoulli_(), lambda m: m.zeros(3).bernoulli_(m.rand(3)),
    lambda m: m.rand(2, 3, requires_grad=True), lambda m: m.randn(2, dtype=m.float16),
]


@pytest.mark.parametrize("fn", SAMPLERS)
def test_dtype_shape_requires_grad_as_torch(fn):
    e, t = fn(ember), fn(torch)
    assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    assert tuple(e.shape) == tuple(t.shape)
    assert e.requires_grad == t.requires_grad


ERRORS = [
    (lambda m: m.randint(5, 5, (3,)), RuntimeError, "expects 'from' to be less than 'to', but got from=5 >= to=5"),
    (lambda m: m.randint(-1, 5, (3,), dtype=m.uint8), RuntimeError, "from is out of bounds for unsigned char"),
    (lambda m: m.randint(0, 300, (3,), dtype=m.uint8), RuntimeError, "to - 1 is out of bounds for unsigned char"),
    (lambda m: m.randint(5, 3), TypeError, "size"),
    (lambda m: m.rand(2, 3, dtype=m.long), NotImplementedError, "not implemented for 'Long'"),
    (lambda m: m.randn(2, dtype=m.int32), NotImplementedError, "not implemented for 'Int'"),
    (lambda m: m.randperm(-1), RuntimeError, "negative dimension -1"),
    (lambda m: m.normal(m.zeros(3), -1.0), RuntimeError, "normal expects std >= 0.0"),
    (lambda m: m.normal(m.zeros(3), m.ones(4)), RuntimeError, r"size of tensor a \(3\) must match the size of tensor b \(4\)"),
    (lambda m: m.normal(m.zeros(3, dtype=m.long), m.ones(3)), NotImplementedError, "Long"),
    (lambda m: m.normal(0.0, 1.0), TypeError, "needs a size"),
    (lambda m: m.bernoulli(m.full((3,), 2.0)), RuntimeError, r"p to be in \[0, 1\]"),
    (lambda m: m.bernoulli(m.ones(3, dtype=m.long)), NotImplementedError, "Long"),
    (lambda m: m.poisson(m.ones(3, dtype=m.long)), NotImplementedError, "Long"),
    (lambda m: m.poisson(-m.ones(3)), RuntimeError, "invalid Poisson rate, expected rate to be non-negative"),
    (lambda m: m.zeros(3, dtype=m.long).uniform_(), NotImplementedError, "Long"),
    (lambda m: m.zeros(3).uniform_(2, 1), RuntimeError, r"uniform_ expects to return a \[from, to\) range, but found from=2 > to=1"),
    (lambda m: m.zeros(3).normal_(0, -1), RuntimeError, "normal expects std >= 0.0"),
    (lambda m: m.zeros(3, dtype=m.long).normal_(), NotImplementedError, "Long"),
    (lambda m: m.zeros(3, dtype=m.uint8).random_(300), RuntimeError, "to - 1 is out of bounds for unsigned char"),
    (lambda m: m.zeros(3).exponential_(-1), RuntimeError, "exponential_ expects lambda > 0.0, but found lambda=-1"),
    (lambda m: m.zeros(3).geometric_(1.5), RuntimeError, r"geometric_ expects p to be in \(0, 1\), but got p=1.5"),
    (lambda m: m.zeros(3).bernoulli_(1.5), RuntimeError, r"bernoulli_ expects p to be in \[0, 1\], but got p=1.5"),
]


@pytest.mark.parametrize("fn,exc,match", ERRORS)
def test_errors_as_torch(fn, exc, match):
    raises_like_torch(fn, exc, match, torch_message=False)


# -- autograd ---------------------------------------------------------------------------
def test_samplers_in_graph_give_zero_gradients_like_torch():
    for lib in (torch, ember):
        m = lib.zeros(3, requires_grad=True)
        s = lib.zeros(3).uniform_(1, 2).requires_grad_()
        y = lib.normal(m, s) + lib.bernoulli(lib.full((3,), 0.5).requires_grad_() * s)
        y.backward(lib.ones(3))
        assert y.requires_grad and m.grad.tolist() == [0.0, 0.0, 0.0] and s.grad.tolist() == [0.0] * 3


def test_inplace_fill_rules():
    leaf = ember.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.uniform_()
    with ember.no_grad():
        leaf.normal_()
    assert leaf.requires_grad and leaf.grad_fn is None
    w = ember.zeros(4)
    v = w._version
    w.uniform_()
    assert w._version == v + 1
    x = ember.ones(3, requires_grad=True)
    h = x * 2
    h.uniform_()
    h.backward(ember.ones(3))
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_fills_return_self_and_write_in_place():
    x = ember.zeros(5)
    arr = x.numpy()
    assert x.uniform_() is x
    assert arr.max() > 0
    assert x.normal_() is x and x.random_(1, 2) is x
    np.testing.assert_array_equal(arr, np.ones(5))


def test_sampling_on_cuda_matches_cpu_when_available():
    if not ember.cuda.is_available():
        pytest.skip("no CUDA device")
    ember.manual_seed(9)
    a = ember.randn(4, device="cuda")
    ember.manual_seed(9)
    b = ember.randn(4)
    assert a.is_cuda
    np.testing.assert_array_equal(a.cpu().numpy(), b.numpy())
