"""Pretrained-weight descriptors (torchvision's ``*_Weights`` enums) and local loading.

ember has no network access and ships no weights.  A weights entry is loaded
from torchvision's own cache file when it is already on disk
(``$TORCH_HOME/hub/checkpoints/<file>``, default ``~/.cache/torch/hub/checkpoints``);
otherwise asking for it raises a RuntimeError that says how to load a local
checkpoint by hand.
"""
import enum
import os
import warnings
from functools import partial

from ..transforms._presets import ImageClassification


class Weights:
    """Where a checkpoint comes from, the preprocessing it expects, and facts about it."""

    def __init__(self, url, transforms, meta):
        self.url, self.transforms, self.meta = url, transforms, meta

    @property
    def filename(self):
        return self.url.rsplit("/", 1)[-1]


class WeightsEnum(enum.Enum):
    """Members hold a ``Weights``; ``DEFAULT`` names the recommended one."""

    @classmethod
    def verify(cls, obj):
        """``obj`` as a member: None, a member, or its name ("DEFAULT", "Cls.IMAGENET1K_V1")."""
        if obj is None or isinstance(obj, cls):
            return obj
        if isinstance(obj, str):
            try:
                return cls[obj.replace(cls.__name__ + ".", "")]
            except KeyError:
                pass
        raise TypeError(f"Invalid weights {obj!r} for {cls.__name__}; expected one of "
                        f"{[m.name for m in cls]}, a member, or None")

    @property
    def url(self):
        return self.value.url

    @property
    def meta(self):
        return self.value.meta

    def transforms(self, *args, **kwargs):
        return self.value.transforms(*args, **kwargs)

    def get_state_dict(self, progress=True, check_hash=False):
        """The checkpoint's state dict, read from torchvision's cache folder."""
        import ember
        path = os.path.join(hub_checkpoint_dir(), self.value.filename)
        if not os.path.isfile(path):
            raise RuntimeError(
                f"ember cannot download pretrained weights ({type(self).__name__}.{self.name}, "
                f"{self.value.filename}): it has no network access and ships no weights, and "
                f"{path} does not exist. Build the model without weights and load a local "
                f"torchvision checkpoint, e.g.\n    model = {self.meta['builder']}()\n"
                f"    model.load_state_dict(ember.load('/path/to/{self.value.filename}'))\n"
                "or copy that file to the path above.")
        return ember.load(path)

    def __repr__(self):
        return f"{type(self).__name__}.{self.name}"


def hub_checkpoint_dir():
    """torchvision's download cache: $TORCH_HOME (or $XDG_CACHE_HOME/torch)/hub/checkpoints."""
    cache = os.environ.get("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    torch_home = os.environ.get("TORCH_HOME", os.path.join(cache, "torch"))
    return os.path.join(os.path.expanduser(torch_home), "hub", "checkpoints")


def imagenet_weights(builder, v1_file, v2_file=None, v2_resize=232):
    """The members of a ResNet-family weights enum: IMAGENET1K_V1 (and _V2, the default)."""
    def entry(file, resize):
        return Weights(url=f"https://download.pytorch.org/models/{file}",
                       transforms=partial(ImageClassification, crop_size=224, resize_size=resize),
                       meta={"builder": builder, "num_classes": 1000, "min_size": (1, 1)})
    members = {"IMAGENET1K_V1": entry(v1_file, 256)}
    if v2_file is not None:
        members["IMAGENET1K_V2"] = entry(v2_file, v2_resize)
    members["DEFAULT"] = members.get("IMAGENET1K_V2", members["IMAGENET1K_V1"])
    return members


def resolve_weights(enum_cls, weights, pretrained, kwargs):
    """The weights member a builder asked for, from ``weights`` or the legacy ``pretrained``.

    With weights, ``num_classes`` must be the checkpoint's (1000).
    """
    if pretrained is not None:
        warnings.warn("The parameter 'pretrained' is deprecated, please use 'weights' instead.",
                      UserWarning, stacklevel=3)
        if pretrained:
            if weights is not None:
                raise ValueError("Pass either pretrained or weights, not both")
            weights = enum_cls.IMAGENET1K_V1
    weights = enum_cls.verify(weights)
    if weights is not None:
        expected = weights.meta["num_classes"]
        if kwargs.setdefault("num_classes", expected) != expected:
            raise ValueError(f"The parameter 'num_classes' expected value {expected} but got "
                             f"{kwargs['num_classes']} instead.")
    return weights
