"""torchvision.models: classification models with torchvision's module names and state_dict
keys, their ``*_Weights`` enums, and ``list_models``/``get_model``/``get_model_weights``."""
import fnmatch

from . import (alexnet as _alexnet, convnext as _convnext, densenet as _densenet,
               efficientnet as _efficientnet, googlenet as _googlenet, inception as _inception,
               maxvit as _maxvit, mnasnet as _mnasnet, mobilenetv2 as _mobilenetv2,
               mobilenetv3 as _mobilenetv3,
               regnet as _regnet, resnet as _resnet, shufflenetv2 as _shufflenetv2,
               squeezenet as _squeezenet, swin_transformer as _swin_transformer, vgg as _vgg,
               vision_transformer as _vision_transformer)
from . import feature_extraction  # noqa: F401
from ._weights import BUILDERS as _BUILDERS, Weights, WeightsEnum
from .alexnet import *  # noqa: F401,F403
from .convnext import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .efficientnet import *  # noqa: F401,F403
from .googlenet import *  # noqa: F401,F403
from .inception import *  # noqa: F401,F403
from .maxvit import *  # noqa: F401,F403
from .mnasnet import *  # noqa: F401,F403
from .mobilenetv2 import *  # noqa: F401,F403
from .mobilenetv3 import *  # noqa: F401,F403
from .regnet import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .shufflenetv2 import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .swin_transformer import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
from .vision_transformer import *  # noqa: F401,F403

_FAMILIES = [_alexnet, _convnext, _densenet, _efficientnet, _googlenet, _inception, _maxvit,
             _mnasnet,
             _mobilenetv2, _mobilenetv3, _regnet, _resnet, _shufflenetv2, _squeezenet,
             _swin_transformer, _vgg, _vision_transformer]

__all__ = ["Weights", "WeightsEnum", "get_weight", "list_models", "get_model",
           "get_model_builder", "get_model_weights", *[n for family in _FAMILIES for n in family.__all__]]


def list_models(module=None, include=None, exclude=None):
    """The sorted names of the model builders.

    Args:
        module (module, optional): keep only builders defined in it
            (``ember.vision.models.resnet``, say).
        include (str or list of str, optional): keep names matching any of these wildcard
            patterns.
        exclude (str or list of str, optional): drop names matching any of these.

    Example:
        >>> ember.vision.models.list_models(include="vgg1*", exclude="*_bn")
        ['vgg11', 'vgg13', 'vgg16', 'vgg19']
    """
    names = sorted(name for name, (build, _) in _BUILDERS.items()
                   if module is None or build.__module__ == module.__name__)
    if include is not None:
        patterns = [include] if isinstance(include, str) else include
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in patterns)]
    if exclude is not None:
        patterns = [exclude] if isinstance(exclude, str) else exclude
        names = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in patterns)]
    return names


def _entry(name):
    if name not in _BUILDERS:
        raise ValueError(f"Unknown model {name!r}; ember.vision provides {list_models()}")
    return _BUILDERS[name]


def get_model(name, **config):
    """Build model ``name`` with keyword arguments ``config``.

    Args:
        name (str): a name from ``list_models()``.
        config: keyword arguments of its builder (``weights``, ``num_classes``, ...).

    Example::

        >>> from ember.vision.models import get_model
        >>> get_model("resnet18", num_classes=4).fc.out_features
        4
    """
    return _entry(name.lower())[0](**config)


def get_model_builder(name):
    """The builder function of the model called ``name`` (case-insensitive).

    Args:
        name (str): a name from ``list_models()``.

    Example:
        >>> ember.vision.models.get_model_builder("VGG16") is ember.vision.models.vgg16
        True
    """
    return _entry(name.lower())[0]


def get_model_weights(name):
    """The weights enum of a model, given its name or its builder.

    Args:
        name (str or callable): a model name or a builder function.

    Example:
        >>> ember.vision.models.get_model_weights(ember.vision.models.vgg16)
        <enum 'VGG16_Weights'>
    """
    return _entry(name if isinstance(name, str) else name.__name__)[1]


def get_weight(name):
    """A weights member from its full name, ``"<Enum>.<member>"``.

    Args:
        name (str): such as ``"ResNet50_Weights.IMAGENET1K_V2"`` (``DEFAULT`` works too).

    Example:
        >>> ember.vision.models.get_weight("ResNet50_Weights.DEFAULT")
        ResNet50_Weights.IMAGENET1K_V2
    """
    enum_name, _, member = name.partition(".")
    for _, weights_enum in _BUILDERS.values():
        if weights_enum.__name__ == enum_name:
            return weights_enum.verify(member)
    raise ValueError(f"Unknown weights enum {enum_name!r}")
