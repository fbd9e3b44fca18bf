"""Pooling (mirrors torch.nn.functional's max/avg/adaptive/lp pools and max_unpool).

Every pool is one N-d program over the trailing spatial dims (leading dims are
batch and channels, so unbatched inputs need nothing special) and one dispatch.
Max pooling without indices is ``lax.reduce_window``, whose gradient goes to the
first maximum of each window, as torch's; with indices, the windows are stacked
as strided slices and ``argmax`` picks the first maximum, whose input position
is torch's flat per-plane index. Window geometry (torch's ceil_mode rule, the
average divisors) is computed at trace time with numpy.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._dispatch import dispatch
from .nn_conv import windows

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "max_pool3d_with_indices",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
]

_HI = lax.Precision.HIGHEST
_WORDS = {1: "single int", 2: "tuple of two ints", 3: "tuple of three ints"}


# ---------------------------------------------------------------- geometry


def _arg(value, nd, fname, what, default=None):
    if value is None or (isinstance(value, (tuple, list)) and len(value) == 0 and default is not None):
        return default
    if isinstance(value, (int, np.integer)):
        return (int(value),) * nd
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * nd
    if len(value) != nd:
        raise RuntimeError(f"{fname}: {what} must either be a single int, or a {_WORDS[nd]}")
    return value


def _out_size(n, k, s, p, d, ceil_mode):
    eff = d * (k - 1) + 1
    out = (n + 2 * p - eff + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1  # torch: the last window must start inside the input or the left padding
    return out


def _geometry(input, kernel_size, stride, padding, dilation, ceil_mode, nd, fname):
    """Checked (kernel, stride, padding, dilation, out, pads) for a pool over the last ``nd`` dims."""
    if input.ndim not in (nd + 1, nd + 2) or any(n == 0 for n in input.shape[1:]):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    kernel = _arg(kernel_size, nd, fname, "kernel_size")
    stride = _arg(stride, nd, fname, "stride", kernel)
    padding = _arg(padding, nd, fname, "padding")
    dilation = _arg(dilation, nd, fname, "dilation")
    if any(s == 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"kernel_size should be greater than zero, but got {list(kernel)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} and "
                f"dilation={d}"
            )
    spatial = input.shape[-nd:]
    out = tuple(_out_size(*a, ceil_mode) for a in zip(spatial, kernel, stride, padding, dilation))
    if any(o <= 0 for o in out):
        c = (input.shape[-nd - 1],)
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, c + spatial))}). Calculated output size: "
            f"({'x'.join(map(str, c + out))}). Output size is too small"
        )
    pads = tuple(
        (p, max((o - 1) * s + d * (k - 1) + 1 - n - p, 0))
        for n, k, s, p, d, o in zip(spatial, kernel, stride, padding, dilation, out)
    )
    return kernel, stride, padding, dilation, out, pads


def _lowest(dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min


# ---------------------------------------------------------------- max pooling


def _max_pool(x, *, kernel, stride, dilation, pads, out):
    lead = x.ndim - len(kernel)
    y = lax.reduce_window(
        x,
        np.asarray(_lowest(x.dtype), x.dtype),
        lax.max,
        (1,) * lead + kernel,
        (1,) * lead + stride,
        ((0, 0),) * lead + pads,
        window_dilation=(1,) * lead + dilation,
    )
    return y[(Ellipsis,) + tuple(slice(0, o) for o in out)]


def _positions(spatial, kernel, stride, dilation, padding, out):
    """(K, *out) flat input index read by each kernel offset at each output position."""
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    table = []
    for offs in np.ndindex(*kernel):
        flat = 0
        for g, o, s, d, p, n in zip(grids, offs, stride, dilation, padding, spatial):
            flat = flat * n + (g * s - p + o * d)
        table.append(flat)
    return np.stack(table).astype(np.int64)


def _select(win, table, lead):
    """Values and flat indices of the first maximum along axis ``lead`` of ``win``."""
    arg = jnp.expand_dims(jnp.argmax(win, axis=lead), lead)
    values = jnp.take_along_axis(win, arg, axis=lead).squeeze(lead)
    idx = jnp.take_along_axis(jnp.broadcast_to(table, win.shape), arg, axis=lead).squeeze(lead)
    return values, idx


def _max_pool_indices(x, *, kernel, stride, dilation, padding, pads, out):
    nd = len(kernel)
    lead = x.ndim - nd
    xp = lax.pad(x, jnp.asarray(_lowest(x.dtype), x.dtype), [(0, 0, 0)] * lead + [(lo, hi, 0) for lo, hi in pads])
    win = windows(xp, kernel, stride, dilation, out)
    table = _positions(x.shape[lead:], kernel, stride, dilation, padding, out)
    return _select(win, table, lead)


def _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    fname = f"max_pool{nd}d"
    kernel, stride, padding, dilation, out, pads = _geometry(
        input, kernel_size, stride, padding, dilation, ceil_mode, nd, fname
    )
    name = f"MaxPool{nd}DWithIndicesBackward0"
    if return_indices or any(d != 1 for d in dilation):  # jax has no VJP for a dilated reduce_window max
        static = (("kernel", kernel), ("stride", stride), ("dilation", dilation), ("padding", padding))
        static += (("pads", pads), ("out", out))
        out = dispatch(_max_pool_indices, (input,), static, name)
        return out if return_indices else out[0]
    static = (("kernel", kernel), ("stride", stride), ("dilation", dilation), ("pads", pads), ("out", out))
    return dispatch(_max_pool, (input,), static, name)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Mirrors torch.nn.functional.max_pool1d."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Mirrors torch.nn.functional.max_pool2d."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Mirrors torch.nn.functional.max_pool3d."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


def max_pool1d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Mirrors torch.nn.functional.max_pool1d_with_indices."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 1)


def max_pool2d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Mirrors torch.nn.functional.max_pool2d_with_indices."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 2)


def max_pool3d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """Mirrors torch.nn.functional.max_pool3d_with_indices."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 3)


