"""MNIST-style datasets read from local IDX files (torchvision's raw/ and processed/ layouts)."""
import gzip
import os

import numpy as np

import ember
from ._files import find_file, missing
from .vision import VisionDataset, to_image

__all__ = ["MNIST", "FashionMNIST", "KMNIST", "read_idx"]

# IDX element type codes -> big-endian NumPy dtypes
_IDX_TYPES = {0x08: np.dtype(np.uint8), 0x09: np.dtype(np.int8), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path):
    """The array in an IDX file (plain or gzipped): magic 0, 0, type code, ndim, then
    ndim big-endian uint32 sizes, then the data."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"{path} is not an IDX file (magic bytes {raw[:4].hex()})")
    dtype, ndim = _IDX_TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(f"{path}: IDX header says shape {shape} ({expected} bytes) but the file "
                         f"has {len(raw)} bytes")
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


class MNIST(VisionDataset):
    """Handwritten digits: 28x28 greyscale images (PIL mode ``L``) and int labels.

    Reads ``root/<ClassName>/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`` (or the
    ``.gz`` files), or torchvision's older ``processed/training.pt`` and ``processed/test.pt``.
    ember never downloads: ``download=True`` changes nothing when the files are there and
    raises a RuntimeError naming them otherwise.

    Args:
        root (str): the folder holding ``MNIST/`` (``FashionMNIST/``, ``KMNIST/`` for those).
        train (bool): the training split, else the test split. Default: ``True``.
        transform (callable, optional): applied to each PIL image.
        target_transform (callable, optional): applied to each label.
        download (bool): accepted; nothing is fetched.

    Attributes:
        data (Tensor): ``(N, 28, 28)`` uint8 images.
        targets (Tensor): ``(N,)`` int64 labels.

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp(); os.makedirs(os.path.join(root, "MNIST", "processed"))
        >>> images, labels = ember.zeros(2, 28, 28, dtype=ember.uint8), ember.tensor([3, 7])
        >>> ember.save((images, labels), os.path.join(root, "MNIST", "processed", "training.pt"))
        >>> ds = ember.vision.datasets.MNIST(root)
        >>> len(ds), ds[1][0].size, ds[1][1]
        (2, (28, 28), 7)
    """

    raw_files = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                 False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
    training_file = "training.pt"
    test_file = "test.pt"
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        legacy = os.path.join(self.processed_folder,
                              self.training_file if train else self.test_file)
        if os.path.isfile(legacy):
            self.data, self.targets = ember.load(legacy)
            return
        paths = [find_file(self.raw_folder, name) for name in self.raw_files[train]]
        if None in paths:
            raise missing(type(self).__name__, self.raw_folder, self.raw_files[train])
        images, labels = read_idx(paths[0]), read_idx(paths[1])
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"Expected (N, H, W) images and (N,) labels, got shapes "
                             f"{images.shape} and {labels.shape} from {paths}")
        self.data = ember.from_numpy(np.ascontiguousarray(images, dtype=np.uint8))
        self.targets = ember.from_numpy(labels.astype(np.int64))

    @property
    def raw_folder(self):
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index):
        img, target = to_image(self.data[index].numpy()), int(self.targets[index])
        return self._apply_transforms(img, target)

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's 28x28 greyscale clothing images in 10 classes, in MNIST's format.

    Read from ``root/FashionMNIST/``; arguments and attributes as ``MNIST``.

    Example:
        >>> ember.vision.datasets.FashionMNIST.classes[:3]
        ['T-shirt/top', 'Trouser', 'Pullover']
    """

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]


class KMNIST(MNIST):
    """Kuzushiji (cursive Japanese) characters in 10 classes, in MNIST's format.

    Read from ``root/KMNIST/``; arguments and attributes as ``MNIST``.

    Example:
        >>> ember.vision.datasets.KMNIST.classes[:3]
        ['o', 'ki', 'su']
    """

    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]
