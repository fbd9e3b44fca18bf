"""Reductions: sum, mean, prod, max/min, std/var, norm, logsumexp, cumulative ops, sort, topk, unique."""

from __future__ import annotations

import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from ._util import check_tensor, dims, to_out


def _sum(x, *, axis, keepdims, dtype):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)


def _acc_dtype(input, dtype):
    """torch sums integers and bools in int64 unless a dtype is given."""
    if dtype is not None:
        return dtype
    return D.int64 if input.dtype.category <= D._CATEGORY_INT else input.dtype


def sum(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):  # noqa: A001
    """Mirrors torch.sum."""
    check_tensor(input, "sum")
    axis = dims(dim, input.ndim)
    dt = _acc_dtype(input, dtype)
    return to_out(dispatch(_sum, (input,), (("axis", axis), ("keepdims", keepdim), ("dtype", dt.np)), "SumBackward1" if dim is not None else "SumBackward0"), out)


def _mean(x, *, axis, keepdims, dtype):
    return jnp.mean(x.astype(dtype), axis=axis, keepdims=keepdims)


def mean(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.mean (floating inputs only, or an explicit dtype)."""
    check_tensor(input, "mean")
    dt = dtype or input.dtype
    if dt.category < D._CATEGORY_FLOAT:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            f"Got: {_cap(input.dtype)}"
        )
    axis = dims(dim, input.ndim)
    return to_out(dispatch(_mean, (input,), (("axis", axis), ("keepdims", keepdim), ("dtype", dt.np)), "MeanBackward1" if dim is not None else "MeanBackward0"), out)


def _cap(d):
    return {"int64": "Long", "int32": "Int", "bool": "Bool", "int16": "Short", "int8": "Char", "uint8": "Byte"}.get(d.name, d.name)


__all__ = ["sum", "mean"]
METHODS = list(__all__)
INPLACE = []
