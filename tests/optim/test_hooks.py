"""Optimizer hooks, named parameters, add_param_group and zero_grad, run side by side with torch:
the same calls must leave the same logs, state dicts and gradients."""
import importlib

import numpy as np
import pytest

import ember
from tests.helpers import raises_like_torch, torch


def _opt(lib, cls="SGD", **kwargs):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([0.5], requires_grad=True)
    return getattr(lib.optim, cls)([w, b], lr=0.1, **kwargs), w, b


def _both(fn):
    """``fn(lib)`` for torch and ember; their results must be equal."""
    t, e = fn(torch), fn(ember)
    assert e == t, f"ember {e!r} != torch {t!r}"
    return e


def test_step_hooks_order_arguments_and_removal():
    def run(lib):
        log = []
        opt, w, b = _opt(lib, momentum=0.9)
        mod = importlib.import_module(lib.__name__ + ".optim.optimizer")
        handles = [
            mod.register_optimizer_step_pre_hook(
                lambda o, a, k: log.append(("gpre", len(a), sorted(k)))),
            mod.register_optimizer_step_post_hook(lambda o, a, k: log.append(("gpost", len(a)))),
            opt.register_step_pre_hook(lambda o, a, k: log.append(("pre", a[0] is o))),
            opt.register_step_post_hook(lambda o, a, k: log.append(("post", a[0] is o)))]
        try:
            w.grad, b.grad = lib.ones(2), lib.ones(1)
            opt.step()
            opt.step(closure=lambda: 3.0)
            handles[2].remove()
            handles[0].remove()
            opt.step()
        finally:
            for h in handles:
                h.remove()
        opt.step()  # no hooks left
        log.append(w.detach().numpy().round(6).tolist())
        return log
    log = _both(run)
    assert log[:4] == [("gpre", 1, []), ("pre", True), ("post", True), ("gpost", 1)]


def test_pre_hook_can_replace_arguments():
    def run(lib):
        opt, w, _ = _opt(lib)
        w.grad = lib.ones(2)
        opt.register_step_pre_hook(lambda o, a, k: (a, {"closure": lambda: 42.0}))
        out = opt.step()
        bad = opt.register_step_pre_hook(lambda o, a, k: "nonsense")
        try:
            opt.step()
        except RuntimeError as err:
            message = str(err).split(" must return")[1]
        bad.remove()
        return out, message
    assert _both(run)[0] == 42.0


def test_hooks_on_a_user_subclass_with_its_own_step():
    def run(lib):
        class Halving(lib.optim.Optimizer):
            def __init__(self, params):
                super().__init__(params, {"lr": 0.5})

            def step(self, closure=None):
                with lib.no_grad():
                    for g in self.param_groups:
                        for p in g["params"]:
                            p.mul_(g["lr"])
        log = []
        w = lib.ones(2, requires_grad=True)
        opt = Halving([w])
        opt.register_step_pre_hook(lambda o, a, k: log.append("pre"))
        opt.register_step_post_hook(lambda o, a, k: log.append("post"))
        opt.step()
        return log, w.detach().numpy().tolist(), Halving.step.__name__
    assert _both(run)[0] == ["pre", "post"]


def test_state_dict_hooks():
    def run(lib):
        log = []
        opt, w, b = _opt(lib, "Adam")
        w.grad, b.grad = lib.ones(2), lib.ones(1)
        opt.step()
        opt.register_state_dict_pre_hook(lambda o: log.append("pre1"))
        opt.register_state_dict_pre_hook(lambda o: log.append("pre0"), prepend=True)
        opt.register_state_dict_post_hook(lambda o, sd: log.append(("post", sorted(sd))))
        h = opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
        sd = opt.state_dict()
        h.remove()
        log.append(sorted(sd))
        log.append(sorted(opt.state_dict()))
        return log
    assert _both(run) == ["pre0", "pre1", ("post", ["param_groups", "state"]),
                          ["extra", "param_groups", "state"],
                          "pre0", "pre1", ("post", ["param_groups", "state"]),
                          ["param_groups", "state"]]


