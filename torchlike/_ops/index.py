"""Indexing: ``__getitem__`` / ``__setitem__`` and gather, scatter, index_*, masked_*, take, nonzero.

Basic indexing (ints, slices, None, Ellipsis) returns a view; anything with a
tensor, list or array in it copies, as in torch. Boolean masks have a
data-dependent shape, so they work eagerly and raise under tracing.
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._util import check_tensor, to_out, wrap_dim
from .shape import _v_index

_FULL = ("s", None, None, None)


def _data_dependent(what: str):
    raise RuntimeError(
        f"{what} has a data-dependent output shape, which cannot be traced (inside torchlike.compile or "
        "torchlike.func). Use torch.where with a mask instead, or run this part eagerly."
    )


def _int(x) -> int:
    return builtins.int(x.item() if isinstance(x, Tensor) else x)


def _parse(key, shape):
    """Split an index into a static key (with ('a', k) placeholders) and the index arrays.

    Returns (static_key, arrays, advanced).
    """
    if not isinstance(key, tuple):
        key = (key,)
    consumed = sum(
        (k.ndim if isinstance(k, Tensor) and k.dtype is D.bool else 1)
        for k in key
        if k is not None and k is not Ellipsis and not isinstance(k, builtins.bool)
    )
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    out, arrays, dim, advanced = [], [], 0, False
    for k in key:
        if k is None:
            out.append(None)
        elif k is Ellipsis:
            out.append(Ellipsis)
            dim += len(shape) - consumed
        elif isinstance(k, builtins.bool):
            raise IndexError("indexing with a Python bool is not supported; use a bool tensor")
        elif isinstance(k, (builtins.int, np.integer)):
            n = shape[dim]
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {n}")
            out.append(builtins.int(k) % n)
            dim += 1
        elif isinstance(k, slice):
            step = 1 if k.step is None else _int(k.step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            start = None if k.start is None else _int(k.start)
            stop = None if k.stop is None else _int(k.stop)
            out.append(("s", start, stop, step))
            dim += 1
        else:
            t = k if isinstance(k, Tensor) else _to_index_tensor(k)
            advanced = True
            if t.dtype is D.bool:
                if _is_tracer(t._value):
                    _data_dependent("Indexing with a boolean mask")
                m = np.asarray(t._value)
                for j in range(m.ndim):
                    if m.shape[j] != shape[dim + j]:
                        raise IndexError(
                            f"The shape of the mask {list(m.shape)} at index {j} does not match the shape of the "
                            f"indexed tensor {list(shape)} at index {dim + j}"
                        )
                if m.ndim == 0:
                    out.append(None)
                    arrays.append(jnp.asarray(np.nonzero(np.atleast_1d(m))[0]))
                    out.append(("a", len(arrays) - 1))
                    continue
                for ix in np.nonzero(m):
                    arrays.append(jnp.asarray(ix))
                    out.append(("a", len(arrays) - 1))
                dim += m.ndim
            else:
                if t.dtype.category != D._CATEGORY_INT:
                    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
                a = t._value
                _check_bounds(a, shape[dim], dim)
                arrays.append(a)
                out.append(("a", len(arrays) - 1))
                dim += 1
    return tuple(out), arrays, advanced


def _to_index_tensor(k) -> Tensor:
    from .creation import tensor

    if isinstance(k, (list, tuple, np.ndarray)):
        return tensor(k)
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
        f"{type(k).__name__})"
    )


def _check_bounds(a, n: int, dim: int) -> None:
    if _is_tracer(a) or a.size == 0:
        return
    lo, hi = builtins.int(a.min()), builtins.int(a.max())
    if lo < -n or hi >= n:
        bad = hi if hi >= n else lo
        raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {n}")


def _key(static, arrays):
    return tuple(
        arrays[k[1]] if isinstance(k, tuple) and k[0] == "a" else (slice(*k[1:]) if isinstance(k, tuple) else k)
        for k in static
    )


def _adv_get(x, *arrays, key):
    return x[_key(key, arrays)]


def _adv_put(x, v, *arrays, key, accumulate):
    k = _key(key, arrays)
    v = jnp.asarray(v).astype(x.dtype)
    return x.at[k].add(v) if accumulate else x.at[k].set(v)


def getitem(self, key):
    """Mirrors torch.Tensor.__getitem__."""
    static, arrays, advanced = _parse(key, tuple(self.shape))
    if not advanced:
        return self._view(_v_index, (("idx", static),), _index_grad_name(static))
    return dispatch(_adv_get, (self, *arrays), (("key", static),), "IndexBackward0")


def _index_grad_name(static) -> str:
    if any(isinstance(k, builtins.int) for k in static):
        return "SelectBackward0"
    if any(k is None for k in static):
        return "UnsqueezeBackward0"
    return "SliceBackward0"


def setitem(self, key, value) -> None:
    """Mirrors torch.Tensor.__setitem__ (in place; works on views and with autograd)."""
    static, arrays, _ = _parse(key, tuple(self.shape))
    if isinstance(value, (list, tuple, np.ndarray)):
        from .creation import tensor

        value = tensor(value, dtype=self.dtype)
    result = dispatch(_adv_put, (self, value, *arrays), (("key", static), ("accumulate", False)), "IndexPutBackward0")
    self._commit(result)


def index_put(input, indices, values, accumulate: bool = False) -> Tensor:
    """Mirrors torch.index_put."""
    static, arrays, _ = _parse(tuple(indices), tuple(input.shape))
    return dispatch(_adv_put, (input, values, *arrays), (("key", static), ("accumulate", accumulate)), "IndexPutBackward0")


# ---------------------------------------------------------------- gather / scatter


def _grid(index, dim):
    """Index arrays addressing ``index``'s own positions, with ``index`` itself along ``dim``."""
    grids = list(jnp.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def _gather(x, index, *, dim):
    return x[_grid(index, dim)]


def _check_gather(name, input, dim, index, src=None):
    if index.dtype is not D.int64:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    if index.ndim != input.ndim and not (index.ndim <= 1 and input.ndim <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as input tensor")
    for d in range(index.ndim):
        if d != dim and index.shape[d] > input.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be smaller than self "
                f"{list(input.shape)} apart from dimension {dim}"
            )
    _check_bounds(index._value, input.shape[dim] if input.ndim else 1, dim)


def gather(input, dim: int, index, *, sparse_grad: bool = False, out=None) -> Tensor:
    """Mirrors torch.gather."""
    d = wrap_dim(dim, input.ndim)
    _check_gather("gather", input, d, index)
    return to_out(dispatch(_gather, (input, index), (("dim", d),), "GatherBackward0"), out)


def _scatter(x, index, src, *, dim, reduce):
    g = _grid(index, dim)
    if jnp.ndim(src) == 0:
        src = jnp.broadcast_to(jnp.asarray(src).astype(x.dtype), index.shape)
    else:
        src = src[tuple(slice(0, n) for n in index.shape)].astype(x.dtype)
    at = x.at[g]
    if reduce is None:
        return at.set(src)
    if reduce in ("add", "sum"):
        return at.add(src)
    if reduce in ("multiply", "prod"):
        return at.multiply(src)
    if reduce == "amax":
        return at.max(src)
    if reduce == "amin":
        return at.min(src)
    raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")


def scatter(input, dim: int, index, src=None, *, value=None, reduce: str | None = None) -> Tensor:
    """Mirrors torch.scatter (``src`` tensor or ``value`` scalar; reduce 'add' / 'multiply')."""
    d = wrap_dim(dim, input.ndim)
    if src is None:
        src = value
    _check_gather("scatter", input, d, index)
    return dispatch(_scatter, (input, index, src), (("dim", d), ("reduce", reduce)), "ScatterBackward0")


def scatter_add(input, dim: int, index, src) -> Tensor:
    """Mirrors torch.scatter_add."""
    d = wrap_dim(dim, input.ndim)
    _check_gather("scatter_add", input, d, index)
    return dispatch(_scatter, (input, index, src), (("dim", d), ("reduce", "add")), "ScatterAddBackward0")


def _scatter_reduce(x, index, src, *, dim, reduce, include_self):
    g = _grid(index, dim)
    src = src[tuple(slice(0, n) for n in index.shape)].astype(x.dtype)
    if reduce == "mean":
        base = x if include_self else x.at[g].set(0)
        total = base.at[g].add(src)
        count = jnp.ones_like(x).at[g].add(1) if include_self else jnp.zeros_like(x).at[g].add(1)
        count = jnp.where(count == 0, 1, count)
        out = total / count if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.floor_divide(total, count)
        return out.astype(x.dtype)
    ident = {"sum": 0, "prod": 1, "amax": -jnp.inf, "amin": jnp.inf}[reduce]
    if not include_self:
        if not jnp.issubdtype(x.dtype, jnp.inexact) and reduce in ("amax", "amin"):
            info = jnp.iinfo(x.dtype)
            ident = info.min if reduce == "amax" else info.max
        x = x.at[g].set(jnp.asarray(ident).astype(x.dtype))
    return _scatter(x, index, src, dim=dim, reduce=reduce)


def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: bool = True) -> Tensor:
    """Mirrors torch.scatter_reduce ('sum', 'prod', 'mean', 'amax', 'amin')."""
    d = wrap_dim(dim, input.ndim)
    _check_gather("scatter_reduce", input, d, index)
    return dispatch(_scatter_reduce, (input, index, src), (("dim", d), ("reduce", reduce), ("include_self", include_self)), "ScatterReduceBackward0")


