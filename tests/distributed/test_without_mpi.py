"""Without the distributed extra (mpi4py hidden), every distributed entry point says what to
install; these run in-process whether or not the extra is installed."""
import sys

import pytest

import ember
import ember.distributed as dist
from ember import cli, nn


@pytest.fixture
def no_mpi(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    monkeypatch.setitem(sys.modules, "mpi4py.MPI", None)


def test_calls_name_the_extra(no_mpi, monkeypatch):
    assert dist.is_available() is False and dist.is_mpi_available() is False
    assert dist.is_initialized() is False
    monkeypatch.setenv("RANK", "0")
    with pytest.raises(RuntimeError, match=r"pip install 'ember\[distributed\]'"):
        dist.init_process_group("gloo")
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        dist.all_reduce(ember.ones(2))
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        nn.parallel.DistributedDataParallel(nn.Linear(2, 2))


def test_torch_errors_before_any_mpi():
    with pytest.raises(RuntimeError, match="Distributed package doesn't have NCCL built in"):
        dist.init_process_group("nccl")
    with pytest.raises(AssertionError, match="Unknown backend type foo"):
        dist.init_process_group("foo")
    assert dist.Backend("GLOO") == dist.Backend.GLOO == "gloo"
    assert repr(dist.ReduceOp.SUM) == "<RedOpType.SUM: 0>"


def test_launcher_without_mpiexec(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("shutil.which", lambda name: None)
    script = tmp_path / "s.py"
    script.write_text("")
    with pytest.raises(SystemExit, match=r"mpiexec not found.*ember\[distributed\]"):
        cli.main(["run", "--nproc-per-node", "2", str(script)])
