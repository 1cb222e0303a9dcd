"""ember as torch to code that probes it: version identity, torch's private hooks, pytree, the
process-level modules (jit, fx, compiler, hub, profiler, ...), constants and printing; each
against real torch where torch gives an answer."""
import collections
import importlib.metadata
import os
import pickle
import subprocess
import sys
import textwrap
import typing

import numpy as np
import pytest

import ember
from ember import _alias

torch = pytest.importorskip("torch")
tpytree = pytest.importorskip("torch.utils._pytree")
from torch.torch_version import TorchVersion as TTorchVersion  # noqa: E402
from torch._vendor.packaging.version import Version as TVersion  # noqa: E402

import ember.utils._pytree as epytree  # noqa: E402
from ember.torch_version import TorchVersion, parse_key  # noqa: E402

from .helpers import assert_close  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def as_torch():
    """The torch alias installed in-process (``import torch`` gives ember), removed afterwards."""
    _alias.install()
    try:
        import torch as aliased
        yield aliased
    finally:
        _alias.uninstall()


# --- version identity ----------------------------------------------------------------------

_VERSIONS = ["2.13.0+ember0.1.0", "2.13.0", "2.13", "2.2.1", "2.13.0a0", "2.13.0rc1",
             "2.13.0.dev20240101", "2.13.0.post1", "1!0.1", "2.13.0+cpu", "2.13.0+cu121",
             "0.4.1", "10.0"]
_OTHERS = ["2.0", "2.13.0", "2.13", "2.2", "2.13.0+ember0.1.0", "2.13.0+ember0.1.1",
           (2, 13), (2, 13, 0), (2, 2, 1), [1, 9], "parrot", "2.13.0rc2", "1!0.0"]


@pytest.mark.parametrize("version", _VERSIONS)
def test_torch_version_compares_as_torch(version):
    ours, theirs = TorchVersion(version), TTorchVersion(version)
    assert str(ours) == str(theirs) and isinstance(ours, str)
    for other in _OTHERS:
        for op in ("__eq__", "__lt__", "__le__", "__gt__", "__ge__"):
            assert getattr(ours, op)(other) == getattr(theirs, op)(other), (version, op, other)
    assert (ours > TVersion("2.0")) == (theirs > TVersion("2.0"))
    assert hash(ours) == hash(version)  # usable as a dict key, like a str


def test_parse_key_orders_like_packaging():
    versions = ["1.0.dev0", "1.0a1", "1.0a2.dev1", "1.0b1", "1.0rc1", "1.0", "1.0+abc",
                "1.0+abc.5", "1.0+5", "1.0.post1.dev0", "1.0.post1", "1.1", "1!0.5", "v2.0"]
    shuffled = versions[::-1]
    assert sorted(shuffled, key=parse_key) == sorted(shuffled, key=TVersion)
    with pytest.raises(ValueError, match="Invalid version"):
        parse_key("not a version")


def test_version_module_and_ember_version():
    import ember.version as v
    import torch.version as tv
    assert v.__version__ == f"{tv.__version__.split('+')[0]}+ember{ember.__version__}"
    assert (v.cuda, v.hip, v.debug) == (None, None, False) == (tv.cuda, tv.hip, tv.debug)
    assert isinstance(v.git_version, str)
    assert ember.__version__ == "0.1.0"


def test_alias_reports_torch_version_and_metadata(as_torch):
    version = as_torch.__version__
    assert type(version).__name__ == "TorchVersion" and version == "2.13.0+ember0.1.0"
    assert version >= "2.0" and version > (2, 9) and version < "2.14"
    assert importlib.metadata.version("torch") == version
    dist = importlib.metadata.distribution("torch")
    assert dist.metadata["Name"] == "torch" and dist.version == version
    import torch.version as aliased_version
    assert aliased_version is ember.version and aliased_version.cuda is None


def test_uninstall_restores_ember_version_and_real_torch_metadata():
    _alias.install()
    _alias.uninstall()
    assert ember.__version__ == "0.1.0" and type(ember.__version__) is str
    assert importlib.metadata.version("torch") == torch.__version__  # the real one answers again


# --- printing ------------------------------------------------------------------------------

def test_printing_says_torch_under_the_alias():
    def shown(lib):
        x = lib.tensor([[1.0, 2.0]], dtype=lib.float64)
        things = [x.shape, x.dtype, lib.int64, lib.channels_last, lib.Size([2, 3])[1:], x,
                  x.type(), lib.typename(x), lib.ones(2, dtype=lib.uint16).type(), type(x),
                  type(x.dtype)]
        return [repr(t) for t in things] + [str(t) for t in things]

    expected = shown(torch)  # real torch cannot make tensors while the alias stands in for it
    _alias.install()
    try:
        import torch as aliased
        assert shown(aliased) == expected
    finally:
        _alias.uninstall()


def test_printing_says_ember_outside_the_alias():
    _alias.install()
    _alias.uninstall()
    assert repr(type(ember.ones(1))) == "<class 'ember.Tensor'>"
    assert repr(ember.Size([2, 3])) == "ember.Size([2, 3])"
    assert str(ember.float32) == "ember.float32"
    assert repr(ember.preserve_format) == "ember.preserve_format"


