"""Weights of the torchvision model families: offline errors, loading from torch's hub
cache (with the key renames torchvision applies to its older checkpoints), the auxiliary
heads of GoogLeNet/Inception, and the registry.  Checkpoints here are written with real
torch.save from ember's own state dicts."""
import re
import warnings

import numpy as np
import pytest

import ember
from ember.vision import models
from tests.helpers import torch
from tests.vision._cases import fixed_weights


def _save_checkpoint(state_dict, folder, filename):
    folder.mkdir(parents=True, exist_ok=True)
    torch.save({k: torch.from_numpy(np.array(v.numpy())) for k, v in state_dict.items()},
               folder / filename)


def _assert_same_state(a, b):
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key].numpy(), b[key].numpy(), err_msg=key)


def test_missing_weights_raise_a_clear_offline_error_before_building(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(RuntimeError, match="ember cannot download pretrained weights") as info:
        models.vgg16(weights=models.VGG16_Weights.DEFAULT)
    message = str(info.value)
    assert "VGG16_Weights.IMAGENET1K_V1" in message and "vgg16-397923af.pth" in message
    assert str(tmp_path / "hub" / "checkpoints") in message
    with pytest.raises(RuntimeError, match="swin_t-704ceda3.pth"):
        models.get_model("swin_t", weights="DEFAULT")
    with pytest.warns(UserWarning, match="'pretrained' is deprecated"):
        with pytest.raises(RuntimeError, match="alexnet-owt-7be5be79.pth"):
            models.alexnet(pretrained=True)
    with pytest.raises(ValueError, match="'num_classes' expected value 1000 but got 10"):
        models.mobilenet_v3_small(weights="DEFAULT", num_classes=10)
    with pytest.raises(TypeError, match="Invalid weights"):
        models.convnext_tiny(weights="IMAGENET1K_V7")
    # VGG16's features-only checkpoint has no classes, so it leaves num_classes free
    with pytest.raises(RuntimeError, match="vgg16_features-amdegroot-88682ab5.pth"):
        models.vgg16(weights="IMAGENET1K_FEATURES", num_classes=10)


def test_densenet_checkpoint_with_old_layer_names_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    # skip the random init (slow for 8M parameters); the fixed weights below fill the source
    monkeypatch.setattr(ember.Tensor, "normal_", lambda self, *a, **k: self)
    source = models.densenet121()
    source.load_state_dict({k: ember.from_numpy(v) for k, v in fixed_weights(source).items()},
                           strict=False)
    # torchvision's published file predates num_batches_tracked and says
    # "denselayer1.norm.1.weight" for "denselayer1.norm1.weight"
    old = {re.sub(r"(denselayer\d+\.(norm|relu|conv))([12])\.", r"\1.\3.", k): v
           for k, v in source.state_dict().items() if not k.endswith("num_batches_tracked")}
    assert "features.denseblock1.denselayer1.conv.2.weight" in old
    _save_checkpoint(old, tmp_path / "hub" / "checkpoints", "densenet121-a639ec97.pth")
    loaded = models.densenet121(weights=models.DenseNet121_Weights.IMAGENET1K_V1)
    for key, value in old.items():
        new_key = re.sub(r"(denselayer\d+\.(norm|relu|conv))\.([12])\.", r"\1\3.", key)
        np.testing.assert_array_equal(loaded.state_dict()[new_key].numpy(), value.numpy())


def test_vit_mlp_linear_1_names_load():
    vit_module = __import__("ember.vision.models.vision_transformer", fromlist=["x"])
    source = vit_module.VisionTransformer(16, 8, 1, 2, 8, 16, num_classes=3)
    renamed = {k.replace("mlp.0.", "mlp.linear_1.").replace("mlp.3.", "mlp.linear_2."): v
               for k, v in source.state_dict().items()}
    assert "encoder.layers.encoder_layer_0.mlp.linear_2.bias" in renamed
    target = vit_module.VisionTransformer(16, 8, 1, 2, 8, 16, num_classes=3)
    target.load_state_dict(renamed)
    _assert_same_state(source.state_dict(), target.state_dict())


def test_vit_weights_fix_the_image_size(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="'image_size' expected value 384 but got 224"):
        models.vit_b_16(weights="IMAGENET1K_SWAG_E2E_V1", image_size=224)


def test_maxvit_weights_fix_the_input_size_and_sizes_must_divide(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="'input_size' expected value \\(224, 224\\) but got "
                                         "\\(256, 256\\)"):
        models.maxvit_t(weights="DEFAULT", input_size=(256, 256))
    with pytest.raises(ValueError, match="Input size \\(50, 50\\) of block 0 is not divisible "
                                         "by partition size 7"):
        models.maxvit_t(input_size=(200, 200))


def test_googlenet_weights_drop_the_untrained_aux_heads(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.warns(FutureWarning, match="default weight initialization of GoogleNet"):
        source = models.googlenet(num_classes=1000)
    assert source.aux1 is not None and source.transform_input is False
    _save_checkpoint(source.state_dict(), tmp_path / "hub" / "checkpoints",
                     "googlenet-1378be20.pth")
    loaded = models.googlenet(weights="DEFAULT")
    assert loaded.aux1 is None and loaded.aux2 is None and loaded.aux_logits is False
    assert loaded.transform_input is True
    for key, value in loaded.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), source.state_dict()[key].numpy())
    with pytest.raises(ValueError, match="'aux_logits' expected value True but got False"):
        models.googlenet(weights="DEFAULT", aux_logits=False)


def test_googlenet_training_mode_returns_aux_outputs():
    model = models.GoogLeNet(num_classes=4, init_weights=False).train()
    out = model(ember.randn(2, 3, 32, 32))
    assert isinstance(out, models.GoogLeNetOutputs)
    assert [tuple(t.shape) for t in out] == [(2, 4)] * 3
    assert tuple(model.eval()(ember.randn(1, 3, 32, 32)).shape) == (1, 4)


def test_registry_and_presets():
    assert models.get_model_weights("vgg16") is models.VGG16_Weights
    assert models.get_model_weights(models.swin_t) is models.Swin_T_Weights
    assert models.get_weight("ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1").meta["min_size"] == \
        (384, 384)
    assert models.list_models(module=models.vgg) == ["vgg11", "vgg11_bn", "vgg13", "vgg13_bn",
                                                     "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]
    assert models.list_models(include="vgg1*", exclude="*_bn") == ["vgg11", "vgg13", "vgg16",
                                                                   "vgg19"]
    assert models.list_models(include=["swin_t", "vit_b_*"]) == ["swin_t", "vit_b_16", "vit_b_32"]
    assert models.get_model_builder("VGG16") is models.vgg16
    with pytest.raises(ValueError, match="Unknown model 'vgg17'"):
        models.get_model("vgg17")
    meta = models.VGG16_Weights.DEFAULT.meta
    assert meta["categories"][:2] == ["tench", "goldfish"] and len(meta["categories"]) == 1000
    preset = models.EfficientNet_B3_Weights.DEFAULT.transforms()
    assert preset.crop_size == [300] and preset.resize_size == [320]
    out = preset(ember.randint(0, 256, (3, 340, 330)).to(ember.uint8))
    assert tuple(out.shape) == (3, 300, 300) and out.dtype == ember.float32
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert models.get_model("mobilenet_v3_small", num_classes=3).classifier[-1].out_features == 3
