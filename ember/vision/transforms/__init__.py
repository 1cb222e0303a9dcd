"""torchvision.transforms: image transforms (``transforms.py``) and their functions
(``transforms.functional``)."""
from . import functional  # noqa: F401
from .functional import InterpolationMode  # noqa: F401
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all

__all__ = ["functional", "InterpolationMode", *_transforms_all]
