"""ember.utils: data loading (``ember.utils.data``), TensorBoard logging, checkpoints helpers."""
import importlib


def __getattr__(name):
    if name in {"data", "tensorboard", "safetensors", "hooks", "checkpoint", "_pytree",
                "flop_counter"}:
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'ember.utils' has no attribute '{name}'")
