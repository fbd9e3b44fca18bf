"""Index ops along dims: gather, scatter (add, reduce), index_select / add / copy / fill, take,
take_along_dim, put, and the data-dependent ones (masked_select, masked_scatter, nonzero, argwhere),
which work eagerly and raise under tracing. Re-exported by ``index``."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch, not_differentiable
from .._tensor import Tensor, _is_tracer
from ..autograd.grad_mode import no_grad
from ._util import to_out, wrap_dim

# ---------------------------------------------------------------- shared with index


def _data_dependent(what: str):
    raise RuntimeError(
        f"{what} has a data-dependent output shape, which cannot be traced (inside torchlike.compile or "
        "torchlike.func). Use torch.where with a mask instead, or run this part eagerly."
    )


def _mask_array(m, what: str) -> np.ndarray:
    if isinstance(m, Tensor):
        if _is_tracer(m._value):
            _data_dependent(what)
        return np.asarray(m._value).astype(np.bool_)
    return m


@jax.jit
def _minmax(*arrays):
    return [jnp.stack([jnp.min(a, initial=0), jnp.max(a, initial=0)]) for a in arrays]


def _lo_hi(arrays) -> list:
    """(min, max) of each concrete index array, in one device round trip."""
    # small indices: one host copy and numpy's min/max cost less than a device program and its round trip
    arrays = [np.asarray(a) if not isinstance(a, np.ndarray) and a.size <= 4096 else a for a in arrays]
    out = [(a.min(), a.max()) if isinstance(a, np.ndarray) else None for a in arrays]
    dev = [a for a in arrays if not isinstance(a, np.ndarray)]
    if dev:
        with jax.ensure_compile_time_eval():
            it = iter(jax.device_get(_minmax(*dev)))
        out = [o if o is not None else tuple(next(it)) for o in out]
    return [(builtins.int(lo), builtins.int(hi)) for lo, hi in out]


_cap = D.scalar_type_name


# ---------------------------------------------------------------- gather / scatter


def _grid(index, dim):
    """Index arrays addressing ``index``'s own positions, with ``index`` itself along ``dim``."""
    grids = list(jnp.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def _gather(x, index, *, dim):
    if x.ndim == 0:
        return x.reshape(1)[index.reshape(-1)].reshape(index.shape)
    return x[_grid(index, dim)]


def _check_gather(name, input, dim, index, src=None):
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if index.ndim != input.ndim and not (index.ndim <= 1 and input.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    if (
        src is not None
        and isinstance(src, Tensor)
        and src.ndim != index.ndim
        and not (src.ndim <= 1 and index.ndim <= 1)
    ):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for d in range(index.ndim if input.ndim else 0):
        if d == dim:
            continue
        if index.shape[d] > input.shape[d] or (isinstance(src, Tensor) and src.ndim and index.shape[d] > src.shape[d]):
            if src is None:
                raise RuntimeError(
                    f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger than "
                    f"self {list(input.shape)} apart from dimension {dim}"
                )
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart from "
                f"dimension {dim} and to be no larger size than src {list(src.shape)}"
            )
    if isinstance(src, Tensor) and src.ndim and index.ndim and index.shape[dim] > src.shape[dim]:
        raise RuntimeError(
            f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart from "
            f"dimension {dim} and to be no larger size than src {list(src.shape)}"
        )
    n = input.shape[dim] if input.ndim else 1
    bad = _range_check(index, n, False)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {n}")


def gather(input, dim: int, index, *, sparse_grad: builtins.bool = False, out=None) -> Tensor:
    """Mirrors torch.gather."""
    d = wrap_dim(dim, input.ndim)
    _check_gather("gather", input, d, index)
    return to_out(dispatch(_gather, (input, index), (("dim", d),), "GatherBackward0"), out)


def _scatter(x, index, src, *, dim, reduce):
    if x.ndim == 0:  # a 0-d self: index and src address its single element
        out = _scatter(
            x.reshape(1), index.reshape(-1), jnp.reshape(src, (-1,)) if jnp.ndim(src) else src, dim=0, reduce=reduce
        )
        return out.reshape(())
    index = index.reshape(index.shape + (1,) * (x.ndim - index.ndim))
    g = _grid(index, dim)
    if jnp.ndim(src) == 0:
        src = jnp.broadcast_to(jnp.asarray(src).astype(x.dtype), index.shape)
    else:
        src = src.reshape(src.shape + (1,) * (index.ndim - src.ndim))
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
    return at.min(src)


def _check_src_dtype(name: str, input: Tensor, src) -> None:
    if isinstance(src, Tensor) and src.dtype != input.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")


def scatter(input, dim: int, index, src=None, *, value=None, reduce: str | None = None) -> Tensor:
    """Mirrors torch.scatter (``src`` a tensor, or ``value`` a scalar; reduce 'add' or 'multiply')."""
    d = wrap_dim(dim, input.ndim)
    if src is None:
        src = value
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    _check_src_dtype("scatter", input, src)
    _check_gather("scatter", input, d, index, src if isinstance(src, Tensor) else None)
    static = (("dim", d), ("reduce", reduce))
    if reduce is not None:  # torch has no derivative for scatter with reduce
        with no_grad():
            out = dispatch(_scatter, (input, index, src), static)
        return not_differentiable(out, (input, src), "scatter")
    name = "ScatterBackward0" if isinstance(src, Tensor) else "ScatterBackward1"
    return dispatch(_scatter, (input, index, src), static, name)


def scatter_add(input, dim: int, index, src) -> Tensor:
    """Mirrors torch.scatter_add."""
    d = wrap_dim(dim, input.ndim)
    _check_src_dtype("scatter_add", input, src)
    _check_gather("scatter_add", input, d, index, src)
    return dispatch(_scatter, (input, index, src), (("dim", d), ("reduce", "add")), "ScatterAddBackward0")


def _scatter_reduce(x, index, src, *, dim, reduce, include_self):
    if x.ndim == 0:
        out = _scatter_reduce(
            x.reshape(1), index.reshape(-1), src.reshape(-1), dim=0, reduce=reduce, include_self=include_self
        )
        return out.reshape(())
    g = _grid(index, dim)
    src = src[tuple(slice(0, n) for n in index.shape)].astype(x.dtype)
    if reduce == "mean":
        base = x if include_self else x.at[g].set(0)
        total = base.at[g].add(src)
        count = jnp.zeros(x.shape, x.dtype).at[g].add(1) + (1 if include_self else 0)
        count = jnp.where(count == 0, 1, count)
        if jnp.issubdtype(x.dtype, jnp.inexact):
            return total / count
        return jnp.floor_divide(total, count)
    if reduce in ("amax", "amin"):
        return _scatter_extreme(x, g, src, reduce == "amax", include_self)
    if not include_self:
        x = x.at[g].set(jnp.asarray(0 if reduce == "sum" else 1).astype(x.dtype))
    if reduce == "prod":
        return _scatter_prod(x, src, *g)
    return x.at[g].add(src)


def _scatter_extreme(x, g, src, is_max: builtins.bool, include_self: builtins.bool):
    """scatter amax / amin; the gradient is split evenly among the elements equal to the result (torch's rule)."""
    inexact = jnp.issubdtype(x.dtype, jnp.inexact)
    if inexact:
        lo = -jnp.inf if is_max else jnp.inf
    elif x.dtype == jnp.bool_:
        lo = not is_max
    else:
        lo = jnp.iinfo(x.dtype).min if is_max else jnp.iinfo(x.dtype).max
    base = x if include_self else x.at[g].set(jnp.asarray(lo).astype(x.dtype))
    at = jax.lax.stop_gradient(base).at[g]
    res = at.max(jax.lax.stop_gradient(src)) if is_max else at.min(jax.lax.stop_gradient(src))
    if not inexact:
        return res
    touched = jnp.zeros(x.shape, jnp.bool_).at[g].set(True)
    hit_self = jnp.where(touched, x == res, True) if include_self else ~touched
    hit_src = src == res[g]
    count = hit_self.astype(x.dtype).at[g].add(hit_src.astype(x.dtype))
    total = jnp.where(hit_self, x, 0).at[g].add(jnp.where(hit_src, src, 0))
    return total / count


@jax.custom_vjp
def _scatter_prod(base, src, *g):
    return base.at[g].multiply(src)


def _scatter_prod_fwd(base, src, *g):
    return base.at[g].multiply(src), (base, src, g)


def _scatter_prod_bwd(saved, ct):
    # torch's rule: each factor's gradient is the product of the others, computed without dividing by zero
    base, src, g = saved
    out = base.at[g].multiply(src)
    safe_base = jnp.where(base == 0, 1, base)
    d_base = ct * safe_base.at[g].multiply(src) / safe_base
    zero = src == 0
    n_zero = jnp.zeros(base.shape, jnp.int32).at[g].add(zero.astype(jnp.int32))[g]
    single = zero & (n_zero == 1)
    others = base.at[g].multiply(jnp.where(single, 1, src))
    d_src = jnp.where(single, (ct * others)[g], (ct * out)[g] / jnp.where(zero, 1, src))
    return (d_base, d_src, *[np.zeros(jnp.shape(a), jax.dtypes.float0) for a in g])


_scatter_prod.defvjp(_scatter_prod_fwd, _scatter_prod_bwd)


def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: builtins.bool = True) -> Tensor:
    """Mirrors torch.scatter_reduce ('sum', 'prod', 'mean', 'amax', 'amin')."""
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d = wrap_dim(dim, input.ndim)
    _check_src_dtype("scatter_reduce", input, src)
    _check_gather("scatter_reduce", input, d, index, src)
    static = (("dim", d), ("reduce", reduce), ("include_self", builtins.bool(include_self)))
    return dispatch(_scatter_reduce, (input, index, src), static, "ScatterReduceBackward0")


