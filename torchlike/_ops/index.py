"""Indexing: ``__getitem__``, ``__setitem__`` and ``index_put``; gather, scatter, index_*, masked_*,
take and nonzero live in ``_gather_scatter`` and are re-exported here.

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

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._gather_scatter import (
    _cap,
    _data_dependent,  # noqa: F401 - other families raise it too
    _lo_hi,
    _mask_array,
    argwhere,
    gather,
    index_add,
    index_copy,
    index_fill,
    index_select,
    masked_scatter,
    masked_select,
    nonzero,
    put,
    scatter,
    scatter_add,
    scatter_reduce,
    take,
    take_along_dim,
)
from ._util import is_number
from ._views import _ALL, _v_index

# ---------------------------------------------------------------- parsing an index


def _oob(index, dim: int, size: int) -> IndexError:
    return IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def _norm_slice(s: slice, n: int):
    """A slice as a canonical, hashable (start, stop, step) of non-negative ints (or _ALL)."""
    if (
        s.step is None
        and type(s.start) is builtins.int
        and type(s.stop) is builtins.int
        and 0 <= s.start <= s.stop <= n
    ):
        return _ALL if s.stop - s.start == n else (s.start, s.stop, 1)
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
    if length <= 1:  # an empty slice keeps its start: torch's storage_offset counts it
        return (start, start + length, 1) if length else (min(start, n), min(start, n), 1)
    return (start, start + (length - 1) * step + 1, step)


def _as_tuple(key) -> tuple:
    """torch's treatSequenceAsTuple: a short list holding tensors, slices, None or ... is a tuple."""
    if type(key) is tuple:
        return key
    if isinstance(key, list) and len(key) < 32:
        for k in key:
            if isinstance(k, (Tensor, list, tuple, slice)) or k is None or k is Ellipsis:
                warnings.warn(
                    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
                    "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
                    "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result",
                    UserWarning,
                    stacklevel=4,
                )
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
    if isinstance(k, str):  # torch tries to make a tensor of it
        raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
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
            n = ndim - consumed if not seen_ellipsis else 0
            seen_ellipsis = True
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
        elif kind == _MASK and k.ndim == 0 and single_mask:
            basic.append(None)  # like torch: unsqueeze, then the mask indexes that size-1 dim
            lazy = (k, out, 1)
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


def _check_bounds(checks) -> None:
    """Eagerly raise torch's IndexError for out-of-range index tensors (unchecked when traced)."""
    checks = [(a, d, n) for a, d, n in checks if not _is_tracer(a) and a.size]
    if not checks:
        return
    for (_, d, n), (lo, hi) in zip(checks, _lo_hi([a for a, _, _ in checks])):
        if n == 0:
            raise IndexError(f"index is out of bounds for dimension with size {n}")
        if lo < -n or hi >= n:
            raise _oob(hi if hi >= n else lo, d, n)


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
        m = m.reshape(y.shape[d : d + k])
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
    last = (key[-1] if key else Ellipsis) if type(key) is tuple else key
    if last is None:
        return "UnsqueezeBackward0"
    if last is Ellipsis:
        return "AliasBackward0"
    return "SliceBackward0" if type(last) is slice else "SelectBackward0"


def _fast_basic(key, shape):
    """The basic key of an index made of ints and slices only (the common case), else None."""
    if type(key) is not tuple:
        key = (key,)
    if len(key) > len(shape):
        return None
    out = []
    for d, k in enumerate(key):
        t = type(k)
        if t is builtins.int:
            n = shape[d]
            if not -n <= k < n:
                raise _oob(k, d, n)
            out.append(k % n)
        elif t is slice:
            out.append(_norm_slice(k, shape[d]))
        else:
            return None
    while out and out[-1] is _ALL:
        out.pop()
    return tuple(out)


