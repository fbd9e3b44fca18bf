"""View steps: the array function of each view kind, and torch's layout (sizes, strides, storage
offset) for it.

A view is one step ``(fn, static)`` appended to its input's chain (``Tensor._view``): ``fn`` below
derives the view's array from its input's, so reads and write-backs come from the same code, and
``view_meta`` folds the matching layout rules along the chain.
"""

from __future__ import annotations

import builtins
import math

import jax.numpy as jnp
import numpy as np

from .._tensor import Tensor

_ALL = (None, None, None)  # a full slice in a static index key

# ---------------------------------------------------------------- steps (array -> array)


def _v_index(a, *, idx):
    """Basic indexing with a static key of ints, (start, stop, step) tuples and None."""
    return a[tuple(slice(*k) if type(k) is tuple else k for k in idx)]


def _v_index_ints(a, *ints, idx):
    """``_v_index`` with its int entries ("i" in ``idx``) passed as traced operands."""
    it = iter(ints)
    return a[tuple(next(it) if k == "i" else (slice(*k) if type(k) is tuple else k) for k in idx)]


def _index_dynamic(static):
    ((_, idx),) = static
    ints = tuple(k for k in idx if type(k) is builtins.int)
    if not ints:
        return None
    return _v_index_ints, (("idx", tuple("i" if type(k) is builtins.int else k for k in idx)),), ints


_v_index.dynamic = _index_dynamic


def _v_reshape(a, *, shape):
    return a.reshape(shape)


def _v_permute(a, *, dims):
    return jnp.transpose(a, dims)


def _v_expand(a, *, shape):
    return jnp.broadcast_to(a, shape)


def _v_diagonal(a, *, offset, dim1, dim2):
    return jnp.diagonal(a, offset, dim1, dim2)


def _v_unfold(a, *, dimension, size, step):
    if a.ndim == 0:
        return a.reshape((1,) * size)
    n = (a.shape[dimension] - size) // step + 1
    idx = np.arange(n)[:, None] * step + np.arange(size)[None, :]
    out = jnp.take(a, idx, axis=dimension)  # (..., n, size, ...)
    return jnp.moveaxis(out, dimension + 1, -1)


def _strided_index(size, stride, offset) -> np.ndarray:
    idx = np.full(size, offset, dtype=np.int64)
    for d, (n, st) in enumerate(zip(size, stride)):
        idx += (np.arange(n, dtype=np.int64) * st).reshape((n,) + (1,) * (len(size) - d - 1))
    return idx


def _v_as_strided(a, *, size, stride, offset):
    """torch's as_strided over the flat storage (``a`` is a storage's whole, contiguous array)."""
    return a.reshape(-1)[_strided_index(size, stride, offset)]


# ---------------------------------------------------------------- layouts (sizes, strides, offset)


def _view_strides(old_shape, old_strides, new_shape):
    """torch's computeStride: strides for viewing a strided tensor as new_shape, or None."""
    if math.prod(old_shape) == 0 or not old_shape or not new_shape:
        return _contiguous(new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = old_strides[-1]
    tensor_numel, view_numel = 1, 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and old_strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = old_strides[d - 1]
                tensor_numel, view_numel = 1, 1
    return () if view_d != -1 else tuple(new_strides)


def _contiguous(shape) -> tuple:
    st, acc = [], 1
    for n in reversed(shape):
        st.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(st))


# Each rule maps a layout (sizes, strides, storage offset) through one step, as torch's view op does.


def _m_index(layout, *, idx):
    sizes, strides, offset = layout
    out_sizes, out_strides, d = [], [], 0
    for k in idx:
        if k is None:  # torch's unsqueeze stride
            out_sizes.append(1)
            out_strides.append(sizes[d] * strides[d] if d < len(sizes) else 1)
        elif type(k) is builtins.int:
            offset += k * strides[d]
            d += 1
        else:
            start, stop, step = (0, sizes[d], 1) if k == _ALL else k
            out_sizes.append(len(range(start, stop, step)))
            out_strides.append(strides[d] * step)
            offset += start * strides[d]
            d += 1
    return (*out_sizes, *sizes[d:]), (*out_strides, *strides[d:]), offset


def _m_reshape(layout, *, shape):
    sizes, strides, offset = layout
    if tuple(shape) == tuple(sizes):
        return layout
    return tuple(shape), _view_strides(sizes, strides, shape), offset


def _m_permute(layout, *, dims):
    sizes, strides, offset = layout
    return tuple(sizes[d] for d in dims), tuple(strides[d] for d in dims), offset


def _m_expand(layout, *, shape):
    sizes, strides, offset = layout
    out = list(_contiguous(shape))
    lead = len(shape) - len(sizes)
    for i in range(len(shape) - 1, -1, -1):  # torch's inferExpandGeometry
        if i >= lead:
            size, stride = sizes[i - lead], strides[i - lead]
        else:
            size, stride = 1, shape[i + 1] * out[i + 1] if i + 1 < len(shape) else 1
        out[i] = 0 if size != shape[i] else stride
    return tuple(shape), tuple(out), offset


def _m_diagonal(layout, *, offset, dim1, dim2):
    sizes, strides, start = layout
    if offset >= 0:
        n = max(min(sizes[dim1], sizes[dim2] - offset), 0)
    else:
        n = max(min(sizes[dim1] + offset, sizes[dim2]), 0)
    if n:
        start += offset * strides[dim2] if offset >= 0 else -offset * strides[dim1]
    keep = [d for d in range(len(sizes)) if d not in (dim1, dim2)]
    return (*[sizes[d] for d in keep], n), (*[strides[d] for d in keep], strides[dim1] + strides[dim2]), start


def _m_unfold(layout, *, dimension, size, step):
    sizes, strides, offset = layout
    if not sizes:
        return (size,), (1,), offset
    sh, st = list(sizes), list(strides)
    sh[dimension] = (sizes[dimension] - size) // step + 1
    st[dimension] = step * strides[dimension]
    return (*sh, size), (*st, strides[dimension]), offset


def _m_as_strided(layout, *, size, stride, offset):
    return size, stride, offset


_RULES = {
    _v_as_strided: _m_as_strided,
    _v_index: _m_index,
    _v_reshape: _m_reshape,
    _v_permute: _m_permute,
    _v_expand: _m_expand,
    _v_diagonal: _m_diagonal,
    _v_unfold: _m_unfold,
}


def view_meta(t: Tensor):
    """(shape, strides, storage_offset) of ``t`` as torch computes them for its view chain, or None when
    a step is not one of this module's (then ``Tensor._positions`` is the fallback). Exact for size-0 and
    size-1 dims, and needs no array work."""
    shape = tuple(t._storage.array.shape)
    layout = (shape, _contiguous(shape), 0)
    for fn, static in t._steps:
        rule = _RULES.get(fn)
        if rule is None:
            return None
        layout = rule(layout, **dict(static))
    return tuple(layout[0]), tuple(layout[1]), layout[2]


def _is_contiguous(shape, strides) -> builtins.bool:
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n == 0:
            return True
        if n != 1 and s != expected:
            return False
        expected *= n
    return True
