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
