"""nn.utils.prune, nn.utils.stateless.functional_call and nn.utils.skip_init against torch:
masks, state_dict keys, hook classes, outputs and gradients, pickles, errors."""
import io
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, raises_like_torch

torch = pytest.importorskip("torch")
import torch.nn.utils.prune  # noqa: E402  (torch does not import it with nn.utils)
import torch.nn.utils.stateless  # noqa: E402


def _pair(make, seed=0):
    torch.manual_seed(seed)
    t = make(torch)
    e = make(ember)
    e.load_state_dict(OrderedDict((k, ember.tensor(v.detach().numpy()))
                                  for k, v in t.state_dict().items()))
    return t, e


def _prune_both(t, e, steps):
    for lib, m in ((torch, t), (ember, e)):
        for fn, name, kw in steps:
            getattr(lib.nn.utils.prune, fn)(m, name, **kw)


def test_iterative_pruning_matches_torch():
    t, e = _pair(lambda lib: lib.nn.Conv2d(3, 4, 3))
    _prune_both(t, e, [("l1_unstructured", "weight", {"amount": 0.3}),
                       ("ln_structured", "weight", {"amount": 1, "n": 2, "dim": 0}),
                       ("l1_unstructured", "bias", {"amount": 2}),
                       ("ln_structured", "weight", {"amount": 0.34, "n": 1, "dim": 1}),
                       ("identity", "bias", {})])
    assert list(e.state_dict()) == list(t.state_dict()) == ["weight_orig", "bias_orig",
                                                            "weight_mask", "bias_mask"]
    for k in ("weight_mask", "bias_mask"):
        assert_close(getattr(e, k), getattr(t, k))
    assert [type(h).__name__ for h in e._forward_pre_hooks.values()] == \
        [type(h).__name__ for h in t._forward_pre_hooks.values()] == \
        ["PruningContainer", "PruningContainer"]
    assert [type(p).__name__ for p in next(iter(e._forward_pre_hooks.values()))] == \
        ["L1Unstructured", "LnStructured", "LnStructured"]
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 5)).astype(np.float32)
    to, eo = t(torch.tensor(x)), e(ember.tensor(x))
    assert_close(eo, to)
    to.pow(2).sum().backward()
    eo.pow(2).sum().backward()
    assert_close(e.weight_orig.grad, t.weight_orig.grad)   # zero where pruned
    assert ember.nn.utils.prune.is_pruned(ember.nn.Sequential(e))
    buf = io.BytesIO()   # a pruned torch model pickled whole keeps pruning in ember
    torch.save(t, buf)
    buf.seek(0)
    loaded = ember.load(buf, weights_only=False)
    assert ember.nn.utils.prune.is_pruned(loaded)
    assert_close(loaded(ember.tensor(x)), to)
    for lib, m in ((torch, t), (ember, e)):
        lib.nn.utils.prune.remove(m, "weight")
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias_orig", "weight", "bias_mask"]
    assert type(e.weight) is ember.nn.Parameter
    assert_close(e.weight, t.weight)


def test_importance_scores_custom_and_global():
    t, e = _pair(lambda lib: lib.nn.Linear(4, 3))
    scores = np.arange(12, dtype=np.float32).reshape(3, 4)[::-1].copy()
    for lib, m in ((torch, t), (ember, e)):
        lib.nn.utils.prune.l1_unstructured(m, "weight", amount=5,
                                           importance_scores=lib.tensor(scores))
        lib.nn.utils.prune.custom_from_mask(m, "bias", mask=lib.tensor([1., 0., 1.]))
        lib.nn.utils.prune.ln_structured(m, "weight", amount=1, n=float("inf"), dim=1,
                                         importance_scores=lib.tensor(scores))
    for k in ("weight_mask", "bias_mask"):
        assert_close(getattr(e, k), getattr(t, k))
    pairs = [_pair(lambda lib: lib.nn.Linear(4, 3), seed) for seed in (1, 2)]
    for lib, i in ((torch, 0), (ember, 1)):
        P = lib.nn.utils.prune
        P.l1_unstructured(pairs[0][i], "weight", amount=2)
        P.global_unstructured([(pairs[0][i], "weight"), (pairs[1][i], "bias")],
                              pruning_method=P.L1Unstructured, amount=0.4)
    assert_close(pairs[0][1].weight_mask, pairs[0][0].weight_mask)
    assert_close(pairs[1][1].bias_mask, pairs[1][0].bias_mask)
    t_out = torch.nn.utils.prune.L1Unstructured(2).prune(torch.tensor([3., -1., 0.5, 2.]))
    assert_close(ember.nn.utils.prune.L1Unstructured(2).prune(ember.tensor([3., -1., 0.5, 2.])),
                 t_out)


def test_random_pruning_counts():
    m = ember.nn.utils.prune.random_unstructured(ember.nn.Linear(5, 4), "weight", amount=0.35)
    assert int((m.weight_mask == 0).sum()) == 7 and int((m.weight == 0).sum()) >= 7
    m = ember.nn.utils.prune.random_structured(ember.nn.Conv1d(2, 6, 3), "weight", amount=2,
                                               dim=0)
    rows = m.weight_mask.sum((1, 2)).numpy()
    assert sorted(rows.tolist()) == [0, 0, 6, 6, 6, 6]


