"""Process-level functions: compile, jit, threads, defaults, autocast/GradScaler, distributed,
checkpoint; each against torch where torch gives a value."""

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import ember
from ember import _backend

torch = pytest.importorskip("torch")
tcheckpoint = pytest.importorskip("torch.utils.checkpoint")
from ember.utils import checkpoint as echeckpoint

from .helpers import assert_close

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAS_CUDA = _backend.cuda_available()


@pytest.fixture(autouse=True)
def _restore_defaults():
    """Every test leaves ember's and torch's process-wide settings as it found them."""
    saved = (ember.get_default_dtype(), ember.get_default_device(), ember.get_num_threads(),
             ember.get_num_interop_threads(), ember.are_deterministic_algorithms_enabled(),
             ember.is_deterministic_algorithms_warn_only_enabled(),
             ember.get_float32_matmul_precision())
    torch_saved = (torch.get_default_dtype(), torch.are_deterministic_algorithms_enabled(),
                   torch.get_float32_matmul_precision())
    yield
    (dtype, device, threads, interop, det, warn_only, precision) = saved
    ember.set_default_dtype(dtype)
    ember.set_default_device(device)
    ember.set_num_threads(threads)
    ember.set_num_interop_threads(interop)
    ember.use_deterministic_algorithms(det, warn_only=warn_only)
    ember.set_float32_matmul_precision(precision)
    torch.set_default_dtype(torch_saved[0])
    torch.use_deterministic_algorithms(torch_saved[1])
    torch.set_float32_matmul_precision(torch_saved[2])


def _mlp(lib, seed=0):
    """The same 4-8-3 MLP in torch or ember (weights from one NumPy seed)."""
    rng = np.random.default_rng(seed)
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3))
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return model


_X = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)


def _grads(model):
    return [p.grad for p in model.parameters()]


# --- compile and jit ------------------------------------------------------------------------

def test_compile_returns_the_same_object_in_every_form():
    model = _mlp(ember)
    assert ember.compile(model) is model
    assert ember.compile(model, mode="max-autotune", fullgraph=True, dynamic=False) is model

    def f(x):
        return x * 2

    assert ember.compile(f) is f
    assert ember.compile(mode="reduce-overhead")(f) is f
    decorated = ember.compile(f)
    assert decorated(ember.tensor([1.5])).item() == 3.0
    with pytest.raises(RuntimeError, match="callable"):
        ember.compile(3)


@pytest.mark.parametrize("wrap", [ember.compile, ember.jit.script,
                                  lambda m: ember.jit.trace(m, ember.tensor(_X))])
def test_wrapped_model_gradients_equal_torch(wrap):
    model, tmodel = _mlp(ember), _mlp(torch)
    wrapped = wrap(model)
    assert wrapped is model
    wrapped(ember.tensor(_X)).square().sum().backward()
    tmodel(torch.tensor(_X)).square().sum().backward()
    for e, t in zip(_grads(model), _grads(tmodel)):
        assert_close(e, t, what="gradient")


def test_jit_decorators_and_queries():
    def f(x):
        return x + 1

    for deco in (ember.jit.ignore, ember.jit.unused, ember.jit.export):
        assert deco(f) is f
    assert ember.jit.ignore(drop=True)(f) is f
    assert ember.jit.script(f) is f
    assert ember.jit.is_scripting() is torch.jit.is_scripting() is False
    assert ember.jit.is_tracing() is False
    assert ember.jit.annotate(list, [1]) == [1]


@pytest.mark.parametrize("call", [lambda: ember.jit.save(_mlp(ember), "m.pt"),
                                  lambda: ember.jit.load("m.pt")])
def test_jit_save_load_point_to_state_dict(call):
    with pytest.raises(NotImplementedError, match=r"state_dict"):
        call()


# --- threads ----------------------------------------------------------------------------------

def test_num_threads_round_trip():
    ember.set_num_threads(1)
    assert ember.get_num_threads() == 1
    ember.set_num_interop_threads(3)
    assert ember.get_num_interop_threads() == 3
    assert ember.get_num_threads() >= 1


@pytest.mark.parametrize("name", ["set_num_threads", "set_num_interop_threads"])
@pytest.mark.parametrize("value,match", [(0, "positive integer"), (-2, "positive integer"),
                                         (1.5, "expects an int, but got float")])
