"""Lazy layers against torch: shapes read from the first input, the class they become, their
placeholders (UninitializedParameter/Buffer), state dicts before and after, and copies."""
import copy
import io

import numpy as np
import pytest

import ember
from tests.helpers import assert_close

torch = pytest.importorskip("torch")

# (lazy class, constructor args, input shape)
CASES = [
    ("LazyLinear", (3,), (2, 5)),
    ("LazyLinear", (3, False), (4, 2, 6)),
    ("LazyConv1d", (4, 3), (2, 3, 8)),
    ("LazyConv2d", (6, 3, 1, 1, 1, 2), (2, 4, 6, 6)),
    ("LazyConv2d", (2, 3), (3, 5, 5)),                       # unbatched
    ("LazyConv3d", (2, 2), (1, 3, 4, 4, 4)),
    ("LazyConvTranspose1d", (3, 2), (2, 4, 5)),
    ("LazyConvTranspose2d", (4, 3, 2, 1, 1, 2), (2, 4, 3, 3)),
    ("LazyConvTranspose3d", (2, 2), (1, 3, 2, 2, 2)),
    ("LazyBatchNorm1d", (), (4, 3)),
    ("LazyBatchNorm2d", (1e-3, None, False), (2, 3, 4, 4)),
    ("LazyBatchNorm3d", (1e-5, 0.1, True, False), (2, 3, 2, 2, 2)),
    ("LazyInstanceNorm1d", (), (2, 3, 6)),
    ("LazyInstanceNorm2d", (1e-5, 0.1, False, False), (2, 3, 4, 4)),
    ("LazyInstanceNorm3d", (), (2, 3, 2, 3, 2)),
]


def _x(shape, lib, seed=0):
    return lib.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


@pytest.mark.filterwarnings("ignore:input's size at dim=1 does not match")   # both warn
@pytest.mark.parametrize("name,args,shape", CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_lazy_layer_becomes_its_plain_class_like_torch(name, args, shape):
    tm, em = getattr(torch.nn, name)(*args), getattr(ember.nn, name)(*args)
    assert repr(em) == repr(tm)
    assert em.has_uninitialized_params() == tm.has_uninitialized_params()
    assert list(em.state_dict()) == list(tm.state_dict())
    tm(_x(shape, torch))
    em(_x(shape, ember))
    plain = getattr(ember.nn, type(tm).__name__)
    assert type(em) is plain and type(tm).__name__ == plain.__name__
    assert repr(em) == repr(tm)
    assert sorted(vars(em)) == sorted(vars(tm))
    for (n, e), (_, t) in zip(em.named_parameters(), tm.named_parameters()):
        assert type(e) is ember.nn.Parameter and tuple(e.shape) == tuple(t.shape), n
    for (n, e), (_, t) in zip(em.named_buffers(), tm.named_buffers()):
        assert type(e) is ember.Tensor and tuple(e.shape) == tuple(t.shape), n
    em.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    em.eval(), tm.eval()
    assert_close(em(_x(shape, ember, 1)), tm(_x(shape, torch, 1)))


def test_load_state_dict_materializes_a_lazy_layer():
    src = torch.nn.Linear(4, 3)
    outs = []
    for lib in (torch, ember):
        m = lib.nn.LazyLinear(3)
        m.load_state_dict({k: lib.tensor(v.detach().numpy()) for k, v in src.state_dict().items()})
        assert tuple(m.weight.shape) == (3, 4) and type(m).__name__ == "LazyLinear"
        outs.append(m(_x((2, 4), lib)))
        assert type(m).__name__ == "Linear" and m.in_features == 4
    assert_close(outs[1], outs[0])
    for lib in (torch, ember):
        m = lib.nn.LazyLinear(3)
        m.load_state_dict({k: lib.tensor(v.detach().numpy()) for k, v in src.state_dict().items()})
        with pytest.raises(AssertionError, match="The in_features inferred from input: 5 is not "
                                                 "equal to in_features from self.weight: 4"):
            m(_x((2, 5), lib))


@pytest.mark.parametrize("call,exc,match", [
    (lambda nn, lib: nn.LazyConv2d(4, 3)(lib.ones(2, 3)), RuntimeError,
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d, but got input of size: "
     r"(torch|ember)\.Size\(\[2, 3\]\)"),
    (lambda nn, lib: nn.LazyConv2d(4, 3, groups=2)(lib.ones(1, 3, 4, 4)), ValueError,
     "in_channels must be divisible by groups"),
    (lambda nn, lib: nn.UninitializedParameter().shape, RuntimeError,
     "Can't access the shape of an uninitialized parameter or buffer"),
    (lambda nn, lib: nn.UninitializedBuffer().share_memory_(), RuntimeError,
     "Can't share memory on an uninitialized parameter or buffer"),
])
def test_lazy_errors_match_torch(call, exc, match):
    for lib in (torch, ember):
        with pytest.raises(exc, match=match):
            call(lib.nn, lib)


def test_placeholders_like_torch():
    for lib in (torch, ember):
        from_nn = lib.nn.parameter
        p, b = lib.nn.UninitializedParameter(), lib.nn.UninitializedBuffer(dtype=lib.float64)
        assert (repr(p), repr(b)) == ("<UninitializedParameter>", "<UninitializedBuffer>")
        assert from_nn.is_lazy(p) and from_nn.is_lazy(b) and not from_nn.is_lazy(lib.ones(1))
        assert p.requires_grad and not b.requires_grad
        assert isinstance(p, lib.nn.Parameter) and not isinstance(b, lib.nn.Parameter)
        q = copy.deepcopy(p)
        assert type(q) is lib.nn.UninitializedParameter and q is not p
        p.materialize((2, 3))
        b.materialize((4,))
        assert type(p) is lib.nn.Parameter and tuple(p.shape) == (2, 3) and p.requires_grad
        assert type(b) is lib.Tensor and tuple(b.shape) == (4,) and b.dtype == lib.float64


def test_an_uninitialized_lazy_model_saves_copies_and_loads_lazy():
    model = ember.nn.Sequential(ember.nn.LazyLinear(3), ember.nn.LazyBatchNorm1d())
    sd = model.state_dict()
    assert [type(v).__name__ for v in sd.values()] == [
        "UninitializedParameter", "UninitializedParameter", "UninitializedParameter",
        "UninitializedParameter", "UninitializedBuffer", "UninitializedBuffer", "Tensor"]
    buf = io.BytesIO()
    ember.save(model, buf)
    buf.seek(0)
    copies = [ember.load(buf, weights_only=False), copy.deepcopy(model)]
    for size, m in zip((5, 7), copies):
        assert m[0].has_uninitialized_params()
        m(ember.ones(2, size))
        assert repr(m[0]) == f"Linear(in_features={size}, out_features=3, bias=True)"
        assert type(m[1]) is ember.nn.BatchNorm1d and m[1].num_features == 3
    assert type(model[0]) is ember.nn.LazyLinear and model[0].has_uninitialized_params()
