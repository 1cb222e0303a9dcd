"""Datasets of files sorted into one folder per class: DatasetFolder and ImageFolder."""
import os

from .._pil import require_pillow
from .vision import VisionDataset

__all__ = ["DatasetFolder", "ImageFolder", "IMG_EXTENSIONS", "has_file_allowed_extension",
           "find_classes", "make_dataset", "pil_loader", "default_loader"]

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename, extensions):
    """Whether ``filename`` ends with one of ``extensions`` (case-insensitive)."""
    extensions = extensions if isinstance(extensions, str) else tuple(extensions)
    return filename.lower().endswith(extensions)


def find_classes(directory):
    """(sorted class folder names, {name: index}) of ``directory``."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory, class_to_idx=None, extensions=None, is_valid_file=None,
                 allow_empty=False):
    """[(path, class_index)] of the valid files under each class folder, in sorted order."""
    directory = os.path.expanduser(directory)
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the "
                         "same time")
    if is_valid_file is None:
        def is_valid_file(path):
            return has_file_allowed_extension(path, extensions)
    samples, empty = [], []
    for name in sorted(class_to_idx):
        folder = os.path.join(directory, name)
        if not os.path.isdir(folder):
            continue
        found = [(os.path.join(base, f), class_to_idx[name])
                 for base, _, files in sorted(os.walk(folder, followlinks=True))
                 for f in sorted(files) if is_valid_file(os.path.join(base, f))]
        if not found:
            empty.append(name)
        samples += found
    if empty and not allow_empty:
        msg = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            shown = extensions if isinstance(extensions, str) else ", ".join(extensions)
            msg += f"Supported extensions are: {shown}"
        raise FileNotFoundError(msg)
    return samples


class DatasetFolder(VisionDataset):
    """Files sorted into one folder per class: samples are ``(loader(path), class index)``.

    Classes are the sorted sub-folder names of ``root``; files are found recursively and kept
    when their extension is in ``extensions`` (or ``is_valid_file(path)`` is true).

    Args:
        root (str): the folder holding one sub-folder per class.
        loader (callable): turns a file path into a sample.
        extensions (tuple of str, optional): the file endings to keep.
        transform (callable, optional): applied to each loaded sample.
        target_transform (callable, optional): applied to each class index.
        is_valid_file (callable, optional): instead of ``extensions``.
        allow_empty (bool): allow a class folder without valid files. Default: ``False``.

    Attributes:
        classes (list of str): the class names.
        class_to_idx (dict): class name to index.
        samples (list of tuple): ``(path, class index)`` pairs.
        targets (list of int): the class index of each sample.

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp()
        >>> for name in ("cat", "dog"):
        ...     os.makedirs(os.path.join(root, name))
        ...     _ = open(os.path.join(root, name, "a.txt"), "w").write(name)
        >>> read = lambda path: open(path).read()
        >>> ds = ember.vision.datasets.DatasetFolder(root, read, extensions=(".txt",))
        >>> ds.classes, ds[1]
        (['cat', 'dog'], ('dog', 1))
    """

    def __init__(self, root, loader, extensions=None, transform=None, target_transform=None,
                 is_valid_file=None, allow_empty=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.classes, self.class_to_idx = self.find_classes(self.root)
        self.samples = self.make_dataset(self.root, self.class_to_idx, extensions, is_valid_file,
                                         allow_empty=allow_empty)
        self.loader, self.extensions = loader, extensions
        self.targets = [target for _, target in self.samples]

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None,
                     allow_empty=False):
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory):
        return find_classes(directory)

    def __getitem__(self, index):
        path, target = self.samples[index]
        return self._apply_transforms(self.loader(path), target)

    def __len__(self):
        return len(self.samples)


def pil_loader(path):
    """Open an image file as an RGB PIL image."""
    Image = require_pillow("Loading image files")
    with open(path, "rb") as f:
        return Image.open(f).convert("RGB")


def default_loader(path):
    return pil_loader(path)


class ImageFolder(DatasetFolder):
    """A ``DatasetFolder`` of image files (``IMG_EXTENSIONS``) opened as RGB PIL images.

    Needs Pillow (the ``vision`` extra). Arguments as ``DatasetFolder``, with ``loader``
    defaulting to ``default_loader``; ``imgs`` is the same list as ``samples``.

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp(); os.makedirs(os.path.join(root, "red"))
        >>> ember.vision.utils.save_image(ember.ones(3, 4, 5), os.path.join(root, "red", "a.png"))
        >>> image, label = ember.vision.datasets.ImageFolder(root)[0]
        >>> image.mode, image.size, label
        ('RGB', (5, 4), 0)
    """

    def __init__(self, root, transform=None, target_transform=None, loader=default_loader,
                 is_valid_file=None, allow_empty=False):
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None,
                         transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
