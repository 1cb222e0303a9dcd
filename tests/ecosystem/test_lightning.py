"""lightning 2.6 under `ember run`: a LightningModule fit for two epochs on the CPU, checkpointed and
reloaded, gives torch's metrics, weights and checkpoint layout."""
from tests.ecosystem._compare import compare, require

require("torch", "lightning", "torchmetrics")


def test_lightning_fit_checkpoint_reload_match_torch(tmp_path):
    records = compare("lightning_fit.py", rtol=1e-4, atol=5e-5, workdir=tmp_path)
    assert records[0] == {"epochs": [2, 8]} and records[-2] == {"reloaded": [8, True]}
