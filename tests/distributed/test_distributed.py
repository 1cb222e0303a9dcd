"""Multi-process tests: scripts in workers/ launched with `ember run --nproc-per-node N`
(and plain mpiexec), each comparing its results with values every rank can predict or with
a single-process reference computed alongside. Skipped without mpi4py or mpiexec."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec

import pytest

pytestmark = pytest.mark.skipif(find_spec("mpi4py") is None or shutil.which("mpiexec") is None,
                                reason="needs the distributed extra (mpi4py, mpiexec)")

WORKERS = os.path.join(os.path.dirname(__file__), "workers")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def launch(*args, prefix=(sys.executable, "-m", "ember", "run"), timeout=60):
    """Run a launcher command from the repository's ember; its CompletedProcess."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


def ok(proc, n):
    """Every rank finished (the ranks' lines may interleave)."""
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(re.findall(r"OK \d+/\d+", proc.stdout)) == [f"OK {r}/{n}" for r in range(n)]


@pytest.mark.parametrize("n", [2, 3])
def test_collectives_groups_objects_and_checkpoint(n, tmp_path):
    proc = launch("--nproc-per-node", str(n), os.path.join(WORKERS, "collectives.py"),
                  str(tmp_path), str(n))
    ok(proc, n)


@pytest.mark.parametrize("n", [2, 3])
def test_ddp_equals_one_process_on_the_concatenated_batch(n):
    ok(launch("--nproc-per-node", str(n), os.path.join(WORKERS, "ddp.py")), n)


def _envs(proc, out):
    """What each rank of a run of workers/env.py recorded, in rank order."""
    assert proc.returncode == 0, proc.stderr[-3000:]
    envs = [json.loads(p.read_text()) for p in out.iterdir()]
    for p in out.iterdir():
        p.unlink()
    return sorted(envs, key=lambda e: int(e["env"]["RANK"]))


def test_launcher_environment_nodes_and_plain_mpiexec(tmp_path):
    script = os.path.join(WORKERS, "env.py")
    envs = _envs(launch("--standalone", "--nnodes", "2", "--nproc_per_node", "2",
                        "--master-port", "1234", script, str(tmp_path), "--lr", "3"), tmp_path)
    assert [e["argv"] for e in envs] == [[str(tmp_path), "--lr", "3"]] * 4
    assert [e["env"] for e in envs] == [
        {"RANK": str(r), "LOCAL_RANK": str(r % 2), "WORLD_SIZE": "4", "LOCAL_WORLD_SIZE": "2",
         "GROUP_RANK": str(r // 2), "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "1234"}
        for r in range(4)]
    envs = _envs(launch("-n", "2", sys.executable, "-m", "ember", "run", script, str(tmp_path),
                        prefix=(shutil.which("mpiexec"),)), tmp_path)
    assert [e["env"]["RANK"] for e in envs] == ["0", "1"]
    assert {e["env"]["WORLD_SIZE"] for e in envs} == {"2"}
    assert {e["env"]["MASTER_PORT"] for e in envs} == {"29500"}
    proc = launch("--nproc-per-node", "1", "--nnodes", "2", "--node-rank", "1", script)
    assert proc.returncode == 2 and "node 0" in proc.stderr


@pytest.mark.parametrize("mode, message", [("raise", "ZeroDivisionError: rank failed on purpose"),
                                           ("early", "ZeroDivisionError: rank failed on purpose"),
                                           ("exit", None),
                                           ("timeout", "did not complete within")])
def test_a_failing_rank_ends_the_job_with_its_traceback(mode, message):
    start = time.monotonic()
    proc = launch("--nproc-per-node", "2", os.path.join(WORKERS, "fail.py"), mode, timeout=45)
    assert proc.returncode != 0 and time.monotonic() - start < 30  # ~3 s; slack for a busy CI
    if message is None:
        assert proc.returncode == 3, proc.stderr
    else:
        assert "Traceback (most recent call last)" in proc.stderr and message in proc.stderr
