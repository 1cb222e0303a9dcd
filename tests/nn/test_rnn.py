"""Recurrent layers and packed sequences against torch.

RNN (tanh/relu), LSTM (incl. proj_size) and GRU over a table of
configurations (layers, directions, batch_first, unbatched, with/without h0,
bias, packed variable-length input sorted or not): weights copied across by
state_dict key, then outputs, final states and the gradients of the input,
h0/c0 and every parameter compared.  Also the cells, nn.utils.rnn, dropout
between layers, float64 gradchecks, reprs/keys and the error messages.
"""
import numpy as np
import pytest

import ember
from ember.nn.utils import rnn as eutils
from tests.helpers import assert_close

torch = pytest.importorskip("torch")
tutils = torch.nn.utils.rnn

# torch warns that its oneDNN path does not do projections; irrelevant here
pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections")

T, B, I, H = 4, 3, 5, 6
MODES = ["RNN", "RNN_RELU", "LSTM", "GRU"]


def _ctor(lib, mode, *args, **kwargs):
    if mode == "RNN_RELU":
        kwargs["nonlinearity"] = "relu"
        mode = "RNN"
    return getattr(lib.nn, mode)(*args, **kwargs)


def _copy_weights(tm, em):
    em.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy())
                        for k, v in tm.state_dict().items()})


def _pair(mode, *args, **kwargs):
    """torch and ember layers with the same float64 weights."""
    tm = _ctor(torch, mode, *args, dtype=torch.float64, **kwargs)
    em = _ctor(ember, mode, *args, dtype=ember.float64, **kwargs)
    _copy_weights(tm, em)
    return tm, em


def _leaves(lib, arrays):
    conv = torch.from_numpy if lib is torch else ember.from_numpy
    return [conv(a.copy()).requires_grad_(True) for a in arrays]


def _loss(lib, outs, cots):
    """sum(out * cot) over all outputs: one backward gives every gradient."""
    total = 0
    for o, c in zip(outs, cots):
        total = total + (o * (torch.from_numpy(c) if lib is torch else ember.from_numpy(c))).sum()
    return total


def _flat(result):
    out, state = result
    if isinstance(out, (tutils.PackedSequence, eutils.PackedSequence)):
        out = out.data
    return [out] + (list(state) if isinstance(state, tuple) else [state])


def _compare(tm, em, arrays, call, atol=1e-10):
    """Run ``call(lib, module, *leaves)`` on both sides; compare outputs and all gradients."""
    tin, ein = _leaves(torch, arrays), _leaves(ember, arrays)
    tout, eout = _flat(call(torch, tm, *tin)), _flat(call(ember, em, *ein))
    assert_close(eout, tout, atol=atol, rtol=1e-9)
    rng = np.random.default_rng(1)
    cots = [rng.standard_normal(tuple(o.shape)) for o in tout]
    _loss(torch, tout, cots).backward()
    _loss(ember, eout, cots).backward()
    for i, (t, e) in enumerate(zip(tin, ein)):
        assert_close(e.grad, t.grad, atol=atol, rtol=1e-9, what=f"grad of input {i}")
    tparams = dict(tm.named_parameters())
    for name, p in em.named_parameters():
        assert_close(p.grad, tparams[name].grad, atol=atol, rtol=1e-9, what=f"grad of {name}")


def _states(mode, layers, dirs, batch, proj=0):
    rng = np.random.default_rng(2)
    lead = (layers * dirs,) + ((batch,) if batch else ())
    h = rng.standard_normal(lead + (proj or H,))
    return [h, rng.standard_normal(lead + (H,))] if mode == "LSTM" else [h]


def _hx(mode, states):
    return tuple(states) if mode == "LSTM" else states[0]


# (num_layers, bidirectional, batch_first, proj_size, unbatched, with h0, bias)
CONFIGS = [
    (1, False, False, 0, False, False, True),
    (1, False, True, 0, False, True, True),
    (2, False, False, 0, False, True, True),
    (1, True, False, 0, False, True, True),
    (2, True, True, 0, False, True, False),
    (2, True, False, 0, True, True, True),
    (1, False, False, 0, True, False, True),
    (2, False, True, 3, False, True, True),
    (2, True, False, 3, False, False, True),
    (1, False, False, 2, True, True, True),
]


@pytest.mark.parametrize("mode,layers,bidir,batch_first,proj,unbatched,with_h0,bias",
                         [(m,) + c for m in MODES for c in CONFIGS if m == "LSTM" or not c[3]])
