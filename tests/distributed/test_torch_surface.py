"""The torch.distributed module paths libraries import (lightning, transformers): the constants and
placements are real and equal torch's; the sharding APIs ember lacks raise NotImplementedError."""
import importlib.util
import subprocess
import sys

import pytest

import ember.distributed as dist
from ember.distributed import constants, device_mesh, fsdp
from ember.distributed.tensor import DTensor, Partial, Replicate, Shard, distribute_tensor
from ember.distributed.tensor.placement_types import _StridedShard

torch = pytest.importorskip("torch")


def test_constants_and_placements_match_torch():
    from torch.distributed.constants import default_pg_timeout
    from torch.distributed.tensor import placement_types as theirs
    assert constants.default_pg_timeout == default_pg_timeout
    assert constants.default_pg_nccl_timeout is None
    for ours, ref in ((Shard(1), theirs.Shard(1)), (Replicate(), theirs.Replicate()),
                      (Partial(), theirs.Partial()), (_StridedShard(0, split_factor=2),
                                                      theirs._StridedShard(0, split_factor=2))):
        assert repr(ours) == repr(ref)
    assert Shard(1) == Shard(1) != Shard(0) and Shard(0).is_shard(0) and not Shard(0).is_shard(1)
    assert Replicate().is_replicate() and Partial().is_partial("sum") and not Shard(0).is_partial()


def test_sharding_apis_say_what_ember_lacks(monkeypatch):
    for use in (lambda: DTensor(), lambda: distribute_tensor(None, None),
                lambda: device_mesh.init_device_mesh("cpu", (2,)), lambda: fsdp.fully_shard(None)):
        with pytest.raises(NotImplementedError, match="ember.distributed has no torch.distributed"):
            use()
    assert not isinstance(torch.zeros(1), DTensor)
    monkeypatch.delenv("TORCHELASTIC_RUN_ID", raising=False)
    assert dist.is_torchelastic_launched() is False
    monkeypatch.setenv("TORCHELASTIC_RUN_ID", "x")
    assert dist.is_torchelastic_launched() is True


@pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None, reason="mpi4py not installed")
def test_is_available_leaves_mpi4py_unimported():
    # lightning imports mpi4py itself after asking is_available() and expects MPI started; a
    # subprocess, since this process may already have imported mpi4py.MPI.
    code = ("import sys, ember.distributed as d; assert d.is_available(); "
            "assert 'mpi4py.MPI' not in sys.modules; from mpi4py import MPI; "
            "print(MPI.COMM_WORLD.Get_size())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "1", out.stderr
