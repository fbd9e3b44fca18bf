"""Construction: cartesian_prod, combinations, block_diag, tril/triu_indices, unravel_index, diagflat, vander,
the signal windows (hann, hamming, blackman, bartlett, kaiser), scalar_tensor, empty_strided, frombuffer.

Index patterns (combinations, tril_indices) are computed on the host from static sizes; the data moves
through jnp programs (``dispatch``), so gradients flow as in torch. Windows are computed in float64 on the
host and cast, which agrees with torch's float32 arithmetic to float32 precision.
"""

from __future__ import annotations

import builtins
import itertools
import math

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._reduce_base import _cap, _is_float
from ._util import check_tensor, shape_arg
from .creation import _finish

# ---------------------------------------------------------------- products of 1-d tensors


def _check_1d(t: Tensor):
    if t.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")


def cartesian_prod(*tensors) -> Tensor:
    """Mirrors torch.cartesian_prod: rows of ``itertools.product`` (one tensor: itself)."""
    from .shape import meshgrid, stack

    for t in tensors:
        _check_1d(t)
    if len(tensors) == 1:
        return tensors[0]
    if len({t.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    return stack([g.flatten() for g in meshgrid(*tensors, indexing="ij")], 1)


def _take_rows(x, *, index):
    return x[jnp.asarray(index, jnp.int64)]


def combinations(input, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Mirrors torch.combinations: rows of ``itertools.combinations`` (or ``_with_replacement``)."""
    check_tensor(input, "combinations")
    _check_1d(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return dispatch(_take_rows, (input,), (("index", ()),))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = tuple(pick(builtins.range(input.shape[0]), r)) or ((),)
    rows = dispatch(_take_rows, (input,), (("index", index),))
    return rows if index != ((),) else rows.reshape(0, r)


def _block_diag(*xs, dtype):
    blocks = [x.reshape(1, -1) if x.ndim < 2 else x for x in xs]
    out = jnp.zeros((builtins.sum(b.shape[0] for b in blocks), builtins.sum(b.shape[1] for b in blocks)), dtype)
    r = c = 0
    for b in blocks:
        out = out.at[r : r + b.shape[0], c : c + b.shape[1]].set(b.astype(dtype))
        r, c = r + b.shape[0], c + b.shape[1]
    return out


def block_diag(*tensors) -> Tensor:
    """Mirrors torch.block_diag (0-d and 1-d inputs are one-row blocks; dtypes promote)."""
    for i, t in enumerate(tensors):
        check_tensor(t, "block_diag", "tensors")
        if t.ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {t.ndim} dimensions"
            )
    dt = D.get_default_dtype()
    if tensors:
        dt = tensors[0].dtype
        for t in tensors[1:]:
            dt = D.promote_types(dt, t.dtype)
    if not tensors:
        return _finish(jnp.zeros((1, 0), dt.np), None, False)
    return dispatch(_block_diag, tensors, (("dtype", dt.np),))


# ---------------------------------------------------------------- index helpers


def _tri_indices(row, col, offset, dtype, device, requires_grad, lower: bool) -> Tensor:
    name = "tril_indices" if lower else "triu_indices"
    dtype = dtype or D.int64
    if dtype not in (D.int32, D.int64):
        raise NotImplementedError(f"\"{name}\" not implemented for '{_cap(dtype)}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    f = np.tril_indices if lower else np.triu_indices
    idx = np.stack(f(row, offset, col)).astype(dtype.np).reshape(2, -1)
    return _finish(jnp.asarray(idx), device, requires_grad)


def tril_indices(
    row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.tril_indices: a (2, N) tensor of the lower triangle's coordinates."""
    return _tri_indices(row, col, offset, dtype, device, requires_grad, lower=True)


def triu_indices(
    row: int, col: int, offset: int = 0, *, dtype=None, device=None, layout=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.triu_indices: a (2, N) tensor of the upper triangle's coordinates."""
    return _tri_indices(row, col, offset, dtype, device, requires_grad, lower=False)


def _unravel(i, *, shape):
    coefs = [math.prod(shape[k + 1 :]) for k in builtins.range(len(shape))]
    i = i.astype(jnp.int64)[..., None]
    return tuple(jnp.moveaxis(jnp.floor_divide(i, jnp.asarray(coefs)) % jnp.asarray(shape), -1, 0))


def unravel_index(indices, shape) -> tuple:
    """Mirrors torch.unravel_index (indices wrap modulo the shape, as torch's formula does)."""
    check_tensor(indices, "unravel_index", "indices")
    if indices.dtype.category != D._CATEGORY_INT:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, (builtins.int, np.integer)):
        shape = (builtins.int(shape),)
    elif not isinstance(shape, (tuple, list)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    for s in shape:
        if not isinstance(s, (builtins.int, np.integer)):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(s)}")
    shape = tuple(builtins.int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    if not shape:
        return ()
    return tuple(dispatch(_unravel, (indices,), (("shape", shape),)))


def diagflat(input, offset: int = 0) -> Tensor:
    """Mirrors torch.diagflat: ``input`` flattened onto a diagonal."""
    from .shape import diag

    check_tensor(input, "diagflat")
    return diag(input.reshape(-1), offset)


def _vander(x, *, n, increasing, dtype):
    x = x.astype(dtype)
    if n == 0:
        return jnp.zeros((x.shape[0], 0), dtype)
    # torch's running product (not pow), so the rounding is torch's
    powers = jnp.cumprod(jnp.broadcast_to(x[:, None], (x.shape[0], n - 1)), axis=1)
    v = jnp.concatenate([jnp.ones((x.shape[0], 1), dtype), powers], axis=1)
    return v if increasing else v[:, ::-1]


def vander(x, N=None, increasing: bool = False) -> Tensor:
    """Mirrors torch.vander (integer and bool inputs give int64)."""
    check_tensor(x, "vander", "x")
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = D.promote_types(x.dtype, D.int64)
    return dispatch(
        _vander, (x,), (("n", builtins.int(n)), ("increasing", builtins.bool(increasing)), ("dtype", dt.np))
    )


# ---------------------------------------------------------------- windows


def _window(name, window_length, periodic, dtype, device, requires_grad, f) -> Tensor:
    dtype = dtype or D.get_default_dtype()
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    if not _is_float(dtype) or dtype.is_complex:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length <= 1:
        w = np.ones(window_length)
    else:
        m = window_length + 1 if periodic else window_length
        w = f(np.arange(m, dtype=np.float64), m)[:window_length]
    return _finish(jnp.asarray(w, dtype.np), device, requires_grad)


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
) -> Tensor:
    """Mirrors torch.hamming_window."""

    def f(n, m):
        return alpha - beta * np.cos(2 * np.pi * n / (m - 1))

    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad, f)


def hann_window(
    window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.hann_window."""

    def f(n, m):
        return 0.5 - 0.5 * np.cos(2 * np.pi * n / (m - 1))

    return _window("hann_window", window_length, periodic, dtype, device, requires_grad, f)


def blackman_window(
    window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.blackman_window."""

    def f(n, m):
        return 0.42 - 0.5 * np.cos(2 * np.pi * n / (m - 1)) + 0.08 * np.cos(4 * np.pi * n / (m - 1))

    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad, f)


def bartlett_window(
    window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """Mirrors torch.bartlett_window."""

    def f(n, m):
        return 1 - np.abs(2 * n / (m - 1) - 1)

    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad, f)


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
) -> Tensor:
    """Mirrors torch.kaiser_window."""

    def f(n, m):
        a = (m - 1) / 2
        return np.i0(beta * np.sqrt(np.clip(1 - ((n - a) / a) ** 2, 0, None))) / np.i0(beta)

    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad, f)


