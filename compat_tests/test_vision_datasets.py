"""torchlike.vision.datasets against torchvision.datasets reading the same small files.

The tests write MNIST IDX files, CIFAR-10 pickles and image folders, read them with both, and
check the download error path with urlopen patched to fail (nothing touches the network).
"""

from __future__ import annotations

import gzip
import os
import pickle
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
from PIL import Image

import compat_tests._torchvision as tv
import torchlike
from torchlike.vision import datasets as D
from torchlike.vision import transforms as T

_rng = np.random.default_rng(0)


def _idx_bytes(arr: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, arr.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in arr.shape)
    return header + arr.astype(np.uint8).tobytes()


def _write_mnist(root, name: str, n: int, gz: bool):
    raw = os.path.join(root, name, "raw")
    os.makedirs(raw, exist_ok=True)
    arrays = {}
    for split, count in (("train", n), ("t10k", n // 2)):
        images = _rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        labels = _rng.integers(0, 10, count, dtype=np.uint8)
        arrays[split] = (images, labels)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            path = os.path.join(raw, f"{split}-{kind}-ubyte")
            with gzip.open(path + ".gz", "wb") if gz else open(path, "wb") as f:
                f.write(_idx_bytes(arr))
    return arrays


def _same_sample(got, want):
    (gi, gt), (wi, wt) = got, want
    assert type(gt) is type(wt) and gt == wt
    assert isinstance(gi, Image.Image) and gi.mode == wi.mode and gi.size == wi.size
    np.testing.assert_array_equal(np.asarray(gi), np.asarray(wi))


@pytest.mark.parametrize("cls", ["MNIST", "FashionMNIST"])
def test_mnist_matches_torchvision(tmp_path, cls):
    arrays = _write_mnist(tmp_path, cls, 6, gz=False)
    for train in (True, False):
        ours, ref = getattr(D, cls)(tmp_path, train=train), getattr(tv.datasets, cls)(str(tmp_path), train=train)
        assert len(ours) == len(ref) and ours.classes == ref.classes and ours.class_to_idx == ref.class_to_idx
        for i in (0, len(ref) - 1):
            _same_sample(ours[i], ref[i])
        assert isinstance(ours.data, torchlike.Tensor) and str(ours.data.dtype) == str(ref.data.dtype)
        np.testing.assert_array_equal(ours.data.numpy(), ref.data.numpy())
        np.testing.assert_array_equal(ours.targets.numpy(), ref.targets.numpy())
        assert str(ours.targets.dtype) == str(ref.targets.dtype)
        assert repr(ours).replace(str(tmp_path), "R") == repr(ref).replace(str(tmp_path), "R")
    np.testing.assert_array_equal(np.asarray(ours[1][0]), arrays["t10k"][0][1])


def test_mnist_gz_transforms_and_loader(tmp_path):
    arrays = _write_mnist(tmp_path, "MNIST", 8, gz=True)
    ds = D.MNIST(
        str(tmp_path),
        transform=T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))]),
        target_transform=lambda t: t + 100,
    )
    img, target = ds[3]
    assert tuple(img.shape) == (1, 28, 28) and target == int(arrays["train"][1][3]) + 100
    np.testing.assert_allclose(img.numpy()[0], (arrays["train"][0][3] / np.float32(255) - 0.1307) / 0.3081, rtol=1e-5)
    batches = list(torchlike.utils.data.DataLoader(ds, batch_size=5))
    assert [tuple(b[0].shape) for b in batches] == [(5, 1, 28, 28), (3, 1, 28, 28)]
    assert batches[0][1].dtype == torchlike.int64
    assert "StandardTransform" in repr(ds) and "Normalize(mean=(0.1307,)" in repr(ds)


def test_mnist_missing_and_corrupt_files(tmp_path):
    with pytest.raises(RuntimeError, match="Dataset not found.*download=True"):
        D.MNIST(tmp_path)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ):
        (raw / name).write_bytes(b"\x01\x02\x03\x04garbage")
    with pytest.raises(RuntimeError, match="not an IDX file"):
        D.MNIST(tmp_path)


