"""Runs one ecosystem script twice as subprocesses, under real torch and under `ember run`, and
compares what they print. Scripts print one JSON object per line ({"name": value}); numbers are
compared with a tolerance, everything else exactly."""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REFERENCE = os.path.join(HERE, "_reference.py")


def run(script, under_ember, timeout=300):
    """Run tests/ecosystem/<script> and return its stdout lines; fail with its stderr."""
    env = dict(os.environ, PYTHONPATH=REPO, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
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


def compare(script, rtol=1e-4, atol=1e-5):
    """Run `script` under both and assert the JSON lines agree; returns torch's records."""
    theirs = [json.loads(line) for line in run(script, False) if line.startswith("{")]
    ours = [json.loads(line) for line in run(script, True) if line.startswith("{")]
    assert theirs, "the reference run printed no records"
    assert [list(r) for r in ours] == [list(r) for r in theirs]
    for a, b in zip(ours, theirs):
        _close(a, b, rtol, atol, next(iter(b)))
    return theirs
