"""Shape ops. Views (view, permute, expand, select, narrow, diagonal, ...) share storage with
their input, as in torch; the rest (cat, stack, repeat, flip, ...) copy."""

from __future__ import annotations

import builtins
import functools
import math

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._size import Size
from .._tensor import Tensor
from ._util import check_tensor, shape_arg, to_out, wrap_dim

# ---------------------------------------------------------------- view steps (array -> array)


_ALL = (None, None, None)  # a full slice in a static index key


def _v_index(a, *, idx):
    """Basic indexing with a static key of ints, (start, stop, step) tuples and None."""
    return a[tuple(slice(*k) if type(k) is tuple else k for k in idx)]


def _v_reshape(a, *, shape):
    return a.reshape(shape)


def _v_permute(a, *, dims):
    return jnp.transpose(a, dims)


def _v_expand(a, *, shape):
    return jnp.broadcast_to(a, shape)


def _v_diagonal(a, *, offset, dim1, dim2):
    return jnp.diagonal(a, offset, dim1, dim2)


def _v_unfold(a, *, dimension, size, step):
    n = (a.shape[dimension] - size) // step + 1
    idx = np.arange(n)[:, None] * step + np.arange(size)[None, :]
    out = jnp.take(a, idx, axis=dimension)  # (..., n, size, ...)
    return jnp.moveaxis(out, dimension + 1, -1)


# ---------------------------------------------------------------- reshaping views


def _infer_shape(shape: tuple, numel: int) -> tuple:
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if math.prod(shape) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _view_strides(old_shape, old_strides, new_shape):
    """torch's computeStride: strides for viewing a strided tensor as new_shape, or None."""
    if math.prod(old_shape) == 0:
        return ()
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = old_strides[-1] if old_strides else 1
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


def view(input, *shape) -> Tensor:
    """Mirrors torch.Tensor.view(*shape) and view(dtype)."""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return _view_dtype(input, shape[0])
    shape = _infer_shape(shape_arg(shape), input.numel())
    if input._steps and not input.is_contiguous() and _view_strides(tuple(input.shape), input.stride(), shape) is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
            "two contiguous subspaces). Use .reshape(...) instead."
        )
    return input._view(_v_reshape, (("shape", shape),), "ViewBackward0")


def _bitcast(x, *, dtype):
    import jax

    return jax.lax.bitcast_convert_type(x, dtype)


def _view_dtype(input, dtype):
    if dtype.itemsize != input.dtype.itemsize:
        raise RuntimeError("view(dtype) between dtypes of different sizes is not supported")
    return dispatch(_bitcast, (input,), (("dtype", dtype.np),))


def view_as(input, other) -> Tensor:
    return view(input, *other.shape)


def reshape(input, *shape) -> Tensor:
    """Mirrors torch.reshape: a view when the strides allow it, else a copy."""
    shape = _infer_shape(shape_arg(shape), input.numel())
    if input._steps and not input.is_contiguous() and _view_strides(tuple(input.shape), input.stride(), shape) is None:
        return dispatch(_v_reshape, (input,), (("shape", shape),), "ReshapeAliasBackward0")
    return input._view(_v_reshape, (("shape", shape),), "ViewBackward0")


def reshape_as(input, other) -> Tensor:
    return reshape(input, *other.shape)


