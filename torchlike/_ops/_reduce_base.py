"""What the reduction families share: dim and dtype helpers, NumPy argument names, torch's even split of
the gradient among equal extremes."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ._util import dims, wrap_dim

_cap = D.scalar_type_name


def _is_float(d: D.dtype) -> bool:
    return d.category >= D._CATEGORY_FLOAT


def _axes(dim, ndim: int, empty_is_all: bool = True) -> tuple:
    """``dim`` (None, int or sequence) as sorted axes; torch reads an empty sequence as all dims for most
    reductions. A 0-d tensor accepts dim 0 and -1 but has no axis to reduce."""
    if empty_is_all and dim is not None and not isinstance(dim, (int, np.integer)) and len(dim) == 0:
        dim = None
    axes = dims(dim, ndim)
    return axes if ndim else ()


def _one_dim(input: Tensor, dim, fname: str, nonempty: bool = False) -> int:
    """A single wrapped dim (0 for a 0-d tensor, seen as shape (1,) by the programs)."""
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{fname}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = wrap_dim(int(dim), input.ndim)
    if nonempty and input.ndim and input.shape[d] == 0:
        raise IndexError(f"{fname}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _check_nonempty(input: Tensor, axes: tuple, fname: str, dim_given: bool = True) -> None:
    if input.numel() == 0 and not dim_given:
        raise RuntimeError(
            f"{fname}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
            "with the 'dim' argument."
        )
    for a in axes:
        if input.shape[a] == 0:
            raise IndexError(f"{fname}(): Expected reduction dim {a} to have non-zero size.")


def _isnan(x):
    return jnp.isnan(x) if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.zeros(x.shape, bool)


def _kept_shape(shape, axis) -> tuple:
    return tuple(1 if d == axis else n for d, n in enumerate(shape))


def _squeeze(x, axis, keepdims):
    return x if keepdims else jnp.squeeze(x, axis)


def _acc_dtype(input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch sums and multiplies integers and bools in int64 unless a dtype is given."""
    if dtype is not None:
        return dtype
    return D.int64 if input.dtype.category <= D._CATEGORY_INT else input.dtype


def _upcast(d):
    """The dtype to accumulate in: float32 for half types, as torch does."""
    return jnp.promote_types(d, jnp.float32) if jnp.issubdtype(d, jnp.floating) else d


def _numpy_names(fn):
    """torch's argument parser also takes NumPy's ``axis`` and ``keepdims`` for ``dim`` and ``keepdim``."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)

    return op


@jax.custom_jvp
def _spread(x, v):
    """``v`` (a max, min or median of ``x``, dims kept): torch splits its gradient evenly among the
    elements equal to it, NaN counting as equal to NaN (evenly_distribute_backward)."""
    return v


@_spread.defjvp
def _spread_jvp(primals, tangents):
    x, v = primals
    tx, _ = tangents
    mask = (x == v) | (_isnan(x) & _isnan(v))
    axes = tuple(d for d in range(x.ndim) if v.shape[d] == 1)
    count = jnp.sum(mask, axes, keepdims=True).astype(tx.dtype)
    return v, jnp.sum(jnp.where(mask, tx, 0), axes, keepdims=True) / count
