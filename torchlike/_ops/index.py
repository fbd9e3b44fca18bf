"""Indexing: ``__getitem__`` / ``__setitem__`` and gather, scatter, index_*, masked_*, take, nonzero.

Basic indexing (ints, slices, None, Ellipsis) returns a view; anything with a
tensor, list or array in it copies, as in torch. torch applies integer indices
as ``select`` before the advanced (tensor) ones, so unlike NumPy an int never
counts as an advanced index when placing the broadcast index dims. Boolean
masks have a data-dependent shape, so reading through one works eagerly and
raises under tracing; writing through one (``x[mask] = v``) is a ``where``
and traces.
"""

from __future__ import annotations

import builtins
import operator
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._util import is_number, to_out, wrap_dim
from .shape import _ALL, _v_index

# ---------------------------------------------------------------- parsing an index


def _data_dependent(what: str):
    raise RuntimeError(
        f"{what} has a data-dependent output shape, which cannot be traced (inside torchlike.compile or "
        "torchlike.func). Use torch.where with a mask instead, or run this part eagerly."
    )


def _oob(index, dim: int, size: int) -> IndexError:
    return IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def _norm_slice(s: slice, n: int):
    """A slice as a canonical, hashable (start, stop, step) of non-negative ints (or _ALL)."""
    step = 1 if s.step is None else operator.index(s.step)
    if step <= 0:
        raise ValueError("step must be greater than zero")
    if s.start is None and s.stop is None and step == 1:
        return _ALL
    start = None if s.start is None else operator.index(s.start)
    stop = None if s.stop is None else operator.index(s.stop)
    start, stop, step = slice(start, stop, step).indices(n)
    length = len(range(start, stop, step))
    if length == n:
        return _ALL
    if length <= 1:
        return (start, start + length, 1) if length else (0, 0, 1)
    return (start, start + (length - 1) * step + 1, step)


def _as_tuple(key) -> tuple:
    """torch's treatSequenceAsTuple: a short list holding tensors, slices, None or ... is a tuple."""
    if type(key) is tuple:
        return key
    if isinstance(key, list) and len(key) < 32:
        for k in key:
            if isinstance(k, (Tensor, list, tuple, slice)) or k is None or k is Ellipsis:
                return tuple(key)
    return (key,)


_NONE, _ELL, _PYBOOL, _INT, _SLICE, _MASK, _ARR = range(7)


def _classify(k):
    """(kind, payload, dims consumed) of one index item."""
    if k is None:
        return _NONE, None, 0
    if k is Ellipsis:
        return _ELL, None, 0
    if isinstance(k, (builtins.bool, np.bool_)):
        return _PYBOOL, builtins.bool(k), 0
    if isinstance(k, (builtins.int, np.integer)):
        return _INT, builtins.int(k), 1
    if isinstance(k, slice):
        return _SLICE, k, 1
    if isinstance(k, Tensor):
        dt = k.dtype
        if dt is D.bool or dt is D.uint8:
            if dt is D.uint8:
                warnings.warn(
                    "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                    UserWarning,
                    stacklevel=4,
                )
            return _MASK, k, k.ndim
        if dt.category != D._CATEGORY_INT:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _ARR, k._value, 1
    if isinstance(k, (list, tuple, np.ndarray)):
        a = np.asarray(k)
        if a.dtype == np.bool_:
            return _MASK, a, a.ndim
        if a.size == 0:
            a = a.astype(np.int64)
        if not np.issubdtype(a.dtype, np.integer):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _ARR, a.astype(np.int64), 1
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
        f"{type(k).__name__})"
    )


def _mask_array(m, what: str) -> np.ndarray:
    if isinstance(m, Tensor):
        if _is_tracer(m._value):
            _data_dependent(what)
        return np.asarray(m._value).astype(np.bool_)
    return m