# ---------------------------------------------------------------- index_* along one dim


def _take_axis(x, index, *, dim):
    if x.ndim == 0:
        return x.reshape(1)[index]
    return jnp.take(x, index, axis=dim)


def _check_index_arg(name: str, index, allow_float_msg: str | None = None) -> None:
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: {_cap(index.dtype)}")
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")


def _range_check(index: Tensor, n: int, negative_ok: builtins.bool):
    """The first out-of-range index value found, or None (eager only)."""
    a = index._value
    if _is_tracer(a) or not a.size:
        return None
    ((lo, hi),) = _lo_hi([a])
    if hi >= n or lo < (-n if negative_ok else 0):
        return hi if hi >= n else lo
    return None


def index_select(input, dim: int, index, *, out=None) -> Tensor:
    """Mirrors torch.index_select."""
    _check_index_arg("index_select", index)
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0 and index.numel() != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)")
    n = input.shape[d] if input.ndim else 1
    if _range_check(index, n, False) is not None:
        raise IndexError("index out of range in self")
    idx = index.reshape(-1) if index.ndim == 0 else index
    result = dispatch(_take_axis, (input, idx), (("dim", d),), "IndexSelectBackward0")
    if input.ndim == 0:
        result = result.reshape(())
    return to_out(result, out)


