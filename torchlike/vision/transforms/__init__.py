"""torchlike.vision.transforms: image transforms for PIL images and tensors (mirrors torchvision.transforms)."""

from . import functional
from .functional import InterpolationMode
from .transforms import *  # noqa: F403
from .transforms import __all__ as _transforms_all

__all__ = ["InterpolationMode", "functional", *_transforms_all]