def test_layer_matches_torch(mode, layers, bidir, batch_first, proj, unbatched, with_h0, bias):
    extra = dict(proj_size=proj) if proj else {}
    tm, em = _pair(mode, I, H, num_layers=layers, bidirectional=bidir, batch_first=batch_first,
                   bias=bias, **extra)
    shape = (T, I) if unbatched else ((B, T, I) if batch_first else (T, B, I))
    x = np.random.default_rng(0).standard_normal(shape)
    states = _states(mode, layers, 2 if bidir else 1, None if unbatched else B, proj)

    def call(lib, m, x, *hs):
        return m(x, _hx(mode, hs)) if with_h0 else m(x)
    _compare(tm, em, [x] + (states if with_h0 else []), call)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lengths,enforce_sorted,batch_first,bidir,layers,with_h0", [
    ([4, 3, 1], True, False, False, 1, True),
    ([2, 4, 1], False, False, True, 2, True),
    ([3, 3, 4], False, True, True, 1, False),
    ([1, 4, 2], False, True, False, 2, True),
])
def test_packed_sequences(mode, lengths, enforce_sorted, batch_first, bidir, layers, with_h0):
    tm, em = _pair(mode, I, H, num_layers=layers, bidirectional=bidir, batch_first=batch_first)
    x = np.random.default_rng(0).standard_normal((B, T, I) if batch_first else (T, B, I))
    states = _states(mode, layers, 2 if bidir else 1, B)

    def call(lib, m, x, *hs):
        utils = tutils if lib is torch else eutils
        packed = utils.pack_padded_sequence(x, lengths, batch_first=batch_first,
                                            enforce_sorted=enforce_sorted)
        out, state = m(packed, _hx(mode, hs)) if with_h0 else m(packed)
        padded, lens = utils.pad_packed_sequence(out, batch_first=batch_first)
        assert lens.tolist() == lengths
        return padded, state
    _compare(tm, em, [x] + (states if with_h0 else []), call)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("use", ["output", "h_n", "c_n"])
def test_gradient_of_one_result(mode, use):
    # the unused results hand no gradient to the op; the others must still be right
    if use == "c_n" and mode != "LSTM":
        use = "h_n"
    tm, em = _pair(mode, I, H, num_layers=2, bidirectional=True)
    x = np.random.default_rng(0).standard_normal((T, B, I))
    pick = {"output": 0, "h_n": 1, "c_n": 2}[use]
    _compare(tm, em, [x], lambda lib, m, x: (_flat(m(x))[pick], ()))


def test_cell_loop_equals_layer():
    cell = ember.nn.LSTMCell(I, H, dtype=ember.float64)
    layer = ember.nn.LSTM(I, H, dtype=ember.float64)
    layer.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
    x = ember.from_numpy(np.random.default_rng(0).standard_normal((T, B, I)))
    h = c = ember.zeros(B, H, dtype=ember.float64)
    outs = []
    for t in range(T):
        h, c = cell(x[t], (h, c))
        outs.append(h)
    out, (h_n, c_n) = layer(x)
    assert_close(out, ember.stack(outs).detach(), atol=1e-12)
    assert_close([h_n[0], c_n[0]], [h.detach(), c.detach()], atol=1e-12)


def test_packed_output_is_packed_sequence():
    tm, em = _pair("GRU", I, H)
    x = np.random.default_rng(0).standard_normal((T, B, I))
    tp = tutils.pack_padded_sequence(torch.from_numpy(x), [2, 4, 3], enforce_sorted=False)
    ep = eutils.pack_padded_sequence(ember.from_numpy(x), [2, 4, 3], enforce_sorted=False)
    tout, _ = tm(tp)
    eout, _ = em(ep)
    assert isinstance(eout, eutils.PackedSequence)
    assert eout.batch_sizes.tolist() == tout.batch_sizes.tolist()
    assert eout.sorted_indices.tolist() == tout.sorted_indices.tolist()
    assert eout.unsorted_indices.tolist() == tout.unsorted_indices.tolist()
    assert_close(eout.data, tout.data, atol=1e-12)


@pytest.mark.parametrize("cell,kwargs", [("RNNCell", {}), ("RNNCell", dict(nonlinearity="relu")),
                                         ("LSTMCell", {}), ("GRUCell", {}),
                                         ("GRUCell", dict(bias=False))])
