"""Run by tests/distributed/test_distributed.py: one rank fails while the others wait.

argv[1] "raise": the last rank raises while the others sit in an all_reduce; "early": it
raises before init_process_group; "exit": it calls sys.exit(3) there; "timeout": rank 0
waits for a message nobody sends, with a 1 s process-group timeout.
"""
import datetime
import os
import sys

import torch
import torch.distributed as dist

mode = sys.argv[1]
last = int(os.environ["RANK"]) == int(os.environ["WORLD_SIZE"]) - 1
if last and mode == "early":
    raise ZeroDivisionError("rank failed on purpose")
if last and mode == "exit":
    sys.exit(3)
dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=1 if mode == "timeout" else 600))
if mode == "timeout":
    if dist.get_rank() == 0:
        dist.recv(torch.zeros(1), src=1)
    else:
        dist.barrier()
if last:
    raise ZeroDivisionError("rank failed on purpose")
dist.all_reduce(torch.ones(2))
