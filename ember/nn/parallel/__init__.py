"""``ember.nn.parallel``: ``DataParallel`` (one device here) and ``DistributedDataParallel``.

Each lives in the file torch keeps it in (``data_parallel.py``, ``distributed.py``), so pickled
wrappers name the same globals in both libraries.
"""
from .data_parallel import DataParallel, data_parallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]
