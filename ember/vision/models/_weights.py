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

from ._categories import IMAGENET_CATEGORIES
from ..transforms._presets import ImageClassification
from ..transforms.functional import InterpolationMode
import ember


class Weights:
    """One pretrained checkpoint: where it comes from, the preprocessing it expects, facts about it.

    Args:
        url (str): torchvision's download address (ember only uses its file name, to look in
            the local cache).
        transforms (callable): builds the matching preprocessing transform.
        meta (dict): ``builder``, ``num_classes``, ``num_params``, ``min_size``, ``categories``.

    Example:
        >>> w = ember.vision.models.ResNet18_Weights.IMAGENET1K_V1.value
        >>> w.filename, w.meta["min_size"]
        ('resnet18-f37072fd.pth', (1, 1))
    """

    def __init__(self, url, transforms, meta):
        self.url, self.transforms, self.meta = url, transforms, meta

    @property
    def filename(self):
        return self.url.rsplit("/", 1)[-1]


class WeightsEnum(enum.Enum):
    """Base of the ``*_Weights`` enums: each member holds a ``Weights``; ``DEFAULT`` is an alias of
    the recommended one.

    Members expose ``url``, ``meta``, ``transforms()`` and ``get_state_dict()`` (which reads
    torchvision's local cache only). ``verify`` turns None, a member or a name into a member.

    Example:
        >>> W = ember.vision.models.ResNet50_Weights
        >>> W.verify("DEFAULT"), W.verify("ResNet50_Weights.IMAGENET1K_V1")
        (ResNet50_Weights.IMAGENET1K_V2, ResNet50_Weights.IMAGENET1K_V1)
    """

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


def weights_enum(enum_name, module, builder, entries, default="IMAGENET1K_V1"):
    """A ``*_Weights`` enum from ``entries``: member name -> (checkpoint file, crop size,
    resize size, interpolation name, parameter count, minimum input size[, dict of other
    ``ImageClassification`` settings such as ``mean``/``std``[, dict of ``meta`` entries to
    replace]]).

    Each member's ``meta`` holds ``builder``, ``num_classes`` (1000), ``num_params``,
    ``min_size`` and the 1000 ImageNet ``categories``; ``transforms()`` is the
    matching ``ImageClassification`` preset.  ``DEFAULT`` is an alias of ``default``.
    """
    members = {}
    for member, (file, crop, resize, interpolation, num_params, min_size, *extra) in \
            entries.items():
        preset, meta = (list(extra) + [{}, {}])[:2]
        members[member] = Weights(
            url=f"https://download.pytorch.org/models/{file}",
            transforms=partial(ImageClassification, crop_size=crop, resize_size=resize,
                               interpolation=InterpolationMode[interpolation], **preset),
            meta={"builder": builder, "num_classes": 1000, "num_params": num_params,
                  "min_size": (min_size, min_size), "categories": list(IMAGENET_CATEGORIES),
                  **meta})
    members["DEFAULT"] = members[default]
    weights = WeightsEnum(enum_name, members, module=module)
    weights.__doc__ = (
        f"Pretrained weights of ``{builder}``: {', '.join(m for m in members if m != 'DEFAULT')}"
        f" (DEFAULT = {default}).  ``.meta`` holds categories, num_params and min_size; "
        "``.transforms()`` is the matching preprocessing.  Files load from torchvision's local "
        "cache only.\n\nExample::\n\n"
        f"    >>> ember.vision.models.{enum_name}.DEFAULT.meta['num_params']\n"
        f"    {members[default].meta['num_params']}")
    return weights


def resolve_weights(enum_cls, weights, pretrained, kwargs):
    """The weights member a builder asked for, from ``weights`` or the legacy ``pretrained``.

    With weights that classify, ``num_classes`` must be the checkpoint's (1000).
    """
    if pretrained is not None:
        warnings.warn("The parameter 'pretrained' is deprecated, please use 'weights' instead.",
                      UserWarning, stacklevel=3)
        if pretrained:
            if weights is not None:
                raise ValueError("Pass either pretrained or weights, not both")
            weights = enum_cls.IMAGENET1K_V1
    weights = enum_cls.verify(weights)
    if weights is not None and weights.meta["num_classes"] is not None:
        overwrite_named_param(kwargs, "num_classes", weights.meta["num_classes"])
    return weights


