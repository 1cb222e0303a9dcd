"""Whole-model pickles move between ember and real torch both ways; nn classes sit at torch's paths.

Each zoo model is built by one library, warmed up in training mode (so batch-norm statistics
move), switched to eval mode and saved whole with that library's ``save``; the other library
loads it with ``weights_only=False``.  The loaded model must be the loader's own class, hold the
same parameters and buffers bit for bit, print the same, and compute the same outputs.
"""
import importlib
import inspect
import io
import pickletools
import sys
import types
import warnings
import zipfile

import numpy as np
import pytest

import ember
from ember import _alias

torch = pytest.importorskip("torch")

_F32 = "f"          # input kinds: float32 noise, or int64 indices below a bound ("i<bound>")

# (id, constructor over ``nn``, input kinds and shapes)
ZOO = [
    ("cnn", "nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),"
            " nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, padding=1, padding_mode='reflect', bias=False),"
            " nn.GroupNorm(2, 6), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),"
            " nn.Dropout(0.3), nn.Linear(6, 5))", [(_F32, (2, 3, 8, 8))]),
    ("conv1d_3d", "nn.Sequential(nn.Conv1d(3, 4, 3, stride=2), nn.BatchNorm1d(4), nn.ELU(),"
                  " nn.AvgPool1d(2), nn.Upsample(scale_factor=2), nn.LeakyReLU(0.2))",
     [(_F32, (2, 3, 11))]),
    ("conv3d", "nn.Sequential(nn.Conv3d(2, 3, 2), nn.BatchNorm3d(3), nn.InstanceNorm3d(3),"
               " nn.MaxPool3d(2), nn.SyncBatchNorm(3), nn.Softplus())", [(_F32, (2, 2, 5, 5, 5))]),
    ("transposed", "nn.Sequential(nn.ConvTranspose2d(3, 2, 3, stride=2, output_padding=1),"
                   " nn.InstanceNorm2d(2, affine=True, track_running_stats=True),"
                   " nn.PixelShuffle(1), nn.ZeroPad2d(1), nn.ReflectionPad2d(1), nn.Tanh())",
     [(_F32, (2, 3, 4, 4))]),
    ("shuffle", "nn.Sequential(nn.Conv2d(4, 8, 1, groups=2), nn.ChannelShuffle(2),"
                " nn.PixelUnshuffle(2), nn.LocalResponseNorm(2), nn.Hardswish(),"
                " nn.ConstantPad2d(1, 0.5), nn.Unfold(2), nn.Fold((4, 4), 2))",
     [(_F32, (1, 4, 4, 4))]),
    ("mlp", "nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), nn.SiLU(), nn.PReLU(),"
            " nn.Linear(8, 8, bias=False), nn.RMSNorm(8), nn.Hardtanh(), nn.Identity(),"
            " nn.Unflatten(1, (2, 4)), nn.Softmax(-1))", [(_F32, (3, 6))]),
    ("lazy", "nn.Sequential(nn.LazyConv2d(4, 3), nn.LazyBatchNorm2d(), nn.LazyInstanceNorm2d(),"
             " nn.LazyConvTranspose2d(2, 2), nn.Flatten(), nn.LazyLinear(3))",
     [(_F32, (2, 3, 6, 6))]),
    ("containers", "nn.ModuleDict({'blocks': nn.ModuleList([nn.Linear(4, 4), nn.Sigmoid()]),"
                   " 'embed': nn.Embedding(10, 4, padding_idx=0)})", []),
    ("embedding", "nn.Embedding(10, 4, padding_idx=0)", [("i10", (2, 5))]),
    ("embedding_bag", "nn.EmbeddingBag(10, 3, mode='max')", [("i10", (4, 3))]),
    ("bilinear", "nn.Bilinear(4, 5, 3)", [(_F32, (2, 4)), (_F32, (2, 5))]),
    ("lstm", "nn.LSTM(4, 6, num_layers=2, batch_first=True, bidirectional=True)",
     [(_F32, (2, 5, 4))]),
    ("lstm_proj", "nn.LSTM(4, 6, proj_size=3)", [(_F32, (5, 2, 4))]),
    ("gru", "nn.GRU(4, 5, bias=False)", [(_F32, (5, 2, 4))]),
    ("rnn", "nn.RNN(4, 5, nonlinearity='relu')", [(_F32, (5, 2, 4))]),
    ("cells", "nn.LSTMCell(4, 5)", [(_F32, (3, 4))]),
    ("gru_cell", "nn.GRUCell(4, 5)", [(_F32, (3, 4))]),
    ("mha", "nn.MultiheadAttention(8, 2, batch_first=True)",
     [(_F32, (2, 5, 8)), (_F32, (2, 6, 8)), (_F32, (2, 6, 8))]),
    ("mha_kv", "nn.MultiheadAttention(8, 2, add_bias_kv=True, kdim=6, vdim=4)",
     [(_F32, (5, 2, 8)), (_F32, (6, 2, 6)), (_F32, (6, 2, 4))]),
    ("encoder", "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1,"
                " activation='gelu', batch_first=True), 2, norm=nn.LayerNorm(8))",
     [(_F32, (2, 5, 8))]),
    ("decoder_layer", "nn.TransformerDecoderLayer(8, 2, 16, norm_first=True)",
     [(_F32, (5, 2, 8)), (_F32, (4, 2, 8))]),
    ("transformer", "nn.Transformer(8, 2, 1, 1, 16)", [(_F32, (5, 2, 8)), (_F32, (4, 2, 8))]),
    ("pooling", "nn.Sequential(nn.LPPool2d(2, 2), nn.AdaptiveMaxPool2d((2, 3)),"
                " nn.ReplicationPad2d(1), nn.AvgPool2d(2, ceil_mode=True), nn.Softmax2d(),"
                " nn.Dropout2d(), nn.Mish())", [(_F32, (2, 3, 9, 9))]),
    ("loss", "nn.CrossEntropyLoss(label_smoothing=0.1)", [(_F32, (4, 3)), ("i3", (4,))]),
    ("adaptive", "nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], head_bias=True)",
     [(_F32, (5, 8)), ("i20", (5,))]),
    ("distance", "nn.CosineSimilarity(dim=1)", [(_F32, (3, 4)), (_F32, (3, 4))]),
]


