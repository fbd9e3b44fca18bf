"""Loss functions of torch.nn.functional: regression, binary, divergence and margin losses.

Each loss is one module-level jnp program (the reduction inside it) run through ``dispatch``, so a loss is
one jitted call eagerly and its gradient one jitted ``jax.vjp``. Class-index losses (cross_entropy,
nll_loss, the multi-class margin losses) live in ``_nn_loss_class.py`` and CTC in ``_nn_loss_ctc.py``;
both are re-exported here. Where torch's hand-written backward differs from the derivative of its forward
(binary_cross_entropy's clamped logs, ctc_loss), the program states torch's rule with ``custom_jvp``.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._nn_loss_base import (
    cap,
    check_broadcast,
    check_into,
    check_not_differentiable,
    clamp0,
    concrete,
    float_dtype,
    get_enum,
    legacy_get_string,
    reduce_loss,
    reduction_of,
    require_float,
    size_warning,
)
from ._nn_loss_class import (
    cross_entropy,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
)
from ._nn_loss_ctc import ctc_loss

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cosine_embedding_loss",
    "cross_entropy",
    "ctc_loss",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "margin_ranking_loss",
    "mse_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "poisson_nll_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]

# ---------------------------------------------------------------- l1, mse, huber, smooth_l1


def _pointwise_loss(x, t, w, p, *, kind, reduction, dtype):
    d = x.astype(dtype) - t.astype(dtype)
    if kind == "mse":
        loss = d * d
    elif kind == "l1":
        loss = jnp.sign(d) * d  # |d| with torch's zero subgradient at 0
    else:
        z = jnp.abs(d)
        if kind == "huber":
            loss = jnp.where(z < p, 0.5 * z * z, p * (z - 0.5 * p))
        else:  # smooth_l1
            loss = jnp.where(z < p, 0.5 * z * z / p, z - 0.5 * p)
    if w is None:
        return reduce_loss(loss, reduction)
    loss = loss * w
    if reduction == "mean" and kind != "huber":  # torch divides by the weights' sum, except huber_loss
        return jnp.sum(loss) / jnp.sum(w)
    return reduce_loss(loss, reduction)


_KERNEL = {"mse": "mse_cpu", "huber": "huber_cpu", "smooth_l1": "smooth_l1_cpu"}
_NAME = {"mse": "MseLossBackward0", "l1": "L1LossBackward0", "huber": "HuberLossBackward0"}


def _regression(kind, input, target, legacy, reduction, p, weight):
    if input.shape != target.shape:
        size_warning(input, target)  # before the legacy-argument warning, as torch
        check_broadcast(input, target)
    reduction = reduction_of(*legacy, reduction)
    dt = float_dtype(input, target) if weight is None else float_dtype(input, target, weight)
    if dt.category < D._CATEGORY_FLOAT:
        if kind != "l1":
            require_float(dt, _KERNEL[kind])
        if reduction == "mean":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                f"dtype. Got: {cap(dt)}"
            )
    if weight is not None and weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    static = (("kind", kind), ("reduction", reduction), ("dtype", dt.np))
    return dispatch(_pointwise_loss, (input, target, weight, p), static, _NAME.get(kind, "SmoothL1LossBackward0"))


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None) -> Tensor:
    """Mirrors torch.nn.functional.l1_loss."""
    return _regression("l1", input, target, (size_average, reduce), reduction, 0.0, weight)


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None) -> Tensor:
    """Mirrors torch.nn.functional.mse_loss."""
    return _regression("mse", input, target, (size_average, reduce), reduction, 0.0, weight)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0, weight=None) -> Tensor:
    """Mirrors torch.nn.functional.huber_loss."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _regression("huber", input, target, (None, None), reduction, float(delta), weight)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Mirrors torch.nn.functional.smooth_l1_loss (beta=0 is l1_loss, as in torch)."""
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    kind = "l1" if beta == 0 else "smooth_l1"
    return _regression(kind, input, target, (size_average, reduce), reduction, float(beta), None)


# ---------------------------------------------------------------- soft margin, kl_div, poisson, gaussian


