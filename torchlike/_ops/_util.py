"""Helpers shared by the op families: argument checks, dims, ``out=``."""

from __future__ import annotations

import numbers

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _wrap_dim

wrap_dim = _wrap_dim


def is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.number, np.bool_)) and not isinstance(x, Tensor)


def check_tensor(x, fname: str, arg: str = "input") -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{arg}' (position 1) must be Tensor, not {type(x).__name__}")
    return x


def as_tensor(x, dtype: D.dtype | None = None) -> Tensor:
    """A tensor for ``x`` (tensors pass through; numbers and lists become new tensors)."""
    if isinstance(x, Tensor):
        return x
    from .creation import tensor

    return tensor(x, dtype=dtype)


def dims(dim, ndim: int) -> tuple:
    """Normalize ``dim`` (None, int or sequence) into a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    out = tuple(sorted(wrap_dim(int(d), ndim) for d in dim))
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


def to_out(result: Tensor, out: Tensor | None) -> Tensor:
    """Write ``result`` into ``out`` (torch's ``out=``), resizing it if needed."""
    if out is None:
        return result
    from ..autograd import grad_mode

    results = result if isinstance(result, (tuple, list)) else (result,)
    if grad_mode.is_grad_enabled() and any(isinstance(r, Tensor) and r.requires_grad for r in results):
        raise RuntimeError(
            "functions with out=... arguments don't support automatic differentiation, but one of the arguments "
            "requires grad."
        )
    if isinstance(out, (tuple, list)):
        for o, r in zip(out, result):
            to_out(r, o)
        return out
    if out.shape == result.shape and not out._steps:
        out._write(result._value.astype(out.dtype.np))
    else:
        out._storage.set(result._value.astype(out.dtype.np))
        out._steps = ()
    return out


def np_dtype(d: D.dtype | None):
    return None if d is None else d.np


def shape_arg(size) -> tuple:
    """``(2, 3)``, ``((2, 3),)`` or ``(Size,)`` -> ``(2, 3)``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"expected a sequence of integers, but got {type(s).__name__}")
        out.append(int(s))
    return tuple(out)


def inexact(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.inexact)
