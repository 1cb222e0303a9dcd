"""ember.distributed: torch.distributed's process groups and collectives, on MPI.

Processes are started by ``ember run --nproc-per-node N script.py`` (or
``mpiexec -n N ember run script.py``); ``init_process_group`` joins them into
the default group over MPI (mpi4py, from the ``distributed`` extra). Without
mpi4py, ``is_available()`` is False and initialising raises a RuntimeError
that says what to install.
"""
import os

from . import _mpi
from ._collectives import (ReduceOp, Work, all_gather, all_gather_into_tensor, all_reduce,
                           all_to_all, all_to_all_single, barrier, broadcast, gather, irecv, isend,
                           recv, reduce, reduce_scatter, reduce_scatter_tensor, scatter, send)
from ._group import (Backend, GroupMember, ProcessGroup, destroy_process_group, get_backend,
                     get_global_rank, get_group_rank, get_process_group_ranks, get_rank,
                     get_world_size, init_process_group, is_initialized, new_group)
from ._objects import (all_gather_object, broadcast_object_list, gather_object, recv_object_list,
                       scatter_object_list, send_object_list)

__all__ = ["Backend", "GroupMember", "ProcessGroup", "ReduceOp", "Work", "all_gather",
           "all_gather_into_tensor", "all_gather_object", "all_reduce", "all_to_all",
           "all_to_all_single", "barrier", "broadcast", "broadcast_object_list",
           "destroy_process_group", "gather", "gather_object", "get_backend", "get_global_rank",
           "get_group_rank", "get_process_group_ranks", "get_rank", "get_world_size",
           "group", "init_process_group", "irecv", "is_available", "is_initialized",
           "is_mpi_available",
           "is_gloo_available", "is_nccl_available", "is_torchelastic_launched", "isend",
           "new_group", "recv",
           "recv_object_list", "reduce", "reduce_op", "reduce_scatter", "reduce_scatter_tensor",
           "scatter", "scatter_object_list", "send", "send_object_list"]

reduce_op = ReduceOp
group = GroupMember  # ``dist.group.WORLD``: the default group


def is_available():
    """True when the MPI engine (mpi4py and an MPI library) can be imported."""
    return _mpi.available()


def is_mpi_available():
    """True when the ``"mpi"`` backend can run: same as ``is_available()``."""
    return _mpi.available()


def is_gloo_available():
    """True when the ``"gloo"`` backend can run; ember runs it on MPI too."""
    return _mpi.available()


def is_torchelastic_launched():
    """True when the process was started by torch's elastic launcher (``torchrun``), which sets
    ``TORCHELASTIC_RUN_ID``; ``ember run`` does not, so this is False under it."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def is_nccl_available():
    """False: ember has no NCCL backend."""
    return False