# ---------------------------------------------------------------- average pooling


def _divisor(spatial, kernel, stride, padding, out, count_include_pad):
    """(*out) number of elements torch divides each window's sum by."""
    counts = []
    for n, k, s, p, o in zip(spatial, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if count_include_pad:
            counts.append(end - start)
        else:
            counts.append(np.minimum(end, n) - np.maximum(start, 0))
    div = counts[0]
    for c in counts[1:]:
        div = np.multiply.outer(div, c)
    return div


def _window_sum(x, kernel, stride, pads, out):
    lead = x.ndim - len(kernel)
    window, strides = (1,) * lead + kernel, (1,) * lead + stride
    y = lax.reduce_window(x, np.zeros((), x.dtype), lax.add, window, strides, ((0, 0),) * lead + pads)
    return y[(Ellipsis,) + tuple(slice(0, o) for o in out)]


def _avg_pool(x, *, kernel, stride, padding, pads, out, count_include_pad, divisor_override):
    total = _window_sum(x, kernel, stride, pads, out)
    if divisor_override:
        div = np.full(out, divisor_override)
    else:
        div = _divisor(x.shape[x.ndim - len(kernel) :], kernel, stride, padding, out, count_include_pad)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return lax.div(total, jnp.asarray(div, x.dtype))
    return total / jnp.asarray(div, x.dtype)


def _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd):
    kernel, stride, padding, _, out, pads = _geometry(
        input, kernel_size, stride, padding, 1, ceil_mode, nd, f"avg_pool{nd}d"
    )
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    static = (("kernel", kernel), ("stride", stride), ("padding", padding), ("pads", pads), ("out", out))
    static += (("count_include_pad", bool(count_include_pad)), ("divisor_override", divisor_override or 0))
    return dispatch(_avg_pool, (input,), static, f"AvgPool{nd}DBackward0")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mirrors torch.nn.functional.avg_pool1d."""
    return _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Mirrors torch.nn.functional.avg_pool2d."""
    return _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2)


def avg_pool3d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
):
    """Mirrors torch.nn.functional.avg_pool3d."""
    return _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3)


# ---------------------------------------------------------------- adaptive pooling


