"""F.linear and F.bilinear, one dispatched jnp function each (mirror torch.nn.functional.linear / bilinear)."""

from __future__ import annotations

import math

import jax.numpy as jnp

from .._dispatch import dispatch
from ._linalg_util import _HI, _cn

__all__ = ["bilinear", "linear"]


def _linear(x, w, *b):
    y = jnp.matmul(x, w.T, precision=_HI)
    return y + b[0] if b else y


def _linear_name(ndim: int, bias: bool) -> str:
    if ndim == 2:
        return "AddmmBackward0" if bias else "MmBackward0"
    if ndim == 1:
        return "ViewBackward0" if bias else "MvBackward0"
    return "ViewBackward0" if bias else "UnsafeViewBackward0"


def linear(input, weight, bias=None):
    """Mirrors torch.nn.functional.linear: ``input @ weight.T + bias``."""
    xs, ws = tuple(input.shape), tuple(weight.shape)
    if len(ws) == 2 and xs and xs[-1] != ws[1]:
        rows = math.prod(xs[:-1]) if len(xs) > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{xs[-1]} and {ws[1]}x{ws[0]})")
    if len(ws) == 1 and xs and xs[-1] != ws[0]:
        raise RuntimeError(f"size mismatch, got input ({xs[-1]}), mat ({xs[-1]}), vec ({ws[0]})")
    if input.dtype != weight.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_cn(input)} != {_cn(weight)}")
    if bias is not None:
        out = xs[:-1] + ws[:1] if len(ws) == 2 else xs[:-1]
        bs = tuple(bias.shape)
        if len(bs) > len(out) or any(b not in (1, o) for b, o in zip(bs[::-1], out[::-1])):
            raise RuntimeError(
                f"The expanded size of the tensor ({out[-1] if out else 1}) must match the existing size "
                f"({bs[-1]}) at non-singleton dimension {len(out) - 1}.  Target sizes: {list(out)}.  "
                f"Tensor sizes: {list(bs)}"
            )
        return dispatch(_linear, (input, weight, bias), (), _linear_name(len(xs), True))
    return dispatch(_linear, (input, weight), (), _linear_name(len(xs), False))


def _bilinear(x1, x2, w, *b):
    y = jnp.einsum("...i,oij,...j->...o", x1, w, x2, precision=_HI)
    return y + b[0] if b else y


def bilinear(input1, input2, weight, bias=None):
    """Mirrors torch.nn.functional.bilinear: ``y_o = x1 W_o x2 + b_o``."""
    s1, s2, ws = tuple(input1.shape), tuple(input2.shape), tuple(weight.shape)
    if len(s1) != len(s2):
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {len(s1)} and {len(s2)}")
    for d, (a, c) in enumerate(zip(s1[:-1], s2[:-1])):
        if a != c:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: got {a} and {c}")
    if len(ws) != 3:
        raise RuntimeError(f"bilinear(): weight must be three-dimensional, got {len(ws)} dims")
    if s1[-1] != ws[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {s1[-1]} but expected {ws[1]}")
    if s2[-1] != ws[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {s2[-1]} but expected {ws[2]}")
    if bias is not None and tuple(bias.shape) != ws[:1]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[-1] if bias.ndim else 0} but "
            f"expected {ws[0]}"
        )
    args = (input1, input2, weight) + (() if bias is None else (bias,))
    return dispatch(_bilinear, args, (), "AddBackward0" if bias is not None else "ViewBackward0")