def _parse(key, shape: tuple, lazy_mask: bool = False):
    """torch's index -> (basic, arrays, adv, lazy).

    ``basic`` is a static key of ints, (start, stop, step), _ALL and None, applied first (a view);
    ``arrays`` are the advanced indices and ``adv`` the dims of the basic result they index. With
    ``lazy_mask``, a key whose only advanced item is one bool mask keeps the mask unexpanded: ``lazy``
    is then (mask, dim, mask.ndim) and ``arrays`` is empty.
    """
    items = [_classify(k) for k in _as_tuple(key)]
    ndim = len(shape)
    consumed = builtins.sum(c for _, _, c in items)
    if consumed > ndim:
        if ndim == 0 and items and items[0][0] == _INT:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                "convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    n_adv = builtins.sum(1 for kind, _, _ in items if kind in (_PYBOOL, _MASK, _ARR))
    single_mask = lazy_mask and n_adv == 1
    basic, arrays, adv, checks, lazy = [], [], [], [], None
    dim = out = 0
    seen_ellipsis = False
    for kind, k, _ in items:
        if kind == _INT:
            n = shape[dim]
            if not -n <= k < n:
                raise _oob(k, dim, n)
            basic.append(k % n)
            dim += 1
        elif kind == _SLICE:
            basic.append(_norm_slice(k, shape[dim]))
            dim += 1
            out += 1
        elif kind == _NONE:
            basic.append(None)
            out += 1
        elif kind == _ELL:
            if seen_ellipsis:
                raise IndexError("an index can only have a single ellipsis ('...')")
            seen_ellipsis = True
            n = ndim - consumed
            basic.extend([_ALL] * n)
            dim += n
            out += n
        elif kind == _ARR:
            basic.append(_ALL)
            arrays.append(k)
            adv.append(out)
            checks.append((k, dim, shape[dim]))
            dim += 1
            out += 1
        elif kind == _PYBOOL or (kind == _MASK and k.ndim == 0):
            # torch: unsqueeze, then index the new dim with arange(1) (True) or an empty index (False)
            if kind == _MASK:
                k = builtins.bool(_mask_array(k, "Indexing with a boolean mask"))
            basic.append(None)
            arrays.append(np.arange(1 if k else 0, dtype=np.int64))
            adv.append(out)
            out += 1
        else:  # an n-d mask
            for j in range(k.ndim):
                if k.shape[j] != shape[dim + j]:
                    raise IndexError(
                        f"The shape of the mask {list(k.shape)} at index {j} does not match the shape of the "
                        f"indexed tensor {list(shape)} at index {dim + j}"
                    )
            basic.extend([_ALL] * k.ndim)
            if single_mask:
                lazy = (k, out, k.ndim)
            else:
                for j, ix in enumerate(np.nonzero(_mask_array(k, "Indexing with a boolean mask"))):
                    arrays.append(ix.astype(np.int64))
                    adv.append(out + j)
            dim += k.ndim
            out += k.ndim
    while basic and basic[-1] is _ALL:
        basic.pop()
    _check_bounds(checks)
    return tuple(basic), arrays, tuple(adv), lazy


@jax.jit
def _minmax(*arrays):
    return [jnp.stack([jnp.min(a, initial=0), jnp.max(a, initial=0)]) for a in arrays]


def _check_bounds(checks) -> None:
    """Eagerly raise torch's IndexError for out-of-range index tensors (unchecked when traced)."""
    checks = [(a, d, n) for a, d, n in checks if not _is_tracer(a) and a.size]
    if not checks:
        return
    for (_, d, n), (lo, hi) in zip(checks, jax.device_get(_minmax(*[a for a, _, _ in checks]))):
        if n == 0:
            raise IndexError(f"index is out of bounds for dimension with size {n}")
        if lo < -n or hi >= n:
            raise _oob(builtins.int(hi if hi >= n else lo), d, n)


def _basic_key(basic) -> tuple:
    return tuple(slice(*k) if type(k) is tuple else k for k in basic)


def _with_dynamic_ints(basic) -> tuple:
    """Replace ints in a basic key by "i" markers: the ints go in as traced operands (one program for all)."""
    static = tuple("i" if type(k) is builtins.int else k for k in basic)
    return static, tuple(k for k in basic if type(k) is builtins.int)


def _rebuild_key(static, ints) -> tuple:
    it = iter(ints)
    return tuple(next(it) if k == "i" else (slice(*k) if type(k) is tuple else k) for k in static)


def _basic_shape(shape: tuple, basic) -> tuple:
    out, dim = [], 0
    for k in basic:
        if k is None:
            out.append(1)
        elif type(k) is builtins.int:
            dim += 1
        else:
            out.append(shape[dim] if k is _ALL else len(range(*k)))
            dim += 1
    return (*out, *shape[dim:])


def _indexed_shape(shape: tuple, basic, arrays, adv) -> tuple:
    """The shape of ``x[key]``: broadcast index dims in place when adjacent, else in front (NumPy's rule)."""
    s = _basic_shape(shape, basic)
    if not adv:
        return s
    b = np.broadcast_shapes(*[np.shape(a) for a in arrays])
    rest = [n for d, n in enumerate(s) if d not in adv]
    if list(adv) == list(range(adv[0], adv[0] + len(adv))):
        return (*s[: adv[0]], *b, *s[adv[-1] + 1 :])
    return (*b, *rest)


