"""Attention and transformers against torch.

F.scaled_dot_product_attention over shapes, masks (bool/float, broadcast),
causal, scale and grouped-query heads via ``check_op``; MultiheadAttention
over its options with weights copied by state_dict key (outputs, attention
weights, gradients of inputs and parameters); the Transformer encoder,
decoder and full model in eval mode and in train mode with dropout=0;
dropout statistics, state_dict keys/reprs, float64 gradchecks and errors.
"""
import numpy as np
import pytest

import ember
from tests.helpers import assert_close, check_op

torch = pytest.importorskip("torch")

# torch warns when key_padding_mask and attn_mask differ in dtype, and about its nested path
pytestmark = [pytest.mark.filterwarnings("ignore:Support for mismatched"),
              pytest.mark.filterwarnings("ignore:enable_nested_tensor")]


def _F(lib):
    return lib.nn.functional


def _bool(shape, seed=0, p=0.6):
    return np.random.default_rng(seed).random(shape) < p


# -- scaled_dot_product_attention ------------------------------------------------
SDPA_CASES = [
    ([(4, 8), (5, 8), (5, 6)], {}),
    ([(2, 4, 8), (2, 5, 8), (2, 5, 3)], {}),
    ([(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)], {}),
    ([(2, 3, 4, 8), (1, 3, 5, 8), (1, 3, 5, 6)], {}),
    ([(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)], dict(is_causal=True)),
    ([(2, 5, 4), (2, 3, 4), (2, 3, 4)], dict(is_causal=True)),
    ([(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)], dict(scale=0.7)),
    ([(2, 4, 3, 8), (2, 2, 5, 8), (2, 2, 5, 8)], dict(enable_gqa=True)),
    ([(2, 4, 3, 8), (2, 1, 5, 8), (2, 1, 5, 8)], dict(enable_gqa=True, scale=0.2)),
]


@pytest.mark.parametrize("shapes,kwargs", SDPA_CASES)
def test_sdpa(shapes, kwargs):
    check_op(lambda lib, q, k, v: _F(lib).scaled_dot_product_attention(q, k, v, **kwargs),
             shapes, dtype="float64", atol=1e-10)


@pytest.mark.parametrize("mask_shape", [(4, 5), (2, 1, 4, 5), (3, 1, 5)])
def test_sdpa_bool_mask(mask_shape):
    mask = _bool(mask_shape)
    shapes = [(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)]
    arrays = [np.random.default_rng(i).standard_normal(s) for i, s in enumerate(shapes)] + [mask]
    check_op(lambda lib, q, k, v, m: _F(lib).scaled_dot_product_attention(q, k, v, attn_mask=m),
             arrays=arrays, atol=1e-10)


@pytest.mark.parametrize("mask_shape", [(4, 5), (3, 4, 5), (2, 1, 1, 5)])
def test_sdpa_float_mask_gets_gradient(mask_shape):
    check_op(lambda lib, q, k, v, m: _F(lib).scaled_dot_product_attention(q, k, v, attn_mask=m),
             [(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6), mask_shape], dtype="float64", atol=1e-10)


def test_sdpa_fully_masked_query_gives_zero():
    mask = _bool((4, 5))
    mask[1] = False
    q, k, v = (np.random.default_rng(i).standard_normal(s)
               for i, s in enumerate([(3, 4, 8), (3, 5, 8), (3, 5, 6)]))
    check_op(lambda lib, q, k, v, m: _F(lib).scaled_dot_product_attention(q, k, v, attn_mask=m),
             arrays=[q, k, v, mask], atol=1e-10)
    out = ember.nn.functional.scaled_dot_product_attention(
        *(ember.from_numpy(a) for a in (q, k, v)), attn_mask=ember.from_numpy(mask))
    assert np.all(out.numpy()[:, 1] == 0)


def test_sdpa_float32():
    check_op(lambda lib, q, k, v: _F(lib).scaled_dot_product_attention(q, k, v, is_causal=True),
             [(2, 2, 6, 4), (2, 2, 6, 4), (2, 2, 6, 4)], atol=1e-5, gradcheck=False)