def overwrite_named_param(kwargs, name, value):
    """Set ``kwargs[name] = value``; a different value already there is a ValueError."""
    if kwargs.setdefault(name, value) != value:
        raise ValueError(f"The parameter '{name}' expected value {value} but got "
                         f"{kwargs[name]} instead.")


# model name -> (builder, weights enum), filled by ``model_builder``; read by get_model and friends
BUILDERS = {}

BUILDER_DOC = """{doc}

    Builds the network with random weights, or with pretrained ones read from torchvision's
    local download cache (``$TORCH_HOME/hub/checkpoints``): ember never downloads, and asking
    for weights whose file is not there raises a RuntimeError that says how to load a local
    checkpoint.

    Args:
        weights ({enum} or str, optional): the pretrained weights, a member such as
            ``{enum}.DEFAULT`` or its name. Default: ``None`` (random init).
        progress (bool): accepted for compatibility; nothing is downloaded.
        pretrained (bool, optional): the legacy spelling of ``weights="IMAGENET1K_V1"``.
        kwargs: other keyword arguments go to the model class (``num_classes=10``, say).

    Returns:
        the model, an ``ember.nn.Module`` in training mode.

    Shape:
        - Input: ``(N, 3, H, W)`` images, at least the weights' ``meta["min_size"]``.
        - Output: ``(N, num_classes)`` logits (in eval mode).

    Example:
        >>> with ember.device("meta"):  # lays the layers out without allocating weights
        ...     model = ember.vision.models.{name}({kwargs})
        >>> sum(p.numel() for p in model.parameters())
        {num_params}
    """


def model_builder(name, make, weights_enum, doc, adapt_state_dict=None, configure=None,
                  example_kwargs="", **preset):
    """Register and return builder ``name``: ``name(*, weights=None, progress=True, **kwargs)``
    calls ``make(**preset, **kwargs)`` and loads the requested weights into the result.

    ``weights`` is None (random init) or a member/name of ``weights_enum``, loaded from
    torchvision's local cache (ember never downloads); ``pretrained=True`` is the legacy
    spelling of IMAGENET1K_V1.  With weights, ``configure(weights, kwargs)`` may fix
    settings the checkpoint implies (before anything is read or built), and
    ``adapt_state_dict`` rewrites a checkpoint's old key names before loading.
    ``example_kwargs`` is what the docstring's example passes to build the model whose
    parameter count the default weights state.
    """
    def build(*, weights=None, progress=True, pretrained=None, **kwargs):
        for key, value in preset.items():
            kwargs.setdefault(key, value)
        weights = resolve_weights(weights_enum, weights, pretrained, kwargs)
        state_dict = None
        if weights is not None:
            if configure is not None:
                configure(weights, kwargs)
            # read the checkpoint first: a missing file fails before a large model is built
            state_dict = weights.get_state_dict(progress=progress)
        model = make(**kwargs)
        if state_dict is not None:
            model.load_state_dict(state_dict if adapt_state_dict is None else
                                  adapt_state_dict(state_dict))
        return model
    return register(name, build, weights_enum, doc, example_kwargs)


def register(name, build, weights_enum, doc, example_kwargs=""):
    """Name ``build`` ``name``, document its ``weights`` argument and list it in BUILDERS."""
    build.__name__ = build.__qualname__ = name
    build.__module__ = weights_enum.__module__
    build.__doc__ = BUILDER_DOC.format(
        doc=doc, name=name, enum=weights_enum.__name__, kwargs=example_kwargs,
        num_params=weights_enum.DEFAULT.meta["num_params"])
    BUILDERS[name] = (build, weights_enum)
    return build
