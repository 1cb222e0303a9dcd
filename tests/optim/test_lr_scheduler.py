"""Schedulers against torch: the same get_last_lr() sequence, step by step."""
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import torch


def _sched(lib, name, kwargs, opt):
    S = lib.optim.lr_scheduler
    if name == "SequentialLR":
        return S.SequentialLR(opt, [S.LinearLR(opt, start_factor=0.1, total_iters=3),
                                    S.ExponentialLR(opt, gamma=0.9)], milestones=[3])
    if name == "ChainedScheduler":
        return S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=2),
                                   S.ExponentialLR(opt, gamma=0.9)])
    return getattr(S, name)(opt, **kwargs)


CASES = [
    ("LambdaLR", dict(lr_lambda=lambda e: 0.95 ** e)),
    ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.9)),
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ConstantLR", dict(factor=0.25, total_iters=4)),
    ("LinearLR", dict(start_factor=0.2, end_factor=0.9, total_iters=6)),
    ("ExponentialLR", dict(gamma=0.8)),
    ("PolynomialLR", dict(total_iters=8, power=2.0)),
    ("CosineAnnealingLR", dict(T_max=5, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=2, eta_min=0.01)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=20)),
    ("OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=20, anneal_strategy="linear",
                        three_phase=True)),
    ("SequentialLR", {}),
    ("ChainedScheduler", {}),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4)),
    ("CyclicLR", dict(base_lr=[0.01, 0.02], max_lr=[0.1, 0.3], step_size_up=3, step_size_down=5,
                      mode="triangular2", base_momentum=[0.7, 0.75], max_momentum=0.95)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range", gamma=0.9,
                      cycle_momentum=False)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=3, scale_fn=lambda x: 0.5 ** x,
                      scale_mode="iterations")),
]


def _lrs(lib, name, kwargs, optname="SGD", steps=19):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(1, requires_grad=True)
    opt = getattr(lib.optim, optname)([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1,
                                      **({"momentum": 0.9} if optname == "SGD" else {}))
    sched = _sched(lib, name, kwargs, opt)
    seq = [list(sched.get_last_lr())]
    moms = []
    for _ in range(steps):
        opt.step()
        sched.step()
        seq.append(list(sched.get_last_lr()))
        moms.append([g.get("momentum", g.get("betas", (None,))[0]) for g in opt.param_groups])
    return seq, moms


@pytest.mark.parametrize("name,kwargs", CASES)
def test_lr_sequence_matches_torch(name, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e, em = _lrs(ember, name, kwargs)
        t, tm = _lrs(torch, name, kwargs)
    np.testing.assert_allclose(np.array(e), np.array(t), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(np.array(em, dtype=float), np.array(tm, dtype=float), rtol=1e-12)


def test_one_cycle_with_adam_betas():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e, em = _lrs(ember, "OneCycleLR", dict(max_lr=0.3, total_steps=20), optname="Adam")
        t, tm = _lrs(torch, "OneCycleLR", dict(max_lr=0.3, total_steps=20), optname="Adam")
    np.testing.assert_allclose(e, t, rtol=1e-12)
    np.testing.assert_allclose(em, tm, rtol=1e-12)


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="max", patience=2, cooldown=1, factor=0.5),
                                    dict(threshold_mode="abs", threshold=0.1, patience=1,
                                         min_lr=0.02)])
def test_reduce_on_plateau(kwargs):
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.91, 0.99, 1.2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
               0.5, 0.5, 0.5]

    def run(lib):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        s = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        out = []
        for m in metrics:
            s.step(m)
            out.append(s.get_last_lr()[0])
        return out
    np.testing.assert_allclose(run(ember), run(torch), rtol=1e-12)


def test_step_lr_state_dict_round_trip():
    opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1)
    s = ember.optim.lr_scheduler.StepLR(opt, step_size=2)
    for _ in range(3):
        s.step()
    sd = s.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 3
    opt2 = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1)
    s2 = ember.optim.lr_scheduler.StepLR(opt2, step_size=2)
    s2.load_state_dict(sd)
    assert s2.last_epoch == 3 and s2.get_last_lr() == s.get_last_lr()


def test_resume_without_initial_lr_raises():
    opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(KeyError, match="initial_lr"):
        ember.optim.lr_scheduler.StepLR(opt, step_size=2, last_epoch=3)


def test_cyclic_lr_with_adam_betas():
    kwargs = dict(base_lr=0.001, max_lr=0.01, step_size_up=3, mode="triangular2")
    e, em = _lrs(ember, "CyclicLR", kwargs, optname="Adam")
    t, tm = _lrs(torch, "CyclicLR", kwargs, optname="Adam")
    np.testing.assert_allclose(e, t, rtol=1e-12)
    np.testing.assert_allclose(em, tm, rtol=1e-12)


