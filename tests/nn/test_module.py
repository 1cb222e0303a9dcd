"""nn.Module and nn.Parameter against torch: routing, iteration, state_dict, conversion, hooks."""
import copy
import pickle
import re
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn
from ember.nn.modules.module import layer_error, ShapeError

torch = pytest.importorskip("torch")


def models(lib):
    """Classes of the same small model, built on ``lib`` (torch or ember)."""
    class Block(lib.nn.Module):
        def __init__(self, n):
            super().__init__()
            self.weight = lib.nn.Parameter(lib.ones(n, n))
            self.bias = lib.nn.Parameter(lib.zeros(n))
            self.register_buffer("running", lib.zeros(n))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)
            self.register_buffer("count", lib.tensor(0))
            self.n = n

        def forward(self, x):
            return x * self.weight.sum() + self.bias

        def extra_repr(self):
            return f"n={self.n}"

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = lib.nn.Parameter(lib.full((2,), 0.5))
            self.features = lib.nn.Sequential(Block(2), Block(2))
            self.heads = lib.nn.ModuleList([Block(2), Block(3)])
            self.extra = lib.nn.ModuleDict({"b": Block(2)})
            self.empty = None
            self.register_parameter("unused", None)

        def forward(self, x):
            return self.features(x) * self.scale

    return Block, Net


def net(lib):
    return models(lib)[1]()


def norm(text):
    return str(text).replace("torch.", "ember.").replace("torch ", "ember ")


def as_ember(sd):
    return OrderedDict((k, ember.tensor(v.numpy())) for k, v in sd.items())


# -- Parameter ------------------------------------------------------------------------
def test_parameter_basics():
    t = ember.ones(2, 3)
    p = nn.Parameter(t)
    assert isinstance(p, ember.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p.shape == (2, 3)
    assert repr(p) == norm(repr(torch.nn.Parameter(torch.ones(2, 3))))
    t.mul_(3)  # shares memory with the tensor it wraps
    assert p.tolist() == [[3.0] * 3] * 2
    assert nn.Parameter(t, requires_grad=False).requires_grad is False
    assert tuple(nn.Parameter().shape) == tuple(torch.nn.Parameter().shape) == (0,)
    (p * 2).sum().backward()
    assert p.grad.tolist() == [[2.0] * 3] * 2
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(ember.tensor([1, 2]))
    with pytest.raises(TypeError, match="must be a Tensor"):
        nn.Parameter([1.0])


def test_parameter_deepcopy_and_data():
    p = nn.Parameter(ember.ones(2))
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad and q.tolist() == [1.0, 1.0]
    q.data.mul_(5)
    assert p.tolist() == [1.0, 1.0]
    p.data = ember.zeros(3)
    assert type(p) is nn.Parameter and p.shape == (3,) and p.requires_grad


def test_buffer_class():
    m = nn.Module()
    m.b = nn.Buffer(ember.ones(2))
    m.c = nn.Buffer(ember.ones(1), persistent=False)
    tm = torch.nn.Module()
    tm.b = torch.nn.Buffer(torch.ones(2))
    tm.c = torch.nn.Buffer(torch.ones(1), persistent=False)
    assert list(m.state_dict()) == list(tm.state_dict()) == ["b"]
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in tm.named_buffers()] == ["b", "c"]


# -- iteration and state_dict ---------------------------------------------------------
def test_names_match_torch():
    e, t = net(ember), net(torch)
    for method in ("named_parameters", "named_buffers", "named_modules", "named_children"):
        assert [n for n, _ in getattr(e, method)()] == [n for n, _ in getattr(t, method)()], method
    assert [n for n, _ in e.named_parameters(prefix="root", recurse=False)] == \
        [n for n, _ in t.named_parameters(prefix="root", recurse=False)]
    assert len(list(e.parameters())) == len(list(t.parameters()))
    assert len(list(e.buffers(recurse=False))) == 0
    assert [type(m).__name__ for m in e.modules()] == [type(m).__name__ for m in t.modules()]
    assert [type(m).__name__ for m in e.children()] == [type(m).__name__ for m in t.children()]


def test_shared_modules_and_parameters():
    def names(lib):
        m = lib.nn.Module()
        shared = lib.nn.Sequential(lib.nn.Module())
        m.a, m.b = shared, shared
        m.p = lib.nn.Parameter(lib.ones(1))
        m.b2 = lib.nn.Module()
        m.b2.q = m.p
        return ([n for n, _ in m.named_modules()],
                [n for n, _ in m.named_modules(remove_duplicate=False)],
                [n for n, _ in m.named_parameters()],
                [n for n, _ in m.named_parameters(remove_duplicate=False)],
                list(m.state_dict()))
    assert names(ember) == names(torch)


