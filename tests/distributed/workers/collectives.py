"""Run by tests/distributed/test_distributed.py under `ember run --nproc-per-node N`.

Every collective, on values each rank can predict, plus the launcher's environment,
groups, point-to-point, object variants, async handles, errors and checkpointing.
argv: a scratch directory for the checkpoint; the expected nproc per node.
"""
import datetime
import os
import sys

import numpy as np
import torch
import torch.distributed as dist

scratch, per_node = sys.argv[1], int(sys.argv[2])
assert torch.__name__ == "ember"
dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=60))
r, n = dist.get_rank(), dist.get_world_size()
env = {k: os.environ[k] for k in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE",
                                  "MASTER_ADDR", "MASTER_PORT")}
assert env == {"RANK": str(r), "LOCAL_RANK": str(r % per_node), "WORLD_SIZE": str(n),
               "LOCAL_WORLD_SIZE": str(per_node), "MASTER_ADDR": "127.0.0.1",
               "MASTER_PORT": "29500"}, env
assert dist.is_initialized() and dist.get_backend() == "gloo"
ranks = np.arange(n, dtype=np.float64)


def mine(dtype=torch.float32, k=3):
    """Rank r's tensor: [r+1, 2(r+1), ...]."""
    return torch.arange(1, k + 1, dtype=dtype) * (r + 1)


def close(t, expected):
    np.testing.assert_allclose(t.numpy(), np.asarray(expected, dtype=np.float64), rtol=1e-6)


base = np.arange(1, 4)
scales = ranks + 1
for op, expected in [(dist.ReduceOp.SUM, base * scales.sum()),
                     (dist.ReduceOp.AVG, base * scales.mean()),
                     (dist.ReduceOp.PRODUCT, base ** n * scales.prod()), (dist.ReduceOp.MIN, base),
                     (dist.ReduceOp.MAX, base * n)]:
    t = mine()
    assert dist.all_reduce(t, op=op) is None
    close(t, expected)
t = mine(torch.int64)
dist.all_reduce(t)
assert t.dtype == torch.int64 and t.tolist() == (base * scales.sum()).tolist()
try:
    dist.all_reduce(mine(torch.int64), op=dist.ReduceOp.AVG)
    raise AssertionError("AVG on int64 must raise")
except RuntimeError as exc:
    assert str(exc) == "result type Float can't be cast to the desired output type Long", exc
flags = torch.tensor([r == 0, True])
dist.all_reduce(flags, op=dist.ReduceOp.MIN)
assert flags.tolist() == [n == 1, True]

# non-contiguous tensors reduce in place too
t = torch.arange(6.0).reshape(2, 3).t() * (r + 1)
dist.all_reduce(t)
close(t, np.arange(6.0).reshape(2, 3).T * scales.sum())
t = torch.zeros(3, 2).t()
dist.broadcast(t if r else torch.ones(2, 3), src=0)
close(t, np.ones((2, 3)) * (r > 0))
assert dist.group.WORLD is dist.GroupMember.WORLD is not None

# async handles
t = mine()
work = dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True)
assert work.wait() is True and work.is_completed()
close(t, base * scales.mean())
assert work.result()[0] is t

t = mine()
dist.reduce(t, dst=n - 1)
close(t, base * scales.sum() if r == n - 1 else base * (r + 1))
t = mine()
dist.broadcast(t, src=1)
close(t, base * 2)
out = [torch.zeros(3) for _ in range(n)]
dist.all_gather(out, mine())
for i, o in enumerate(out):
    close(o, base * (i + 1))
flat = torch.zeros(n * 3)
dist.all_gather_into_tensor(flat, mine())
close(flat, np.concatenate([base * (i + 1) for i in range(n)]))
stacked = torch.zeros(n, 3)
assert dist.all_gather_into_tensor(stacked, mine()) is None
close(stacked, [base * (i + 1) for i in range(n)])
got = [torch.zeros(3) for _ in range(n)] if r == 0 else None
dist.gather(mine(), got, dst=0)
if r == 0:
    for i, o in enumerate(got):
        close(o, base * (i + 1))
t = torch.zeros(3)
dist.scatter(t, [torch.full((3,), 10.0 + i) for i in range(n)] if r == 0 else None, src=0)
close(t, [10.0 + r] * 3)
# rank r contributes (r+1)*[k*10 + j] to block k; block r lands on rank r
blocks = [(torch.arange(2.0) + 10 * k) * (r + 1) for k in range(n)]
t = torch.zeros(2)
dist.reduce_scatter(t, blocks)
close(t, (np.arange(2) + 10 * r) * scales.sum())
t = torch.zeros(2)
dist.reduce_scatter_tensor(t, torch.cat(blocks), op=dist.ReduceOp.MAX)
close(t, (np.arange(2) + 10 * r) * n)
# all_to_all: rank r sends 100*r + k to rank k
outs = [torch.zeros(2) for _ in range(n)]
dist.all_to_all(outs, [torch.full((2,), 100.0 * r + k) for k in range(n)])
for k, o in enumerate(outs):
    close(o, [100.0 * k + r] * 2)