def _soft_margin(x, t, *, reduction, dtype):
    return reduce_loss(jnp.log1p(jnp.exp(-x.astype(dtype) * t.astype(dtype))), reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Mirrors torch.nn.functional.soft_margin_loss (no gradient for target, as in torch)."""
    reduction = reduction_of(size_average, reduce, reduction)
    check_not_differentiable(target, "soft_margin_loss", "target")
    check_broadcast(input, target)
    static = (("reduction", reduction), ("dtype", float_dtype(input, target).np))
    return dispatch(_soft_margin, (input, target), static, "SoftMarginLossBackward0")


def _xlogy(x, y):
    # torch's xlogy: 0 where x == 0 (unless y is NaN); its gradient is NaN at x == y == 0, as torch's
    return jnp.where((x == 0) & ~jnp.isnan(y), jnp.zeros_like(x * y), x * jnp.log(y))


def _kl_div(x, t, *, reduction, batchmean, log_target, dtype):
    x, t = x.astype(dtype), t.astype(dtype)
    out = reduce_loss(jnp.exp(t) * (t - x) if log_target else _xlogy(t, t) - t * x, reduction)
    return out / x.shape[0] if batchmean else out


def kl_div(input, target, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Mirrors torch.nn.functional.kl_div (reduction 'batchmean' divides the sum by input.size(0))."""
    if size_average is not None or reduce is not None:
        red = legacy_get_string(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' "
                "divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed "
                "to behave the same as 'batchmean' in the next major release.",
                stacklevel=2,
            )
        red = "sum" if reduction == "batchmean" else get_enum(reduction)
    dt = float_dtype(input, target)
    if dt.category < D._CATEGORY_FLOAT:
        raise RuntimeError("kl_div: Integral inputs not supported.")
    check_broadcast(input, target)
    batchmean = reduction == "batchmean" and input.ndim != 0
    static = (("reduction", red), ("batchmean", batchmean), ("log_target", bool(log_target)), ("dtype", dt.np))
    return dispatch(_kl_div, (input, target), static, "KlDivBackward0")


def _poisson_nll(x, t, eps, *, log_input, full, reduction, dtype):
    x, t = x.astype(dtype), t.astype(dtype)
    loss = jnp.exp(x) - t * x if log_input else x - t * jnp.log(x + eps)
    if full:
        stirling = t * jnp.log(t) - t + 0.5 * jnp.log(2 * math.pi * t)
        loss = loss + jnp.where(t <= 1, jnp.zeros_like(stirling), stirling)
    return reduce_loss(loss, reduction)


def poisson_nll_loss(
    input,
    target,
    log_input: bool = True,
    full: bool = False,
    size_average=None,
    eps: float = 1e-8,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors torch.nn.functional.poisson_nll_loss."""
    reduction = reduction_of(size_average, reduce, reduction)
    check_broadcast(input, target)
    dt = float_dtype(input, target)
    dt = dt if dt.category >= D._CATEGORY_FLOAT else D.get_default_dtype()
    static = (("log_input", bool(log_input)), ("full", bool(full)), ("reduction", reduction), ("dtype", dt.np))
    return dispatch(_poisson_nll, (input, target, float(eps)), static, "PoissonNllLossBackward0")


def _gaussian_nll(x, t, var, eps, *, full, reduction, dtype):
    x, t, var = x.astype(dtype), t.astype(dtype), jnp.asarray(var, dtype)
    # torch clamps a clone of var under no_grad: the value is clamped, the gradient flows as if it were not
    var = var + jax.lax.stop_gradient(jnp.maximum(var, eps) - var)
    loss = 0.5 * (jnp.log(var) + (x - t) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce_loss(jnp.broadcast_to(loss, jnp.broadcast_shapes(x.shape, t.shape, var.shape)), reduction)


def gaussian_nll_loss(input, target, var, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Mirrors torch.nn.functional.gaussian_nll_loss (the var >= 0 check is eager only; see _nn_loss_base)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var_t = None
    elif isinstance(var, Tensor):
        v = concrete(var)
        if v is not None and (v < 0).any():
            raise ValueError("var has negative entry/entries")
        var_t = var
    else:
        raise TypeError(f"gaussian_nll_loss(): var must be a Tensor or a float, not {type(var).__name__}")
    if var_t is not None and var_t.shape != input.shape:
        if input.shape[:-1] == var_t.shape:
            var_t = var_t.unsqueeze(-1)
        elif not (
            input.ndim == var_t.ndim and sum(y for x, y in zip(input.shape, var_t.shape) if x != y) == 1
        ):  # one mismatched dimension of size 1: homoscedastic along it
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    check_broadcast(input, target, var_t)
    dt = float_dtype(input, target, var_t)
    var_arg = var_t if var_t is not None else jnp.full(input.shape, var, dt.np)
    static = (("full", bool(full)), ("reduction", reduction), ("dtype", dt.np))
    return dispatch(_gaussian_nll, (input, target, var_arg, float(eps)), static, "GaussianNllLossBackward0")


# ---------------------------------------------------------------- binary cross entropy


@jax.custom_jvp
def _bce_elem(x, t):
    return (t - 1) * jnp.maximum(jnp.log1p(-x), -100.0) - t * jnp.maximum(jnp.log(x), -100.0)


@_bce_elem.defjvp
def _bce_elem_jvp(primals, tangents):
    # torch's backward: (x - t) / max(x (1 - x), 1e-12) for the input, unclamped log-odds for the target
    x, t = primals
    dx, dt = tangents
    gx = (x - t) / jnp.maximum((1 - x) * x, 1e-12)
    return _bce_elem(x, t), gx * dx + (jnp.log1p(-x) - jnp.log(x)) * dt


def _bce(x, t, w, *, reduction):
    loss = _bce_elem(x, t)
    if w is not None:
        loss = loss * w.astype(loss.dtype)
    return reduce_loss(loss, reduction), ~jnp.all((x >= 0) & (x <= 1))  # NaN fails too, as in torch


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
    """Mirrors torch.nn.functional.binary_cross_entropy (log clamped at -100, torch's backward).

    Inputs outside [0, 1] raise eagerly, as torch on CPU; under tracing their loss is NaN.
    """
    reduction = reduction_of(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}) is "
            "deprecated. Please ensure they have the same size."
        )
    require_float(input.dtype, "binary_cross_entropy")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {cap(target.dtype)} but expected {cap(input.dtype)}")
    if weight is not None:
        check_not_differentiable(weight, "binary_cross_entropy", "weight")
        check_broadcast(target, weight)
        check_into(tuple(input.shape), weight)
    loss, bad = dispatch(_bce, (input, target, weight), (("reduction", reduction),), "BinaryCrossEntropyBackward0")
    flag = concrete(bad)
    if flag is not None and flag:
        raise RuntimeError("all elements of input should be between 0 and 1")
    return loss


def _bce_logits(x, t, w, pw, *, reduction, dtype):
    sp = jax.nn.softplus(-x).astype(dtype)  # -log(sigmoid(x)), stable; in the input's dtype, as torch
    x, t = x.astype(dtype), t.astype(dtype)
    loss = (1 - t) * x + (sp if pw is None else ((pw - 1) * t + 1) * sp)
    if w is not None:
        loss = loss * w
    return reduce_loss(loss.astype(dtype), reduction)


def binary_cross_entropy_with_logits(
    input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean", pos_weight=None
) -> Tensor:
    """Mirrors torch.nn.functional.binary_cross_entropy_with_logits."""
    reduction = reduction_of(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    dt = float_dtype(input, target)
    if weight is not None or pos_weight is not None:
        check_not_differentiable(weight, "binary_cross_entropy_with_logits", "weight")
        check_not_differentiable(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
        check_into(tuple(input.shape), weight, pos_weight)
    if dt.category < D._CATEGORY_FLOAT or target.dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"result type Float can't be cast to the desired output type {cap(target.dtype)}")
    static = (("reduction", reduction), ("dtype", dt.np))
    return dispatch(_bce_logits, (input, target, weight, pos_weight), static, "BinaryCrossEntropyWithLogitsBackward0")


# ---------------------------------------------------------------- margin and embedding losses


def _hinge_embedding(x, t, margin, *, reduction):
    zero = jnp.zeros((), x.dtype)
    out = jnp.where(t != 1, clamp0(margin - x), zero) + jnp.where(t != -1, x, zero)
    return reduce_loss(out, reduction)


def hinge_embedding_loss(
    input, target, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors torch.nn.functional.hinge_embedding_loss (target only selects; it gets no gradient)."""
    reduction = reduction_of(size_average, reduce, reduction)
    check_broadcast(input, target)
    return dispatch(_hinge_embedding, (input, target, float(margin)), (("reduction", reduction),))


def _margin_ranking(x1, x2, t, margin, *, reduction, dtype):
    x1, x2, t = x1.astype(dtype), x2.astype(dtype), t.astype(dtype)
    return reduce_loss(clamp0(-t * (x1 - x2) + margin), reduction)


def margin_ranking_loss(
    input1, input2, target, margin: float = 0, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors torch.nn.functional.margin_ranking_loss."""
    reduction = reduction_of(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    check_broadcast(input1, input2, target)
    static = (("reduction", reduction), ("dtype", float_dtype(input1, input2, target).np))
    return dispatch(_margin_ranking, (input1, input2, target, float(margin)), static)


def _cosine_embedding(x1, x2, t, margin, *, reduction, dtype):
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    d = t.ndim
    prod = jnp.sum(x1 * x2, axis=d)
    m1 = jnp.sum(x1 * x1, axis=d) + 1e-12
    m2 = jnp.sum(x2 * x2, axis=d) + 1e-12
    cos = prod / jnp.sqrt(m1 * m2)
    zero = jnp.zeros((), cos.dtype)
    out = jnp.where(t == 1, 1 - cos, zero) + jnp.where(t == -1, clamp0(cos - margin), zero)
    return reduce_loss(out, reduction)


def cosine_embedding_loss(
    input1, input2, target, margin: float = 0, size_average=None, reduce=None, reduction: str = "mean"
) -> Tensor:
    """Mirrors torch.nn.functional.cosine_embedding_loss (target only selects; it gets no gradient)."""
    reduction = reduction_of(size_average, reduce, reduction)
    if target.dim() not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want, n = (2, "1D") if target.dim() == 1 else (1, "0D")
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(
            f"{n} target tensor expects {want}D input tensors, but found inputs with sizes {list(input1.shape)} "
            f"and {list(input2.shape)}."
        )
    rows = check_broadcast(input1, input2)[:-1]
    check_broadcast(rows, target)
    static = (("reduction", reduction), ("dtype", float_dtype(input1, input2).np))
    return dispatch(_cosine_embedding, (input1, input2, target, float(margin)), static)


def _pnorm(d, p, axis):
    if p == 2:
        return jnp.sqrt(jnp.sum(d * d, axis=axis))
    a = jnp.abs(d)
    if p == 1:
        return jnp.sum(a, axis=axis)
    if p == math.inf:
        return jnp.max(a, axis=axis)
    if p == 0:
        return jnp.sum(a != 0, axis=axis).astype(d.dtype)
    return jnp.sum(a**p, axis=axis) ** (1.0 / p)


def _pairwise(x1, x2, eps, p):
    # torch.pairwise_distance: ||x1 - x2 + eps||_p over the last dim of the broadcast
    d = x1 - x2 + eps
    return _pnorm(d, p, max(x1.ndim, x2.ndim) - 1)


def _triplet(a, pos, neg, margin, eps, *, p, swap, reduction, dtype):
    a, pos, neg = a.astype(dtype), pos.astype(dtype), neg.astype(dtype)
    d_pos = _pairwise(a, pos, eps, p)
    d_neg = _pairwise(a, neg, eps, p)
    if swap:
        d_neg = jnp.minimum(d_neg, _pairwise(pos, neg, eps, p))
    return reduce_loss(clamp0(margin + d_pos - d_neg), reduction)


def _check_triplet_dims(anchor, positive, negative):
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not (a == p == n):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
            f"got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Mirrors torch.nn.functional.triplet_margin_loss."""
    reduction = reduction_of(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    check_broadcast(anchor, positive, negative)
    static = (("p", float(p)), ("swap", bool(swap)), ("reduction", reduction))
    static += (("dtype", float_dtype(anchor, positive, negative).np),)
    return dispatch(_triplet, (anchor, positive, negative, float(margin), float(eps)), static)


def _pairwise_distance(x1, x2, eps, *, p):
    return _pairwise(x1, x2, eps, p)


def _default_distance(x1, x2):
    check_broadcast(x1, x2)
    return dispatch(_pairwise_distance, (x1, x2, 1e-6), (("p", 2.0),), "NormBackward1")


def triplet_margin_with_distance_loss(
    anchor, positive, negative, *, distance_function=None, margin: float = 1.0, swap: bool = False, reduction="mean"
) -> Tensor:
    """Mirrors torch.nn.functional.triplet_margin_with_distance_loss (composed of torchlike ops)."""
    from . import pointwise

    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    dist = distance_function if distance_function is not None else _default_distance
    d_pos, d_neg = dist(anchor, positive), dist(anchor, negative)
    if swap:
        d_neg = pointwise.minimum(d_neg, dist(positive, negative))
    loss = pointwise.clamp_min(margin + d_pos - d_neg, 0)
    return loss.sum() if reduction == "sum" else loss.mean() if reduction == "mean" else loss
