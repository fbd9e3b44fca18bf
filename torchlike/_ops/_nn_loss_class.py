"""Class-index losses: cross_entropy, nll_loss, multi_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss.

cross_entropy and nll_loss share one program (log_softmax, the picked log-probability through a one-hot
mask, weights, ignore_index, label smoothing and the reduction in one jitted call). Targets out of range
raise eagerly as torch on CPU (the target's values are read when concrete); under tracing they cannot be
read, and the loss of such an element is NaN instead.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._nn_loss_base import (
    cap,
    check_broadcast,
    check_not_differentiable,
    concrete,
    reduce_loss,
    reduction_of,
    require_float,
)

__all__ = ["cross_entropy", "multi_margin_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss", "nll_loss"]


def _class_shape(ndim: int, cdim: int, c: int) -> tuple:
    return tuple(c if i == cdim else 1 for i in range(ndim))


def _nll(x, t, w, ls, *, log_softmax, smooth, reduction, ignore_index):
    cdim = 0 if x.ndim == 1 else 1
    c = x.shape[cdim]
    logp = jax.nn.log_softmax(x, axis=cdim) if log_softmax else x
    t = t.astype(jnp.int64).reshape(t.shape if x.ndim > 1 else ())
    valid = t != ignore_index
    inrange = (t >= 0) & (t < c)
    tc = jnp.where(valid & inrange, t, 0)
    onehot = jnp.expand_dims(tc, cdim) == jnp.arange(c).reshape(_class_shape(x.ndim, cdim, c))
    picked = jnp.sum(jnp.where(onehot, logp, jnp.zeros((), logp.dtype)), axis=cdim)
    wt = jnp.where(valid, jnp.ones((), x.dtype) if w is None else w.reshape(-1)[tc], jnp.zeros((), x.dtype))
    loss = jnp.where(valid, -picked * wt, jnp.zeros((), x.dtype))
    loss = jnp.where(valid & ~inrange, jnp.nan, loss)  # traced out-of-range targets: NaN (eagerly they raise)
    if smooth:
        wb = 1 if w is None else w.reshape(_class_shape(x.ndim, cdim, c))
        smooth_loss = jnp.where(valid, -jnp.sum(logp * wb, axis=cdim), jnp.zeros((), x.dtype))
    if reduction == "none":
        return (1 - ls) * loss + ls / c * smooth_loss if smooth else loss
    total = jnp.sum(wt)
    loss = jnp.sum(loss) / total if reduction == "mean" else jnp.sum(loss)
    if not smooth:
        return loss
    smooth_loss = jnp.sum(smooth_loss) / total if reduction == "mean" else jnp.sum(smooth_loss)
    return (1 - ls) * loss + ls / c * smooth_loss


def _ce_prob(x, t, w, ls, *, smooth, reduction):
    cdim = 0 if x.ndim == 1 else 1
    c = x.shape[cdim]
    logp = jax.nn.log_softmax(x, axis=cdim)
    if smooth:
        t = t * (1 - ls) + ls / c
    prod = logp * t
    if w is not None:
        prod = prod * w.reshape(_class_shape(x.ndim, cdim, c))
    if reduction == "none":
        return -jnp.sum(prod, axis=cdim)
    total = -jnp.sum(prod)
    return total / (x.size / c) if reduction == "mean" else total


def _check_nll_args(input, target, weight, fname):
    """nll_loss_nd's shape, dtype and weight checks, with torch's messages."""
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim != 1 and (target.ndim == 0 or input.shape[0] != target.shape[0]):
        got = target.shape[0] if target.ndim else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({got}).")
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {cap(target.dtype)}")
    require_float(input.dtype, "nll_loss_out_frame")
    c = input.shape[0 if input.ndim == 1 else 1]
    if input.ndim <= 2:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    elif input.ndim == 4 and target.ndim != 3:
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.ndim}"
        )
    elif tuple(target.shape[1:]) != tuple(input.shape[2:]):
        if input.ndim == 4:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}")
    if weight is not None:
        if weight.numel() != c:
            if input.ndim > 2:
                raise RuntimeError("weight tensor should be defined either for all or no classes")
            raise RuntimeError(
                f"weight tensor should be defined either for all {c} classes or no classes but got weight tensor "
                f"of shape: {list(weight.shape)}"
            )
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {cap(input.dtype)} but found {cap(weight.dtype)}")
        check_not_differentiable(weight, fname, "weight")
    return c


def _check_in_range(target, c, ignore_index):
    t = concrete(target)
    if t is None:
        return
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bad.any():
        raise IndexError(f"Target {t[bad].flat[0]} is out of bounds.")


def _nll_dispatch(input, target, weight, reduction, ignore_index, ls, log_softmax, smooth):
    c = _check_nll_args(input, target, weight, "nll_loss_forward")
    _check_in_range(target, c, ignore_index)
    static = (
        ("log_softmax", log_softmax),
        ("smooth", smooth),
        ("reduction", reduction),
        ("ignore_index", int(ignore_index)),
    )
    return dispatch(_nll, (input, target, weight, ls), static, "NllLossBackward0")


def nll_loss(
    input, target, weight=None, size_average=None, ignore_index: int = -100, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors torch.nn.functional.nll_loss (input (C), (N, C) or (N, C, d1, ...))."""
    reduction = reduction_of(size_average, reduce, reduction)
    return _nll_dispatch(input, target, weight, reduction, ignore_index, 0.0, False, False)


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Mirrors torch.nn.functional.cross_entropy: class indices or class probabilities (target shaped as input)."""
    reduction = reduction_of(size_average, reduce, reduction)
    ls = float(label_smoothing)
    if input.shape == target.shape:
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                f"Expected floating point type for target with class probabilities, got {cap(target.dtype)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        c = input.shape[0 if input.ndim == 1 else 1]
        if weight is not None and (weight.ndim != 1 or weight.numel() != c):
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {c} classes or no classes but got "
                f"weight tensor of shape: {list(weight.shape)}"
            )
        if ls > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        static = (("smooth", ls > 0.0), ("reduction", reduction))
        return dispatch(_ce_prob, (input, target, weight, ls), static, "NegBackward0")
    if ls > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    return _nll_dispatch(input, target, weight, reduction, ignore_index, ls, True, ls > 0.0)


# ---------------------------------------------------------------- multi-class margin losses


def _multi_margin(x, y, w, margin, *, p, reduction):
    c = x.shape[-1]
    x2, y2 = x.reshape(-1, c), y.reshape(-1).astype(jnp.int64)
    inrange = (y2 >= 0) & (y2 < c)
    yc = jnp.where(inrange, y2, 0)[:, None]
    z = margin - jnp.take_along_axis(x2, yc, 1) + x2
    h = jnp.where(z > 0, z if p == 1 else z * z, jnp.zeros((), x.dtype))
    h = jnp.where(jnp.arange(c) == yc, jnp.zeros((), x.dtype), h)
    if w is not None:
        h = h * w[yc]
    loss = jnp.where(inrange, jnp.sum(h, axis=1) / c, jnp.nan)
    return reduce_loss(loss.reshape(y.shape if x.ndim > 1 else ()), reduction)


def _check_margin_input(input, target, fname):
    if input.ndim > 2 or input.numel() == 0 and input.ndim < 2:
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {list(input.shape)}"
        )
    if target.dtype is not D.int64:
        raise RuntimeError(f"expected scalar type Long but found {cap(target.dtype)}")


def multi_margin_loss(
    input,
    target,
    p: int = 1,
    margin: float = 1.0,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors torch.nn.functional.multi_margin_loss (target out of range: eager error, NaN when traced)."""
    reduction = reduction_of(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    _check_margin_input(input, target, "multi_margin_loss")
    n = input.shape[0] if input.ndim == 2 else 1
    if target.numel() != n or (input.ndim == 2 and target.ndim != 1):
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch "
            f"size). Expected target size [{n}], but got {list(target.shape)}. Input has shape {list(input.shape)}."
        )
    c = input.shape[-1] if input.ndim else 1
    if weight is not None:
        if weight.numel() != c:
            raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
        check_not_differentiable(weight, "multi_margin_loss", "weight")
    t = concrete(target)
    if t is not None and ((t < 0) | (t >= c)).any():
        raise RuntimeError("target out of range")
    static = (("p", int(p)), ("reduction", reduction))
    return dispatch(_multi_margin, (input, target, weight, float(margin)), static, "MultiMarginLossBackward0")


