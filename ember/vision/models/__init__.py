"""torchvision.models: ResNets (with torchvision's state_dict keys) and their weights enums."""
from ._weights import Weights, WeightsEnum
from .resnet import *  # noqa: F401,F403
from .resnet import __all__ as _resnet_all, BUILDERS as _BUILDERS

__all__ = ["Weights", "WeightsEnum", "get_weight", "list_models", "get_model",
           "get_model_weights", *_resnet_all]


def list_models():
    return sorted(_BUILDERS)


def _entry(name):
    if name not in _BUILDERS:
        raise ValueError(f"Unknown model {name!r}; ember.vision provides {list_models()}")
    return _BUILDERS[name]


def get_model(name, **config):
    """Build model ``name`` with keyword arguments ``config``."""
    return _entry(name.lower())[0](**config)


def get_model_weights(name):
    """The weights enum of a model (by name or builder)."""
    return _entry(name if isinstance(name, str) else name.__name__)[1]


def get_weight(name):
    """A weights member from its full name, e.g. "ResNet50_Weights.IMAGENET1K_V2"."""
    enum_name, _, member = name.partition(".")
    for _, weights_enum in _BUILDERS.values():
        if weights_enum.__name__ == enum_name:
            return weights_enum.verify(member)
    raise ValueError(f"Unknown weights enum {enum_name!r}")
