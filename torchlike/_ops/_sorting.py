"""Sorting and selection: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, quantile, unique.

Re-exported by ``reduce.py``, the family module. The sort is always stable, so among equal values the lower
index comes first; where torch's CPU kernels order ties otherwise, the op's docstring says so. Ops that
return ``(values, indices)`` gather the values with the indices, so the gradient lands on the selected
element; ``median()`` of all elements splits it evenly among equal elements, as torch does.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .. import return_types
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._reduce_base import _isnan, _kept_shape, _numpy_names, _one_dim, _spread, _squeeze
from ._util import check_tensor, to_out, wrap_dim
from .index import _data_dependent

# ---------------------------------------------------------------- sort, topk, kthvalue


def _argsort(x, *, axis, descending):
    # always stable (torch's unstable CPU sort agrees up to 16 elements); NaN sorts as the largest value
    i = jnp.argsort(jnp.atleast_1d(x), axis=axis, stable=True, descending=descending)
    return i.astype(jnp.int64).reshape(x.shape)


def _sort(x, *, axis, descending):
    i = jnp.atleast_1d(_argsort(x, axis=axis, descending=descending))
    return jnp.take_along_axis(jnp.atleast_1d(x), i, axis).reshape(x.shape), i.reshape(x.shape)


@_numpy_names
def sort(input, dim: int = -1, descending: bool = False, stable: bool = False, *, out=None):
    """Mirrors torch.sort: ``(values, indices)``. Always stable; torch's default unstable CPU sort may
    order equal elements of slices longer than 16 differently."""
    check_tensor(input, "sort")
    static = (("axis", _one_dim(input, dim, "sort")), ("descending", builtins.bool(descending)))
    return return_types.sort(*to_out(dispatch(_sort, (input,), static, "SortBackward0"), out))


@_numpy_names
def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """Mirrors torch.argsort (always stable, as torch.sort here)."""
    check_tensor(input, "argsort")
    static = (("axis", _one_dim(input, dim, "argsort")), ("descending", builtins.bool(descending)))
    return dispatch(_argsort, (input,), static)


def msort(input, *, out=None):
    """Mirrors torch.msort: sorted along dim 0."""
    return to_out(sort(input, 0).values, out)


def _topk(x, *, k, axis, largest):
    x1 = jnp.atleast_1d(x)
    i = lax.slice_in_dim(jnp.atleast_1d(_argsort(x, axis=axis, descending=largest)), 0, k, axis=axis)
    v = jnp.take_along_axis(x1, i, axis)
    return (v.reshape(()), i.reshape(())) if x.ndim == 0 and k == 1 else (v, i)


@_numpy_names
def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *, out=None):  # noqa: A002
    """Mirrors torch.topk. Among equal values the lower index comes first; torch's CPU order at ties is
    its selection algorithm's, and ``sorted=False`` still returns them sorted."""
    check_tensor(input, "topk")
    if input.dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = _one_dim(input, dim, "topk")
    if not 0 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError("selected index k out of range")
    static = (("k", int(k)), ("axis", d), ("largest", builtins.bool(largest)))
    return return_types.topk(*to_out(dispatch(_topk, (input,), static, "TopkBackward0"), out))


def _take_sorted(x, pos, *, axis, keepdims):
    """Values and indices at sorted position(s) ``pos`` (dims kept) along ``axis`` of a stable sort."""
    x1 = jnp.atleast_1d(x)
    i = jnp.take_along_axis(jnp.atleast_1d(_argsort(x, axis=axis, descending=False)), pos, axis)
    return _squeeze(jnp.take_along_axis(x1, i, axis), axis, keepdims), _squeeze(i, axis, keepdims)


def _kthvalue(x, *, k, axis, keepdims):
    pos = jnp.full(_kept_shape(jnp.shape(jnp.atleast_1d(x)), axis), k - 1, jnp.int64)
    return _take_sorted(x, pos, axis=axis, keepdims=keepdims)


