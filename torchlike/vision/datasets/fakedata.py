"""FakeData: random images, the same for the same index (mirrors torchvision.datasets.FakeData).

torchvision draws each image from torch's RNG seeded with ``index + random_offset``; this draws
from NumPy's RandomState seeded the same way, so images are reproducible but not torchvision's.
"""

from __future__ import annotations

import numpy as np

from ..transforms.functional import to_pil_image
from .vision import VisionDataset

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    """Mirrors torchvision.datasets.FakeData: (PIL image of ``image_size`` (C, H, W), int target)."""

    def __init__(
        self,
        size=1000,
        image_size=(3, 224, 224),
        num_classes=10,
        transform=None,
        target_transform=None,
        random_offset=0,
    ) -> None:
        super().__init__(transform=transform, target_transform=target_transform)
        self.size, self.num_classes, self.image_size, self.random_offset = size, num_classes, image_size, random_offset

    def __getitem__(self, index: int):
        if index >= len(self):
            raise IndexError(f"{self.__class__.__name__} index out of range")
        rng = np.random.RandomState(index + self.random_offset)
        img = rng.standard_normal(self.image_size).astype(np.float32)
        target = int(rng.randint(0, self.num_classes))
        img = to_pil_image(img.transpose(1, 2, 0) if img.ndim == 3 else img)
        return self._apply(img, target)

    def __len__(self) -> int:
        return self.size
