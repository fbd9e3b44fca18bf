"""What the loss functions share: torch's reduction arguments (``torch.nn._reduction``), checks, the reduce step.

Eager checks on values (target indices in range, probabilities in [0, 1], variances >= 0) read the arrays
only when they are concrete; under tracing they are skipped and the loss program turns the offending
elements into NaN instead (documented per loss).
"""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ._pointwise_base import _cap

__all__: list[str] = []

_REDUCTIONS = {"none": "none", "mean": "mean", "sum": "sum"}


def get_enum(reduction: str) -> str:
    """torch's ``_Reduction.get_enum``, returning the validated name ('elementwise_mean' warns, becomes 'mean')."""
    r = _REDUCTIONS.get(reduction) if isinstance(reduction, str) else None
    if r is not None:
        return r
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.", stacklevel=3)
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_get_string(size_average, reduce, emit_warning: bool = True) -> str:
    """torch's ``_Reduction.legacy_get_string``: the deprecated size_average/reduce pair as a reduction name."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit_warning:
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.", stacklevel=3
        )
    return ret


def reduction_of(size_average, reduce, reduction: str) -> str:
    """The reduction a functional loss uses: the legacy pair overrides ``reduction`` (with torch's warning)."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return get_enum(reduction)


def reduce_loss(loss, reduction: str):
    """Apply a reduction inside a loss program."""
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def clamp0(a):
    """``a.clamp_min(0)`` with torch's gradient: it passes where ``a >= 0`` (NaN stays NaN)."""
    return jnp.where(a < 0, jnp.zeros_like(a), a)


def traced(t) -> bool:
    return isinstance(t, Tensor) and isinstance(t._value, jax.core.Tracer)


def concrete(t: Tensor):
    """The tensor's values as numpy, or None under tracing (value checks are then skipped)."""
    return None if traced(t) else np.asarray(t._value)


def check_not_differentiable(t, fname: str, arg: str) -> None:
    """torch refuses inputs its loss has no derivative for (weights, some targets) when they require grad."""
    if isinstance(t, Tensor) and grad_mode._state.enabled and t.requires_grad:
        raise RuntimeError(
            f"The function '{fname}' is not differentiable with respect to argument '{arg}'. This input cannot "
            "have requires_grad True."
        )


def size_warning(input: Tensor, target: Tensor) -> None:
    """The UserWarning torch gives regression losses whose target would broadcast against the input."""
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). This "
            "will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            stacklevel=4,
        )


def _broadcast_pair(sa: tuple, sb: tuple) -> tuple:
    n = max(len(sa), len(sb))
    for i in range(1, min(len(sa), len(sb)) + 1):
        x, y = sa[-i], sb[-i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {n - i}"
            )
    return tuple(np.broadcast_shapes(sa, sb))


def check_broadcast(*ts) -> tuple:
    """The broadcast shape of the operands (tensors or shape tuples; None and numbers skipped), with torch's
    message on failure."""
    shape = None
    for t in ts:
        if isinstance(t, (Tensor, tuple)):
            s = tuple(t.shape) if isinstance(t, Tensor) else t
            shape = s if shape is None else _broadcast_pair(shape, s)
    return shape if shape is not None else ()


def check_into(shape: tuple, *ts) -> None:
    """An in-place ``loss.mul_(w)`` in torch: each operand must broadcast into ``shape`` without growing it."""
    for t in ts:
        if isinstance(t, Tensor):
            out = _broadcast_pair(shape, tuple(t.shape))
            if out != shape:
                raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape {list(out)}")


def float_dtype(*ts) -> D.dtype:
    """The promoted dtype of the operands (tensors and numbers)."""
    return D.result_type(*[t for t in ts if t is not None])


def require_float(dt: D.dtype, kernel: str) -> None:
    if dt.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_cap(dt)}'")


def cap(dt: D.dtype) -> str:
    return _cap(dt)