# ---------------------------------------------------------------- programs


def _index(x, *args, basic, nint, adv):
    """``x[basic][advanced]``: the copy that a key with tensors in it makes."""
    y = x[_rebuild_key(basic, args[:nint])] if basic else x
    key = [slice(None)] * y.ndim
    for d, a in zip(adv, args[nint:]):
        key[d] = a
    return y[tuple(key)]


def _fit(v, ndim: int):
    """torch strips a value's leading size-1 dims before broadcasting it into the indexed result."""
    while v.ndim > ndim and v.shape[0] == 1:
        v = v.reshape(v.shape[1:])
    return v


def _put(x, v, *args, basic, nint, adv, mode, vndim):
    """``x`` with ``x[key] = v`` (mode 'set'), ``+= v`` ('add') or a mask ``where`` ('mask')."""
    v = _fit(jnp.asarray(v).astype(x.dtype), vndim)
    key = _rebuild_key(basic, args[:nint])
    arrays = args[nint:]
    if not adv and mode != "mask":
        return x.at[key].set(v) if key else jnp.broadcast_to(v, x.shape)
    y = x[key] if key else x
    if mode == "mask":
        (m,), (d, k) = arrays, adv
        rest = y.ndim - d - k
        if v.ndim > rest:  # the value's dim facing the mask's nnz dim is 1: give it the mask's k dims
            v = v.reshape(v.shape[: v.ndim - rest - 1] + (1,) * k + v.shape[v.ndim - rest :])
        y = jnp.where(m.reshape(m.shape + (1,) * rest), v, y)
    else:
        akey = [slice(None)] * y.ndim
        for d, a in zip(adv, arrays):
            akey[d] = a
        at = y.at[tuple(akey)]
        y = at.add(v) if mode == "add" else at.set(v)
    if not key:
        return y
    return x.at[key].set(y)


# ---------------------------------------------------------------- __getitem__ / __setitem__


def _view_name(key) -> str:
    last = key[-1] if type(key) is tuple and key else key
    if isinstance(last, (builtins.int, np.integer)):
        return "SelectBackward0"
    if last is None:
        return "UnsqueezeBackward0"
    if last is Ellipsis or last == ():
        return "AliasBackward0"
    return "SliceBackward0"


def getitem(self, key):
    """Mirrors torch.Tensor.__getitem__."""
    shape = self._value.shape
    if type(key) is builtins.int and shape:  # the common case, kept short
        n = shape[0]
        if not -n <= key < n:
            raise _oob(key, 0, n)
        return self._view(_v_index, (("idx", (key % n,)),), "SelectBackward0")
    basic, arrays, adv, _ = _parse(key, shape)
    if not arrays:
        return self._view(_v_index, (("idx", basic),), _view_name(key))
    static, ints = _with_dynamic_ints(basic)
    return dispatch(_index, (self, *ints, *arrays), (("basic", static), ("nint", len(ints)), ("adv", adv)), "IndexBackward0")


def _value_operand(self, value):
    if isinstance(value, Tensor) or is_number(value):
        return value
    raise TypeError(f"can't assign a {_qualname(value)} to a {self.type()}")


def _qualname(obj) -> str:
    t = type(obj)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def _check_value_shape(value, target: tuple, advanced: builtins.bool) -> int:
    """torch's checks for assigning ``value`` into a result of shape ``target``; returns the ndim to fit to."""
    vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
    fitted = list(vshape)
    while len(fitted) > len(target) and fitted[0] == 1:
        fitted.pop(0)
    ok = len(fitted) <= len(target) and all(a in (1, b) for a, b in zip(reversed(fitted), reversed(target)))
    if not ok:
        if advanced:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to indexing result of "
                f"shape {list(target)}"
            )
        if len(fitted) > len(target):
            raise RuntimeError(
                f"expand({value.type()}{{{list(vshape)}}}, size={list(target)}): the number of sizes provided "
                f"({len(target)}) must be greater or equal to the number of dimensions in the tensor ({len(vshape)})"
            )
        bad = next(i for i, (a, b) in enumerate(zip(reversed(fitted), reversed(target))) if a not in (1, b))
        d = len(target) - 1 - bad
        raise RuntimeError(
            f"The expanded size of the tensor ({target[d]}) must match the existing size "
            f"({fitted[len(fitted) - 1 - bad]}) at non-singleton dimension {d}.  Target sizes: {list(target)}.  "
            f"Tensor sizes: {list(fitted)}"
        )
    return len(target)