def _bounds(n, o):
    i = np.arange(o)
    return (i * n) // o, ((i + 1) * n + o - 1) // o


def _adaptive_avg(x, *, out):
    nd = len(out)
    for i, o in enumerate(out):
        axis = x.ndim - nd + i
        n = x.shape[axis]
        if n % o == 0:
            x = x.reshape(x.shape[:axis] + (o, n // o) + x.shape[axis + 1 :]).mean(axis=axis + 1)
            continue
        start, end = _bounds(n, o)
        j = np.arange(n)
        m = ((j >= start[:, None]) & (j < end[:, None])) / (end - start)[:, None]
        y = jnp.matmul(jnp.moveaxis(x, axis, -1), jnp.asarray(m.T, x.dtype), precision=_HI)
        x = jnp.moveaxis(y, -1, axis)
    return x


def _adaptive_max(x, *, out):
    nd = len(out)
    lead = x.ndim - nd
    spatial = x.shape[lead:]
    valid, flat = np.ones((), bool), np.zeros((), np.int64)
    for i, (n, o) in enumerate(zip(spatial, out)):
        start, end = _bounds(n, o)
        kmax = int((end - start).max())
        idx = start[:, None] + np.arange(kmax)
        ok = idx < end[:, None]
        idx = np.minimum(idx, n - 1)
        x = jnp.take(x, idx.reshape(-1), axis=lead + 2 * i).reshape(
            x.shape[: lead + 2 * i] + idx.shape + x.shape[lead + 2 * i + 1 :]
        )
        valid = np.multiply.outer(valid, ok)
        flat = np.add.outer(flat * n, idx)
    # (..., o1, k1, o2, k2, ...) -> (..., k1*k2*..., o1, o2, ...)
    sperm = tuple(2 * i + 1 for i in range(nd)) + tuple(2 * i for i in range(nd))
    win = x.transpose(tuple(range(lead)) + tuple(lead + p for p in sperm))
    win = win.reshape(x.shape[:lead] + (-1,) + tuple(out))
    valid = valid.transpose(sperm).reshape((-1,) + tuple(out))
    flat = flat.transpose(sperm).reshape((-1,) + tuple(out))
    win = jnp.where(valid, win, _lowest(x.dtype))
    return _select(win, flat, lead)


def _adaptive_args(input, output_size, nd, fname):
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fname}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {list(input.shape)}")
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * nd
    output_size = tuple(output_size)
    if len(output_size) != nd:
        raise RuntimeError(f"{fname}: output_size must be {nd}")
    spatial = input.shape[-nd:]
    return tuple(int(n) if o is None else int(o) for n, o in zip(spatial, output_size))


def adaptive_avg_pool_nd(input, output_size, nd):
    """The N-d adaptive average pool behind adaptive_avg_pool1d/2d/3d and interpolate(mode='area')."""
    out = _adaptive_args(input, output_size, nd, f"adaptive_avg_pool{nd}d")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"adaptive_avg_pool{nd}d\" not implemented for '{input.dtype}'")
    return dispatch(_adaptive_avg, (input,), (("out", out),), f"AdaptiveAvgPool{nd}DBackward0")


def adaptive_avg_pool1d(input, output_size):
    """Mirrors torch.nn.functional.adaptive_avg_pool1d."""
    return adaptive_avg_pool_nd(input, output_size, 1)