def test_ember_run_identity_end_to_end(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent("""
        import importlib.metadata, torch, torch.version, torch.utils._pytree as pytree
        print(torch.__version__, importlib.metadata.version("torch"), torch.__version__ >= "2.1")
        print(torch.version.cuda, torch.Size([2, 3]), torch.float32, hasattr(torch, "no_such_mod"))
        print(pytree.tree_structure({"a": [1, 2]}).num_leaves, torch.accelerator.is_available())
    """))
    env = dict(os.environ, PYTHONPATH=REPO)
    out = subprocess.run([sys.executable, "-m", "ember", "run", str(script)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == [
        "2.13.0+ember0.1.0 2.13.0+ember0.1.0 True", "None torch.Size([2, 3]) torch.float32 False",
        "2 False"]


# --- dtypes, constants, formats, storage -----------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda lib, d: lib.zeros(2, dtype=d), lambda lib, d: lib.ones(2, dtype=d),
    lambda lib, d: lib.tensor([1.0], dtype=d), lambda lib, d: lib.arange(3, dtype=d),
    lambda lib, d: lib.full((2,), 1.0, dtype=d), lambda lib, d: lib.empty(2, dtype=d),
    lambda lib, d: lib.randn(2, dtype=d), lambda lib, d: lib.ones(2).sum(dtype=d)])
@pytest.mark.parametrize("bad", ["banana", "float32", 3])
def test_non_dtype_dtype_raises_torchs_type_error(make, bad):
    with pytest.raises(TypeError) as theirs:
        make(torch, bad)
    with pytest.raises(TypeError) as ours:
        make(ember, bad)
    expected = str(theirs.value).split("(): ", 1)[-1].split(", but expected")[0]
    if "invalid combination" in expected:  # torch's overload listing: name the bad argument
        assert f"argument 'dtype' must be ember.dtype, not {type(bad).__name__}" == str(ours.value)
    else:
        assert str(ours.value) == expected.replace("torch.", "ember.")


def test_constants_and_new_dtypes():
    assert (ember.inf, ember.pi, ember.e) == (torch.inf, torch.pi, torch.e)
    assert np.isnan(ember.nan) and np.isnan(torch.nan)
    for name in ("uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
                 "float8_e5m2fnuz", "float8_e8m0fnu"):
        ours, theirs = getattr(ember, name), getattr(torch, name)
        assert (ours.itemsize, ours.is_floating_point, str(ours).split(".")[1]) == \
            (theirs.itemsize, theirs.is_floating_point, str(theirs).split(".")[1])
    x = ember.tensor([1, 2], dtype=ember.uint16)
    assert x.dtype is ember.uint16 and x.tolist() == [1, 2]
    assert ember.from_numpy(np.zeros(2, np.uint32)).dtype is ember.uint32
    assert ember.promote_types(ember.uint16, ember.float32) is ember.float32
    for a, b in [("uint16", "int16"), ("uint8", "uint32"), ("uint64", "bool")]:
        with pytest.raises(RuntimeError) as theirs:
            torch.promote_types(getattr(torch, a), getattr(torch, b))
        with pytest.raises(RuntimeError) as ours:
            ember.promote_types(getattr(ember, a), getattr(ember, b))
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(TypeError, match="no 8-bit float"):
        ember.zeros(2, dtype=ember.float8_e4m3fn)


def test_finfo_of_every_float_dtype_is_torchs():
    fields = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    for name in ("float16", "bfloat16", "float32", "float64", "float8_e4m3fn", "float8_e4m3fnuz",
                 "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu"):
        ours, theirs = ember.finfo(getattr(ember, name)), torch.finfo(getattr(torch, name))
        assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields], name


def test_memory_formats():
    for name in ("preserve_format", "contiguous_format", "channels_last", "channels_last_3d"):
        ours = getattr(ember, name)
        assert repr(ours).split(".")[1] == repr(getattr(torch, name)).split(".")[1]
        assert pickle.loads(pickle.dumps(ours)) is ours
        assert isinstance(ours, ember.memory_format)
    x = ember.ones(1, 2, 3, 3)
    assert x.contiguous(memory_format=ember.channels_last).tolist() == x.tolist()


def test_untyped_storage():
    for n in (0, 10):
        ours, theirs = ember.UntypedStorage(n), torch.UntypedStorage(n)
        assert (ours.__sizeof__(), len(ours), ours.nbytes(), ours.size()) == \
            (theirs.__sizeof__(), len(theirs), theirs.nbytes(), theirs.size())
    assert ember.UntypedStorage([1, 2, 3]).tolist() == torch.UntypedStorage([1, 2, 3]).tolist()
    x, t = ember.zeros(3), torch.zeros(3)
    s = x.untyped_storage()
    assert isinstance(s, ember.UntypedStorage)
    assert (s.__sizeof__(), s.nbytes(), s.tolist()) == \
        (t.untyped_storage().__sizeof__(), t.untyped_storage().nbytes(),
         t.untyped_storage().tolist())
    assert x[1:].untyped_storage().data_ptr() == s.data_ptr()
    assert repr(ember.UntypedStorage([7])).endswith("[ember.storage.UntypedStorage(device=cpu) "
                                                    "of size 1]")


