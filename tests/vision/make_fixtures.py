"""Regenerate tests/vision/fixtures/torchvision_models.json from torchvision itself.

Usage: python tests/vision/make_fixtures.py /path/to/unpacked/torchvision-wheel

torchvision's compiled ops do not load beside the CPU torch used here, but its model
definitions are plain Python.  This script imports only those Python files from an unpacked
wheel (``pip download --no-deps torchvision==0.28.0``; unzip it) with a stub for the
compiled-extension module, runs them on real torch and records:

* torchvision's list of classification builders;
* for every builder that ember.vision.models provides: parameter count, state_dict key count
  and a hash of its ``key:shape`` lines, module-name count and hash, top-level children, and
  its weights enum (members, checkpoint files, meta facts, preprocessing settings);
* for each case of tests/vision/_ops_cases.py (into torchvision_ops.json): the output and
  input gradients of torchvision.ops' pure-Python box operations, focal loss and roi_align
  (through ``_roi_align``, the Python twin of its kernel), and of torchvision.utils'
  draw_bounding_boxes/draw_segmentation_masks and FeaturePyramidNetwork;
* for each small configuration in tests/vision/_cases.py: the eval-mode output of
  torchvision's model with the fixed weights and input of ``_cases.py``, and a sample of the
  gradient of a fixed projection of that output with respect to the input.

The tests compare ember.vision against this file, so they run without torchvision.
"""
import base64
import hashlib
import json
import os
import sys
import types
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from tests.vision._cases import CASES, cotangent, fixed_input, fixed_weights, sample  # noqa: E402
from tests.vision._facts import model_facts  # noqa: E402
from tests.vision._ops_cases import (DRAW_CASES, FPN_CASES, OPS_CASES, _fpn,  # noqa: E402
                                     draw_inputs)

_INITS = ("normal_", "uniform_", "kaiming_normal_", "kaiming_uniform_", "trunc_normal_",
          "xavier_uniform_")


def import_torchvision_python(root):
    """torchvision's pure-Python package from the unpacked wheel at ``root``, without its
    ``__init__`` (which loads the compiled ops)."""
    package = types.ModuleType("torchvision")
    package.__path__ = [os.path.join(root, "torchvision")]
    sys.modules["torchvision"] = package
    extension = types.ModuleType("torchvision.extension")
    extension._assert_has_ops = lambda: None
    extension._has_ops = lambda: False
    extension._load_library = lambda name: None  # torchvision.io's image codecs stay unloaded
    sys.modules["torchvision.extension"] = package.extension = extension
    package._is_tracing = lambda: False
    import torchvision.models as models
    return models


def build_without_init(builder):
    """Build on the meta device (no memory); RegNet's width rule needs real tensors, so
    those are built on the CPU with the init functions switched off."""
    try:
        with torch.device("meta"):
            return builder()
    except NotImplementedError:
        saved = {name: getattr(torch.nn.init, name) for name in _INITS}
        for name in _INITS:
            setattr(torch.nn.init, name, lambda t, *a, **k: t)
        try:
            return builder()
        finally:
            for name, fn in saved.items():
                setattr(torch.nn.init, name, fn)


def _weights_facts(member):
    preset = member.transforms()
    return {"file": member.url.rsplit("/", 1)[-1], "num_params": member.meta["num_params"],
            "min_size": list(member.meta["min_size"]),
            "num_categories": len(member.meta["categories"] or []),
            "categories_hash": hashlib.sha256("\n".join(member.meta["categories"] or [])
                                              .encode()).hexdigest()[:16],
            "crop_size": list(preset.crop_size), "resize_size": list(preset.resize_size),
            "interpolation": preset.interpolation.value, "mean": list(preset.mean),
            "std": list(preset.std)}


class _TorchvisionOps:
    """torchvision.ops with roi_align served by its pure-Python twin ``_roi_align`` (the
    public one calls the compiled kernel)."""

    def __init__(self, ops):
        self._ops = ops

    def __getattr__(self, name):
        return getattr(self._ops, name)

    def roi_align(self, input, rois, output_size, spatial_scale, sampling_ratio, aligned):
        from torchvision.ops.roi_align import _roi_align
        h, w = (output_size, output_size) if isinstance(output_size, int) else output_size
        return _roi_align(input, rois, spatial_scale, h, w, sampling_ratio, aligned)


