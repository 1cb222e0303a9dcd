"""LBFGS against torch: the same closure from the same weights gives the same losses, weights,
evaluation counts and state, step by step; state dicts continue identically in the other library."""
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import raises_like_torch, torch


def convert_state(value, lib):
    """A state dict (or part) with every tensor re-made in ``lib`` (ember <-> torch)."""
    if isinstance(value, dict):
        return {k: convert_state(v, lib) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_state(v, lib) for v in value]
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        return lib.tensor(value.detach().numpy().copy())
    return value


def _problem(lib, dtype, **kwargs):
    """A small non-linear least-squares fit with a quartic penalty, and its LBFGS."""
    rng = np.random.default_rng(0)
    A = lib.tensor(rng.standard_normal((20, 5)).astype(dtype))
    b = lib.tensor(rng.standard_normal(20).astype(dtype))
    w = lib.tensor(rng.standard_normal(5).astype(dtype), requires_grad=True)
    c = lib.tensor(np.array(0.3, dtype), requires_grad=True)
    opt = lib.optim.LBFGS([w, c], **kwargs)

    def closure():
        opt.zero_grad()
        r = lib.tanh(A @ w + c) - b
        loss = (r * r).mean() + 0.1 * (w ** 4).sum()
        loss.backward()
        return loss
    return [w, c], opt, closure


def _trace(lib, dtype, steps, **kwargs):
    params, opt, closure = _problem(lib, dtype, **kwargs)
    out = []
    for _ in range(steps):
        loss = opt.step(closure)
        st = opt.state[params[0]]
        out.append((loss.item(), [p.detach().numpy().copy() for p in params],
                    st["func_evals"], st["n_iter"]))
    return out, opt


CONFIGS = [dict(), dict(line_search_fn="strong_wolfe"),
           dict(lr=0.5, max_iter=5, history_size=3),
           dict(lr=0.5, max_iter=5, history_size=3, line_search_fn="strong_wolfe"),
           dict(max_iter=7, max_eval=9, tolerance_change=1e-5, line_search_fn="strong_wolfe")]


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_float64_steps_match_torch(kwargs):
    e, eopt = _trace(ember, np.float64, 12, **kwargs)
    t, topt = _trace(torch, np.float64, 12, **kwargs)
    for i, (a, b) in enumerate(zip(e, t)):
        assert a[2:] == b[2:], f"step {i}: (func_evals, n_iter) {a[2:]} != torch {b[2:]}"
        np.testing.assert_allclose(a[0], b[0], rtol=1e-10)
        for x, y in zip(a[1], b[1]):
            np.testing.assert_allclose(x, y, rtol=1e-8, atol=1e-10)
    es, ts = eopt.state_dict(), topt.state_dict()
    assert es["param_groups"] == ts["param_groups"]
    assert es["state"].keys() == ts["state"].keys() == {0}
    e0, t0 = es["state"][0], ts["state"][0]
    assert e0.keys() == t0.keys()
    for k in t0:
        tv, ev = t0[k], e0[k]
        if isinstance(tv, list):
            assert len(ev) == len(tv)
            pairs = [(a, b) for a, b in zip(ev, tv) if b is not None]
            assert all((a is None) == (b is None) for a, b in zip(ev, tv))
        else:
            pairs = [(ev, tv)]
        for a, b in pairs:
            assert isinstance(a, ember.Tensor) == isinstance(b, torch.Tensor), k
            a = a.numpy() if isinstance(a, ember.Tensor) else a
            b = b.numpy() if isinstance(b, torch.Tensor) else b
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-12, err_msg=k)


@pytest.mark.parametrize("kwargs", [dict(max_iter=4, line_search_fn="strong_wolfe"),
                                    dict(max_iter=4, history_size=3, lr=0.5)])
def test_float32_steps_match_torch(kwargs):
    e, eopt = _trace(ember, np.float32, 6, **kwargs)
    t, _ = _trace(torch, np.float32, 6, **kwargs)
    for a, b in zip(e, t):
        assert a[2:] == b[2:]
        np.testing.assert_allclose(a[0], b[0], rtol=1e-5)
        for x, y in zip(a[1], b[1]):
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
            assert x.dtype == y.dtype == np.float32
    state = eopt.state_dict()["state"][0]
    assert state["d"].dtype == state["ro"][0].dtype == state["H_diag"].dtype == ember.float32


@pytest.mark.parametrize("direction", ["torch->ember", "ember->torch"])
@pytest.mark.parametrize("kwargs", [CONFIGS[1], CONFIGS[2]])
def test_state_dict_continues_identically_in_the_other_library(direction, kwargs):
    src_lib, dst_lib = (torch, ember) if direction == "torch->ember" else (ember, torch)
    src_params, src_opt, src_closure = _problem(src_lib, np.float64, **kwargs)
    for _ in range(3):
        src_opt.step(src_closure)
    dst_params, dst_opt, dst_closure = _problem(dst_lib, np.float64, **kwargs)
    with dst_lib.no_grad():
        for d, s in zip(dst_params, src_params):
            d.copy_(dst_lib.tensor(s.detach().numpy()))
    dst_opt.load_state_dict(convert_state(src_opt.state_dict(), dst_lib))
    for _ in range(4):
        ls, ld = src_opt.step(src_closure), dst_opt.step(dst_closure)
        np.testing.assert_allclose(ld.item(), ls.item(), rtol=1e-10)
    for d, s in zip(dst_params, src_params):
        np.testing.assert_allclose(d.detach().numpy(), s.detach().numpy(), rtol=1e-8)
    assert dst_opt.state[dst_params[0]]["n_iter"] == src_opt.state[src_params[0]]["n_iter"]