def test_tensor_device_flags_and_assert():
    x, t = ember.ones(2), torch.ones(2)
    assert (x.is_mps, x.is_xpu, x.is_meta) == (t.is_mps, t.is_xpu, t.is_meta) == (False,) * 3
    ember._assert(True, "fine")
    for lib in (torch, ember):
        with pytest.raises(AssertionError, match="^broken$"):
            lib._assert(False, "broken")


def test_missing_submodule_is_a_missing_attribute(monkeypatch):
    monkeypatch.setattr(ember, "_LAZY_SUBMODULES", ember._LAZY_SUBMODULES | {"no_such_mod"})
    assert not hasattr(ember, "no_such_mod")
    with pytest.raises(AttributeError, match="no attribute 'no_such_mod'"):
        ember.no_such_mod
    assert hasattr(ember, "profiler") and hasattr(ember, "accelerator")


# --- top-level functional aliases ----------------------------------------------------------

def test_every_top_level_functional_alias_exists():
    import torch.nn.functional as F
    names = {n for n in dir(torch) if not n.startswith("_") and hasattr(F, n)
             and callable(getattr(torch, n))}
    lacking = {"channel_shuffle", "native_channel_shuffle", "conv_tbc", "embedding_bag"}
    assert sorted(n for n in names - lacking if not hasattr(ember, n)) == []


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal(s).astype(np.float32) for k, s in
            [("img", (2, 3, 8, 8)), ("w", (4, 3, 3, 3)), ("a", (4, 5)), ("b", (4, 5)),
             ("c", (4, 5)), ("emb", (10, 3))]}


@pytest.mark.parametrize("call", [
    lambda lib, d: lib.max_pool2d(d["img"], 2),
    lambda lib, d: lib.max_pool2d(d["img"], 3, 2, 1, 1, True),
    lambda lib, d: lib.conv2d(d["img"], d["w"], None, 1, 1),
    lambda lib, d: lib.avg_pool1d(d["a"][None], 2),
    lambda lib, d: lib.adaptive_max_pool1d(d["a"][None], 2),
    lambda lib, d: lib.embedding(d["emb"], lib.tensor([[1, 2], [0, 9]])),
    lambda lib, d: lib.embedding(d["emb"], lib.tensor([1, 2, 1]), 1),
    lambda lib, d: lib.batch_norm(d["img"], lib.ones(3), lib.zeros(3), lib.zeros(3),
                                  lib.ones(3), False, 0.1, 1e-5, True),
    lambda lib, d: lib.layer_norm(d["a"], [5]),
    lambda lib, d: lib.group_norm(d["img"], 3),
    lambda lib, d: lib.kl_div(d["a"], d["b"], 2),
    lambda lib, d: lib.kl_div(d["a"], d["b"], reduction=0, log_target=True),
    lambda lib, d: lib.binary_cross_entropy_with_logits(d["a"], d["b"].sigmoid(), None, None, 2),
    lambda lib, d: lib.margin_ranking_loss(d["a"], d["b"], d["c"].sign(), 0.5, 0),
    lambda lib, d: lib.triplet_margin_loss(d["a"], d["b"], d["c"], 1.0, 2.0, 1e-6, True, 1),
    lambda lib, d: lib.hinge_embedding_loss(d["a"], d["c"].sign(), 1.0, 1),
    lambda lib, d: lib.poisson_nll_loss(d["a"], d["b"].abs(), True, False, 1e-8, 1),
    lambda lib, d: lib.cosine_similarity(d["a"], d["b"]),
    lambda lib, d: lib.pixel_shuffle(d["img"][:, :1].repeat(1, 4, 1, 1), 2),
    lambda lib, d: lib.selu(d["a"]), lambda lib, d: lib.threshold(d["a"], 0.1, 20.0),
    lambda lib, d: lib.dropout(d["a"], 0.5, False),
])
def test_top_level_functional_matches_torch(call):
    data = _inputs()
    ours = call(ember, {k: ember.tensor(v) for k, v in data.items()})
    theirs = call(torch, {k: torch.tensor(v) for k, v in data.items()})
    assert_close(ours, theirs)


# --- torch._C ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs", [
    (("float64",), {}), (("cpu", "float16"), {"non_blocking": True}), (("int32-tensor",), {}),
    ((), {"memory_format": "channels_last"}), (("cpu",), {}), ((), {"dtype": "int8"}),
    (("float32", True), {}),
])
def test_c_parse_to_matches_torch(args, kwargs):
    from ember._C import _nn

    def convert(lib, value):
        if value == "int32-tensor":
            return lib.zeros(2, dtype=lib.int32)
        named = {"float64", "float16", "float32", "int8", "channels_last"}
        return getattr(lib, value) if value in named else value

    def normal(result):
        return tuple(None if r is None else str(r).split(".")[-1] for r in result)

    ours = _nn._parse_to(*[convert(ember, a) for a in args],
                         **{k: convert(ember, v) for k, v in kwargs.items()})
    theirs = torch._C._nn._parse_to(*[convert(torch, a) for a in args],
                                    **{k: convert(torch, v) for k, v in kwargs.items()})
    assert normal(ours) == normal(theirs)


