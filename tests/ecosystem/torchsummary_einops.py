"""torchsummary 1.5.1's `summary` and einops 0.8's documented calls on a small model; run under torch
and under `ember run` by test_torchsummary_einops.py, which compares the JSON lines."""
import contextlib
import io
import json

import torch
import torch.nn as nn
from einops import einsum, pack, rearrange, reduce, repeat, unpack
from einops.layers.torch import Rearrange, Reduce
from torchsummary import summary


def emit(name, value):
    print(json.dumps({name: value}))


def values(t):
    return [round(v, 5) for v in t.detach().double().flatten().tolist()]


torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(1, 6, 3), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
                    Rearrange("b c h w -> b (c h w)"), nn.Linear(6 * 13 * 13, 10))
text = io.StringIO()
with contextlib.redirect_stdout(text):
    summary(net, (1, 28, 28), device="cpu")
emit("summary", text.getvalue().splitlines())

x = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).reshape(2, 3, 4, 6)
emit("rearrange", list(rearrange(x, "b c (h p) w -> b (c p) h w", p=2).shape))
emit("rearrange_values", values(rearrange(x, "b c h w -> (b h) (w c)")[:3]))
emit("reduce_max", values(reduce(x, "b c (h h2) (w w2) -> b c h w", "max", h2=2, w2=3)))
emit("reduce_mean", values(reduce(x, "b c h w -> b c", "mean")))
emit("repeat", list(repeat(x[0, 0], "h w -> h w k", k=3).shape))
packed, shapes = pack([x[:, 0], x[:, 1:].flatten(2)], "b *")
emit("pack", [list(packed.shape), [list(s) for s in shapes]])
emit("unpack", [list(t.shape) for t in unpack(packed, shapes, "b *")])
emit("einsum", values(einsum(x[0], x[1], "c h w, c h w2 -> w w2")))
pool = Reduce("b c h w -> b c", "mean")
emit("reduce_layer", values(pool(x)))
w = torch.linspace(-1, 1, 18).reshape(3, 6).requires_grad_()
loss = rearrange(x * w[None, :, None, :], "b c h w -> (b c) (h w)").square().mean()
loss.backward()
emit("grad", values(w.grad))