def _index_update(x, index, src, alpha, *, dim, mode):
    if x.ndim == 0:
        out = _index_update(
            x.reshape(1), index.reshape(-1), jnp.reshape(src, (-1,)) if mode != "fill" else src, alpha, dim=0, mode=mode
        )
        return out.reshape(())
    k = (slice(None),) * dim + (index.reshape(-1),)
    if mode == "add":
        return x.at[k].add(jnp.asarray(src).astype(x.dtype) * jnp.asarray(alpha).astype(x.dtype))
    if mode == "fill":
        return x.at[k].set(jnp.asarray(src).astype(x.dtype))
    return x.at[k].set(jnp.asarray(src).astype(x.dtype))


def _check_source(name: str, input, dim: int, index, source) -> None:
    if source.dtype != input.dtype:
        if name == "index_add_":
            raise RuntimeError(
                f"index_add_(): self ({_cap(input.dtype)}) and source ({_cap(source.dtype)}) must have the same scalar type"
            )
        raise RuntimeError(
            f"index_copy_(): self and source expected to have the same dtype, but got (self) {_cap(input.dtype)} "
            f"and (source) {_cap(source.dtype)}"
        )
    k = source.shape[dim] if source.ndim else 1
    if k != index.numel():
        raise RuntimeError(
            f"{name}(): Number of indices ({index.numel()}) should be equal to source.size(dim): ({k}), for dim: {dim}"
        )
    if source.ndim != input.ndim and not (source.ndim <= 1 and input.ndim <= 1):
        raise IndexError(f"{name}(): When source and destination are not scalars, their dimensionality must match.")
    for d in range(input.ndim):
        if d != dim and source.shape[d] != input.shape[d]:
            raise RuntimeError(f"{name}(): source and self must have the same shape apart from dim {dim}")