def test_c_hooks():
    from ember import _C
    assert _C._log_api_usage_once("python.some_library") is None
    assert _C._get_tracing_state() is None is torch._C._get_tracing_state()
    assert isinstance(ember.Tensor, _C._TensorMeta) and _C.TensorBase is ember.Tensor
    try:
        _C._set_grad_enabled(False)
        assert not ember.is_grad_enabled()
    finally:
        _C._set_grad_enabled(True)
    assert ember.is_grad_enabled()
    assert _C._cuda_getDeviceCount() == ember.cuda.device_count()
    assert _C.ScriptModule is ember.jit.ScriptModule
    with _C.DisableTorchFunctionSubclass(), _C.DisableTorchFunction():
        assert (ember.ones(2) + 1).tolist() == [2.0, 2.0]
    with pytest.raises(AttributeError, match="compiled core"):
        _C._jit_pass_inline


# --- pytree --------------------------------------------------------------------------------

_NT = collections.namedtuple("_NT", "x y")


def _trees():
    return [
        {"a": [1, (2, 3)], "b": _NT(4, collections.OrderedDict(z=5, y=6)), "c": None,
         "d": collections.defaultdict(list, {"k": 7}), "e": collections.deque([8, 9], maxlen=3)},
        [], (), {}, 5, None, [[[]]], ({"x": [1.5]},), _NT([1], {"q": 2}),
    ]


@pytest.mark.parametrize("index", range(9))
def test_pytree_flatten_matches_torch(index):
    tree = _trees()[index]
    leaves, spec = epytree.tree_flatten(tree)
    tleaves, tspec = tpytree.tree_flatten(tree)
    assert leaves == tleaves and repr(spec) == repr(tspec) and str(spec) == str(tspec)
    assert (spec.num_leaves, spec.num_nodes, spec.num_children, spec.is_leaf()) == \
        (tspec.num_leaves, tspec.num_nodes, tspec.num_children, tspec.is_leaf())
    assert epytree.tree_unflatten(leaves, spec) == tree
    assert epytree.tree_leaves(tree) == tpytree.tree_leaves(tree)
    assert epytree.treespec_pprint(spec) == tpytree.treespec_pprint(tspec)
    assert [(epytree.keystr(k), v) for k, v in epytree.tree_leaves_with_path(tree)] == \
        [(tpytree.keystr(k), v) for k, v in tpytree.tree_leaves_with_path(tree)]
    double = lambda v: v * 2 if isinstance(v, (int, float)) else v  # noqa: E731
    assert epytree.tree_map(double, tree) == tpytree.tree_map(double, tree)
    assert epytree.tree_map_only(int, double, tree) == tpytree.tree_map_only(int, double, tree)
    assert epytree.tree_structure(tree) == epytree.tree_structure(epytree.tree_map(double, tree))


def test_pytree_map_with_rests_paths_and_predicates():
    a, b = {"p": [1, (2,)], "q": 3}, {"q": 30, "p": [10, (20,)]}
    add = lambda x, y: x + y  # noqa: E731
    assert epytree.tree_map(add, a, b) == tpytree.tree_map(add, a, b) == {"p": [11, (22,)], "q": 33}
    with_path = lambda kp, x: f"{epytree.keystr(kp)}={x}"  # noqa: E731
    assert epytree.tree_map_with_path(with_path, a) == \
        tpytree.tree_map_with_path(lambda kp, x: f"{tpytree.keystr(kp)}={x}", a)
    for fn in ("tree_all", "tree_any"):
        assert getattr(epytree, fn)(lambda x: x > 1, a) == getattr(tpytree, fn)(lambda x: x > 1, a)
    assert epytree.tree_all_only(int, lambda x: x < 5, [1, "s", 4.0]) is True
    assert epytree.tree_any_only(str, lambda x: x == "s", [1, "s"]) is True
    seen = []
    assert epytree.tree_map_(seen.append, a) is a and seen == [1, 2, 3]
    nested = {"k": [1, 2]}
    assert epytree.tree_flatten(nested, is_leaf=lambda x: isinstance(x, list))[0] == [[1, 2]]


@pytest.mark.parametrize("bad_tree", [[1], (1, 2), [1, 2, 3]])
def test_pytree_mismatch_errors_match_torch(bad_tree):
    with pytest.raises(ValueError) as theirs:
        tpytree.tree_map(lambda x, y: x, [1, 2], bad_tree)
    with pytest.raises(ValueError) as ours:
        epytree.tree_map(lambda x, y: x, [1, 2], bad_tree)
    assert str(ours.value) == str(theirs.value)


