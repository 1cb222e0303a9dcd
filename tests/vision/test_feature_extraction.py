"""create_feature_extractor (submodule nodes through forward hooks; ember has no fx tracer)
and IntermediateLayerGetter, checked against the model's own computation."""
import numpy as np
import pytest

import ember
from ember.vision import models
from ember.vision.models import feature_extraction as fe
from ember.vision.models._utils import IntermediateLayerGetter


def _reference_resnet_stages(model, x):
    x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    layer1 = model.layer1(x)
    layer2 = model.layer2(layer1)
    return layer1, layer2


def test_create_feature_extractor_returns_submodule_outputs():
    model = models.resnet18(num_classes=7).eval()
    extractor = fe.create_feature_extractor(model, {"layer1": "a", "layer2": "b", "fc": "logits"})
    assert not extractor.training
    x = ember.randn(1, 3, 32, 32)
    with ember.no_grad():
        out = extractor(x)
        layer1, layer2 = _reference_resnet_stages(model, x)
        logits = model(x)
    assert list(out) == ["a", "b", "logits"]
    np.testing.assert_allclose(out["a"].numpy(), layer1.numpy(), rtol=1e-6)
    np.testing.assert_allclose(out["b"].numpy(), layer2.numpy(), rtol=1e-6)
    np.testing.assert_allclose(out["logits"].numpy(), logits.numpy(), rtol=1e-6)
    # parameters are shared with the model and keep its state_dict keys
    assert list(extractor.state_dict()) == list(model.state_dict())
    assert extractor.layer1[0].conv1.weight is model.layer1[0].conv1.weight
    # the hooks are gone afterwards
    assert all(not m._forward_hooks for m in model.modules())


def test_repeated_calls_train_eval_nodes_and_errors():
    model = models.resnet18()
    extractor = fe.create_feature_extractor(model, train_return_nodes=["layer1.0.relu"],
                                            eval_return_nodes=["layer1.0.relu_1"])
    x = ember.randn(2, 3, 32, 32)
    first = extractor.train()(x)["layer1.0.relu"]
    block = model.layer1[0]
    extractor.eval()  # also puts the shared submodules in eval mode
    with ember.no_grad():
        stem = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        second = extractor(x)["layer1.0.relu_1"]
        expected = block(stem)  # the block ends with its second relu call
    assert tuple(first.shape) == (2, 64, 8, 8)
    np.testing.assert_allclose(second.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(NotImplementedError, match="no torch.fx tracer"):
        fe.create_feature_extractor(model, ["flatten"])
    with pytest.raises(ValueError, match="Either `return_nodes` or `train_return_nodes`"):
        fe.create_feature_extractor(model)
    with pytest.raises(ValueError, match="then both should be specified"):
        fe.create_feature_extractor(model, train_return_nodes=["layer1"])
    train_nodes, eval_nodes = fe.get_graph_node_names(model)
    assert train_nodes == eval_nodes and "layer4.1.bn2" in train_nodes


def test_intermediate_layer_getter():
    model = models.mobilenet_v2(width_mult=0.25, num_classes=3).eval()
    getter = IntermediateLayerGetter(model, {"features": "out"})
    assert list(getter.keys()) == ["features"]  # the classifier is dropped
    x = ember.randn(1, 3, 32, 32)
    with ember.no_grad():
        np.testing.assert_allclose(getter(x)["out"].numpy(), model.features(x).numpy())
    assert getter.return_layers == {"features": "out"}
    with pytest.raises(ValueError, match="return_layers are not present in model"):
        IntermediateLayerGetter(model, {"head": "out"})