@pytest.mark.parametrize("unbatched,with_h", [(False, True), (False, False), (True, True)])
def test_cells(cell, kwargs, unbatched, with_h):
    tm = getattr(torch.nn, cell)(I, H, dtype=torch.float64, **kwargs)
    em = getattr(ember.nn, cell)(I, H, dtype=ember.float64, **kwargs)
    _copy_weights(tm, em)
    assert repr(em) == repr(tm)
    rng = np.random.default_rng(0)
    lead = () if unbatched else (B,)
    arrays = [rng.standard_normal(lead + (I,))]
    n_states = 2 if cell == "LSTMCell" else 1
    if with_h:
        arrays += [rng.standard_normal(lead + (H,)) for _ in range(n_states)]

    def call(lib, m, x, *hs):
        out = m(x, (tuple(hs) if n_states == 2 else hs[0]) if hs else None)
        return (out[0], out[1]) if n_states == 2 else (out, ())
    _compare(tm, em, arrays, call)


@pytest.mark.parametrize("mode", MODES)
def test_gradcheck_float64(mode):
    m = _ctor(ember, mode, 3, 2, num_layers=2, bidirectional=True, dtype=ember.float64)
    rng = np.random.default_rng(0)
    x = ember.from_numpy(rng.standard_normal((3, 2, 3))).requires_grad_(True)
    h = ember.from_numpy(rng.standard_normal((4, 2, 2))).requires_grad_(True)
    params = list(m.parameters())

    def fn(x, h, *ps):
        packed = eutils.pack_padded_sequence(x, [3, 2])
        hx = (h, h * 0.5) if mode == "LSTM" else h
        out, state = m(packed, hx)
        h_n = state[0] if mode == "LSTM" else state
        return out.data.sum() + (h_n * h_n).sum()
    assert ember.autograd.gradcheck(fn, (x, h, *params), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_lstm_projection_gradcheck():
    m = ember.nn.LSTM(3, 4, proj_size=2, dtype=ember.float64)
    x = ember.from_numpy(np.random.default_rng(0).standard_normal((3, 2, 3))).requires_grad_(True)
    assert ember.autograd.gradcheck(lambda x, *ps: m(x)[0].sum() + m(x)[1][1].sum(),
                                    (x, *m.parameters()), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_float32_benchmark_shape_matches_torch():
    tm = torch.nn.LSTM(16, 32, num_layers=2, batch_first=True)
    em = ember.nn.LSTM(16, 32, num_layers=2, batch_first=True)
    _copy_weights(tm, em)
    x = np.random.default_rng(0).standard_normal((4, 7, 16)).astype(np.float32)
    tout, (th, tc) = tm(torch.from_numpy(x))
    eout, (eh, ec) = em(ember.from_numpy(x))
    assert_close([eout, eh, ec], [tout, th, tc], atol=1e-5)
    assert eout.shape == (4, 7, 32) and eh.shape == (2, 4, 32)
    assert eout.stride() == tout.stride()   # batch_first output is a transposed view in both


# -- dropout between layers ------------------------------------------------------
def test_dropout_train_and_eval():
    tm, em = _pair("LSTM", I, H, num_layers=2, dropout=0.5)
    x = np.random.default_rng(0).standard_normal((T, B, I))
    tm.eval()
    em.eval()
    assert_close(em(ember.from_numpy(x))[0], tm(torch.from_numpy(x))[0], atol=1e-12)
    em.train()
    ember.manual_seed(3)
    a = em(ember.from_numpy(x))[0]
    ember.manual_seed(3)
    b = em(ember.from_numpy(x))[0]
    c = em(ember.from_numpy(x))[0]
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert not np.allclose(a.detach().numpy(), c.detach().numpy())


def test_dropout_one_zeroes_the_next_layer_input():
    # p = 1 drops everything: deterministic, so train mode compares exactly with torch
    tm, em = _pair("GRU", I, H, num_layers=2, dropout=1.0)
    x = np.random.default_rng(0).standard_normal((T, B, I))
    _compare(tm, em, [x], lambda lib, m, x: m(x))


def test_dropout_keeps_expected_fraction():
    em = ember.nn.RNN(1, 2000, num_layers=2, dropout=0.3, bias=False)
    with ember.no_grad():
        em.weight_ih_l1.zero_()
        em.weight_hh_l1.zero_()
        em.weight_ih_l1[:, :] = ember.eye(2000)
        em.weight_hh_l0.zero_()
        em.weight_ih_l0.fill_(1.0)
        out, _ = em(ember.ones(1, 1, 1))
    # layer 1 sees tanh(1) / 0.7 where kept, 0 where dropped
    kept = (out.numpy() != 0).mean()
    assert abs(kept - 0.7) < 0.05
    np.testing.assert_allclose(out.numpy()[out.numpy() != 0], np.tanh(np.tanh(1.0) / 0.7),
                               rtol=1e-5)


# -- structure ---------------------------------------------------------------------
@pytest.mark.parametrize("mode,kwargs", [
    ("LSTM", dict(num_layers=2, batch_first=True)),
    ("LSTM", dict(num_layers=2, bidirectional=True, proj_size=3, bias=False)),
    ("GRU", dict(dropout=0.2, num_layers=3)),
    ("RNN", dict(bidirectional=True)),
    ("RNN_RELU", {}),
])
def test_state_dict_keys_repr_and_init(mode, kwargs):
    tm = _ctor(torch, mode, I, H, **kwargs)
    em = _ctor(ember, mode, I, H, **kwargs)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert repr(em) == repr(tm)
    assert [tuple(p.shape) for p in em.parameters()] == [tuple(p.shape) for p in tm.parameters()]
    assert em._flat_weights_names == tm._flat_weights_names
    bound = 1 / np.sqrt(H)
    for p in em.parameters():
        assert np.all(np.abs(p.detach().numpy()) <= bound)
    assert np.std(np.concatenate([p.detach().numpy().ravel() for p in em.parameters()])) > \
        bound / 3


def test_lstm_benchmark_repr_and_named_error():
    model = ember.nn.Sequential()
    model.add_module("lstm", ember.nn.LSTM(128, 256, num_layers=2, batch_first=True))
    with pytest.raises(RuntimeError, match=r"lstm \(LSTM\(128, 256, num_layers=2, "
                                           r"batch_first=True\)\): input.size\(-1\) must be equal "
                                           r"to input_size. Expected 128, got 64"):
        model(ember.zeros(20, 35, 64))


# -- errors ---------------------------------------------------------------------
def test_layer_errors():
    lstm = ember.nn.LSTM(128, 256, num_layers=2, batch_first=True)
    with pytest.raises(ValueError, match=r"Expected input to be 2D or 3D, got 4D input of shape "
                                         r"\(1, 2, 3, 128\)"):
        lstm(ember.zeros(1, 2, 3, 128))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(2, 20, 256\), got "
                                           r"\[1, 20, 256\]"):
        lstm(ember.zeros(20, 35, 128), (ember.zeros(1, 20, 256), ember.zeros(2, 20, 256)))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[1\] size \(2, 20, 256\)"):
        lstm(ember.zeros(20, 35, 128), (ember.zeros(2, 20, 256), ember.zeros(2, 20, 255)))
    gru = ember.nn.GRU(4, 5, num_layers=2)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(2, 3, 5\), got \[1, 3, 5\]"):
        gru(ember.zeros(6, 3, 4), ember.zeros(1, 3, 5))
    with pytest.raises(RuntimeError, match="hx should also be 3-D"):
        gru(ember.zeros(6, 3, 4), ember.zeros(3, 5))
    with pytest.raises(ValueError, match="does not match weight dtype"):
        gru(ember.zeros(6, 3, 4, dtype=ember.float64))


def test_constructor_errors():
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        ember.nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        ember.nn.GRU(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="Unknown nonlinearity 'gelu'"):
        ember.nn.RNN(3, 4, nonlinearity="gelu")
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        ember.nn.LSTM(3, 4, dropout=1.5)
    with pytest.raises(TypeError, match="hidden_size should be of type int"):
        ember.nn.LSTM(3, 4.0)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        ember.nn.GRU(3, 4, dropout=0.5)


def test_cell_errors():
    cell = ember.nn.LSTMCell(4, 5)
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 3 expected 4"):
        cell(ember.zeros(2, 3))
    with pytest.raises(RuntimeError, match="Input batch size 2 doesn't match hidden0 batch size 3"):
        cell(ember.zeros(2, 4), (ember.zeros(3, 5), ember.zeros(3, 5)))
    with pytest.raises(ValueError, match="Expected input to be 1D or 2D, got 3D"):
        ember.nn.GRUCell(4, 5)(ember.zeros(1, 2, 4))


# -- nn.utils.rnn ------------------------------------------------------------------
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths,enforce_sorted", [([4, 3, 3, 1], True), ([2, 4, 1, 3], False),
                                                    ([2, 2, 2, 2], False)])