def test_load_state_dict_hooks():
    def run(lib):
        log = []
        src, w, b = _opt(lib, "SGD", momentum=0.9)
        w.grad, b.grad = lib.ones(2), lib.ones(1)
        src.step()
        sd = src.state_dict()
        dst, _, _ = _opt(lib, "SGD", momentum=0.9)

        def pre(o, given):
            log.append(("pre", given is sd, sorted(given)))
            given["param_groups"] = [dict(g, lr=0.25) for g in given["param_groups"]]
            return given
        dst.register_load_state_dict_pre_hook(pre)
        dst.register_load_state_dict_post_hook(
            lambda o: log.append(("post", o.param_groups[0]["lr"])))
        dst.register_load_state_dict_post_hook(lambda o: log.append("first"), prepend=True)
        dst.load_state_dict(sd)
        log.append(sd["param_groups"][0]["lr"])  # the caller's dict is not changed
        log.append(sorted(len(s) for s in dst.state.values()))
        return log
    assert _both(run) == [("pre", False, ["param_groups", "state"]), "first", ("post", 0.25),
                          0.1, [1, 1]]


def test_named_parameters_are_kept_as_param_names():
    def run(lib):
        model = lib.nn.Linear(2, 1)
        opt = lib.optim.Adam(model.named_parameters(), lr=0.01)
        opt.add_param_group({"params": [("extra", lib.zeros(1, requires_grad=True))], "lr": 0.5})
        sd = opt.state_dict()
        return [(g["param_names"], g["params"], g["lr"]) for g in sd["param_groups"]]
    assert _both(run) == [(["weight", "bias"], [0, 1], 0.01), (["extra"], [2], 0.5)]
    raises_like_torch(lambda lib: lib.optim.SGD([("a", lib.zeros(1, requires_grad=True)),
                                                 lib.zeros(1, requires_grad=True)], lr=0.1),
                      ValueError, "all optimizer params should be with/without names")


def test_add_param_group_and_zero_grad():
    def run(lib):
        opt, w, b = _opt(lib, "SGD", momentum=0.9, weight_decay=0.01)
        extra = lib.ones(3, requires_grad=True)
        opt.add_param_group({"params": extra, "lr": 0.5, "momentum": 0.0})
        for p in (w, b, extra):
            p.grad = lib.ones(p.shape)
        opt.step()
        opt.zero_grad(set_to_none=False)
        zeroed = [p.grad.tolist() for p in (w, b, extra)]
        opt.zero_grad()
        groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
        return zeroed, [p.grad for p in (w, b, extra)], groups, extra.detach().numpy().tolist()
    zeroed, grads, groups, extra = _both(run)
    assert zeroed[2] == [0.0, 0.0, 0.0] and grads == [None, None, None]
    assert groups[1]["lr"] == 0.5 and groups[1]["weight_decay"] == 0.01
    np.testing.assert_allclose(extra, [1 - 0.5 * 1.01] * 3)
    raises_like_torch(lambda lib: _opt(lib)[0].add_param_group({"params": {lib.ones(1)}}),
                      TypeError, "optimizer parameters need to be organized in ordered "
                                 "collections")
    raises_like_torch(lambda lib: _opt(lib)[0].add_param_group([lib.ones(1)]), TypeError,
                      "param_group must be a dict")


@pytest.mark.parametrize("cls", ["Adam", "LBFGS", "Rprop"])
def test_hooks_survive_pickling(cls):
    import pickle
    opt, _, _ = _opt(ember, cls)
    opt.register_step_pre_hook(print)
    clone = pickle.loads(pickle.dumps(opt))
    assert len(clone._optimizer_step_pre_hooks) == 0  # hooks are not pickled, as in torch
    assert clone.param_groups[0]["lr"] == 0.1


