"""Optimizers against torch: the same parameters after 25 steps of the same gradients."""
import numpy as np
import pytest

import ember
from tests.helpers import raises_like_torch, torch

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.01, maximize=True, decoupled_weight_decay=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, amsgrad=True, weight_decay=0.5)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.1)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=10, weight_decay=0.1)),
    ("ASGD", dict(lr=0.05, t0=0, maximize=True)),
    ("Adafactor", dict()),
    ("Adafactor", dict(lr=0.05, beta2_decay=-0.5, eps=(1e-20, 1e-2), d=1.5, weight_decay=0.1)),
    ("Adafactor", dict(lr=0.05, maximize=True)),
]


def _run(lib, name, kwargs, steps=25, dtype=np.float32, device="cpu"):
    """``steps`` updates of three parameters (on ``device``) with seeded gradients."""
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(s).astype(dtype) for s in [(4, 3), (3,), ()]]
    params = [lib.tensor(a.copy(), requires_grad=True, device=device) for a in init]
    opt = getattr(lib.optim, name)(params, **kwargs)
    grng = np.random.default_rng(1)
    for _ in range(steps):
        for p in params:
            noise = grng.standard_normal(p.shape).astype(dtype)
            g = p.detach().cpu().numpy() * 0.5 + noise
            p.grad = lib.tensor(g, device=device)
        opt.step()
    assert all(p.device.type == device for p in params)
    return [p.detach().cpu().numpy() for p in params], opt


@pytest.mark.parametrize("name,kwargs", CASES)
def test_matches_torch(name, kwargs, device):
    """The parameters and state after 25 steps equal torch's (ember's on the test device, its
    state there too, except the scalars torch keeps on the CPU)."""
    e, eopt = _run(ember, name, kwargs, device=device)
    t, topt = _run(torch, name, kwargs)
    for a, b in zip(e, t):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)
    es, ts = eopt.state_dict(), topt.state_dict()
    assert es["param_groups"] == ts["param_groups"]
    assert es["state"].keys() == ts["state"].keys()
    for k in ts["state"]:
        assert es["state"][k].keys() == ts["state"][k].keys()
        for name_ in ts["state"][k]:
            value = es["state"][k][name_]
            on_cpu = name_ in ("step", "mu_product")   # torch's host scalars (not capturable)
            assert on_cpu or value.device.type == device, f"{name_} left {device}"
            np.testing.assert_allclose(value.cpu().numpy(),
                                       ts["state"][k][name_].numpy(), rtol=2e-5, atol=2e-6)
            assert str(es["state"][k][name_].dtype)[6:] == str(ts["state"][k][name_].dtype)[6:]


@pytest.mark.parametrize("name,kwargs", [CASES[1], CASES[5], CASES[10], CASES[18], CASES[23],
                                         CASES[26], CASES[28]])
def test_torch_state_dict_loads_and_continues_identically(name, kwargs):
    _, topt = _run(torch, name, kwargs, steps=5)
    sd = topt.state_dict()
    conv = {"state": {k: {n: (ember.tensor(v.numpy()) if isinstance(v, torch.Tensor) else v)
                          for n, v in s.items()} for k, s in sd["state"].items()},
            "param_groups": sd["param_groups"]}
    params_t = topt.param_groups[0]["params"]
    params_e = [ember.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params_t]
    eopt = getattr(ember.optim, name)(params_e, **kwargs)
    eopt.load_state_dict(conv)
    rng = np.random.default_rng(5)
    for _ in range(5):
        for pe, pt in zip(params_e, params_t):
            g = rng.standard_normal(pt.shape).astype(np.float32)
            pe.grad, pt.grad = ember.tensor(g), torch.tensor(g)
        eopt.step()
        topt.step()
    for pe, pt in zip(params_e, params_t):
        np.testing.assert_allclose(pe.detach().numpy(), pt.detach().numpy(), rtol=2e-5, atol=2e-6)


