"""torchinfo 1.8.0 under `ember run` prints exactly the tables it prints under real torch: every
row, shape, parameter count, mult-add count and size (including "Input size (MB)")."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("torchinfo")
pytest.importorskip("torch")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(HERE, "torchinfo_summary.py")


def _run(*command):
    env = dict(os.environ, PYTHONPATH=REPO)
    out = subprocess.run([sys.executable, *command, SCRIPT], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_torchinfo_summary_tables_equal_torchs():
    theirs = _run()
    ours = _run("-m", "ember", "run")
    assert "Input size (MB)" in theirs and "LSTM: 1-2" in theirs and "Partial" in theirs
    assert ours.splitlines() == theirs.splitlines()
