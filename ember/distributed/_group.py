"""Process groups on MPI: the default (world) group, ``new_group``, and the queries on them."""
import datetime
import os
from urllib.parse import urlparse

from . import _mpi

__all__ = ["Backend", "GroupMember", "ProcessGroup", "default_group", "destroy_process_group",
           "get_backend", "get_group_rank", "get_global_rank", "get_process_group_ranks",
           "get_rank", "get_world_size", "init_process_group", "is_initialized", "new_group"]

_DEFAULT_TIMEOUT = datetime.timedelta(minutes=30)


class _NotInitializedError(ValueError, RuntimeError):
    """Recent torch raises ValueError here and older torch RuntimeError; catch either."""


class Backend(str):
    """A backend name (``"gloo"``, ``"mpi"``, ``"nccl"``) normalised to lower case.

    ``Backend.GLOO`` and ``Backend.MPI`` both run on MPI in ember; ``Backend.NCCL``
    needs GPUs ember cannot drive through NCCL.

    Example::

        >>> from ember.distributed._group import Backend
        >>> Backend("GLOO") == Backend.GLOO
        True
    """

    GLOO = "gloo"
    MPI = "mpi"
    NCCL = "nccl"
    UNDEFINED = "undefined"

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError(f"Backend constructor parameter must be string-ish, but got: {name!r}")
        value = name.lower()
        if value not in (cls.GLOO, cls.MPI, cls.NCCL, cls.UNDEFINED):
            raise AssertionError(f"Unknown backend type {name}")
        return super().__new__(cls, value)


class ProcessGroup:
    """A set of processes that run collectives together: one MPI communicator.

    ``ranks`` are the members' ranks in the world group, in group-rank order;
    ``timeout`` (seconds) bounds how long a collective waits for its peers.
    Built by ``init_process_group`` and ``new_group``, not directly.
    """

    def __init__(self, comm, ranks, backend, timeout):
        self.comm = comm
        self.ranks = list(ranks)
        self.backend = backend
        self.timeout = timeout

    def rank(self):
        """This process's rank inside the group."""
        return self.comm.Get_rank()

    def size(self):
        """How many processes the group has."""
        return self.comm.Get_size()

    def __repr__(self):
        return f"ProcessGroup(backend={self.backend!r}, ranks={self.ranks})"


class GroupMember:
    """``GroupMember.WORLD`` is the default group once initialized; ``NON_GROUP_MEMBER`` is
    what ``new_group`` gives processes left out of the group."""

    WORLD = None
    NON_GROUP_MEMBER = object()


def _no_group():
    return _NotInitializedError("Default process group has not been initialized, please make "
                                "sure to call init_process_group.")


def is_initialized():
    """True between ``init_process_group`` and ``destroy_process_group``."""
    return GroupMember.WORLD is not None


def default_group(group=None):
    """``group``, or the default group when None; raises when nothing is initialized."""
    if group is GroupMember.NON_GROUP_MEMBER:
        raise ValueError("this process is not a member of the group")
    if group is not None:
        return group
    if GroupMember.WORLD is None:
        raise _no_group()
    return GroupMember.WORLD


