"""torchdiffeq 0.2.5: `odeint` (dopri5, rk4) and `odeint_adjoint` of a small MLP vector field,
with gradients; the ember run loads the torch run's weights from $ECOSYSTEM_WORKDIR
(test_torchdiffeq.py compares the JSON lines)."""
import json
import os

import torch
import torch.nn as nn
from torchdiffeq import odeint, odeint_adjoint

WORKDIR = os.environ["ECOSYSTEM_WORKDIR"]


def emit(name, value):
    print(json.dumps({name: value}), flush=True)


def values(t):
    return [round(v, 5) for v in t.detach().double().flatten().tolist()]


class Field(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))

    def forward(self, t, y):
        return self.net(y) * torch.cos(t)


torch.manual_seed(0)
field = Field()
path = os.path.join(WORKDIR, "field.pt")
if os.path.exists(path):
    field.load_state_dict(torch.load(path))
else:
    torch.save(field.state_dict(), path)
y0 = torch.tensor([[0.5, -1.0], [1.5, 0.25]])
t = torch.linspace(0.0, 1.0, 5)

for method, options in [("dopri5", {}), ("rk4", {"step_size": 0.1})]:
    field.zero_grad()
    start = y0.clone().requires_grad_()
    ys = odeint(field, start, t, rtol=1e-6, atol=1e-8, method=method, options=options)
    emit(method + " ys", values(ys))
    ys[-1].square().sum().backward()
    emit(method + " grad y0", values(start.grad))
    emit(method + " grad weight", values(field.net[0].weight.grad))

field.zero_grad()
start = y0.clone().requires_grad_()
ys = odeint_adjoint(field, start, t, rtol=1e-6, atol=1e-8)
emit("adjoint ys", values(ys))
ys[-1].square().sum().backward()
emit("adjoint grad y0", values(start.grad))
emit("adjoint grad weight", values(field.net[0].weight.grad))
emit("adjoint grad bias", values(field.net[2].bias.grad))
