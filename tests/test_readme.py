"""The claims of README.md that can be checked cheaply, checked.

What it says about extras, commands, flags, files, versions, coverage figures and optional
dependencies must match the code; the heavier claims (timings, accuracy, benchmarks) are
measured by their own jobs (ember.examples.mnist, benchmarks/run.py, the suite itself).
"""
import argparse
import importlib
import os
import re
import shlex
import sys

import pytest

import ember
from ember import cli

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


README = _read("README.md")
EXTRAS = tomllib.loads(_read("pyproject.toml"))["project"]["optional-dependencies"]


def _requirement_name(spec):
    return re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower()


def _table(heading):
    """Rows (lists of cells) of the first Markdown table after ``heading``."""
    lines = README.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return [[c.strip() for c in row.strip("|").split("|")] for row in lines[start + 2:end]]


def _commands():
    """Every command line in README's bash blocks, comments dropped."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    return [re.sub(r"\s#.*", "", line).strip() for b in blocks for line in b.splitlines()
            if line.strip()]


def test_extras_table_is_pyprojects():
    rows = _table("## Optional extras")
    named = {re.fullmatch(r"`(\w+)`", r[0]).group(1): r[1] for r in rows if r[0].startswith("`")}
    assert set(named) == set(EXTRAS)
    aliases = {"torch 2.13": "torch", "the mpich wheel (`mpiexec`)": "mpich"}
    for extra, brings in named.items():
        listed = {aliases.get(p.strip().lower(), p.strip().lower()) for p in brings.split(",")}
        assert listed == {_requirement_name(s) for s in EXTRAS[extra]}, extra
    assert "torch==2.13.0" in EXTRAS["test"]
    # the one row that is not an extra points at a real pinned list
    assert any(r[0] == "ecosystem (not an extra)" for r in rows)
    assert "tests/ecosystem/requirements.txt" in README


def test_ecosystem_table_matches_the_pinned_versions():
    pins = dict(line.split("==") for line in _read("tests", "ecosystem", "requirements.txt")
                .splitlines() if "==" in line and not line.startswith("#"))
    rows = _table("### Tested ecosystem libraries")
    assert len(rows) >= 8
    folder = os.path.join(ROOT, "tests", "ecosystem")
    tests = [f for f in os.listdir(folder) if f.startswith("test_")]
    for library, version, *_ in rows:
        assert pins[library] == version, library
        assert any(library in f for f in tests), f"no tests/ecosystem/test_*{library}*.py"


def test_install_and_test_commands_are_what_ci_runs():
    commands = _commands()
    ci = _read(".ci", "run")
    test_command = next(c for c in commands if "pytest" in c and "tests" in c.split())
    for part in test_command.split(" && "):
        words = shlex.split(part.replace("--quiet ", ""))
        if words[:4] == ["python", "-m", "pip", "install"]:
            if "-e" in words:  # CI installs the same extras, and the docs one
                extras = set(re.search(r"\.\[([\w,]+)\]", part).group(1).split(","))
                ci_extras = set(re.search(r'\.\[([\w,]+)\]', ci).group(1).split(","))
                assert extras <= ci_extras
            else:
                assert part.replace("pip install", "pip install --quiet") in ci
        else:
            assert part in ci
    docs_command = next(c for c in commands if "sphinx" in c)
    build = docs_command.split(" && ")[1]
    assert build.replace("-W ", "-W --keep-going -q ") in ci
    assert "docs" in re.search(r'\.\[([\w,]+)\]', ci).group(1).split(",")


def test_named_files_and_modules_exist():
    for path in ["tests/ecosystem/requirements.txt", "benchmarks/run.py", "docs/performance.md",
                 "docs/architecture.md", "docs/conf.py", "tests/test_strict_backend.py",
                 "tests/test_linalg.py", "tests/test_api_coverage.py", "ember/_backend/strict.py",
                 "tests/test_docstrings.py", "tests/nn/test_nn_docs.py"]:
        assert f"{path}" in README or path.startswith("docs/conf"), path
        assert os.path.exists(os.path.join(ROOT, path)), path
    importlib.import_module("ember.examples.mnist")


def _flags(parser):
    return {s for action in parser._actions for s in action.option_strings}


def test_flags_the_readme_uses_exist():
    run_flags = set()
    parser = cli._parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            run_flags = _flags(action.choices["run"])
    for command in _commands():
        words = shlex.split(command.split(" && ")[-1])
        if words[:2] == ["ember", "run"] or words[:4] == ["python", "-m", "ember", "run"]:
            script = next((i for i, w in enumerate(words) if w.endswith(".py")), len(words))
            used = {w for w in words[2:script] if w.startswith("--")}
            assert used <= run_flags, used - run_flags
    for flag in ("--nproc-per-node", "--nnodes", "--hostfile"):
        assert flag in README and flag in run_flags
    assert "`--epochs N`" in README
    mnist = _read("ember", "examples", "mnist.py")
    assert '"--epochs"' in mnist
    bench = _read("benchmarks", "run.py")
    assert '"--only"' in bench and '"--profile"' in bench


def test_coverage_figures_are_not_above_the_measured_coverage():
    pytest.importorskip("torch")
    sys.path.insert(0, ROOT)
    from tests.test_api_coverage import coverage
    table = coverage()
    claimed = dict(re.findall(r"([\w.]+) ([\d.]+)%", README.split("## Not there yet", 1)[1]))
    assert {"torch", "Tensor", "nn.functional"} <= set(claimed)
    for space, pct in claimed.items():
        have, total, _ = table[space]
        assert float(pct) <= round(100.0 * have / total, 1), space
    for space in ("linalg", "fft", "special", "distributions"):
        have, total, _ = table[space]
        assert have == total, space


def _missing(monkeypatch, *modules):
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def test_missing_optional_dependencies_name_the_pip_install_line(monkeypatch):
    from ember.distributed import _mpi
    from ember.vision import _pil
    monkeypatch.setattr(_pil, "Image", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'ember[vision]'")):
        ember.vision.io.encode_png(ember.zeros(1, 2, 2, dtype=ember.uint8))
    _missing(monkeypatch, "mpi4py", "mpi4py.MPI")
    with pytest.raises(RuntimeError, match=re.escape("pip install 'ember[distributed]'")):
        _mpi.mpi()
    _missing(monkeypatch, "tensorboard")
    monkeypatch.delitem(sys.modules, "ember.utils.tensorboard", raising=False)
    with pytest.raises(ImportError, match=re.escape("pip install 'ember[tensorboard]'")):
        importlib.import_module("ember.utils.tensorboard")


def test_missing_cupy_names_the_cuda_extra():
    if ember.cuda.is_available():
        pytest.skip("a GPU is there")
    with pytest.raises(RuntimeError, match=re.escape("pip install 'ember[cuda]'")):
        ember.zeros(1, device="cuda")


def test_missing_matplotlib_names_the_pip_install_line(monkeypatch, tmp_path):
    pytest.importorskip("tensorboard")
    from ember.utils.tensorboard import SummaryWriter
    _missing(monkeypatch, "matplotlib", "matplotlib.backends", "matplotlib.backends.backend_agg")
    with SummaryWriter(str(tmp_path)) as writer:
        with pytest.raises(ImportError, match="pip install matplotlib"):
            writer.add_figure("plot", object(), 0)


def test_every_extra_in_an_install_message_exists():
    sources = []
    for folder, _, files in os.walk(os.path.join(ROOT, "ember")):
        sources += [_read(folder, f) for f in files if f.endswith(".py")]
    named = set(re.findall(r"ember\[(\w+)\]", "\n".join(sources) + README))
    assert named and named <= set(EXTRAS), named - set(EXTRAS)
