"""ember's device object against torch.device, and ember.cuda without a GPU."""

import copy
import pickle
import sys
import types

import numpy as np
import pytest

from ember import _backend
from ember._device import as_device, device

torch = pytest.importorskip("torch")

GOOD = ["cpu", "cuda", "cuda:0", "cuda:1", "cuda:12", "cpu:0", "meta", "mps:0"]
BAD = ["xyz", "CUDA", "", "cuda:", "cuda:-1", "cuda:a", "cuda:01", "cuda: 1",
       "cuda:1 ", "cuda:1:2", " cuda", "cuda1", "x:1", "Cpu:0", "cpu\n", "_:1", "é"]

no_gpu = pytest.mark.skipif(_backend.cuda_available(), reason="a CUDA device is present")


def _torch_error(fn, *args):
    with pytest.raises(Exception) as info:
        fn(*args)
    return info.type, str(info.value)


@pytest.mark.parametrize("text", GOOD)
def test_parse_matches_torch(text):
    ours, theirs = device(text), torch.device(text)
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("text", BAD)
def test_bad_strings_raise_like_torch(text):
    assert _torch_error(device, text) == _torch_error(torch.device, text)


@pytest.mark.parametrize("args", [("cuda", 0), ("cpu", 0), ("cuda", 3), ("cuda", None)])
def test_type_and_index(args):
    assert repr(device(*args)) == repr(torch.device(*args))


@pytest.mark.parametrize("args", [("cuda", -1), ("cuda:1", 2)])
def test_bad_index_raises_like_torch(args):
    assert _torch_error(device, *args) == _torch_error(torch.device, *args)


def test_index_must_be_an_int():
    for bad in (True, 1.0, "1"):
        with pytest.raises(TypeError):
            device("cuda", bad)
    with pytest.raises(TypeError):
        device(None)
    assert device("cuda", np.int64(2)) == device("cuda:2")


def test_keywords_copy_and_int():
    assert device(type="cuda", index=1) == device("cuda:1")
    d = device("cuda:2")
    assert device(d) == d
    assert device(1) == device("cuda:1")


def test_equality_and_hash():
    assert device("cuda:0") == device("cuda", 0)
    assert device("cuda") != device("cuda:0")  # as in torch: no index is not index 0
    assert device("cpu") != "cpu"
    assert {device("cuda:1"): "x"}[device("cuda", 1)] == "x"
    assert len({device("cpu"), device("cpu"), device("cuda")}) == 2
    assert (device("cuda") == device("cuda:0")) == (torch.device("cuda") == torch.device("cuda:0"))


def test_immutable_and_picklable():
    d = device("cuda:3")
    with pytest.raises(AttributeError):
        d.type = "cpu"
    assert pickle.loads(pickle.dumps(d)) == d
    assert copy.deepcopy(d) == d


def test_as_device():
    assert as_device(None) == device("cpu")
    assert as_device("cuda:1") == device("cuda", 1)
    assert as_device(2) == device("cuda:2")
    d = device("cpu")
    assert as_device(d) is d


def test_backend_on_numpy():
    a = np.arange(3.0)
    assert _backend.get_array_module(a) is np
    assert _backend.array_module_for("cpu") is np
    assert _backend.array_module_for(None) is np
    assert _backend.device_of(a) == device("cpu")
    assert _backend.to_device(a, "cpu") is a
    assert isinstance(_backend.to_device([1, 2], device("cpu")), np.ndarray)
    with pytest.raises(RuntimeError, match="only cpu, cuda, meta and strict"):
        _backend.array_module_for("mps")


@no_gpu
def test_backend_without_cuda():
    assert not _backend.cuda_available()
    assert _backend.device_count() == 0
    with pytest.raises(_backend.CudaUnavailableError, match="no CUDA device is available to ember"):
        _backend.array_module_for("cuda")
    with pytest.raises(RuntimeError):
        _backend.to_device(np.zeros(2), "cuda:0")
    with pytest.raises(AssertionError):  # torch raises AssertionError here
        _backend.require_cupy()


