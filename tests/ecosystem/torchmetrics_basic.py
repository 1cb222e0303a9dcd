"""torchmetrics 1.9: Accuracy, F1Score and MeanSquaredError through update/compute/reset and the
functional forms (test_torchmetrics.py compares the JSON lines of the torch and ember runs)."""
import json

import torch
import torchmetrics
from torchmetrics.functional import accuracy, f1_score, mean_squared_error


def emit(name, value):
    print(json.dumps({name: value}), flush=True)


def r(t):
    return [round(v, 6) for v in t.detach().double().flatten().tolist()]


logits = torch.linspace(-3, 3, 60).reshape(12, 5).sin() * 4
target = torch.tensor([0, 1, 2, 3, 4, 0, 1, 2, 2, 1, 0, 4])
binary_p = torch.linspace(0, 1, 12)
binary_t = torch.tensor([0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1])

metrics = {
    "acc micro": torchmetrics.Accuracy(task="multiclass", num_classes=5),
    "acc macro": torchmetrics.Accuracy(task="multiclass", num_classes=5, average="macro"),
    "acc top2": torchmetrics.Accuracy(task="multiclass", num_classes=5, top_k=2),
    "f1 macro": torchmetrics.F1Score(task="multiclass", num_classes=5, average="macro"),
    "f1 none": torchmetrics.F1Score(task="multiclass", num_classes=5, average=None),
}
for name, metric in metrics.items():
    for lo, hi in [(0, 5), (5, 12)]:
        batch = metric(logits[lo:hi], target[lo:hi])
        emit(name + " batch", r(batch))
    emit(name + " compute", r(metric.compute()))
    metric.reset()
    metric.update(logits[:3], target[:3])
    emit(name + " after reset", r(metric.compute()))

bacc = torchmetrics.Accuracy(task="binary")
bf1 = torchmetrics.F1Score(task="binary", threshold=0.4)
for lo, hi in [(0, 6), (6, 12)]:
    bacc.update(binary_p[lo:hi], binary_t[lo:hi])
    bf1.update(binary_p[lo:hi], binary_t[lo:hi])
emit("binary acc", r(bacc.compute()))
emit("binary f1", r(bf1.compute()))

mse = torchmetrics.MeanSquaredError()
rmse = torchmetrics.MeanSquaredError(squared=False)
for i in range(3):
    preds = torch.linspace(-1, 1, 8) * (i + 1)
    tgt = torch.linspace(1, -1, 8).square()
    mse.update(preds, tgt)
    rmse.update(preds, tgt)
    emit("mse step %d" % i, r(mse.compute()))
emit("rmse", r(rmse.compute()))
emit("mse dtype", str(mse.compute().dtype))

coll = torchmetrics.MetricCollection([torchmetrics.Accuracy(task="multiclass", num_classes=5),
                                      torchmetrics.F1Score(task="multiclass", num_classes=5)])
coll.update(logits, target)
emit("collection", {k: r(v) for k, v in coll.compute().items()})
emit("functional", [r(accuracy(logits, target, task="multiclass", num_classes=5)),
                    r(f1_score(logits, target, task="multiclass", num_classes=5, average="weighted")),
                    r(mean_squared_error(logits[:, 0], logits[:, 1]))])