def test_pytree_unflatten_errors_match_torch():
    spec, tspec = epytree.tree_structure([1, 2]), tpytree.tree_structure([1, 2])
    with pytest.raises(ValueError) as theirs:
        tpytree.tree_unflatten([1], tspec)
    with pytest.raises(ValueError) as ours:
        epytree.tree_unflatten([1], spec)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError) as theirs:
        tpytree.register_pytree_node(list, lambda x: (x, None), lambda v, c: v)
    with pytest.raises(ValueError) as ours:
        epytree.register_pytree_node(list, lambda x: (x, None), lambda v, c: v)
    assert str(ours.value) == str(theirs.value)


def test_pytree_dumps_loads_match_torch():
    tree = {"a": [1, (2, 3)], "b": None, "c": collections.OrderedDict(x=1)}
    spec, tspec = epytree.tree_structure(tree), tpytree.tree_structure(tree)
    assert epytree.treespec_dumps(spec) == tpytree.treespec_dumps(tspec)
    assert epytree.treespec_loads(epytree.treespec_dumps(spec)) == spec
    with pytest.raises(NotImplementedError):
        epytree.treespec_dumps(epytree.tree_structure(_NT(1, 2)))


def test_pytree_dict_helpers_register_a_mapping_like_torch():
    class Record(collections.OrderedDict):
        pass

    d = {"b": 1, "a": [2, 3]}
    assert epytree._dict_flatten(d) == tpytree._dict_flatten(d)
    assert epytree._dict_unflatten([1, 2], ["x", "y"]) == tpytree._dict_unflatten([1, 2], ["x", "y"])
    ours, theirs = epytree._dict_flatten_with_keys(d), tpytree._dict_flatten_with_keys(d)
    assert [(str(k), v) for k, v in ours[0]] == [(str(k), v) for k, v in theirs[0]] and ours[1] == theirs[1]
    results = []
    for lib in (epytree, tpytree):
        lib.register_pytree_node(Record, lambda r: (list(r.values()), list(r)),
                                 lambda v, c: Record(zip(c, v)),
                                 flatten_with_keys_fn=lib._dict_flatten_with_keys)
        paths = lib.tree_flatten_with_path(Record(x=1, y=[2, 3]))[0]
        results.append([(lib.keystr(p), v) for p, v in paths])
    assert results[0] == results[1] == [("['x']", 1), ("['y'][0]", 2), ("['y'][1]", 3)]


def test_pytree_custom_node_like_torch():
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __eq__(self, other):
            return (self.x, self.y) == (other.x, other.y)

    for lib in (epytree, tpytree):
        lib.register_pytree_node(Point, lambda p: ([p.x, p.y], None),
                                 lambda v, c: Point(*v), serialized_type_name="test.Point",
                                 flatten_with_keys_fn=lambda p: ([(lib.GetAttrKey("x"), p.x),
                                                                  (lib.GetAttrKey("y"), p.y)],
                                                                 None))
    try:
        tree = [Point(1, [2, 3])]
        assert epytree.tree_leaves(tree) == tpytree.tree_leaves(tree) == [1, 2, 3]
        assert repr(epytree.tree_structure(tree)) == repr(tpytree.tree_structure(tree))
        assert epytree.tree_map(lambda v: v + 1, tree) == [Point(2, [3, 4])]
        assert epytree.keystr(epytree.tree_leaves_with_path(tree)[2][0]) == \
            tpytree.keystr(tpytree.tree_leaves_with_path(tree)[2][0]) == "[0].y[1]"
    finally:
        epytree.SUPPORTED_NODES.pop(Point)
        tpytree.SUPPORTED_NODES.pop(Point)
    assert epytree.is_namedtuple(_NT) and epytree.is_namedtuple_instance(_NT(1, 2))
    assert epytree.tree_leaves(ember.Size([2, 3])) == [2, 3]


# --- jit, fx, compiler, _dynamo, onnx, overrides, accelerator --------------------------------

def test_jit_surface():
    from ember import jit
    assert jit.Final is typing.Final is torch.jit.Final
    model = ember.nn.Linear(2, 2)
    assert jit.script(model) is model and not isinstance(model, jit.ScriptModule)
    with pytest.raises(RuntimeError, match="no TorchScript"):
        jit.ScriptModule()
    with pytest.raises(RuntimeError, match="no TorchScript"):
        jit.ScriptFunction()
    assert jit.is_scripting() is torch.jit.is_scripting() is False

    def f(x):
        return x + 1
    assert jit.ignore(f) is f and jit.unused(f) is f and jit.export(f) is f
    assert jit.ignore(drop=True)(f) is f
    assert jit.wait(jit.fork(f, 1)) == 2
    assert jit.annotations.BroadcastingList2[int] == typing.Union[int, typing.Tuple[int, int]]