def flatten(input, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Mirrors torch.flatten."""
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = tuple(input.shape)
    return reshape(input, *shape[:s], math.prod(shape[s : e + 1]), *shape[e + 1 :])


def unflatten(input, dim: int, sizes) -> Tensor:
    """Mirrors torch.unflatten."""
    d = wrap_dim(dim, input.ndim)
    shape = tuple(input.shape)
    sizes = _infer_shape(tuple(sizes), shape[d])
    return view(input, *shape[:d], *sizes, *shape[d + 1 :])


def permute(input, *dims) -> Tensor:
    """Mirrors torch.permute."""
    dims = shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return input._view(_v_permute, (("dims", dims),), "PermuteBackward0")


def transpose(input, dim0: int, dim1: int) -> Tensor:
    """Mirrors torch.transpose."""
    n = input.ndim
    if n == 0:
        wrap_dim(dim0, 0), wrap_dim(dim1, 0)
        return input._view(_v_reshape, (("shape", ()),), "TransposeBackward0")
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    dims = list(range(n))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return input._view(_v_permute, (("dims", tuple(dims)),), "TransposeBackward0")


swapaxes = swapdims = transpose


def t(input) -> Tensor:
    """Mirrors torch.t (tensors of at most 2 dims)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim < 2:
        return input._view(_v_reshape, (("shape", tuple(input.shape)),), "TBackward0")
    return input._view(_v_permute, (("dims", (1, 0)),), "TBackward0")


def adjoint(input) -> Tensor:
    return transpose(input, -2, -1).conj() if input.is_complex() else transpose(input, -2, -1)


def movedim(input, source, destination) -> Tensor:
    """Mirrors torch.movedim."""
    n = input.ndim
    src = [wrap_dim(s, n) for s in ((source,) if isinstance(source, int) else source)]
    dst = [wrap_dim(d, n) for d in ((destination,) if isinstance(destination, int) else destination)]
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, *order)


moveaxis = movedim


def squeeze(input, dim=None) -> Tensor:
    """Mirrors torch.squeeze (``dim`` an int or a tuple)."""
    shape = tuple(input.shape)
    if dim is None:
        dims = {i for i, s in enumerate(shape) if s == 1}
    else:
        dims = {wrap_dim(d, input.ndim) for d in ((dim,) if isinstance(dim, int) else dim)}
        dims = {d for d in dims if input.ndim and shape[d] == 1}
    new = tuple(s for i, s in enumerate(shape) if i not in dims)
    return input._view(_v_reshape, (("shape", new),), "SqueezeBackward0")


def unsqueeze(input, dim: int) -> Tensor:
    """Mirrors torch.unsqueeze."""
    d = wrap_dim(dim, input.ndim + 1)
    shape = tuple(input.shape)
    return input._view(_v_reshape, (("shape", shape[:d] + (1,) + shape[d:]),), "UnsqueezeBackward0")


def expand(input, *sizes) -> Tensor:
    """Mirrors torch.Tensor.expand (-1 keeps a dim)."""
    sizes = shape_arg(sizes)
    shape = tuple(input.shape)
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}")
            out.append(s)
            continue
        cur = shape[i - lead]
        if s == -1:
            s = cur
        elif cur != s and cur != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        out.append(s)
    return input._view(_v_expand, (("shape", tuple(out)),), "ExpandBackward0")


def expand_as(input, other) -> Tensor:
    return expand(input, *other.shape)


def broadcast_to(input, size) -> Tensor:
    """Mirrors torch.broadcast_to."""
    return expand(input, *shape_arg((size,)))


def broadcast_shapes(*shapes) -> Size:
    """Mirrors torch.broadcast_shapes."""
    try:
        return Size(np.broadcast_shapes(*[(s,) if isinstance(s, int) else tuple(s) for s in shapes]))
    except ValueError:
        raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to a single shape: {shapes}") from None


def broadcast_tensors(*tensors) -> tuple:
    shape = broadcast_shapes(*[t.shape for t in tensors])
    return tuple(expand(t, *shape) for t in tensors)


# ---------------------------------------------------------------- selecting views


def _check_index(index: int, size: int, dim: int) -> int:
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
    return index % size


