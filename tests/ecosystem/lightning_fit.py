"""lightning 2.6: a LightningModule trained with `Trainer(max_epochs=2, accelerator='cpu')`,
checkpointed and reloaded. The torch run saves the initial weights to $ECOSYSTEM_WORKDIR and the
ember run starts from them (test_lightning.py compares the JSON lines)."""
import json
import os

import lightning as L
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WORKDIR = os.environ["ECOSYSTEM_WORKDIR"]


def emit(name, value):
    print(json.dumps({name: value}), flush=True)


class Regressor(L.LightningModule):
    def __init__(self, hidden=8, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(torch.nn.Linear(3, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", F.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


x = torch.linspace(-1, 1, 48).reshape(16, 3)
y = (x.sum(1, keepdim=True) * 0.5).sin()
train = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=False)
val = DataLoader(TensorDataset(x[:8], y[:8]), batch_size=4)

torch.manual_seed(0)
model = Regressor()
init = os.path.join(WORKDIR, "init.pt")
if os.path.exists(init):
    model.load_state_dict(torch.load(init))
else:
    torch.save(model.state_dict(), init)
root = os.path.join(WORKDIR, "run-" + str(os.getpid()))
trainer = L.Trainer(max_epochs=2, accelerator="cpu", devices=1, default_root_dir=root, logger=False,
                    enable_progress_bar=False, enable_model_summary=False, deterministic=True)
trainer.fit(model, train, val)
emit("epochs", [trainer.current_epoch, trainer.global_step])
emit("metrics", {k: round(float(v), 5) for k, v in sorted(trainer.callback_metrics.items())})
emit("weights", [round(v, 5) for v in model.net[0].weight.detach().flatten().tolist()])

ckpt = os.path.join(root, "final.ckpt")
trainer.save_checkpoint(ckpt)
raw = torch.load(ckpt, weights_only=False)
emit("checkpoint keys", sorted(k for k in raw if k not in ("pytorch-lightning_version",)))
emit("checkpoint state", [raw["epoch"], raw["global_step"], sorted(raw["state_dict"]), raw["hyper_parameters"]])
again = Regressor.load_from_checkpoint(ckpt)
emit("reloaded", [again.hparams.hidden, bool(torch.equal(again(x), model(x)))])
emit("validate", [{k: round(v, 5) for k, v in r.items()} for r in L.Trainer(accelerator="cpu", logger=False,
     enable_progress_bar=False, enable_model_summary=False).validate(again, val, verbose=False)])
