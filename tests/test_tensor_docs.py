"""The tensor functions and maths namespaces of ember document themselves with examples.

Issue 15 (part C) is written family by family; ``DONE`` lists the source modules whose every
public class and function, reached through the namespaces below, has a docstring with an
``Args:`` section where it takes arguments and an ``Example:`` section with a doctest. A family
joins ``DONE`` when it is complete, so this test guards what is done; ``COMPLETE_NAMESPACES``
lists the namespaces whose every public name is documented. The examples themselves run in
``tests/test_docstrings.py``; those that module search cannot reach (the legacy typed
constructors made by a factory) run here under the same settings.
"""
import doctest
import inspect

import pytest

import ember
import ember.autograd
import ember.distributions
import ember.fft
import ember.linalg
import ember.special

NAMESPACES = [ember, ember.linalg, ember.fft, ember.special, ember.distributions, ember.autograd]

# source modules whose public names are all documented (in the order of issue 15's plan)
DONE = {"ember._ops.creation", "ember._ops.random", "ember.random", "ember._ops.elementwise.funcs",
        "ember._ops.elementwise.operators",
        "ember._ops.reduction.funcs", "ember._ops.shape.funcs", "ember._ops.shape.copies",
        "ember._ops.comparison.funcs", "ember._ops.indexing.funcs", "ember._ops.indexing.take_put",
        "ember._ops.linalg.funcs", "ember._ops.fft.funcs",
        "ember._ops.fft.spectral", "ember._ops.complex.funcs", "ember._ops.conversion",
        "ember._ops.special.funcs"}


def _public():
    """(qualified name, object) of each public class or function of the namespaces, once."""
    seen, out = set(), []
    for ns in NAMESPACES:
        names = getattr(ns, "__all__", None) or [n for n in dir(ns) if not n.startswith("_")]
        for name in names:
            obj = getattr(ns, name, None)
            if obj is None or inspect.ismodule(obj) or not callable(obj) or id(obj) in seen:
                continue
            if getattr(obj, "__module__", None) in DONE:
                seen.add(id(obj))
                out.append((f"{ns.__name__}.{name}", obj))
    return out


OBJECTS = dict(_public())


def test_done_families_are_reached():
    assert {"ember.zeros", "ember.arange", "ember.FloatTensor", "ember.randn",
            "ember.manual_seed", "ember.Generator"} <= set(OBJECTS)


@pytest.mark.parametrize("qualname", sorted(OBJECTS))
def test_docstring_has_args_and_example(qualname):
    obj = OBJECTS[qualname]
    doc = inspect.getdoc(obj) or ""
    assert "\nExample:\n" in doc and ">>>" in doc, f"{qualname} has no Example section"
    try:
        params = [p for p in inspect.signature(obj).parameters.values()
                  if p.kind not in (p.VAR_KEYWORD,)]
    except (TypeError, ValueError):
        params = []
    if params:
        assert "\nArgs:\n" in doc, f"{qualname} takes arguments but has no Args section"


@pytest.mark.parametrize("name", sorted(ember._ops.creation.LEGACY_TYPES))
def test_legacy_constructor_examples_run(name):
    cls = ember._ops.creation.LEGACY_TYPES[name]
    test = doctest.DocTestParser().get_doctest(cls.__doc__, {"ember": ember, "torch": ember},
                                               name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    ember.manual_seed(0)
    runner.run(test, out=report.append)
    assert runner.summarize(verbose=False).attempted > 0
    assert not runner.summarize(verbose=False).failed, "".join(report)


# namespaces whose every public class and function is documented, whichever module defines it
COMPLETE_NAMESPACES = [ember.fft, ember.special]


@pytest.mark.parametrize("space", COMPLETE_NAMESPACES, ids=lambda ns: ns.__name__)
def test_complete_namespaces_have_examples(space):
    names = getattr(space, "__all__", None) or [n for n in dir(space) if not n.startswith("_")]
    missing = [n for n in names if callable(getattr(space, n)) and not inspect.ismodule(getattr(space, n))
               and "\nExample:\n" not in (inspect.getdoc(getattr(space, n)) or "")]
    assert not missing, f"{space.__name__}: no Example for {missing}"
