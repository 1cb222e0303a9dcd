"""The package's layout (docs/architecture.md): every Op class lives under ``ember._ops``, and no
module grows past 1,000 lines."""
import importlib
import pathlib

import ember

from .optable.public import all_ops

_NAMESPACES = ("ember.nn", "ember.nn.functional", "ember.linalg", "ember.fft", "ember.special",
               "ember.distributions", "ember.vision.ops")


def test_every_op_class_is_in_the_op_layer():
    for name in _NAMESPACES:
        importlib.import_module(name)
    ops = all_ops()
    assert len(ops) > 100
    outside = sorted(f"{c.__module__}.{c.__qualname__}" for c in ops
                     if c.__module__.split(".")[0] == "ember"  # not a test's own Op
                     and not c.__module__.startswith("ember._ops."))
    assert outside == []


def test_modules_stay_under_1000_lines():
    root = pathlib.Path(ember.__file__).parent
    sizes = {str(p.relative_to(root)): len(p.read_text().splitlines()) for p in root.rglob("*.py")}
    assert len(sizes) > 200
    assert {p: n for p, n in sizes.items() if n > 1000} == {}
