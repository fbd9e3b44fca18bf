"""Convolutions (mirrors torch.nn.functional.conv*, conv_transpose*, unfold, fold).

One N-d program, ``_conv``, serves conv1d/2d/3d, the transposed convolutions and
the Conv modules' padding modes: it pads (for 'reflect', 'replicate', 'circular'),
runs ``lax.conv_general_dilated`` and adds the bias, so an eager conv is one
dispatched jitted call. A transposed convolution is the gradient of a
convolution: dilate the input by the stride (``lhs_dilation``) and convolve with
the spatially flipped kernel, its in/out axes swapped within each group.
Resampling and padding (F.pad, interpolate, grid_sample, pixel_shuffle) live in
``_nn_resample.py`` and are re-exported here.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._dispatch import dispatch
from .._tensor import Tensor
from . import _nn_resample
from ._nn_pad import _check_mode_pad
from ._nn_resample import *  # noqa: F403 - one family: spatial ops
from ._nn_resample import _mode_pad

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "unfold",
    "fold",
] + _nn_resample.__all__

_HI = lax.Precision.HIGHEST
_AXES = ("depth", "height", "width")


def ntuple(value, n: int, what: str) -> tuple:
    """``value`` (an int or a sequence of 1 or n ints) as an n-tuple, with torch's error otherwise."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise RuntimeError(
            f"expected {what} to be a single integer value or a list of {n} values to match the convolution "
            f"dimensions, but got {what}={list(value)}"
        )
    return value


def windows(xp, kernel, stride, dilation, out):
    """The (..., K, *out) stack of strided slices of ``xp`` (spatial dims last), one per kernel offset."""
    nd = len(kernel)
    lead = xp.ndim - nd
    slices = []
    for offs in np.ndindex(*kernel):
        start = (0,) * lead + tuple(o * d for o, d in zip(offs, dilation))
        limit = xp.shape[:lead] + tuple(o * d + (n - 1) * s + 1 for o, d, n, s in zip(offs, dilation, out, stride))
        slices.append(lax.slice(xp, start, limit, (1,) * lead + tuple(stride)))
    return jnp.stack(slices, axis=lead)


# ---------------------------------------------------------------- the convolution program


def _flip_transpose(w, groups):
    """A transposed conv's (in, out/g, *k) weight as the (out, in/g, *k) kernel of the equivalent conv."""
    cin, cout_g, *k = w.shape
    w = w.reshape((groups, cin // groups, cout_g, *k)).swapaxes(1, 2).reshape((groups * cout_g, cin // groups, *k))
    return jnp.flip(w, axis=tuple(range(2, w.ndim)))


def _conv(x, w, b, *, stride, pad, dilation, lhs_dilation, groups, transposed, mode, mode_pad, unbatched):
    if unbatched:
        x = x[None]
    if mode != "zeros":
        x = _mode_pad(x, pad=mode_pad, mode=mode)
    if transposed:
        w = _flip_transpose(w, groups)
    y = lax.conv_general_dilated(
        x,
        w.astype(x.dtype),
        stride,
        pad,
        lhs_dilation=lhs_dilation,
        rhs_dilation=dilation,
        feature_group_count=groups,
        precision=_HI,
    )
    if b is not None:
        y = y + b.astype(y.dtype).reshape((-1,) + (1,) * (y.ndim - 2))
    return y[0] if unbatched else y


def _check_inputs(input, weight, bias, nd, groups, transposed, fname):
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        bad = "input" if not isinstance(input, Tensor) else "weight"
        raise TypeError(f"{fname}(): argument '{bad}' must be Tensor, not {type(input).__name__}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fname}, but got input of size: "
            f"{list(input.shape)}"
        )
    if weight.ndim != nd + 2:
        # torch infers the conv's dims from the weight, then finds the stride has the wrong length
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {max(weight.ndim - 2, 0)} values to match the "
            f"convolution dimensions, but got stride={[1] * nd}"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(f"expected scalar type {_cname(input.dtype)} but found {_cname(weight.dtype)}")
    if bias is not None and bias.dtype != input.dtype:
        raise RuntimeError(
            f"Input type ({_short(input.dtype)}) and bias type ({_short(bias.dtype)}) should be the same"
        )
    if input.dtype.is_complex or input.dtype.name == "bool":
        raise NotImplementedError(f"\"slow_conv{nd}d_cpu\" not implemented for '{_cname(input.dtype)}'")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    wshape, shape = list(weight.shape), list(input.shape)
    if weight.shape[0] == 0:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least 1 at dimension 0, but got weight of size "
            f"{wshape} instead"
        )
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of "
            f"size [{wshape}] instead"
        )
    channels = input.shape[1 - (input.ndim == nd + 1)]
    want = weight.shape[0] if transposed else weight.shape[1] * groups
    if channels != want:
        head = (
            f"Given transposed=1, weight of size {wshape}"
            if transposed
            else f"Given groups={groups}, weight of size {wshape}"
        )
        raise RuntimeError(
            f"{head}, expected input{shape} to have {want} channels, but got {channels} channels instead"
        )
    cout = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        head = f"Given transposed=1, weight of size {wshape}" if transposed else f"Given weight of size {wshape}"
        raise RuntimeError(
            f"{head}, expected bias to be 1-dimensional with {cout} elements, but got bias of size "
            f"{list(bias.shape)} instead"
        )


