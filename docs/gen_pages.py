"""Write the generated pages of the API reference into ``docs/_generated/``.

Run by ``docs/conf.py`` at the start of every Sphinx build (and runnable on its own):

* ``api/<namespace>.rst``: one page per public namespace, an ``autoclass``/``autofunction``
  entry for each public class and function that ember defines there;
* ``coverage.rst``: how much of torch's public API each namespace covers, with the missing
  names, from the data of ``tests/test_api_coverage.py``;
* ``known_differences.rst``: the known differences from torch recorded as strict xfails in
  the op table (``tests/optable``), grouped by reason.

The last two compare with the installed torch (the test oracle); without torch they say so
and tell how to install it.
"""
import importlib
import inspect
import os
import re
import sys
import types
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "_generated")

# (namespace, page title); the order is the reference's table of contents.
NAMESPACES = [
    ("ember", "ember: tensors, creation and maths"),
    ("ember.nn", "ember.nn: layers"),
    ("ember.nn.functional", "ember.nn.functional"),
    ("ember.nn.init", "ember.nn.init"),
    ("ember.nn.utils", "ember.nn.utils"),
    ("ember.optim", "ember.optim: optimizers"),
    ("ember.optim.lr_scheduler", "ember.optim.lr_scheduler"),
    ("ember.optim.swa_utils", "ember.optim.swa_utils"),
    ("ember.autograd", "ember.autograd"),
    ("ember.linalg", "ember.linalg"),
    ("ember.fft", "ember.fft"),
    ("ember.special", "ember.special"),
    ("ember.distributions", "ember.distributions"),
    ("ember.utils.data", "ember.utils.data: datasets and loaders"),
    ("ember.vision.datasets", "ember.vision.datasets"),
    ("ember.vision.models", "ember.vision.models"),
    ("ember.vision.ops", "ember.vision.ops"),
    ("ember.vision.transforms", "ember.vision.transforms"),
    ("ember.vision.transforms.functional", "ember.vision.transforms.functional"),
    ("ember.vision.io", "ember.vision.io"),
    ("ember.vision.utils", "ember.vision.utils"),
]


def public_objects(space):
    """Sorted (name, object) of the public classes and functions ember defines in ``space``."""
    module = importlib.import_module(space)
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    out = []
    for name in sorted(set(names)):
        obj = getattr(module, name, None)
        if obj is None or isinstance(obj, types.ModuleType) or not callable(obj):
            continue
        if not (getattr(obj, "__module__", None) or "").startswith("ember"):
            continue
        out.append((name, obj))
    return out


def _heading(text, mark="="):
    return f"{text}\n{mark * len(text)}\n"


def api_page(space, title, seen):
    """The reST of one namespace's page. ``seen`` maps the id of each object documented so
    far to its documented name: an object documented on an earlier page is listed at the end
    with a link there instead of twice."""
    module = importlib.import_module(space)
    lines = [_heading(title), f".. module:: {space}\n"]
    summary = (inspect.getdoc(module) or "").split("\n\n")[0].strip()
    if summary:
        lines.append(summary.replace("\n", " ") + "\n")
    elsewhere = []
    for name, obj in public_objects(space):
        if id(obj) in seen:
            role = "class" if inspect.isclass(obj) else "func"
            elsewhere.append(f"- ``{space}.{name}``: :{role}:`{seen[id(obj)]}`")
            continue
        seen[id(obj)] = f"{space}.{name}"
        if inspect.isclass(obj):
            lines.append(f".. autoclass:: {space}.{name}\n   :members:\n")
        else:
            lines.append(f".. autofunction:: {space}.{name}\n")
    if elsewhere:
        lines += [_heading("Also here", "-"), "These names are documented on another page:\n",
                  *elsewhere, ""]
    return "\n".join(lines)


def _import_tests():
    sys.path.insert(0, ROOT)
    try:
        import torch  # noqa: F401  the oracle both pages compare with
    except ImportError:
        return False
    return True


NO_TORCH = ("\n.. note::\n   This page is computed against PyTorch, which is not installed here. "
            "Install it (``pip install torch==2.13.0 --index-url "
            "https://download.pytorch.org/whl/cpu``) and build again.\n")


def coverage_page():
    lines = [_heading("Coverage of PyTorch's API"),
             "How much of torch's public API ember provides, per namespace, as measured by "
             "``tests/test_api_coverage.py`` (which also fails when a namespace drops below "
             "its recorded floor). A name counts when torch documents it and it is not a "
             "deprecated or internal helper; see that file for the exact filter.\n"]
    if not _import_tests():
        return "\n".join(lines) + NO_TORCH
    from tests.test_api_coverage import coverage
    table = coverage()
    lines += [".. list-table::", "   :header-rows: 1", "",
              "   * - namespace", "     - implemented", "     - missing", "     - coverage"]
    for space, (have, total, missing) in table.items():
        pct = 100.0 * have / total if total else 100.0
        lines += [f"   * - ``{space}``", f"     - {have} of {total}", f"     - {len(missing)}",
                  f"     - {pct:.1f}%"]
    lines.append("")
    for space, (have, total, missing) in table.items():
        lines.append(_heading(f"Missing from {space}", "-"))
        if missing:
            lines.append(", ".join(f"``{n}``" for n in missing) + "\n")
        else:
            lines.append("Nothing: every counted name is there.\n")
    return "\n".join(lines)


def _escape(text):
    """Plain text made safe for reST: no emphasis, substitution, literal or reference markup."""
    text = re.sub(r"([\\*|`])", r"\\\1", text)
    return re.sub(r"(\w)_(?=\W|$)", r"\1\\_", text)


def differences_page():
    lines = [_heading("Known differences in the op table", "-"),
             "Each op-table row (``tests/optable``) is compared with torch check by check; "
             "where ember differs on purpose or not yet, the check is a strict xfail with its "
             "reason (a strict xfail fails the suite once the difference goes away). "
             "These are the reasons, with the rows and checks they cover.\n"]
    if not _import_tests():
        return "\n".join(lines) + NO_TORCH
    from tests.optable.registry import ROWS
    by_reason = defaultdict(list)
    for row in ROWS.values():
        for check, reason in row.xfail.items():
            by_reason[reason].append(f"``{row.id}`` ({check})")
    for reason in sorted(by_reason):
        where = sorted(by_reason[reason])
        lines.append(f"- {_escape(reason.rstrip('.'))}: {', '.join(where)}.")
    lines.append("")
    return "\n".join(lines)


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = open(path).read() if os.path.exists(path) else None
    if old != text:  # unchanged files keep Sphinx's incremental builds incremental
        with open(path, "w") as f:
            f.write(text)


def main():
    sys.path.insert(0, ROOT)
    seen = {}
    for space, title in NAMESPACES:
        _write(os.path.join(OUT, "api", f"{space}.rst"), api_page(space, title, seen))
    _write(os.path.join(OUT, "coverage.rst"), coverage_page())
    _write(os.path.join(OUT, "known_differences.rst"), differences_page())


if __name__ == "__main__":
    main()
