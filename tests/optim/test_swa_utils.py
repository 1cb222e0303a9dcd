"""optim.swa_utils against torch: averaged weights and buffers, update_bn statistics and SWALR
lr sequences equal torch's for the same models and data."""
import warnings

import numpy as np
import pytest

import ember
from tests.helpers import raises_like_torch, torch


def _models():
    """The same small model with BatchNorm in torch and in ember (torch's initial weights)."""
    torch.manual_seed(0)
    t = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.BatchNorm1d(6), torch.nn.ReLU(),
                            torch.nn.Linear(6, 2))
    e = ember.nn.Sequential(ember.nn.Linear(4, 6), ember.nn.BatchNorm1d(6), ember.nn.ReLU(),
                            ember.nn.Linear(6, 2))
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return {torch: t, ember: e}


def _perturb(models, seed):
    """Give both models the same new weights and move their BatchNorm statistics."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((8, 4)).astype(np.float32)
    noise = {k: rng.standard_normal(v.shape).astype(np.float32)
             for k, v in models[torch].named_parameters()}
    for lib, m in models.items():
        with lib.no_grad():
            for k, p in m.named_parameters():
                p.add_(lib.tensor(noise[k]))
        m.train()
        m(lib.tensor(x))


def _avg_kwargs(lib, kind):
    S = lib.optim.swa_utils
    return {"swa": {}, "ema": dict(avg_fn=S.get_ema_avg_fn(0.9)),
            "ema_multi": dict(multi_avg_fn=S.get_ema_multi_avg_fn(0.9)),
            "swa_multi": dict(multi_avg_fn=S.get_swa_multi_avg_fn()),
            "ema_multi_buffers": dict(multi_avg_fn=S.get_ema_multi_avg_fn(0.8), use_buffers=True),
            "swa_buffers": dict(use_buffers=True)}[kind]


@pytest.mark.parametrize("kind", ["swa", "ema", "ema_multi", "swa_multi", "ema_multi_buffers",
                                  "swa_buffers"])
def test_averaged_model_matches_torch(kind):
    models = _models()
    avg = {lib: lib.optim.swa_utils.AveragedModel(m, **_avg_kwargs(lib, kind))
           for lib, m in models.items()}
    for seed in range(5):
        _perturb(models, seed)
        for lib in models:
            avg[lib].update_parameters(models[lib])
    te, tt = avg[ember].state_dict(), avg[torch].state_dict()
    assert list(te) == list(tt)
    for k in tt:
        assert str(te[k].dtype)[6:] == str(tt[k].dtype)[6:], k
        np.testing.assert_allclose(te[k].numpy(), tt[k].numpy(), rtol=1e-5, atol=1e-6, err_msg=k)
    assert int(avg[ember].n_averaged) == 5
    x = np.random.default_rng(9).standard_normal((3, 4)).astype(np.float32)
    for lib in models:
        avg[lib].eval()
    np.testing.assert_allclose(avg[ember](ember.tensor(x)).detach().numpy(),
                               avg[torch](torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_averaged_model_is_a_copy_and_rejects_two_rules():
    m = ember.nn.Linear(2, 2)
    avg = ember.optim.swa_utils.AveragedModel(m)
    assert avg.module is not m and avg.module.weight is not m.weight
    assert avg.n_averaged.dtype == ember.int64 and int(avg.n_averaged) == 0
    raises_like_torch(lambda lib: lib.optim.swa_utils.AveragedModel(
        lib.nn.Linear(2, 2), avg_fn=lib.optim.swa_utils.get_swa_avg_fn(),
        multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn()),
        AssertionError, "Only one of avg_fn and multi_avg_fn should be provided")
    for factory in ("get_ema_avg_fn", "get_ema_multi_avg_fn"):
        raises_like_torch(lambda lib: getattr(lib.optim.swa_utils, factory)(1.5), ValueError,
                          r"Invalid decay value 1.5 provided. Please provide a value in \[0,1\]")


def test_update_bn_matches_torch():
    models = _models()
    _perturb(models, 0)
    rng = np.random.default_rng(3)
    batches = [(rng.standard_normal((5, 4)).astype(np.float32) * 2 + 1, i) for i in range(4)]
    for lib, m in models.items():
        m.eval()
        bn = m[1]
        bn.momentum = 0.3
        lib.optim.swa_utils.update_bn([(lib.tensor(x), y) for x, y in batches], m)
        assert not m.training and bn.momentum == 0.3
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(getattr(models[ember][1], name).numpy(),
                                   getattr(models[torch][1], name).numpy(), rtol=1e-5, err_msg=name)
    assert int(models[ember][1].num_batches_tracked) == 4
    # plain tensors as batches, and a model without BatchNorm is left alone
    lin = ember.nn.Linear(4, 2)
    before = lin.weight.detach().numpy().copy()
    ember.optim.swa_utils.update_bn([ember.ones(2, 4)], lin)
    np.testing.assert_array_equal(lin.weight.detach().numpy(), before)


@pytest.mark.parametrize("kwargs", [dict(swa_lr=0.05), dict(swa_lr=[0.05, 0.01], anneal_epochs=3,
                                                          anneal_strategy="linear"),
                                    dict(swa_lr=0.02, anneal_epochs=0)])
def test_swalr_matches_torch(kwargs):
    def run(lib):
        opt = lib.optim.SGD([{"params": [lib.zeros(1, requires_grad=True)]},
                             {"params": [lib.zeros(1, requires_grad=True)], "lr": 0.3}], lr=0.5)
        first = lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        for _ in range(3):
            opt.step()
            first.step()
        sched = lib.optim.swa_utils.SWALR(opt, **kwargs)
        seq = [sched.get_last_lr()]
        for _ in range(14):
            opt.step()
            sched.step()
            seq.append(sched.get_last_lr())
        return seq, sched.state_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (e, esd), (t, tsd) = run(ember), run(torch)
    np.testing.assert_allclose(e, t, rtol=1e-12)
    assert esd.keys() == tsd.keys() - {"_get_lr_called_within_step", "_is_initial"}
    assert esd["_anneal_strategy"] == tsd["_anneal_strategy"] and "anneal_func" not in esd


def test_swalr_state_dict_round_trip_and_errors():
    opt = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.5)
    s = ember.optim.swa_utils.SWALR(opt, swa_lr=0.1, anneal_epochs=4, anneal_strategy="linear")
    s.step()
    opt2 = ember.optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.5)
    s2 = ember.optim.swa_utils.SWALR(opt2, swa_lr=0.1)
    s2.load_state_dict(s.state_dict())
    assert s2.anneal_func is s2._linear_anneal and s2.anneal_epochs == 4
    raises_like_torch(lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1), 0.1, anneal_strategy="exp"),
        ValueError, "anneal_strategy must be one of 'cos' or 'linear', instead got exp")
    raises_like_torch(lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1), 0.1, anneal_epochs=-1),
        ValueError, "anneal_epochs must be equal or greater than 0, got -1")
