"""Embedding, EmbeddingBag and one_hot against torch: lookups over index shapes, weight
gradients (repeats, padding_idx, scale_grad_by_freq), max_norm renormalisation, init,
from_pretrained, assigning ``weight.data``, reprs, and index errors naming the layer."""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, raises_like_torch
from tests.nn.test_linear import compare_module

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("idx_shape", [(5,), (3, 4), (2, 3, 2), ()], ids=str)
@pytest.mark.parametrize("kw", [{}, dict(padding_idx=2), dict(padding_idx=-1),
                                dict(scale_grad_by_freq=True),
                                dict(padding_idx=0, scale_grad_by_freq=True)], ids=str)
def test_embedding_functional(idx_shape, kw):
    idx = RNG.integers(0, 6, idx_shape)
    w = RNG.standard_normal((6, 3)).astype(np.float32)
    cot = RNG.standard_normal(idx_shape + (3,)).astype(np.float32)
    outs = {}
    for lib in (torch, ember):
        wt = lib.tensor(w).requires_grad_(True)
        out = lib.nn.functional.embedding(lib.tensor(idx), wt, **kw)
        out.backward(lib.tensor(cot))
        outs[lib.__name__] = (out, wt.grad)
    assert_close(outs["ember"][0], outs["torch"][0])
    assert_close(outs["ember"][1], outs["torch"][1])


def test_embedding_int32_indices_and_float64_weight():
    w = RNG.standard_normal((4, 2))
    idx = np.array([[0, 3], [3, 1]], np.int32)
    e = ember.nn.functional.embedding(ember.tensor(idx), ember.tensor(w))
    t = torch.nn.functional.embedding(torch.tensor(idx), torch.tensor(w))
    assert_close(e, t, 0)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_embedding_max_norm_renormalises_used_rows_in_place(norm_type):
    w = (RNG.standard_normal((5, 4)) * 3).astype(np.float32)
    idx = np.array([0, 2, 2, 4])
    we, wt = ember.tensor(w), torch.tensor(w)
    e = ember.nn.functional.embedding(ember.tensor(idx), we, max_norm=1.5, norm_type=norm_type)
    t = torch.nn.functional.embedding(torch.tensor(idx), wt, max_norm=1.5, norm_type=norm_type)
    assert_close(e, t)
    assert_close(we, wt)  # rows 0, 2, 4 rescaled in place, 1 and 3 untouched
    np.testing.assert_array_equal(we.numpy()[[1, 3]], w[[1, 3]])


@pytest.mark.parametrize("kw", [{}, dict(padding_idx=1), dict(max_norm=2.0, norm_type=1.0),
                                dict(scale_grad_by_freq=True)], ids=str)
def test_embedding_module(kw):
    tm, em = torch.nn.Embedding(7, 3, **kw), ember.nn.Embedding(7, 3, **kw)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    compare_module(tm, em, np.array([[1, 2, 1], [6, 0, 1]]))


def test_embedding_init_and_padding_row():
    ember.manual_seed(0)
    m = ember.nn.Embedding(2000, 50, padding_idx=3)
    w = m.weight.detach().numpy()
    assert not w[3].any()
    rest = np.delete(w, 3, axis=0)
    assert abs(rest.mean()) < 0.01 and abs(rest.std() - 1) < 0.01
    out = m(ember.tensor([3, 3, 4]))
    out.sum().backward()
    g = m.weight.grad.numpy()
    assert not g[3].any() and (g[4] == 1).all()
    assert ember.nn.Embedding(5, 3, padding_idx=-2).padding_idx == 3


def test_embedding_from_pretrained_and_weight_data_assignment():
    w = ember.tensor(RNG.standard_normal((4, 3)).astype(np.float32))
    m = ember.nn.Embedding.from_pretrained(w)
    assert not m.weight.requires_grad and m.weight.shape == (4, 3)
    assert_close(m(ember.tensor([2])), torch.tensor(w.numpy()[[2]]))
    trainable = ember.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=0)
    assert trainable.weight.requires_grad and trainable.padding_idx == 0
    emb = ember.nn.Embedding(100, 50)
    emb.weight.data = ember.ones(100, 50)
    assert emb(ember.tensor([[5, 7]])).tolist() == [[[1.0] * 50] * 2]
    with pytest.raises(AssertionError, match="Embeddings parameter is expected to be 2-dim"):
        ember.nn.Embedding.from_pretrained(ember.ones(3))
    with pytest.raises(AssertionError, match="Shape of weight does not match"):
        ember.nn.Embedding(4, 3, _weight=ember.zeros(3, 3))


@pytest.mark.parametrize("call,exc,match", [
    (lambda nn, lib: nn.functional.embedding(lib.tensor([1.0]), lib.randn(5, 3)), RuntimeError,
     "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
     "Long, Int; but got (torch|ember).FloatTensor instead"),
    (lambda nn, lib: nn.functional.embedding(lib.tensor([5]), lib.randn(5, 3)), IndexError,
     "index out of range in self"),
    (lambda nn, lib: nn.functional.embedding(lib.tensor([-1]), lib.randn(5, 3)), IndexError,
     "index out of range in self"),
    (lambda nn, lib: nn.Embedding(5, 3, padding_idx=5), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda nn, lib: nn.Embedding(5, 3, padding_idx=-6), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda nn, lib: nn.functional.one_hot(lib.tensor([1, 3]), 2), RuntimeError,
     "Class values must be smaller than num_classes."),
    (lambda nn, lib: nn.functional.one_hot(lib.tensor([-1, 3])), RuntimeError,
     "Class values must be non-negative."),
    (lambda nn, lib: nn.functional.one_hot(lib.tensor([1.0, 3])), RuntimeError,
     "one_hot is only applicable to index tensor of type LongTensor."),
    (lambda nn, lib: nn.functional.one_hot(lib.tensor([], dtype=lib.long)), RuntimeError,
     "Can not infer total number of classes from empty tensor."),
])
def test_errors_match_torch(call, exc, match):
    raises_like_torch(lambda lib: call(lib.nn, lib), exc, match)


