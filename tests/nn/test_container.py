"""Containers against torch: indexing, mutation, registered names, reprs and errors."""
from collections import OrderedDict

import pytest

import ember

torch = pytest.importorskip("torch")


def leaves(lib):
    """Three distinguishable leaf modules (their reprs differ) built on ``lib``."""
    class Leaf(lib.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def forward(self, x):
            return x * 10 + self.k

        def extra_repr(self):
            return f"k={self.k}"
    return [Leaf(k) for k in range(4)]


def norm(text):
    return str(text).replace("torch.", "ember.")


def state(m):
    """What a container looks like from outside: child names, reprs, len."""
    return list(m._modules), norm(repr(m)), len(m)


def both(fn):
    """fn(lib, leaves) for torch and ember; results (exceptions as (type, message)) compared."""
    def run(lib):
        try:
            return fn(lib, leaves(lib))
        except Exception as e:  # compared between libraries below
            return type(e), norm(e)
    e, t = run(ember), run(torch)
    assert e == t
    return e


# -- Sequential -----------------------------------------------------------------------
@pytest.mark.parametrize("op", [
    lambda lib, L: state(lib.nn.Sequential(*L)),
    lambda lib, L: state(lib.nn.Sequential(OrderedDict(a=L[0], b=L[1]))),
    lambda lib, L: state(lib.nn.Sequential(*L)[1:3]),
    lambda lib, L: state(lib.nn.Sequential(OrderedDict(a=L[0], b=L[1], c=L[2]))[::2]),
    lambda lib, L: repr(lib.nn.Sequential(*L)[-1]),
    lambda lib, L: lib.nn.Sequential(*L)[4],
    lambda lib, L: lib.nn.Sequential(*L)[-5],
    lambda lib, L: state(lib.nn.Sequential(L[0]).append(L[1]).extend([L[2], L[3]])),
    lambda lib, L: state(lib.nn.Sequential(L[0], L[1]).insert(1, L[2])),
    lambda lib, L: state(lib.nn.Sequential(L[0], L[1]).insert(-1, L[2])),
    lambda lib, L: lib.nn.Sequential(L[0]).insert(3, L[2]),
    lambda lib, L: lib.nn.Sequential(L[0]).insert(0, 3),
    lambda lib, L: (repr(lib.nn.Sequential(*L).pop(1)),),
    lambda lib, L: state(_deleted(lib.nn.Sequential(*L), 1)),
    lambda lib, L: state(_deleted(lib.nn.Sequential(*L), slice(0, 2))),
    lambda lib, L: state(_deleted(lib.nn.Sequential(OrderedDict(a=L[0], b=L[1], c=L[2])), -2)),
    lambda lib, L: state(_set(lib.nn.Sequential(L[0], L[1]), -1, L[3])),
    lambda lib, L: state(lib.nn.Sequential(L[0]) + lib.nn.Sequential(L[1], L[2])),
    lambda lib, L: lib.nn.Sequential(L[0]) + [L[1]],
    lambda lib, L: state(_iadd(lib.nn.Sequential(L[0]), lib.nn.Sequential(L[1]))),
    lambda lib, L: state(lib.nn.Sequential(L[0], L[1]) * 2),
    lambda lib, L: state(2 * lib.nn.Sequential(L[0])),
    lambda lib, L: state(_imul(lib.nn.Sequential(L[0], L[1]), 3)),
    lambda lib, L: lib.nn.Sequential(L[0]) * 0,
    lambda lib, L: lib.nn.Sequential(L[0]) * 1.5,
    lambda lib, L: [repr(m) for m in lib.nn.Sequential(*L)],
    lambda lib, L: "0" in dir(lib.nn.Sequential(*L)),
    lambda lib, L: lib.nn.Sequential(*L[:3])(lib.tensor(1.0)).item(),
    lambda lib, L: lib.nn.Sequential()(lib.tensor(1.0)).item(),
    lambda lib, L: lib.nn.Sequential(L[0], 3),
])
def test_sequential(op):
    both(op)


def _deleted(m, idx):
    del m[idx]
    return m


def _set(m, idx, value):
    m[idx] = value
    return m


def _iadd(m, other):
    m += other
    return m


def _imul(m, n):
    m *= n
    return m


def test_sequential_state_dict_keys():
    seqs = {}
    for lib in (ember, torch):
        inner = lib.nn.Module()
        inner.w = lib.nn.Parameter(lib.ones(1))
        seqs[lib.__name__] = lib.nn.Sequential(lib.nn.Sequential(inner), inner)
    assert list(seqs["ember"].state_dict()) == list(seqs["torch"].state_dict()) == ["0.0.w", "1.w"]
    assert len(list(seqs["ember"].parameters())) == 1


# -- ModuleList -------------------------------------------------------------------------
@pytest.mark.parametrize("op", [
    lambda lib, L: state(lib.nn.ModuleList(L)),
    lambda lib, L: state(lib.nn.ModuleList()),
    lambda lib, L: state(lib.nn.ModuleList([L[0], L[0], L[0], L[1], L[1], L[2]])),
    lambda lib, L: state(lib.nn.ModuleList([lib.nn.Sequential(L[0]), lib.nn.Sequential(L[0])])),
    lambda lib, L: state(lib.nn.ModuleList(L)[1:]),
    lambda lib, L: repr(lib.nn.ModuleList(L)[-2]),
    lambda lib, L: lib.nn.ModuleList(L)[7],
    lambda lib, L: state(lib.nn.ModuleList([L[0]]).append(L[1]).extend(L[2:])),
    lambda lib, L: lib.nn.ModuleList().extend(L[0]),
    lambda lib, L: state(_inserted(lib.nn.ModuleList(L[:2]), 0, L[3])),
    lambda lib, L: state(_iadd(lib.nn.ModuleList(L[:1]), L[1:3])),
    lambda lib, L: state(lib.nn.ModuleList(L[:1]) + lib.nn.ModuleList(L[1:3])),
    lambda lib, L: state(_deleted(lib.nn.ModuleList(L), 0)),
    lambda lib, L: state(_deleted(lib.nn.ModuleList(L), slice(1, 3))),
    lambda lib, L: state(_set(lib.nn.ModuleList(L[:2]), -2, L[3])),
    lambda lib, L: (repr(lib.nn.ModuleList(L).pop(-1)),),
    lambda lib, L: lib.nn.ModuleList(L)(1),
    lambda lib, L: [repr(m) for m in lib.nn.ModuleList(L)],
])
def test_module_list(op):
    both(op)


def _inserted(m, idx, value):
    m.insert(idx, value)
    return m


# -- ModuleDict -------------------------------------------------------------------------
@pytest.mark.parametrize("op", [
    lambda lib, L: state(lib.nn.ModuleDict({"b": L[0], "a": L[1]})),
    lambda lib, L: state(lib.nn.ModuleDict([("x", L[0]), ("y", L[1])])),
    lambda lib, L: lib.nn.ModuleDict([("x", L[0], 1)]),
    lambda lib, L: lib.nn.ModuleDict([3]),
    lambda lib, L: lib.nn.ModuleDict(3),
    lambda lib, L: lib.nn.ModuleDict({"a.b": L[0]}),
    lambda lib, L: _dict_ops(lib.nn.ModuleDict({"b": L[0], "a": L[1]}), L),
    lambda lib, L: lib.nn.ModuleDict()["missing"],
])
def test_module_dict(op):
    both(op)


def _dict_ops(d, L):
    d["c"] = L[2]
    d.update(type(d)({"d": L[3]}))
    out = [list(d.keys()), [repr(v) for v in d.values()], [k for k, _ in d.items()], "a" in d,
           list(d), repr(d.pop("a")), len(d)]
    del d["b"]
    out.append(list(d))
    d.clear()
    return out + [len(d)]


# -- ParameterList / ParameterDict ---------------------------------------------------------
def _param_list(lib):
    pl = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2)), lib.zeros(3, 2)])
    pl.append(lib.ones(1, dtype=lib.float64))
    pl.extend([lib.nn.Parameter(lib.ones(2), requires_grad=False)])
    return pl


