"""Automatic differentiation: ``backward``, ``grad``, ``Function`` and the grad modes."""
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,  # noqa: F401
                        is_grad_enabled, is_inference_mode_enabled)
from .graph import run_backward, Node  # noqa: F401
from .gradients import backward, grad  # noqa: F401
from .function import Function, FunctionCtx, once_differentiable  # noqa: F401
from .variable import Variable  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401
from . import graph, grad_mode, function  # noqa: F401


def __getattr__(name):
    if name in ("profiler", "functional", "forward_ad"):  # loaded on first use
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'ember.autograd' has no attribute '{name}'")
