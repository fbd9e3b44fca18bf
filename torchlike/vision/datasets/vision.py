"""VisionDataset, StandardTransform and the download helper (mirrors torchvision.datasets.vision / utils).

Imports only NumPy, Pillow and the standard library (plus the jax-free torchlike.utils.data.dataset).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.request
from collections.abc import Callable

from ...utils.data.dataset import Dataset

__all__ = ["StandardTransform", "VisionDataset"]


class VisionDataset(Dataset):
    """Mirrors torchvision.datasets.VisionDataset: root, transforms and torchvision's repr."""

    _repr_indent = 4

    def __init__(self, root=None, transforms=None, transform=None, target_transform=None) -> None:
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        has_separate = transform is not None or target_transform is not None
        if transforms is not None and has_separate:
            raise ValueError("Only transforms or transform/target_transform can be passed as argument")
        self.transform = transform
        self.target_transform = target_transform
        self.transforms = StandardTransform(transform, target_transform) if has_separate else transforms

    def __getitem__(self, index: int):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __repr__(self) -> str:
        body = [f"Number of datapoints: {self.__len__()}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if getattr(self, "transforms", None) is not None:
            body += [repr(self.transforms)]
        return "\n".join(["Dataset " + self.__class__.__name__] + [" " * self._repr_indent + line for line in body])

    def extra_repr(self) -> str:
        return ""

    def _apply(self, img, target):
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target


def _format_transform_repr(transform: Callable, head: str) -> list[str]:
    lines = repr(transform).splitlines()
    return [f"{head}{lines[0]}"] + [" " * len(head) + line for line in lines[1:]]


class StandardTransform:
    """Mirrors torchvision.datasets.vision.StandardTransform: (transform(input), target_transform(target))."""

    def __init__(self, transform=None, target_transform=None) -> None:
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    def __repr__(self) -> str:
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += _format_transform_repr(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += _format_transform_repr(self.target_transform, "Target transform: ")
        return "\n".join(body)


def md5sum(path: str, chunk: int = 1 << 20) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def download_url(urls: list[str], path: str, md5: str | None = None) -> None:
    """Fetch the first reachable URL of ``urls`` into ``path`` (atomically), checking its md5 if given.

    Raises RuntimeError naming every URL tried and where to put the file by hand when none works
    (no network, a proxy, a moved file).
    """
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    errors = []
    for url in urls:
        tmp = f"{path}.part"
        try:
            with urllib.request.urlopen(url, timeout=30) as response, open(tmp, "wb") as out:
                shutil.copyfileobj(response, out)
        except (urllib.error.URLError, OSError, ValueError) as e:
            errors.append(f"  {url}: {e}")
            if os.path.exists(tmp):
                os.remove(tmp)
            continue
        if md5 is not None and md5sum(tmp) != md5:
            os.remove(tmp)
            errors.append(f"  {url}: the downloaded file's md5 is not {md5}")
            continue
        os.replace(tmp, path)
        return
    raise RuntimeError(
        f"Could not download {os.path.basename(path)}. Tried:\n" + "\n".join(errors) + "\n"
        f"Download it yourself (from one of the URLs above) and place it at {path}, then run again "
        "with download=False."
    )


def extract_gzip(src: str, dst: str) -> None:
    with gzip.open(src, "rb") as f, open(dst, "wb") as out:
        shutil.copyfileobj(f, out)


def extract_tar(src: str, dst_dir: str) -> None:
    with tarfile.open(src, "r:*") as tar:
        tar.extractall(dst_dir, filter="data")