@_numpy_names
def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False, *, out=None):
    """Mirrors torch.kthvalue. Among equal values the stable sort's order decides the index; torch's
    CPU quickselect may pick another of the equal elements."""
    check_tensor(input, "kthvalue")
    d = _one_dim(input, dim, "kthvalue", nonempty=True)
    if not 1 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    static = (("k", int(k)), ("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0))
    return return_types.kthvalue(*to_out(dispatch(_kthvalue, (input,), static, "KthvalueBackward0"), out))


# ---------------------------------------------------------------- median, mode, quantile


def _median_pos(x, *, axis, ignore_nan):
    """Torch's median position in the stable sort (dims kept): the lower median, NaN sorting last;
    median takes the first NaN where there is one, nanmedian the median of the rest."""
    n = x.shape[axis]
    nan = _isnan(x)
    if ignore_nan:
        return jnp.maximum(n - jnp.sum(nan, axis, keepdims=True) - 1, 0) // 2
    return jnp.full(_kept_shape(x.shape, axis), (n - 1) // 2, jnp.int64)


def _median_dim(x, *, axis, keepdims, ignore_nan):
    x1 = jnp.atleast_1d(x)
    v, i = _take_sorted(x1, _median_pos(x1, axis=axis, ignore_nan=ignore_nan), axis=axis, keepdims=True)
    if not ignore_nan:  # the first NaN, as torch returns it
        nan = _isnan(x1)
        has = jnp.any(nan, axis, keepdims=True)
        i = jnp.where(has, jnp.argmax(nan, axis, keepdims=True), i)
        v = jnp.take_along_axis(x1, i, axis)
    return _squeeze(v, axis, keepdims), _squeeze(i, axis, keepdims)


def _median_all(x, *, ignore_nan):
    if x.size == 0:
        return jnp.full((), jnp.nan).astype(x.dtype)
    v, _ = _median_dim(x.reshape(-1), axis=0, keepdims=True, ignore_nan=ignore_nan)
    return _spread(x, lax.stop_gradient(v).reshape((1,) * x.ndim)).reshape(())


def _median_op(input, dim, keepdim, out, ignore_nan):
    name = "nanmedian" if ignore_nan else "median"
    check_tensor(input, name)
    if input.dtype is D.bool:
        raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
    if dim is None:
        return to_out(dispatch(_median_all, (input,), (("ignore_nan", ignore_nan),), "MedianBackward0"), out)
    d = _one_dim(input, dim, name, nonempty=True)
    static = (("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0), ("ignore_nan", ignore_nan))
    return getattr(return_types, name)(*to_out(dispatch(_median_dim, (input,), static, "MedianBackward1"), out))


@_numpy_names
def median(input, dim=None, keepdim: bool = False, *, out=None):
    """Mirrors torch.median: the lower median of all elements, or ``(values, indices)`` along ``dim``."""
    return _median_op(input, dim, keepdim, out, ignore_nan=False)


@_numpy_names
def nanmedian(input, dim=None, keepdim: bool = False, *, out=None):
    """Mirrors torch.nanmedian: median ignoring NaN. For an all-NaN slice the index is the first NaN's;
    torch's is unspecified."""
    return _median_op(input, dim, keepdim, out, ignore_nan=True)


def _shifted_ne(s, axis, pad_at_end):
    """``s[i] != s[i+1]`` along ``axis``, padded with True at the start or the end."""
    n = s.shape[axis]
    ne = lax.slice_in_dim(s, 1, n, axis=axis) != lax.slice_in_dim(s, 0, n - 1, axis=axis)
    pad = jnp.ones(_kept_shape(s.shape, axis), bool)
    return jnp.concatenate([ne, pad] if pad_at_end else [pad, ne], axis)


def _mode(x, *, axis, keepdims):
    x1 = jnp.atleast_1d(x)
    order = jnp.atleast_1d(_argsort(x, axis=axis, descending=False))
    s = jnp.take_along_axis(x1, order, axis)
    pos = lax.broadcasted_iota(jnp.int64, s.shape, axis)
    start = lax.cummax(jnp.where(_shifted_ne(s, axis, False), pos, 0), axis=axis)
    end = lax.cummin(jnp.where(_shifted_ne(s, axis, True), pos, s.shape[axis] - 1), axis=axis, reverse=True)
    # the first longest run is the smallest most frequent value; torch returns its last occurrence
    best = jnp.argmax(end - start, axis, keepdims=True)
    i = jnp.take_along_axis(order, jnp.take_along_axis(end, best, axis), axis)
    return _squeeze(jnp.take_along_axis(x1, i, axis), axis, keepdims), _squeeze(i, axis, keepdims)


@_numpy_names
def mode(input, dim: int = -1, keepdim: bool = False, *, out=None):
    """Mirrors torch.mode: the smallest most frequent value and its last index. Torch's CPU index is
    the last one only for slices of up to 16 elements (beyond, its unstable sort decides)."""
    check_tensor(input, "mode")
    d = _one_dim(input, dim, "mode", nonempty=True)
    static = (("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0))
    return return_types.mode(*to_out(dispatch(_mode, (input,), static, "ModeBackward0"), out))


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")
_ROUNDING = {"lower": jnp.floor, "higher": jnp.ceil, "nearest": jnp.round}


def _lerp(a, b, w):
    # torch's two-sided lerp, which quantile uses
    return jnp.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


def _quantile(x, q, *, axis, keepdims, mode, ignore_nan, scalar_q):
    x1 = x.reshape(-1) if axis is None else jnp.atleast_1d(x)
    s = jnp.sort(jnp.moveaxis(x1, 0 if axis is None else axis, -1), axis=-1)[..., None, :]  # NaN last
    q = jnp.asarray(q).astype(x.dtype).reshape(-1, 1)
    nan = jnp.isnan(s)
    if ignore_nan:
        ranks = jnp.maximum(q * (jnp.sum(~nan, -1, keepdims=True) - 1), 0)
    else:
        last = s.shape[-1] - 1
        ranks = jnp.where(jnp.any(nan, -1, keepdims=True), last, q * last)
    if mode in _ROUNDING:
        ranks = _ROUNDING[mode](ranks)
    below = ranks.astype(jnp.int64)
    r = jnp.take_along_axis(s, below, -1)
    if mode in ("linear", "midpoint"):
        w = jnp.full_like(ranks, 0.5) if mode == "midpoint" else ranks - below
        r = _lerp(r, jnp.take_along_axis(s, jnp.ceil(ranks).astype(jnp.int64), -1), w)
    r = jnp.moveaxis(r[..., 0], -1, 0)  # the q dim first
    if keepdims:
        kept = range(1, x.ndim + 1) if axis is None else (axis + 1,) if x.ndim else ()
        r = jnp.expand_dims(r, tuple(kept))
    return r[0] if scalar_q else r


def _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan):
    name = "nanquantile" if ignore_nan else "quantile"
    check_tensor(input, name)
    if input.dtype not in (D.float32, D.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype != input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        concrete = None if _is_tracer(q._value) else np.asarray(q._value)
    else:
        concrete = np.asarray(q)
    if concrete is not None and not ((concrete >= 0) & (concrete <= 1)).all():
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got {interpolation}"
        )
    if isinstance(q, Tensor) and interpolation != "linear":
        q = q.detach()  # only linear interpolation weights depend on q; torch's q gets no gradient otherwise
    axis = None if dim is None else _one_dim(input, dim, name)
    scalar_q = not isinstance(q, Tensor) or q.ndim == 0
    static = (("axis", axis), ("keepdims", builtins.bool(keepdim)), ("mode", interpolation))
    static += (("ignore_nan", ignore_nan), ("scalar_q", scalar_q))
    return to_out(dispatch(_quantile, (input, q), static, "QuantileBackward0"), out)


@_numpy_names
def quantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear", out=None):
    """Mirrors torch.quantile."""
    return _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan=False)


@_numpy_names
def nanquantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear", out=None):
    """Mirrors torch.nanquantile."""
    return _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan=True)


# ---------------------------------------------------------------- unique (eager only)


def _concrete(input: Tensor, what: str) -> np.ndarray:
    if _is_tracer(input._value):
        _data_dependent(what)
    return np.asarray(input._value)


def _unique_result(values, inverse, counts, return_inverse, return_counts):
    out = [Tensor._make(jnp.asarray(values))]
    if return_inverse:
        out.append(Tensor._make(jnp.asarray(inverse, jnp.int64)))
    if return_counts:
        out.append(Tensor._make(jnp.asarray(counts, jnp.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):  # noqa: A002
    """Mirrors torch.unique (always sorted). Eager only: the output size depends on the data. The
    result does not require grad (torch's does, but has no backward)."""
    check_tensor(input, "unique")
    a = _concrete(input, "torch.unique")
    if dim is None:
        v, inv, cnt = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        inv = inv.reshape(a.shape)
    else:
        d = wrap_dim(dim, a.ndim)
        v, inv, cnt = np.unique(a, return_inverse=True, return_counts=True, axis=d)
        inv = inv.reshape(-1)
    return _unique_result(v, inv, cnt, return_inverse, return_counts)


def unique_consecutive(input, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """Mirrors torch.unique_consecutive. Eager only: the output size depends on the data."""
    check_tensor(input, "unique_consecutive")
    a = _concrete(input, "torch.unique_consecutive")
    d = 0 if dim is None else wrap_dim(dim, a.ndim)
    flat = a.reshape(-1) if dim is None else np.moveaxis(a, d, 0)
    n = flat.shape[0]
    ne = flat[1:] != flat[:-1]
    change = np.concatenate([np.ones(builtins.min(n, 1), bool), ne.any(axis=tuple(range(1, ne.ndim)))])
    starts = np.flatnonzero(change)
    inv = np.cumsum(change) - 1
    v = np.take(flat, starts, axis=0)
    v = v if dim is None else np.moveaxis(v, 0, d)
    cnt = np.diff(np.append(starts, n))
    return _unique_result(v, inv.reshape(a.shape) if dim is None else inv, cnt, return_inverse, return_counts)


__all__ = [
    "sort",
    "argsort",
    "msort",
    "topk",
    "kthvalue",
    "median",
    "nanmedian",
    "mode",
    "quantile",
    "nanquantile",
    "unique",
    "unique_consecutive",
]