def test_sdpa_dropout_statistics_and_seed():
    # q = k = 0 gives uniform weights 1/S; with v = 1 every output is (kept count) / (S (1 - p))
    q = ember.zeros(4, 64, 200, 8)
    v = ember.ones(4, 64, 200, 1)
    F = ember.nn.functional
    ember.manual_seed(0)
    a = F.scaled_dot_product_attention(q, q, v, dropout_p=0.25)
    ember.manual_seed(0)
    b = F.scaled_dot_product_attention(q, q, v, dropout_p=0.25)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert abs(a.numpy().mean() - 1.0) < 0.01
    kept = a.numpy() * 200 * 0.75
    np.testing.assert_allclose(kept, np.round(kept), atol=1e-3)
    assert np.all(F.scaled_dot_product_attention(q, q, v, dropout_p=1.0).numpy() == 0)


def test_sdpa_errors():
    F = ember.nn.functional
    q, k, v = ember.zeros(2, 4, 8), ember.zeros(2, 5, 8), ember.zeros(2, 5, 6)
    with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when "
                                           "is_causal=True"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=ember.ones(4, 5, dtype=ember.bool),
                                       is_causal=True)
    with pytest.raises(RuntimeError, match="same dtype"):
        F.scaled_dot_product_attention(q.double(), k, v)
    with pytest.raises(RuntimeError, match="at least 2 dimensional"):
        F.scaled_dot_product_attention(ember.zeros(8), k, v)
    with pytest.raises(RuntimeError, match="same sequence length"):
        F.scaled_dot_product_attention(q, k, ember.zeros(2, 4, 6))
    with pytest.raises(RuntimeError, match="Expected attn_mask dtype to be bool or float"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=ember.zeros(4, 5, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="must divide the number of heads"):
        F.scaled_dot_product_attention(ember.zeros(1, 3, 4, 8), ember.zeros(1, 2, 5, 8),
                                       ember.zeros(1, 2, 5, 8), enable_gqa=True)
    with pytest.raises(RuntimeError, match="do not broadcast"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=ember.zeros(3, 4, 5))


# -- MultiheadAttention ------------------------------------------------------------
E, NH, L, S, N = 8, 2, 3, 5, 2


def _mha_pair(**kwargs):
    tm = torch.nn.MultiheadAttention(E, NH, dtype=torch.float64, **kwargs)
    em = ember.nn.MultiheadAttention(E, NH, dtype=ember.float64, **kwargs)
    em.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy())
                        for k, v in tm.state_dict().items()})
    return tm, em


def _compare_module(tm, em, arrays, call, consts=(), atol=1e-10):
    """``call(lib, module, *leaves, *consts)`` on both sides; compare outputs and gradients."""
    def leaves(lib, conv):
        return [conv(a.copy()).requires_grad_(True) for a in arrays] + \
            [None if c is None else conv(c.copy()) for c in consts]
    tin = leaves(torch, torch.from_numpy)
    ein = leaves(ember, ember.from_numpy)
    touts = [o for o in call(torch, tm, *tin) if o is not None]
    eouts = [o for o in call(ember, em, *ein) if o is not None]
    assert_close(eouts, touts, atol=atol, rtol=1e-9)
    rng = np.random.default_rng(5)
    cots = [rng.standard_normal(tuple(o.shape)) for o in touts]
    sum((o * torch.from_numpy(c)).sum() for o, c in zip(touts, cots)).backward()
    sum(((o * ember.from_numpy(c)).sum() for o, c in zip(eouts, cots)), ember.zeros(())).backward()
    for i, (t, e) in enumerate(zip(tin[:len(arrays)], ein)):
        assert_close(e.grad, t.grad, atol=atol, rtol=1e-9, what=f"grad of input {i}")
    tparams = dict(tm.named_parameters())
    for name, p in em.named_parameters():
        tg = tparams[name].grad
        if tg is None:
            assert p.grad is None or not np.any(p.grad.numpy())
        else:
            assert_close(p.grad, tg, atol=atol, rtol=1e-9, what=f"grad of {name}")