def adaptive_avg_pool2d(input, output_size):
    """Mirrors torch.nn.functional.adaptive_avg_pool2d."""
    return adaptive_avg_pool_nd(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    """Mirrors torch.nn.functional.adaptive_avg_pool3d."""
    return adaptive_avg_pool_nd(input, output_size, 3)


def _adaptive_max_nd(input, output_size, return_indices, nd):
    out = _adaptive_args(input, output_size, nd, f"adaptive_max_pool{nd}d")
    values, indices = dispatch(_adaptive_max, (input,), (("out", out),), f"AdaptiveMaxPool{nd}DBackward0")
    return (values, indices) if return_indices else values


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool1d."""
    return _adaptive_max_nd(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool2d."""
    return _adaptive_max_nd(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool3d."""
    return _adaptive_max_nd(input, output_size, return_indices, 3)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool1d_with_indices."""
    return _adaptive_max_nd(input, output_size, True, 1)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool2d_with_indices."""
    return _adaptive_max_nd(input, output_size, True, 2)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """Mirrors torch.nn.functional.adaptive_max_pool3d_with_indices."""
    return _adaptive_max_nd(input, output_size, True, 3)


# ---------------------------------------------------------------- power-average pooling and unpooling


def _lp_pool(x, *, norm_type, kernel, stride, pads, out):
    p = float(norm_type)
    xp = lax.integer_pow(x, int(p)) if p.is_integer() else jnp.power(x, p)
    avg = _avg_pool(
        xp,
        kernel=kernel,
        stride=stride,
        padding=(0,) * len(kernel),
        pads=pads,
        out=out,
        count_include_pad=True,
        divisor_override=0,
    )
    y = jnp.sign(avg) * jnp.maximum(jnp.abs(avg), 0) * math.prod(kernel)
    return jnp.power(y, 1.0 / p)


def _lp_pool_nd(input, norm_type, kernel_size, stride, ceil_mode, nd):
    kernel, stride, _, _, out, pads = _geometry(input, kernel_size, stride, 0, 1, ceil_mode, nd, f"lp_pool{nd}d")
    static = (("norm_type", float(norm_type)), ("kernel", kernel), ("stride", stride), ("pads", pads), ("out", out))
    return dispatch(_lp_pool, (input,), static, "PowBackward0")


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors torch.nn.functional.lp_pool1d."""
    return _lp_pool_nd(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors torch.nn.functional.lp_pool2d."""
    return _lp_pool_nd(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors torch.nn.functional.lp_pool3d."""
    return _lp_pool_nd(input, norm_type, kernel_size, stride, ceil_mode, 3)


def _max_unpool(x, idx, *, out):
    nd = len(out)
    lead = x.shape[: x.ndim - nd]
    xf = x.reshape((-1, math.prod(x.shape[x.ndim - nd :])))
    rows, idx = jnp.arange(xf.shape[0])[:, None], idx.reshape(xf.shape)
    zeros = jnp.zeros((xf.shape[0], math.prod(out)), x.dtype)
    y = zeros.at[rows, idx].set(lax.stop_gradient(xf), mode="drop")
    # torch's backward gathers the output gradient for every input, even where indices repeat: a zero-valued
    # scatter-add whose transpose is exactly that gather
    added = zeros.at[rows, idx].add(xf, mode="drop")
    y = y + (added - lax.stop_gradient(added))
    return y.reshape(lead + tuple(out))


def _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, nd):
    fname = f"max_unpool{nd}d"
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fname}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {list(input.shape)}")
    kernel = _arg(kernel_size, nd, fname, "kernel_size")
    stride = _arg(stride, nd, fname, "stride", kernel)
    padding = _arg(padding, nd, fname, "padding")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor ({list(input.shape)}) but got indices "
            f"tensor with shape: {list(indices.shape)}"
        )
    spatial = input.shape[-nd:]
    default = tuple((n - 1) * s + k - 2 * p for n, s, k, p in zip(spatial, stride, kernel, padding))
    if output_size is None:
        out = default
    else:
        out = tuple(int(o) for o in output_size)
        if len(out) == nd + 2:
            out = out[2:]
        if len(out) != nd:
            raise ValueError(
                f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a length of '{len(out)}'"
            )
        for o, d, s in zip(out, default, stride):
            if not d - s < o < d + s:
                raise ValueError(
                    f'invalid output_size "{list(out)}" (dim {out.index(o)} must be between {d - s} and {d + s})'
                )
    return dispatch(_max_unpool, (input, indices), (("out", out),), f"MaxUnpool{nd}DBackward0")


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors torch.nn.functional.max_unpool1d (out-of-range indices are dropped, not reported)."""
    return _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors torch.nn.functional.max_unpool2d (out-of-range indices are dropped, not reported)."""
    return _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors torch.nn.functional.max_unpool3d (out-of-range indices are dropped, not reported)."""
    return _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, 3)