def getitem(self, key):
    """Mirrors torch.Tensor.__getitem__."""
    shape = self._value.shape
    basic = _fast_basic(key, shape)
    if basic is not None:
        return self._view(_v_index, (("idx", basic),), _view_name(key))
    basic, arrays, adv, _ = _parse(key, shape)
    if not arrays:
        return self._view(_v_index, (("idx", basic),), _view_name(key))
    static, ints = _with_dynamic_ints(basic)
    return dispatch(
        _index, (self, *ints, *arrays), (("basic", static), ("nint", len(ints)), ("adv", adv)), "IndexBackward0"
    )


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
    if key is False:  # torch: assigns nothing
        return
    self._check_inplace()
    value = _value_operand(self, value)
    shape = self._value.shape
    basic, arrays, adv, lazy = _parse(key, shape, lazy_mask=True)
    static, ints = _with_dynamic_ints(basic)
    if lazy is not None:
        result = _mask_put(self, key, value, basic, lazy, static, ints)
        if result is None:  # the value has one entry per selected element: index with the mask's nonzeros
            return setitem(self, _expand_mask_key(key, _mask_array(lazy[0], _PER_ELEMENT)), value)
    else:
        target = _indexed_shape(shape, basic, arrays, adv)
        if adv:
            _check_put_dtype(self, value)
        vndim = _check_value_shape(value, target, builtins.bool(adv))
        if isinstance(value, Tensor) and value._storage is self._storage:
            _check_overlap(self, value, basic, arrays, adv)
        name = "IndexPutBackward0" if adv else "CopySlices"
        result = dispatch(_put, (self, value, *ints, *arrays), _statics(static, ints, adv, "set", vndim), name)
    self._commit(result)


_PER_ELEMENT = "Assigning a tensor of one value per masked element"


def _mask_put(self, key, value, basic, lazy, static, ints):
    """``x[mask] = v`` as a where (traceable), or None when ``v`` holds one value per masked element."""
    mask, d, k = lazy
    bshape = _basic_shape(self._value.shape, basic)
    rest = bshape[d + k :]
    vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
    if not isinstance(value, Tensor) or value.numel() == 1:  # torch's masked_fill_ path: any dtype
        if isinstance(mask, Tensor) and mask.dtype is D.uint8:
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
    else:
        _check_put_dtype(self, value)
    if len(vshape) > len(rest) and vshape[len(vshape) - len(rest) - 1] != 1:
        return None
    vndim = _check_value_shape(value, (*bshape[:d], 1, *rest), True)
    m = mask._value if isinstance(mask, Tensor) else mask
    return dispatch(_put, (self, value, *ints, m), _statics(static, ints, (d, k), "mask", vndim), "IndexPutBackward0")


def _check_overlap(self, value, basic, arrays, adv) -> None:
    """torch refuses to assign a tensor to memory it partly shares (an exact alias is fine)."""
    if any(_is_tracer(a) for a in arrays):
        return
    dest = self._positions()[_basic_key(basic)]
    if adv:
        key = [slice(None)] * dest.ndim
        for d, a in zip(adv, arrays):
            key[d] = np.asarray(a)
        dest = dest[tuple(key)]
    src = value._positions()
    if np.intersect1d(dest, src).size and not (dest.shape == src.shape and (dest == src).all() and not adv):
        raise RuntimeError(
            "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
            "memory location. Please clone() the tensor before performing the operation."
        )


def _statics(static, ints, adv, mode, vndim) -> tuple:
    return (("basic", static), ("nint", len(ints)), ("adv", adv), ("mode", mode), ("vndim", vndim))


def _expand_mask_key(key, m: np.ndarray) -> tuple:
    """The key with its bool mask replaced by its nonzero index arrays (eager)."""
    out = []
    for k in _as_tuple(key):
        if m.ndim == 0:
            out.append(k)
        elif (isinstance(k, Tensor) and k.dtype in (D.bool, D.uint8)) or (
            isinstance(k, (list, np.ndarray)) and np.asarray(k).dtype == np.bool_
        ):
            out.extend(ix.astype(np.int64) for ix in np.nonzero(m))
        else:
            out.append(k)
    return tuple(out)


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
    return dispatch(
        _put, (input, values, *ints, *arrays), _statics(static, ints, adv, mode, vndim), "IndexPutBackward0"
    )


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