def _refuse(*args, **kwargs):
    raise urllib.error.URLError("network is unreachable (test)")


def test_download_without_network_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", _refuse)
    with pytest.raises(RuntimeError) as info:
        D.MNIST(tmp_path, download=True)
    msg = str(info.value)
    assert "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz" in msg
    assert os.path.join(str(tmp_path), "MNIST", "raw", "train-images-idx3-ubyte.gz") in msg and "place it" in msg
    with pytest.raises(RuntimeError, match="cifar-10-python.tar.gz"):
        D.CIFAR10(tmp_path, download=True)
    assert not any(p.name.endswith(".part") for p in tmp_path.rglob("*"))


def _write_cifar(root):
    folder = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(folder)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for i, name in enumerate(names):
        n = 2 + i % 2
        entry = {"data": _rng.integers(0, 256, (n, 3072), dtype=np.uint8), "labels": _rng.integers(0, 10, n).tolist()}
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump(entry, f)
    with open(os.path.join(folder, "batches.meta"), "wb") as f:
        pickle.dump({"label_names": [f"class{i}" for i in range(10)]}, f)


def test_cifar10_matches_torchvision(tmp_path, monkeypatch):
    _write_cifar(tmp_path)
    monkeypatch.setattr(tv.datasets.cifar, "check_integrity", lambda path, md5=None: os.path.isfile(path))
    for train in (True, False):
        ours, ref = D.CIFAR10(tmp_path, train=train), tv.datasets.CIFAR10(str(tmp_path), train=train)
        assert len(ours) == len(ref) and ours.classes == ref.classes and ours.class_to_idx == ref.class_to_idx
        np.testing.assert_array_equal(ours.data, ref.data)
        assert ours.targets == ref.targets
        for i in range(len(ref)):
            _same_sample(ours[i], ref[i])
        assert repr(ours).replace(str(tmp_path), "R") == repr(ref).replace(str(tmp_path), "R")


def test_image_folder_matches_torchvision(tmp_path):
    for cls, count in (("cat", 2), ("dog", 3), ("zebra", 1)):
        (tmp_path / cls / "sub").mkdir(parents=True)
        for i in range(count):
            arr = _rng.integers(0, 256, (5 + i, 7, 3), dtype=np.uint8)
            Image.fromarray(arr).save(tmp_path / cls / f"{i}.png")
        Image.fromarray(arr[..., 0]).save(tmp_path / cls / "sub" / "gray.bmp")
        (tmp_path / cls / "notes.txt").write_text("not an image")
    ours, ref = D.ImageFolder(str(tmp_path)), tv.datasets.ImageFolder(str(tmp_path))
    assert ours.classes == ref.classes and ours.class_to_idx == ref.class_to_idx
    assert ours.samples == ref.samples and ours.imgs == ref.imgs and ours.targets == ref.targets
    for i in range(len(ref)):
        _same_sample(ours[i], ref[i])
    load = lambda path: np.load(path)  # noqa: E731
    np.save(tmp_path / "cat" / "x.npy", np.arange(3))
    folder = D.DatasetFolder(str(tmp_path), load, extensions=(".npy",), allow_empty=True)
    assert [(os.path.basename(p), t) for p, t in folder.samples] == [("x.npy", 0)]
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes dog, zebra"):
        D.DatasetFolder(str(tmp_path), load, extensions=(".npy",))
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        D.ImageFolder(str(tmp_path / "cat" / "sub"))
    assert D.default_loader(ours.samples[0][0]).mode == "RGB"


def test_fake_data():
    ds = D.FakeData(size=5, image_size=(3, 6, 4), num_classes=3, random_offset=7)
    img, target = ds[2]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (4, 6) and 0 <= target < 3
    np.testing.assert_array_equal(np.asarray(ds[2][0]), np.asarray(img))
    assert (np.asarray(ds[3][0]) != np.asarray(img)).any() and len(ds) == 5
    assert D.FakeData(2, (1, 5, 5))[0][0].mode == "L"
    with pytest.raises(IndexError):
        ds[5]
    assert repr(ds) == repr(tv.datasets.FakeData(size=5, image_size=(3, 6, 4)))
    assert torch is not None
