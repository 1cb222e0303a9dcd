"""The multi-process side of ``ember run``: a torchrun-style launcher on ``mpiexec``.

``ember run --nproc-per-node N script.py`` re-runs itself as
``mpiexec -n N python -m ember run script.py``; every process then finds it
is inside an MPI job and sets torchrun's variables (RANK, LOCAL_RANK,
WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT) before running the
script, so ``mpiexec -n N ember run script.py`` works the same. A process
whose script fails aborts the whole MPI job, so the others never hang.
"""
import os
import shutil
import subprocess
import sys
from . import _mpi

__all__ = ["abort", "add_arguments", "in_mpi_job", "launch", "set_environment"]

# rank, size, local rank, local size as MPICH (Hydra) and Open MPI publish them
_MPI_VARS = (("PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"),
             ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
              "OMPI_COMM_WORLD_LOCAL_SIZE"))


def add_arguments(parser):
    """Add torchrun's launcher flags to the ``run`` sub-command's ``parser``."""
    group = parser.add_argument_group("multi-process launch (like torchrun, on mpiexec)")
    group.add_argument("--nproc-per-node", "--nproc_per_node", type=int, default=None,
                       help="processes per node; launches the script N times through mpiexec")
    group.add_argument("--nnodes", type=int, default=1,
                       help="number of nodes (several on one machine without --hostfile)")
    group.add_argument("--node-rank", "--node_rank", type=int, default=0,
                       help="this node's rank; MPI starts every node from node 0")
    group.add_argument("--master-addr", "--master_addr", default="127.0.0.1",
                       help="MASTER_ADDR given to the processes")
    group.add_argument("--master-port", "--master_port", type=int, default=29500,
                       help="MASTER_PORT given to the processes")
    group.add_argument("--standalone", action="store_true",
                       help="one node on this machine (the default here; accepted for torchrun)")
    group.add_argument("--hostfile", default=None,
                       help="MPI host file naming the nodes (passed to mpiexec -f)")


def _mpiexec():
    path = shutil.which("mpiexec")
    if path is None:
        raise SystemExit("ember run: mpiexec not found; multi-process runs need MPI: "
                         "pip install 'ember[distributed]'")
    return path


def launch(options):
    """Start ``nnodes * nproc_per_node`` copies of the script under mpiexec; their exit code."""
    if options.node_rank != 0:
        print("ember run: MPI starts the processes of every node from node 0 (list the nodes in "
              "--hostfile); run the launcher only there", file=sys.stderr)
        return 2
    nproc = options.nproc_per_node
    world = nproc * options.nnodes
    cmd = [_mpiexec(), "-n", str(world)]
    if options.hostfile:
        cmd += ["-f", options.hostfile, "-ppn", str(nproc)]
    cmd += [sys.executable, "-m", "ember", "run", options.script, *options.args]
    env = dict(os.environ, MASTER_ADDR=options.master_addr, MASTER_PORT=str(options.master_port),
               EMBER_NPROC_PER_NODE=str(nproc))
    return subprocess.call(cmd, env=env)


def in_mpi_job():
    """True when this process was started by mpiexec (MPICH or Open MPI)."""
    return any(names[0] in os.environ for names in _MPI_VARS)


def set_environment(options):
    """Set torchrun's variables in this MPI process from the MPI launcher's own."""
    names = next(names for names in _MPI_VARS if names[0] in os.environ)
    rank, size = int(os.environ[names[0]]), int(os.environ[names[1]])
    per_node = int(os.environ.get("EMBER_NPROC_PER_NODE", os.environ.get(names[3], size)))
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(size), LOCAL_RANK=str(rank % per_node),
                      LOCAL_WORLD_SIZE=str(per_node), GROUP_RANK=str(rank // per_node))
    os.environ.setdefault("MASTER_ADDR", options.master_addr)
    os.environ.setdefault("MASTER_PORT", str(options.master_port))


def abort(code):
    """End every process of the MPI job after this one's script failed.

    MPI starts here if the script never got that far, since peers may
    already wait for this process inside MPI and only an abort frees them.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        MPI = _mpi.mpi()
    except RuntimeError:  # no MPI library: nothing can be waiting on this process through it
        return
    if not MPI.Is_finalized():
        if not MPI.Is_initialized():
            MPI.Init_thread()
        MPI.COMM_WORLD.Abort(code)
