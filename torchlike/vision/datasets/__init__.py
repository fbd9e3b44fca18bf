"""torchlike.vision.datasets: MNIST, FashionMNIST, CIFAR10, ImageFolder, FakeData (mirrors torchvision.datasets)."""

from .cifar import CIFAR10
from .fakedata import FakeData
from .folder import IMG_EXTENSIONS, DatasetFolder, ImageFolder, default_loader, pil_loader
from .mnist import MNIST, FashionMNIST
from .vision import StandardTransform, VisionDataset

__all__ = [
    "CIFAR10",
    "IMG_EXTENSIONS",
    "DatasetFolder",
    "FakeData",
    "FashionMNIST",
    "ImageFolder",
    "MNIST",
    "StandardTransform",
    "VisionDataset",
    "default_loader",
    "pil_loader",
]
