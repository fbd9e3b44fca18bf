"""Tensor-image transforms written once for NumPy and jax.numpy (mirrors torchvision's _functional_tensor).

Every function takes a (..., C, H, W) array and ``xp`` (``numpy`` or ``jax.numpy``): DataLoader workers
run them on NumPy arrays without importing JAX, and ``functional`` runs them on torchlike Tensors
through ``dispatch`` (jitted, differentiable, traceable). Numbers that change from call to call
(factors, affine matrices) are positional array arguments, so a random transform does not recompile.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

_INT_MAX = {"uint8": 255, "int8": 127, "int16": 32767, "uint16": 65535, "int32": 2147483647, "int64": 2**63 - 1}


def is_float(dtype) -> bool:
    return np.dtype(dtype).kind in "fc" or np.dtype(dtype).name == "bfloat16"


def max_value(dtype) -> int:
    """torchvision's _max_value: the largest value of an integer image dtype, 1 for floats."""
    return _INT_MAX.get(np.dtype(dtype).name, 1)


def _as_float(img, xp):
    return img if is_float(img.dtype) else img.astype(np.float32)


def _round_cast(img, dtype, xp):
    """torchvision's _cast_squeeze_out: round before casting a float result back to an integer dtype."""
    if np.dtype(img.dtype) == np.dtype(dtype):
        return img
    return (img if is_float(dtype) else xp.round(img)).astype(dtype)


def hflip(img, *, xp):
    return xp.flip(img, -1)


def vflip(img, *, xp):
    return xp.flip(img, -2)


def pad(img, *, xp, padding: tuple, fill, mode: str):
    """padding is (left, top, right, bottom); negative values crop first (torchvision's pad/_pad_symmetric)."""
    left, top, right, bottom = padding
    h, w = img.shape[-2:]
    img = img[..., max(-top, 0) : h - max(-bottom, 0), max(-left, 0) : w - max(-right, 0)]
    widths = [(0, 0)] * (img.ndim - 2) + [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    if mode == "constant":
        return xp.pad(img, widths, mode="constant", constant_values=np.asarray(fill).astype(img.dtype))
    return xp.pad(img, widths, mode=mode)


def rgb_to_grayscale(img, *, xp, num_output_channels: int = 1):
    if img.shape[-3] == 3:
        f = _as_float(img, xp)
        r, g, b = f[..., 0, :, :], f[..., 1, :, :], f[..., 2, :, :]
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).astype(img.dtype)[..., None, :, :]
    else:
        gray = img
    return xp.broadcast_to(gray, img.shape) if num_output_channels == 3 else gray


def _blend(img1, img2, ratio, xp):
    out = ratio * _as_float(img1, xp) + (1.0 - ratio) * _as_float(img2, xp)
    return xp.clip(out, 0, max_value(img1.dtype)).astype(img1.dtype)


def adjust_brightness(img, factor, *, xp):
    return _blend(img, xp.zeros_like(img), factor, xp)


def adjust_contrast(img, factor, *, xp):
    dtype = img.dtype if is_float(img.dtype) else np.float32
    gray = rgb_to_grayscale(img, xp=xp) if img.shape[-3] == 3 else img
    mean = xp.mean(gray.astype(dtype), axis=(-3, -2, -1), keepdims=True)
    return _blend(img, mean, factor, xp)


def adjust_saturation(img, factor, *, xp):
    if img.shape[-3] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img, xp=xp), factor, xp)


def _rgb2hsv(img, xp):
    r, g, b = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    maxc, minc = xp.max(img, axis=-3), xp.min(img, axis=-3)
    eqc = maxc == minc
    cr = maxc - minc
    ones = xp.ones_like(maxc)
    s = cr / xp.where(eqc, ones, maxc)
    cr_divisor = xp.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / cr_divisor, (maxc - g) / cr_divisor, (maxc - b) / cr_divisor
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = xp.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return h, s, maxc


def _hsv2rgb(h, s, v, xp):
    i = xp.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int32) % 6
    p = xp.clip(v * (1.0 - s), 0.0, 1.0)
    q = xp.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = xp.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    mask = [(i == k).astype(h.dtype) for k in range(6)]
    rows = ((v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q))
    return xp.stack([sum(m * c for m, c in zip(mask, row)) for row in rows], axis=-3)


