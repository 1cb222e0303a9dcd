"""torchvision.datasets: image datasets read from local files (ember never downloads)."""
from .cifar import CIFAR10, CIFAR100
from .fakedata import FakeData
from .folder import DatasetFolder, ImageFolder
from .mnist import MNIST, FashionMNIST, KMNIST
from .vision import VisionDataset

__all__ = ["VisionDataset", "MNIST", "FashionMNIST", "KMNIST", "CIFAR10", "CIFAR100",
           "DatasetFolder", "ImageFolder", "FakeData"]