@pytest.mark.parametrize("op", [
    lambda lib, L: norm(repr(_param_list(lib))),
    lambda lib, L: [type(p).__name__ for p in _param_list(lib)],
    lambda lib, L: [n for n, _ in _param_list(lib).named_parameters()],
    lambda lib, L: [tuple(p.shape) for p in _param_list(lib)[1:3]],
    lambda lib, L: tuple(_param_list(lib)[-1].shape),
    lambda lib, L: _param_list(lib)[9],
    lambda lib, L: _param_list(lib)(1),
    lambda lib, L: lib.nn.ParameterList(lib.ones(2)),
    lambda lib, L: norm(repr(lib.nn.ParameterList([5, lib.ones(1)]))),
    lambda lib, L: list(lib.nn.ParameterList([lib.ones(1)]).state_dict()),
    lambda lib, L: repr(lib.nn.ParameterList()),
])
def test_parameter_list(op):
    both(op)


def _param_dict(lib):
    return lib.nn.ParameterDict({"w": lib.ones(2, 3), "b": lib.nn.Parameter(lib.zeros(2))})


def _param_dict_ops(lib):
    d = _param_dict(lib)
    d["c"] = lib.ones(1)
    d.update([("a", lib.ones(4))])
    out = [list(d.keys()), [type(v).__name__ for v in d.values()], "w" in d, len(d),
           tuple(d.get("zz", lib.ones(5)).shape), tuple(d.setdefault("z", lib.ones(6)).shape),
           list(reversed(d)), d.popitem()[0], tuple(d.pop("b").shape), list(d)]
    out.append(list((d | lib.nn.ParameterDict({"q": lib.ones(1)})).keys()))
    d |= {"r": lib.ones(1)}
    out.append(list(d.copy().keys()))
    del d["w"]
    out.append(list(d.state_dict()))
    d.clear()
    return out + [len(d)]


@pytest.mark.parametrize("op", [
    lambda lib, L: norm(repr(_param_dict(lib))),
    lambda lib, L: list(_param_dict(lib).keys()),
    lambda lib, L: list(lib.nn.ParameterDict(OrderedDict(w=lib.ones(1), b=lib.ones(1))).keys()),
    lambda lib, L: _param_dict_ops(lib),
    lambda lib, L: _param_dict(lib)[1],
    lambda lib, L: _param_dict(lib)(1),
    lambda lib, L: lib.nn.ParameterDict(3),
    lambda lib, L: lib.nn.ParameterDict([("a", lib.ones(1), 2)]),
    lambda lib, L: list(lib.nn.ParameterDict().fromkeys(["x", "y"], lib.ones(1)).keys()),
    lambda lib, L: norm(repr(lib.nn.ParameterDict({"o": "text"}))),
])
def test_parameter_dict(op):
    both(op)


def test_parameter_list_shares_and_trains():
    t = ember.ones(2)
    pl = ember.nn.ParameterList([t])
    assert isinstance(pl[0], ember.nn.Parameter) and pl[0].requires_grad
    t.add_(1)
    assert pl[0].tolist() == [2.0, 2.0]
    m = ember.nn.Module()
    m.params = pl
    assert [n for n, _ in m.named_parameters()] == ["params.0"]
