"""`ember run`, `python -m ember` and the torch import alias."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from ember import _alias, cli

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _write(path, source):
    path.write_text(textwrap.dedent(source))
    return str(path)


def _python(*args, cwd):
    env = dict(os.environ, PYTHONPATH=REPO)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(autouse=True)
def _no_leak():
    """Every test must leave sys.meta_path, sys.argv and torch as it found them."""
    meta_path, argv, real_torch = sys.meta_path[:], sys.argv[:], sys.modules.get("torch")
    yield
    _alias.uninstall()
    assert sys.meta_path == meta_path
    assert sys.argv == argv
    assert sys.modules.get("torch") is real_torch


@pytest.fixture
def fakelib(tmp_path, monkeypatch):
    """A package `fakelib` with `nn/functional.py`, aliased as `fakealias`."""
    pkg = tmp_path / "fakelib"
    (pkg / "nn").mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 42\n")
    (pkg / "nn" / "__init__.py").write_text("")
    (pkg / "nn" / "functional.py").write_text("def relu(x):\n    return max(x, 0)\n")
    (pkg / "broken.py").write_text("import fakelib_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    _alias.install({"fakealias": "fakelib"})
    yield
    _alias.uninstall()
    for name in [n for n in sys.modules if n == "fakelib" or n.startswith("fakelib.")]:
        del sys.modules[name]


def test_alias_gives_the_same_module_objects(fakelib):
    import fakealias
    import fakealias.nn.functional as F
    from fakealias.nn import functional
    from fakealias.nn.functional import relu

    import fakelib
    import fakelib.nn.functional

    assert fakealias is fakelib and fakealias.VALUE == 42
    assert F is functional is fakelib.nn.functional
    assert relu(-3) == 0
    assert sys.modules["fakealias.nn"] is fakelib.nn
    assert sys.modules["fakealias.nn.functional"] is fakelib.nn.functional
    # The modules keep their own identity, not the alias's.
    assert fakelib.nn.__spec__.name == "fakelib.nn"
    assert fakelib.nn.functional.__name__ == "fakelib.nn.functional"


def test_alias_missing_submodule_names_both_modules(fakelib):
    with pytest.raises(ModuleNotFoundError) as info:
        import fakealias.distributions  # noqa: F401
    assert str(info.value) == ("fakealias.distributions is not provided by ember "
                               "(no module fakelib.distributions)")
    assert info.value.name == "fakealias.distributions"


def test_alias_keeps_errors_from_inside_the_target(fakelib):
    with pytest.raises(ModuleNotFoundError) as info:
        import fakealias.broken  # noqa: F401
    assert info.value.name == "fakelib_missing_dependency"


def test_uninstall_removes_aliases(fakelib):
    import fakealias.nn  # noqa: F401

    _alias.uninstall()
    assert not any(n == "fakealias" or n.startswith("fakealias.") for n in sys.modules)
    with pytest.raises(ModuleNotFoundError):
        import fakealias  # noqa: F401


def test_torch_alias_in_process():
    import ember
    import ember.cuda

    _alias.install()
    try:
        import torch
        import torch.cuda

        assert torch is ember and torch.__name__ == "ember"
        assert torch.cuda is ember.cuda and sys.modules["torch.cuda"] is ember.cuda
        with pytest.raises(ModuleNotFoundError, match=r"^torch\.no_such_module is not provided "
                           r"by ember \(no module ember\.no_such_module\)$"):
            import torch.no_such_module  # noqa: F401
    finally:
        _alias.uninstall()
    assert "torch.cuda" not in sys.modules or sys.modules["torch.cuda"] is not ember.cuda


def test_torch_nn_functional_alias():
    functional = pytest.importorskip("ember.nn.functional")
    _alias.install()
    try:
        import torch.nn.functional as F
        assert F is functional
    finally:
        _alias.uninstall()


SCRIPT = """
    import json, sys
    import torch
    import torch.cuda
    import helper  # a sibling module: the script's directory is on sys.path

    out = {
        "name": __name__, "torch": torch.__name__, "argv": sys.argv[1:],
        "argv0": sys.argv[0], "file": __file__, "path0": sys.path[0],
        "cuda": torch.cuda.is_available(), "device": repr(torch.device("cuda:1")),
        "helper": helper.VALUE,
    }
    print(json.dumps(out))
    if "--fail" in sys.argv:
        def explode():
            raise ValueError("script failed")
        explode()
    if "--exit" in sys.argv:
        sys.exit(int(sys.argv[-1]))