def test_fx_compiler_dynamo_onnx():
    def f(x):
        return x

    assert ember.fx.wrap(f) is f and ember.fx.wrap("name") == "name"
    with pytest.raises(NotImplementedError, match="no torch.fx graph capture"):
        ember.fx.symbolic_trace(ember.nn.Linear(2, 2))
    assert not isinstance(ember.ones(1), ember.fx.Proxy)
    assert ember.compiler.disable(f) is f and ember.compiler.disable()(f) is f
    assert ember.compiler.is_compiling() is torch.compiler.is_compiling() is False
    inner = ember.nn.Linear(2, 3)
    wrapped = ember._dynamo.OptimizedModule(inner)
    x = ember.ones(4, 2)
    assert wrapped._orig_mod is inner and wrapped(x).tolist() == inner(x).tolist()
    assert list(wrapped.state_dict()) == ["_orig_mod.weight", "_orig_mod.bias"]
    with pytest.raises(ember.onnx.OnnxExporterError, match="cannot export ONNX"):
        ember.onnx.export(inner, (x,), "model.onnx")
    assert isinstance(ember.onnx.OnnxExporterError(), RuntimeError)


def test_overrides_and_accelerator():
    x, t = ember.ones(1), torch.ones(1)
    for name in ("has_torch_function",):
        assert getattr(ember.overrides, name)((x,)) == getattr(torch.overrides, name)((t,))
    assert ember.overrides.is_tensor_like(x) and not ember.overrides.is_tensor_like(1)
    assert ember.overrides.resolve_name(ember.add) == "ember.add"
    assert ember.accelerator.is_available() == ember.cuda.is_available()
    if not ember.cuda.is_available():
        assert ember.accelerator.current_accelerator() is None
        assert ember.accelerator.device_count() == 0


def test_backends_are_modules():
    import types
    import ember.backends.cudnn as cudnn
    for name in ("cudnn", "mps", "mkldnn", "cuda", "openmp"):
        assert isinstance(getattr(ember.backends, name), types.ModuleType)
    assert cudnn.is_available() is False and ember.backends.mps.is_available() is False
    saved = cudnn.benchmark
    with cudnn.flags(enabled=False, benchmark=True):
        assert (cudnn.enabled, cudnn.benchmark) == (False, True)
    assert (cudnn.enabled, cudnn.benchmark) == (True, saved)


def test_cuda_amp_and_stream_classes():
    with pytest.warns(FutureWarning, match="torch.amp.GradScaler"):
        scaler = ember.cuda.amp.GradScaler(enabled=False)
    assert isinstance(scaler, ember.amp.GradScaler)
    with pytest.warns(FutureWarning, match="torch.amp.autocast"):
        region = ember.cuda.amp.autocast()
    with region:
        assert ember.is_autocast_enabled("cuda")
    for cls in (ember.cuda.Stream, ember.cuda.Event, ember.cuda.CUDAGraph):
        assert isinstance(cls, type)
    with pytest.raises(NotImplementedError, match="CUDA graphs"):
        ember.cuda.CUDAGraph()
    if not ember.cuda.is_available():
        with pytest.raises(RuntimeError):
            ember.cuda.Stream()


def test_multiprocessing_is_the_stdlib_plus_torch_extras():
    import multiprocessing
    import ember.multiprocessing as mp
    assert mp.Process is multiprocessing.Process and mp.get_context is multiprocessing.get_context
    assert mp.get_all_sharing_strategies() == torch.multiprocessing.get_all_sharing_strategies()
    saved = mp.get_sharing_strategy()
    mp.set_sharing_strategy("file_system")
    assert mp.get_sharing_strategy() == "file_system"
    mp.set_sharing_strategy(saved)


# --- hub -----------------------------------------------------------------------------------

def test_hub_reads_the_local_cache_and_never_downloads(tmp_path, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("ember.hub reached for the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "home"))
    assert ember.hub.get_dir() == torch.hub.get_dir() == str(tmp_path / "home" / "hub")
    url = "https://download.example.org/models/tiny-0123.pth"
    cached = tmp_path / "home" / "hub" / "checkpoints" / "tiny-0123.pth"
    with pytest.raises(ember.hub.HubOfflineError, match="does not download") as err:
        ember.hub.load_state_dict_from_url(url)
    assert str(cached) in str(err.value)
    cached.parent.mkdir(parents=True)
    ember.save({"w": ember.arange(3.0)}, str(cached))
    assert ember.hub.load_state_dict_from_url(url)["w"].tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ember.hub.HubOfflineError):
        ember.hub.load("owner/repo", "model")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "hubconf.py").write_text(
        "def tiny(scale=1):\n    '''A tiny entry.'''\n    return 2 * scale\n")
    assert ember.hub.load(str(tmp_path / "repo"), "tiny", scale=3, source="local") == 6
    assert ember.hub.list(str(tmp_path / "repo"), source="local") == ["tiny"]


def test_hub_hash_regex_is_torchs():
    for name in ["resnet18-f37072fd.pth", "model.pt", "a-b-0123abc.tar.gz"]:
        ours, theirs = ember.hub.HASH_REGEX.search(name), torch.hub.HASH_REGEX.search(name)
        assert (ours and ours.group(1)) == (theirs and theirs.group(1))


# --- profiler and FLOP counter -------------------------------------------------------------