MHA_CASES = [
    # (module kwargs, forward kwargs, masks: attn, key_padding ("bool"/"float"/None), self-attn)
    ({}, {}, None, None, False),
    ({}, {}, None, None, True),
    (dict(batch_first=True), {}, "bool", "bool", False),
    (dict(batch_first=True), dict(need_weights=False), "float", "bool", True),
    ({}, dict(average_attn_weights=False), "float", "float", False),
    ({}, dict(need_weights=False), "bool3d", None, False),
    (dict(kdim=3, vdim=5), {}, "bool", "bool", False),
    (dict(kdim=3, vdim=5, batch_first=True), dict(need_weights=False), None, "bool", False),
    (dict(add_bias_kv=True), {}, "bool", "bool", False),
    (dict(add_zero_attn=True), dict(need_weights=False), "float", "bool", False),
    (dict(add_bias_kv=True, add_zero_attn=True, bias=False), {}, "float", None, False),
    (dict(dropout=0.3), {}, "bool", None, True),  # compared in eval mode
]


def _masks(attn, kpm, tgt=L, src=S, batched=True):
    mask = None
    if attn == "bool":
        mask = _bool((tgt, src), 1, 0.3)
    elif attn == "bool3d":
        mask = _bool((N * NH, tgt, src), 2, 0.3)
    elif attn == "float":
        mask = np.random.default_rng(3).standard_normal((tgt, src))
    pad = None
    if kpm is not None:
        pad = np.zeros((N, src), bool)
        pad[1, -2:] = True
        if kpm == "float":
            pad = np.where(pad, -1e9, 0.0)
        if not batched:
            pad = pad[1]
    return mask, pad


@pytest.mark.parametrize("ctor,fwd,attn,kpm,self_attn", MHA_CASES)
def test_mha_matches_torch(ctor, fwd, attn, kpm, self_attn):
    tm, em = _mha_pair(**ctor)
    tm.eval()
    em.eval()
    bf = ctor.get("batch_first", False)
    rng = np.random.default_rng(0)
    lay = (lambda n: (N, n)) if bf else (lambda n: (n, N))
    if self_attn:
        arrays = [rng.standard_normal(lay(S) + (E,))]
        mask, pad = _masks(attn, kpm, S, S)
    else:
        arrays = [rng.standard_normal(lay(L) + (E,)),
                  rng.standard_normal(lay(S) + (ctor.get("kdim", E),)),
                  rng.standard_normal(lay(S) + (ctor.get("vdim", E),))]
        mask, pad = _masks(attn, kpm)

    def call(lib, m, *xs):
        *ins, am, kp = xs
        q, k, v = ins * 3 if len(ins) == 1 else ins
        return m(q, k, v, attn_mask=am, key_padding_mask=kp, **fwd)
    _compare_module(tm, em, arrays, call, consts=(mask, pad))


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_unbatched_and_causal(need_weights):
    tm, em = _mha_pair()
    x = np.random.default_rng(0).standard_normal((S, E))
    causal = np.triu(np.ones((S, S), bool), 1)

    def call(lib, m, x, mask):
        return m(x, x, x, attn_mask=mask, is_causal=True, need_weights=need_weights)
    _compare_module(tm, em, [x], call, consts=(causal,))


def test_mha_train_mode_without_dropout_and_fully_masked_rows():
    tm, em = _mha_pair(batch_first=True)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, S, E))
    pad = np.zeros((N, S), bool)
    pad[1] = True   # every key of batch 1 masked: NaN rows in torch's weights path
    tout, tw = tm(*(torch.from_numpy(x),) * 3, key_padding_mask=torch.from_numpy(pad))
    eout, ew = em(*(ember.from_numpy(x),) * 3, key_padding_mask=ember.from_numpy(pad))
    assert np.isnan(tout[1].detach().numpy()).all() and np.isnan(eout[1].detach().numpy()).all()
    assert_close([eout[0], ew[0]], [tout[0], tw[0]], atol=1e-10)


