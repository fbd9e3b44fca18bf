"""CIFAR10 from its python pickles in root/cifar-10-batches-py (mirrors torchvision.datasets.CIFAR10)."""

from __future__ import annotations

import os
import pickle

import numpy as np
from PIL import Image

from .vision import VisionDataset, download_url, extract_tar

__all__ = ["CIFAR10"]


class CIFAR10(VisionDataset):
    """Mirrors torchvision.datasets.CIFAR10: ``data`` is (N, 32, 32, 3) uint8, ``targets`` a list of ints.

    Files are checked for presence, not md5 (the download is checked), so re-packed batches load.
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {"filename": "batches.meta", "key": "label_names", "md5": "5ff9c542aee3614f3951f8cda6e48888"}

    def __init__(self, root, train: bool = True, transform=None, target_transform=None, download: bool = False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_integrity():
            names = ", ".join(n for n, _ in self.train_list + self.test_list)
            raise RuntimeError(
                f"Dataset not found or corrupted in {os.path.join(self.root, self.base_folder)} (expected {names}). "
                "You can use download=True to download it"
            )
        data, self.targets = [], []
        for name, _ in self.train_list if train else self.test_list:
            with open(os.path.join(self.root, self.base_folder, name), "rb") as f:
                entry = pickle.load(f, encoding="latin1")
            data.append(entry["data"])
            self.targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        self.data = np.vstack(data).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self._load_meta()

    def _load_meta(self) -> None:
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        if not os.path.isfile(path):
            raise RuntimeError("Dataset metadata file not found or corrupted. You can use download=True to download it")
        with open(path, "rb") as f:
            self.classes = pickle.load(f, encoding="latin1")[self.meta["key"]]
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}

    def __getitem__(self, index: int):
        return self._apply(Image.fromarray(self.data[index]), self.targets[index])

    def __len__(self) -> int:
        return len(self.data)

    def _check_integrity(self) -> bool:
        names = [n for n, _ in self.train_list + self.test_list] + [self.meta["filename"]]
        return all(os.path.isfile(os.path.join(self.root, self.base_folder, n)) for n in names)

    def download(self) -> None:
        """Fetch and unpack the tarball into root."""
        if self._check_integrity():
            return
        path = os.path.join(self.root, self.filename)
        download_url([self.url], path, self.tgz_md5)
        extract_tar(path, self.root)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"
