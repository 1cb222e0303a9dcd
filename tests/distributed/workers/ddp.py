"""Run by tests/distributed/test_distributed.py under `ember run --nproc-per-node N`.

DistributedDataParallel (with SyncBatchNorm and DistributedSampler) against one process
training on the concatenated batches, for each DDP option; argv: nothing.
"""
import copy

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

dist.init_process_group("gloo")
r, n = dist.get_rank(), dist.get_world_size()
torch.manual_seed(0)
data = TensorDataset(torch.randn(5 * n + 1, 5), torch.randn(5 * n + 1, 3))  # padded
BATCH = 3


def net():
    return nn.Sequential(nn.Linear(5, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3))


def union_batches(epoch):
    """The batches of all ranks at each step, concatenated in rank order."""
    per_rank = []
    for k in range(n):
        s = DistributedSampler(data, n, k, shuffle=True, seed=7)
        s.set_epoch(epoch)
        idx = list(s)
        per_rank.append([idx[i:i + BATCH] for i in range(0, len(idx), BATCH)])
    return [sum(step, []) for step in zip(*per_rank)]


def assert_close(model, ref, what):
    for (name, a), b in zip(model.named_parameters(), ref.parameters()):
        err = (a.detach() - b.detach()).abs().max().item()
        assert err < 2e-5, f"{what}: {name} differs by {err}"
    for a, b in zip(model.buffers(), ref.buffers()):
        assert (a.float() - b.float()).abs().max().item() < 2e-5, f"{what}: buffer differs"


def train(options, accumulate=False):
    torch.manual_seed(100 + r)  # each rank starts different: DDP must broadcast rank 0's
    model = nn.SyncBatchNorm.convert_sync_batchnorm(net())
    ddp = DDP(model, bucket_cap_mb=0.0001, **options)
    assert len(ddp.reducer.buckets) > 1
    ref = net()
    ref.load_state_dict(model.state_dict())
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9)
    sampler = DistributedSampler(data, shuffle=True, seed=7)
    loader = DataLoader(data, batch_size=BATCH, sampler=sampler)
    for epoch in range(2):
        sampler.set_epoch(epoch)
        steps = list(zip(loader, union_batches(epoch)))
        for i, ((x, y), idx) in enumerate(steps):
            last = i == len(steps) - 1
            if accumulate and not last:  # accumulate every step but the last locally
                with ddp.no_sync():
                    nn.functional.mse_loss(ddp(x), y).backward()
            else:
                nn.functional.mse_loss(ddp(x), y).backward()
            X, Y = data[idx]
            nn.functional.mse_loss(ref(X), Y).backward()
            if not accumulate or last:
                opt.step()
                ref_opt.step()
                if options.get("gradient_as_bucket_view"):
                    flats = [b.flat for b in ddp.reducer.buckets]
                    assert all(any(p.grad.numpy().base is f for f in flats)
                               for p in model.parameters())
                opt.zero_grad()
                ref_opt.zero_grad()
        assert_close(model, ref, f"{options} accumulate={accumulate} epoch {epoch}")
    return ddp


ddp = train({})
assert list(ddp.state_dict())[:3] == ["module.0.weight", "module.0.bias", "module.1.weight"]
train({"gradient_as_bucket_view": True})
train({"broadcast_buffers": False}, accumulate=True)


class Branchy(nn.Module):
    """``extra`` is used by rank 0 only; ``never`` by nobody."""

    def __init__(self):
        super().__init__()
        self.body, self.extra, self.never = nn.Linear(4, 2), nn.Linear(4, 2), nn.Linear(4, 2)

    def forward(self, x, use_extra):
        return self.body(x) + (self.extra(x) if use_extra else 0)


torch.manual_seed(1)
x = torch.randn(2 * n, 4)
model = Branchy()
ddp = DDP(model, find_unused_parameters=True)
ref = copy.deepcopy(model)
for step in range(2):
    ddp(x[2 * r:2 * r + 2], r == 0).sum().backward()
    loss = sum(ref(x[2 * k:2 * k + 2], k == 0).sum() for k in range(n)) / n
    loss.backward()
    for (name, a), b in zip(model.named_parameters(), ref.parameters()):
        if name.startswith("never"):
            assert a.grad is None and b.grad is None
        else:
            assert (a.grad - b.grad).abs().max().item() < 1e-5, name

model = Branchy()
ddp = DDP(model)  # without find_unused_parameters, a parameter without gradient stalls it
ddp(x[:2], True).sum().backward()
try:
    ddp(x[:2], True)
    raise AssertionError("expected the unfinished-reduction error")
except RuntimeError as exc:
    assert "Expected to have finished reduction in the prior iteration" in str(exc)
print(f"OK {r}/{n}", flush=True)