def test_num_threads_errors_like_torch(name, value, match):
    if name == "set_num_threads":  # torch's interop setter may only be called once per process
        with pytest.raises(RuntimeError, match=match):
            getattr(torch, name)(value)
    with pytest.raises(RuntimeError, match=f"{name} expects"):
        getattr(ember, name)(value)
    assert ember.get_num_threads() >= 1


# --- defaults ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["DoubleTensor", "FloatTensor", "HalfTensor"])
@pytest.mark.parametrize("as_class", [False, True])
def test_set_default_tensor_type_sets_dtype_like_torch(name, as_class):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation warning
        torch.set_default_tensor_type(getattr(torch, name) if as_class else f"torch.{name}")
    ember.set_default_tensor_type(getattr(ember, name) if as_class else f"torch.{name}")
    assert str(ember.tensor([1.0]).dtype) == str(torch.tensor([1.0]).dtype).replace("torch", "ember")
    assert ember.get_default_dtype() is getattr(ember, str(torch.get_default_dtype())[6:])


@pytest.mark.parametrize("arg", ["torch.IntTensor", "torch.BoolTensor", "torch.nope", 3]
                         + ([] if HAS_CUDA else ["torch.cuda.FloatTensor"]))
def test_set_default_tensor_type_errors(arg):
    with pytest.raises(TypeError):
        ember.set_default_tensor_type(arg)
    assert ember.get_default_dtype() is ember.float32


def test_default_device():
    assert ember.get_default_device() == ember.device("cpu")
    ember.set_default_device(None)
    assert str(ember.get_default_device()) == str(torch.get_default_device()) == "cpu"
    ember.set_default_device(ember.device("cpu"))
    assert ember.get_default_device().type == "cpu"
    if not HAS_CUDA:
        with pytest.raises(AssertionError, match="CUDA"):  # torch: AssertionError too
            ember.set_default_device("cuda")
        assert ember.get_default_device().type == "cpu"


def test_deterministic_flags_like_torch():
    for mode, warn_only in [(True, False), (True, True), (False, False)]:
        torch.use_deterministic_algorithms(mode, warn_only=warn_only)
        ember.use_deterministic_algorithms(mode, warn_only=warn_only)
        assert ember.are_deterministic_algorithms_enabled() is \
            torch.are_deterministic_algorithms_enabled()
        assert ember.is_deterministic_algorithms_warn_only_enabled() is \
            torch.is_deterministic_algorithms_warn_only_enabled()
    with pytest.raises(TypeError, match="bool"):
        ember.use_deterministic_algorithms(1)


def test_float32_matmul_precision_like_torch():
    for p in ["high", "medium", "highest"]:
        torch.set_float32_matmul_precision(p)
        ember.set_float32_matmul_precision(p)
        assert ember.get_float32_matmul_precision() == torch.get_float32_matmul_precision() == p
    ember.set_float32_matmul_precision("medium")
    with pytest.warns(UserWarning, match="'low'"):
        ember.set_float32_matmul_precision("low")
    assert ember.get_float32_matmul_precision() == "medium"
    with pytest.raises(RuntimeError, match="expects a str"):
        ember.set_float32_matmul_precision(3)


# --- is_nonzero and typename ------------------------------------------------------------------

@pytest.mark.parametrize("data", [[0.0], [[2.5]], 0, -1, True, False, [[[0]]], [1j]])
def test_is_nonzero_like_torch(data):
    assert ember.is_nonzero(ember.tensor(data)) is torch.is_nonzero(torch.tensor(data))


@pytest.mark.parametrize("data,match", [([], "no values"), ([1, 2], "more than one value"),
                                        ([[0.0, 0.0]], "more than one value")])
def test_is_nonzero_errors_like_torch(data, match):
    with pytest.raises(RuntimeError, match=match):
        torch.is_nonzero(torch.tensor(data))
    with pytest.raises(RuntimeError, match=match):
        ember.is_nonzero(ember.tensor(data))
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        ember.is_nonzero(data)


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([1.0]), lambda lib: lib.tensor([1]), lambda lib: lib.tensor(True),
    lambda lib: lib.tensor([1.0], dtype=lib.float64), lambda lib: lib.tensor([1j]),
    lambda lib: lib.tensor([1], dtype=lib.uint8), lambda lib: lib.nn.Parameter(lib.ones(2)),
    lambda lib: lib.nn.Linear(1, 1), lambda lib: lib.nn.Sequential,
    lambda lib: 1, lambda lib: None, lambda lib: int, lambda lib: len, lambda lib: lib.nn.ReLU,
])
def test_typename_like_torch(make):
    assert ember.typename(make(ember)) == torch.typename(make(torch)).replace("torch.", "ember.")


