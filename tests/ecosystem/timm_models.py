"""timm 1.0's `create_model(name, pretrained=False, num_classes=10)` for five architectures:
parameter counts, a forward pass and one SGD training step. The torch run saves each model's
initial state_dict to $ECOSYSTEM_WORKDIR and the ember run loads it, so both compute from the same
weights (test_timm.py compares the JSON lines)."""
import json
import os

import timm
import torch
import torch.nn.functional as F

WORKDIR = os.environ["ECOSYSTEM_WORKDIR"]
MODELS = {"resnet18": 64, "vit_tiny_patch16_224": 224, "convnext_atto": 64,
          "mobilenetv3_small_050": 64, "efficientnet_b0": 64}


def emit(name, value):
    print(json.dumps({name: value}), flush=True)


def values(t):
    return [round(v, 4) for v in t.detach().double().flatten().tolist()]


torch.manual_seed(0)
for name, size in MODELS.items():
    model = timm.create_model(name, pretrained=False, num_classes=10)
    path = os.path.join(WORKDIR, name + ".pt")
    if os.path.exists(path):
        model.load_state_dict(torch.load(path))
    else:
        torch.save(model.state_dict(), path)
    batch = 1 if size == 224 else 2
    x = torch.linspace(-2, 2, batch * 3 * size * size).reshape(batch, 3, size, size).sin()
    emit(name + " params", [sum(p.numel() for p in model.parameters()),
                            sum(p.numel() for p in model.parameters() if p.requires_grad),
                            len(model.state_dict())])
    model.eval()
    with torch.no_grad():
        emit(name + " eval", values(model(x)))
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss = F.cross_entropy(model(x), torch.arange(batch) % 10)
    opt.zero_grad()
    loss.backward()
    emit(name + " loss", round(loss.item(), 4))
    emit(name + " grad norm", round(torch.stack([p.grad.norm() for p in model.parameters()]).norm().item(), 3))
    opt.step()
    model.eval()
    with torch.no_grad():
        emit(name + " after step", values(model(x)))
