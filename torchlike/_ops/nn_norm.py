"""Normalization for nn.functional: batch, instance, layer, group, RMS and local response norm.

Each norm is one dispatched program (one jitted call eagerly). Batch and
instance norm in training return the new running statistics from the same
program and write them into the buffers' storages, as torch updates them in
place: no Python branch on data, and ``momentum`` may be a tensor (the
modules pass ``1 / num_batches_tracked`` for a cumulative average), so the
update traces. Half inputs compute in float32, outputs keep the input dtype.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from ._pointwise_base import _cap
from ._util import check_tensor


def _upcast(dt):
    return jnp.promote_types(dt, jnp.float32)


def _val(t):
    """A buffer's array (running statistics take no gradient), or None."""
    return None if t is None else t._value


def _affine(y, w, b, shape):
    if w is not None:
        y = y * w.astype(y.dtype).reshape(shape)
    if b is not None:
        y = y + b.astype(y.dtype).reshape(shape)
    return y


def _check_float(input, kernel: str) -> None:
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_cap(input.dtype)}'")


def _verify_batch_size(shape) -> None:
    if math.prod(shape[2:]) * shape[0] == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {shape}")


# ---------------------------------------------------------------- batch norm


def _batch_norm(x, rm, rv, w, b, momentum, eps, *, training, axes):
    shape = [1] * x.ndim
    shape[1] = x.shape[1]
    xf = x.astype(_upcast(x.dtype))
    if training:
        mean, var = jnp.mean(xf, axes), jnp.var(xf, axes)
    else:
        mean, var = rm.astype(xf.dtype), rv.astype(xf.dtype)
    y = (xf - mean.reshape(shape)) * lax.rsqrt(var.reshape(shape) + jnp.asarray(eps).astype(xf.dtype))
    y = _affine(y, w, b, shape).astype(x.dtype)
    if not training or rm is None:
        return y
    n = math.prod(x.shape[a] for a in axes)
    return (y, *_update(rm, rv, lax.stop_gradient(mean), lax.stop_gradient(var) * (n / max(n - 1, 1)), momentum))


def _update(rm, rv, mean, var, momentum):
    m = jnp.asarray(momentum).astype(rm.dtype)
    return (1 - m) * rm + m * mean.astype(rm.dtype), (1 - m) * rv + m * var.astype(rv.dtype)


def _check_channels(input, tensors) -> None:
    c = input.shape[1] if input.ndim > 1 else 0
    for t, what in tensors:
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{what} should contain {c} elements not {t.numel()}")


def _write_stats(out, running_mean, running_var):
    """Write the program's new running statistics into the buffers (torch updates them in place)."""
    y, rm, rv = out
    running_mean._write(rm._value)
    running_var._write(rv._value)
    return y


def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training: bool = False,
    momentum=0.1,
    eps: float = 1e-5,
):
    """Mirrors torch.nn.functional.batch_norm (``momentum`` may also be a 0-d tensor)."""
    check_tensor(input, "batch_norm")
    if training:
        _verify_batch_size(input.shape)
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    _check_float(input, "batch_norm")
    _check_channels(input, ((running_mean, "running_mean"), (running_var, "running_var")))
    _check_channels(input, ((weight, "weight"), (bias, "bias")))
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode")
    update = training and running_mean is not None and running_var is not None
    axes = (0, *range(2, input.ndim))
    args = (input, _val(running_mean), _val(running_var), weight, bias, momentum if update else 0.0, eps)
    out = dispatch(_batch_norm, args, (("training", bool(training)), ("axes", axes)), "NativeBatchNormBackward0")
    return _write_stats(out, running_mean, running_var) if update else out


# ---------------------------------------------------------------- instance norm


def _instance_norm(x, rm, rv, w, b, momentum, eps, *, use_input_stats):
    axes = tuple(range(2, x.ndim))
    cshape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    xf = x.astype(_upcast(x.dtype))
    if use_input_stats:
        mean, var = jnp.mean(xf, axes, keepdims=True), jnp.var(xf, axes, keepdims=True)
    else:
        mean, var = rm.astype(xf.dtype).reshape(cshape), rv.astype(xf.dtype).reshape(cshape)
    y = (xf - mean) * lax.rsqrt(var + jnp.asarray(eps).astype(xf.dtype))
    y = _affine(y, w, b, cshape).astype(x.dtype)
    if not use_input_stats or rm is None:
        return y
    n = math.prod(x.shape[2:])
    mean, var = lax.stop_gradient(mean), lax.stop_gradient(var) * (n / max(n - 1, 1))
    # torch updates one running copy per sample, then averages the copies over the batch
    return (y, *_update(rm, rv, jnp.mean(mean, (0, *axes)), jnp.mean(var, (0, *axes)), momentum))


def instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats: bool = True,
    momentum=0.1,
    eps: float = 1e-5,
):
    """Mirrors torch.nn.functional.instance_norm."""
    check_tensor(input, "instance_norm")
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    _check_float(input, "batch_norm")
    _check_channels(input, ((weight, "weight"), (bias, "bias")))
    _check_channels(input, ((running_mean, "running_mean"), (running_var, "running_var")))
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    update = use_input_stats and running_mean is not None and running_var is not None
    args = (input, _val(running_mean), _val(running_var), weight, bias, momentum if update else 0.0, eps)
    out = dispatch(_instance_norm, args, (("use_input_stats", bool(use_input_stats)),), "NativeBatchNormBackward0")
    return _write_stats(out, running_mean, running_var) if update else out


