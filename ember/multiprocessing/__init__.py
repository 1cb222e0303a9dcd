"""``torch.multiprocessing``: the standard library's ``multiprocessing``, plus torch's extras.

ember tensors pickle by value (their NumPy arrays), so the stdlib's processes,
queues and pools carry them as they are; there is no shared-memory tensor
reduction to install.  The sharing-strategy calls accept torch's strategy
names, and ``spawn`` starts ``nprocs`` processes running ``fn(i, *args)``.

Example::

    >>> import ember.multiprocessing as mp
    >>> ctx = mp.get_context("spawn")
"""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403

__all__ = list(_mp.__all__) + ["get_sharing_strategy", "set_sharing_strategy",
                               "get_all_sharing_strategies", "spawn", "start_processes",
                               "ProcessExitedException"]

_STRATEGIES = {"file_descriptor", "file_system"}
_strategy = ["file_descriptor"]


def get_all_sharing_strategies():
    """torch's strategy names: ``{'file_descriptor', 'file_system'}``."""
    return set(_STRATEGIES)


def get_sharing_strategy():
    """The strategy last set (default ``'file_descriptor'``)."""
    return _strategy[0]


def set_sharing_strategy(new_strategy):
    """Record the strategy (ember tensors are sent by value either way)."""
    if new_strategy not in _STRATEGIES:
        raise AssertionError(f"unknown sharing strategy {new_strategy!r}")
    _strategy[0] = new_strategy


class ProcessExitedException(RuntimeError):
    """A process started by ``spawn`` exited with a non-zero code."""


def _run(fn, i, args):
    fn(i, *args)


def start_processes(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Start ``nprocs`` processes running ``fn(i, *args)``; with ``join``, wait and raise if
    one failed."""
    ctx = _mp.get_context(start_method)
    processes = [ctx.Process(target=_run, args=(fn, i, args), daemon=daemon)
                 for i in range(nprocs)]
    for p in processes:
        p.start()
    if not join:
        return processes
    for p in processes:
        p.join()
    for i, p in enumerate(processes):
        if p.exitcode != 0:
            raise ProcessExitedException(f"process {i} terminated with exit code {p.exitcode}")
    return None


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """``start_processes`` with the spawn start method."""
    return start_processes(fn, args, nprocs, join, daemon, start_method)
