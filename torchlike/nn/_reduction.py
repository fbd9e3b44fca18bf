"""torch.nn._reduction: the reduction-argument helpers custom losses import (mirrors torch/nn/_reduction.py)."""

from __future__ import annotations

from .._ops._nn_loss_base import get_enum as _reduction_name
from .._ops._nn_loss_base import legacy_get_string

__all__ = ["get_enum", "legacy_get_enum", "legacy_get_string"]

_ENUM = {"none": 0, "mean": 1, "sum": 2}


def get_enum(reduction: str) -> int:
    """Mirrors torch.nn._reduction.get_enum: 0 'none', 1 'mean', 2 'sum'; ValueError otherwise."""
    return _ENUM[_reduction_name(reduction)]


def legacy_get_enum(size_average, reduce, emit_warning: bool = True) -> int:
    """Mirrors torch.nn._reduction.legacy_get_enum."""
    return get_enum(legacy_get_string(size_average, reduce, emit_warning))