def _take_axis(x, index, *, dim):
    return jnp.take(x, index, axis=dim)


def index_select(input, dim: int, index, *, out=None) -> Tensor:
    """Mirrors torch.index_select."""
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = wrap_dim(dim, input.ndim)
    _check_bounds(index._value, input.shape[d] if input.ndim else 1, d)
    return to_out(dispatch(_take_axis, (input, index.reshape(-1)), (("dim", d),), "IndexSelectBackward0"), out)


def _index_update(x, index, src, alpha, *, dim, mode):
    k = (slice(None),) * dim + (index,)
    if mode == "add":
        return x.at[k].add(jnp.asarray(src).astype(x.dtype) * jnp.asarray(alpha).astype(x.dtype))
    return x.at[k].set(jnp.asarray(src).astype(x.dtype))


def index_add(input, dim: int, index, source, *, alpha=1) -> Tensor:
    """Mirrors torch.index_add."""
    d = wrap_dim(dim, input.ndim)
    return dispatch(_index_update, (input, index, source, alpha), (("dim", d), ("mode", "add")), "IndexAddBackward0")


def index_copy(input, dim: int, index, source) -> Tensor:
    """Mirrors torch.index_copy."""
    d = wrap_dim(dim, input.ndim)
    return dispatch(_index_update, (input, index, source, 1), (("dim", d), ("mode", "copy")), "IndexCopyBackward0")