# ---------------------------------------------------------------- layer, group, RMS norm


def _norm_axes(input, normalized_shape, fname: str, star: str = "*, ") -> tuple:
    if isinstance(normalized_shape, int):
        raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    shape = tuple(int(s) for s in normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k :]) != shape or k > input.ndim:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [{star}{', '.join(map(str, shape))}], "
            f"but got input of size{list(input.shape)}"
        )
    return shape


def _check_param(t, shape, what: str) -> None:
    if t is not None and tuple(t.shape) != shape:
        raise RuntimeError(
            f"Expected {what} to be of same shape as normalized_shape, but got {what} of shape {list(t.shape)} "
            f"and normalized_shape = {list(shape)}"
        )


def _layer_norm(x, w, b, eps, *, k):
    axes = tuple(range(x.ndim - k, x.ndim))
    xf = x.astype(_upcast(x.dtype))
    mean, var = jnp.mean(xf, axes, keepdims=True), jnp.var(xf, axes, keepdims=True)
    y = (xf - mean) * lax.rsqrt(var + jnp.asarray(eps).astype(xf.dtype))
    return _affine(y, w, b, x.shape[x.ndim - k :]).astype(x.dtype)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Mirrors torch.nn.functional.layer_norm."""
    check_tensor(input, "layer_norm")
    shape = _norm_axes(input, normalized_shape, "layer_norm")
    _check_param(weight, shape, "weight")
    _check_param(bias, shape, "bias")
    _check_float(input, "LayerNormKernelImpl")
    return dispatch(_layer_norm, (input, weight, bias, eps), (("k", len(shape)),), "NativeLayerNormBackward0")


def _rms_norm(x, w, eps, *, k):
    axes = tuple(range(x.ndim - k, x.ndim))
    xf = x.astype(_upcast(x.dtype))
    y = xf * lax.rsqrt(jnp.mean(xf * xf, axes, keepdims=True) + jnp.asarray(eps).astype(xf.dtype))
    return _affine(y, w, None, x.shape[x.ndim - k :]).astype(x.dtype)


def rms_norm(input, normalized_shape, weight=None, eps: float | None = None):
    """Mirrors torch.nn.functional.rms_norm (eps None: the machine epsilon of the computing dtype)."""
    check_tensor(input, "rms_norm")
    shape = _norm_axes(input, normalized_shape, "rms_norm", "*")
    _check_param(weight, shape, "weight")
    _check_float(input, "rms_norm")
    if eps is None:
        eps = float(jnp.finfo(_upcast(input.dtype.np)).eps)
    return dispatch(_rms_norm, (input, weight, eps), (("k", len(shape)),), "RmsNormBackward0")


def _group_norm(x, w, b, eps, *, groups):
    n, c = x.shape[:2]
    xf = x.astype(_upcast(x.dtype)).reshape(n, groups, -1)
    mean, var = jnp.mean(xf, -1, keepdims=True), jnp.var(xf, -1, keepdims=True)
    y = ((xf - mean) * lax.rsqrt(var + jnp.asarray(eps).astype(xf.dtype))).reshape(x.shape)
    return _affine(y, w, b, (1, c) + (1,) * (x.ndim - 2)).astype(x.dtype)


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5):
    """Mirrors torch.nn.functional.group_norm."""
    check_tensor(input, "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[:2]
    if c % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{list(input.shape)} and num_groups={num_groups}"
        )
    _verify_batch_size([n * c // num_groups, num_groups, *input.shape[2:]])
    for t, what in ((weight, "weight"), (bias, "bias")):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {what} to be a vector of size equal to the number of channels in input, but got "
                f"{what} of shape {list(t.shape)} and input of shape {list(input.shape)}"
            )
    _check_float(input, "GroupNormKernelImpl")
    return dispatch(_group_norm, (input, weight, bias, eps), (("groups", int(num_groups)),), "NativeGroupNormBackward0")


# ---------------------------------------------------------------- local response norm


def _local_response_norm(x, alpha, beta, k, *, size):
    c = x.shape[1]
    sq = x * x
    pad = [(0, 0)] * x.ndim
    pad[1] = (size // 2, (size - 1) // 2)
    sq = jnp.pad(sq, pad)
    window = sum(lax.slice_in_dim(sq, i, i + c, axis=1) for i in range(size)) / size  # avg_pool, padding counted
    return x / (window * jnp.asarray(alpha).astype(x.dtype) + jnp.asarray(k).astype(x.dtype)) ** jnp.asarray(
        beta
    ).astype(x.dtype)


def local_response_norm(input, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """Mirrors torch.nn.functional.local_response_norm (across channels, dim 1)."""
    check_tensor(input, "local_response_norm")
    if input.ndim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality                          input (got {input.ndim} dimensions)"
        )
    if input.numel() == 0:
        return input
    return dispatch(_local_response_norm, (input, alpha, beta, k), (("size", int(size)),), "DivBackward0")


__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm", "local_response_norm", "rms_norm"]
