"""DataLoader throughput: torchlike vs torch on a 60k-sample image-like dataset, same run.

Each sample is a uint8 28x28 array made in memory, turned to float, normalized and randomly
cropped in NumPy (the usual MNIST-style pipeline); batch 64, shuffled. One epoch is timed from
``iter(loader)`` to the last batch, so worker start-up counts (torch's workers fork; torchlike's
start from a forkserver, see torchlike/utils/data/dataloader.py). torch and torchlike are imported
inside ``main()``: worker processes re-import this script, and it should stay light to import.

The last row repeats ``num_workers=0`` on the samples without their transform, which isolates the
loader's own per-batch cost.

    python benchmarks/bench_data.py [--epochs 5] [--samples 60000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


class ImageDataset:
    """uint8 images and int labels in memory; __getitem__ does the per-sample transform in NumPy."""

    def __init__(self, n: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        self.labels = rng.integers(0, 10, n)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        img = (self.images[i].astype(np.float32) * (1 / 255.0) - 0.1307) / 0.3081
        padded = np.pad(img, 2)
        y, x = np.random.randint(0, 5, 2)
        return padded[None, y : y + 28, x : x + 28], int(self.labels[i])


class PlainDataset(ImageDataset):
    """The same samples with no transform: what is left is the loader's own cost (sampling, collate,
    the host-to-device copy)."""

    def __getitem__(self, i):
        return self.images[i], int(self.labels[i])


def epoch_rate(loader) -> float:
    """Samples per second of one epoch, from iter(loader) (worker start-up included) to the last batch."""
    t0 = time.perf_counter()
    n = 0
    for x, _y in loader:
        n += x.shape[0]
    return n / (time.perf_counter() - t0)


def compare(data, loaders: dict, num_workers: int, persistent: bool, epochs: int) -> dict:
    """Median samples/s per library; epochs alternate between libraries so load drift hits both alike."""
    kwargs = {"persistent_workers": True} if persistent else {}
    made = {
        name: cls(data, batch_size=64, shuffle=True, num_workers=num_workers, **kwargs) for name, cls in loaders.items()
    }
    rates = {name: [] for name in loaders}
    for _ in range(epochs):
        for name, loader in made.items():
            rates[name].append(epoch_rate(loader))
    return {name: statistics.median(r) for name, r in rates.items()}


def main() -> None:
    import torch
    import torch.utils.data

    import torchlike.utils.data

    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=60000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    data, plain = ImageDataset(args.samples), PlainDataset(args.samples)
    loaders = {"torch": torch.utils.data.DataLoader, "torchlike": torchlike.utils.data.DataLoader}
    rows = []
    for name, dataset, num_workers, persistent in (
        ("transform", data, 0, False),
        ("transform", data, 2, False),
        ("transform", data, 2, True),
        ("none", plain, 0, False),
    ):
        rates = compare(dataset, loaders, num_workers, persistent, args.epochs)
        rows.append((name, num_workers, persistent, rates["torch"], rates["torchlike"]))
    print(f"{args.samples} samples, batch 64, shuffle, median of {args.epochs} epochs (samples/s)\n")
    print("| per-sample work | num_workers | persistent | torch | torchlike | torchlike / torch |")
    print("|---|---|---|---|---|---|")
    for name, nw, persistent, t, tl in rows:
        print(f"| {name} | {nw} | {persistent} | {t:,.0f} | {tl:,.0f} | {tl / t:.2f} |")


if __name__ == "__main__":
    main()
