"""Resampling: interpolate / upsample, grid_sample, affine_grid (mirrors torch.nn.functional).

``interpolate`` is separable: each spatial dim is resampled by gathering a few
taps (1 nearest, 2 linear, 4 cubic) whose indices and weights are computed at
trace time with numpy, in torch's arithmetic (float32 for float32 inputs,
``floor(dst * scale)`` for nearest, A = -0.75 for cubic). ``grid_sample``
gathers the 2^d corners (or the nearest point, or 4x4 cubic taps) per output
point. F.pad and the shuffles live in ``_nn_pad.py``; both are re-exported.
"""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._dispatch import dispatch
from .._tensor import Tensor
from . import _nn_pad
from ._nn_pad import *  # noqa: F403 - one family: spatial ops
from ._nn_pad import _mode_pad  # noqa: F401 - used by the conv program

__all__ = [
    "interpolate",
    "upsample",
    "upsample_nearest",
    "upsample_bilinear",
    "grid_sample",
    "affine_grid",
] + _nn_pad.__all__

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
_A = -0.75


def _opmath(dtype):
    return np.float64 if dtype == jnp.float64 else np.float32


def _cubic_weights(t, dt):
    """torch's cubic convolution coefficients (A = -0.75) for fractional offsets ``t``."""
    a = dt(_A)

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = dt(1)
    return np.stack([far(t + one), near(t), near(one - t), far(dt(2) - t)], axis=-1)


def _taps(mode, n_in, n_out, scale, align_corners, dt, nd):
    """(indices (out, T), weights (out, T) or None) for one of ``nd`` dims, in torch's arithmetic."""
    dst = np.arange(n_out)
    if mode in ("nearest", "nearest-exact"):
        s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(n_in) / np.float32(n_out)
        if mode == "nearest" and nd == 2 and n_out in (n_in, 2 * n_in):
            # torch's 2-d nearest kernel takes these shortcuts whatever the scale factor (1-d and 3-d do not)
            src = dst if n_out == n_in else dst >> 1
        elif mode == "nearest":
            src = np.floor(dst.astype(np.float32) * s).astype(np.int64)
        else:
            src = np.floor(((dst + 0.5) * np.float64(s)).astype(np.float32)).astype(np.int64)
        return np.minimum(src, n_in - 1)[:, None], None
    cubic = mode == "bicubic"
    if align_corners:
        s = dt(n_in - 1) / dt(n_out - 1) if n_out > 1 else dt(0)
        real = s * dst.astype(dt)
    else:
        s = dt(1.0 / scale) if scale is not None and scale > 0 else dt(n_in) / dt(n_out)
        real = s * (dst.astype(dt) + dt(0.5)) - dt(0.5)
        if not cubic:
            real = np.maximum(real, dt(0))
    if cubic:
        i0 = np.floor(real).astype(np.int64)
        t = np.clip(real - i0.astype(dt), dt(0), dt(1))
        idx = np.clip(i0[:, None] + np.arange(-1, 3), 0, n_in - 1)
        return idx, _cubic_weights(t, dt)
    i0 = np.minimum(np.floor(real).astype(np.int64), n_in - 1)
    lam = np.clip(real - i0.astype(dt), dt(0), dt(1))
    i1 = i0 + (i0 < n_in - 1)
    return np.stack([i0, i1], axis=1), np.stack([dt(1) - lam, lam], axis=1)


