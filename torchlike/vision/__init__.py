"""torchlike.vision: the torchvision parts training scripts use (transforms, datasets, models).

``transforms`` and ``datasets`` import only NumPy, Pillow and the standard library; ``models``
builds on torchlike.nn.
"""

from . import datasets, models, transforms

__all__ = ["datasets", "models", "transforms"]