def _inputs(spec, lib, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for kind, shape in spec:
        if kind == _F32:
            out.append(lib.tensor(rng.standard_normal(shape).astype(np.float32)))
        else:
            out.append(lib.tensor(rng.integers(1, int(kind[1:]), size=shape)))
    return out


def _build(lib, expr):
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # torch's nested-tensor note on batch_first=False
        return eval(expr, {"nn": lib.nn})


def _run(model, inputs):
    if not inputs:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model(*inputs)


def _arrays(out):
    """The output's tensors, flattened out of nested tuples, as NumPy arrays."""
    if isinstance(out, (tuple, list)):
        return [a for o in out for a in _arrays(o)]
    return [] if out is None else [out.detach().numpy()]


def _warmed(lib, expr, spec):
    """A zoo model after one training-mode forward (batch norm moves its stats), in eval mode."""
    model = _build(lib, expr)
    lib.manual_seed(1)
    _run(model, _inputs(spec, lib, seed=1))
    return model.eval()


def _round_trip(src, save, load):
    buf = io.BytesIO()
    save(src, buf)
    buf.seek(0)
    return load(buf, weights_only=False), buf.getvalue()


def _assert_same_model(loaded, src, loaded_lib, src_lib, spec, native):
    """``loaded`` (of ``loaded_lib``) is ``src`` (of ``src_lib``) rebuilt: class, state, outputs;
    each layer's ``__dict__`` has the keys of ``native``, the same model built by ``loaded_lib``."""
    for (name, got), (_, want), (_, own) in zip(loaded.named_modules(), src.named_modules(),
                                                native.named_modules()):
        assert type(got) is type(own), name      # a library class becomes the loader's own
        assert type(got).__qualname__ == type(want).__qualname__, name
        head, _, path = type(want).__module__.partition(".")
        assert type(got).__module__ == (f"{loaded_lib.__name__}.{path}" if head == src_lib.__name__
                                        else type(want).__module__), name
        assert got.training == want.training, name
        assert sorted(vars(got)) == sorted(vars(own)), name
    got_sd, want_sd = loaded.state_dict(), src.state_dict()
    assert list(got_sd) == list(want_sd)
    for key in want_sd:
        g, w = got_sd[key].detach().numpy(), want_sd[key].detach().numpy()
        assert g.dtype == w.dtype and g.tobytes() == w.tobytes(), key
    assert [n for n, _ in loaded.named_parameters()] == [n for n, _ in src.named_parameters()]
    assert repr(loaded) == repr(src)
    got, want = _run(loaded, _inputs(spec, loaded_lib)), _run(src, _inputs(spec, src_lib))
    got, want = _arrays(got), _arrays(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("expr,spec", [c[1:] for c in ZOO], ids=[c[0] for c in ZOO])
def test_torch_pickled_model_loads_in_ember(expr, spec):
    src = _warmed(torch, expr, spec)
    loaded, _ = _round_trip(src, torch.save, ember.load)
    _assert_same_model(loaded, src, ember, torch, spec, _warmed(ember, expr, spec))


@pytest.mark.parametrize("expr,spec", [c[1:] for c in ZOO], ids=[c[0] for c in ZOO])
def test_ember_pickled_model_loads_in_torch(expr, spec):
    src = _warmed(ember, expr, spec)
    loaded, raw = _round_trip(src, ember.save, torch.load)
    native = _warmed(torch, expr, spec)
    _assert_same_model(loaded, src, torch, ember, spec, native)
    _, torch_raw = _round_trip(native, torch.save, torch.load)
    # the very objects torch names (torch pickles a materialized lazy buffer with its Python
    # attributes, through _rebuild_from_type_v2; ember's plain tensor needs no such call)
    stateful = {torch._tensor._rebuild_from_type_v2, torch.Tensor}
    assert _globals_named(raw) == _globals_named(torch_raw) - stateful


def _data_pkl(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.read(next(n for n in zf.namelist() if n.endswith("/data.pkl")))


def _globals_named(raw):
    """The globals a checkpoint's pickle names (protocol 2: GLOBAL opcodes), torch's resolved."""
    found = set()
    for op, arg, _ in pickletools.genops(_data_pkl(raw)):
        if op.name == "GLOBAL":
            module, name = arg.split(" ")
            found.add(getattr(importlib.import_module(module), name)
                      if module.split(".")[0] == "torch" else f"{module}.{name}")
    return found


_USER_MODEL = """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
        self.rnn = nn.LSTM(4, 5, batch_first=True)
        self.head = nn.Linear(5, 2)
        self.register_buffer("scale", lib.tensor(2.0))
        self.note = "a plain attribute"

    def forward(self, x):
        f = self.features(x).mean(dim=(2, 3))
        out, _ = self.rnn(f.unsqueeze(1).repeat(1, 3, 1))
        return self.head(out[:, -1]) * self.scale
"""


def _define_user_model(lib, monkeypatch):
    """A script's own model class, written against ``lib``, as module ``user_model``."""
    mod = types.ModuleType("user_model")
    mod.nn, mod.lib = lib.nn, lib
    exec(_USER_MODEL, vars(mod))
    monkeypatch.setitem(sys.modules, "user_model", mod)
    return mod.Net


@pytest.mark.parametrize("direction", ["torch_to_ember", "ember_to_torch"])
def test_a_scripts_own_model_class_moves(direction, monkeypatch):
    """The same script run on torch and on ember (``import torch`` aliased) shares its pickles."""
    src_lib, dst_lib = (torch, ember) if direction == "torch_to_ember" else (ember, torch)
    spec = [(_F32, (2, 1, 6, 6))]
    src_lib.manual_seed(0)
    src = _define_user_model(src_lib, monkeypatch)()
    _run(src, _inputs(spec, src_lib, seed=1))
    src.eval()
    buf = io.BytesIO()
    src_lib.save(src, buf)
    net = _define_user_model(dst_lib, monkeypatch)
    buf.seek(0)
    loaded = dst_lib.load(buf, weights_only=False)
    assert type(loaded) is net and loaded.note == "a plain attribute"
    _assert_same_model(loaded, src, dst_lib, src_lib, spec, net())


def test_functions_in_module_state_go_by_torchs_public_name():
    layer = _build(ember, "nn.TransformerEncoderLayer(8, 2, 16, activation='gelu')")
    _, raw = _round_trip(layer, ember.save, torch.load)
    assert b"torch.nn.functional\ngelu" in _data_pkl(raw)
    loaded = ember.load(io.BytesIO(raw), weights_only=False)
    assert loaded.activation is ember.nn.functional.gelu


def test_safe_globals_let_weights_only_loads_take_whole_models():
    """Allowlisting the model's classes admits a whole-model pickle, in either library."""
    expr, spec = "nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU())", [(_F32, (2, 4))]
    classes = ("Sequential", "Linear", "BatchNorm1d", "ReLU")
    src = _warmed(torch, expr, spec)
    buf = io.BytesIO()
    torch.save(src, buf)
    with pytest.raises(Exception, match="torch.nn.modules.container.Sequential"):
        ember.load(io.BytesIO(buf.getvalue()))
    with ember.serialization.safe_globals([getattr(ember.nn, c) for c in classes]):
        loaded = ember.load(io.BytesIO(buf.getvalue()))
    _assert_same_model(loaded, src, ember, torch, spec, _warmed(ember, expr, spec))

    src = _warmed(ember, expr, spec)
    raw = _round_trip(src, ember.save, ember.load)[1]
    with torch.serialization.safe_globals([getattr(torch.nn, c) for c in classes] + [set]):
        loaded = torch.load(io.BytesIO(raw), weights_only=True)
    _assert_same_model(loaded, src, torch, ember, spec, _warmed(torch, expr, spec))


def test_loading_a_torch_class_ember_lacks_names_it():
    buf = io.BytesIO()
    torch.save(torch.ao.nn.quantized.Quantize(1.0, 0, torch.quint8), buf)   # no quantization
    buf.seek(0)
    with pytest.raises(AttributeError, match=r"^torch\.ao\.nn\.quantized\.modules\.Quantize is "
                                             r"not provided by ember \(no ember\.ao\.nn\."
                                             r"quantized\.modules\.Quantize\)"):
        ember.load(buf, weights_only=False)


# -- torch's module paths under the alias -------------------------------------------------------
@pytest.fixture
def aliased():
    """``import torch`` answered by ember for the test's duration; real torch put back after."""
    real = sys.modules["torch"]
    _alias.install()
    try:
        yield importlib.import_module("torch")
    finally:
        _alias.uninstall()
        assert sys.modules["torch"] is real


# torch classes ember does not provide yet, by torch file
_NOT_PROVIDED = {
    "linear_cross_entropy": {"LinearCrossEntropyLoss"},
}
_TORCH_FILES = ("activation", "adaptive", "batchnorm", "channelshuffle", "container", "conv",
                "distance", "dropout", "flatten", "fold", "instancenorm", "lazy", "linear",
                "linear_cross_entropy", "linear_cross_entropy_options", "loss", "module",
                "normalization", "padding", "pixelshuffle", "pooling", "rnn", "sparse",
                "transformer", "upsampling")


def _torch_classes(file):
    """The public classes real torch defines in ``torch/nn/modules/<file>.py``."""
    mod = importlib.import_module(f"torch.nn.modules.{file}")
    return {n for n, o in vars(mod).items() if inspect.isclass(o) and not n.startswith("_")
            and o.__module__ == mod.__name__}


_TORCH_CLASSES = {f: _torch_classes(f) for f in _TORCH_FILES}     # read before any aliasing


def test_every_nn_class_sits_at_torchs_module_path(aliased):
    found = {}
    for file, names in _TORCH_CLASSES.items():
        if names <= _NOT_PROVIDED.get(file, set()):
            continue
        mod = importlib.import_module(f"torch.nn.modules.{file}")
        assert mod is sys.modules[f"ember.nn.modules.{file}"]
        for name in names - _NOT_PROVIDED.get(file, set()):
            cls = getattr(mod, name)
            assert cls.__module__ == f"ember.nn.modules.{file}", (file, name)
            found[name] = cls
    assert found["NonDynamicallyQuantizableLinear"].__mro__[1] is aliased.nn.Linear
    for name, cls in found.items():
        if name not in ("NonDynamicallyQuantizableLinear", "LazyModuleMixin"):
            assert getattr(aliased.nn, name) is cls, name
    from torch.nn.parameter import UninitializedBuffer, UninitializedParameter, is_lazy
    assert is_lazy(aliased.nn.LazyLinear(2).weight) and aliased.nn.UninitializedParameter \
        is UninitializedParameter and aliased.nn.UninitializedBuffer is UninitializedBuffer


@pytest.mark.parametrize("make", [lambda nn: nn.NLLLoss2d(ignore_index=2),
                                  lambda nn: nn.Container(a=nn.ReLU(), b=nn.Linear(2, 3))],
                         ids=["NLLLoss2d", "Container"])
def test_deprecated_classes_warn_and_work_like_torchs(make):
    made = {}
    for lib in (torch, ember):
        with pytest.warns(FutureWarning) as record:
            made[lib] = make(lib.nn)
        made[lib, "warning"] = str(record[0].message)
    assert made[ember, "warning"] == made[torch, "warning"]
    assert repr(made[ember]) == repr(made[torch])
    assert list(made[ember].state_dict()) == list(made[torch].state_dict())


def test_torch_written_safe_globals_list_works_under_the_alias(aliased, tmp_path):
    nn = aliased.nn
    model = nn.Sequential(nn.modules.conv.Conv2d(1, 2, 3), nn.modules.batchnorm.BatchNorm2d(2))
    path = tmp_path / "model.pt"
    aliased.save(model, path)
    allowed = [nn.modules.container.Sequential, nn.modules.conv.Conv2d,
               nn.modules.batchnorm.BatchNorm2d]
    with aliased.serialization.safe_globals(allowed):
        loaded = aliased.load(path)
    assert [type(m) for m in loaded.modules()] == [type(m) for m in model.modules()]
    x = aliased.ones(1, 1, 4, 4)
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())


def test_modules_utils_helpers_match_torchs():
    from torch.nn.modules import utils as want
    from ember.nn.modules import utils as got
    for name in ("_single", "_pair", "_triple", "_quadruple"):
        for x in (3, (1, 2), [4, 5, 6], "ab"):
            assert getattr(got, name)(x) == getattr(want, name)(x), (name, x)
        assert getattr(got, name).__name__ == name
    assert got._reverse_repeat_tuple((1, 2, 3), 2) == want._reverse_repeat_tuple((1, 2, 3), 2)
    for size in (4, [None, 3], (2, None)):
        assert got._list_with_default(size, [8, 5, 7]) == want._list_with_default(size, [8, 5, 7])
    with pytest.raises(ValueError, match="Input dimension should be at least 3"):
        got._list_with_default([1, 2], [5, 6])

    dicts = []
    for lib in (torch, ember):
        dp = lib.nn.DataParallel(lib.nn.Sequential(lib.nn.Linear(2, 2)))
        sd = dp.state_dict()
        (got if lib is ember else want).consume_prefix_in_state_dict_if_present(sd, "module.")
        dicts.append(sd)
    assert list(dicts[1]) == list(dicts[0]) == ["0.weight", "0.bias"]
    assert dicts[1]._metadata == dicts[0]._metadata


@pytest.mark.parametrize("direction", ["torch_to_ember", "ember_to_torch"])
def test_data_parallel_wrapped_model_moves(direction):
    """A pickled ``DataParallel`` names ``torch.nn.parallel.data_parallel.DataParallel``."""
    src_lib, dst_lib = (torch, ember) if direction == "torch_to_ember" else (ember, torch)
    src = _build(src_lib, "nn.DataParallel(nn.Sequential(nn.Linear(4, 3), nn.Tanh()))")
    loaded, raw = _round_trip(src, src_lib.save, dst_lib.load)
    assert b"torch.nn.parallel.data_parallel\nDataParallel" in _data_pkl(raw)
    assert type(loaded) is dst_lib.nn.DataParallel and loaded.device_ids == []
    assert repr(loaded) == repr(src)
    got, want = loaded(_inputs([(_F32, (2, 4))], dst_lib)[0]), src(_inputs([(_F32, (2, 4))],
                                                                          src_lib)[0])
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-6)
