"""Shape ops. Views (view, permute, expand, select, narrow, diagonal, unfold, ...) share storage with
their input, as in torch; the rest (cat, stack, repeat, flip, ...) copy.

Views append one step from ``_views`` to their input's chain; the copying ops live in
``_shape_copies`` and are re-exported here, so this module is the family's one face.
"""

from __future__ import annotations

import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._size import Size
from .._tensor import Tensor, _is_tracer
from ._shape_copies import (
    _flat,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    cat,
    column_stack,
    concat,
    concatenate,
    diag,
    diag_embed,
    dstack,
    flip,
    fliplr,
    flipud,
    hstack,
    meshgrid,
    repeat,  # noqa: F401 - a Tensor method only (METHODS)
    repeat_interleave,
    roll,
    rot90,
    row_stack,
    stack,
    tile,
    tril,
    triu,
    vstack,
)
from ._util import shape_arg, wrap_dim
from ._views import (
    _ALL,
    _is_contiguous,
    _v_as_strided,
    _v_diagonal,
    _v_expand,
    _v_index,
    _v_permute,
    _v_reshape,
    _v_unfold,
    _view_strides,
    view_meta,
)

# ---------------------------------------------------------------- reshaping views


def _infer_shape(shape: tuple, numel: int) -> tuple:
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0:
            if numel == 0:
                raise RuntimeError(
                    f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified dimension "
                    "size -1 can be any value and is ambiguous"
                )
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        if numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if math.prod(shape) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _viewable(input: Tensor, shape: tuple) -> builtins.bool:
    if not input._steps:
        return True
    meta = view_meta(input)
    if meta is None:
        if input.is_contiguous():
            return True
        old_shape, old_strides = tuple(input.shape), input.stride()
    else:
        old_shape, old_strides, _ = meta
        if _is_contiguous(old_shape, old_strides):
            return True
    return _view_strides(old_shape, old_strides, shape) is not None


def view(input, *shape) -> Tensor:
    """Mirrors torch.Tensor.view(*shape) and view(dtype)."""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return _view_dtype(input, shape[0])
    shape = _infer_shape(shape_arg(shape), input.numel())
    if not _viewable(input, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
            "two contiguous subspaces). Use .reshape(...) instead."
        )
    return input._view(_v_reshape, (("shape", shape),), "ViewBackward0")


