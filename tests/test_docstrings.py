"""Run the examples in ember's docstrings as doctests, one test per module.

Every module file under ``ember/`` is imported and its docstrings (module, classes, functions,
methods) are searched with :class:`doctest.DocTestFinder`. Each docstring runs with only the
globals ``ember`` and ``torch``, both bound to the ember package (the way a user writes
``import ember as torch``), so every example runs as a reader would copy it; it runs after
``ember.manual_seed(0)``, with ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``, and the temporary
files it makes go to the test's own folder. A module whose optional dependency (Pillow,
tensorboard, mpi4py, ...) is missing is skipped, naming the missing package.
"""
import doctest
import enum
import importlib
import inspect
import pathlib
import re
import sys
import tempfile

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
        # ember's own "needs X: pip install ..." errors keep the original one as their context
        missing = exc.name or getattr(exc.__context__, "name", None) or ""
        if missing.split(".")[0] in ("ember", ""):
            raise
        pytest.skip(f"{name} needs the optional package {missing!r}")


def test_every_module_is_found():
    names = module_names()
    assert {"ember", "ember.nn.modules.linear", "ember.optim.sgd", "ember.vision.ops.boxes",
            "ember.utils.data.dataloader"} <= set(names)
    assert "ember.__main__" not in names and len(names) > 200


def test_a_module_without_its_optional_dependency_is_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "ember.utils.tensorboard", raising=False)
    with pytest.raises(pytest.skip.Exception, match="optional package 'tensorboard'"):
        _import("ember.utils.tensorboard")
    monkeypatch.setitem(sys.modules, "ember.nn", None)  # a broken ember import still fails
    monkeypatch.delitem(sys.modules, "ember.nn.init", raising=False)
    with pytest.raises(ImportError):
        _import("ember.nn.init")


@pytest.mark.parametrize("name", module_names())
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # examples' temp files go there
    module = _import(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    failures = []
    for test in finder.find(module, name):
        if not test.examples:
            continue
        test.globs = {"ember": ember, "torch": ember}  # examples import what else they use
        ember.manual_seed(0)
        out = []
        result = runner.run(test, out=out.append, clear_globs=True)
        if result.failed:
            failures.append("".join(out))
    assert not failures, "\n".join(failures)


# Namespaces whose every public class and function must carry a docstring with an example,
# and an Args section when it takes named arguments (ember.nn's are checked by
# tests/nn/test_nn_docs.py).
DOCUMENTED = ["ember.optim", "ember.optim.lr_scheduler", "ember.optim.swa_utils",
              "ember.utils.data", "ember.vision", "ember.vision.datasets", "ember.vision.models",
              "ember.vision.ops", "ember.vision.transforms", "ember.vision.transforms.functional",
              "ember.vision.transforms.v2", "ember.vision.transforms.v2.functional",
              "ember.vision.io", "ember.vision.utils"]


def public_objects(space):
    """(name, object) of each public class and function that ``space`` defines or re-exports
    from ember (not the typing or standard-library helpers it happens to import)."""
    module = importlib.import_module(space)
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(module, name)
        if callable(obj) and not isinstance(obj, type(module)) and \
                (getattr(obj, "__module__", None) or "").startswith("ember"):
            out.append((name, obj))
    return out


def test_documented_namespaces_are_found():
    names = {n for space in DOCUMENTED for n, _ in public_objects(space)}
    assert {"SGD", "StepLR", "DataLoader", "resnet18", "nms", "Resize", "read_image"} <= names
    assert not {"Generic", "TypeVar", "Iterable"} & names


def _named_parameters(obj):
    """The parameters a caller names (not ``*args``/``**kwargs``); none for enums."""
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        return []
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _describes_arguments(doc):
    """An Args (or Attributes) section, or a pointer to the class that describes them."""
    return ("\nArgs:\n" in doc or "\nAttributes:\n" in doc
            or re.search(r"[Aa]rguments (and attributes )?as ``", doc) is not None)


@pytest.mark.parametrize("space", DOCUMENTED)
def test_public_names_have_docstring_with_example(space):
    missing = [name for name, obj in public_objects(space)
               if "Example" not in (obj.__doc__ or "") or ">>>" not in (obj.__doc__ or "")]
    assert not missing, f"{space}: no docstring with an example for {missing}"
    no_args = [name for name, obj in public_objects(space)
               if _named_parameters(obj) and not _describes_arguments(inspect.getdoc(obj) or "")]
    assert not no_args, f"{space}: no Args section for {no_args}"
