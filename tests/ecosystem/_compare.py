"""Runs one ecosystem script twice as subprocesses, under real torch and under `ember run`, and
compares what they print. Scripts print one JSON object per line ({"name": value}); numbers are
compared with a tolerance, everything else exactly."""
import json
import math
import os
import importlib.util
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REFERENCE = os.path.join(HERE, "_reference.py")


def require(*names):
    """Skip the calling test module unless every distribution named is installed. Found without
    importing them: a library may import torchvision, whose compiled ops need a matching torch
    (the scripts run through _reference.py, which handles that)."""
    for name in names:
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"{name} is not installed (tests/ecosystem/requirements.txt)",
                        allow_module_level=True)


def run(script, under_ember, workdir=None, timeout=300):
    """Run tests/ecosystem/<script> and return its stdout lines; fail with its stderr. Scripts that
    hand files (weights, checkpoints) from the torch run to the ember run find `workdir` in
    $ECOSYSTEM_WORKDIR."""
    env = dict(os.environ, PYTHONPATH=REPO, ECOSYSTEM_WORKDIR=str(workdir or ""), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    path = os.path.join(HERE, script)
    command = [sys.executable, "-m", "ember", "run", path] if under_ember else [sys.executable, REFERENCE, path]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=HERE)
    assert out.returncode == 0, out.stderr[-4000:]
    return out.stdout.splitlines()


def _close(a, b, rtol, atol, where):
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(b, (int, float)) and isinstance(a, (int, float)), where
        assert math.isclose(a, b, rel_tol=rtol, abs_tol=atol), f"{where}: {a} != {b}"
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{where}: {a} != {b}"
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, rtol, atol, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{where}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            _close(a[k], b[k], rtol, atol, f"{where}.{k}")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def compare(script, rtol=1e-4, atol=1e-5, workdir=None):
    """Run `script` under torch, then under ember (same `workdir`), and assert the JSON lines
    agree; returns torch's records."""
    theirs = [json.loads(line) for line in run(script, False, workdir) if line.startswith("{")]
    ours = [json.loads(line) for line in run(script, True, workdir) if line.startswith("{")]
    assert theirs, "the reference run printed no records"
    assert [list(r) for r in ours] == [list(r) for r in theirs]
    for a, b in zip(ours, theirs):
        _close(a, b, rtol, atol, next(iter(b)))
    return theirs