def test_state_dict_matches_torch():
    e, t = net(ember), net(torch)
    esd, tsd = e.state_dict(), t.state_dict()
    assert isinstance(esd, OrderedDict) and list(esd) == list(tsd)
    assert esd._metadata == tsd._metadata
    for k in esd:
        assert not esd[k].requires_grad and type(esd[k]) is ember.Tensor
    assert esd["scale"].data_ptr() == e.scale.data_ptr()  # shares memory, detached
    kept = e.state_dict(keep_vars=True)
    assert kept["scale"] is e.scale
    assert list(e.state_dict(prefix="m.")) == list(t.state_dict(prefix="m."))
    assert list(e.features.state_dict()) == list(t.features.state_dict())


def test_load_state_dict_from_torch_in_place():
    t, e = net(torch), net(ember)
    with torch.no_grad():
        for p in t.parameters():
            p.uniform_()
    before = {n: p for n, p in e.named_parameters()}
    res = e.load_state_dict(as_ember(t.state_dict()))
    assert repr(res) == "<All keys matched successfully>" and res.missing_keys == []
    for n, p in e.named_parameters():
        assert p is before[n] and p.requires_grad
        np.testing.assert_array_equal(p.detach().numpy(), t.get_parameter(n).detach().numpy())
    assert e.heads[1].count.dtype == ember.int64


def test_load_state_dict_assign():
    e = net(ember)
    sd = e.state_dict()
    sd["scale"] = ember.tensor([7.0, 8.0])
    old = e.scale
    e.load_state_dict(sd, assign=True)
    assert e.scale is not old and isinstance(e.scale, nn.Parameter) and e.scale.requires_grad
    assert e.scale.tolist() == [7.0, 8.0]


def _load_error(lib, sd_changes, strict=True):
    m = net(lib)
    sd = m.state_dict()
    sd_changes(sd, lib)
    with pytest.raises(Exception) as info:
        m.load_state_dict(sd, strict=strict)
    return info.type, norm(info.value)


def _missing_unexpected(sd, lib):
    del sd["features.0.weight"]
    del sd["scale"]
    sd["features.5.weight"] = lib.ones(1)
    sd["bogus"] = lib.ones(1)


def _size_mismatch(sd, lib):
    sd["heads.1.weight"] = lib.ones(2, 4)


def _not_tensor(sd, lib):
    sd["scale"] = [1.0, 2.0]


@pytest.mark.parametrize("change", [_missing_unexpected, _size_mismatch, _not_tensor])
def test_load_state_dict_errors_match_torch(change):
    assert _load_error(ember, change) == _load_error(torch, change)


def test_load_state_dict_non_strict():
    e, t = net(ember), net(torch)
    for m, lib in ((e, ember), (t, torch)):
        sd = m.state_dict()
        _missing_unexpected(sd, lib)
        m.result = m.load_state_dict(sd, strict=False)
    assert e.result == t.result and repr(e.result) == repr(t.result)
    assert e.result.missing_keys == ["scale", "features.0.weight"]
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        e.load_state_dict([1, 2])


def test_load_state_dict_post_hook_and_old_0d():
    m = nn.Module()
    m.register_buffer("steps", ember.tensor(3))
    seen = []
    m.register_load_state_dict_post_hook(lambda mod, keys: seen.append(keys.missing_keys))
    m.load_state_dict({"steps": ember.tensor([5])})
    assert m.steps.item() == 5 and m.steps.dim() == 0 and seen == [[]]


def test_extra_state_round_trip():
    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.state = {"k": 1}

        def get_extra_state(self):
            return self.state

        def set_extra_state(self, state):
            self.state = state

    a, b = WithExtra(), WithExtra()
    a.state = {"k": 2}
    sd = a.state_dict()
    assert list(sd) == ["_extra_state"]
    b.load_state_dict(sd)
    assert b.state == {"k": 2}


# -- attribute routing and errors -------------------------------------------------------
def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return info.type, norm(info.value)