def index_add(input, dim: int, index, source, *, alpha=1) -> Tensor:
    """Mirrors torch.index_add."""
    _check_index_arg("index_add_", index)
    d = wrap_dim(dim, input.ndim)
    _check_source("index_add_", input, d, index, source)
    n = input.shape[d] if input.ndim else 1
    bad = _range_check(index, n, False)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    return dispatch(_index_update, (input, index, source, alpha), (("dim", d), ("mode", "add")), "IndexAddBackward0")


def index_copy(input, dim: int, index, source) -> Tensor:
    """Mirrors torch.index_copy."""
    _check_index_arg("index_copy_", index)
    d = wrap_dim(dim, input.ndim)
    _check_source("index_copy_", input, d, index, source)
    n = input.shape[d] if input.ndim else 1
    bad = _range_check(index, n, False)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {d} with size {n}")
    return dispatch(_index_update, (input, index, source, 1), (("dim", d), ("mode", "copy")), "IndexCopyBackward0")


def index_fill(input, dim: int, index, value) -> Tensor:
    """Mirrors torch.index_fill (``value`` a number or a 0-d tensor; negative indices wrap)."""
    _check_index_arg("index_fill_", index)
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
        )
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    bad = _range_check(index, n, True)
    if bad is not None:
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    name = "IndexFillBackward1" if isinstance(value, Tensor) else "IndexFillBackward0"
    return dispatch(_index_update, (input, index, value, 1), (("dim", d), ("mode", "fill")), name)


# ---------------------------------------------------------------- data-dependent shapes


def masked_select(input, mask, *, out=None) -> Tensor:
    """Mirrors torch.masked_select (eager only: the output size depends on the mask)."""
    if mask.dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _broadcast(input, mask)
    m = np.broadcast_to(_mask_array(mask, "masked_select"), shape)
    idx = np.flatnonzero(m)
    flat = input.expand(*shape).reshape(-1)
    return to_out(dispatch(_take_axis, (flat, idx), (("dim", 0),), "MaskedSelectBackward0"), out)


def _broadcast(a: Tensor, b: Tensor) -> tuple:
    try:
        return tuple(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)))
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: shapes {list(a.shape)} and {list(b.shape)} cannot be broadcast together"
        ) from None


def _masked_scatter(x, idx, source):
    flat = x.ravel().at[idx].set(source.ravel()[: idx.shape[0]].astype(x.dtype))
    return flat.reshape(x.shape)


def masked_scatter(input, mask, source) -> Tensor:
    """Mirrors torch.masked_scatter (eager only: which source elements land depends on the mask)."""
    if mask.dtype is not D.bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {_cap(mask.dtype)}")
    if source.dtype != input.dtype:
        raise RuntimeError(
            f"masked_scatter: expected self and source to have same dtypes but got{_cap(input.dtype)} and "
            f"{_cap(source.dtype)}"
        )
    shape = _broadcast(input, mask)
    m = np.broadcast_to(_mask_array(mask, "masked_scatter"), shape)
    idx = np.flatnonzero(m)
    if idx.size > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    x = input if tuple(input.shape) == shape else input.expand(*shape)
    return dispatch(_masked_scatter, (x, idx, source), (), "MaskedScatterBackward0")


