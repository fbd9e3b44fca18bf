"""Gradient clipping (mirrors torch.nn.utils.clip_grad).

The total norm and the clipped gradients come from one jitted function of all
the gradients, and the clip coefficient is ``min(1, max_norm / (norm + 1e-6))``
computed on arrays, so nothing branches on a value: it runs under tracing.
``foreach`` is accepted and ignored.
"""

from __future__ import annotations

import functools
import types
import warnings

import jax.numpy as jnp

from ..._dispatch import dispatch
from ..._ops.creation import tensor as _tensor
from ..._tensor import Tensor, _is_tracer
from ...autograd import grad_mode

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _vector_norm(x, p: float):
    a = jnp.abs(x.ravel())
    if p == float("inf"):
        return jnp.max(a, initial=0).astype(x.dtype)
    if p == float("-inf"):
        return jnp.min(a).astype(x.dtype)
    if p == 0:
        return jnp.sum(a != 0).astype(x.dtype)
    if p == 1:
        return jnp.sum(a)
    if p == 2:
        return jnp.sqrt(jnp.sum(a * a))
    return jnp.sum(a**p) ** (1.0 / p)


def _total_norm(*gs, p):
    norms = [_vector_norm(g, p) for g in gs]
    dtype = jnp.result_type(*norms)
    return _vector_norm(jnp.stack([n.astype(dtype) for n in norms]), p)


def _scaled(total, max_norm, *gs):
    coef = jnp.minimum(max_norm / (total + 1e-6), 1.0)
    return tuple((g * coef).astype(g.dtype) for g in gs)


def _as_list(tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _check_finite(total: Tensor, p: float) -> None:
    if _is_tracer(total._value):
        return  # a traced norm has no value to test; torch raises here only eagerly
    if not bool(jnp.isfinite(total._value)):
        raise RuntimeError(
            f"The total norm of order {p} for gradients from `parameters` is non-finite, so it cannot be clipped. "
            "To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )


def get_total_norm(tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Mirrors torch.nn.utils.get_total_norm: the norm of the norms of ``tensors``."""
    tensors = _as_list(tensors)
    p = float(norm_type)
    if not tensors:
        return _tensor(0.0)
    with grad_mode.no_grad():
        total = dispatch(_total_norm, tuple(tensors), (("p", p),))
    if error_if_nonfinite:
        _check_finite(total, p)
    return total


def clip_grads_with_norm_(parameters, max_norm: float, total_norm: Tensor, foreach=None) -> None:
    """Mirrors torch.nn.utils.clip_grads_with_norm_: scale grads by min(1, max_norm / (total_norm + 1e-6))."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    with grad_mode.no_grad():
        new = dispatch(_scaled, (total_norm, float(max_norm), *grads))
        for g, n in zip(grads, new if isinstance(new, tuple) else (new,)):
            g._commit(n)


def clip_grad_norm_(
    parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach=None
) -> Tensor:
    """Mirrors torch.nn.utils.clip_grad_norm_: clips in place, returns the total norm (a tensor)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


@functools.wraps(clip_grad_norm_)
def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None) -> Tensor:
    """Deprecated alias of clip_grad_norm_ (mirrors torch.nn.utils.clip_grad_norm)."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def _clamp_all(v, *gs):
    return tuple(jnp.clip(g, -v, v).astype(g.dtype) for g in gs)


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Mirrors torch.nn.utils.clip_grad_value_: clamp every grad to [-clip_value, clip_value] in place."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    with grad_mode.no_grad():
        new = dispatch(_clamp_all, (float(clip_value), *grads))
        for g, n in zip(grads, new if isinstance(new, tuple) else (new,)):
            g._commit(n)