@pytest.mark.parametrize("action", [
    lambda lib, m: setattr(m, "weight", lib.ones(2)),
    lambda lib, m: setattr(m, "features", 3),
    lambda lib, m: setattr(m, "features", lib.ones(2)),
    lambda lib, m: m.register_buffer("a.b", lib.ones(1)),
    lambda lib, m: m.register_buffer("", lib.ones(1)),
    lambda lib, m: m.register_buffer("scale", lib.ones(1)),
    lambda lib, m: m.register_buffer("x", [1]),
    lambda lib, m: m.register_buffer(1, lib.ones(1)),
    lambda lib, m: m.register_parameter("x", lib.ones(1)),
    lambda lib, m: m.register_parameter("x", lib.nn.Parameter(lib.ones(1)) * 2),
    lambda lib, m: m.add_module("x.y", lib.nn.Module()),
    lambda lib, m: m.add_module("x", 3),
    lambda lib, m: m.add_module("train", lib.nn.Module()),
    lambda lib, m: m.foo,
    lambda lib, m: m.get_submodule("features.7"),
    lambda lib, m: m.get_submodule("scale"),
    lambda lib, m: m.get_parameter("features.0.running"),
    lambda lib, m: m.get_parameter("features.0.nothing"),
    lambda lib, m: m.get_buffer("features.0.weight"),
    lambda lib, m: m.set_submodule("", lib.nn.Module()),
    lambda lib, m: m.heads(1),
    lambda lib, m: m.train("yes"),
    lambda lib, m: m.to(lib.int32),
    lambda lib, m: lib.nn.Module(3),
    lambda lib, m: lib.nn.Module(x=3),
])
def test_errors_match_torch(action):
    def run(lib):
        m = net(lib)
        m.weight = lib.nn.Parameter(lib.ones(1))
        return _error(lambda: action(lib, m))
    assert run(ember) == run(torch)


def test_assign_before_init():
    class Broken(nn.Module):
        def __init__(self):
            self.p = nn.Parameter(ember.ones(1))

    class TBroken(torch.nn.Module):
        def __init__(self):
            self.p = torch.nn.Parameter(torch.ones(1))
    assert _error(Broken) == _error(TBroken)


def test_gpu_and_forward_messages():
    m = net(ember)
    with pytest.raises(AttributeError, match=r"'Net' object has no attribute 'gpu'\. Did you mean "
                                             r"\.cuda\(\) or \.to\(device\)\?"):
        m.gpu()
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required '
                                                  r'"forward" function'):
        nn.Module()(1)


def test_routing_moves_between_registries():
    m = nn.Module()
    m.x = nn.Module()
    m.x = nn.Parameter(ember.ones(1))
    assert "x" in m._parameters and "x" not in m._modules
    del m.x
    m.x = nn.Module()
    m.x = None
    assert m._modules["x"] is None
    m.register_buffer("b", ember.ones(1), persistent=False)
    m.b = ember.zeros(2)  # stays a non-persistent buffer
    assert m.b.shape == (2,) and "b" in m._non_persistent_buffers_set
    m.p = nn.Parameter(ember.ones(1))
    m.p = None
    assert m._parameters["p"] is None and m.p is None
    del m.b, m.x, m.p
    assert not m._buffers and not m._modules and not m._parameters
    m.plain = 3
    assert m.plain == 3 and "plain" in m.__dict__
    del m.plain
    assert not hasattr(m, "plain")


def test_dir_lists_members():
    e, t = net(ember), net(torch)
    for name in ("scale", "features", "heads", "forward", "training", "running"):
        assert (name in dir(e)) == (name in dir(t)), name
    assert "0" not in dir(e.features)


def test_get_submodule_and_set_submodule():
    e = net(ember)
    assert e.get_submodule("features.1") is e.features[1]
    assert e.get_submodule("") is e
    assert e.get_parameter("heads.1.weight") is e.heads[1].weight
    assert e.get_buffer("extra.b.running") is e.extra["b"].running
    new = nn.Module()
    e.set_submodule("features.0", new)
    assert e.features[0] is new


# -- modes and conversion ------------------------------------------------------------
def test_train_eval_and_requires_grad():
    e = net(ember)
    assert e.training and e.eval() is e
    assert not any(m.training for m in e.modules())
    e.train()
    assert all(m.training for m in e.modules())
    e.features.eval()
    assert e.training and not e.features[1].training
    e.requires_grad_(False)
    assert not any(p.requires_grad for p in e.parameters())


def test_zero_grad():
    e = net(ember)
    e.features(ember.ones(2)).sum().backward()
    assert e.features[0].weight.grad is not None
    e.zero_grad(set_to_none=False)
    assert e.features[0].weight.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    e.zero_grad()
    assert all(p.grad is None for p in e.parameters())


