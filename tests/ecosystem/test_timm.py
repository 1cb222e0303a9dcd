"""timm 1.0 under `ember run`: five architectures built by `create_model` have torch's parameter
counts and, from torch's initial weights, torch's outputs, loss, gradient norm and post-step outputs."""
from tests.ecosystem._compare import compare, require

require("torch", "timm")


def test_timm_models_match_torch(tmp_path):
    records = compare("timm_models.py", rtol=2e-3, atol=2e-3, workdir=tmp_path)
    counts = {next(iter(r)): r[next(iter(r))][0] for r in records if next(iter(r)).endswith("params")}
    assert counts["resnet18 params"] == 11181642 and counts["vit_tiny_patch16_224 params"] == 5526346
    assert len(records) == 25