def _interpolate(x, *, mode, out, scales, align_corners):
    nd = len(out)
    dt = _opmath(x.dtype)
    y = x if x.dtype in (jnp.float32, jnp.float64) or mode.startswith("nearest") else x.astype(jnp.float32)
    for i in reversed(range(nd)):  # torch interpolates the last dim first
        axis = y.ndim - nd + i
        idx, w = _taps(mode, x.shape[axis], out[i], scales[i], align_corners, dt, nd)
        if w is None:
            # torch's nearest backward always takes the 2-d kernel's shortcuts; its 1-d/3-d forward does not
            back, _ = _taps(mode, x.shape[axis], out[i], scales[i], align_corners, dt, 2)
            fwd, y = jnp.take(y, idx[:, 0], axis=axis), jnp.take(y, back[:, 0], axis=axis)
            if not np.array_equal(idx, back):
                y = y + lax.stop_gradient(fwd - y)
            continue
        shape = (-1,) + (1,) * (nd - 1 - i)
        terms = [
            jnp.take(y, idx[:, t], axis=axis) * w[:, t].astype(y.dtype).reshape(shape) for t in range(idx.shape[1])
        ]
        y = terms[0]
        for term in terms[1:]:
            y = y + term
    return y.astype(x.dtype)


def _sizes(input, size, scale_factor, recompute_scale_factor, mode):
    nd = input.ndim - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    f"dimensions of {spatial} and output size of {size}. Please provide input tensor in (N, C, d1, "
                    "d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
                )
            return tuple(int(s) for s in size), (None,) * nd
        return (int(size),) * nd, (None,) * nd
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != nd:
            raise ValueError(
                "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial "
                f"dimensions of {spatial} and scale_factor of shape {scale_factor}. Please provide input tensor in "
                "(N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
            )
        factors = tuple(float(s) for s in scale_factor)
    else:
        factors = (float(scale_factor),) * nd
    out = tuple(int(math.floor(n * s)) for n, s in zip(spatial, factors))
    if recompute_scale_factor or mode == "area":
        return out, (None,) * nd
    return out, factors