def select(input, dim: int, index: int, name: str = "SelectBackward0") -> Tensor:
    """Mirrors torch.select."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input.ndim)
    i = _check_index(builtins.int(index), input.shape[d], d)
    return input._view(_v_index, (("idx", (*[_ALL] * d, i)),), name)


def narrow(input, dim: int, start, length: int) -> Tensor:
    """Mirrors torch.narrow."""
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d]
    start = builtins.int(start)
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _slice(input, d, start, start + length, 1)


def _slice(input, d, start, stop, step, name="SliceBackward0") -> Tensor:
    key = (*[_ALL] * d, _ALL if (start, stop, step) == (0, input.shape[d], 1) else (start, stop, step))
    return input._view(_v_index, (("idx", key),), name)


def unbind(input, dim: int = 0) -> tuple:
    """Mirrors torch.unbind."""
    d = wrap_dim(dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Mirrors torch.split (a size per chunk, or a list of sizes)."""
    d = wrap_dim(dim, tensor.ndim)
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = builtins.int(split_size_or_sections)
        if s <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [min(s, n - i) for i in range(0, n, s)] if n else [0]
    else:
        sizes = [builtins.int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
                f"{d}), but got split_sizes={sizes}"
            )
    out, start = [], 0
    for s in sizes:
        out.append(_slice(tensor, d, start, start + s, 1, "SplitBackward0"))
        start += s
    return tuple(out)


def chunk(input, chunks: int, dim: int = 0) -> tuple:
    """Mirrors torch.chunk."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = input.shape[wrap_dim(dim, input.ndim)]
    return split(input, max(-(-n // chunks), 1) if n else 1, dim) if n else split(input, 0, dim)


def tensor_split(input, indices_or_sections, dim: int = 0) -> tuple:
    """Mirrors torch.tensor_split."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (int, np.integer)):
        k = builtins.int(indices_or_sections)
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        bounds = np.cumsum([0] + [q + 1] * r + [q] * (k - r)).tolist()
    else:
        bounds = [0] + [min(max(builtins.int(i) if i >= 0 else n + builtins.int(i), 0), n) for i in indices_or_sections] + [n]
    return tuple(_slice(input, d, a, max(a, b), 1) for a, b in zip(bounds[:-1], bounds[1:]))


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """Mirrors torch.diagonal (a view)."""
    d1, d2 = wrap_dim(dim1, input.ndim), wrap_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return input._view(_v_diagonal, (("offset", offset), ("dim1", d1), ("dim2", d2)), "DiagonalBackward0")


def unfold(input, dimension: int, size: int, step: int) -> Tensor:
    """Mirrors torch.Tensor.unfold (a view of sliding windows)."""
    d = wrap_dim(dimension, input.ndim)
    if size > (input.shape[d] if input.ndim else 1):
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {input.shape[d]} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return input._view(_v_unfold, (("dimension", d), ("size", size), ("step", step)), "UnfoldBackward0")


# ---------------------------------------------------------------- copying shape ops


def _cat(*xs, dim, dtype):
    return jnp.concatenate([x.astype(dtype) for x in xs], axis=dim)


def cat(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.cat (promotes dtypes; skips legacy 1-d empty tensors)."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    dt = D.result_type(*[x if x.ndim else x for x in tensors])
    dt = functools.reduce(D.promote_types, [x.dtype for x in tensors])
    parts = [x for x in tensors if not (x.ndim == 1 and x.shape[0] == 0)] or tensors[:1]
    ref = parts[0]
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = wrap_dim(dim, ref.ndim)
    for i, x in enumerate(parts):
        if x.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}"
            )
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref.shape[k]} but got size "
                    f"{x.shape[k]} for tensor number {i} in the list."
                )
    return to_out(dispatch(_cat, tuple(parts), (("dim", d), ("dtype", dt.np)), "CatBackward0"), out)


concat = concatenate = cat


def _stack(*xs, dim, dtype):
    return jnp.stack([x.astype(dtype) for x in xs], axis=dim)


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.stack."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, x in enumerate(tensors[1:], 1):
        if x.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry 0 and "
                f"{list(x.shape)} at entry {i}"
            )
    dt = functools.reduce(D.promote_types, [x.dtype for x in tensors])
    d = wrap_dim(dim, tensors[0].ndim + 1)
    return to_out(dispatch(_stack, tuple(tensors), (("dim", d), ("dtype", dt.np)), "StackBackward0"), out)


