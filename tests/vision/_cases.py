"""Small configurations of each model family, built the same way from torchvision's modules
(on real torch, by make_fixtures.py) and from ember.vision's (in the tests), and the fixed
pseudo-random weights and inputs both sides use."""
import importlib
import zlib

import numpy as np


def F(models, family):
    """The family module ``models.<family>`` (an attribute may be the builder of that name)."""
    return importlib.import_module(f"{models.__name__}.{family}")


def _mnv3(m, arch, width):
    setting, last = F(m, "mobilenetv3")._mobilenet_v3_conf(arch, width_mult=width)
    return F(m, "mobilenetv3").MobileNetV3(setting, last, num_classes=5)


def _effv2(m):
    e = F(m, "efficientnet")
    setting = [e.FusedMBConvConfig(1, 3, 1, 8, 8, 2), e.FusedMBConvConfig(4, 3, 2, 8, 16, 1),
               e.MBConvConfig(4, 3, 2, 16, 24, 2)]
    return e.EfficientNet(setting, 0.2, num_classes=5, last_channel=64)


def _swin(m, v2):
    s = F(m, "swin_transformer")
    extra = {"block": s.SwinTransformerBlockV2, "downsample_layer": s.PatchMergingV2} if v2 else {}
    return s.SwinTransformer([4, 4], 8, [2, 2], [1, 2], [3, 3], num_classes=5, **extra)


# name: (build(models_module), input shape)
CASES = {
    "vgg_features_bn": (lambda m: F(m, "vgg").make_layers(F(m, "vgg").cfgs["A"], batch_norm=True),
                        (1, 3, 32, 32)),
    "squeezenet1_0": (lambda m: F(m, "squeezenet").SqueezeNet("1_0", num_classes=5), (1, 3, 48, 48)),
    "squeezenet1_1": (lambda m: F(m, "squeezenet").SqueezeNet("1_1", num_classes=5), (1, 3, 48, 48)),
    "densenet": (lambda m: F(m, "densenet").DenseNet(8, (2, 2, 2, 2), 16, bn_size=2, num_classes=5),
                 (2, 3, 32, 32)),
    "mobilenet_v2": (lambda m: F(m, "mobilenetv2").MobileNetV2(num_classes=5, width_mult=0.25),
                     (2, 3, 32, 32)),
    "mobilenet_v3_small": (lambda m: _mnv3(m, "mobilenet_v3_small", 0.5), (2, 3, 32, 32)),
    "mobilenet_v3_large": (lambda m: _mnv3(m, "mobilenet_v3_large", 0.35), (1, 3, 32, 32)),
    "efficientnet_b": (lambda m: F(m, "efficientnet").EfficientNet(F(m, "efficientnet")._efficientnet_conf(
        "efficientnet_b0", width_mult=0.25, depth_mult=0.34)[0], 0.2, num_classes=5),
        (1, 3, 32, 32)),
    "efficientnet_v2": (_effv2, (1, 3, 32, 32)),
    "shufflenet_v2": (lambda m: F(m, "shufflenetv2").ShuffleNetV2([1, 2, 1], [8, 16, 32, 64, 128],
                                                            num_classes=5), (2, 3, 32, 32)),
    "googlenet": (lambda m: F(m, "googlenet").GoogLeNet(num_classes=5, aux_logits=False,
                                                  init_weights=False), (1, 3, 32, 32)),
    "inception_v3": (lambda m: F(m, "inception").Inception3(num_classes=5, aux_logits=False,
                                                      init_weights=False), (1, 3, 75, 75)),
    "regnet_y": (lambda m: F(m, "regnet").RegNet(F(m, "regnet").BlockParams.from_init_params(
        depth=4, w_0=16, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25), num_classes=5,
        stem_width=16), (2, 3, 32, 32)),
    "convnext": (lambda m: F(m, "convnext").ConvNeXt([F(m, "convnext").CNBlockConfig(8, 16, 1),
                                                F(m, "convnext").CNBlockConfig(16, None, 2)],
                                               num_classes=5), (2, 3, 32, 32)),
    "vit": (lambda m: F(m, "vision_transformer").VisionTransformer(32, 8, 2, 2, 16, 32, num_classes=5),
            (2, 3, 32, 32)),
    "vit_representation": (lambda m: F(m, "vision_transformer").VisionTransformer(
        16, 8, 1, 2, 16, 32, num_classes=5, representation_size=12), (1, 3, 16, 16)),
    "swin": (lambda m: _swin(m, False), (2, 3, 32, 32)),
    "swin_v2": (lambda m: _swin(m, True), (1, 3, 32, 32)),
    "maxvit": (lambda m: F(m, "maxvit").MaxVit((32, 32), 8, 2, [8, 16], [1, 1], 4, 0.0,
                                               num_classes=5), (2, 3, 32, 32)),
}


def fixed_weights(model):
    """Pseudo-random values for every parameter and batch-norm statistic of ``model``, seeded
    by the key name (so torch and ember models with the same keys get the same numbers):
    matrices N(0, 1/fan_in), norm scales U(0.8, 1.2), biases and other vectors U(-0.1, 0.1),
    running variances U(0.5, 1.5), running means U(-0.2, 0.2)."""
    params = dict(model.named_parameters())
    out = {}
    for key, value in model.state_dict().items():
        shape = tuple(value.shape)
        rng = np.random.default_rng(zlib.crc32(key.encode()))
        if key.endswith("running_var"):
            a = rng.uniform(0.5, 1.5, shape)
        elif key.endswith("running_mean"):
            a = rng.uniform(-0.2, 0.2, shape)
        elif key not in params:
            continue  # other buffers are constants (indices, coordinate tables, counters)
        elif len(shape) >= 2 and key.endswith("weight"):
            a = rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:]))
        elif key.endswith("weight"):
            a = rng.uniform(0.8, 1.2, shape)
        else:
            a = rng.uniform(-0.1, 0.1, shape)
        out[key] = a.astype(np.float32)
    return out


def fixed_input(shape):
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


def cotangent(shape):
    """The fixed weights of the output projection whose input gradient is compared."""
    return np.random.default_rng(1).standard_normal(shape).astype(np.float32)


def sample(grad):
    """Every 37th value of a gradient (at most 64), as float64."""
    return grad.ravel()[::37][:64].astype(np.float64)