def test_mha_structure_and_init():
    for kwargs in ({}, dict(add_bias_kv=True), dict(kdim=3, vdim=5, bias=False)):
        tm = torch.nn.MultiheadAttention(E, NH, **kwargs)
        em = ember.nn.MultiheadAttention(E, NH, **kwargs)
        assert list(em.state_dict()) == list(tm.state_dict())
        assert repr(em) == repr(tm)
        assert [n for n, _ in em.named_parameters()] == [n for n, _ in tm.named_parameters()]
    em = ember.nn.MultiheadAttention(E, NH)
    assert not np.any(em.in_proj_bias.detach().numpy())
    assert not np.any(em.out_proj.bias.detach().numpy())
    bound = np.sqrt(6 / (E + 3 * E))
    w = em.in_proj_weight.detach().numpy()
    assert np.all(np.abs(w) <= bound) and w.std() > bound / 3


def test_mha_gradcheck():
    m = ember.nn.MultiheadAttention(4, 2, dtype=ember.float64, add_bias_kv=True)
    rng = np.random.default_rng(0)
    q = ember.from_numpy(rng.standard_normal((3, 2, 4))).requires_grad_(True)
    kv = ember.from_numpy(rng.standard_normal((2, 2, 4))).requires_grad_(True)
    mask = ember.from_numpy(rng.standard_normal((3, 2)))

    def fn(q, kv, *ps):
        out, w = m(q, kv, kv, attn_mask=mask)
        return out.sum() + (w * w).sum()
    assert ember.autograd.gradcheck(fn, (q, kv, *m.parameters()), eps=1e-6, atol=1e-6,
                                    rtol=1e-4)


def test_mha_errors():
    m = ember.nn.MultiheadAttention(E, NH)
    x = ember.zeros(L, N, E)
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        ember.nn.MultiheadAttention(9, 2)
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 8, but got 4"):
        m(ember.zeros(L, N, 4), x, x)
    with pytest.raises(AssertionError, match="query should be unbatched 2D or batched 3D tensor "
                                             "but received 1-D"):
        m(ember.zeros(E), x, x)
    with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is \(2, 2\), but should "
                                           r"be \(3, 3\)"):
        m(x, x, x, attn_mask=ember.zeros(2, 2))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        m(x, x, x, is_causal=True)
    with pytest.raises(AssertionError, match="only bool and floating types of key_padding_mask"):
        m(x, x, x, key_padding_mask=ember.zeros(N, L, dtype=ember.int64))


# -- transformer layers --------------------------------------------------------------
D, FF = 8, 16


def _copy(tm, em):
    em.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy())
                        for k, v in tm.state_dict().items()})


def _encoder(lib, layers=2, final_norm=True, **kwargs):
    dt = torch.float64 if lib is torch else ember.float64
    layer = lib.nn.TransformerEncoderLayer(D, 2, FF, dtype=dt, **kwargs)
    norm = lib.nn.LayerNorm(D, dtype=dt) if final_norm else None
    extra = dict(enable_nested_tensor=False) if lib is torch else {}
    return lib.nn.TransformerEncoder(layer, layers, norm=norm, **extra)


@pytest.mark.parametrize("kwargs,train,masks", [
    (dict(dropout=0.1), False, ()),
    (dict(dropout=0.1, batch_first=True, norm_first=True, activation="gelu"), False,
     ("causal", "pad")),
    (dict(dropout=0.0), True, ("causal",)),
    (dict(dropout=0.0, batch_first=True, bias=False), True, ("pad",)),
    (dict(dropout=0.0, norm_first=True, layer_norm_eps=1e-3), True, ("causal", "pad")),
])
def test_transformer_encoder(kwargs, train, masks):
    tm, em = _encoder(torch, **kwargs), _encoder(ember, **kwargs)
    _copy(tm, em)
    tm.train(train)
    em.train(train)
    bf = kwargs.get("batch_first", False)
    x = np.random.default_rng(0).standard_normal((N, S, D) if bf else (S, N, D))
    causal = np.triu(np.full((S, S), -np.inf), 1) if "causal" in masks else None
    pad = None
    if "pad" in masks:
        pad = np.zeros((N, S), bool)
        pad[0, -2:] = True

    def call(lib, m, x, mask, kpm):
        return (m(x, mask=mask, src_key_padding_mask=kpm),)
    _compare_module(tm, em, [x], call, consts=(causal, pad))


