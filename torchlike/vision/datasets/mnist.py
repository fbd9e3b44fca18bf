"""MNIST and FashionMNIST from IDX ubyte files (mirrors torchvision.datasets.MNIST / FashionMNIST).

Reads root/<ClassName>/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte, each optionally
gzipped (``.gz``), as torchvision lays them out. ``data`` and ``targets`` are torchlike tensors
where torchlike is imported, NumPy arrays otherwise (a DataLoader worker); the arrays themselves
are what gets pickled.
"""

from __future__ import annotations

import gzip
import os
import sys

import numpy as np
from PIL import Image

from .vision import VisionDataset, download_url, extract_gzip

__all__ = ["FashionMNIST", "MNIST", "read_image_file", "read_label_file", "read_sn3_pascalvincent_array"]

# IDX type byte -> big-endian NumPy dtype
_IDX_TYPES = {8: ">u1", 9: ">i1", 11: ">i2", 12: ">i4", 13: ">f4", 14: ">f8"}


def _read_bytes(path: str) -> bytes:
    """The file at ``path``, or at ``path + '.gz'`` decompressed."""
    if os.path.exists(path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            return f.read()
    with gzip.open(path + ".gz", "rb") as f:
        return f.read()


def read_sn3_pascalvincent_array(path: str, strict: bool = True) -> np.ndarray:
    """An IDX file (magic: two zero bytes, a type byte, the number of dimensions) as a NumPy array."""
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES or not 1 <= data[3] <= 3:
        raise RuntimeError(f"{path} is not an IDX file (magic bytes {data[:4]!r})")
    ty, nd = data[2], data[3]
    shape = tuple(int.from_bytes(data[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(nd))
    parsed = np.frombuffer(data, dtype=_IDX_TYPES[ty], offset=4 * (nd + 1))
    if strict and parsed.size != int(np.prod(shape)):
        raise RuntimeError(f"{path}: header says shape {shape} but the file holds {parsed.size} values")
    return parsed.astype(parsed.dtype.newbyteorder("="))[: int(np.prod(shape))].reshape(shape)


def read_label_file(path: str) -> np.ndarray:
    x = read_sn3_pascalvincent_array(path, strict=False)
    if x.dtype != np.uint8:
        raise TypeError(f"x should be of dtype uint8 instead of {x.dtype}")
    if x.ndim != 1:
        raise ValueError(f"x should have 1 dimension instead of {x.ndim}")
    return x.astype(np.int64)


def read_image_file(path: str) -> np.ndarray:
    x = read_sn3_pascalvincent_array(path, strict=False)
    if x.dtype != np.uint8:
        raise TypeError(f"x should be of dtype uint8 instead of {x.dtype}")
    if x.ndim != 3:
        raise ValueError(f"x should have 3 dimension instead of {x.ndim}")
    return x


def _tensor_or_array(arr: np.ndarray):
    tl = sys.modules.get("torchlike")
    return tl.from_numpy(arr) if tl is not None and hasattr(tl, "from_numpy") else arr


class MNIST(VisionDataset):
    """Mirrors torchvision.datasets.MNIST: (PIL image in mode L, int target)."""

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = [f"{i} - {n}" for i, n in enumerate("zero one two three four five six seven eight nine".split())]

    def __init__(self, root, train: bool = True, transform=None, target_transform=None, download: bool = False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            raise RuntimeError(
                f"Dataset not found in {self.raw_folder}. You can use download=True to download it, or place "
                f"{', '.join(os.path.splitext(f)[0] for f, _ in self.resources)} (optionally .gz) there"
            )
        prefix = "train" if train else "t10k"
        self._data = read_image_file(os.path.join(self.raw_folder, f"{prefix}-images-idx3-ubyte"))
        self._targets = read_label_file(os.path.join(self.raw_folder, f"{prefix}-labels-idx1-ubyte"))
        self._cache: dict = {}

    @property
    def data(self):
        """The (N, 28, 28) uint8 images: a tensor where torchlike is imported (as torchvision's)."""
        if "data" not in self._cache:
            self._cache["data"] = _tensor_or_array(self._data)
        return self._cache["data"]

    @property
    def targets(self):
        if "targets" not in self._cache:
            self._cache["targets"] = _tensor_or_array(self._targets)
        return self._cache["targets"]

    def __getstate__(self):
        return {**self.__dict__, "_cache": {}}  # send the arrays, not tensors, to DataLoader workers

    def __getitem__(self, index: int):
        img = Image.fromarray(self._data[index])
        return self._apply(img, int(self._targets[index]))

    def __len__(self) -> int:
        return len(self._data)

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def _check_exists(self) -> bool:
        names = [os.path.join(self.raw_folder, os.path.splitext(f)[0]) for f, _ in self.resources]
        return all(os.path.exists(n) or os.path.exists(n + ".gz") for n in names)

    def download(self) -> None:
        """Fetch the four .gz files from the mirrors into raw_folder and decompress them."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            path = os.path.join(self.raw_folder, filename)
            download_url([m + filename for m in self.mirrors], path, md5)
            extract_gzip(path, os.path.splitext(path)[0])

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """Mirrors torchvision.datasets.FashionMNIST."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