def _cname(dt) -> str:
    names = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long"}
    names.update({"int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"})
    return names.get(dt.name, dt.name)


def _short(dt) -> str:
    return _cname(dt).lower()


def _check_geometry(stride, padding, dilation):
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")


def _same_padding(kernel, dilation):
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return tuple((t // 2, t - t // 2) for t in total)


def conv_nd(input, weight, bias, stride, padding, dilation, groups, nd, fname, mode="zeros"):
    """The N-d convolution behind conv1d/2d/3d and the Conv modules (``mode``: the padding_mode)."""
    _check_inputs(input, weight, bias, nd, groups, False, fname)
    stride, dilation = ntuple(stride, nd, "stride"), ntuple(dilation, nd, "dilation")
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            pairs = ((0, 0),) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            pairs = _same_padding(kernel, dilation)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        _check_geometry(stride, (0,), dilation)
    else:
        padding = ntuple(padding, nd, "padding")
        _check_geometry(stride, padding, dilation)
        pairs = tuple((p, p) for p in padding)
    spatial = input.shape[-nd:]
    padded = [n + lo + hi for n, (lo, hi) in zip(spatial, pairs)]
    eff = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
            f"({' x '.join(map(str, eff))}). Kernel size can't be greater than actual input size"
        )
    conv_pad, mode_pad = pairs, ()
    if mode != "zeros":
        _check_mode_pad(input, pairs, input.ndim - nd, mode)
        conv_pad, mode_pad = ((0, 0),) * nd, pairs
    static = (
        ("stride", stride),
        ("pad", conv_pad),
        ("dilation", dilation),
        ("lhs_dilation", (1,) * nd),
        ("groups", int(groups)),
        ("transposed", False),
        ("mode", mode),
        ("mode_pad", mode_pad),
        ("unbatched", input.ndim == nd + 1),
    )
    return dispatch(_conv, (input, weight, bias), static, "ConvolutionBackward0")


def conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, nd, fname):
    """The N-d transposed convolution behind conv_transpose1d/2d/3d and the ConvTranspose modules."""
    if isinstance(padding, str):
        raise TypeError(f"{fname}(): argument 'padding' must be tuple of ints, not str")
    _check_inputs(input, weight, bias, nd, groups, True, fname)
    stride, dilation = ntuple(stride, nd, "stride"), ntuple(dilation, nd, "dilation")
    padding, output_padding = ntuple(padding, nd, "padding"), ntuple(output_padding, nd, "output_padding")
    _check_geometry(stride, padding, dilation)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        axes = _AXES[3 - nd :] if nd > 1 else _AXES[1:]
        vals = (1,) + output_padding if nd == 1 else output_padding
        st = (1,) + stride if nd == 1 else stride
        dl = (1,) + dilation if nd == 1 else dilation
        parts = [f"output_padding_{a}: {v}" for a, v in zip(axes, vals)]
        parts += [f"stride_{a}: {v}" for a, v in zip(axes, st)] + [f"dilation_{a}: {v}" for a, v in zip(axes, dl)]
        if nd == 1:
            parts[0] = "output_padding_height: 0"
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    kernel = tuple(weight.shape[2:])
    spatial = input.shape[-nd:]
    out = [
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, s, p, d, k, op in zip(spatial, stride, padding, dilation, kernel, output_padding)
    ]
    if any(o <= 0 for o in out):
        lead = "1 x " if nd == 1 else ""
        raise RuntimeError(
            f"Given input size per channel: ({lead}{' x '.join(map(str, spatial))}). Calculated output size per "
            f"channel: ({lead}{' x '.join(map(str, out))}). Output size is too small"
        )
    pad = tuple(
        (d * (k - 1) - p, d * (k - 1) - p + op) for k, d, p, op in zip(kernel, dilation, padding, output_padding)
    )
    static = (
        ("stride", (1,) * nd),
        ("pad", pad),
        ("dilation", dilation),
        ("lhs_dilation", stride),
        ("groups", int(groups)),
        ("transposed", True),
        ("mode", "zeros"),
        ("mode_pad", ()),
        ("unbatched", input.ndim == nd + 1),
    )
    return dispatch(_conv, (input, weight, bias), static, "ConvolutionBackward0")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors torch.nn.functional.conv1d."""
    return conv_nd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors torch.nn.functional.conv2d."""
    return conv_nd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors torch.nn.functional.conv3d."""
    return conv_nd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Mirrors torch.nn.functional.conv_transpose1d."""
    return conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 1, "conv_transpose1d"
    )


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Mirrors torch.nn.functional.conv_transpose2d."""
    return conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 2, "conv_transpose2d"
    )


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Mirrors torch.nn.functional.conv_transpose3d."""
    return conv_transpose_nd(
        input, weight, bias, stride, padding, output_padding, groups, dilation, 3, "conv_transpose3d"
    )


