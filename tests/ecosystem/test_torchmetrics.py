"""torchmetrics 1.9 under `ember run`: Accuracy, F1Score and MeanSquaredError (module and functional
forms, MetricCollection) give torch's values through update/forward/compute/reset."""
import importlib.util

import pytest

from tests.ecosystem._compare import compare, require

require("torch", "torchmetrics")


def test_torchmetrics_match_torch():
    import ember.vision.models
    if importlib.util.find_spec("torchvision") and not hasattr(ember.vision.models, "VGG16_Weights"):
        pytest.skip("with torchvision installed, torchmetrics imports torchvision.models.vgg16 and "
                    "VGG16_Weights, which ember.vision.models does not provide yet")
    records = compare("torchmetrics_basic.py", rtol=1e-5, atol=1e-6)
    assert len(records) == 29 and records[-1]["functional"][0] == [0.25]