t = torch.zeros(n)
dist.all_to_all_single(t, torch.arange(n, dtype=torch.float32) + 100 * r)
close(t, [100.0 * k + r for k in range(n)])
# uneven splits: rank r sends k+1 rows to rank k, so rank r receives r+1 rows from each
src = torch.cat([torch.full((k + 1, 2), 100.0 * r + k) for k in range(n)])
t = torch.zeros(n * (r + 1), 2)
dist.all_to_all_single(t, src, [r + 1] * n, list(range(1, n + 1)))
close(t, np.repeat([[100.0 * k + r] * 2 for k in range(n)], r + 1, axis=0))

# point to point around a ring
right, left = (r + 1) % n, (r - 1) % n
recv_buf = torch.zeros(3)
send_work = dist.isend(mine(), right)
recv_work = dist.irecv(recv_buf, left)
send_work.wait()
recv_work.wait()
close(recv_buf, base * (left + 1))
if r == 0:
    dist.send(torch.tensor([7, 8]), dst=n - 1)
elif r == n - 1:
    t = torch.zeros(2, dtype=torch.int64)
    assert dist.recv(t) == 0 and t.tolist() == [7, 8]

# groups: the even ranks
evens = list(range(0, n, 2))
g = dist.new_group(evens)
if r in evens:
    assert dist.get_rank(g) == evens.index(r) and dist.get_world_size(g) == len(evens)
    t = mine()
    dist.all_reduce(t, group=g)
    close(t, base * sum(e + 1 for e in evens))
    assert dist.get_process_group_ranks(g) == evens
else:
    assert dist.get_rank(g) == -1 and dist.get_world_size(g) == -1

# objects (pickled, unlike tensors)
objs = [None] * n
dist.all_gather_object(objs, {"rank": r})
assert objs == [{"rank": i} for i in range(n)]
lst = [r, "x"] if r == 0 else [None, None]
dist.broadcast_object_list(lst, src=0)
assert lst == [0, "x"]
gathered = [None] * n if r == 0 else None
dist.gather_object(r * r, gathered, dst=0)
assert r != 0 or gathered == [i * i for i in range(n)]
slot = [None]
dist.scatter_object_list(slot, [f"s{i}" for i in range(n)] if r == 0 else None, src=0)
assert slot == [f"s{r}"]

# errors as torch words them
for call, exc, text in [(lambda: dist.init_process_group("gloo"), ValueError, "twice"),
                        (lambda: dist.broadcast(mine(), src=n), ValueError,
                         "not part of the group")]:
    try:
        call()
        raise AssertionError(f"expected {exc.__name__}")
    except exc as e:
        assert text in str(e), e

# the sampler reads rank and world size from the process group
sampler = torch.utils.data.DistributedSampler(range(10), shuffle=False)
padded = [*range(10), *range(10)][:10 + (-10) % n]  # torch pads by repeating the start
assert list(sampler) == padded[r::n], list(sampler)

# checkpoint: rank 0 saves, everyone loads with map_location
model = torch.nn.Linear(3, 2)
if r == 0:
    torch.save(model.state_dict(), os.path.join(scratch, "ckpt.pt"))
dist.barrier()
state = torch.load(os.path.join(scratch, "ckpt.pt"), map_location="cpu")
mine_model = torch.nn.Linear(3, 2)
mine_model.load_state_dict(state)
w = mine_model.weight.detach().clone()
dist.broadcast(w, src=0)
assert torch.equal(w, mine_model.weight.detach())
dist.barrier()
dist.destroy_process_group()
assert not dist.is_initialized()

# tcp:// wants rank and world size (checked against MPI's); "mpi" is a backend name too
for kwargs, text in [({"world_size": n}, "rank parameter missing"),
                     ({"rank": r}, "world size parameter missing"),
                     ({"rank": r, "world_size": n + 1}, f"world_size={n + 1} but MPI started {n}")]:
    try:
        dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29500", **kwargs)
        raise AssertionError(f"expected ValueError for {kwargs}")
    except ValueError as exc:
        assert text in str(exc), exc
dist.init_process_group("mpi", init_method="tcp://127.0.0.1:29500", rank=r, world_size=n)
assert dist.get_backend() == "mpi" and dist.get_rank() == r
t = mine()
dist.all_reduce(t)
close(t, base * scales.sum())
dist.destroy_process_group()
print(f"OK {r}/{n}", flush=True)