def _check_rendezvous(init_method, world_size, rank, comm):
    """Apply torch's checks for ``env://`` and ``tcp://``; MPI has already done the rest.

    The rank and world size come from MPI; any that the caller or the
    environment states must agree with it.
    """
    scheme = urlparse(init_method).scheme
    if scheme == "env":
        for name in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
            if name not in os.environ and not (name == "RANK" and rank >= 0
                                               or name == "WORLD_SIZE" and world_size >= 0):
                raise ValueError(f"Error initializing torch.distributed using env:// rendezvous: "
                                 f"environment variable {name} expected, but not set")
        rank = int(os.environ["RANK"]) if rank < 0 else rank
        world_size = int(os.environ["WORLD_SIZE"]) if world_size < 0 else world_size
    elif scheme == "tcp":
        if rank < 0:
            raise ValueError("Error initializing torch.distributed using tcp:// rendezvous: "
                             "rank parameter missing")
        if world_size < 0:
            raise ValueError("Error initializing torch.distributed using tcp:// rendezvous: "
                             "world size parameter missing")
    elif scheme != "mpi":
        raise ValueError(f"ember.distributed supports init_method env://, tcp:// (or none), "
                         f"got {init_method!r}")
    if world_size >= 0 and world_size != comm.Get_size():
        raise ValueError(f"world_size={world_size} but MPI started {comm.Get_size()} processes; "
                         f"launch with `ember run --nproc-per-node {world_size}` or mpiexec")
    if rank >= 0 and rank != comm.Get_rank():
        raise ValueError(f"rank={rank} but MPI gives this process rank {comm.Get_rank()}")


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    """Join the default process group: every process the launcher started, through MPI.

    ``backend``: ``"gloo"`` or ``"mpi"`` (both MPI here; None picks gloo);
    ``"nccl"`` raises torch's error. ``init_method``: ``"env://"`` (the default;
    RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT must be set, as ``ember run``
    does) or ``"tcp://host:port"`` (``rank`` and ``world_size`` required).
    Ranks are MPI's, so a stated ``rank``/``world_size`` must match them.
    ``timeout`` (timedelta, default 30 min) bounds every collective's wait.

    Example (run with ``ember run --nproc-per-node 2 script.py``)::

        >>> dist.init_process_group("gloo")  # doctest: +SKIP
        >>> dist.get_world_size()  # doctest: +SKIP
        2
    """
    if GroupMember.WORLD is not None:
        raise ValueError("trying to initialize the default process group twice!")
    backend = Backend(backend or Backend.GLOO)
    if backend == Backend.NCCL:
        raise RuntimeError("Distributed package doesn't have NCCL built in")
    if store is not None and init_method is not None:
        raise ValueError("Cannot specify both init_method and store.")
    MPI = _mpi.mpi()
    if not MPI.Is_initialized():
        MPI.Init_thread()
    comm = MPI.COMM_WORLD
    if store is None:
        _check_rendezvous(init_method or "env://", world_size, rank, comm)
    timeout = (timeout or _DEFAULT_TIMEOUT).total_seconds()
    GroupMember.WORLD = ProcessGroup(comm.Dup(), range(comm.Get_size()), backend, timeout)


def destroy_process_group(group=None):
    """Leave ``group`` (by default the world group, which ends every group)."""
    pg = default_group(group)
    if pg is GroupMember.WORLD:
        GroupMember.WORLD = None
    pg.comm.Free()


def new_group(ranks=None, timeout=None, backend=None, pg_options=None,
              use_local_synchronization=False, group_desc=None, device_id=None):
    """A group of the world ranks in ``ranks`` (all when None), in that order.

    Every process must call it, members or not; non-members get
    ``GroupMember.NON_GROUP_MEMBER``.
    """
    world = default_group()
    ranks = sorted(range(world.size())) if ranks is None else list(ranks)
    for r in ranks:
        if not 0 <= r < world.size():
            raise ValueError(f"The new group's rank should be within the world_size set by "
                             f"init_process_group, got rank {r}")
    member = world.rank() in ranks
    comm = world.comm.Split(0 if member else _mpi.mpi().UNDEFINED,
                            ranks.index(world.rank()) if member else 0)
    if not member:
        return GroupMember.NON_GROUP_MEMBER
    seconds = timeout.total_seconds() if timeout is not None else world.timeout
    return ProcessGroup(comm, ranks, Backend(backend) if backend else world.backend, seconds)


def get_rank(group=None):
    """This process's rank in ``group`` (the default group when None); -1 for a non-member."""
    if group is GroupMember.NON_GROUP_MEMBER:
        return -1
    return default_group(group).rank()


def get_world_size(group=None):
    """How many processes ``group`` has (the default group when None); -1 for a non-member."""
    if group is GroupMember.NON_GROUP_MEMBER:
        return -1
    return default_group(group).size()


def get_backend(group=None):
    """The backend name ``group`` was made with, e.g. ``"gloo"``."""
    return default_group(group).backend


def get_process_group_ranks(group):
    """The world ranks of ``group``'s members, in group-rank order."""
    return list(default_group(group).ranks)


def get_global_rank(group, group_rank):
    """The world rank of the member that has rank ``group_rank`` in ``group``."""
    return default_group(group).ranks[group_rank]


def get_group_rank(group, global_rank):
    """The rank in ``group`` of the process with world rank ``global_rank``."""
    ranks = default_group(group).ranks
    if global_rank not in ranks:
        raise ValueError(f"Global rank {global_rank} is not part of group {group}")
    return ranks.index(global_rank)