def test_param_groups_and_zero_grad():
    a = ember.ones(2, requires_grad=True)
    b = ember.ones(3, requires_grad=True)
    opt = ember.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    a.grad = ember.ones(2)
    opt.zero_grad()
    assert a.grad is None
    a.grad = ember.ones(2)
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="empty parameter list"):
        ember.optim.Adam([])
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        ember.optim.Adam(a)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        ember.optim.SGD([a], lr=-1)
    t = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=0.1, momentum=0.9)
    assert repr(opt).splitlines()[:2] == repr(t).splitlines()[:2]


def test_step_closure():
    x = ember.tensor([3.0], requires_grad=True)
    opt = ember.optim.SGD([x], lr=0.1)

    def closure():
        opt.zero_grad()
        x.grad = ember.tensor([2.0])
        return 7.0
    assert opt.step(closure) == 7.0
    np.testing.assert_allclose(x.detach().numpy(), [2.8])


BAD_HYPERPARAMETERS = [
    ("Adam", dict(lr=-1e-3), "Invalid learning rate: -0.001"),
    ("Adam", dict(lr=float("nan")), "Invalid learning rate: nan"),
    ("Adam", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("Adam", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("AdamW", dict(betas=(-0.1, 0.9)), "Invalid beta parameter at index 0: -0.1"),
    ("Adam", dict(weight_decay=-0.5), "Invalid weight_decay value: -0.5"),
    ("Adamax", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("RAdam", dict(betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    ("NAdam", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("NAdam", dict(momentum_decay=-1.0), "Invalid momentum_decay value: -1.0"),
    ("RMSprop", dict(lr=float("nan")), "Invalid learning rate: nan"),
    ("RMSprop", dict(momentum=-0.5), "Invalid momentum value: -0.5"),
    ("RMSprop", dict(alpha=-0.5), "Invalid alpha value: -0.5"),
    ("Adagrad", dict(lr_decay=-1.0), "Invalid lr_decay value: -1.0"),
    ("Adagrad", dict(initial_accumulator_value=-1.0),
     "Invalid initial_accumulator_value value: -1.0"),
    ("Adadelta", dict(rho=1.5), "Invalid rho value: 1.5"),
    ("Adadelta", dict(weight_decay=float("nan")), "Invalid weight_decay value: nan"),
    ("SGD", dict(lr=0.1, momentum=-0.9), "Invalid momentum value: -0.9"),
    ("Rprop", dict(lr=-0.1), "Invalid learning rate: -0.1"),
    ("Rprop", dict(etas=(1.1, 1.2)), r"Invalid eta values: 1.1, 1.2"),
    ("ASGD", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("SparseAdam", dict(lr=0.0), "Invalid learning rate: 0.0"),
    ("SparseAdam", dict(eps=0.0), "Invalid epsilon value: 0.0"),
    ("SparseAdam", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("Adafactor", dict(lr=-1.0), "Learning rate should be >= 0 but is: -1.0"),
    ("Adafactor", dict(beta2_decay=0.5), "beta2_decay should be <= 0 but is: 0.5"),
    ("Adafactor", dict(eps=(-1.0, 1e-3)), "epsilon1 should be >= 0 but is: -1.0"),
    ("Adafactor", dict(d=0.5), "Clipping threshold d should be >= 1 but is: 0.5"),
    ("Adam", dict(fused=True, foreach=True), None),
]


@pytest.mark.parametrize("name,kwargs,match", BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_raise_like_torch(name, kwargs, match):
    exc = ValueError if match else RuntimeError
    match = match or "`fused` and `foreach` cannot be `True` together."
    raises_like_torch(lambda lib: getattr(lib.optim, name)([lib.ones(2, requires_grad=True)],
                                                           **kwargs), exc, match)


@pytest.mark.parametrize("name,kwargs", [("Adam", dict(fused=True)), ("SGD", dict(foreach=True)),
                                         ("AdamW", dict(capturable=True)),
                                         ("Adagrad", dict(fused=True)),
                                         ("Rprop", dict(foreach=True))])
def test_implementation_flags_give_the_same_numbers(name, kwargs):
    plain, _ = _run(ember, name, {"lr": 0.01}, steps=5)
    flagged, opt = _run(ember, name, {"lr": 0.01, **kwargs}, steps=5)
    for a, b in zip(plain, flagged):
        np.testing.assert_array_equal(a, b)
    assert all(g[k] == v for g in opt.param_groups for k, v in kwargs.items())


def test_differentiable_is_refused_honestly():
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        ember.optim.Adam([ember.ones(2, requires_grad=True)], differentiable=True)
    raises_like_torch(lambda lib: lib.optim.Adam([lib.ones(2, requires_grad=True)], fused=True,
                                                 differentiable=True),
                      RuntimeError, "`fused` does not support `differentiable`")


def test_sparse_adam_refuses_dense_gradients_like_torch():
    def call(lib):
        w = lib.zeros(4, 2, requires_grad=True)
        opt = lib.optim.SparseAdam([w], lr=0.1)
        assert opt.step() is None  # no gradient yet: a no-op in both
        calls = []

        def closure():
            calls.append(1)
            (w * 2).sum().backward()
            return 1.0
        try:
            opt.step(closure)
        finally:
            assert calls == [1]  # the closure runs before the refusal
            np.testing.assert_array_equal(w.detach().numpy(), 0)
    raises_like_torch(call, RuntimeError,
                      "SparseAdam does not support dense gradients, please consider Adam instead")


@pytest.mark.parametrize("kwargs", [dict(lr=0.02), dict(lr=0.05, nesterov=False, weight_decay=0.0),
                                    dict(lr=0.02, momentum=0.5, adjust_lr_fn="match_rms_adamw",
                                         ns_steps=3)])
def test_muon_matches_torch(kwargs):
    """Muon's Newton-Schulz runs in bfloat16 in torch; ember rounds to bfloat16 after each
    product, so the weights agree to float32 rounding of the final update."""
    def run(lib):
        rng = np.random.default_rng(0)
        params = [lib.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
                  for s in [(4, 3), (3, 5)]]
        opt = lib.optim.Muon(params, **kwargs)
        grng = np.random.default_rng(1)
        for _ in range(10):
            for p in params:
                p.grad = lib.tensor(p.detach().numpy() * 0.5
                                    + grng.standard_normal(p.shape).astype(np.float32))
            opt.step()
        return [p.detach().numpy() for p in params], opt.state_dict()
    (e, esd), (t, tsd) = run(ember), run(torch)
    for a, b in zip(e, t):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert esd["param_groups"] == tsd["param_groups"]
    for k in tsd["state"]:
        np.testing.assert_allclose(esd["state"][k]["momentum_buffer"].numpy(),
                                   tsd["state"][k]["momentum_buffer"].numpy(), rtol=1e-5, atol=1e-6)


def test_muon_refuses_what_torch_refuses():
    raises_like_torch(lambda lib: lib.optim.Muon([lib.ones(3, requires_grad=True)]), ValueError,
                      "Muon only supports 2D parameters whereas we found a parameter with size")
    raises_like_torch(lambda lib: lib.optim.Muon([lib.ones(2, 2, requires_grad=True)],
                                                 adjust_lr_fn="max"),
                      ValueError, "Adjust learning rate function max is not supported")
    raises_like_torch(lambda lib: lib.optim.Muon([lib.ones(2, 2, requires_grad=True)],
                                                 momentum=-1.0),
                      ValueError, "momentum should be >= 0 but is: -1.0")

    def too_many_steps(lib):
        w = lib.ones(2, 2, requires_grad=True)
        opt = lib.optim.Muon([w], ns_steps=100)
        w.grad = lib.ones(2, 2)
        opt.step()
    raises_like_torch(too_many_steps, ValueError, "Number of steps must be less than 100")


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                  "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "Adafactor"])
def test_tensor_lr_steps_as_torch(name):
    def run(lib):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        opt = getattr(lib.optim, name)([w], lr=lib.tensor(0.01))
        for _ in range(3):
            w.grad = lib.tensor([0.5, 0.25])
            opt.step()
        return w.detach().numpy(), opt.param_groups[0]["lr"]
    (e, elr), (t, tlr) = run(ember), run(torch)
    np.testing.assert_allclose(e, t, rtol=1e-6)
    assert isinstance(elr, ember.Tensor) and elr.item() == pytest.approx(tlr.item())


COMPLEX_CASES = [("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
                 ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
                 ("AdamW", dict(lr=0.01)),
                 ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True)),
                 ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1)),
                 ("Adadelta", dict(lr=0.5)),
                 ("Adamax", dict(lr=0.01)),
                 ("NAdam", dict(lr=0.01)),
                 ("RAdam", dict(lr=0.01)),
                 ("Rprop", dict(lr=0.05)),
                 ("ASGD", dict(lr=0.05, t0=5))]


@pytest.mark.parametrize("name,kwargs", COMPLEX_CASES)
def test_complex_parameters_match_torch(name, kwargs):
    """Complex parameters update their real and imaginary parts as two real numbers (torch's
    view_as_real), and the state stays complex."""
    def run(lib):
        rng = np.random.default_rng(0)

        def crandn(shape):
            return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(
                np.complex64)
        params = [lib.tensor(crandn(s), requires_grad=True) for s in [(3,), (2, 2), ()]]
        opt = getattr(lib.optim, name)(params, **kwargs)
        for _ in range(10):
            for p in params:
                p.grad = lib.tensor(p.detach().numpy() * 0.5 + crandn(p.shape))
            opt.step()
        return [p.detach().numpy() for p in params], opt.state_dict()
    (e, esd), (t, tsd) = run(ember), run(torch)
    for a, b in zip(e, t):
        assert a.dtype == b.dtype == np.complex64
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)
    for k, ts in tsd["state"].items():
        assert esd["state"][k].keys() == ts.keys()
        for n, v in ts.items():
            assert str(esd["state"][k][n].dtype)[6:] == str(v.dtype)[6:], n
            np.testing.assert_allclose(esd["state"][k][n].numpy(), v.numpy(), rtol=2e-5,
                                       atol=2e-6, err_msg=n)


def test_complex_parameters_lbfgs_matches_torch():
    target = np.array([1 - 1j, 0.5 + 2j], np.complex64)
    curvature = np.array([1.0, 4.0])

    def run(lib):
        w = lib.tensor(np.zeros(2, np.complex64), requires_grad=True)
        opt = lib.optim.LBFGS([w], max_iter=5)

        def closure():  # sum(c * |w - target|^2) with its gradient set by hand
            diff = w.detach().numpy() - target
            w.grad = lib.tensor((curvature * diff).astype(np.complex64))
            return float((curvature * abs(diff) ** 2).sum())
        losses = [opt.step(closure) for _ in range(3)]
        return w.detach().numpy(), losses
    (e, el), (t, tl) = run(ember), run(torch)
    np.testing.assert_allclose(e, t, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(el, tl, rtol=1e-5, atol=1e-9)


def test_complex_parameters_refused_where_torch_refuses():
    def param(lib):
        return lib.tensor(np.ones((2, 2), np.complex64), requires_grad=True)

    def step(lib, name):
        w = param(lib)
        opt = getattr(lib.optim, name)([w])
        w.grad = lib.tensor(np.ones((2, 2), np.complex64))
        opt.step()
    raises_like_torch(lambda lib: step(lib, "Adafactor"), RuntimeError,
                      "Adafactor does not support complex parameters")
    raises_like_torch(lambda lib: step(lib, "Muon"), RuntimeError,
                      "Muon does not support complex parameters")
    raises_like_torch(lambda lib: lib.optim.SparseAdam([lib.ones(2, requires_grad=True),
                                                        param(lib)]), ValueError,
                      r"Complex params at indices \[\[0, 1\]\]: SparseAdam does not support "
                      "complex parameters")