def adjust_hue(img, factor, *, xp):
    if img.shape[-3] == 1:
        return img
    dtype = img.dtype
    h, s, v = _rgb2hsv(convert_image_dtype(img, xp=xp, dtype=np.float32), xp)
    out = _hsv2rgb(xp.mod(h + factor, 1.0).astype(np.float32), s, v, xp)
    return convert_image_dtype(out, xp=xp, dtype=dtype)


def adjust_gamma(img, gamma, gain, *, xp):
    dtype = img.dtype
    result = img if is_float(dtype) else convert_image_dtype(img, xp=xp, dtype=np.float32)
    result = xp.clip(gain * result**gamma, 0, 1).astype(result.dtype)
    return convert_image_dtype(result, xp=xp, dtype=dtype)


def convert_image_dtype(img, *, xp, dtype):
    """torchvision's convert_image_dtype: rescales between integer ranges and [0, 1] floats."""
    dtype = np.dtype(dtype)
    if np.dtype(img.dtype) == dtype:
        return img
    if is_float(img.dtype):
        if is_float(dtype):
            return img.astype(dtype)
        return (img * (max_value(dtype) + 1.0 - 1e-3)).astype(dtype)
    in_max = float(max_value(img.dtype))
    if is_float(dtype):
        return img.astype(dtype) / in_max
    out_max = float(max_value(dtype))
    if in_max > out_max:
        return (img // int((in_max + 1) // (out_max + 1))).astype(dtype)
    return img.astype(dtype) * int((out_max + 1) // (in_max + 1))


def normalize(img, *, xp, mean: tuple, std: tuple):
    mean = np.asarray(mean, dtype=img.dtype)
    std = np.asarray(std, dtype=img.dtype)
    if mean.ndim == 1:
        mean = mean.reshape(-1, 1, 1)
    if std.ndim == 1:
        std = std.reshape(-1, 1, 1)
    return (img - mean) / std


# ---------------------------------------------------------------- resize (torch's interpolate, as matrices)


def _aa_filter(mode: str):
    if mode == "bilinear":
        return lambda x: np.maximum(1.0 - np.abs(x), 0.0)

    def cubic(x, a=-0.5):
        x = np.abs(x)
        near = ((a + 2) * x - (a + 3)) * x * x + 1
        far = (((x - 5) * x + 8) * x - 4) * a
        return np.where(x < 1, near, np.where(x < 2, far, 0.0))

    return cubic


def _aa_weights(n_in: int, n_out: int, mode: str) -> np.ndarray:
    """torch's separable antialiased weights (UpSampleKernel's _compute_indices_min_size_weights_aa)."""
    scale = n_in / n_out
    support = (2.0 if mode == "bilinear" else 4.0) * 0.5 * max(scale, 1.0)
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), n_in)
        row = _aa_filter(mode)((np.arange(lo, hi) - center + 0.5) * invscale)
        total = row.sum()
        w[i, lo:hi] = row / total if total != 0 else row
    return w


def _plain_weights(n_in: int, n_out: int, mode: str) -> np.ndarray:
    """Bilinear / bicubic without antialiasing, align_corners=False (torch's upsample kernels)."""
    scale = n_in / n_out
    src = scale * (np.arange(n_out) + 0.5) - 0.5
    w = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if mode == "bilinear":
        src = np.maximum(src, 0.0)
        i0 = np.floor(src).astype(np.int64)
        lam = src - i0
        i1 = np.minimum(i0 + 1, n_in - 1)
        np.add.at(w, (rows, i0), 1.0 - lam)
        np.add.at(w, (rows, i1), lam)
        return w
    i0 = np.floor(src).astype(np.int64)
    t = src - i0
    a = -0.75
    coeffs = [
        ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
        ((a + 2) * t - (a + 3)) * t * t + 1,
        ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
        ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a,
    ]
    for k, c in enumerate(coeffs):
        np.add.at(w, (rows, np.clip(i0 - 1 + k, 0, n_in - 1)), c)
    return w


def _nearest_index(n_in: int, n_out: int, exact: bool) -> np.ndarray:
    scale = np.float32(n_in) / np.float32(n_out)
    pos = np.arange(n_out, dtype=np.float32) + (np.float32(0.5) if exact else np.float32(0.0))
    return np.minimum(np.floor(pos * scale).astype(np.int64), n_in - 1)


def resize_weights(n_in: int, n_out: int, mode: str, antialias: bool):
    """Per-axis (n_out, n_in) weights, or an index vector for the nearest modes."""
    if mode in ("nearest", "nearest-exact"):
        return _nearest_index(n_in, n_out, mode == "nearest-exact")
    if antialias and n_in != n_out:
        return _aa_weights(n_in, n_out, mode)
    return _plain_weights(n_in, n_out, mode)


