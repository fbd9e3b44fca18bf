"""Shape ops that copy: cat, stack and the *stack family, repeat, tile, repeat_interleave, flip, roll,
rot90, tril / triu, diag, diag_embed, and meshgrid (expanded views). Re-exported by ``shape``."""

from __future__ import annotations

import builtins
import functools
import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._util import dims as _dims
from ._util import shape_arg, to_out, wrap_dim

# ---------------------------------------------------------------- joining


def _cat(*xs, dim, dtype):
    # legacy 1-d empty tensors are inputs (for their zero-size gradients) but add nothing
    parts = [x for x in xs if not (x.ndim == 1 and x.shape[0] == 0)] or xs[:1]
    return jnp.concatenate([x.astype(dtype) for x in parts], axis=dim)


def _check_tensors(tensors, fname: str) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    return tensors


def cat(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.cat (promotes dtypes; skips legacy 1-d empty tensors)."""
    tensors = _check_tensors(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dt = functools.reduce(D.promote_types, [x.dtype for x in tensors])
    parts = [(i, x) for i, x in enumerate(tensors) if not (x.ndim == 1 and x.shape[0] == 0)]
    ref = parts[0][1] if parts else tensors[0]
    d = wrap_dim(dim, ref.ndim)
    for i, x in parts:
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {ref.shape[k]} but got size "
                    f"{x.shape[k]} for tensor number {i} in the list."
                )
    return to_out(dispatch(_cat, tuple(tensors), (("dim", d), ("dtype", dt.np)), "CatBackward0"), out)


concat = cat


def concatenate(tensors, axis: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.concatenate (cat with NumPy's argument name)."""
    return cat(tensors, axis, out=out)


def _stack(*xs, dim, dtype):
    return jnp.stack([x.astype(dtype) for x in xs], axis=dim)


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Mirrors torch.stack."""
    tensors = _check_tensors(tensors, "stack")
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


def _flat(tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(tensors[0])
    return tensors


def _one_or_tuple(r: tuple):
    return r[0] if len(r) == 1 else r


def atleast_1d(*tensors):
    """Mirrors torch.atleast_1d."""
    return _one_or_tuple(tuple(t if t.ndim >= 1 else t.reshape(1) for t in _flat(tensors)))


def atleast_2d(*tensors):
    """Mirrors torch.atleast_2d."""
    return _one_or_tuple(tuple(t if t.ndim >= 2 else t.reshape(1, -1) for t in _flat(tensors)))


def _to_3d(t):
    if t.ndim >= 3:
        return t
    if t.ndim == 2:
        return t.unsqueeze(-1)
    return t.reshape(1, -1, 1)


def atleast_3d(*tensors):
    """Mirrors torch.atleast_3d."""
    return _one_or_tuple(tuple(_to_3d(t) for t in _flat(tensors)))


def hstack(tensors, *, out=None) -> Tensor:
    """Mirrors torch.hstack."""
    ts = [atleast_1d(t) for t in _check_tensors(tensors, "hstack")]
    return cat(ts, 0 if ts and ts[0].ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None) -> Tensor:
    """Mirrors torch.vstack."""
    return cat([atleast_2d(t) for t in _check_tensors(tensors, "vstack")], 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None) -> Tensor:
    """Mirrors torch.dstack."""
    return cat([atleast_3d(t) for t in _check_tensors(tensors, "dstack")], 2, out=out)


def column_stack(tensors, *, out=None) -> Tensor:
    """Mirrors torch.column_stack."""
    ts = _check_tensors(tensors, "column_stack")
    return hstack([t.reshape(-1, 1) if t.ndim <= 1 else t for t in ts], out=out)


# ---------------------------------------------------------------- repeating, flipping, rolling


def _tile(x, *, reps):
    return jnp.tile(x, reps)


def repeat(input, *sizes) -> Tensor:
    """Mirrors torch.Tensor.repeat."""
    sizes = shape_arg(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}")
    return dispatch(_tile, (input,), (("reps", sizes),), "RepeatBackward0")


def tile(input, dims) -> Tensor:
    """Mirrors torch.tile."""
    dims = shape_arg((dims,))
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return repeat(input, *dims)


def _repeat_interleave(x, repeats, *, dim, n, total):
    if dim is None:
        x, dim = x.ravel(), 0
    if x.ndim == 0:
        x = x.reshape(1)
    if jnp.ndim(repeats) and repeats.shape[0] != n:
        repeats = jnp.broadcast_to(repeats.reshape(()), (n,))
    return jnp.repeat(x, repeats, axis=dim, total_repeat_length=total)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Mirrors torch.repeat_interleave (int or tensor repeats; eager only for a tensor without output_size)."""
    if repeats is None:  # repeat_interleave(repeats): each index i, repeats[i] times
        from .creation import arange

        return repeat_interleave(arange(input.shape[0] if input.ndim else 1), input, 0, output_size=output_size)
    d = None if dim is None else wrap_dim(dim, input.ndim)
    n = input.numel() if d is None else (input.shape[d] if input.ndim else 1)
    if isinstance(repeats, Tensor):
        if repeats.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if repeats.dtype.category != D._CATEGORY_INT:
            raise RuntimeError("repeats has to be Long or Int tensor")
        if repeats.numel() != 1 and repeats.shape[0] != n:
            raise RuntimeError(
                f"repeats must have the same size as input along dim, but got repeats.size(0) = {repeats.shape[0]} "
                f"and input.size({0 if d is None else d}) = {n}"
            )
        total = output_size
        if total is None:
            if _is_tracer(repeats._value):
                raise RuntimeError(
                    "repeat_interleave with a tensor of repeats has a data-dependent output shape, which cannot be "
                    "traced (inside torchlike.compile or torchlike.func). Pass output_size=, or use int repeats."
                )
            r = np.asarray(repeats._value)
            if (r < 0).any():
                raise RuntimeError("repeats can not be negative")
            total = builtins.int(r.sum()) * (n if r.size == 1 else 1)
        reps = repeats if repeats.ndim else repeats.reshape(1)
    else:
        reps = builtins.int(repeats)
        if reps < 0:
            raise RuntimeError("repeats can not be negative")
        total = n * reps
    static = (("dim", d), ("n", n), ("total", total))
    name = "IndexSelectBackward0" if isinstance(reps, Tensor) else "ViewBackward0"  # torch's composite
    return dispatch(_repeat_interleave, (input, reps), static, name)


def _flip(x, *, dims):
    return jnp.flip(x, dims)


def flip(input, dims) -> Tensor:
    """Mirrors torch.flip."""
    dims = _dims((dims,) if isinstance(dims, (builtins.int, np.integer)) else tuple(dims), input.ndim)
    return dispatch(_flip, (input,), (("dims", dims),), "FlipBackward0")


def fliplr(input) -> Tensor:
    """Mirrors torch.fliplr."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input) -> Tensor:
    """Mirrors torch.flipud."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll(x, *, shifts, dims):
    if dims is None:
        return jnp.roll(x.ravel(), shifts[0]).reshape(x.shape)
    return jnp.roll(x, shifts, dims)


def roll(input, shifts, dims=None) -> Tensor:
    """Mirrors torch.roll."""
    shifts = (shifts,) if isinstance(shifts, (builtins.int, np.integer)) else tuple(shifts)
    if dims is not None:
        dims = (dims,) if isinstance(dims, (builtins.int, np.integer)) else tuple(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    elif len(shifts) != 1:
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
    shifts = tuple(builtins.int(s) for s in shifts)
    return dispatch(_roll, (input,), (("shifts", shifts), ("dims", dims)), "RollBackward0")


def _rot90(x, *, k, dims):
    return jnp.rot90(x, k, dims)


def rot90(input, k: int = 1, dims=(0, 1)) -> Tensor:
    """Mirrors torch.rot90."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = wrap_dim(dims[0], input.ndim), wrap_dim(dims[1], input.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
    return dispatch(_rot90, (input,), (("k", builtins.int(k) % 4), ("dims", (d0, d1))), "Rot90Backward0")


# ---------------------------------------------------------------- triangles and diagonals


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
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    name = "DiagEmbedBackward0" if input.ndim == 1 else "DiagonalBackward0_copy"  # torch's names
    return to_out(dispatch(_diag, (input,), (("diagonal", diagonal),), name), out)


def _diag_embed(x, *, offset, dim1, dim2):
    n = x.shape[-1] + abs(offset)
    rows = np.arange(x.shape[-1]) + max(-offset, 0)
    out = jnp.zeros((*x.shape[:-1], n, n), x.dtype).at[..., rows, rows + offset].set(x)
    return jnp.moveaxis(out, (-2, -1), (dim1, dim2))


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Mirrors torch.diag_embed."""
    n = input.ndim + 1
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return dispatch(_diag_embed, (input,), (("offset", offset), ("dim1", d1), ("dim2", d2)), "DiagEmbedBackward0")


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Mirrors torch.meshgrid (views of the inputs, expanded)."""
    tensors = _flat(tensors)
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t_ in tensors:
        if t_.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t_}")
        if t_.dtype != tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = indexing == "xy" and len(tensors) >= 2
    order = [1, 0, *range(2, len(tensors))] if swap else list(range(len(tensors)))
    shape = [tensors[i].numel() for i in order]
    out = []
    for i, t_ in enumerate(tensors):
        s = [1] * len(tensors)
        s[order.index(i)] = t_.numel()
        out.append(t_.reshape(*s).expand(*shape))
    return tuple(out)