def test_converged_start_returns_after_one_evaluation():
    for lib in (ember, torch):
        x = lib.zeros(3, requires_grad=True)
        opt = lib.optim.LBFGS([x], tolerance_grad=1e-3)
        calls = []

        def closure():
            calls.append(1)
            opt.zero_grad()
            loss = (x ** 2).sum() + 1
            loss.backward()
            return loss
        assert opt.step(closure).item() == 1.0
        assert len(calls) == 1 and opt.state[x]["func_evals"] == 1
        assert "d" not in opt.state[x]


def test_errors_match_torch():
    raises_like_torch(lambda lib: lib.optim.LBFGS(
        [{"params": [lib.ones(1, requires_grad=True)]},
         {"params": [lib.ones(1, requires_grad=True)], "lr": 0.1}]),
        ValueError, "LBFGS doesn't support per-parameter options")
    raises_like_torch(lambda lib: lib.optim.LBFGS([lib.ones(1, requires_grad=True)], lr=-1.0),
                      ValueError, "Invalid learning rate: -1.0")

    def bad_line_search(lib):
        x = lib.ones(2, requires_grad=True)
        opt = lib.optim.LBFGS([x], line_search_fn="armijo")

        def closure():
            opt.zero_grad()
            loss = (x * x).sum()
            loss.backward()
            return loss
        opt.step(closure)
    raises_like_torch(bad_line_search, RuntimeError, "only 'strong_wolfe' is supported")


def test_step_hooks_see_the_closure():
    seen = {}
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        opt = lib.optim.LBFGS([x], max_iter=2)

        def closure():
            opt.zero_grad()
            loss = (x * x).sum()
            loss.backward()
            return loss
        log = []
        opt.register_step_pre_hook(lambda o, args, kwargs: log.append(("pre", len(args))))
        opt.register_step_post_hook(lambda o, args, kwargs: log.append(("post", len(args))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt.step(closure)
        seen[lib.__name__] = log
    assert seen["ember"] == seen["torch"] == [("pre", 2), ("post", 2)]


def test_time_series_example_matches_torch():
    """pytorch/examples' time_sequence_prediction, shrunk: two LSTMCells in float64 fitted to
    sine waves by LBFGS(lr=0.8), from torch's initial weights."""
    def run(lib, weights):
        class Sequence(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm1, self.lstm2 = lib.nn.LSTMCell(1, 6), lib.nn.LSTMCell(6, 6)
                self.linear = lib.nn.Linear(6, 1)

            def forward(self, x):
                h, c, h2, c2 = (lib.zeros(x.size(0), 6, dtype=lib.double) for _ in range(4))
                outputs = []
                for x_t in x.split(1, dim=1):
                    h, c = self.lstm1(x_t, (h, c))
                    h2, c2 = self.lstm2(h, (h2, c2))
                    outputs.append(self.linear(h2))
                return lib.cat(outputs, dim=1)
        lib.manual_seed(0)
        seq = Sequence().double()
        if weights is not None:
            seq.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
        weights = {k: v.detach().numpy().copy() for k, v in seq.state_dict().items()}
        offsets = np.random.default_rng(2).integers(-80, 80, 4).reshape(4, 1)
        data = np.sin((np.arange(8) + offsets) / 20.0)
        x, y = lib.from_numpy(data[:, :-1]), lib.from_numpy(data[:, 1:])
        opt = lib.optim.LBFGS(seq.parameters(), lr=0.8, max_iter=4)
        losses = []
        for _ in range(2):
            def closure():
                opt.zero_grad()
                loss = lib.nn.MSELoss()(seq(x), y)
                loss.backward()
                return loss
            losses.append(opt.step(closure).item())
        return losses, weights, {k: v.detach().numpy() for k, v in seq.state_dict().items()}
    t_losses, weights, t_final = run(torch, None)
    e_losses, _, e_final = run(ember, weights)
    np.testing.assert_allclose(e_losses, t_losses, rtol=1e-10)
    for k in t_final:
        np.testing.assert_allclose(e_final[k], t_final[k], rtol=1e-8, atol=1e-12, err_msg=k)


def test_state_dict_survives_save_and_load():
    import io
    params, opt, closure = _problem(ember, np.float64, history_size=4)
    for _ in range(2):
        opt.step(closure)
    buf = io.BytesIO()
    ember.save(opt.state_dict(), buf)
    buf.seek(0)
    sd = torch.load(buf, weights_only=True)  # ember's file read by torch
    t_params, t_opt, t_closure = _problem(torch, np.float64, history_size=4)
    with torch.no_grad():
        for t, e in zip(t_params, params):
            t.copy_(torch.tensor(e.detach().numpy()))
    t_opt.load_state_dict(sd)
    for _ in range(2):
        np.testing.assert_allclose(opt.step(closure).item(), t_opt.step(t_closure).item(),
                                   rtol=1e-10)
    assert len(sd["state"][0]["old_dirs"]) == 4


def test_a_deep_copy_steps_its_own_parameters():
    import copy
    params, opt, _ = _problem(ember, np.float64)
    clone = copy.deepcopy({"p": params, "opt": opt})
    x = clone["p"][0]

    def closure():
        clone["opt"].zero_grad()
        loss = (x ** 2).sum()
        loss.backward()
        return loss
    before = params[0].detach().numpy().copy()
    clone["opt"].step(closure)
    np.testing.assert_array_equal(params[0].detach().numpy(), before)
    assert float((x ** 2).sum()) < 1e-6
