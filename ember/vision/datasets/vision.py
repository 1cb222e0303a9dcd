"""VisionDataset: the base of the image datasets (root, transforms, repr)."""
import os

from ember.utils.data import Dataset
from .._pil import Image


def to_image(array):
    """A uint8 (H, W) or (H, W, C) array as a PIL image, or as the array without Pillow.

    Datasets hand out PIL images as torchvision's do; when Pillow is missing
    they hand out the array, which every ember transform also accepts.
    """
    return array if Image is None else Image.fromarray(array)


class VisionDataset(Dataset):
    """Base class of the vision datasets: holds ``root`` and the sample transforms.

    Subclasses define ``__getitem__`` and ``__len__`` and pass each (image, target) pair
    through ``self.transforms``.

    Args:
        root (str, optional): the data folder (``~`` is expanded).
        transforms (callable, optional): takes and returns (image, target) jointly.
        transform (callable, optional): applied to the image alone.
        target_transform (callable, optional): applied to the target alone. Give either
            ``transforms`` or the other two, not both.

    Example:
        >>> ds = ember.vision.datasets.VisionDataset("~/data", transform=str.upper)
        >>> ds.transforms("cat", 1)
        ('CAT', 1)
    """

    _repr_indent = 4

    def __init__(self, root=None, transforms=None, transform=None, target_transform=None):
        self.root = os.path.expanduser(root) if isinstance(root, (str, os.PathLike)) else root
        if transforms is not None and (transform is not None or target_transform is not None):
            raise ValueError("Only transforms or transform/target_transform can be passed as "
                             "argument")
        self.transform, self.target_transform = transform, target_transform
        if transforms is None and (transform is not None or target_transform is not None):
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def _apply_transforms(self, img, target):
        if self.transforms is not None:
            return self.transforms(img, target)
        return img, target

    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            lines.append(f"Root location: {self.root}")
        lines += [line for line in self.extra_repr().splitlines() if line]
        if self.transforms is not None:
            lines += repr(self.transforms).splitlines()
        pad = " " * self._repr_indent
        return "\n".join([f"Dataset {type(self).__name__}"] + [pad + line for line in lines])


class StandardTransform:
    """(image, target) -> (transform(image), target_transform(target))."""

    def __init__(self, transform=None, target_transform=None):
        self.transform, self.target_transform = transform, target_transform

    def __call__(self, img, target):
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __repr__(self):
        body = [type(self).__name__]
        for name, t in (("Transform", self.transform), ("Target transform", self.target_transform)):
            if t is not None:
                lines = repr(t).splitlines()
                body.append(f"{name}: {lines[0]}")
                body += [" " * len(f"{name}: ") + line for line in lines[1:]]
        return "\n".join(body)
