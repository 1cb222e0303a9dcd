"""ember.vision.models: torchvision's ResNet layout, forward against torch ops, weights."""
import warnings

import numpy as np
import pytest

import ember
from ember import nn
from ember.vision import models
from tests.helpers import torch

BLOCKS = {"resnet18": ("basic", [2, 2, 2, 2]), "resnet34": ("basic", [3, 4, 6, 3]),
          "resnet50": ("bottleneck", [3, 4, 6, 3])}
BN = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


def expected_keys(name):
    """torchvision's documented state_dict layout: stem, 4 stages of blocks, fc."""
    kind, layers = BLOCKS[name]
    convs = 2 if kind == "basic" else 3
    keys = ["conv1.weight"] + [f"bn1.{b}" for b in BN]
    for stage, blocks in enumerate(layers, start=1):
        for block in range(blocks):
            prefix = f"layer{stage}.{block}."
            for i in range(1, convs + 1):
                keys += [f"{prefix}conv{i}.weight"] + [f"{prefix}bn{i}.{b}" for b in BN]
            # the first block of a stage changes the shape (stride 2 or more channels)
            if block == 0 and (stage > 1 or kind == "bottleneck"):
                keys += [f"{prefix}downsample.0.weight"] + [f"{prefix}downsample.1.{b}" for b in BN]
    return keys + ["fc.weight", "fc.bias"]


@pytest.mark.parametrize("name,n_params", [("resnet18", 11689512), ("resnet34", 21797672),
                                           ("resnet50", 25557032)])
def test_state_dict_keys_and_parameter_count(name, n_params):
    model = getattr(models, name)()
    assert list(model.state_dict()) == expected_keys(name)
    # parameter counts published with torchvision's ImageNet weights
    assert sum(p.numel() for p in model.parameters()) == n_params


def test_grouped_and_wide_variants():
    resnext = models.resnext50_32x4d()
    assert sum(p.numel() for p in resnext.parameters()) == 25028904
    assert resnext.layer1[0].conv2.groups == 32 and resnext.layer1[0].conv2.out_channels == 128
    # wide_resnet50_2 is this with blocks [3, 4, 6, 3]; one block per stage keeps the test fast
    wide = models.ResNet(models.Bottleneck, [1, 1, 1, 1], width_per_group=128)
    assert wide.layer1[0].conv2.out_channels == 128 and wide.layer4[0].conv3.out_channels == 2048
    assert models.wide_resnet50_2.__name__ == "wide_resnet50_2"


def test_module_structure_and_repr():
    model = models.resnet18()
    assert [name for name, _ in model.named_children()] == [
        "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    assert isinstance(model.layer2[0], models.BasicBlock)
    assert isinstance(model.layer2[0].downsample, nn.Sequential)
    assert model.layer1[0].downsample is None
    assert "ReLU(inplace=True)" in repr(model)
    assert model.conv1.stride == (2, 2) and model.maxpool.kernel_size == 3
    assert isinstance(models.resnet50().layer3[5], models.Bottleneck)


def _torch_resnet_forward(sd, x, bottleneck):
    """ResNet forward written with torch.nn.functional on an ember state dict (eval mode)."""
    tf = torch.nn.functional
    w = {k: torch.from_numpy(np.array(v.numpy())) for k, v in sd.items()}

    def bn(prefix, t):
        return tf.batch_norm(t, w[prefix + "running_mean"], w[prefix + "running_var"],
                             w[prefix + "weight"], w[prefix + "bias"], False, 0.0, 1e-5)

    x = tf.max_pool2d(tf.relu(bn("bn1.", tf.conv2d(x, w["conv1.weight"], stride=2, padding=3))),
                      3, 2, 1)
    for stage in range(1, 5):
        block = 0
        while f"layer{stage}.{block}.conv1.weight" in w:
            p = f"layer{stage}.{block}."
            stride = 2 if stage > 1 and block == 0 else 1
            if bottleneck:
                out = tf.relu(bn(p + "bn1.", tf.conv2d(x, w[p + "conv1.weight"])))
                out = tf.relu(bn(p + "bn2.", tf.conv2d(out, w[p + "conv2.weight"], stride=stride,
                                                       padding=1)))
                out = bn(p + "bn3.", tf.conv2d(out, w[p + "conv3.weight"]))
            else:
                out = tf.relu(bn(p + "bn1.", tf.conv2d(x, w[p + "conv1.weight"], stride=stride,
                                                       padding=1)))
                out = bn(p + "bn2.", tf.conv2d(out, w[p + "conv2.weight"], padding=1))
            if p + "downsample.0.weight" in w:
                x = tf.conv2d(x, w[p + "downsample.0.weight"], stride=stride)
                x = bn(p + "downsample.1.", x)
            x = tf.relu(out + x)
            block += 1
    x = tf.adaptive_avg_pool2d(x, 1).flatten(1)
    return tf.linear(x, w["fc.weight"], w["fc.bias"])


@pytest.mark.parametrize("name", ["resnet18", "resnet50"])
def test_forward_matches_torch_functional(name):
    ember.manual_seed(0)
    model = getattr(models, name)(num_classes=7).eval()
    for m in model.modules():  # non-trivial statistics so batch norm is really exercised
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    x = ember.randn(1 if name == "resnet50" else 2, 3, 32, 32)
    with ember.no_grad():
        out = model(x)
    assert tuple(out.shape) == (len(x), 7)
    expected = _torch_resnet_forward(model.state_dict(), torch.from_numpy(np.array(x.numpy())),
                                     name == "resnet50")
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-3, atol=1e-4)