def test_to_dtype_keeps_identity():
    e = net(ember)
    p = e.features[0].weight
    e.features(ember.ones(2)).sum().backward()
    assert e.double() is e
    assert e.features[0].weight is p and p.dtype == ember.float64 and p.grad.dtype == ember.float64
    assert e.features[0].running.dtype == ember.float64
    assert e.features[0].count.dtype == ember.int64  # integer buffers keep their dtype
    e.to(ember.float32)
    assert p.dtype == ember.float32 and p.requires_grad
    e.half()
    assert p.dtype == ember.float16
    e.float().to("cpu").cpu()
    assert p.dtype == ember.float32 and p.device == ember.device("cpu")
    e.to(ember.ones(1, dtype=ember.float64))
    assert p.dtype == ember.float64
    e.type(ember.float32)
    assert p.dtype == ember.float32


def test_apply_order_matches_torch():
    seen = {}
    for lib in (ember, torch):
        order = []
        net(lib).apply(lambda m: order.append(type(m).__name__))
        seen[lib.__name__] = order
    assert seen["ember"] == seen["torch"]


def test_repr_matches_torch():
    assert repr(net(ember)) == repr(net(torch))
    assert repr(nn.Module()) == "Module()"


def test_deepcopy_and_pickle():
    e = net(ember)
    e.features[1].weight = e.features[0].weight  # shared parameter
    c = copy.deepcopy(e)
    assert c.features[1].weight is c.features[0].weight
    assert c.features[0].weight is not e.features[0].weight
    assert list(c.state_dict()) == list(e.state_dict())