# ---------------------------------------------------------------- unfold / fold (im2col / col2im)


def _unfold(x, *, kernel, dilation, padding, stride, out, unbatched):
    if unbatched:
        x = x[None]
    xp = jnp.pad(x, ((0, 0), (0, 0)) + tuple((p, p) for p in padding))
    cols = windows(xp, kernel, stride, dilation, out)  # (N, C, K, oh, ow)
    n, c = x.shape[:2]
    cols = cols.reshape((n, c * math.prod(kernel), math.prod(out)))
    return cols[0] if unbatched else cols


def _fold(cols, *, output_size, kernel, dilation, padding, stride, out, unbatched):
    if unbatched:
        cols = cols[None]
    n, ck = cols.shape[:2]
    c = ck // math.prod(kernel)
    cols = cols.reshape((n, c, math.prod(kernel), *out))
    padded = tuple(o + 2 * p for o, p in zip(output_size, padding))
    y = jnp.zeros((n, c, *padded), cols.dtype)
    for i, offs in enumerate(np.ndindex(*kernel)):
        idx = tuple(slice(o * d, o * d + (m - 1) * s + 1, s) for o, d, m, s in zip(offs, dilation, out, stride))
        y = y.at[(slice(None), slice(None)) + idx].add(cols[:, :, i])
    y = y[(slice(None), slice(None)) + tuple(slice(p, p + o) for p, o in zip(padding, output_size))]
    return y[0] if unbatched else y


def _blocks(spatial, kernel, dilation, padding, stride):
    return tuple(
        (n + 2 * p - d * (k - 1) - 1) // s + 1 for n, k, d, p, s in zip(spatial, kernel, dilation, padding, stride)
    )


def _fold_args(kernel_size, dilation, padding, stride):
    return (
        ntuple(kernel_size, 2, "kernel_size"),
        ntuple(dilation, 2, "dilation"),
        ntuple(padding, 2, "padding"),
        ntuple(stride, 2, "stride"),
    )


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Mirrors torch.nn.functional.unfold (im2col; 3-D unbatched or 4-D input)."""
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"Expected 3D or 4D (batch mode) tensor with optional 0 size batch dimension for input, but got: "
            f"{list(input.shape)}"
        )
    kernel, dilation, padding, stride = _fold_args(kernel_size, dilation, padding, stride)
    out = _blocks(input.shape[-2:], kernel, dilation, padding, stride)
    if any(o <= 0 for o in out):
        raise RuntimeError(
            f"Given input with spatial size ({', '.join(map(str, input.shape[-2:]))}), kernel_size="
            f"({', '.join(map(str, kernel))}), dilation=({', '.join(map(str, dilation))}), padding="
            f"({', '.join(map(str, padding))}), calculated shape of the array of sliding blocks as "
            f"({', '.join(map(str, out))}), but its components must be at least one."
        )
    static = (
        ("kernel", kernel),
        ("dilation", dilation),
        ("padding", padding),
        ("stride", stride),
        ("out", out),
        ("unbatched", input.ndim == 3),
    )
    return dispatch(_unfold, (input,), static, "Im2ColBackward0")


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Mirrors torch.nn.functional.fold (col2im; 2-D unbatched or 3-D input)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2D or 3D (batch mode) tensor with optional 0 size batch dimension for input, but got: "
            f"{list(input.shape)}"
        )
    output_size = ntuple(output_size, 2, "output_size")
    kernel, dilation, padding, stride = _fold_args(kernel_size, dilation, padding, stride)
    k = math.prod(kernel)
    ck, length = input.shape[-2:]
    if ck % k:
        raise RuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={ck} and kernel_size=({', '.join(map(str, kernel))})"
        )
    out = _blocks(output_size, kernel, dilation, padding, stride)
    if math.prod(out) != length:
        raise RuntimeError(
            f"Given output_size=({', '.join(map(str, output_size))}), kernel_size=({', '.join(map(str, kernel))}), "
            f"dilation=({', '.join(map(str, dilation))}), padding=({', '.join(map(str, padding))}), stride="
            f"({', '.join(map(str, stride))}), expected size of input's dimension 2 to match the calculated number "
            f"of sliding blocks {' * '.join(map(str, out))} = {math.prod(out)}, but got input.size(2)={length}."
        )
    static = (
        ("output_size", output_size),
        ("kernel", kernel),
        ("dilation", dilation),
        ("padding", padding),
        ("stride", stride),
        ("out", out),
        ("unbatched", input.ndim == 2),
    )
    return dispatch(_fold, (input,), static, "Col2ImBackward0")