def test_swap_in_optimizer_params_and_state_matches_torch():
    def run(lib):
        torch.manual_seed(0)
        live, other = lib.nn.Linear(3, 2), lib.nn.Linear(3, 2)
        with lib.no_grad():
            for i, p in enumerate(list(live.parameters()) + list(other.parameters())):
                p.copy_(lib.arange(p.numel(), dtype=lib.float32).reshape(p.shape) * 0.1 + i)
        opt = lib.optim.Adam(live.parameters(), lr=0.1)
        side = lib.optim.Adam(other.parameters(), lr=0.05)
        for m, o in ((live, opt), (other, side)):
            m(lib.ones(4, 3)).sum().backward()
            o.step()
        swap_state = side.state_dict()
        with lib.optim.swap_in_optimizer_params_and_state(opt, dict(other.named_parameters()),
                                                          swap_state):
            inside_lr = opt.param_groups[0]["lr"]
            assert opt.param_groups[0]["params"][0] is other.weight
            opt.step()
        return (inside_lr, opt.param_groups[0]["lr"],
                opt.param_groups[0]["params"][0] is live.weight,
                other.weight.detach().numpy().round(6).tolist(),
                live.weight.detach().numpy().round(6).tolist(),
                float(swap_state["state"][0]["step"]),
                swap_state["state"][0]["exp_avg"].numpy().round(6).tolist(),
                [float(s["step"]) for s in opt.state.values()])
    assert _both(run)[:3] == (0.05, 0.1, True)


def test_swap_in_errors_match_torch():
    def setup(lib):
        opt, w, b = _opt(lib, "Adam")
        w.grad, b.grad = lib.ones(2), lib.ones(1)
        opt.step()
        return opt, {"w": w, "b": b}

    def swap(lib, edit):
        opt, params = setup(lib)
        sd = opt.state_dict()
        edit(sd)
        with lib.optim.swap_in_optimizer_params_and_state(opt, params, sd):
            pass
    raises_like_torch(lambda lib: swap(lib, lambda sd: sd["param_groups"][0].pop("amsgrad")),
                      RuntimeError, r"Keys only in swap-in: \[\]. Keys only in live: \['amsgrad'\]")
    raises_like_torch(lambda lib: swap(lib, lambda sd: sd["state"].update({7: {}})),
                      RuntimeError, "got extra keys \\[7\\]")
    raises_like_torch(lambda lib: swap(lib, lambda sd: sd["param_groups"].append({})),
                      RuntimeError, "different number of parameter groups")

    def fresh(lib):
        opt, _, _ = _opt(lib, "Adam")
        with lib.optim.swap_in_optimizer_params_and_state(opt, {}, opt.state_dict()):
            pass
    raises_like_torch(fresh, RuntimeError, "requires initialized optimizer state")


def test_hooks_run_once_when_a_subclass_step_calls_super():
    class Counting(ember.optim.SGD):
        def step(self, closure=None):
            self.calls = getattr(self, "calls", 0) + 1
            return super().step(closure)
    opt, w, _ = _opt(ember, "SGD")
    sub = Counting([w], lr=0.1)
    log = []
    sub.register_step_pre_hook(lambda o, a, k: log.append("pre"))
    sub.register_step_post_hook(lambda o, a, k: log.append("post"))
    w.grad = ember.ones(2)
    sub.step()
    opt.step()  # the parent class's own step still runs its (absent) hooks normally
    assert log == ["pre", "post"] and sub.calls == 1
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.8])


def test_zero_grad_in_place_detaches_like_torch():
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([1.0], requires_grad=True)
        w.grad = lib.tensor([3.0, 4.0], requires_grad=True) * 2  # a gradient with a graph
        b.grad = lib.tensor([5.0], requires_grad=True)
        grads = (w.grad, b.grad)
        lib.optim.SGD([w, b], lr=0.1).zero_grad(set_to_none=False)
        return [(p.grad is g, p.grad.requires_grad, p.grad.grad_fn is None, p.grad.tolist())
                for p, g in zip((w, b), grads)]
    assert _both(run) == [(True, False, True, [0.0, 0.0]), (True, False, True, [0.0])]