def test_prune_errors_like_torch():
    P = lambda lib: lib.nn.utils.prune  # noqa: E731
    raises_like_torch(lambda lib: P(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", 1.5),
                      ValueError, r"amount=1.5 should either be a float in the range \[0, 1\]")
    raises_like_torch(lambda lib: P(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", "a"),
                      TypeError, "Invalid type for amount: a. Must be int or float.")
    raises_like_torch(lambda lib: P(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", 5),
                      ValueError, "amount=5 should be smaller than the number of parameters")
    raises_like_torch(lambda lib: P(lib).ln_structured(lib.nn.Linear(2, 2), "bias", 1, 2, 0),
                      ValueError, "Structured pruning can only be applied to multidimensional")
    raises_like_torch(lambda lib: P(lib).ln_structured(lib.nn.Linear(2, 2), "weight", 1, 2, 2),
                      IndexError, "Invalid index 2 for tensor of size")
    raises_like_torch(lambda lib: P(lib).remove(lib.nn.Linear(2, 2), "weight"),
                      ValueError, "Parameter 'weight' of module .* has to be pruned before")
    raises_like_torch(lambda lib: P(lib).global_unstructured(
        [(lib.nn.Linear(2, 2), "weight")], P(lib).LnStructured, amount=1, n=2),
                      TypeError, 'Only "unstructured" PRUNING_TYPE supported')
    for lib in (torch, ember):   # a failed first pruning leaves the module as it was
        m = lib.nn.Linear(2, 2)
        with pytest.raises(ValueError):
            P(lib).l1_unstructured(m, "weight", 9)
        assert list(m.state_dict()) == ["bias", "weight"] and not m._forward_pre_hooks


def _stateless(lib, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return lib.nn.utils.stateless.functional_call(*args, **kwargs)


def test_functional_call_matches_torch():
    t, e = _pair(lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4)))
    rng = np.random.default_rng(0)
    w = rng.standard_normal((4, 3)).astype(np.float32)
    mean = rng.standard_normal(4).astype(np.float32)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    outs, grads = {}, {}
    for lib, m in ((torch, t), (ember, e)):
        wt = lib.tensor(w, requires_grad=True)
        before = m[0].weight
        m.eval()
        outs[lib] = _stateless(lib, m, {"0.weight": wt, "1.running_mean": lib.tensor(mean)},
                               lib.tensor(x))
        outs[lib].pow(2).sum().backward()
        grads[lib] = wt.grad
        assert m[0].weight is before and m[0].weight.grad is None
    assert_close(outs[ember], outs[torch])
    assert_close(grads[ember], grads[torch])
    with pytest.warns(FutureWarning, match="torch.func.functional_call"):
        ember.nn.utils.stateless.functional_call(e, {}, (ember.tensor(x),))
    out = _stateless(ember, e, {"0.bias": ember.zeros(4)}, args=(),
                     kwargs={"input": ember.tensor(x)})
    assert out.shape == (5, 4)


def test_functional_call_tied_strict_and_errors():
    for lib in (torch, ember):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2, bias=False), lib.nn.Linear(2, 2, bias=False))
        m[1].weight = m[0].weight
        eye = lib.eye(2)
        out = _stateless(lib, m, {"0.weight": eye}, (lib.ones(1, 2),))
        assert out.tolist() == [[1.0, 1.0]]        # both layers used the given tensor
        untied = _stateless(lib, m, {"0.weight": eye}, (lib.ones(1, 2),), tie_weights=False)
        assert untied.tolist() != [[1.0, 1.0]]
    raises_like_torch(lambda lib: _stateless(lib, lib.nn.Linear(2, 2), {"weight": lib.eye(2),
                                                                      "foo": lib.eye(2)},
                                             (lib.ones(1, 2),), strict=True),
                      RuntimeError, r"Error\(s\) in reparametrizing for Linear:\n\t"
                                    r"Unexpected key\(s\): 'foo'.\n\tMissing key\(s\): 'bias'.")

    def tied_twice(lib):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 2))
        m[1].weight = m[0].weight
        _stateless(lib, m, {"0.weight": lib.eye(2), "1.weight": lib.zeros(2, 2)}, lib.ones(1, 2))
    raises_like_torch(tied_twice, ValueError, r"functional_call got multiple values for keys "
                                              r"\['0.weight', '1.weight'\], which are tied")


def test_skip_init():
    m = ember.nn.utils.skip_init(ember.nn.Linear, 5, 3, bias=False, dtype=ember.float64)
    assert type(m) is ember.nn.Linear and m.weight.shape == (3, 5) and m.bias is None
    assert m.weight.dtype == ember.float64 and m.weight.requires_grad
    for lib in (torch, ember):
        t = lib.nn.utils.skip_init(lib.nn.Linear, 5, 3)
        assert list(t.state_dict()) == ["weight", "bias"]

    class NoDevice(ember.nn.Module):
        def __init__(self, n):
            super().__init__()
    raises_like_torch(lambda lib: lib.nn.utils.skip_init(int), RuntimeError,
                      "Expected a Module; got <class 'int'>")
    with pytest.raises(RuntimeError, match="Module must support a 'device' arg to skip "
                                           "initialization"):
        ember.nn.utils.skip_init(NoDevice, 3)
