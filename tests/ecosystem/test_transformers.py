"""transformers 5 under `ember run`: tiny BERT/GPT-2 from config give torch's logits, loss,
gradients and greedy generations, and round-trip through save_pretrained/from_pretrained."""
import importlib.util

import pytest

from tests.ecosystem._compare import compare, require

require("torch", "transformers")


def _missing():
    """What ember still lacks for transformers' model code path (each found by running it)."""
    import ember
    import ember.vision
    missing = []
    if importlib.util.find_spec("ember.distributions") is None:
        missing.append("ember.distributions (modeling_utils imports torch.distributions.constraints)")
    if importlib.util.find_spec("torchvision") and importlib.util.find_spec("ember.vision.io") is None:
        missing.append("ember.vision.io (imported when torchvision is installed)")
    if not hasattr(ember.device, "__enter__"):
        missing.append("`with torch.device('meta')` (from_pretrained builds the model on the meta device)")
    return missing


def test_transformers_tiny_models_match_torch(tmp_path):
    missing = _missing()
    if missing:
        pytest.skip("ember lacks: " + "; ".join(missing))
    records = compare("transformers_tiny.py", rtol=1e-3, atol=1e-4, workdir=tmp_path)
    assert len(records) == 11 and records[-1] == {"reloaded same": True}
