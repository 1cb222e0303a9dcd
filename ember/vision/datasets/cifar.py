"""CIFAR-10/100 read from the local "python version" pickle batches."""
import os
import pickle

import numpy as np

from ._files import missing
from .vision import VisionDataset, to_image

__all__ = ["CIFAR10", "CIFAR100"]

_RECONSTRUCT = np.ndarray((0,)).__reduce__()[0]  # NumPy's array unpickling function


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles only plain containers and NumPy arrays: the batches hold nothing else."""

    def find_class(self, module, name):
        if module.startswith("numpy") and name == "_reconstruct":
            return _RECONSTRUCT
        if module == "numpy" and name in ("ndarray", "dtype"):
            return getattr(np, name)
        raise pickle.UnpicklingError(f"CIFAR batch refers to {module}.{name}, which a data batch "
                                     "never needs; refusing to load it")


def _load_batch(path):
    with open(path, "rb") as f:
        return _ArrayUnpickler(f, encoding="latin1").load()


class CIFAR10(VisionDataset):
    """32x32 colour images in 10 classes, read from ``root/cifar-10-batches-py/``.

    ember never downloads: when the batch files are missing, ``download=True`` or not, a
    RuntimeError names them.

    Args:
        root (str): the folder holding ``cifar-10-batches-py/``.
        train (bool): the five training batches, else the test batch. Default: ``True``.
        transform (callable, optional): applied to each RGB PIL image.
        target_transform (callable, optional): applied to each label.
        download (bool): accepted; nothing is fetched.

    Attributes:
        data (numpy.ndarray): ``(N, 32, 32, 3)`` uint8 images.
        targets (list of int): the labels.
        classes (list of str): the class names, from the meta file.

    Example:
        >>> ember.vision.datasets.CIFAR10("no/such/folder")
        Traceback (most recent call last):
            ...
        RuntimeError: Dataset not found: CIFAR10 needs the files data_batch_1, ...
    """

    base_folder = "cifar-10-batches-py"
    train_list = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"]
    test_list = ["test_batch"]
    meta = {"filename": "batches.meta", "key": "label_names"}

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        folder = os.path.join(self.root, self.base_folder)
        names = (self.train_list if train else self.test_list) + [self.meta["filename"]]
        if not all(os.path.isfile(os.path.join(folder, n)) for n in names):
            raise missing(type(self).__name__, folder, names)
        data, self.targets = [], []
        for name in names[:-1]:
            entry = _load_batch(os.path.join(folder, name))
            data.append(entry["data"])
            self.targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        self.data = np.vstack(data).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self.data = np.ascontiguousarray(self.data, dtype=np.uint8)
        self.classes = list(_load_batch(os.path.join(folder, names[-1]))[self.meta["key"]])
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}

    def __getitem__(self, index):
        return self._apply_transforms(to_image(self.data[index]), int(self.targets[index]))

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: 32x32 colour images with their 100 fine labels, from ``root/cifar-100-python/``.

    Arguments and attributes as ``CIFAR10``.

    Example:
        >>> ember.vision.datasets.CIFAR100.base_folder, ember.vision.datasets.CIFAR100.meta["key"]
        ('cifar-100-python', 'fine_label_names')
    """

    base_folder = "cifar-100-python"
    train_list = ["train"]
    test_list = ["test"]
    meta = {"filename": "meta", "key": "fine_label_names"}