def test_pack_pad_roundtrip(batch_first, lengths, enforce_sorted):
    x = np.random.default_rng(0).standard_normal((4, 5, 2) if batch_first else (5, 4, 2))
    tx, ex = torch.from_numpy(x).requires_grad_(True), ember.from_numpy(x).requires_grad_(True)
    tp = tutils.pack_padded_sequence(tx, torch.tensor(lengths), batch_first, enforce_sorted)
    ep = eutils.pack_padded_sequence(ex, ember.tensor(lengths), batch_first, enforce_sorted)
    assert_close(ep.data, tp.data)
    assert_close(ep.batch_sizes, tp.batch_sizes)
    for a, b in ((ep.sorted_indices, tp.sorted_indices),
                 (ep.unsorted_indices, tp.unsorted_indices)):
        assert (a is None) == (b is None) and (a is None or a.tolist() == b.tolist())
    tpad, tl = tutils.pad_packed_sequence(tp, batch_first, padding_value=-2.0, total_length=6)
    epad, el = eutils.pad_packed_sequence(ep, batch_first, padding_value=-2.0, total_length=6)
    assert_close([epad, el], [tpad, tl])
    g = np.random.default_rng(1).standard_normal(tuple(tpad.shape))
    tpad.backward(torch.from_numpy(g))
    epad.backward(ember.from_numpy(g))
    assert_close(ex.grad, tx.grad)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(batch_first, side):
    rng = np.random.default_rng(0)
    seqs = [rng.standard_normal((n, 3, 2)) for n in (2, 5, 1)]
    tseq = [torch.from_numpy(s).requires_grad_(True) for s in seqs]
    eseq = [ember.from_numpy(s).requires_grad_(True) for s in seqs]
    t = tutils.pad_sequence(tseq, batch_first, 7.0, side)
    e = eutils.pad_sequence(eseq, batch_first, 7.0, side)
    assert_close(e, t)
    g = rng.standard_normal(tuple(t.shape))
    t.backward(torch.from_numpy(g))
    e.backward(ember.from_numpy(g))
    for a, b in zip(eseq, tseq):
        assert_close(a.grad, b.grad)


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_and_unpack(enforce_sorted):
    rng = np.random.default_rng(0)
    seqs = [rng.standard_normal((n, 2)) for n in ((5, 3, 2) if enforce_sorted else (2, 5, 3))]
    tp = tutils.pack_sequence([torch.from_numpy(s) for s in seqs], enforce_sorted)
    ep = eutils.pack_sequence([ember.from_numpy(s) for s in seqs], enforce_sorted)
    assert_close(ep.data, tp.data)
    assert ep.batch_sizes.tolist() == tp.batch_sizes.tolist()
    assert_close(eutils.unpack_sequence(ep), tutils.unpack_sequence(tp))
    padded, lengths = eutils.pad_packed_sequence(ep, batch_first=True)
    assert_close(eutils.unpad_sequence(padded, lengths, batch_first=True),
                 [torch.from_numpy(s) for s in seqs])