def test_out_of_range_index_names_layer_index_and_size():
    class Model(ember.nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = ember.nn.Embedding(10, 4)

        def forward(self, x):
            return self.tok(x)
    with pytest.raises(IndexError) as info:
        Model()(ember.tensor([[1, 12, 3]]))
    msg = str(info.value)
    assert msg.startswith("tok (Embedding(10, 4)): index 12 is out of range")
    assert "num_embeddings=10" in msg and "index out of range in self" in msg


@pytest.mark.parametrize("shape,n", [((5,), -1), ((2, 3), 7), ((0,), 3), ((), 4)], ids=str)
def test_one_hot(shape, n):
    idx = RNG.integers(0, 3, shape)
    e = ember.nn.functional.one_hot(ember.tensor(idx), n)
    t = torch.nn.functional.one_hot(torch.tensor(idx), n)
    assert_close(e, t)
    assert e.dtype == ember.int64


# (input, offsets, mode, per_sample_weights?, padding_idx, include_last_offset)
BAG_CASES = [
    (np.array([[1, 2, 4], [4, 3, 2]]), None, "mean", False, None, False),
    (np.array([[1, 2, 4], [4, 3, 2]]), None, "sum", True, None, False),
    (np.array([[1, 2, 4], [4, 3, 3]]), None, "max", False, None, False),
    (np.array([1, 2, 4, 5, 4, 3, 2, 0]), np.array([0, 4, 4]), "mean", False, None, False),
    (np.array([1, 2, 4, 5, 4, 3, 2, 0]), np.array([0, 3, 8]), "sum", False, None, True),
    (np.array([1, 2, 4, 5, 4, 3, 2, 0]), np.array([0, 2, 5]), "max", False, None, False),
    (np.array([[1, 2, 4], [2, 2, 2]]), None, "mean", False, 2, False),
    (np.array([1, 2, 4, 5, 4, 3]), np.array([0, 1, 3]), "sum", True, 4, False),
]


@pytest.mark.parametrize("case", BAG_CASES, ids=lambda c: f"{c[2]}-{c[0].ndim}d")
def test_embedding_bag_matches_torch(case):
    idx, offsets, mode, psw, pad, last = case
    tm = torch.nn.EmbeddingBag(6, 3, mode=mode, padding_idx=pad, include_last_offset=last)
    em = ember.nn.EmbeddingBag(6, 3, mode=mode, padding_idx=pad, include_last_offset=last)
    assert repr(em) == repr(tm) and list(em.state_dict()) == list(tm.state_dict())
    weights = RNG.standard_normal(idx.shape).astype(np.float32) if psw else None
    compare_module(tm, em, idx, offsets, weights)


def test_embedding_bag_from_pretrained_and_errors():
    w = ember.tensor(RNG.standard_normal((4, 2)).astype(np.float32))
    bag = ember.nn.EmbeddingBag.from_pretrained(w, mode="sum")
    assert not bag.weight.requires_grad
    assert_close(bag(ember.tensor([[0, 1]])), torch.tensor(w.numpy()[[0, 1]].sum(0, keepdims=True)))
    raises_like_torch(lambda lib: lib.nn.EmbeddingBag(4, 2)(lib.tensor([0, 1])), ValueError,
                      "offsets has to be a 1D Tensor but got None")
    raises_like_torch(lambda lib: lib.nn.EmbeddingBag(4, 2)(lib.tensor([[0, 1]]),
                                                            per_sample_weights=lib.ones(1, 2)),
                      NotImplementedError, "per_sample_weights is only supported for mode='sum'")


def test_embedding_gradcheck_float64():
    """(padding_idx and scale_grad_by_freq change the gradient on purpose: compared with torch
    above, not with finite differences.)"""
    w = ember.randn(5, 3, dtype=ember.float64, requires_grad=True)
    idx = ember.tensor([[1, 4, 1], [0, 1, 2]])
    assert ember.autograd.gradcheck(lambda t: ember.nn.functional.embedding(idx, t), (w,))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_gradcheck_float64(mode):
    w = ember.randn(6, 3, dtype=ember.float64, requires_grad=True)
    psw = ember.randn(7, dtype=ember.float64, requires_grad=True)
    idx, offsets = ember.tensor([1, 2, 4, 5, 4, 3, 2]), ember.tensor([0, 3, 3])
    if mode == "sum":
        f = (lambda t, s: ember.nn.functional.embedding_bag(idx, t, offsets, mode=mode,
                                                            per_sample_weights=s))
        assert ember.autograd.gradcheck(f, (w, psw))
    else:
        assert ember.autograd.gradcheck(
            lambda t: ember.nn.functional.embedding_bag(idx, t, offsets, mode=mode), (w,))
