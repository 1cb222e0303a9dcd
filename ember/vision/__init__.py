"""ember.vision: torchvision's counterpart (``import torchvision`` under ``ember run``).

``transforms`` (image preprocessing for PIL images, NumPy arrays and tensors; ``v2`` adds
``ToImage``/``ToDtype``), ``datasets`` (MNIST-style IDX files, CIFAR pickles, image folders,
fake data), ``models`` (torchvision's classification models with its module names, weights
enums that load from the local torch hub cache, ``feature_extraction``), ``ops`` (box
operations, NMS, RoI Align/Pool, focal loss, DropBlock, the layers the models use), ``io``
(image files as uint8 tensors) and ``utils`` (``make_grid``, ``save_image``,
``draw_bounding_boxes``, ``draw_segmentation_masks``).  Pillow is needed for PIL images and
for reading or writing image files (``pip install 'ember[vision]'``).  Submodules load on
first use.
"""
import importlib

__version__ = "0.1.0"

_SUBMODULES = {"transforms", "datasets", "models", "ops", "io", "utils"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'ember.vision' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