def _bitcast(x, *, dtype):
    old, new = x.dtype.itemsize, np.dtype(dtype).itemsize
    if new > old:
        x = x.reshape(*x.shape[:-1], x.shape[-1] * old // new, new // old)
    out = jax.lax.bitcast_convert_type(x, dtype)
    if new < old:
        out = out.reshape(*out.shape[:-2], -1)
    return out


def _view_dtype(input, dtype):
    """view(dtype): the same bytes read as another dtype (a copy here, not an alias)."""
    old, new = input.dtype.itemsize, dtype.itemsize
    if old != new:
        what = f"to view {_cap(input.dtype)} as {_cap(dtype)} (different element sizes)"
        if input.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if new > old and input.shape[-1] % (new // old):
            raise RuntimeError(f"self.size(-1) must be divisible by {new // old} {what}, but got {input.shape[-1]}")
    return dispatch(_bitcast, (input,), (("dtype", dtype.np),), "ViewBackward0")


def _cap(d) -> str:
    return {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int", "bool": "Bool"}.get(
        d.name, d.name.capitalize()
    )


def view_as(input, other) -> Tensor:
    """Mirrors torch.Tensor.view_as."""
    return view(input, *other.shape)


def reshape(input, *shape) -> Tensor:
    """Mirrors torch.reshape: a view when the strides allow it, else a copy."""
    shape = _infer_shape(shape_arg(shape), input.numel())
    if not _viewable(input, shape):
        return dispatch(_v_reshape, (input,), (("shape", shape),), "UnsafeViewBackward0")
    return input._view(_v_reshape, (("shape", shape),), "ViewBackward0")


def reshape_as(input, other) -> Tensor:
    """Mirrors torch.Tensor.reshape_as."""
    return reshape(input, *other.shape)


def ravel(input) -> Tensor:
    """Mirrors torch.ravel."""
    return reshape(input, -1)


def flatten(input, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Mirrors torch.flatten."""
    if input.ndim == 0:
        wrap_dim(start_dim, 0), wrap_dim(end_dim, 0)
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input._view(_v_reshape, (("shape", tuple(input.shape)),), "AliasBackward0")
    shape = tuple(input.shape)
    return reshape(input, *shape[:s], math.prod(shape[s : e + 1]), *shape[e + 1 :])


def unflatten(input, dim: int, sizes) -> Tensor:
    """Mirrors torch.unflatten."""
    d = wrap_dim(dim, input.ndim)
    shape = tuple(input.shape)
    sizes = tuple(sizes)
    try:
        sizes = _infer_shape(sizes, shape[d])
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({shape[d]}) in the "
            "input tensor"
        ) from None
    return view(input, *shape[:d], *sizes, *shape[d + 1 :])


def permute(input, *dims) -> Tensor:
    """Mirrors torch.permute."""
    dims = shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return input._view(_v_permute, (("dims", dims),), "PermuteBackward0")


def transpose(input, dim0: int, dim1: int) -> Tensor:
    """Mirrors torch.transpose."""
    n = input.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    if n < 2:
        return input._view(_v_reshape, (("shape", tuple(input.shape)),), "TransposeBackward0")
    order = list(range(n))
    order[d0], order[d1] = order[d1], order[d0]
    return input._view(_v_permute, (("dims", tuple(order)),), "TransposeBackward0")


swapaxes = swapdims = transpose


def t(input) -> Tensor:
    """Mirrors torch.t (tensors of at most 2 dims)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim == 2:
        return input._view(_v_permute, (("dims", (1, 0)),), "TBackward0")
    return input._view(_v_reshape, (("shape", tuple(input.shape)),), "TBackward0")


def matrix_transpose(input) -> Tensor:
    """``Tensor.mT``: the last two dims swapped."""
    if input.ndim < 2:
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {input.ndim}-D tensor."
        )
    return transpose(input, -2, -1)


def adjoint(input) -> Tensor:
    """Mirrors torch.adjoint."""
    return transpose(input, -2, -1).conj() if input.is_complex() else transpose(input, -2, -1)


def movedim(input, source, destination) -> Tensor:
    """Mirrors torch.movedim."""
    n = input.ndim
    src = [source] if isinstance(source, (builtins.int, np.integer)) else list(source)
    dst = [destination] if isinstance(destination, (builtins.int, np.integer)) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain the same number of "
            f"dims as destination ({dst} dims)"
        )
    src = [wrap_dim(s, n) for s in src]
    dst = [wrap_dim(d, n) for d in dst]
    for name, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({ds})")
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return input._view(_v_permute, (("dims", tuple(order)),), "PermuteBackward0")


moveaxis = movedim


def squeeze(input, dim=None) -> Tensor:
    """Mirrors torch.squeeze (``dim`` an int or a tuple)."""
    shape = tuple(input.shape)
    if dim is None:
        drop = {i for i, s in enumerate(shape) if s == 1}
    else:
        ds = (dim,) if isinstance(dim, (builtins.int, np.integer)) else dim
        drop = {d for d in (wrap_dim(d, input.ndim) for d in ds) if input.ndim and shape[d] == 1}
    new = tuple(s for i, s in enumerate(shape) if i not in drop)
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
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}"
                )
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
    """Mirrors torch.Tensor.expand_as."""
    return expand(input, *other.shape)


def broadcast_to(input, size) -> Tensor:
    """Mirrors torch.broadcast_to."""
    return expand(input, *shape_arg((size,)))


def broadcast_shapes(*shapes) -> Size:
    """Mirrors torch.broadcast_shapes."""
    shapes = [(s,) if isinstance(s, (builtins.int, np.integer)) else tuple(s) for s in shapes]
    try:
        return Size(np.broadcast_shapes(*shapes))
    except ValueError:
        raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to a single shape: {shapes}") from None


def broadcast_tensors(*tensors) -> tuple:
    """Mirrors torch.broadcast_tensors."""
    tensors = _flat(tensors)
    shape = broadcast_shapes(*[t.shape for t in tensors])
    return tuple(expand(t, *shape) for t in tensors)


# ---------------------------------------------------------------- selecting views


def _dyn_index(x, i, *, dim, size, length):
    """A traced start (torch accepts a 0-d tensor): a copy through dynamic_slice."""
    i = jnp.where(i < 0, i + size, i)
    if length is None:
        return jax.lax.dynamic_index_in_dim(x, i, dim, keepdims=False)
    return jax.lax.dynamic_slice_in_dim(x, i, length, dim)


def _traced_int(x) -> builtins.bool:
    return isinstance(x, Tensor) and _is_tracer(x._value)


