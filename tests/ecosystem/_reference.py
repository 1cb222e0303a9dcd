"""Runs an ecosystem script on real torch (the oracle). A torchvision wheel built for CUDA cannot
load its compiled ops next to a CPU-only torch, and then fails at import because it registers
fake kernels for `nms`/`qnms` unconditionally; declaring those two schemas first lets it import
(the scripts never call them)."""
import runpy
import sys

import torch


def _declare_torchvision_ops():
    try:
        import torchvision  # noqa: F401
    except (ImportError, RuntimeError):
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]
        lib = torch.library.Library("torchvision", "DEF")
        lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        lib.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        _declare_torchvision_ops.lib = lib


_declare_torchvision_ops()
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
