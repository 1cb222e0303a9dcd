"""FakeData: random images and labels, the same for an index every time."""
import numpy as np

from .vision import VisionDataset, to_image

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    """``size`` random images of shape ``image_size`` (C, H, W) with labels below ``num_classes``.

    Item i is drawn from its own generator seeded with ``i + random_offset``, so it never
    changes and never touches the global random state. Pixels are uniform over 0..255
    (torchvision draws normal floats and truncates them to bytes: the values differ, the
    contract is the same). Items are PIL images, so this needs Pillow.

    Args:
        size (int): the number of items. Default: ``1000``.
        image_size (tuple of int): ``(C, H, W)``. Default: ``(3, 224, 224)``.
        num_classes (int): labels are in ``0 .. num_classes - 1``. Default: ``10``.
        transform (callable, optional): applied to each image.
        target_transform (callable, optional): applied to each label.
        random_offset (int): shifts the per-item seeds. Default: ``0``.

    Example:
        >>> ds = ember.vision.datasets.FakeData(size=4, image_size=(3, 8, 6), num_classes=3)
        >>> image, label = ds[0]
        >>> len(ds), image.size, 0 <= label < 3
        (4, (6, 8), True)
    """

    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None,
                 target_transform=None, random_offset=0):
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.size, self.num_classes = size, num_classes
        self.image_size, self.random_offset = tuple(image_size), random_offset

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        rng = np.random.default_rng(index + self.random_offset)
        channels, height, width = self.image_size
        pixels = rng.integers(0, 256, (height, width, channels), dtype=np.uint8)
        target = int(rng.integers(self.num_classes))
        return self._apply_transforms(to_image(pixels[:, :, 0] if channels == 1 else pixels),
                                      target)

    def __len__(self):
        return self.size
