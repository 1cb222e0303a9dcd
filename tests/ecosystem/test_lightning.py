"""lightning 2.6 under `ember run`: a LightningModule fit for two epochs on the CPU, checkpointed and
reloaded, gives torch's metrics, weights and checkpoint layout."""
import importlib.util

import pytest

from tests.ecosystem._compare import compare, require

require("torch", "lightning", "torchmetrics")


def _missing():
    """What ember still lacks on lightning's import path (each found by running it)."""
    import ember.autograd
    import ember.optim
    import ember.vision.models
    missing = []
    if not hasattr(ember.optim, "LBFGS"):
        missing.append("ember.optim.LBFGS")
    for module in ("ember.optim.swa_utils", "ember.nn.utils.prune"):
        if importlib.util.find_spec(module) is None:
            missing.append(module)
    if not hasattr(ember.autograd, "set_detect_anomaly"):
        missing.append("ember.autograd.set_detect_anomaly")
    if importlib.util.find_spec("torchvision") and not hasattr(ember.vision.models, "VGG16_Weights"):
        missing.append("ember.vision.models.VGG16_Weights (torchmetrics imports it when torchvision is installed)")
    return missing


def test_lightning_fit_checkpoint_reload_match_torch(tmp_path):
    missing = _missing()
    if missing:
        pytest.skip("ember lacks: " + "; ".join(missing))
    records = compare("lightning_fit.py", rtol=1e-4, atol=5e-5, workdir=tmp_path)
    assert records[0] == {"epochs": [2, 8]} and records[-2] == {"reloaded": [8, True]}