def atleast_1d(*tensors):
    r = tuple(t if t.ndim >= 1 else reshape(t, 1) for t in _flat(tensors))
    return r[0] if len(r) == 1 else r


def atleast_2d(*tensors):
    r = tuple(t if t.ndim >= 2 else reshape(t, 1, -1) for t in _flat(tensors))
    return r[0] if len(r) == 1 else r


def atleast_3d(*tensors):
    def f(t):
        if t.ndim >= 3:
            return t
        if t.ndim == 2:
            return unsqueeze(t, -1)
        return reshape(t, 1, -1, 1)

    r = tuple(f(t) for t in _flat(tensors))
    return r[0] if len(r) == 1 else r


def _flat(tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(tensors[0])
    return tensors


def hstack(tensors, *, out=None) -> Tensor:
    ts = [atleast_1d(t) for t in tensors]
    return cat(ts, 0 if ts[0].ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None) -> Tensor:
    return cat([atleast_2d(t) for t in tensors], 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None) -> Tensor:
    return cat([atleast_3d(t) for t in tensors], 2, out=out)


def column_stack(tensors, *, out=None) -> Tensor:
    return hstack([reshape(t, -1, 1) if t.ndim <= 1 else t for t in tensors], out=out)


def _tile(x, *, reps):
    return jnp.tile(x, reps)


def repeat(input, *sizes) -> Tensor:
    """Mirrors torch.Tensor.repeat."""
    sizes = shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    return dispatch(_tile, (input,), (("reps", sizes),), "RepeatBackward0")


def tile(input, dims) -> Tensor:
    """Mirrors torch.tile."""
    dims = tuple(dims)
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return repeat(input, *dims)


def _repeat_interleave(x, repeats, *, dim, total):
    if dim is None:
        x, dim = x.ravel(), 0
    return jnp.repeat(x, repeats, axis=dim, total_repeat_length=total)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Mirrors torch.repeat_interleave (int or tensor repeats)."""
    if repeats is None:  # repeat_interleave(repeats_tensor)
        reps = input
        return repeat_interleave(_arange_like(reps), reps, 0)
    d = None if dim is None else wrap_dim(dim, input.ndim)
    n = input.numel() if d is None else input.shape[d]
    if isinstance(repeats, Tensor):
        if repeats.ndim == 0 or repeats.numel() == 1:
            repeats = builtins.int(repeats.reshape(-1)[0])
        else:
            total = output_size if output_size is not None else builtins.int(repeats.sum())
            return dispatch(_repeat_interleave, (input, repeats), (("dim", d), ("total", total)), "RepeatInterleaveBackward0")
    total = n * builtins.int(repeats)
    return dispatch(_repeat_interleave, (input, builtins.int(repeats)), (("dim", d), ("total", total)), "RepeatInterleaveBackward0")


def _arange_like(reps):
    from .creation import arange

    return arange(reps.shape[0])


def _flip(x, *, dims):
    return jnp.flip(x, dims)


def flip(input, dims) -> Tensor:
    """Mirrors torch.flip."""
    dims = tuple(wrap_dim(d, input.ndim) for d in ((dims,) if isinstance(dims, int) else dims))
    return dispatch(_flip, (input,), (("dims", dims),), "FlipBackward0")


def fliplr(input) -> Tensor:
    return flip(input, (1,))


def flipud(input) -> Tensor:
    return flip(input, (0,))


def _roll(x, *, shifts, dims):
    return jnp.roll(x, shifts, dims)


def roll(input, shifts, dims=None) -> Tensor:
    """Mirrors torch.roll."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        return view(dispatch(_roll, (flatten(input),), (("shifts", shifts), ("dims", 0)), "RollBackward0"), *input.shape)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    return dispatch(_roll, (input,), (("shifts", shifts), ("dims", dims)), "RollBackward0")


def _rot90(x, *, k, dims):
    return jnp.rot90(x, k, dims)


def rot90(input, k: int = 1, dims=(0, 1)) -> Tensor:
    return dispatch(_rot90, (input,), (("k", k), ("dims", tuple(dims))), "Rot90Backward0")


def _tri(x, *, diagonal, upper):
    return jnp.triu(x, diagonal) if upper else jnp.tril(x, diagonal)


def tril(input, diagonal: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.tril."""
    if input.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return to_out(dispatch(_tri, (input,), (("diagonal", diagonal), ("upper", False)), "TrilBackward0"), out)


def triu(input, diagonal: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.triu."""
    if input.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return to_out(dispatch(_tri, (input,), (("diagonal", diagonal), ("upper", True)), "TriuBackward0"), out)


def _diag(x, *, diagonal):
    return jnp.diag(x, diagonal)


def diag(input, diagonal: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.diag (a vector to a matrix, or a matrix's diagonal as a copy)."""
    if input.ndim not in (1, 2):
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{input.ndim}D")
    return to_out(dispatch(_diag, (input,), (("diagonal", diagonal),), "DiagBackward0"), out)


def _diag_embed(x, *, offset, dim1, dim2):
    n = x.shape[-1] + abs(offset)
    eye = jnp.eye(n, k=offset, dtype=x.dtype)
    rows = jnp.arange(x.shape[-1]) + max(-offset, 0)
    cols = rows + offset
    out = jnp.zeros((*x.shape[:-1], n, n), x.dtype).at[..., rows, cols].set(x)
    del eye
    return jnp.moveaxis(out, (-2, -1), (dim1, dim2))


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    n = input.ndim + 1
    return dispatch(_diag_embed, (input,), (("offset", offset), ("dim1", wrap_dim(dim1, n)), ("dim2", wrap_dim(dim2, n))), "DiagEmbedBackward0")


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Mirrors torch.meshgrid (default indexing 'ij')."""
    tensors = _flat(tensors)
    indexing = indexing or "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    shape = [t.numel() for t in tensors]
    if indexing == "xy" and len(tensors) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, t in enumerate(tensors):
        s = [1] * len(tensors)
        j = i
        if indexing == "xy" and len(tensors) >= 2 and i < 2:
            j = 1 - i
        s[j] = t.numel()
        out.append(expand(reshape(t, *s), *shape))
    return tuple(out)


def _ravel(x):
    return x.ravel()


def ravel(input) -> Tensor:
    return reshape(input, -1)


__all__ = [
    "view",
    "view_as",
    "reshape",
    "reshape_as",
    "flatten",
    "unflatten",
    "permute",
    "transpose",
    "swapaxes",
    "swapdims",
    "t",
    "adjoint",
    "movedim",
    "moveaxis",
    "squeeze",
    "unsqueeze",
    "expand",
    "expand_as",
    "broadcast_to",
    "broadcast_shapes",
    "broadcast_tensors",
    "select",
    "narrow",
    "unbind",
    "split",
    "chunk",
    "tensor_split",
    "diagonal",
    "cat",
    "concat",
    "concatenate",
    "stack",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "hstack",
    "vstack",
    "row_stack",
    "dstack",
    "column_stack",
    "repeat_interleave",
    "tile",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "tril",
    "triu",
    "diag",
    "diag_embed",
    "meshgrid",
    "ravel",
]

METHODS = [
    "view",
    "view_as",
    "reshape",
    "reshape_as",
    "flatten",
    "unflatten",
    "permute",
    "transpose",
    "swapaxes",
    "swapdims",
    "t",
    "adjoint",
    "movedim",
    "moveaxis",
    "squeeze",
    "unsqueeze",
    "expand",
    "expand_as",
    "broadcast_to",
    "select",
    "narrow",
    "unbind",
    "split",
    "chunk",
    "tensor_split",
    "diagonal",
    "unfold",
    "repeat",
    "repeat_interleave",
    "tile",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "tril",
    "triu",
    "diag",
    "diag_embed",
    "ravel",
]
INPLACE = ["tril", "triu"]
