"""The op layer's layout (docs/architecture.md): every Op class lives under ``ember._ops``, and no
op-layer module grows past 1,000 lines."""
import importlib
import pathlib

import ember
from ember._ops.base import Op

_NAMESPACES = ("ember.nn", "ember.nn.functional", "ember.linalg", "ember.fft", "ember.special",
               "ember.distributions", "ember.vision.ops")


def _subclasses(cls):
    found, todo = set(), [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_every_op_class_is_in_the_op_layer():
    for name in _NAMESPACES:
        importlib.import_module(name)
    ops = _subclasses(Op)
    assert len(ops) > 100
    outside = sorted(f"{c.__module__}.{c.__qualname__}" for c in ops
                     if c.__module__.split(".")[0] == "ember"  # not a test's own Op
                     and not c.__module__.startswith("ember._ops."))
    assert outside == []


def test_op_layer_modules_stay_under_1000_lines():
    root = pathlib.Path(ember.__file__).parent / "_ops"
    sizes = {str(p.relative_to(root)): len(p.read_text().splitlines()) for p in root.rglob("*.py")}
    assert len(sizes) > 40
    assert {p: n for p, n in sizes.items() if n > 1000} == {}