@no_gpu
def test_cuda_module_without_gpu():
    import ember.cuda as cuda

    assert cuda.is_available() is torch.cuda.is_available() is False
    assert cuda.device_count() == 0
    for fn, args in [(cuda.current_device, ()), (cuda.get_device_name, (0,)),
                     (cuda.set_device, (0,)), (cuda.synchronize, ())]:
        with pytest.raises(RuntimeError, match="no CUDA device is available"):
            fn(*args)
    cuda.manual_seed(0)
    cuda.manual_seed_all(0)
    cuda.empty_cache()
    assert cuda.memory_allocated() == cuda.memory_reserved() == 0


# A stand-in for CuPy with two "GPUs", so the CUDA paths run on any machine.

class _FakeArray:
    def __init__(self, data, dev):
        self.data, self.device = np.asarray(data), types.SimpleNamespace(id=dev)

    def get(self):
        return self.data


def _fake_cupy():
    state = {"current": 0, "seeds": {}, "synced": []}

    class Device:
        def __init__(self, index=None):
            self.id = state["current"] if index is None else index

        def __enter__(self):
            self.saved, state["current"] = state["current"], self.id

        def __exit__(self, *exc):
            state["current"] = self.saved

        def synchronize(self):
            state["synced"].append(self.id)

    def asarray(a):
        if isinstance(a, _FakeArray) and a.device.id == state["current"]:
            return a
        return _FakeArray(a.data if isinstance(a, _FakeArray) else a, state["current"])

    def set_device(i):
        state["current"] = i

    runtime = types.SimpleNamespace(
        getDeviceCount=lambda: 2, getDevice=lambda: state["current"], setDevice=set_device,
        getDeviceProperties=lambda i: {"name": f"Fake GPU {i}".encode()},
    )
    pool = types.SimpleNamespace(used_bytes=lambda: 10 + state["current"], total_bytes=lambda: 64,
                                 free_all_blocks=lambda: None)
    fake = types.ModuleType("cupy")
    fake.ndarray, fake.asarray, fake.state = _FakeArray, asarray, state
    fake.cuda = types.SimpleNamespace(runtime=runtime, Device=Device)
    fake.random = types.SimpleNamespace(seed=lambda s: state["seeds"].__setitem__(state["current"], s))
    fake.get_default_memory_pool = fake.get_default_pinned_memory_pool = lambda: pool
    return fake


@pytest.fixture
def fake_cupy(monkeypatch):
    fake = _fake_cupy()
    monkeypatch.setitem(sys.modules, "cupy", fake)
    monkeypatch.setattr(_backend, "_cupy", fake)
    return fake


def test_backend_with_cuda(fake_cupy):
    assert _backend.cuda_available() and _backend.device_count() == 2
    assert _backend.array_module_for("cuda:1") is fake_cupy
    on1 = _backend.to_device(np.arange(3), "cuda:1")
    assert _backend.device_of(on1) == device("cuda:1")
    assert _backend.get_array_module(on1) is fake_cupy
    assert _backend.to_device(on1, "cuda:1") is on1
    assert _backend.device_of(_backend.to_device(on1, "cuda")) == device("cuda:0")
    back = _backend.to_device(on1, "cpu")
    assert isinstance(back, np.ndarray) and back.tolist() == [0, 1, 2]


def test_cuda_module_with_gpu(fake_cupy):
    import ember.cuda as cuda

    assert cuda.is_available() and cuda.device_count() == 2
    cuda.set_device("cuda:1")
    assert cuda.current_device() == 1
    assert cuda.get_device_name() == "Fake GPU 1"
    assert cuda.get_device_name(device("cuda:0")) == "Fake GPU 0"
    assert cuda.memory_allocated(0) == 10 and cuda.memory_reserved() == 64
    cuda.manual_seed_all(7)
    assert fake_cupy.state["seeds"] == {0: 7, 1: 7}
    cuda.synchronize()
    cuda.synchronize("cuda:0")
    assert fake_cupy.state["synced"] == [1, 0]
    with pytest.raises(ValueError, match="cuda device"):
        cuda.get_device_name("cpu")


# -- the meta device: shapes and dtypes without data --------------------------------------------
def _both(fn):
    import ember
    return fn(ember), fn(torch)


