"""Train a small CNN classifier, PyTorch-style, on JAX through torchlike.

A complete PyTorch training script (nn.Module, DataLoader, AdamW with a
cosine schedule, CrossEntropyLoss, evaluation, a checkpoint saved and
resumed); the only changes from PyTorch are the import lines. The data are
generated: 8x8 images of ten noisy glyphs, so nothing is downloaded. Run:

    python examples/train_classifier.py
"""

import time

import numpy as np

import torchlike as torch
from torchlike import nn
from torchlike.utils.data import DataLoader, TensorDataset


def make_glyphs(n: int, seed: int):
    """n 1x8x8 images of ten random glyphs, shifted by up to a pixel and noised; labels 0-9."""
    rng = np.random.RandomState(seed)
    glyphs = np.random.RandomState(1234).rand(10, 10, 10) > 0.6  # fixed 10x10 prototypes, cropped below
    labels = rng.randint(0, 10, n)
    dy, dx = rng.randint(0, 3, n), rng.randint(0, 3, n)
    images = np.stack([glyphs[c, y : y + 8, x : x + 8] for c, y, x in zip(labels, dy, dx)]).astype(np.float32)
    images += 0.4 * rng.standard_normal(images.shape).astype(np.float32)
    return torch.from_numpy(images[:, None]), torch.from_numpy(labels)


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1, bias=False),  # the batch norm after it has the bias
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += y.numel()
    return correct / total


def main(epochs: int = 10, path: str = "classifier.pt"):
    torch.manual_seed(0)
    train = DataLoader(TensorDataset(*make_glyphs(2048, seed=0)), batch_size=64, shuffle=True)
    test = DataLoader(TensorDataset(*make_glyphs(512, seed=1)), batch_size=256)

    model = SmallCNN()
    print(model)
    print(f"{sum(p.numel() for p in model.parameters())} parameters")
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)

    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for x, y in train:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            scheduler.step()
            running += loss.item()
        accuracy = evaluate(model, test)
        print(
            f"epoch {epoch + 1}/{epochs}  loss {running / len(train):.4f}  test accuracy {accuracy:.3f}  "
            f"lr {scheduler.get_last_lr()[0]:.2e}  ({time.perf_counter() - start:.1f}s)"
        )

    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epochs}, path)
    restored = SmallCNN()
    restored.load_state_dict(torch.load(path)["model"])
    assert evaluate(restored, test) == accuracy, "the checkpoint did not restore the model"
    print(f"saved and restored {path}: test accuracy {accuracy:.3f}")
    assert accuracy > 0.9, "training did not converge"


if __name__ == "__main__":
    main()