# ---------------------------------------------------------------- scalars, strides, buffers


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """Mirrors torch.scalar_tensor: a 0-d tensor of the default float dtype unless ``dtype`` is given."""
    if isinstance(s, Tensor):
        s = s.item()
    dtype = dtype or D.get_default_dtype()
    return _finish(jnp.asarray(s, dtype.np), device, requires_grad)


def empty_strided(
    size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """Mirrors torch.empty_strided as a fresh zero-filled tensor of ``size``.

    Args:
        stride: checked against ``size`` but not kept: torchlike tensors are always contiguous, so
            ``stride()`` reports the contiguous strides, not ``stride``.
    """
    from .creation import empty

    size, stride = shape_arg((size,)), shape_arg((stride,))
    if len(size) != len(stride):
        raise RuntimeError(
            f"dimensionality of sizes ({len(size)}) must match dimensionality of strides ({len(stride)})"
        )
    return empty(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def frombuffer(buffer, *, dtype, count: int = -1, offset: int = 0, requires_grad: bool = False) -> Tensor:
    """Mirrors torch.frombuffer. JAX arrays are immutable, so this copies: later writes to ``buffer`` do not
    reach the tensor (torch's shares the memory)."""
    mv = memoryview(buffer).cast("B")
    n, size = len(mv), dtype.itemsize
    if n == 0 or count == 0:
        raise ValueError(f"both buffer length ({n}) and count ({count}) must not be 0")
    if offset < 0 or offset >= n:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length ({n} bytes) minus 1"
        )
    if count < 0:
        if (n - offset) % size:
            raise ValueError(
                f"buffer length ({n - offset} bytes) after offset ({offset} bytes) must be a multiple of element "
                f"size ({size})"
            )
        count = (n - offset) // size
    elif offset + count * size > n:
        raise ValueError(
            f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) must not be greater "
            f"than actual buffer length ({n} bytes)"
        )
    a = np.frombuffer(mv, dtype=dtype.np, count=count, offset=offset)
    return _finish(jnp.array(a, copy=True), None, requires_grad)


__all__ = [
    "cartesian_prod",
    "combinations",
    "block_diag",
    "tril_indices",
    "triu_indices",
    "unravel_index",
    "diagflat",
    "vander",
    "hann_window",
    "hamming_window",
    "blackman_window",
    "bartlett_window",
    "kaiser_window",
    "scalar_tensor",
    "empty_strided",
    "frombuffer",
]
METHODS = ["diagflat"]
