"""Run by tests/distributed/test_distributed.py: one rank fails while the others wait.

argv[1] "raise": the last rank raises while the others sit in an all_reduce;
"timeout": rank 0 waits for a message nobody sends, with a 1 s process-group timeout.
"""
import datetime
import sys

import torch
import torch.distributed as dist

dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=1 if sys.argv[1] == "timeout" else 600))
r, n = dist.get_rank(), dist.get_world_size()
if sys.argv[1] == "raise":
    if r == n - 1:
        raise ZeroDivisionError("rank failed on purpose")
    dist.all_reduce(torch.ones(2))
elif r == 0:
    dist.recv(torch.zeros(1), src=1)
else:
    dist.barrier()