def resize(img, *, xp, size: tuple, mode: str, antialias: bool):
    """torchvision's _functional_tensor.resize: float32 math for non-float images, rounded back."""
    (h, w), (oh, ow) = img.shape[-2:], size
    dtype = img.dtype
    x = img if np.dtype(dtype) in (np.float32, np.float64) else img.astype(np.float32)
    wh, ww = resize_weights(h, oh, mode, antialias), resize_weights(w, ow, mode, antialias)
    if mode in ("nearest", "nearest-exact"):
        x = xp.take(xp.take(x, wh, axis=-2), ww, axis=-1)
    else:
        x = xp.matmul(xp.matmul(wh.astype(x.dtype), x), ww.T.astype(x.dtype))
    if mode == "bicubic" and np.dtype(dtype) == np.uint8:
        x = xp.clip(x, 0, 255)
    return _round_cast(x, dtype, xp)


# ---------------------------------------------------------------- affine warps (torchvision's grid transforms)


def affine_output_size(matrix, w: int, h: int) -> tuple[int, int]:
    """torchvision's _compute_affine_output_size (float32, as torch computes it)."""
    pts = np.array(
        [[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]]
    )
    new = pts.astype(np.float32) @ np.asarray(matrix, np.float32).reshape(2, 3).T
    half = np.array([w * 0.5, h * 0.5], np.float32)
    lo, hi = new.min(axis=0) + half, new.max(axis=0) + half
    tol = np.float32(1e-4)
    size = np.ceil(np.trunc(hi / tol) * tol) - np.floor(np.trunc(lo / tol) * tol)
    return int(size[0]), int(size[1])


def _sample(img, ix, iy, mode, xp):
    """grid_sample(padding_mode="zeros", align_corners=False) at pixel coordinates ix, iy of shape (oh, ow)."""
    h, w = img.shape[-2:]

    def tap(yi, xi):
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        flat = xp.clip(yi, 0, h - 1) * w + xp.clip(xi, 0, w - 1)
        vals = xp.take(img.reshape(img.shape[:-2] + (h * w,)), flat.reshape(-1), axis=-1).reshape(
            img.shape[:-2] + flat.shape
        )
        return vals * inside.astype(img.dtype)

    if mode == "nearest":
        return tap(xp.round(iy).astype(np.int64), xp.round(ix).astype(np.int64))
    x0, y0 = xp.floor(ix), xp.floor(iy)
    tx, ty = ix - x0, iy - y0
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    return (
        tap(y0, x0) * ((1 - tx) * (1 - ty))
        + tap(y0, x0 + 1) * (tx * (1 - ty))
        + tap(y0 + 1, x0) * ((1 - tx) * ty)
        + tap(y0 + 1, x0 + 1) * (tx * ty)
    )


def affine_warp(img, matrix, *, xp, out_size: tuple, mode: str, fill):
    """torchvision's _gen_affine_grid + _apply_grid_transform: ``matrix`` is the inverse affine (2x3)."""
    dtype = img.dtype
    x = img if is_float(dtype) else img.astype(np.float32)
    (h, w), (oh, ow) = img.shape[-2:], out_size
    theta = xp.asarray(matrix).astype(x.dtype).reshape(2, 3)
    xs = np.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow)
    ys = np.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh)
    base = np.stack([np.broadcast_to(xs, (oh, ow)), np.broadcast_to(ys[:, None], (oh, ow)), np.ones((oh, ow))], -1)
    grid = xp.matmul(base.astype(x.dtype), (theta.T / np.array([0.5 * w, 0.5 * h], x.dtype)))
    ix = ((grid[..., 0] + 1) * w - 1) / 2
    iy = ((grid[..., 1] + 1) * h - 1) / 2
    if fill is not None:
        x = xp.concatenate([x, xp.ones_like(x[..., :1, :, :])], axis=-3)
    out = _sample(x, ix, iy, mode, xp)
    if fill is not None:
        out, mask = out[..., :-1, :, :], out[..., -1:, :, :]
        fill_img = np.asarray(fill, dtype=out.dtype).reshape(-1, 1, 1)
        if mode == "nearest":
            out = xp.where(mask < 0.5, fill_img, out)
        else:
            out = out * mask + (1.0 - mask) * fill_img
    return _round_cast(out, dtype, xp)
