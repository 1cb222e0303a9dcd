"""ember.distributed.constants: default timeouts for process groups.

``default_pg_timeout`` is the ``datetime.timedelta`` a group waits in a
collective before giving up (30 minutes, as torch's); ember's MPI engine
accepts it for compatibility. ``default_pg_nccl_timeout`` is None because
ember has no NCCL backend.

Example::

    >>> from ember.distributed.constants import default_pg_timeout
    >>> default_pg_timeout.total_seconds()
    1800.0
"""
from ._group import _DEFAULT_TIMEOUT

__all__ = ["default_pg_timeout", "default_pg_nccl_timeout"]

default_pg_timeout = _DEFAULT_TIMEOUT
default_pg_nccl_timeout = None
