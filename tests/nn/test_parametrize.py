"""nn.utils.parametrize, nn.utils.parametrizations and the legacy weight_norm/spectral_norm
hooks, each compared with real torch: values, gradients, state_dict keys, class names, errors,
and whole-model pickles both ways."""
import copy
import importlib
import io
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import ember
from tests.helpers import assert_close, raises_like_torch

torch = pytest.importorskip("torch")


def _pair(make, seed=0):
    """The same layer in both libraries (ember's weights copied from torch's)."""
    torch.manual_seed(seed)
    t = make(torch)
    e = make(ember)
    _copy(t, e)
    return t, e


def _copy(t, e):
    e.load_state_dict(OrderedDict((k, ember.tensor(v.detach().numpy().copy()))
                                  for k, v in t.state_dict().items()))


def _randomize(t, seed=1):
    """Move every parameter of ``t`` off its initial point (so maps are not at the identity)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in t.parameters():
            p.add_(0.3 * torch.randn(p.shape, generator=g))


def _compare_grads(t, e):
    tp, ep = dict(t.named_parameters()), dict(e.named_parameters())
    assert list(tp) == list(ep)
    for k in tp:
        assert_close(ep[k].grad, tp[k].grad, 1e-5, 1e-4, f"grad of {k}")


class Symmetric:
    @staticmethod
    def make(lib):
        class Sym(lib.nn.Module):
            def forward(self, X):
                return X.triu() + X.triu(1).mT

            def right_inverse(self, A):
                return A.triu()
        return Sym()


class RankOne:
    @staticmethod
    def make(lib):
        class R1(lib.nn.Module):
            def forward(self, x, y):
                return x.unsqueeze(-1) @ y.unsqueeze(-2)

            def right_inverse(self, Z):
                return Z[:, 0].clone(), Z[0, :].clone()
        return R1()


def test_register_parametrization_matches_torch():
    t, e = _pair(lambda lib: lib.nn.Linear(4, 4))
    for lib, m in ((torch, t), (ember, e)):
        lib.nn.utils.parametrize.register_parametrization(m, "weight", Symmetric.make(lib))
    assert type(e).__name__ == type(t).__name__ == "ParametrizedLinear"
    assert isinstance(e, ember.nn.Linear)
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias",
                                                            "parametrizations.weight.original"]
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert repr(e) == repr(t)
    assert_close(e.weight, t.weight)
    assert np.allclose(e.weight.detach().numpy(), e.weight.detach().numpy().T)
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    t(torch.tensor(x)).pow(2).sum().backward()
    e(ember.tensor(x)).pow(2).sum().backward()
    _compare_grads(t, e)
    # assignment goes through right_inverse, keeping the original Parameter object
    orig = e.parametrizations.weight.original
    A = np.arange(16, dtype=np.float32).reshape(4, 4)
    t.weight = torch.tensor(A)
    e.weight = ember.tensor(A)
    assert e.parametrizations.weight.original is orig
    assert_close(e.parametrizations.weight.original, t.parametrizations.weight.original)
    for lib in (torch, ember):
        P = lib.nn.utils.parametrize
        assert P.is_parametrized(e if lib is ember else t)
        assert P.is_parametrized(e if lib is ember else t, "weight")
        assert not P.is_parametrized(e if lib is ember else t, "bias")
        assert P.type_before_parametrizations(e if lib is ember else t).__name__ == "Linear"


def test_chained_and_multi_tensor_parametrizations():
    t, e = _pair(lambda lib: lib.nn.Linear(3, 3))
    for lib, m in ((torch, t), (ember, e)):
        P = lib.nn.utils.parametrize
        P.register_parametrization(m, "weight", Symmetric.make(lib))
        P.register_parametrization(m, "weight", lib.nn.Tanh())
        P.register_parametrization(m, "bias", lib.nn.Softplus())
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e.parametrizations) == repr(t.parametrizations)
    assert_close(e.weight, t.weight)
    assert_close(e.bias, t.bias)
    t, e = _pair(lambda lib: lib.nn.Linear(3, 3))
    for lib, m in ((torch, t), (ember, e)):
        lib.nn.utils.parametrize.register_parametrization(m, "weight", RankOne.make(lib))
    assert list(e.state_dict()) == list(t.state_dict()) == [
        "bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert_close(e.weight, t.weight)
    e.weight.sum().backward()
    t.weight.sum().backward()
    _compare_grads(t, e)


def test_remove_parametrizations_and_cached():
    for leave in (True, False):
        t, e = _pair(lambda lib: lib.nn.Linear(3, 3))
        ids = {}
        for lib, m in ((torch, t), (ember, e)):
            P = lib.nn.utils.parametrize
            ids[lib] = id(m.weight)
            P.register_parametrization(m, "weight", Symmetric.make(lib))
            with P.cached():
                assert m.weight is m.weight
            assert m.weight is not m.weight
            P.remove_parametrizations(m, "weight", leave_parametrized=leave)
            assert type(m).__name__ == "Linear" and not hasattr(m, "parametrizations")
            assert id(m.weight) == ids[lib] and isinstance(m.weight, lib.nn.Parameter)
        assert type(e) is ember.nn.Linear
        assert list(e.state_dict()) == list(t.state_dict()) == ["bias", "weight"]
        assert_close(e.weight, t.weight)
    for lib in (torch, ember):  # a sequence of originals cannot be left unparametrized
        m = lib.nn.Linear(3, 3)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", RankOne.make(lib))
        with pytest.raises(ValueError, match="Cannot leave unparametrized"):
            lib.nn.utils.parametrize.remove_parametrizations(m, "weight", False)
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight")
        assert isinstance(m.weight, lib.nn.Parameter) and m.weight.shape == (3, 3)


def test_parametrize_errors_like_torch():
    def no_tensor(lib):
        lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "foo",
                                                          lib.nn.Tanh())

    def shape_change(lib):
        class Flat(lib.nn.Module):
            def forward(self, X):
                return X.flatten()
        lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight", Flat())

    def not_parametrized(lib):
        lib.nn.utils.parametrize.remove_parametrizations(lib.nn.Linear(2, 2), "weight")

    def no_inverse(lib):
        m = lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight",
                                                              lib.nn.Tanh())
        m.weight = lib.zeros(2, 2)

    def pickled(lib):
        m = lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight",
                                                              lib.nn.Tanh())
        pickle.dumps(m)

    raises_like_torch(no_tensor, ValueError, "does not have a parameter, a buffer, or a "
                                             "parametrized element with name 'foo'")
    raises_like_torch(shape_change, ValueError, "may not change the shape of the tensor")
    raises_like_torch(not_parametrized, ValueError, "does not have a parametrization on weight")
    raises_like_torch(no_inverse, RuntimeError, "parametrization Tanh does not implement "
                                                "right_inverse")
    raises_like_torch(pickled, RuntimeError, "Serialization of parametrized modules is only "
                                             "supported through state_dict")
    m = ember.nn.utils.parametrize.register_parametrization(ember.nn.Linear(2, 2), "weight",
                                                            ember.nn.Tanh())
    m2 = copy.deepcopy(m)
    assert type(m2).__name__ == "ParametrizedLinear"
    assert_close(m2.weight, m.weight)


def test_transfer_parametrizations_and_params():
    for lib in (torch, ember):
        P = lib.nn.utils.parametrize
        a = P.register_parametrization(lib.nn.Linear(3, 3), "weight", Symmetric.make(lib))
        b = P.transfer_parametrizations_and_params(a, lib.nn.Linear(3, 3))
        assert b.parametrizations.weight.original is a.parametrizations.weight.original
        assert bool((a.weight == b.weight).all())


@pytest.mark.parametrize("shape", [(4, 4), (6, 3), (3, 6)])
@pytest.mark.parametrize("kw", [{}, {"orthogonal_map": "cayley"}, {"orthogonal_map": "householder"},
                                {"orthogonal_map": "householder", "use_trivialization": False}],
                         ids=["default", "cayley", "householder", "householder_notriv"])
def test_orthogonal_matches_torch(shape, kw):
    t, e = _pair(lambda lib: lib.nn.Linear(shape[1], shape[0]))
    torch.nn.utils.parametrizations.orthogonal(t, **kw)
    ember.nn.utils.parametrizations.orthogonal(e, **kw)
    assert list(e.state_dict()) == list(t.state_dict())
    assert_close(e.weight, t.weight)   # registering keeps the (orthogonalised) weight
    _randomize(t)
    _copy(t, e)   # also carries torch's random ``base`` for rectangular matrices
    if kw.get("orthogonal_map", "matrix_exp") != "householder" and shape == (4, 4):
        # (torch's householder map scales columns by int(diag), so only these stay orthogonal)
        W = e.weight.detach().numpy()
        np.testing.assert_allclose(W.T @ W, np.eye(4), atol=1e-5)
    assert_close(e.weight, t.weight, atol=2e-5)
    g = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    (t.weight * torch.tensor(g)).sum().backward()
    (e.weight * ember.tensor(g)).sum().backward()
    _compare_grads(t, e)


def test_orthogonal_assign_and_errors():
    t, e = _pair(lambda lib: lib.nn.Linear(4, 4))
    torch.nn.utils.parametrizations.orthogonal(t)
    ember.nn.utils.parametrizations.orthogonal(e)
    Q = np.linalg.qr(np.random.default_rng(3).standard_normal((4, 4)))[0].astype(np.float32)
    t.weight = torch.tensor(Q)
    e.weight = ember.tensor(Q)
    assert_close(e.weight, t.weight, atol=1e-5)
    assert_close(e.parametrizations.weight.original, t.parametrizations.weight.original)
    raises_like_torch(lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(2, 2),
                                                                          "bias"),
                      ValueError, "Expected a matrix or batch of matrices. Got a tensor of 1")
    raises_like_torch(lambda lib: lib.nn.utils.parametrizations.orthogonal(
        lib.nn.Linear(2, 2), orthogonal_map="qr"), ValueError, "orthogonal_map has to be one of")
    raises_like_torch(lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(2, 2),
                                                                          "foo"),
                      ValueError, "has no parameter or buffer with name 'foo'")


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_parametrization_matches_torch(dim):
    t, e = _pair(lambda lib: lib.nn.Conv1d(3, 4, 2))
    torch.nn.utils.parametrizations.weight_norm(t, dim=dim)
    ember.nn.utils.parametrizations.weight_norm(e, dim=dim)
    assert list(e.state_dict()) == list(t.state_dict()) == [
        "bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert_close(e.parametrizations.weight.original0, t.parametrizations.weight.original0)
    _randomize(t)
    _copy(t, e)
    x = np.random.default_rng(0).standard_normal((2, 3, 5)).astype(np.float32)
    to, eo = t(torch.tensor(x)), e(ember.tensor(x))
    assert_close(eo, to)
    to.pow(2).sum().backward()
    eo.pow(2).sum().backward()
    _compare_grads(t, e)


def test_weight_norm_parametrization_loads_legacy_keys():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        legacy = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2))
    sd = OrderedDict((k, ember.tensor(v.detach().numpy())) for k, v in legacy.state_dict().items())
    e = ember.nn.utils.parametrizations.weight_norm(ember.nn.Linear(3, 2))
    e.load_state_dict(sd)
    assert_close(e.weight, legacy.weight)


@pytest.mark.parametrize("make", ["Linear(5, 4)", "Conv2d(3, 4, 3)", "ConvTranspose2d(3, 4, 3)"])
def test_spectral_norm_parametrization_matches_torch(make):
    t, e = _pair(lambda lib: eval("lib.nn." + make))
    torch.nn.utils.parametrizations.spectral_norm(t)
    ember.nn.utils.parametrizations.spectral_norm(e)
    assert list(e.state_dict()) == list(t.state_dict())
    assert "parametrizations.weight.0._u" in e.state_dict()
    _copy(t, e)   # torch's random starting vectors
    x = np.random.default_rng(0).standard_normal((2, 5) if "Linear" in make else (2, 3, 5, 5))
    x = x.astype(np.float32)
    for _ in range(3):   # training mode refines u and v on every access
        to, eo = t(torch.tensor(x)), e(ember.tensor(x))
        assert_close(eo, to, atol=2e-5)
    assert_close(e.parametrizations.weight[0]._u, t.parametrizations.weight[0]._u, atol=1e-5)
    to.pow(2).sum().backward()
    eo.pow(2).sum().backward()
    _compare_grads(t, e)
    raises_like_torch(lambda lib: lib.nn.utils.parametrizations.spectral_norm(
        lib.nn.Linear(2, 2), n_power_iterations=0), ValueError, "Expected n_power_iterations")
    raises_like_torch(lambda lib: lib.nn.utils.parametrizations.spectral_norm(
        lib.nn.Linear(2, 2), dim=2), IndexError, "Dimension out of range")


def _both_legacy(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return fn(torch), fn(ember)


@pytest.mark.parametrize("dim", [0, 1, None])
def test_legacy_weight_norm_matches_torch(dim):
    t, e = _pair(lambda lib: lib.nn.Conv2d(3, 4, 2))
    with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
        ember.nn.utils.weight_norm(e, dim=dim)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.nn.utils.weight_norm(t, dim=dim)
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert_close(e.weight_g, t.weight_g)
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4)).astype(np.float32)
    to, eo = t(torch.tensor(x)), e(ember.tensor(x))
    assert_close(eo, to)
    to.sum().backward()
    eo.sum().backward()
    _compare_grads(t, e)
    # torch -> ember and ember -> torch whole-model pickles keep the hook working
    buf = io.BytesIO()
    torch.save(t, buf)
    buf.seek(0)
    loaded = ember.load(buf, weights_only=False)
    assert type(loaded) is ember.nn.Conv2d
    assert isinstance(next(iter(loaded._forward_pre_hooks.values())),
                      importlib.import_module("ember.nn.utils.weight_norm").WeightNorm)
    assert_close(loaded(ember.tensor(x)), to)
    buf = io.BytesIO()
    ember.save(e, buf)
    buf.seek(0)
    assert_close(eo, torch.load(buf, weights_only=False)(torch.tensor(x)))
    torch.nn.utils.remove_weight_norm(t)
    ember.nn.utils.remove_weight_norm(e)
    assert list(e.state_dict()) == ["bias", "weight"] and not e._forward_pre_hooks
    assert_close(e.weight, t.weight)
    raises_like_torch(lambda lib: lib.nn.utils.remove_weight_norm(lib.nn.Linear(2, 2)),
                      ValueError, "weight_norm of 'weight' not found in")
    raises_like_torch(lambda lib: _both_legacy(lambda l: l.nn.utils.weight_norm(
        l.nn.utils.weight_norm(l.nn.Linear(2, 2))))[0 if lib is torch else 1],
                      RuntimeError, "Cannot register two weight_norm hooks")


@pytest.mark.parametrize("make", ["Linear(5, 4)", "ConvTranspose2d(3, 4, 3)"])
def test_legacy_spectral_norm_matches_torch(make):
    t, e = _pair(lambda lib: eval("lib.nn." + make))
    torch.nn.utils.spectral_norm(t)
    ember.nn.utils.spectral_norm(e)
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias", "weight_orig", "weight_u",
                                                            "weight_v"]
    assert e.state_dict()._metadata[""]["spectral_norm"] == {"weight.version": 1}
    _copy(t, e)
    x = np.random.default_rng(0).standard_normal((2, 5) if "Linear" in make else (2, 3, 4, 4))
    x = x.astype(np.float32)
    for _ in range(2):
        to, eo = t(torch.tensor(x)), e(ember.tensor(x))
        assert_close(eo, to, atol=2e-5)
    assert_close(e.weight_u, t.weight_u, atol=1e-5)
    to.sum().backward()
    eo.sum().backward()
    _compare_grads(t, e)
    t.eval(), e.eval()
    buf = io.BytesIO()
    torch.save(t, buf)
    buf.seek(0)
    loaded = ember.load(buf, weights_only=False)
    assert_close(loaded(ember.tensor(x)), t(torch.tensor(x)), atol=2e-5)
    loaded.load_state_dict(e.state_dict())
    buf = io.BytesIO()
    ember.save(e, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=False)
    back.load_state_dict(t.state_dict())
    assert type(back) is type(t) and back.weight_u.shape == t.weight_u.shape
    np.testing.assert_allclose(back(torch.tensor(x)).detach().numpy(),
                               t(torch.tensor(x)).detach().numpy(), atol=2e-5)
    # a version-0 state dict (the normalised weight saved, no weight_v) is migrated
    sd = OrderedDict((k, v) for k, v in t.state_dict().items() if k != "weight_v")
    sd["weight"] = t.weight.detach().clone()
    e.load_state_dict(OrderedDict((k, ember.tensor(v.numpy())) for k, v in sd.items()))
    e(ember.tensor(x))
    assert_close(e.weight, sd["weight"], atol=1e-4)
    torch.nn.utils.remove_spectral_norm(t)
    ember.nn.utils.remove_spectral_norm(e)
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias", "weight"]
    assert not (e._forward_pre_hooks or e._state_dict_hooks or e._load_state_dict_pre_hooks)
    raises_like_torch(lambda lib: lib.nn.utils.remove_spectral_norm(lib.nn.Linear(2, 2)),
                      ValueError, "spectral_norm of 'weight' not found in")
