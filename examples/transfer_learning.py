"""Transfer learning, torchvision-style: a ResNet-18 backbone, frozen, with a new head fine-tuned.

The PyTorch recipe with only the imports changed: load a ResNet-18 state_dict written by
``torch.save`` (``--weights resnet18-f37072fd.pth``, e.g. torchvision's ImageNet file fetched by
hand: nothing here downloads), freeze the backbone with ``requires_grad_(False)``, replace
``model.fc`` and train it on scikit-learn's 8x8 digits upsampled to 3x32x32 through
torchlike.vision.transforms (synthetic digits when scikit-learn is missing). Without
``--weights`` it first writes a randomly initialised ResNet-18 checkpoint and says so. Run:

    python examples/transfer_learning.py [--weights PATH] [--epochs 3]
"""

import argparse
import os
import tempfile
import time

import numpy as np
from PIL import Image

import torchlike as torch
from torchlike import nn
from torchlike.utils.data import DataLoader, Dataset
from torchlike.vision import models, transforms


def load_digits():
    """(images uint8 (N, 8, 8), labels (N,)): scikit-learn's digits, or noisy synthetic glyphs."""
    try:
        from sklearn.datasets import load_digits as sk_digits

        d = sk_digits()
        return (d.images * (255 / 16)).astype(np.uint8), d.target.astype(np.int64)
    except ImportError:
        print("scikit-learn is not installed: using synthetic 8x8 digits")
        rng = np.random.RandomState(0)
        glyphs = rng.rand(10, 8, 8) > 0.5
        labels = rng.randint(0, 10, 1800)
        images = glyphs[labels] * 200 + rng.randint(0, 55, (1800, 8, 8))
        return images.astype(np.uint8), labels.astype(np.int64)


class Digits(Dataset):
    """8x8 digit images as PIL images, through a torchvision-style transform."""

    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(Image.fromarray(self.images[i])), int(self.labels[i])


def checkpoint(path):
    """The --weights file, or a freshly written random ResNet-18 checkpoint."""
    if path:
        return path
    path = os.path.join(tempfile.gettempdir(), "torchlike_resnet18_random.pth")
    torch.manual_seed(0)
    torch.save(models.resnet18().state_dict(), path)
    print(f"no --weights given: wrote a randomly initialised ResNet-18 checkpoint to {path}")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", help="a ResNet-18 state_dict saved by torch.save (1000 classes)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()
    torch.manual_seed(0)

    model = models.resnet18(weights=checkpoint(args.weights))
    model.requires_grad_(False)  # freeze the backbone
    model.fc = nn.Linear(512, 10)  # a new, trainable head
    model.eval()  # BatchNorm keeps the backbone's running statistics
    print(f"trainable parameters: {sum(p.numel() for p in model.parameters() if p.requires_grad)}")

    transform = transforms.Compose(
        [
            transforms.Resize(32),
            transforms.Grayscale(num_output_channels=3),
            transforms.ToTensor(),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ]
    )
    images, labels = load_digits()
    order = np.random.RandomState(0).permutation(len(images))
    n_train = int(0.8 * len(images))
    train = Digits(images[order[:n_train]], labels[order[:n_train]], transform)
    test = Digits(images[order[n_train:]], labels[order[n_train:]], transform)
    train_loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, drop_last=True)
    test_loader = DataLoader(test, batch_size=len(test))

    optimizer = torch.optim.SGD(model.fc.parameters(), lr=args.lr, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        start, total, batches = time.time(), 0.0, 0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total, batches = total + loss.item(), batches + 1
        print(f"epoch {epoch + 1}: loss {total / batches:.4f} ({time.time() - start:.1f} s)")

    with torch.no_grad():
        x, y = next(iter(test_loader))
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"test accuracy: {accuracy:.3f} on {len(test)} images")


if __name__ == "__main__":
    main()