def test_profiler_times_ops_and_regions():
    from ember._ops.base import Op
    from ember.profiler import ProfilerActivity, profile, record_function
    plain_call = Op.__call__
    x = ember.randn(32, 32)
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        with record_function("forward"):
            for _ in range(3):
                (x @ x).relu()
    assert Op.__call__ is plain_call  # unhooked after the block
    averages = {e.key: e for e in prof.key_averages()}
    assert averages["ember::MatMul"].count == 3 and averages["ember::Relu"].count == 3
    region = averages["forward"]
    inner = averages["ember::MatMul"].cpu_time_total + averages["ember::Relu"].cpu_time_total
    assert region.cpu_time_total >= inner > 0
    assert abs(region.self_cpu_time_total - (region.cpu_time_total - inner)) < 1.0
    by_shape = prof.key_averages(group_by_input_shape=True)
    assert [e.input_shapes for e in by_shape if e.key == "ember::MatMul"] == [[[32, 32], [32, 32]]]
    table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=2)
    # torch's header row (starting torch's profiler here would cost seconds)
    assert table.split("\n")[1].split() == \
        "Name Self CPU % Self CPU CPU total % CPU total CPU time avg # of Calls".split()
    assert table.split("\n")[3].split()[0] == "forward" and len(table.split("\n")) == 8
    assert table.split("\n")[-2].startswith("Self CPU time total: ")
    unmeasured = prof.key_averages().table(sort_by="cuda_time_total")  # the tutorials' sort key
    assert unmeasured.split("\n")[3].split()[0] == "forward"


def test_profiler_schedule_matches_torch():
    kwargs = dict(wait=1, warmup=1, active=2, repeat=2, skip_first=1)
    ours, theirs = ember.profiler.schedule(**kwargs), torch.profiler.schedule(**kwargs)
    assert [ours(i).name for i in range(14)] == [theirs(i).name for i in range(14)]
    saved = []
    x = ember.ones(3)
    with ember.profiler.profile(schedule=ember.profiler.schedule(wait=1, warmup=1, active=1),
                                on_trace_ready=lambda p: saved.append(
                                    sum(e.count for e in p.key_averages()))) as prof:
        for step in range(6):
            for _ in range(step + 1):
                x.exp()
            prof.step()
    assert saved == [3, 6]  # steps 2 and 5 recorded, 3 and 6 exps


def test_autograd_profiler_and_chrome_trace(tmp_path):
    from ember.autograd import profiler
    with profiler.profile() as prof:
        ember.ones(2).exp()
    assert [e.name for e in prof.function_events] == ["ember::Exp"]
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    import json
    assert json.loads(path.read_text())["traceEvents"][0]["name"] == "ember::Exp"
    with profiler.profile(enabled=False) as off:
        ember.ones(2).exp()
    assert list(off.function_events) == []


def test_flop_counter_matches_torch():
    from torch.utils.flop_counter import FlopCounterMode as TFlops
    from ember.utils.flop_counter import FlopCounterMode

    def run(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Conv2d(3, 4, 3), lib.nn.Flatten(),
                                  lib.nn.Linear(4 * 6 * 6, 5), lib.nn.ReLU())
        deconv = lib.nn.ConvTranspose2d(4, 2, 3, stride=2)
        x = lib.randn(2, 3, 8, 8)
        model(x)
        deconv(lib.randn(1, 4, 5, 5))
        lib.randn(2, 3, 4) @ lib.randn(2, 4, 5)
        lib.randn(4) @ lib.randn(4)

    with TFlops(display=False) as theirs:
        run(torch)
    with FlopCounterMode(display=False) as ours:
        run(ember)
    assert ours.get_total_flops() == theirs.get_total_flops() > 0


# --- nn.utils.fusion -----------------------------------------------------------------------

def _fusable(lib, kind, bias, params):
    """A layer and an eval-mode BatchNorm with the given weights and running statistics."""
    layer = {"conv": lambda: lib.nn.Conv2d(3, 4, 3, bias=bias),
             "deconv": lambda: lib.nn.ConvTranspose2d(3, 4, 3, bias=bias),
             "linear": lambda: lib.nn.Linear(5, 4, bias=bias)}[kind]()
    bn = lib.nn.BatchNorm2d(4) if kind != "linear" else lib.nn.BatchNorm1d(4)
    layer.load_state_dict({k: lib.tensor(params[k]) for k in layer.state_dict()})
    bn.load_state_dict({k: lib.tensor(v) for k, v in params["bn"].items()})
    return layer.eval(), bn.eval()


