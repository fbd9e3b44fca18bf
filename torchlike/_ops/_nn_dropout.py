"""The dropout family for nn.functional (mirrors torch.nn.functional.dropout and friends).

Uniform noise is drawn from torchlike's global key (so it traces and a
compiled step draws a new mask every call) and the op's program turns it into
a Bernoulli(1 - p) mask, scaled as torch's ``_dropout_impl`` does. Eval mode, ``p == 0`` and empty inputs return the
input itself, as torch does; ``p == 1`` multiplies by zero.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp

from .. import random as _random
from .._dispatch import dispatch, jitted
from ._util import check_tensor

_ALPHA = 1.7580993408473766  # -SELU's negative saturation value


def _uniform01(key, *, shape, dtype):
    return jax.random.uniform(key, shape, dtype)


def uniform_noise(shape: tuple, dtype) -> jax.Array:
    """Uniform [0, 1) noise from the global key, one shared program per shape (drawing bits is slow to compile,
    so it stays out of the ops' own programs and their VJPs)."""
    dt = jnp.float64 if dtype == jnp.float64 else jnp.float32
    key = _random.default_generator.next_key()
    flat = jitted(_uniform01, (("shape", (math.prod(shape),)), ("dtype", dt)))(key)  # shared by all shapes of a size
    return flat.reshape(shape)


def _dropout(u, x, p, *, alpha):
    keep = (u < 1 - p).astype(x.dtype)  # Bernoulli(1 - p), as torch's noise.bernoulli_(1 - p)
    p = jnp.asarray(p).astype(x.dtype)
    if not alpha:
        return x * (keep / (1 - p))
    a = 1 / jnp.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    b = (keep - 1) * (_ALPHA * a) + _ALPHA * a * p
    return x * (keep * a) + b


def _times_zero(x):
    return x * jnp.zeros((), x.dtype)


def _check_p(p) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply(input, p, training, inplace, *, feature, alpha, name):
    check_tensor(input, name)
    _check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:
        out = dispatch(_times_zero, (input,), (), "MulBackward0")
    else:
        noise = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if feature else tuple(input.shape)
        u = uniform_noise(noise, input.dtype.np)
        out = dispatch(_dropout, (u, input, p), (("alpha", alpha),), "AddBackward0" if alpha else "MulBackward0")
    return input._commit(out) if inplace else out


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors torch.nn.functional.dropout."""
    return _apply(input, p, training, inplace, feature=False, alpha=False, name="dropout")


def alpha_dropout(input, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Mirrors torch.nn.functional.alpha_dropout."""
    return _apply(input, p, training, inplace, feature=False, alpha=True, name="alpha_dropout")


def feature_alpha_dropout(input, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Mirrors torch.nn.functional.feature_alpha_dropout."""
    return _apply(input, p, training, inplace, feature=True, alpha=True, name="feature_alpha_dropout")


def _unbatched(input, p, training, inplace):
    """Channel dropout of an input without batch dim: as torch, through a batch of one."""
    if inplace and (p == 0 or not training or input.numel() == 0):
        return input
    out = _apply(input.unsqueeze(0), p, training, False, feature=True, alpha=False, name="dropout").squeeze(0)
    return input._commit(out) if inplace else out


def dropout1d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors torch.nn.functional.dropout1d (inputs (N, C, L) or (C, L))."""
    check_tensor(input, "dropout1d")
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that dropout1d exists "
            "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
            "optional batch dimension (i.e. 2D or 3D inputs)."
        )
    if input.ndim == 2:
        return _unbatched(input, p, training, inplace)
    return _apply(input, p, training, inplace, feature=True, alpha=False, name="dropout1d")


def dropout2d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors torch.nn.functional.dropout2d (a 3-D input is read as (N, C, L), with torch's warning)."""
    check_tensor(input, "dropout2d")
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _apply(input, p, training, inplace, feature=True, alpha=False, name="dropout2d")


def dropout3d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Mirrors torch.nn.functional.dropout3d (inputs (N, C, D, H, W) or (C, D, H, W))."""
    check_tensor(input, "dropout3d")
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    if input.ndim != 5:
        return _unbatched(input, p, training, inplace)
    return _apply(input, p, training, inplace, feature=True, alpha=False, name="dropout3d")


__all__ = ["alpha_dropout", "dropout", "dropout1d", "dropout2d", "dropout3d", "feature_alpha_dropout"]
