"""F.pad in every mode, pixel_shuffle / pixel_unshuffle and channel_shuffle (mirrors torch.nn.functional).

Reflect, replicate and circular padding are one gather per padded dim with
indices computed at trace time (numpy), so the gradient is the matching
scatter-add, as torch's; constant padding is ``lax.pad``, which also crops for
negative amounts.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._dispatch import dispatch
from .._tensor import Tensor

__all__ = ["pad", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _source_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Which input position each output position of a padded dim reads."""
    if mode == "circular":
        # torch crops negative amounts first, then wraps around the cropped extent
        start, stop = max(-lo, 0), n - max(-hi, 0)
        m = stop - start
        return start + np.arange(-max(lo, 0), m + max(hi, 0)) % m
    j = np.arange(-lo, n + hi)
    if mode == "replicate":
        return np.clip(j, 0, n - 1)
    period = 2 * (n - 1)
    if period == 0:
        return np.zeros_like(j)
    j = np.abs(j) % period
    return np.where(j >= n, period - j, j)


def _mode_pad(x, *, pad, mode):
    """Pad the trailing ``len(pad)`` dims of ``x`` by ``pad`` ((lo, hi) per dim) in a non-constant mode."""
    first = x.ndim - len(pad)
    for i, (lo, hi) in enumerate(pad):
        if lo or hi:
            x = jnp.take(x, _source_index(x.shape[first + i], lo, hi, mode), axis=first + i)
    return x


def _constant_pad(x, value, *, pad):
    first = x.ndim - len(pad)
    config = [(0, 0, 0)] * first + [(lo, hi, 0) for lo, hi in pad]
    return lax.pad(x, jnp.asarray(value).astype(x.dtype), config)


def _pairs(pad) -> tuple:
    """torch's flat (last_lo, last_hi, prev_lo, prev_hi, ...) as ((lo, hi) for each dim, first to last)."""
    pad = tuple(int(p) for p in pad)
    return tuple((pad[i], pad[i + 1]) for i in range(len(pad) - 2, -1, -2))


def pad(input: Tensor, pad, mode: str = "constant", value=None) -> Tensor:
    """Mirrors torch.nn.functional.pad."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            f"Padding length should be less than or equal to two times the input dimension but got padding length "
            f"{len(pad)} and input of dimension {input.ndim}"
        )
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    pairs = _pairs(pad)
    first = input.ndim - len(pairs)
    if mode == "constant":
        for i, (lo, hi) in enumerate(pairs):
            if input.shape[first + i] + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        value = 0 if value is None else value
        return dispatch(_constant_pad, (input, value), (("pad", pairs),), "ConstantPadNdBackward0")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pairs)
    if nd not in (1, 2, 3) or input.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    _check_mode_pad(input, pairs, first, mode)
    names = {"reflect": "ReflectionPad", "replicate": "ReplicationPad", "circular": "CircularPad"}
    return dispatch(_mode_pad, (input,), (("pad", pairs), ("mode", mode)), f"{names[mode]}{nd}DBackward0")


def _check_mode_pad(input, pairs, first, mode):
    for i, (lo, hi) in enumerate(pairs):
        n = input.shape[first + i]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input dimension, but got: padding "
                f"({lo}, {hi}) at dimension {first + i} of input {list(input.shape)}"
            )
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and n == 0:
            raise RuntimeError(
                f"input tensor must have non-zero size in the padded dimensions, got {list(input.shape)}"
            )
        if n + lo + hi <= 0:
            raise RuntimeError(
                f"input (size {n}) padded by {lo} and {hi} gives an output size {n + lo + hi}, which is too small"
            )


# ---------------------------------------------------------------- pixel and channel shuffles


def _pixel_shuffle(x, *, r):
    *lead, c, h, w = x.shape
    x = x.reshape((*lead, c // (r * r), r, r, h, w))
    n = len(lead)
    x = x.transpose(tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2))
    return x.reshape((*lead, c // (r * r), h * r, w * r))


def _pixel_unshuffle(x, *, r):
    *lead, c, h, w = x.shape
    x = x.reshape((*lead, c, h // r, r, w // r, r))
    n = len(lead)
    x = x.transpose(tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3))
    return x.reshape((*lead, c * r * r, h // r, w // r))


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Mirrors torch.nn.functional.pixel_shuffle."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with {input.ndim} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError(
            f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
            f"but input.size(-3)={c} is not divisible by {r * r}"
        )
    return dispatch(_pixel_shuffle, (input,), (("r", r),), "PixelShuffleBackward0")


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Mirrors torch.nn.functional.pixel_unshuffle."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with {input.ndim} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = input.shape[-2:]
    if h % r or w % r:
        which, size = ("height", h) if h % r else ("width", w)
        raise RuntimeError(
            f"pixel_unshuffle expects {which} to be divisible by downscale_factor, but input.size({-2 if h % r else -1})"
            f"={size} is not divisible by {r}"
        )
    return dispatch(_pixel_unshuffle, (input,), (("r", r),), "PixelUnshuffleBackward0")


def _channel_shuffle(x, *, groups):
    n, c, *rest = x.shape
    return x.reshape((n, groups, c // groups, *rest)).swapaxes(1, 2).reshape(x.shape)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Mirrors torch.nn.functional.channel_shuffle."""
    groups = int(groups)
    if input.ndim <= 2:
        raise RuntimeError(
            f"channel_shuffle expects input to have at least 3 dimensions, but got input with {input.ndim} dimension(s)"
        )
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if input.shape[1] % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {input.shape[1]} channels and {groups} groups."
        )
    return dispatch(_channel_shuffle, (input,), (("groups", groups),), "ChannelShuffleBackward0")


native_channel_shuffle = channel_shuffle