def record_ops(ops):
    """Output and input gradients (for a fixed cotangent) of each case in _ops_cases.py."""
    out = {}
    for case, (call, arrays, grad_of) in OPS_CASES.items():
        inputs = [torch.from_numpy(a.copy()).requires_grad_(i in grad_of)
                  for i, a in enumerate(arrays)]
        result = call(ops, *inputs)
        entry = {"shape": list(result.shape), "dtype": str(result.dtype).split(".")[-1],
                 "output": result.detach().double().numpy().ravel().tolist()}
        if grad_of:
            (result * torch.from_numpy(cotangent(tuple(result.shape)))).sum().backward()
            entry["grads"] = [inputs[i].grad.double().numpy().ravel().tolist() for i in grad_of]
        out[case] = entry
    return out


def record_fpn(ops):
    """Outputs of torchvision's FeaturePyramidNetwork under the fixed weights of _cases.py."""
    out = {}
    for case, (extra, shapes) in FPN_CASES.items():
        fpn = _fpn(ops, extra)
        fpn.load_state_dict({k: torch.from_numpy(v) for k, v in fixed_weights(fpn).items()})
        feats = OrderedDict((f"c{i}", torch.from_numpy(fixed_input(s) + i))
                            for i, s in enumerate(shapes))
        with torch.no_grad():
            result = fpn(feats)
        out[case] = {name: {"shape": list(v.shape), "output": v.double().numpy().ravel()
                            .round(6).tolist()} for name, v in result.items()}
    return out


def record_draw():
    """torchvision.utils' drawings (uint8 images are stored exactly, float ones to 1e-6)."""
    import torchvision.utils as utils
    out = {}
    for case, (call, _, _) in DRAW_CASES.items():
        result = call(utils, torch, *draw_inputs(torch, case))
        entry = {"shape": list(result.shape), "dtype": str(result.dtype).split(".")[-1]}
        if result.dtype == torch.uint8:
            entry["uint8_base64"] = base64.b64encode(result.numpy().tobytes()).decode()
        else:
            entry["output"] = result.double().numpy().ravel().round(6).tolist()
        out[case] = entry
    return out


def main(root):
    tv = import_torchvision_python(root)
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    from ember.vision import models as ember_models
    facts, weights_facts = {}, {}
    for name in ember_models.list_models():
        facts[name] = model_facts(build_without_init(lambda: tv.get_model(name)))
        enum = tv.get_model_weights(name)
        weights_facts[name] = {"enum": enum.__name__, "default": enum.DEFAULT.name, "members": {
            member.name: _weights_facts(member) for member in enum}}
    forward = {}
    for case, (build, shape) in CASES.items():
        torch.manual_seed(0)
        model = build(tv).eval()
        weights = {k: torch.from_numpy(v) for k, v in fixed_weights(model).items()}
        model.load_state_dict(weights, strict=False)
        x = torch.from_numpy(fixed_input(shape)).requires_grad_(True)
        out = model(x)
        (out * torch.from_numpy(cotangent(tuple(out.shape)))).sum().backward()
        forward[case] = {"shape": list(out.shape),
                         "output": np.round(out.detach().double().numpy().ravel(), 7).tolist(),
                         "input_grad_sample": sample(x.grad.numpy()).tolist()}
    os.makedirs(os.path.join(HERE, "fixtures"), exist_ok=True)
    with open(os.path.join(HERE, "fixtures", "torchvision_models.json"), "w") as f:
        json.dump({"source": "torchvision 0.28.0 model definitions executed on torch "
                             f"{torch.__version__} by tests/vision/make_fixtures.py",
                   "classification_models": tv.list_models(module=tv),
                   "models": facts, "weights": weights_facts, "forward": forward}, f,
                  separators=(",", ":"), sort_keys=True)
    import torchvision.ops
    with open(os.path.join(HERE, "fixtures", "torchvision_ops.json"), "w") as f:
        json.dump({"source": "torchvision 0.28.0 ops (pure-Python definitions; roi_align by "
                             f"_roi_align) executed on torch {torch.__version__} by "
                             "tests/vision/make_fixtures.py",
                   "ops": record_ops(_TorchvisionOps(torchvision.ops)),
                   "draw": record_draw(), "fpn": record_fpn(torchvision.ops)}, f,
                  separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
