"""transformers 5 under `ember run`: tiny BERT/GPT-2 from config give torch's logits, loss,
gradients and greedy generations, and round-trip through save_pretrained/from_pretrained."""
from tests.ecosystem._compare import compare, require

require("torch", "transformers")


def test_transformers_tiny_models_match_torch(tmp_path):
    records = compare("transformers_tiny.py", rtol=1e-3, atol=1e-4, workdir=tmp_path)
    assert len(records) == 11 and records[-1] == {"reloaded same": True}