def test_training_step_and_seed_feature_extractor_pattern():
    resnet = models.resnet18()
    for param in resnet.parameters():
        param.requires_grad_(False)
    modules = list(resnet.children())[:-1]
    backbone = nn.Sequential(*modules)
    embed = nn.Linear(resnet.fc.in_features, 16)
    features = backbone(ember.randn(2, 3, 32, 32))
    assert tuple(features.shape) == (2, 512, 1, 1)
    embed(features.view(features.size(0), -1)).sum().backward()
    assert embed.weight.grad is not None and resnet.conv1.weight.grad is None


def test_init_and_options():
    model = models.resnet18(zero_init_residual=True)
    assert float(model.layer1[0].bn2.weight.abs().sum()) == 0.0
    assert float(model.layer1[0].bn1.weight.sum()) == 64.0
    std = float(model.conv1.weight.std())
    assert abs(std - (2.0 / (64 * 49)) ** 0.5) < 0.003  # kaiming normal, fan_out, relu
    assert models.resnet50(num_classes=3).fc.out_features == 3
    dilated = models.resnet50(replace_stride_with_dilation=[False, True, True])
    assert tuple(dilated(ember.randn(1, 3, 32, 32)).shape) == (1, 1000)
    assert dilated.layer4[1].conv2.dilation == (4, 4)
    with pytest.raises(ValueError, match="BasicBlock only supports groups=1"):
        models.resnet18(groups=2)


def test_pretrained_raises_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.warns(UserWarning, match="'pretrained' is deprecated"):
        with pytest.raises(RuntimeError, match="ember cannot download pretrained weights") as info:
            models.resnet50(pretrained=True)
    message = str(info.value)
    assert "resnet50-0676ba61.pth" in message and "load_state_dict(ember.load(" in message
    with pytest.raises(RuntimeError, match="resnet50-11ad3fa6.pth"):
        models.resnet50(weights="DEFAULT")
    with pytest.raises(RuntimeError, match="resnet18-f37072fd.pth"):
        models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)
    with pytest.raises(ValueError, match="'num_classes' expected value 1000 but got 10"):
        models.resnet18(weights="DEFAULT", num_classes=10)
    with pytest.raises(TypeError, match="Invalid weights"):
        models.resnet18(weights="IMAGENET9K")


def test_weights_load_from_local_torch_hub_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    source = models.resnet18()
    folder = tmp_path / "hub" / "checkpoints"
    folder.mkdir(parents=True)
    torch.save({k: torch.from_numpy(np.array(v.numpy())) for k, v in source.state_dict().items()},
               folder / "resnet18-f37072fd.pth")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = models.resnet18(pretrained=True)
    for (k, a), b in zip(source.state_dict().items(), loaded.state_dict().values()):
        assert np.array_equal(a.numpy(), b.numpy()), k


def test_weights_enums_and_registry():
    W = models.ResNet50_Weights
    assert W.DEFAULT is W.IMAGENET1K_V2
    assert W.verify("ResNet50_Weights.IMAGENET1K_V1") is W.IMAGENET1K_V1
    assert models.ResNet18_Weights.DEFAULT is models.ResNet18_Weights.IMAGENET1K_V1
    assert models.get_weight("ResNet50_Weights.DEFAULT") is W.IMAGENET1K_V2
    assert models.get_model_weights("resnet50") is W and "resnet34" in models.list_models()
    assert models.get_model("resnet18", num_classes=4).fc.out_features == 4
    preprocess = W.DEFAULT.transforms()
    assert preprocess.resize_size == [232] and preprocess.crop_size == [224]
    out = preprocess(ember.randint(0, 256, (3, 300, 260)).to(ember.uint8))
    assert tuple(out.shape) == (3, 224, 224) and out.dtype == ember.float32