def test_packed_sequence_namedtuple_and_conversions():
    ep = eutils.pack_sequence([ember.ones(3, 2), ember.ones(1, 2)])
    data, batch_sizes, sorted_indices, unsorted_indices = ep
    assert batch_sizes.tolist() == [2, 1, 1] and sorted_indices is None
    assert ep.double().data.dtype == ember.float64
    assert ep.to(ember.float64).batch_sizes is ep.batch_sizes
    perm = ember.tensor([2, 0, 1])
    assert eutils.invert_permutation(perm).tolist() == [1, 2, 0]
    again = eutils.PackedSequence(ep.data, ep.batch_sizes, perm)
    assert again.unsorted_indices.tolist() == [1, 2, 0]


def test_packing_errors():
    x = ember.zeros(4, 3, 2)
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        eutils.pack_padded_sequence(x, [1, 3, 2])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        eutils.pack_padded_sequence(x, [3, 2, 0])
    with pytest.raises(RuntimeError, match=r"Expected `len\(lengths\)` to be equal to batch_size, "
                                            r"but got 2 \(batch_size=3\)"):
        eutils.pack_padded_sequence(x, [3, 2])
    with pytest.raises(RuntimeError, match="exceeds the sequence dimension"):
        eutils.pack_padded_sequence(x, [5, 2, 1])
    packed = eutils.pack_padded_sequence(x, [4, 2, 1])
    with pytest.raises(ValueError, match="Expected total_length to be at least the length of the "
                                         "longest sequence in input, but got total_length=2"):
        eutils.pad_packed_sequence(packed, total_length=2)
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        eutils.pad_sequence([])
    with pytest.raises(ValueError, match="Expected padding_side to be one of left or right"):
        eutils.pad_sequence([ember.ones(2)], padding_side="middle")