def _multilabel_margin(x, y, *, reduction):
    c = max(x.shape[-1], 1) if x.ndim else 1
    x2, y2 = x.reshape(-1, c), y.reshape(-1, c).astype(jnp.int64)
    valid = jnp.cumprod(y2 >= 0, axis=1).astype(bool)  # the labels before the first negative entry
    yc = jnp.where(valid & (y2 < c), y2, 0)
    is_target = jnp.any(valid[:, :, None] & (yc[:, :, None] == jnp.arange(c)), axis=1)
    z = 1 - jnp.take_along_axis(x2, yc, 1)[:, :, None] + x2[:, None, :]
    keep = valid[:, :, None] & ~is_target[:, None, :] & (z > 0)
    loss = jnp.sum(jnp.where(keep, z, jnp.zeros((), x.dtype)), axis=(1, 2)) / c
    bad = jnp.any((y2 < -1) | (y2 >= c), axis=1)  # traced out-of-range labels: NaN (eagerly they raise)
    loss = jnp.where(bad, jnp.nan, loss)
    return reduce_loss(loss.reshape(x.shape[:1] if x.ndim == 2 else ()), reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Mirrors torch.nn.functional.multilabel_margin_loss (labels up to the first -1 in each target row)."""
    reduction = reduction_of(size_average, reduce, reduction)
    _check_margin_input(input, target, "multilabel_margin_loss")
    if target.shape != input.shape:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    c = input.shape[-1] if input.ndim else 1
    t = concrete(target)
    if t is not None and ((t < -1) | (t >= c)).any():
        raise RuntimeError("argument #2 'target' is out of range")
    return dispatch(_multilabel_margin, (input, target), (("reduction", reduction),), "MultilabelMarginLossBackward0")


def _multilabel_soft_margin(x, t, w, *, reduction, dtype):
    x, t = x.astype(dtype), t.astype(dtype)
    loss = -(t * jax.nn.log_sigmoid(x) + (1 - t) * jax.nn.log_sigmoid(-x))
    if w is not None:
        loss = loss * w
    return reduce_loss(jnp.sum(loss, axis=-1) / x.shape[-1], reduction)


def multilabel_soft_margin_loss(
    input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors torch.nn.functional.multilabel_soft_margin_loss (mean over classes, then the reduction)."""
    if size_average is not None or reduce is not None:
        reduction = reduction_of(size_average, reduce, reduction)
    elif reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    check_broadcast(input, target, weight)
    dt = D.result_type(*[a for a in (input, target, weight) if a is not None])
    static = (("reduction", reduction), ("dtype", dt.np))
    return dispatch(_multilabel_soft_margin, (input, target, weight), static, "DivBackward0")