def nonzero(input, *, out=None, as_tuple: builtins.bool = False):
    """Mirrors torch.nonzero (eager only; int64 indices)."""
    a = _concrete_values(input, "nonzero")
    from .creation import tensor

    if a.ndim == 0:
        hit = builtins.bool(a)
        if as_tuple:
            return (tensor(np.zeros(builtins.int(hit), np.int64)),)
        return to_out(tensor(np.zeros((builtins.int(hit), 0), np.int64)), out)
    idx = np.nonzero(a)
    if as_tuple:
        return tuple(tensor(i.astype(np.int64)) for i in idx)
    return to_out(tensor(np.stack(idx, axis=1).astype(np.int64).reshape(-1, a.ndim)), out)


def _concrete_values(input: Tensor, what: str) -> np.ndarray:
    if _is_tracer(input._value):
        _data_dependent(what)
    return np.asarray(input._value)


def argwhere(input) -> Tensor:
    """Mirrors torch.argwhere (eager only)."""
    return nonzero(input)


def _take(x, index):
    return x.ravel()[index]


def take(input, index) -> Tensor:
    """Mirrors torch.take (indices into the flattened input; negative ones wrap)."""
    if index.dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_cap(index.dtype)}")
    n = input.numel()
    bad = _range_check(index, n, True)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return dispatch(_take, (input, index), (), "TakeBackward0")


def _take_along(x, idx, *, dim):
    if dim is None:
        return x.ravel()[idx.ravel()]
    shape = np.broadcast_shapes(
        tuple(1 if i == dim else s for i, s in enumerate(x.shape)),
        tuple(1 if i == dim else s for i, s in enumerate(idx.shape)),
    )
    xs = jnp.broadcast_to(x, tuple(x.shape[i] if i == dim else shape[i] for i in range(x.ndim)))
    ids = jnp.broadcast_to(idx, tuple(idx.shape[i] if i == dim else shape[i] for i in range(idx.ndim)))
    return jnp.take_along_axis(xs, ids, axis=dim)


def take_along_dim(input, indices, dim: int | None = None, *, out=None) -> Tensor:
    """Mirrors torch.take_along_dim."""
    if indices.dtype is not D.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {_cap(indices.dtype)}")
    if dim is None:
        return to_out(dispatch(_take_along, (input, indices), (("dim", None),), "TakeAlongDimBackward0"), out)
    if input.ndim != indices.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
            f"{input.ndim} dimensions for input, and {indices.ndim} dimensions for indices"
        )
    d = wrap_dim(dim, input.ndim)
    return to_out(dispatch(_take_along, (input, indices), (("dim", d),), "TakeAlongDimBackward0"), out)


def _put_flat(x, index, source, *, accumulate):
    flat, idx, src = x.ravel(), index.ravel(), source.ravel().astype(x.dtype)
    flat = flat.at[idx].add(src) if accumulate else flat.at[idx].set(src)
    return flat.reshape(x.shape)


def put(input, index, source, accumulate: builtins.bool = False) -> Tensor:
    """Mirrors torch.put (indices into the flattened input)."""
    if index.dtype is not D.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {_cap(index.dtype)}")
    if source.dtype != input.dtype:
        raise RuntimeError(
            f"put_(): self and source expected to have the same dtype, but got self.dtype = {_cap(input.dtype)} and "
            f"source.dtype = {_cap(source.dtype)}"
        )
    if index.numel() != source.numel():
        raise IndexError(
            f"put_(): Expected source and index to have the same number of elements, but got source.numel() = "
            f"{source.numel()}, index.numel() = {index.numel()}"
        )
    n = input.numel()
    bad = _range_check(index, n, True)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return dispatch(_put_flat, (input, index, source), (("accumulate", builtins.bool(accumulate)),), "PutBackward0")
