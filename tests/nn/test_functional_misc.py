"""Distances against torch (F.pairwise_distance, F.cosine_similarity, F.pdist and their layers:
broadcasting, p, eps, keepdim, gradients incl. at zero distance), and the functional
namespace: every name of the core families is torch.nn.functional's."""
import numpy as np
import pytest

import ember
from tests.helpers import check_op, assert_close, raises_like_torch

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shapes", [[(4, 5), (4, 5)], [(4, 5), (5,)], [(5,), (5,)],
                                    [(2, 3, 4), (3, 4)], [(2, 1, 4), (3, 1)]], ids=str)
@pytest.mark.parametrize("kw", [{}, dict(p=1.0), dict(p=3.0, eps=0.0), dict(keepdim=True),
                                dict(p=float("inf"))], ids=str)
def test_pairwise_distance(shapes, kw):
    check_op(lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, **kw), shapes)


def test_pairwise_distance_gradient_at_equal_points():
    check_op(lambda lib, a: lib.nn.functional.pairwise_distance(a, a.detach()),
             arrays=[np.zeros((2, 3), np.float32)], gradcheck=False)


@pytest.mark.parametrize("shapes,dim", [([(4, 5), (4, 5)], 1), ([(4, 5), (4, 5)], 0),
                                        ([(2, 3, 4), (3, 1)], 1), ([(2, 3, 4), (2, 3, 4)], -1),
                                        ([(5,), (5,)], 0)], ids=str)
def test_cosine_similarity(shapes, dim):
    check_op(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim), shapes)


def test_cosine_similarity_eps_clamps_each_norm():
    """Below eps torch floors each norm outside autograd, so its gradient (which we match)
    is not the finite-difference one: no gradcheck here."""
    a = np.array([[1e-5, 0.0], [3.0, 4.0], [1e-5, 3e-6]])
    b = np.array([[2e-5, 0.0], [1.0, 0.0], [2.0, 1.0]])
    check_op(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, eps=1e-3), arrays=[a, b],
             atol=1e-12, gradcheck=False)


@pytest.mark.parametrize("p", [2.0, 1.0, 0.5, 3.0, 0.0])
def test_pdist(p):
    check_op(lambda lib, x: lib.nn.functional.pdist(x, p), [(5, 3)])
    rows = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]], np.float32)
    check_op(lambda lib, x: lib.nn.functional.pdist(x, p), arrays=[rows], gradcheck=False)


def test_pdist_errors():
    raises_like_torch(lambda lib: lib.nn.functional.pdist(lib.ones(2, 3, 4)), RuntimeError,
                      "pdist only supports 2D tensors, got: 3D")


@pytest.mark.parametrize("args", [(), (1.0, 1e-3, True), (3,)], ids=str)
def test_pairwise_distance_module(args):
    tm, em = torch.nn.PairwiseDistance(*args), ember.nn.PairwiseDistance(*args)
    assert repr(em) == repr(tm) and em.norm == tm.norm
    check_op(lambda lib, a, b: (tm if lib is torch else em)(a, b), [(4, 6), (4, 6)])


@pytest.mark.parametrize("args", [(), (0, 1e-4)], ids=str)
def test_cosine_similarity_module(args):
    tm, em = torch.nn.CosineSimilarity(*args), ember.nn.CosineSimilarity(*args)
    assert repr(em) == repr(tm)
    check_op(lambda lib, a, b: (tm if lib is torch else em)(a, b), [(4, 6), (4, 6)])


@pytest.mark.parametrize("module", ["_ops.activation.funcs", "_ops.linear",
                                    "nn._functional.dropout", "_ops.normalization.funcs",
                                    "_ops.sparse", "nn._functional.distance"])
def test_functional_names_are_torchs(module):
    import importlib
    mod = importlib.import_module(f"ember.{module}")
    for name in mod.__all__:
        assert hasattr(torch.nn.functional, name), name
        assert getattr(ember.nn.functional, name) is getattr(mod, name)


@pytest.mark.parametrize("family", ["linear", "activation", "dropout", "normalization",
                                    "sparse", "flatten", "distance"])
def test_layer_names_are_torchs(family):
    import importlib
    mod = importlib.import_module(f"ember.nn.modules.{family}")
    for name in mod.__all__:
        assert hasattr(torch.nn, name), name
        assert getattr(ember.nn, name) is getattr(mod, name)


def test_small_mlp_trains_like_torch():
    """Linear + BatchNorm + ReLU + Dropout(eval) + LayerNorm: one SGD step matches torch."""
    def build(nn):
        return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3),
                             nn.Linear(8, 4), nn.LayerNorm(4), nn.GELU(), nn.Linear(4, 2))
    tm, em = build(torch.nn), build(ember.nn)
    em.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 6)).astype(np.float32)
    y = rng.integers(0, 2, 16)
    for m, lib in ((tm, torch), (em, ember)):
        m.train()
        m[3].p = 0.0  # no randomness: the two libraries draw different masks
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        loss = lib.nn.functional.cross_entropy(m(lib.tensor(x)), lib.tensor(y))
        loss.backward()
        opt.step()
    for (name, tp), ep in zip(tm.state_dict().items(), em.state_dict().values()):
        assert_close(ep, tp, 1e-5, 1e-4, name)
