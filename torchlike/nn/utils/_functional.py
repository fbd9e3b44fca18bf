"""The math behind weight and spectral norm: norm_except_dim, _weight_norm, normalize, householder_product.

Each is one dispatched jnp function (mirrors torch.norm_except_dim, torch._weight_norm, F.normalize and
torch.linalg.householder_product), so the parametrizations differentiate and trace.
"""

from __future__ import annotations

import jax.numpy as jnp

from ..._dispatch import dispatch
from ..._ops._linalg_util import _HI


def _norm_except(v, *, p, dim):
    if dim == -1:
        return jnp.sum(jnp.abs(v) ** p) ** (1.0 / p)
    axes = tuple(d for d in range(v.ndim) if d != dim)
    return jnp.sum(jnp.abs(v) ** p, axis=axes, keepdims=True) ** (1.0 / p)


def norm_except_dim(v, pow: float = 2, dim: int = 0):
    """Mirrors torch.norm_except_dim: the norm over every dim but ``dim`` (``dim=-1``: over all dims)."""
    return dispatch(_norm_except, (v,), (("p", float(pow)), ("dim", dim)), "NormExceptDimBackward0")


def _weight_norm_op(v, g, *, dim):
    return v * (g / _norm_except(v, p=2.0, dim=dim))


def _weight_norm(v, g, dim: int = 0):
    """Mirrors torch._weight_norm: ``v * g / norm_except_dim(v, 2, dim)``."""
    return dispatch(_weight_norm_op, (v, g), (("dim", dim),), "WeightNormInterfaceBackward0")


def _normalize_op(x, eps, *, dim):
    n = jnp.sqrt(jnp.sum(jnp.abs(x) ** 2, axis=dim, keepdims=True))
    return x / jnp.maximum(n, eps).astype(x.dtype)


def normalize(x, dim: int = 0, eps: float = 1e-12):
    """L2-normalize along ``dim`` (F.normalize with p=2), local so nn.utils does not depend on nn_misc."""
    return dispatch(_normalize_op, (x, eps), (("dim", dim),), "DivBackward0")


def _householder_op(a, tau):
    m, k = a.shape[-2], a.shape[-1]
    q = jnp.broadcast_to(jnp.eye(m, dtype=a.dtype), (*a.shape[:-2], m, m))
    rows = jnp.arange(m)
    for i in range(k):
        v = jnp.where(rows[:, None] > i, a[..., :, i : i + 1], 0).astype(a.dtype)
        v = jnp.where(rows[:, None] == i, jnp.ones_like(v), v)
        t = tau[..., i, None, None]
        q = q - t * jnp.matmul(jnp.matmul(q, v, precision=_HI), jnp.conj(jnp.swapaxes(v, -1, -2)), precision=_HI)
    return q[..., :, :k]


def householder_product(A, tau):
    """Mirrors torch.linalg.householder_product: the first n columns of the product of Householder reflectors."""
    return dispatch(_householder_op, (A, tau), (), "LinalgHouseholderProductBackward0")