def test_meta_factories_shapes_dtypes_repr():
    import ember
    for make in (lambda m: m.empty(2, 3, device="meta"),
                 lambda m: m.zeros((4,), dtype=m.int64, device="meta"),
                 lambda m: m.ones(2, 3, device="meta", requires_grad=True) * 2,
                 lambda m: m.empty((), dtype=m.float64, device="meta"),
                 lambda m: m.empty(0, device="meta"),
                 lambda m: m.arange(6, device="meta").reshape(2, 3).t()):
        ours, theirs = _both(make)
        assert ours.is_meta and theirs.is_meta and str(ours.device) == "meta"
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype)[6:] == str(theirs.dtype)[6:]
        assert repr(ours).replace("ember.", "torch.") == repr(theirs)
        assert not ours.is_cpu and not ours.is_cuda
    ours, theirs = _both(lambda m: m.empty(2, 3, device="meta") @ m.empty(3, 5, device="meta"))
    assert tuple(ours.shape) == tuple(theirs.shape) == (2, 5)
    assert ember.empty(2, 3, device="meta").untyped_storage().data_ptr() == 0


def test_meta_data_access_raises_as_torch():
    import ember
    for use in (lambda t: t.tolist(), lambda t: t.cpu(), lambda t: t.to("cpu"),
                lambda t: t.numpy(), lambda t: t[0, 0].item()):
        errors = []
        for m in (ember, torch):
            try:
                use(m.empty(2, 3, device="meta"))
            except Exception as exc:  # the type and message are what is compared
                errors.append((type(exc), str(exc).split("\n")[0]))
        assert errors[0] == errors[1], errors


def test_device_context_manager_and_default_device():
    import ember
    with ember.device("meta") as dev:
        assert dev == ember.device("meta") and ember.get_default_device() == dev
        lin = ember.nn.Linear(3, 4)
        assert ember.empty(2).is_meta and ember.tensor([1.0]).is_meta
        with ember.device("cpu"):
            assert ember.zeros(1).is_cpu
        assert ember.ones(1).is_meta
    assert ember.get_default_device() == ember.device("cpu") and ember.empty(1).is_cpu
    assert lin.weight.is_meta and tuple(lin.weight.shape) == (4, 3) and lin.weight.requires_grad
    moved = lin.to_empty(device="cpu")
    assert moved.weight.is_cpu and tuple(moved.weight.shape) == (4, 3)
    on_meta = ember.nn.Linear(2, 2).to("meta")
    assert on_meta.weight.is_meta and isinstance(on_meta.weight, ember.nn.Parameter)
    ember.set_default_device("meta")
    try:
        assert ember.full((2,), 3.0).is_meta
    finally:
        ember.set_default_device(None)
    assert ember.empty(1).is_cpu


def test_view_dtype_matches_torch():
    import ember
    data = [[0.0, 1.0, 2.0], [3.0, -4.5, 5.0]]
    for target in ("int32", "uint8", "int16"):
        ours = ember.tensor(data).view(getattr(ember, target))
        theirs = torch.tensor(data).view(getattr(torch, target))
        assert ours.tolist() == theirs.tolist() and tuple(ours.shape) == tuple(theirs.shape)
    assert ember.zeros(2, 4, dtype=ember.uint8).view(dtype=ember.float32).shape == (2, 1)
    for bad in (lambda m: m.zeros(2, 3, dtype=m.uint8).view(m.float32),
                lambda m: m.zeros(2, 3).t().view(m.uint8)):
        with pytest.raises(RuntimeError) as ours:
            bad(ember)
        with pytest.raises(RuntimeError) as theirs:
            bad(torch)
        assert str(ours.value) == str(theirs.value)


def test_like_and_new_follow_their_input_not_the_default_device():
    import ember
    for m in (ember, torch):
        x = m.ones(2, 3)
        with m.device("meta"):
            made = [m.empty_like(x), m.zeros_like(x), m.full_like(x, 2.0), x.new_zeros(2),
                    x.new_tensor([1.0]), x.new_empty(1), m.empty(1)]
        assert [t.device.type for t in made] == ["cpu"] * 6 + ["meta"]
