"""ember.distributed: the queries single-process scripts make, answered for one process.

ember has no process groups (an mpi4py-based backend is future work):
``is_available()`` is False, and anything that needs the default process group
raises torch's "not initialized" error.
"""
__all__ = [
    "barrier",
    "destroy_process_group",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
]


class _NotInitializedError(ValueError, RuntimeError):
    """Recent torch raises ValueError here and older torch RuntimeError; catch either."""


def is_available():
    return False


def is_initialized():
    return False


def _no_group(*args, **kwargs):
    raise _NotInitializedError("Default process group has not been initialized, "
                               "please make sure to call init_process_group.")


get_rank = get_world_size = barrier = destroy_process_group = _no_group


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    raise NotImplementedError("ember.distributed has no process-group backend yet (mpi4py-based "
                              "support is future work); run the script as a single process")