def _check_put_dtype(self, value) -> None:
    if isinstance(value, Tensor) and value.dtype != self.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_cap(self.dtype)} for the destination and {_cap(value.dtype)} for the source."
        )


def setitem(self, key, value) -> None:
    """Mirrors torch.Tensor.__setitem__ (in place; writes through views; records autograd)."""
    self._check_inplace()
    value = _value_operand(self, value)
    shape = self._value.shape
    basic, arrays, adv, lazy = _parse(key, shape, lazy_mask=True)
    static, ints = _with_dynamic_ints(basic)
    if lazy is not None:
        mask, d, k = lazy
        bshape = _basic_shape(shape, basic)
        target = (*bshape[:d], -1, *bshape[d + k :])
        numel1 = not isinstance(value, Tensor) or value.numel() == 1
        vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
        faces_nnz = len(vshape) - len(bshape[d + k :]) > 0 and vshape[len(vshape) - len(bshape[d + k :]) - 1] != 1
        if not numel1:
            _check_put_dtype(self, value)
        if faces_nnz:  # the value has one entry per selected element: needs the mask's count
            m = _mask_array(mask, "Assigning a tensor of one value per masked element")
            return setitem(self, _expand_mask_key(key, m), value)
        vndim = _check_value_shape(value, tuple(1 if s == -1 else s for s in target), True)
        args = (self, value, *ints, mask._value if isinstance(mask, Tensor) else mask)
        result = dispatch(_put, args, _statics(static, ints, (d, k), "mask", vndim), "IndexPutBackward0")
    else:
        target = _indexed_shape(shape, basic, arrays, adv)
        if adv:
            _check_put_dtype(self, value)
        vndim = _check_value_shape(value, target, builtins.bool(adv))
        args = (self, value, *ints, *arrays)
        result = dispatch(_put, args, _statics(static, ints, adv, "set", vndim), "IndexPutBackward0" if adv else "CopySlices")
    self._commit(result)


def _statics(static, ints, adv, mode, vndim) -> tuple:
    return (("basic", static), ("nint", len(ints)), ("adv", adv), ("mode", mode), ("vndim", vndim))


def _expand_mask_key(key, m: np.ndarray) -> tuple:
    """The key with its bool mask replaced by its nonzero index arrays (eager)."""
    out = []
    for k in _as_tuple(key):
        if (isinstance(k, Tensor) and k.dtype in (D.bool, D.uint8)) or (
            isinstance(k, (list, np.ndarray)) and np.asarray(k).dtype == np.bool_
        ):
            out.extend(ix.astype(np.int64) for ix in np.nonzero(m))
        else:
            out.append(k)
    return tuple(out)


def _cap(d: D.dtype) -> str:
    return {
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
        "bfloat16": "BFloat16",
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
        "complex64": "ComplexFloat",
        "complex128": "ComplexDouble",
    }[d.name]


def index_put(input, indices, values, accumulate: builtins.bool = False) -> Tensor:
    """Mirrors torch.index_put (``indices`` a tuple of index tensors)."""
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    for i, ix in enumerate(indices):
        if not isinstance(ix, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(ix).__name__}")
    shape = tuple(input.shape)
    basic, arrays, adv, _ = _parse(tuple(indices), shape)
    if len(indices) > len(shape) and not arrays:
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (got {len(indices)})")
    _check_put_dtype(input, values)
    target = _indexed_shape(shape, basic, arrays, adv)
    vndim = _check_value_shape(values, target, True)
    static, ints = _with_dynamic_ints(basic)
    mode = "add" if accumulate else "set"
    return dispatch(_put, (input, values, *ints, *arrays), _statics(static, ints, adv, mode, vndim), "IndexPutBackward0")


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


def _index_dtype_check(name: str, index: Tensor, allowed=(D.int64,)) -> None:
    if index.dtype not in allowed:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")