@pytest.mark.parametrize("src,dst", [(torch, ember), (ember, torch)])
def test_cyclic_lr_state_dict_resumes_in_the_other_library(src, dst):
    class Halve:  # a callable object: its attributes travel in the state dict, as in torch
        def __init__(self):
            self.base = 0.5

        def __call__(self, x):
            return self.base ** x

    def make(lib, fn):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        return opt, lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=3, scale_fn=fn)
    fn = Halve()
    fn.base = 0.8
    sopt, ssched = make(src, fn)
    for _ in range(5):
        sopt.step()
        ssched.step()
    sd = ssched.state_dict()
    assert "_scale_fn_ref" not in sd and sd["_scale_fn_custom"] == {"base": 0.8}
    dopt, dsched = make(dst, Halve())
    dsched.load_state_dict(sd)
    dopt.load_state_dict(sopt.state_dict())  # no gradients, so no tensors: loads as is
    for _ in range(6):
        sopt.step()
        ssched.step()
        dopt.step()
        dsched.step()
        assert dsched.get_last_lr() == pytest.approx(ssched.get_last_lr(), rel=1e-12)
        assert dopt.param_groups[0]["momentum"] == pytest.approx(
            sopt.param_groups[0]["momentum"], rel=1e-12)


def test_cyclic_lr_errors_match_torch():
    from tests.helpers import raises_like_torch

    def sgd(lib, **kw):
        return lib.optim.SGD([{"params": [lib.zeros(1, requires_grad=True)]},
                              {"params": [lib.zeros(1, requires_grad=True)]}], lr=0.1, **kw)
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.CyclicLR(sgd(lib), 0.01, 0.1,
                                                                  mode="zigzag"),
                      ValueError, "mode is invalid and scale_fn is None")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.CyclicLR(
        lib.optim.Adagrad([lib.zeros(1, requires_grad=True)]), 0.01, 0.1),
        ValueError, "optimizer must support momentum or beta1 with `cycle_momentum`")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.CyclicLR(sgd(lib), [0.01], 0.1),
                      ValueError, r"base_lr must have the same length as optimizer.param_groups. "
                                  r"base_lr has 1 values, param_groups has 2.")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.OneCycleLR(sgd(lib), [0.1, 0.2, 0.3],
                                                                    total_steps=5),
                      ValueError, "max_lr must have the same length")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.LambdaLR(sgd(lib), [lambda e: 1.0]),
                      ValueError, "Expected 2 lr_lambdas, but got 1")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(sgd(lib),
                                                                           min_lr=[0.1]),
                      ValueError, "expected 2 min_lrs, got 1")
    raises_like_torch(lambda lib: lib.optim.lr_scheduler.CyclicLR(object(), 0.01, 0.1),
                      TypeError, "object is not an Optimizer")


@pytest.mark.parametrize("optimizer_first", [True, False])
def test_warns_like_torch_when_stepped_before_the_optimizer(optimizer_first):
    def run(lib):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if optimizer_first:
                opt.step()
            sched.step()
            opt.step()
            sched.step()
        return [str(w.message) for w in caught if "before `optimizer.step()`" in str(w.message)]
    e, t = run(ember), run(torch)
    assert e == t and len(e) == (0 if optimizer_first else 1)


@pytest.mark.parametrize("direction", ["torch->ember", "ember->torch"])
@pytest.mark.parametrize("name,kwargs", CASES)
def test_state_dict_resumes_in_the_other_library(name, kwargs, direction):
    src, dst = (torch, ember) if direction == "torch->ember" else (ember, torch)

    def make(lib):
        a = lib.zeros(2, requires_grad=True)
        b = lib.zeros(1, requires_grad=True)
        opt = lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)
        return opt, _sched(lib, name, kwargs, opt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sopt, ssched = make(src)
        for _ in range(4):
            sopt.step()
            ssched.step()
        dopt, dsched = make(dst)
        dopt.load_state_dict(sopt.state_dict())  # no gradients, so no tensors in it
        dsched.load_state_dict(ssched.state_dict())
        for _ in range(6):
            for opt, sched in ((sopt, ssched), (dopt, dsched)):
                opt.step()
                sched.step()
            np.testing.assert_allclose(dsched.get_last_lr(), ssched.get_last_lr(), rtol=1e-12)
            assert [g["momentum"] for g in dopt.param_groups] == pytest.approx(
                [g["momentum"] for g in sopt.param_groups], rel=1e-12)


@pytest.mark.parametrize("src,dst", [(torch, ember), (ember, torch)])
def test_reduce_on_plateau_state_dict_resumes_in_the_other_library(src, dst):
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.91, 0.99, 1.2, 0.5, 0.5, 0.5, 0.5, 0.5]

    def make(lib):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        return opt, lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, cooldown=1)
    sopt, ssched = make(src)
    for m in metrics[:5]:
        ssched.step(m)
    dopt, dsched = make(dst)
    dopt.load_state_dict(sopt.state_dict())
    dsched.load_state_dict(ssched.state_dict())
    assert dsched.state_dict().keys() == ssched.state_dict().keys()
    for m in metrics[5:]:
        ssched.step(m)
        dsched.step(m)
        assert dsched.get_last_lr() == pytest.approx(ssched.get_last_lr(), rel=1e-12)


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_lr_pickles(mode):
    import pickle
    opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = ember.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=2, mode=mode,
                                              gamma=0.9)
    opt.step()
    sched.step()
    clone = pickle.loads(pickle.dumps(sched))
    for s in (sched, clone):
        s.optimizer.step()
        s.step()
    assert clone.get_last_lr() == sched.get_last_lr()