def test_transformer_encoder_callable_activation_and_unbatched():
    tm = _encoder(torch, layers=1, final_norm=False, dropout=0.0,
                  activation=torch.nn.functional.silu)
    em = _encoder(ember, layers=1, final_norm=False, dropout=0.0,
                  activation=ember.nn.functional.silu)
    _copy(tm, em)
    x = np.random.default_rng(0).standard_normal((S, D))
    _compare_module(tm, em, [x], lambda lib, m, x: (m(x),))


def test_transformer_decoder_and_full_model():
    tm = torch.nn.Transformer(D, 2, 2, 2, FF, dropout=0.0, dtype=torch.float64)
    em = ember.nn.Transformer(D, 2, 2, 2, FF, dropout=0.0, dtype=ember.float64)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert repr(em) == repr(tm)
    _copy(tm, em)
    rng = np.random.default_rng(0)
    src, tgt = rng.standard_normal((S, N, D)), rng.standard_normal((L, N, D))
    tmask = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.float64).numpy()
    assert_close(ember.nn.Transformer.generate_square_subsequent_mask(L, dtype=ember.float64),
                 torch.from_numpy(tmask))
    mpad = np.zeros((N, S), bool)
    mpad[1, -1] = True

    def call(lib, m, src, tgt, tmask, mpad):
        return (m(src, tgt, tgt_mask=tmask, memory_key_padding_mask=mpad),)
    _compare_module(tm, em, [src, tgt], call, consts=(tmask, mpad))


@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_decoder_layer_batch_first(norm_first):
    kw = dict(dropout=0.0, batch_first=True, norm_first=norm_first)
    tm = torch.nn.TransformerDecoderLayer(D, 2, FF, dtype=torch.float64, **kw)
    em = ember.nn.TransformerDecoderLayer(D, 2, FF, dtype=ember.float64, **kw)
    assert repr(em) == repr(tm)
    _copy(tm, em)
    rng = np.random.default_rng(0)
    tgt, mem = rng.standard_normal((N, L, D)), rng.standard_normal((N, S, D))
    mask = np.triu(np.ones((L, L), bool), 1)
    _compare_module(tm, em, [tgt, mem],
                    lambda lib, m, t, mm, mask: (m(t, mm, tgt_mask=mask, tgt_is_causal=True),),
                    consts=(mask,))


def test_transformer_structure():
    tm = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(D, 2), 3,
                                     enable_nested_tensor=False)
    em = ember.nn.TransformerEncoder(ember.nn.TransformerEncoderLayer(D, 2), 3)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert repr(em) == repr(tm)
    assert em.layers[0] is not em.layers[1]
    assert em.layers[2].linear1.out_features == 2048
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        ember.nn.TransformerEncoderLayer(D, 2, activation="tanh")
    m = ember.nn.Transformer(D, 2, 1, 1, FF)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        m(ember.zeros(3, 2, D), ember.zeros(3, 4, D))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal"):
        m(ember.zeros(3, 2, D), ember.zeros(3, 2, 4))


def test_encoder_dropout_in_train_mode():
    em = _encoder(ember, layers=1, dropout=0.5)
    x = ember.from_numpy(np.random.default_rng(0).standard_normal((S, N, D)))
    em.train()
    a, b = em(x), em(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    em.eval()
    np.testing.assert_array_equal(em(x).detach().numpy(), em(x).detach().numpy())