def _check_gather(name, input, dim, index, src=None):
    _index_dtype_check(name, index)
    if index.ndim != input.ndim and not (index.ndim <= 1 and input.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    if src is not None and isinstance(src, Tensor) and src.ndim != index.ndim and not (src.ndim <= 1 and index.ndim <= 1):
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
    a = index._value
    n = input.shape[dim] if input.ndim else 1
    if not _is_tracer(a) and a.size:
        lo, hi = jax.device_get(_minmax(a))[0]
        if lo < 0 or hi >= n:
            raise RuntimeError(f"index {builtins.int(hi if hi >= n else lo)} is out of bounds for dimension {dim} with size {n}")


def gather(input, dim: int, index, *, sparse_grad: builtins.bool = False, out=None) -> Tensor:
    """Mirrors torch.gather."""
    d = wrap_dim(dim, input.ndim)
    _check_gather("gather", input, d, index)
    return to_out(dispatch(_gather, (input, index), (("dim", d),), "GatherBackward0"), out)


def _scatter(x, index, src, *, dim, reduce):
    if x.ndim == 0:  # a 0-d self: index and src address its single element
        out = _scatter(x.reshape(1), index.reshape(-1), jnp.reshape(src, (-1,)) if jnp.ndim(src) else src, dim=0, reduce=reduce)
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
    name = "ScatterBackward0" if isinstance(src, Tensor) else "ScatterBackward1"
    return dispatch(_scatter, (input, index, src), (("dim", d), ("reduce", reduce)), name)


def scatter_add(input, dim: int, index, src) -> Tensor:
    """Mirrors torch.scatter_add."""
    d = wrap_dim(dim, input.ndim)
    _check_src_dtype("scatter_add", input, src)
    _check_gather("scatter_add", input, d, index, src)
    return dispatch(_scatter, (input, index, src), (("dim", d), ("reduce", "add")), "ScatterAddBackward0")


def _scatter_reduce(x, index, src, *, dim, reduce, include_self):
    if x.ndim == 0:
        out = _scatter_reduce(x.reshape(1), index.reshape(-1), src.reshape(-1), dim=0, reduce=reduce, include_self=include_self)
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
    return _scatter(x, index, src, dim=dim, reduce=reduce)


def _scatter_extreme(x, g, src, is_max: builtins.bool, include_self: builtins.bool):
    """scatter amax/amin with torch's gradient: split evenly among the elements equal to the result."""
    inexact = jnp.issubdtype(x.dtype, jnp.inexact)
    if inexact:
        lo = -jnp.inf if is_max else jnp.inf
    else:
        info = jnp.iinfo(x.dtype) if x.dtype != jnp.bool_ else None
        lo = (info.min if is_max else info.max) if info is not None else (not is_max)
    base = x if include_self else x.at[g].set(jnp.asarray(lo).astype(x.dtype))
    at = jax.lax.stop_gradient(base).at[g]
    res = at.max(jax.lax.stop_gradient(src)) if is_max else at.min(jax.lax.stop_gradient(src))
    if not inexact:
        return res
    # differentiable: res = sum of the tied values / their count, which has the same value
    hit_src = (src == res[g]).astype(x.dtype)
    hit_self = (base == res).astype(x.dtype) if include_self else jnp.zeros_like(x)
    touched = jnp.zeros(x.shape, jnp.bool_).at[g].set(True)
    hit_self = jnp.where(touched, hit_self, 1)
    count = hit_self.at[g].add(hit_src)
    total = (base * hit_self).at[g].add(src * hit_src)
    return total / count


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
    """(lo, hi) out of range, or None; eager only."""
    a = index._value
    if _is_tracer(a) or not a.size:
        return None
    lo, hi = (builtins.int(v) for v in jax.device_get(_minmax(a))[0])
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
        out = _index_update(x.reshape(1), index.reshape(-1), jnp.reshape(src, (-1,)) if mode != "fill" else src, alpha, dim=0, mode=mode)
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
    shape = tuple(np.broadcast_shapes(tuple(input.shape), tuple(mask.shape)))
    m = np.broadcast_to(_mask_array(mask, "masked_select"), shape)
    idx = np.flatnonzero(m)
    flat = input.expand(*shape).reshape(-1)
    return to_out(dispatch(_take_axis, (flat, idx), (("dim", 0),), "MaskedSelectBackward0"), out)


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
    shape = tuple(np.broadcast_shapes(tuple(input.shape), tuple(mask.shape)))
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
        raise RuntimeError(
            f"put_(): Expected source and index to have the same number of elements, but got source.numel() = "
            f"{source.numel()}, index.numel() = {index.numel()}"
        )
    n = input.numel()
    bad = _range_check(index, n, True)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return dispatch(_put_flat, (input, index, source), (("accumulate", builtins.bool(accumulate)),), "PutBackward0")


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
INPLACE = [
    "index_put",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "index_add",
    "index_copy",
    "index_fill",
    "masked_scatter",
    "put",
]
