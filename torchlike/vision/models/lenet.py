"""LeNet-5 for 1x28x28 inputs (torchvision has none; the classic layout with torch-style names)."""

from __future__ import annotations

from ... import nn
from ...nn import functional as F
from ._api import WeightsEnum, load_weights

__all__ = ["LeNet5", "lenet5"]


class LeNet5(nn.Module):
    """conv1 (5x5, padded) - pool - conv2 (5x5) - pool - fc1 - fc2 - fc3, ReLU between."""

    def __init__(self, num_classes: int = 10, in_channels: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class _NoWeights(WeightsEnum):
    pass


def lenet5(*, weights=None, progress: bool = True, **kwargs) -> LeNet5:
    """A LeNet5; ``weights`` may be a local checkpoint path."""
    return load_weights(lambda: LeNet5(**kwargs), weights, _NoWeights)