@pytest.mark.parametrize("kind", ["conv", "deconv", "linear"])
@pytest.mark.parametrize("bias", [True, False])
def test_fusion_matches_torch(kind, bias):
    from ember.nn.utils import fusion
    from torch.nn.utils import fusion as tfusion
    rng = np.random.default_rng(1)
    w_shape = {"conv": (4, 3, 3, 3), "deconv": (3, 4, 3, 3), "linear": (4, 5)}[kind]
    params = {"weight": rng.standard_normal(w_shape).astype(np.float32),
              "bias": rng.standard_normal(4).astype(np.float32),
              "bn": {"weight": np.float32([1.0, 2.0, -1.0, 0.5]), "bias": np.float32([0, 1, 2, 3]),
                     "running_mean": np.float32([0.1, -0.2, 0.3, 0.0]),
                     "running_var": np.float32([1.5, 0.5, 2.0, 1.0]),
                     "num_batches_tracked": np.int64(0)}}
    x = rng.standard_normal((2, 3, 6, 6) if kind != "linear" else (3, 5)).astype(np.float32)
    results = []
    for lib, fuse in ((ember, fusion), (torch, tfusion)):
        layer, bn = _fusable(lib, kind, bias, params)
        fused = (fuse.fuse_linear_bn_eval(layer, bn) if kind == "linear"
                 else fuse.fuse_conv_bn_eval(layer, bn, transpose=kind == "deconv"))
        results.append((fused(lib.tensor(x)), bn(layer(lib.tensor(x))), fused.weight, fused.bias))
        assert fused.bias.requires_grad == bias
    assert_close(results[0][0], results[0][1], atol=1e-5)  # fused equals layer then bn
    for ours, theirs in zip(results[0], results[1]):
        assert_close(ours, theirs, atol=1e-5)
    layer, bn = _fusable(ember, kind, bias, params)
    with pytest.raises(AssertionError, match="Fusion only for eval!"):
        (fusion.fuse_linear_bn_eval if kind == "linear" else fusion.fuse_conv_bn_eval)(
            layer.train(), bn)


def test_library_stand_ins_that_transformers_imports():
    from ember._dynamo._trace_wrapped_higher_order_op import TransformGetItemToIndex
    from ember.autograd.graph import save_on_cpu
    from ember.nn.attention import SDPBackend, sdpa_kernel
    from ember.nn.attention import flex_attention as flex
    from torch.nn.attention import SDPBackend as TSDPBackend
    import torch.nn.attention.flex_attention as tflex
    assert {b.name: b.value for b in SDPBackend} == {k: int(v) for k, v in TSDPBackend.__members__.items()}
    assert flex._DEFAULT_SPARSE_BLOCK_SIZE == tflex._DEFAULT_SPARSE_BLOCK_SIZE
    x = ember.arange(6.0, requires_grad=True)
    with sdpa_kernel([SDPBackend.MATH]), save_on_cpu(pin_memory=True), TransformGetItemToIndex():
        y = (x[ember.tensor(2)] * x).sum()
    y.backward()
    assert x.grad.tolist() == [2.0, 2.0, 17.0, 2.0, 2.0, 2.0]
    with pytest.raises(AssertionError, match="SDPBackend"):
        with sdpa_kernel(["MATH"]):
            pass
    for call in (lambda: flex.create_block_mask(None, 1, 1, 4, 4), lambda: flex.BlockMask()):
        with pytest.raises(NotImplementedError, match="flex attention"):
            call()
    assert not isinstance(x, flex.BlockMask) and flex.AuxRequest(lse=True).lse
    with ember.cuda.StreamContext(None), ember.cuda.stream(None):
        pass
    with pytest.raises(NotImplementedError, match="CUDA graphs"):
        ember.cuda.graph(None)


def test_torch_function_mode_and_node_type_names(tmp_path):
    from ember.overrides import TorchFunctionMode

    class Counting(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            raise AssertionError("ember does not dispatch to modes")

    with Counting() as mode:
        assert (ember.ones(2) + 1).tolist() == [2.0, 2.0]
    assert isinstance(mode, TorchFunctionMode)
    nt = collections.namedtuple("P", "a b")(1, 2)
    for tree in ([1], {"a": 1}, nt, 3):
        assert epytree._get_node_type(tree) is tpytree._get_node_type(tree)


def test_pytorch_file_reader_reads_torch_checkpoints(tmp_path):
    path = tmp_path / "m.pt"
    torch.save({"w": torch.arange(5, dtype=torch.float32)}, path)
    ours, theirs = ember.PyTorchFileReader(str(path)), torch._C.PyTorchFileReader(str(path))
    assert ours.get_all_records() == sorted(theirs.get_all_records())
    for name in ours.get_all_records():
        assert ours.get_record(name) == bytes(theirs.get_record(name))
        assert ours.has_record(name)
    assert ours.get_record_offset("data/0") == theirs.get_record_offset("data/0")
    assert ours.get_storage_from_record("data/0", 5, ember.float32).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="failed locating file nothing"):
        ours.get_record("nothing")


def test_lightning_probes_cuda_rng_kineto_and_script_module():
    assert ember.cuda.get_rng_state_all() == [] == torch.cuda.get_rng_state_all()
    ember.cuda.set_rng_state_all([])
    with pytest.raises(NotImplementedError):
        ember.cuda.set_rng_state_all([ember.zeros(2, dtype=ember.uint8)])
    assert ember.profiler.kineto_available() is False
    assert ember.ScriptModule is ember.jit.ScriptModule and ember.ScriptFunction is ember.jit.ScriptFunction
