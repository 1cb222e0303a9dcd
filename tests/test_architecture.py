"""Static checks of ember's import structure, read from the source with ``ast`` (nothing is imported).

* The import graph of ``ember/`` has no cycle.  An edge ``a -> b`` is an import of ``b`` written
  in ``a``: at module level, or inside a function without a ``# deferred: <why>`` mark (a plain
  import moved into a function to dodge a cycle is still part of the cycle).  Importing ``p.q.m``
  also runs ``p/__init__.py`` and ``p/q/__init__.py``, so those packages are edges too, except
  the ones ``a`` itself sits in (they are already running when ``a`` loads).
* At most ``MAX_DEFERRED`` imports of ember modules sit inside functions, each marked on its line
  with ``# deferred: <why>`` (a deliberate late binding: a heavy package loaded on first use, a
  layer above reached at call time).  Optional third-party packages (SciPy, Pillow, CuPy,
  mpi4py) are not counted: they are deferred so that ember runs without them.
"""
import ast
import functools
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "ember"
MAX_DEFERRED = 40
_TAG = "# deferred:"


def _modules(root):
    """``{dotted module name: (path, is_package)}`` for every ``.py`` file under ``root``."""
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        mods[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return mods


def _targets(node, module, is_pkg, mods):
    """The ember modules one import statement loads, with the packages above them that are not
    already running above ``module`` itself."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")[:len(module.split(".")) - node.level + (1 if is_pkg else 0)]
            package = ".".join(base + ([node.module] if node.module else []))
        else:
            package = node.module
        names = [f"{package}.{a.name}" if f"{package}.{a.name}" in mods else package
                 for a in node.names]
    out = set()
    for name in names:
        while name not in mods and "." in name:     # ``from pkg import function``: pkg itself
            name = name.rsplit(".", 1)[0]
        if name not in mods:
            continue                                # not an ember module
        out.add(name)
        parts = name.split(".")
        out.update(p for p in (".".join(parts[:i]) for i in range(2, len(parts)))
                   if not module.startswith(p + "."))
    return out


def _is_type_checking(node):
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def scan(root=ROOT):
    """``(edges, deferred)``: ``edges[a]`` the set of modules ``a`` imports (marked deferred
    imports left out), and ``deferred`` a list of ``(module, line number, source line)`` for
    each import of an ember module made inside a function."""
    mods = _modules(root)
    edges = {m: set() for m in mods}
    deferred = []
    for module, (path, is_pkg) in mods.items():
        source = path.read_text()
        lines = source.splitlines()

        def visit(node, in_function):
            for child in ast.iter_child_nodes(node):
                if _is_type_checking(child):
                    continue
                inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                          ast.Lambda))
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    found = _targets(child, module, is_pkg, mods) - {module}
                    line = lines[child.lineno - 1].strip()
                    if found and in_function:
                        deferred.append((module, child.lineno, line))
                    if not (in_function and _TAG in line):
                        edges[module] |= found
                visit(child, inner)

        visit(ast.parse(source), False)
    return edges, deferred


@functools.lru_cache(maxsize=1)
def _ember():
    """``scan()`` of ember itself, read once per test session."""
    return scan()


def find_cycle(edges):
    """One import cycle as a list of modules (first == last), or None if the graph has none."""
    colour = dict.fromkeys(edges, 0)        # 0 new, 1 on the current path, 2 done
    for start in sorted(edges):
        if colour[start]:
            continue
        path, stack = [start], [iter(sorted(edges[start]))]
        colour[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(edges[nxt])))
    return None


def test_scan_sees_cycles_and_deferred_imports(tmp_path):
    pkg = tmp_path / "ember"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from . import a\n")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    (pkg / "sub" / "c.py").write_text("from .b import f\n")
    edges, deferred = scan(pkg)
    assert edges["ember.a"] == {"ember.sub", "ember.sub.b"}
    assert edges["ember.sub.c"] == {"ember.sub.b"}      # its own package is already loading
    assert find_cycle(edges) == ["ember.a", "ember.sub.b", "ember.a"]
    assert deferred == [("ember.sub.b", 2, "from .. import a")]
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a  # deferred: late\n")
    edges, deferred = scan(pkg)
    assert find_cycle(edges) is None and len(deferred) == 1


def test_no_import_cycles():
    cycle = find_cycle(_ember()[0])
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_deferred_imports_are_few_and_explained():
    deferred = _ember()[1]
    unexplained = [f"{m}:{n}: {line}" for m, n, line in deferred if _TAG not in line]
    assert not unexplained, (f"imports inside functions need a '{_TAG} <why>' comment:\n"
                             + "\n".join(unexplained))
    assert len(deferred) <= MAX_DEFERRED, (
        f"{len(deferred)} ember imports are deferred into functions (at most {MAX_DEFERRED}):\n"
        + "\n".join(f"{m}:{n}: {line}" for m, n, line in deferred))


def test_tensor_stub_is_current():
    from ember import _stubgen
    assert _stubgen.STUB.read_text() == _stubgen.render(), (
        "ember/_tensor.pyi is stale: run `python -m ember._stubgen` and commit the result")


def test_tensor_stub_lists_every_method_with_a_doc():
    import ember
    from ember import _stubgen
    tree = ast.parse(_stubgen.STUB.read_text())
    tensor = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    defs = {n.name: n for n in tensor.body if isinstance(n, ast.FunctionDef)}
    methods = {k for k, v in vars(ember.Tensor).items() if callable(v) or isinstance(v, property)}
    assert methods <= set(defs), sorted(methods - set(defs))
    assert all(ast.get_docstring(n) for n in defs.values())
    add = defs["add"]            # attached by _api/elementwise.py: ``add(input, other, *, alpha, out)``
    assert [a.arg for a in add.args.args] == ["input", "other"]
    assert [a.arg for a in add.args.kwonlyargs] == ["alpha", "out"]
    assert ast.get_docstring(add) == "input + alpha * other."


def _reachable(edges, start):
    seen, stack = set(), [start]
    while stack:
        for nxt in edges[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def test_tensor_and_engine_import_only_lower_layers():
    edges = _ember()[0]
    above_tensor = ("ember.autograd", "ember._api", "ember._ops", "ember.nn", "ember.serialization",
                    "ember._utils", "ember.linalg")
    low = _reachable(edges, "ember._tensor")
    assert not [m for m in low if m == "ember" or m.startswith(above_tensor)], sorted(low)
    engine = _reachable(edges, "ember.autograd.graph")
    assert "ember._tensor" in engine
    assert not [m for m in engine if m.startswith(("ember._api", "ember._ops", "ember.nn"))]