class Scaled(nn.Module):
    """A module-level (picklable) layer with a parameter and a non-persistent buffer."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(ember.tensor([1.0, 2.0]))
        self.register_buffer("scratch", ember.zeros(1), persistent=False)

    def forward(self, x):
        return x * self.weight


def test_pickle_whole_model():
    pytest.importorskip("ember.serialization")
    e = nn.Sequential(Scaled(), Scaled())
    e[1].weight = e[0].weight
    e[0].register_forward_hook(print)
    loaded = pickle.loads(pickle.dumps(e))
    assert type(loaded) is nn.Sequential and type(loaded[0].weight) is nn.Parameter
    assert loaded[0].weight.requires_grad and loaded[1].weight is loaded[0].weight
    assert loaded[0].weight.tolist() == [1.0, 2.0]
    assert list(loaded.state_dict()) == list(e.state_dict()) == ["0.weight", "1.weight"]
    assert loaded[0]._non_persistent_buffers_set == {"scratch"}
    assert list(loaded[0]._forward_hooks.values()) == [print]


def test_setstate_fills_missing_registries():
    m = nn.Module.__new__(nn.Module)
    m.__setstate__({"_parameters": OrderedDict(), "_buffers": OrderedDict(),
                    "_modules": OrderedDict(), "training": False})
    assert m._forward_hooks == OrderedDict() and m.training is False
    assert m.state_dict() == OrderedDict()


# -- hooks --------------------------------------------------------------------------------
def _hook_trace(lib):
    Block, _ = models(lib)
    m = Block(2)
    log = []
    m.register_forward_pre_hook(lambda mod, args: log.append(("pre", len(args))))
    m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    m.register_forward_pre_hook(lambda mod, args, kw: log.append(("pre_kw", sorted(kw))),
                                with_kwargs=True)
    m.register_forward_pre_hook(lambda mod, args: log.append(("first",)), prepend=True)
    m.register_forward_hook(lambda mod, args, out: out + 1)
    h = m.register_forward_hook(lambda mod, args, out: log.append(("removed",)))
    m.register_forward_hook(lambda mod, args, kw, out: log.append(("post_kw", out.tolist())),
                            with_kwargs=True)
    h.remove()
    out = m(lib.ones(2))
    with m.register_forward_hook(lambda mod, args, out: log.append(("ctx",))):
        m(lib.ones(2))
    m(lib.ones(2))
    return log, out.tolist()


def test_forward_hooks_match_torch():
    assert _hook_trace(ember) == _hook_trace(torch)


def test_forward_hook_always_call_and_bad_pre_hook():
    def run(lib):
        m = lib.nn.Module()
        log = []
        m.register_forward_hook(lambda mod, args, out: log.append("always"), always_call=True)
        m.register_forward_hook(lambda mod, args, out: log.append("normal"))
        first = _error(lambda: m(1))
        m2 = lib.nn.Module()
        m2.register_forward_pre_hook(lambda mod, a, k: 5, with_kwargs=True)
        return log, first, _error(lambda: m2(1))
    assert run(ember) == run(torch)


def test_global_forward_hooks():
    from ember.nn.modules import module as M
    log = []
    h1 = M.register_module_forward_pre_hook(lambda mod, args: log.append(("pre", type(mod).__name__)))
    h2 = M.register_module_forward_hook(lambda mod, args, out: log.append(("post", type(mod).__name__)))
    try:
        net(ember)(ember.ones(2))
    finally:
        h1.remove()
        h2.remove()
    assert log[0] == ("pre", "Net") and log[-1] == ("post", "Net")
    assert ("pre", "Block") in log and len(log) == 8
    net(ember)(ember.ones(2))
    assert len(log) == 8


def _backward_hook_trace(lib, replace):
    class Mul(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = lib.nn.Parameter(lib.tensor([2.0, 3.0]))

        def forward(self, x, y, k):
            return x * self.w * y * k, x + y

    m = Mul()
    log = []

    def pre(mod, gout):
        log.append(("pre", [None if g is None else g.tolist() for g in gout]))
        return (gout[0] * 10, gout[1]) if replace else None

    def full(mod, gin, gout):
        log.append(("full", [None if g is None else g.tolist() for g in gin],
                    [g.tolist() for g in gout]))
        return (gin[0] + 1, None, None) if replace else None
    m.register_full_backward_pre_hook(pre)
    m.register_full_backward_hook(full)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = lib.tensor([3.0, 4.0])
    a, b = m(x, y, 2.0)
    (a.sum() + (b * 2).sum()).backward()
    return log, x.grad.tolist(), m.w.grad.tolist()


@pytest.mark.parametrize("replace", [False, True])
def test_full_backward_hooks_match_torch(replace):
    assert _backward_hook_trace(ember, replace) == _backward_hook_trace(torch, replace)


def test_full_backward_hook_without_input_grads():
    def run(lib):
        m = lib.nn.Module()
        m.w = lib.nn.Parameter(lib.tensor([2.0]))
        m.forward = lambda x: x * m.w
        log = []
        m.register_full_backward_hook(lambda mod, gin, gout: log.append((gin, gout[0].tolist())))
        m(lib.tensor([3.0])).sum().backward()
        return log
    with pytest.warns(UserWarning):
        expected = run(torch)
    assert run(ember) == expected


# -- naming the failing layer ---------------------------------------------------------------
class Checked(nn.Module):
    """A layer that rejects inputs of the wrong width, the way layer authors should."""

    def __init__(self, width):
        super().__init__()
        self.width = width

    def forward(self, x):
        if x.shape[-1] != self.width:
            raise layer_error(self, f"expected width {self.width}, got {x.shape[-1]}")
        return x

    def extra_repr(self):
        return f"width={self.width}"


def test_layer_error_names_path_from_root():
    model = nn.Sequential(OrderedDict(encoder=nn.Sequential(Checked(3), Checked(4))))
    with pytest.raises(ShapeError) as info:
        model(ember.ones(2, 3))
    assert str(info.value) == "encoder.1 (Checked(width=4)): expected width 4, got 3"
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(RuntimeError, match=r"^Checked\(width=5\): expected width 5, got 3$"):
        Checked(5)(ember.ones(3))


def test_layer_error_keeps_type_and_skips_unregistered_callers():
    class Picky(nn.Module):
        def forward(self, x):
            raise layer_error(self, "bad", ValueError)

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = Picky()
            self.hidden = [Picky()]  # not registered: its path is unknown from here

        def forward(self, x):
            return self.inner(x) if x else self.hidden[0](x)

    with pytest.raises(ValueError, match=r"^inner \(Picky\(\)\): bad$"):
        Outer()(1)
    with pytest.raises(ValueError, match=r"^Picky\(\): bad$"):
        Outer()(0)


def test_builtin_leaf_errors_are_named_user_errors_untouched():
    class Leaf(nn.Module):
        def forward(self, x):
            raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)")
    Leaf.__module__ = "ember.nn.modules.fake"  # stands in for a built-in layer file

    class Custom(nn.Module):
        def forward(self, x):
            raise ValueError("my own check")

    model = nn.Sequential(nn.Sequential(Leaf()), Custom())
    with pytest.raises(RuntimeError, match=re.escape("0.0 (Leaf()): mat1 and mat2 shapes cannot be "
                                                     "multiplied (2x3 and 4x5)")):
        model(1)
    with pytest.raises(ValueError, match="^my own check$"):
        model[1](1)
    with pytest.raises(ValueError, match="^my own check$"):
        nn.Sequential(Custom())(1)
