"""Every public name of ``ember.nn`` has a docstring with a runnable example.

For each public class and function of ``ember.nn``, ``nn.functional``, ``nn.init``,
``nn.utils`` (with its submodules), ``nn.parallel`` and ``nn.attention``, the docstring must
exist and hold an ``Example:`` section; layers that take tensors, and the functionals, must
also hold a ``Shape:`` section.  The examples are run with doctest under the settings of the
general docstring runner (globals ``ember`` and ``torch`` bound to ember,
``ember.manual_seed(0)`` first, ELLIPSIS and NORMALIZE_WHITESPACE).
"""
import doctest
import inspect

import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F
import ember.nn.init as init
import ember.nn.utils as nn_utils
from ember.nn import attention
from ember.nn.attention import flex_attention

_NAMESPACES = {"nn": nn, "nn.functional": F, "nn.init": init, "nn.utils": nn_utils,
               "nn.parallel": nn.parallel, "nn.attention": attention,
               "nn.attention.flex_attention": flex_attention}
for _sub in ("rnn", "parametrize", "parametrizations", "prune", "stateless"):
    _NAMESPACES[f"nn.utils.{_sub}"] = getattr(nn_utils, _sub)

# documented as ``ember.tanh`` / ``ember.sigmoid``, outside ``ember.nn``
_ELSEWHERE = {"nn.functional.tanh", "nn.functional.sigmoid"}

# layers that hold other layers or are the base class: no tensor input of their own
_NO_SHAPE = {"Module", "Container", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"}


def _public(namespace):
    """(qualified name, object) for each public class or function the namespace defines."""
    names = getattr(namespace, "__all__", None) or [n for n in dir(namespace)
                                                    if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(namespace, name)
        if inspect.ismodule(obj) or not callable(obj):
            continue
        qualname = f"{namespace.__name__.removeprefix('ember.')}.{name}"
        if not getattr(obj, "__module__", "").startswith("ember") or qualname in _ELSEWHERE:
            continue
        out.append((qualname, obj))
    return out


_OBJECTS = {}
for _ns in _NAMESPACES.values():
    for _qual, _obj in _public(_ns):
        _OBJECTS.setdefault(_qual, _obj)


@pytest.mark.parametrize("qualname", sorted(_OBJECTS))
def test_docstring_has_example(qualname):
    doc = inspect.getdoc(_OBJECTS[qualname]) or ""
    assert doc.strip(), f"{qualname} has no docstring"
    assert "\nExample:\n" in doc, f"{qualname}'s docstring has no Example section"
    obj = _OBJECTS[qualname]
    is_layer = inspect.isclass(obj) and issubclass(obj, nn.Module)
    if (is_layer and qualname.split(".")[-1] not in _NO_SHAPE) \
            or qualname.startswith("nn.functional."):
        assert "\nShape:\n" in doc, f"{qualname}'s docstring has no Shape section"


def _examples(obj, name):
    """The doctests of ``obj``'s own docstring and of the methods its class defines."""
    finder = doctest.DocTestFinder(recurse=inspect.isclass(obj), exclude_empty=True)
    tests = [t for t in finder.find(obj, name, globs={}) if t.examples]
    if inspect.isclass(obj):      # methods inherited or defined elsewhere are checked there
        tests = [t for t in tests if t.name == name or
                 t.name.split(".")[-1] in obj.__dict__]
    return tests


# the examples of deprecated helpers (``weight_norm``, ``stateless.functional_call``) warn
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("qualname", sorted(_OBJECTS))
def test_docstring_examples_run(qualname):
    tests = _examples(_OBJECTS[qualname], qualname)
    if not tests:
        pytest.skip("no doctest in the docstring (DistributedDataParallel's needs two processes)")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in tests:
        ember.manual_seed(0)
        test.globs = {"ember": ember, "torch": ember}
        runner.run(test, out=report.append)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    if failed:
        pytest.fail("".join(report), pytrace=False)


def test_namespaces_are_covered():
    # the collection above really reaches the layers, functionals, init and utils
    for qualname in ("nn.Conv2d", "nn.functional.conv2d", "nn.init.xavier_uniform_",
                     "nn.utils.clip_grad_norm_", "nn.utils.rnn.pad_sequence",
                     "nn.utils.prune.l1_unstructured", "nn.parallel.data_parallel",
                     "nn.attention.sdpa_kernel"):
        assert qualname in _OBJECTS
