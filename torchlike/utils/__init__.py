"""torchlike.utils (mirrors torch.utils)."""

from __future__ import annotations

from . import data, safetensors

__all__ = ["data", "safetensors"]