def index_fill(input, dim: int, index, value) -> Tensor:
    """Mirrors torch.index_fill."""
    d = wrap_dim(dim, input.ndim)
    return dispatch(_index_update, (input, index, value, 1), (("dim", d), ("mode", "copy")), "IndexFillBackward0")


# ---------------------------------------------------------------- data-dependent shapes


def _concrete_mask(mask: Tensor, what: str) -> np.ndarray:
    if _is_tracer(mask._value):
        _data_dependent(what)
    return np.asarray(mask._value)


def masked_select(input, mask, *, out=None) -> Tensor:
    """Mirrors torch.masked_select (eager only: the output size depends on the mask)."""
    if mask.dtype is not D.bool:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    shape = jnp.broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    m = np.broadcast_to(_concrete_mask(mask, "masked_select"), shape)
    idx = jnp.asarray(np.flatnonzero(m))
    flat = input.expand(*shape).reshape(-1)
    return to_out(dispatch(_take_axis, (flat, idx), (("dim", 0),), "MaskedSelectBackward0"), out)


def _masked_scatter(x, idx, source):
    flat = x.ravel().at[idx].set(source.ravel()[: idx.shape[0]].astype(x.dtype))
    return flat.reshape(x.shape)


def masked_scatter(input, mask, source) -> Tensor:
    """Mirrors torch.masked_scatter (eager only)."""
    m = np.broadcast_to(_concrete_mask(mask, "masked_scatter"), tuple(input.shape))
    idx = jnp.asarray(np.flatnonzero(m))
    return dispatch(_masked_scatter, (input, idx, source), (), "MaskedScatterBackward0")


def nonzero(input, *, out=None, as_tuple: bool = False):
    """Mirrors torch.nonzero (eager only; int64 indices)."""
    a = _concrete_mask(input, "nonzero")
    idx = np.nonzero(a) if a.ndim else np.nonzero(np.atleast_1d(a))
    from .creation import tensor

    if as_tuple:
        return tuple(tensor(i.astype(np.int64)) for i in idx)
    res = np.stack(idx, axis=1).astype(np.int64) if a.ndim else np.zeros((len(idx[0]), 0), np.int64)
    return to_out(tensor(res), out)


def argwhere(input) -> Tensor:
    return nonzero(input)


def _take(x, index):
    return x.ravel()[index]


def take(input, index) -> Tensor:
    """Mirrors torch.take (indices into the flattened input)."""
    _check_bounds(index._value, input.numel(), 0)
    return dispatch(_take, (input, index), (), "TakeBackward0")


def _take_along(x, idx, *, dim):
    if dim is None:
        return jnp.take_along_axis(x.ravel(), idx.ravel(), axis=0)
    shape = jnp.broadcast_shapes(
        tuple(1 if i == dim else s for i, s in enumerate(x.shape)), tuple(1 if i == dim else s for i, s in enumerate(idx.shape))
    )
    xs = jnp.broadcast_to(x, tuple(x.shape[i] if i == dim else shape[i] for i in range(x.ndim)))
    ids = jnp.broadcast_to(idx, tuple(idx.shape[i] if i == dim else shape[i] for i in range(idx.ndim)))
    return jnp.take_along_axis(xs, ids, axis=dim)


def take_along_dim(input, indices, dim: int | None = None, *, out=None) -> Tensor:
    """Mirrors torch.take_along_dim."""
    d = None if dim is None else wrap_dim(dim, input.ndim)
    return to_out(dispatch(_take_along, (input, indices), (("dim", d),), "TakeAlongDimBackward0"), out)


def put(input, index, source, accumulate: bool = False) -> Tensor:
    """Mirrors torch.put."""
    flat = input.reshape(-1)
    return index_put(flat, (index.reshape(-1),), source.reshape(-1), accumulate).view(*input.shape)


__all__ = [
    "index_put",
    "gather",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "index_select",
    "index_add",
    "index_copy",
    "index_fill",
    "masked_select",
    "masked_scatter",
    "nonzero",
    "argwhere",
    "take",
    "take_along_dim",
    "put",
]
METHODS = list(__all__)
INPLACE = ["index_put", "scatter", "scatter_add", "scatter_reduce", "index_add", "index_copy", "index_fill", "masked_scatter", "put"]
del jax