"""


@pytest.fixture
def script(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 'sibling'\n")
    return _write(tmp_path / "train.py", SCRIPT)


def _check_report(text, script, args):
    out = json.loads(text.strip().splitlines()[0])
    assert out == {
        "name": "__main__", "torch": "ember", "argv": args, "argv0": script,
        "file": script, "path0": os.path.dirname(script), "cuda": out["cuda"],
        "device": "device(type='cuda', index=1)", "helper": "sibling",
    }


def test_main_runs_script_in_process(script, capsys):
    assert cli.main(["run", script, "--lr", "0.1", "-v"]) == 0
    _check_report(capsys.readouterr().out, script, ["--lr", "0.1", "-v"])


def test_main_propagates_exit_code(script, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["run", script, "--exit", "3"])
    assert info.value.code == 3


def test_main_reports_exception_and_returns_1(script, capsys):
    assert cli.main(["run", script, "--fail"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert 'in explode\n' in err and err.rstrip().endswith("ValueError: script failed")
    assert "cli.py" not in err and "runpy" not in err


def test_main_missing_script(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "nope.py")]) == 2
    assert "can't open file" in capsys.readouterr().err


def test_main_without_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert "run" in capsys.readouterr().out


def test_version_and_help(capsys):
    for flag in ("--version", "--help"):
        with pytest.raises(SystemExit) as info:
            cli.main([flag])
        assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("ember ") and "usage: ember" in out


def test_python_m_ember_run(script, tmp_path):
    result = _python("-m", "ember", "run", script, "a", "--b", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _check_report(result.stdout, script, ["a", "--b"])


def test_python_m_ember_exit_codes(script, tmp_path):
    assert _python("-m", "ember", "run", script, "--exit", "5", cwd=tmp_path).returncode == 5
    failed = _python("-m", "ember", "run", script, "--fail", cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Traceback (most recent call last):\n  File " + repr(script)
                                     .replace("'", '"'))
    assert failed.stderr.rstrip().endswith("ValueError: script failed")


def test_python_m_ember_missing_module_message(tmp_path):
    path = _write(tmp_path / "dist.py", "import torch.no_such_module\n")
    result = _python("-m", "ember", "run", path, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "ModuleNotFoundError: torch.no_such_module is not provided by ember "
        "(no module ember.no_such_module)")


def test_python_m_ember_help(tmp_path):
    result = _python("-m", "ember", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "run" in result.stdout


def test_importing_cuda_does_not_import_cupy(tmp_path):
    code = "import sys, ember.cuda, ember._backend; print('cupy' in sys.modules)"
    result = _python("-c", code, cwd=tmp_path)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("command", [["--help"], ["run", "--help"]])
def test_help_shows_an_example_of_every_flag(command, tmp_path):
    # python -m ember is the same entry point as the console script
    out = _python("-m", "ember", *command, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    flags_part, examples = out.stdout.split("\nexamples:\n")
    flags = set(re.findall(r"--[a-z][a-z-]*", flags_part)) - {"--help"}
    assert flags >= ({"--version"} if command == ["--help"] else {"--nproc-per-node",
                                                                  "--hostfile"})
    for flag in flags:
        assert re.search(rf"^  (ember|python -m ember) .*{flag}\b", examples, re.M), flag


def test_run_help_names_the_install_line_of_the_distributed_extra(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    assert "pip install 'ember[distributed]'" in capsys.readouterr().out