def interpolate(
    input: Tensor,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias: bool = False,
) -> Tensor:
    """Mirrors torch.nn.functional.interpolate (antialias=True is not supported)."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | "
                "trilinear"
            )
    elif mode in _LINEAR:
        align_corners = bool(align_corners)
    else:
        raise NotImplementedError(
            "Input Error: Only 3D, 4D and 5D input Tensors supported (got {}D) for the modes: nearest | linear | "
            f"bilinear | bicubic | trilinear | area | nearest-exact (got {mode})".format(input.ndim)
        )
    if antialias:
        raise NotImplementedError("torchlike: interpolate(antialias=True) is not implemented")
    if input.ndim not in (3, 4, 5):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the modes: nearest | "
            f"linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})"
        )
    out, scales = _sizes(input, size, scale_factor, recompute_scale_factor, mode)
    nd = input.ndim - 2
    if mode in _LINEAR and _LINEAR[mode] != nd:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {_LINEAR[mode] + 2}D input")
    if any(o <= 0 for o in out) or any(n <= 0 for n in input.shape[2:]):
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input {tuple(input.shape[2:])} output {out}"
        )
    if mode == "area":
        from . import nn_pool

        return nn_pool.adaptive_avg_pool_nd(input, out, nd)
    if not mode.startswith("nearest") and not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"upsample_{mode}\" not implemented for '{input.dtype}'")
    static = (("mode", mode), ("out", out), ("scales", scales), ("align_corners", bool(align_corners)))
    name = {"nearest": "UpsampleNearest", "nearest-exact": "UpsampleNearestExact", "bicubic": "UpsampleBicubic"}
    name = name.get(mode, {1: "UpsampleLinear", 2: "UpsampleBilinear", 3: "UpsampleTrilinear"}[nd])
    return dispatch(_interpolate, (input,), static, f"{name}{nd}DBackward0")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Mirrors torch.nn.functional.upsample (deprecated in favour of interpolate)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Mirrors torch.nn.functional.upsample_nearest."""
    warnings.warn(
        "`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Mirrors torch.nn.functional.upsample_bilinear (align_corners=True)."""
    warnings.warn(
        "`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---------------------------------------------------------------- grid_sample, affine_grid


def _reflect(c, twice_low, twice_high):
    if twice_low == twice_high:
        return jnp.zeros_like(c)
    lo, span = twice_low / 2, (twice_high - twice_low) / 2
    c = jnp.abs(c - lo)
    extra = jnp.fmod(c, span)
    flips = jnp.floor(c / span)
    return jnp.where(jnp.fmod(flips, 2) == 0, extra + lo, span + lo - extra)


def _source_coords(c, size, padding_mode, align_corners):
    c = ((c + 1) / 2) * (size - 1) if align_corners else ((c + 1) * size - 1) / 2
    if padding_mode == "border":
        return jnp.clip(c, 0, size - 1)
    if padding_mode == "reflection":
        c = _reflect(c, 0, 2 * (size - 1)) if align_corners else _reflect(c, -1, 2 * size - 1)
        return jnp.clip(c, 0, size - 1)
    return c


def _gather(x, coords, weight):
    """sum over taps of x at integer ``coords`` times ``weight``, 0 outside the input.

    ``coords``: one (T, N, *O) array per spatial dim; ``weight``: (T, N, *O). One gather for all taps.
    """
    n, c, *sizes = x.shape
    taps, out = coords[0].shape[0], coords[0].shape[2:]
    inside = jnp.ones(coords[0].shape, bool)
    flat = jnp.zeros(coords[0].shape, jnp.int64)
    for ci, s in zip(coords, sizes):
        inside = inside & (ci >= 0) & (ci <= s - 1)
        flat = flat * s + jnp.clip(ci, 0, s - 1).astype(jnp.int64)
    flat = jnp.moveaxis(flat, 0, 1).reshape((n, 1, -1))
    vals = jnp.take_along_axis(x.reshape((n, c, -1)), flat, axis=2).reshape((n, c, taps, -1))
    w = jnp.moveaxis(jnp.where(inside, weight, 0), 0, 1).reshape((n, 1, taps, -1))
    return (vals * w).sum(axis=2).reshape((n, c) + out)


def _grid_sample(x, grid, *, mode, padding_mode, align_corners):
    sizes = x.shape[2:]
    nd = len(sizes)
    grid = grid.astype(x.dtype)
    # grid's last axis is (x, y[, z]): the reverse of the spatial dims
    raw = [grid[..., nd - 1 - i] for i in range(nd)]
    if mode == "bicubic":
        return _grid_bicubic(x, raw, padding_mode, align_corners)
    src = [_source_coords(r, s, padding_mode, align_corners) for r, s in zip(raw, sizes)]
    if mode == "nearest":
        return _gather(x, [jnp.round(s)[None] for s in src], jnp.ones_like(src[0])[None])
    lo = [jnp.floor(s) for s in src]
    bits = np.array(list(np.ndindex(*(2,) * nd))).reshape((-1, nd) + (1,) * src[0].ndim)
    coords = [f[None] + bits[:, d] for d, f in enumerate(lo)]
    w = 1
    for d, (s, f) in enumerate(zip(src, lo)):
        w = w * jnp.where(bits[:, d] == 1, (s - f)[None], (f + 1 - s)[None])
    return _gather(x, coords, w)


def _grid_bicubic(x, raw, padding_mode, align_corners):
    sizes = x.shape[2:]
    src = [((r + 1) / 2) * (s - 1) if align_corners else ((r + 1) * s - 1) / 2 for r, s in zip(raw, sizes)]
    lo = [jnp.floor(s) for s in src]
    ws = [jnp.stack(_cubic_weights_jnp(s - f)) for s, f in zip(src, lo)]
    offs = np.arange(-1, 3).reshape((4,) + (1,) * src[0].ndim)
    cy, cx = [_pad_coord(f[None] + offs, s, padding_mode, align_corners) for f, s in zip(lo, sizes)]
    grid16 = (4, 4) + src[0].shape
    coords = [jnp.broadcast_to(cy[:, None], grid16), jnp.broadcast_to(cx[None], grid16)]
    w = ws[0][:, None] * ws[1][None]
    return _gather(x, [c.reshape((16,) + src[0].shape) for c in coords], w.reshape((16,) + src[0].shape))


def _pad_coord(c, size, padding_mode, align_corners):
    if padding_mode == "border":
        return jnp.clip(c, 0, size - 1)
    if padding_mode == "reflection":
        c = _reflect(c, 0, 2 * (size - 1)) if align_corners else _reflect(c, -1, 2 * size - 1)
        return jnp.clip(c, 0, size - 1)
    return c


def _cubic_weights_jnp(t):
    def near(x):
        return ((_A + 2) * x - (_A + 3)) * x * x + 1

    def far(x):
        return ((_A * x - 5 * _A) * x + 8 * _A) * x - 4 * _A

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def grid_sample(input: Tensor, grid: Tensor, mode="bilinear", padding_mode="zeros", align_corners=None) -> Tensor:
    """Mirrors torch.nn.functional.grid_sample."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '{mode}'"
        )
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: "
            f"'{padding_mode}'"
        )
    if align_corners is None:
        warnings.warn(
            "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please "
            "specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for "
            "details.",
            stacklevel=2,
        )
        align_corners = False
    nd = input.ndim - 2
    if input.ndim not in (4, 5) or grid.ndim != input.ndim:
        raise RuntimeError(
            f"grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with "
            f"sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if grid.shape[0] != input.shape[0] or grid.shape[-1] != nd:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {nd} in last dimension and the same batch size as input, "
            f"but got grid with sizes {list(grid.shape)} and input with sizes {list(input.shape)}"
        )
    if input.dtype != grid.dtype:
        raise RuntimeError(
            f"grid_sampler(): expected input and grid to have same dtype, but input has {input.dtype} and grid has "
            f"{grid.dtype}"
        )
    if mode == "bicubic" and nd != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    static = (("mode", mode), ("padding_mode", padding_mode), ("align_corners", bool(align_corners)))
    return dispatch(_grid_sample, (input, grid), static, f"GridSampler{nd}DBackward0")


def _base_coords(n, align_corners):
    if n <= 1:
        return np.zeros(max(n, 0))
    c = np.linspace(-1.0, 1.0, n)
    return c if align_corners else c * (n - 1) / n


def _affine_grid(theta, *, size, align_corners):
    sizes = size[2:]
    nd = len(sizes)
    axes = [_base_coords(s, align_corners) for s in sizes]
    mesh = np.meshgrid(*axes, indexing="ij")
    # base points are (x, y[, z], 1): the reverse of the spatial dims, then a constant
    base = np.stack([mesh[nd - 1 - i] for i in range(nd)] + [np.ones(sizes)], axis=-1).reshape((-1, nd + 1))
    base = jnp.asarray(base, theta.dtype)
    grid = jnp.einsum("pk,nik->npi", base, theta, precision="highest")
    return grid.reshape((size[0], *sizes, nd))


def affine_grid(theta: Tensor, size, align_corners=None) -> Tensor:
    """Mirrors torch.nn.functional.affine_grid."""
    if align_corners is None:
        warnings.warn(
            "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please "
            "specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for "
            "details.",
            stacklevel=2,
        )
        align_corners = False
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(int(s) for s in size)
    if len(size) == 4:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(
                f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {_size_repr(size)}. Got "
                f"{_size_repr(theta.shape)}."
            )
    elif len(size) == 5:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(
                f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {_size_repr(size)}. Got "
                f"{_size_repr(theta.shape)}."
            )
    else:
        raise NotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size "
            f"{_size_repr(size)}."
        )
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {_size_repr(size)}")
    static = (("size", size), ("align_corners", bool(align_corners)))
    return dispatch(_affine_grid, (theta,), static, "AffineGridGeneratorBackward0")


def _size_repr(s) -> str:
    return f"torch.Size([{', '.join(map(str, s))}])"
