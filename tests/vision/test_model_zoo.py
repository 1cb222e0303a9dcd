"""ember.vision.models against torchvision.

Oracle: tests/vision/fixtures/torchvision_models.json, recorded by make_fixtures.py from
torchvision 0.28.0's own model definitions executed on real torch (layout facts of every
builder; eval outputs of small configurations under fixed weights).  torchvision itself is
not imported here: its compiled ops do not load beside the CPU torch.
"""
import hashlib
import json
import os
import warnings

import numpy as np
import pytest

import ember
from ember import nn
from ember.vision import models
from tests.vision._cases import CASES, cotangent, fixed_input, fixed_weights, sample
from tests.vision._facts import model_facts

with open(os.path.join(os.path.dirname(__file__), "fixtures", "torchvision_models.json")) as f:
    FIXTURE = json.load(f)


@pytest.fixture
def no_init(monkeypatch):
    """Skip the random fills (layout only): untouched parameter memory is never paged in."""
    monkeypatch.setattr(ember.Tensor, "uniform_", lambda self, *a, **k: self)
    monkeypatch.setattr(ember.Tensor, "normal_", lambda self, *a, **k: self)
    monkeypatch.setattr(nn.init, "trunc_normal_", lambda t, *a, **k: t)


def test_every_torchvision_classification_builder_exists():
    assert sorted(FIXTURE["models"]) == models.list_models()
    assert sorted(FIXTURE["classification_models"]) == models.list_models()


@pytest.mark.parametrize("name", sorted(FIXTURE["models"]))
def test_layout_matches_torchvision(name, no_init):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # GoogLeNet/Inception init notice
        model = models.get_model(name)
    assert model_facts(model) == FIXTURE["models"][name]


@pytest.mark.parametrize("name", sorted(FIXTURE["weights"]))
def test_weights_enum_matches_torchvision(name):
    expected = FIXTURE["weights"][name]
    enum = models.get_model_weights(name)
    assert enum.__name__ == expected["enum"] and getattr(models, enum.__name__) is enum
    assert enum.DEFAULT is enum[expected["default"]]
    assert {m.name for m in enum} == set(expected["members"])
    for member in enum:
        facts, preset = expected["members"][member.name], member.transforms()
        assert member.url.rsplit("/", 1)[-1] == facts["file"]
        assert member.meta["num_params"] == facts["num_params"]
        assert list(member.meta["min_size"]) == facts["min_size"]
        categories = member.meta["categories"] or []  # None: a features-only checkpoint
        assert len(categories) == facts["num_categories"] == (member.meta["num_classes"] or 0)
        assert hashlib.sha256("\n".join(categories).encode()).hexdigest()[:16] == \
            facts["categories_hash"]
        assert preset.crop_size == facts["crop_size"] and preset.resize_size == facts["resize_size"]
        assert preset.interpolation.value == facts["interpolation"]
        assert preset.mean == facts["mean"] and preset.std == facts["std"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_and_input_grad_match_torchvision(case):
    build, shape = CASES[case]
    ember.manual_seed(0)
    model = build(models).eval()
    weights = {k: ember.from_numpy(v) for k, v in fixed_weights(model).items()}
    result = model.load_state_dict(weights, strict=False)
    assert not result.unexpected_keys
    x = ember.from_numpy(fixed_input(shape)).requires_grad_(True)
    out = model(x)
    expected = FIXTURE["forward"][case]
    assert list(out.shape) == expected["shape"]
    np.testing.assert_allclose(out.detach().numpy().ravel(), expected["output"], rtol=2e-3,
                               atol=2e-4)
    (out * ember.from_numpy(cotangent(tuple(out.shape)))).sum().backward()
    grad, want = sample(x.grad.numpy()), np.array(expected["input_grad_sample"])
    np.testing.assert_allclose(grad, want, rtol=2e-3, atol=2e-3 * np.abs(want).max())
