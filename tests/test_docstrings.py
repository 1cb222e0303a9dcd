"""Run the examples in ember's docstrings as doctests, one test per module.

Every module file under ``ember/`` is imported and its docstrings (module, classes, functions,
methods) are searched with :class:`doctest.DocTestFinder`. Each docstring runs with the globals
``ember`` and ``torch`` both bound to the ember package (the way a user writes
``import ember as torch``), after ``ember.manual_seed(0)``, with ``ELLIPSIS`` and
``NORMALIZE_WHITESPACE``. A module whose optional dependency (Pillow, tensorboard, mpi4py, ...)
is missing is skipped, naming the missing package.
"""
import doctest
import importlib
import pathlib

import pytest

import ember

ROOT = pathlib.Path(ember.__file__).parent
# ``python -m ember`` runs the command line on import.
NOT_IMPORTABLE = {"ember.__main__"}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_names():
    """Dotted names of every module file under ``ember/``, in path order."""
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name not in NOT_IMPORTABLE:
            names.append(name)
    return names


def _import(name):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or ""
        if missing.split(".")[0] in ("ember", ""):
            raise
        pytest.skip(f"{name} needs the optional package {missing!r}")


def test_every_module_is_found():
    names = module_names()
    assert {"ember", "ember.nn.modules.linear", "ember.optim.sgd", "ember.vision.ops.boxes",
            "ember.utils.data.dataloader"} <= set(names)
    assert "ember.__main__" not in names and len(names) > 200


@pytest.mark.parametrize("name", module_names())
def test_docstring_examples(name):
    module = _import(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    failures = []
    for test in finder.find(module, name):
        if not test.examples:
            continue
        test.globs = dict(vars(module), ember=ember, torch=ember)
        ember.manual_seed(0)
        out = []
        result = runner.run(test, out=out.append, clear_globs=True)
        if result.failed:
            failures.append("".join(out))
    assert not failures, "\n".join(failures)