# --- autocast and GradScaler ------------------------------------------------------------------

def test_autocast_runs_ops_at_normal_dtype():
    a, b = ember.tensor(_X), ember.tensor(_X.T.copy())
    assert not ember.is_autocast_enabled("cpu")
    with ember.autocast("cpu") as ctx:
        assert ctx.fast_dtype is ember.bfloat16
        assert ember.is_autocast_enabled("cpu")
        with ember.amp.autocast("cpu", enabled=False):
            assert not ember.is_autocast_enabled("cpu")
        assert ember.is_autocast_enabled("cpu")
        out = a @ b
    assert not ember.is_autocast_enabled("cpu")
    assert out.dtype is ember.float32
    assert_close(out, torch.tensor(_X) @ torch.tensor(_X.T.copy()))
    assert ember.autocast("cuda", dtype=ember.float16).fast_dtype is ember.float16

    @ember.autocast("cpu")
    def inside():
        return ember.is_autocast_enabled("cpu")

    assert inside() is True and not ember.is_autocast_enabled("cpu")


@pytest.mark.parametrize("device,exc", [("foo", RuntimeError), (3, ValueError)])
def test_autocast_bad_device_like_torch(device, exc):
    with pytest.raises(exc):
        torch.autocast(device)
    with pytest.raises(exc):
        ember.autocast(device)


def _train(lib, steps, scaler=None, lr=0.1):
    model = _mlp(lib)
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    x = lib.tensor(_X)
    for _ in range(steps):
        opt.zero_grad()
        loss = model(x).square().mean()
        if scaler is None:
            loss.backward()
            opt.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
    return model


def test_grad_scaler_cpu_step_equals_plain_steps_and_torch():
    scaler, tscaler = ember.amp.GradScaler("cpu"), torch.amp.GradScaler("cpu")
    scaled = _train(ember, 3, scaler)
    plain, tmodel = _train(ember, 3), _train(torch, 3, tscaler)
    for s, p, t in zip(scaled.parameters(), plain.parameters(), tmodel.parameters()):
        assert_close(s, p)
        assert_close(s, t)
    assert scaler.get_scale() == tscaler.get_scale()
    assert scaler.state_dict() == tscaler.state_dict()
    loss = ember.tensor(2.0)
    assert scaler.scale(loss).item() == 2.0 * 65536
    assert [t.item() for t in scaler.scale([loss, loss])] == [131072.0] * 2


def test_grad_scaler_disabled_without_cuda_is_a_no_op():
    if HAS_CUDA:
        pytest.skip("a CUDA machine enables the default scaler")
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = ember.amp.GradScaler()
    assert not scaler.is_enabled() and scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    loss = ember.tensor(1.5)
    assert scaler.scale(loss) is loss
    scaled, plain = _train(ember, 2, scaler), _train(ember, 2)
    for s, p in zip(scaled.parameters(), plain.parameters()):
        assert_close(s, p)
    assert ember.amp.GradScaler(enabled=False).get_scale() == 1.0


def _inf_step(lib, scaler):
    model = _mlp(lib)
    opt = lib.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    scaler.scale(model(lib.tensor(_X)).sum() * float("inf")).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    result = scaler.step(opt)
    scaler.update()
    return result, before, list(model.parameters())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's inf*0 in the backward
def test_grad_scaler_skips_inf_step_and_backs_off_like_torch():
    scaler, tscaler = ember.amp.GradScaler("cpu", init_scale=8.0), \
        torch.amp.GradScaler("cpu", init_scale=8.0)
    result, before, after = _inf_step(ember, scaler)
    tresult, _, _ = _inf_step(torch, tscaler)
    assert result is tresult is None
    for b, a in zip(before, after):
        assert_close(a, b)
    assert scaler.get_scale() == tscaler.get_scale() == 4.0