def select(input, dim: int, index, name: str = "SelectBackward0") -> Tensor:
    """Mirrors torch.select."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if _traced_int(index):
        return dispatch(_dyn_index, (input, index), (("dim", d), ("size", n), ("length", None)), name)
    i = builtins.int(index)
    if not -n <= i < n:
        raise IndexError(f"select(): index {i} out of range for tensor of size {list(input.shape)} at dimension {d}")
    return input._view(_v_index, (("idx", (*[_ALL] * d, i % n)),), name)


def as_strided(input, size, stride, storage_offset: int | None = None) -> Tensor:
    """Mirrors torch.as_strided: a view of ``input``'s storage with the given sizes, strides and offset."""
    size, stride = tuple(builtins.int(n) for n in size), tuple(builtins.int(s) for s in stride)
    offset = input.storage_offset() if storage_offset is None else builtins.int(storage_offset)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape ({len(stride)} vs {len(size)})")
    if any(n < 0 for n in size) or any(s < 0 for s in stride) or offset < 0:
        raise RuntimeError(
            f"as_strided: negative size, stride or offset (size {size}, stride {stride}, offset {offset})"
        )
    need = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    have = math.prod(input._storage.array.shape)
    if need > have:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and itemsize "
            f"{input.dtype.itemsize} requiring a storage size of {need * input.dtype.itemsize} are out of bounds "
            f"for storage of size {have * input.dtype.itemsize}"
        )
    root = input if input._base is None else input._base
    return root._view(_v_as_strided, (("size", size), ("stride", stride), ("offset", offset)), "AsStridedBackward0")


def narrow(input, dim: int, start, length: int) -> Tensor:
    """Mirrors torch.narrow (``start`` an int or a 0-d integer tensor)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if _traced_int(start):
        return dispatch(_dyn_index, (input, start), (("dim", d), ("size", size), ("length", length)), "SliceBackward0")
    start = builtins.int(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _slice(input, d, start, start + length)


def _slice(input, d, start, stop, name="SliceBackward0") -> Tensor:
    key = _ALL if (start, stop) == (0, input.shape[d]) else (start, stop, 1)
    return input._view(_v_index, (("idx", (*[_ALL] * d, key)),), name)


def unbind(input, dim: int = 0) -> tuple:
    """Mirrors torch.unbind."""
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = wrap_dim(dim, input.ndim)
    return tuple(select(input, d, i, "UnbindBackward0") for i in range(input.shape[d]))


def _split_sizes(n: int, size: int) -> list:
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n > 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    if n == 0:
        return [0]
    return [min(size, n - i) for i in range(0, n, size)]


def _split_at(tensor, d: int, sizes, name: str) -> tuple:
    out, start = [], 0
    for s in sizes:
        out.append(_slice(tensor, d, start, start + s, name))
        start += s
    return tuple(out)


def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Mirrors torch.split (a size per chunk, or a list of sizes)."""
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, tensor.ndim)
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, (builtins.int, np.integer)):
        return _split_at(tensor, d, _split_sizes(n, builtins.int(split_size_or_sections)), "SplitBackward0")
    sizes = [builtins.int(s) for s in split_size_or_sections]
    if any(s < 0 for s in sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={sizes}"
        )
    if builtins.sum(sizes) != n:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {d}), "
            f"but got split_sizes={sizes}"
        )
    return _split_at(tensor, d, sizes, "SplitWithSizesBackward0")


def chunk(input, chunks: int, dim: int = 0) -> tuple:
    """Mirrors torch.chunk."""
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    size = -(-n // chunks)
    if n == 0:  # torch gives `chunks` empty pieces here
        return _split_at(input, d, [0] * chunks, "SplitBackward0")
    return _split_at(input, d, _split_sizes(n, size), "SplitBackward0")


def tensor_split(input, indices_or_sections, dim: int = 0) -> tuple:
    """Mirrors torch.tensor_split (sections, a list of indices, or a tensor of either)."""
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios.dtype is not D.int64 or ios.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor "
                f"with dtype long, but got a tensor with {ios.ndim} dims and dtype {_cap(ios.dtype)}"
            )
        if _is_tracer(ios._value):
            raise RuntimeError(
                "tensor_split with a tensor of indices has a data-dependent output shape, which cannot be traced "
                "(inside torchlike.compile or torchlike.func). Pass a list of ints instead."
            )
        ios = ios.tolist()
    if isinstance(ios, (builtins.int, np.integer)):
        k = builtins.int(ios)
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        bounds = np.cumsum([0] + [q + 1] * r + [q] * (k - r)).tolist()
    else:
        bounds = [0] + [min(max(i if i >= 0 else n + i, 0), n) for i in (builtins.int(i) for i in ios)] + [n]
    return tuple(_slice(input, d, a, max(a, b)) for a, b in zip(bounds[:-1], bounds[1:]))


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """Mirrors torch.diagonal (a view)."""
    d1, d2 = wrap_dim(dim1, input.ndim), wrap_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return input._view(_v_diagonal, (("offset", offset), ("dim1", d1), ("dim2", d2)), "DiagonalBackward0")


def unfold(input, dimension: int, size: int, step: int) -> Tensor:
    """Mirrors torch.Tensor.unfold (a view of sliding windows)."""
    d = wrap_dim(dimension, input.ndim)
    n = input.shape[d] if input.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return input._view(_v_unfold, (("dimension", d), ("size", size), ("step", step)), "UnfoldBackward0")


__all__ = [
    "as_strided",
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
    "as_strided",
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