def test_grad_scaler_growth_and_state_dict_round_trip():
    scaler = ember.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    tscaler = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    _train(ember, 2, scaler)
    _train(torch, 2, tscaler)
    assert scaler.get_scale() == tscaler.get_scale() == 8.0
    other = ember.amp.GradScaler("cpu")
    other.load_state_dict(tscaler.state_dict())
    assert other.state_dict() == tscaler.state_dict()
    with pytest.raises(RuntimeError, match="empty"):
        other.load_state_dict({})
    with pytest.raises(ValueError, match="growth factor"):
        ember.amp.GradScaler("cpu", growth_factor=1.0)


# --- distributed ------------------------------------------------------------------------------

def test_distributed_single_process_answers(monkeypatch):
    from importlib.util import find_spec
    assert ember.distributed.is_available() is (find_spec("mpi4py") is not None)
    assert ember.distributed.is_initialized() is torch.distributed.is_initialized() is False
    for name in ("get_rank", "get_world_size"):
        with pytest.raises(ValueError, match="not been initialized"):
            getattr(torch.distributed, name)()
        for exc in (ValueError, RuntimeError):  # torch < 2.5 raised RuntimeError
            with pytest.raises(exc, match="Default process group has not been initialized"):
                getattr(ember.distributed, name)()
    monkeypatch.delenv("RANK", raising=False)
    for dist in (torch.distributed, ember.distributed):  # the extra present or not
        with pytest.raises((ValueError, RuntimeError), match="RANK expected|ember.distributed.]"):
            dist.init_process_group("gloo")


# --- checkpoint -------------------------------------------------------------------------------

def test_checkpoint_gradients_equal_torch():
    model, tmodel = _mlp(ember), _mlp(torch)
    x, tx = ember.tensor(_X, requires_grad=True), torch.tensor(_X, requires_grad=True)
    out = echeckpoint.checkpoint(model, x, use_reentrant=False)
    tout = tcheckpoint.checkpoint(tmodel, tx, use_reentrant=False)
    assert_close(out, tout)
    out.sum().backward()
    tout.sum().backward()
    assert_close(x.grad, tx.grad, what="input gradient")
    for e, t in zip(_grads(model), _grads(tmodel)):
        assert_close(e, t, what="gradient")


@pytest.mark.parametrize("as_list", [False, True])
def test_checkpoint_sequential_gradients_equal_torch(as_list):
    model, tmodel = _mlp(ember), _mlp(torch)
    x, tx = ember.tensor(_X, requires_grad=True), torch.tensor(_X, requires_grad=True)
    fns, tfns = (list(model), list(tmodel)) if as_list else (model, tmodel)
    out = echeckpoint.checkpoint_sequential(fns, 2, x, use_reentrant=False)
    tout = tcheckpoint.checkpoint_sequential(tfns, 2, tx, use_reentrant=False)
    assert_close(out, tout)
    out.square().sum().backward()
    tout.square().sum().backward()
    assert_close(x.grad, tx.grad, what="input gradient")
    for e, t in zip(_grads(model), _grads(tmodel)):
        assert_close(e, t, what="gradient")
    with pytest.raises(ValueError, match="segments"):
        echeckpoint.checkpoint_sequential(fns, 0, x)


def test_checkpoint_passes_keyword_arguments():
    assert echeckpoint.checkpoint(lambda a, b=1: a * b, ember.tensor(2.0), b=3).item() == 6.0


# --- a whole script under `ember run` ---------------------------------------------------------

_SCRIPT = """
    import torch
    import torch.nn as nn
    torch.set_num_threads(1)
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    model = torch.compile(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    before = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    before.backward()
    opt.step()
    after = nn.functional.mse_loss(model(x), y)
    print(torch.__name__, torch.get_num_threads(), float(before) > float(after))
"""


def test_script_with_runtime_calls_trains_under_ember_run(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(_SCRIPT))
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.run([sys.executable, "-m", "ember", "run", str(script)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ember", "1", "True"]


def test_public_class_names_match_torch():
    assert ember.typename(ember.float32) == "ember.dtype" and torch.typename(torch.float32) == "torch.dtype"
    assert repr(type(ember.ones(1))) == repr(type(torch.ones(1))).replace("torch", "ember")
    assert repr(type(ember.ones(1).shape)) == repr(type(torch.ones(1).shape)).replace("torch", "ember")
