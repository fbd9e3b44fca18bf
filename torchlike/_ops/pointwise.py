"""Pointwise ops: unary math, binary arithmetic with torch's promotion, clamp, lerp, fill_ / copy_.

The generic programs (``_unary``, ``_binary``) take the jnp function as a
static argument; the public functions pick the result dtype with
``torch.result_type`` rules and dispatch. Python numbers go in as traced
operands, so ``x * lr`` does not compile a new program per value.
Comparisons and logic live in ``_logic.py`` and are re-exported here.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import cold, dispatch, not_differentiable
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled, no_grad
from . import _logic
from ._logic import *  # noqa: F403 - one family: pointwise
from ._pointwise_base import (
    FLOATS,
    NUMERIC,
    P,
    _backward_name,
    _binop,
    _cap,
    _cast_to,
    _dtype_of,
    _float_of,
    _operand,
    _promote,
    _unary,
    fast_binary,
)
from ._util import check_tensor, is_number, to_out

# the eager hot path's programs: a cached jit call costs less than the jnp function's own dispatch
_JIT_ADD, _JIT_SUBTRACT = jax.jit(jnp.add), jax.jit(jnp.subtract)
_JIT_MULTIPLY, _JIT_TRUE_DIVIDE = jax.jit(jnp.multiply), jax.jit(jnp.true_divide)

# ---------------------------------------------------------------- unary


def _sigmoid(x):
    return jax.nn.sigmoid(x)


def _rsqrt(x):
    return lax.rsqrt(x)


def _frac(x):
    return x - jnp.trunc(x)


def _erfinv(x):
    return jax.scipy.special.erfinv(x)


def _sgn_keep(x):
    return jnp.sign(x)


@jax.custom_jvp
def _abs(x):
    return jnp.abs(x)


@_abs.defjvp
def _abs_jvp(primals, tangents):
    # torch's subgradient at 0 is 0 (sign(0)), whatever the direction
    (x,), (t,) = primals, tangents
    return jnp.abs(x), t * jnp.sign(x)


@jax.custom_jvp
def _fpow(a, b):
    return jnp.power(a, b)


@_fpow.defjvp
def _fpow_jvp(primals, tangents):
    # torch masks the 0 * inf cases: d/da is 0 where b == 0, d/db is 0 where a == 0 and b >= 0
    (a, b), (ta, tb) = primals, tangents
    out = jnp.power(a, b)
    da = jnp.where(b == 0, jnp.zeros_like(out), b * jnp.power(a, b - 1))
    db = jnp.where((a == 0) & (b >= 0), jnp.zeros_like(out), out * jnp.log(jnp.where(a == 0, 1, a)))
    return out, da * ta + db * tb


def _relu(x):
    return jnp.maximum(x, jnp.zeros((), x.dtype)) if x.dtype == jnp.bool_ else jax.nn.relu(x)


def _reciprocal(x):
    return 1 / x


def _square(x):
    return x * x


_FLOAT_UNARY = {
    "exp": P(jnp.exp),
    "exp2": P(jnp.exp2),
    "expm1": P(jnp.expm1),
    "log": P(jnp.log),
    "log1p": P(jnp.log1p),
    "log2": P(jnp.log2),
    "log10": P(jnp.log10),
    "sqrt": P(jnp.sqrt),
    "rsqrt": _rsqrt,
    "sin": P(jnp.sin),
    "cos": P(jnp.cos),
    "tan": P(jnp.tan),
    "asin": P(jnp.arcsin),
    "acos": P(jnp.arccos),
    "atan": P(jnp.arctan),
    "sinh": P(jnp.sinh),
    "cosh": P(jnp.cosh),
    "tanh": P(jnp.tanh),
    "asinh": P(jnp.arcsinh),
    "acosh": P(jnp.arccosh),
    "atanh": P(jnp.arctanh),
    "sigmoid": _sigmoid,
    "erf": P(jax.scipy.special.erf),
    "erfc": P(jax.scipy.special.erfc),
    "erfinv": _erfinv,
    "reciprocal": _reciprocal,
    "lgamma": P(jax.scipy.special.gammaln),
    "digamma": P(jax.scipy.special.digamma),
    "sinc": P(jnp.sinc),
}

# ops that keep integer dtypes (rounding ops are the identity on integers)
_SAME_UNARY = {
    "neg": P(jnp.negative),
    "abs": _abs,
    "sign": _sgn_keep,
    "floor": P(jnp.floor),
    "ceil": P(jnp.ceil),
    "trunc": P(jnp.trunc),
    "frac": _frac,
    "square": _square,
    "relu": _relu,
}

_ALIASES = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "negative": "neg",
    "absolute": "abs",
    "fix": "trunc",
}


def _make_float_unary(name, f):
    gname = _backward_name(name)

    def op(input, *, out=None):
        check_tensor(input, name)
        dt = _float_of(input.dtype)
        return to_out(dispatch(_unary, (input,), (("f", f), ("dtype", dt.np)), gname), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


def _make_same_unary(name, f):
    gname = _backward_name(name)
    rounding = name in ("floor", "ceil", "trunc")

    def op(input, *, out=None):
        check_tensor(input, name)
        if input.dtype is D.bool and name == "neg":
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
                "mask, use the `~` or `logical_not()` operator instead."
            )
        if name == "frac" and input.dtype.category < D._CATEGORY_FLOAT:
            raise NotImplementedError(f"\"frac_cpu\" not implemented for '{_cap(input.dtype)}'")
        if rounding and input.dtype.category < D._CATEGORY_FLOAT:
            return to_out(input.clone(), out)
        return to_out(dispatch(_unary, (input,), (("f", f), ("dtype", input.dtype.np)), gname), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


_unary_ops = {n: _make_float_unary(n, f) for n, f in _FLOAT_UNARY.items()}
_unary_ops.update({n: _make_same_unary(n, f) for n, f in _SAME_UNARY.items()})
_unary_ops.update({a: _unary_ops[n] for a, n in _ALIASES.items()})
globals().update(_unary_ops)


def _round(x, *, decimals, dtype):
    x = x.astype(dtype)
    if decimals == 0:
        return jnp.round(x)
    scale = jnp.asarray(10.0**decimals, x.dtype)
    return jnp.round(x * scale) / scale


def round(input, *, decimals: int = 0, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.round (half to even)."""
    check_tensor(input, "round")
    if input.dtype.category < D._CATEGORY_FLOAT:
        return to_out(input.clone(), out)
    return to_out(
        dispatch(
            _round,
            (input,),
            (("decimals", decimals), ("dtype", input.dtype.np)),
            "RoundBackward1" if decimals else "RoundBackward0",
        ),
        out,
    )


# ---------------------------------------------------------------- binary arithmetic


def _scaled(a, b, alpha, *, dtype, sign):
    a, b = jnp.asarray(a).astype(dtype), jnp.asarray(b).astype(dtype)
    return a + sign * alpha * b if sign > 0 else a - alpha * b


def add(input, other, *, alpha=1, out=None):
    """Mirrors torch.add."""
    if alpha == 1 and out is None and (r := fast_binary(_JIT_ADD, input, other, NUMERIC)) is not None:
        return r
    input, other = _operand(input, "add"), _operand(other, "add")
    dt = _promote(input, other)
    if alpha != 1:
        return to_out(dispatch(_scaled, (input, other, alpha), (("dtype", dt.np), ("sign", 1)), "AddBackward0"), out)
    return to_out(_binop(P(jnp.add) if dt is not D.bool else P(jnp.logical_or), input, other, dt, "AddBackward0"), out)


def sub(input, other, *, alpha=1, out=None):
    """Mirrors torch.sub."""
    if alpha == 1 and out is None and (r := fast_binary(_JIT_SUBTRACT, input, other, NUMERIC)) is not None:
        return r
    input, other = _operand(input, "sub"), _operand(other, "sub")
    dt = _promote(input, other)
    if D.bool in (_dtype_of(input), _dtype_of(other)):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead."
        )
    if alpha != 1:
        return to_out(dispatch(_scaled, (input, other, alpha), (("dtype", dt.np), ("sign", -1)), "SubBackward0"), out)
    return to_out(_binop(P(jnp.subtract), input, other, dt, "SubBackward0"), out)


def rsub(input, other, *, alpha=1):
    return sub(other, input, alpha=alpha)


def mul(input, other, *, out=None):
    """Mirrors torch.mul."""
    if out is None and (r := fast_binary(_JIT_MULTIPLY, input, other, NUMERIC)) is not None:
        return r
    input, other = _operand(input, "mul"), _operand(other, "mul")
    dt = _promote(input, other)
    return to_out(
        _binop(P(jnp.multiply) if dt is not D.bool else P(jnp.logical_and), input, other, dt, "MulBackward0"), out
    )


def _trunc_div(a, b):
    if jnp.issubdtype(a.dtype, jnp.integer):
        q = lax.div(a, jnp.where(b == 0, 1, b))  # C division truncates toward zero
        return q
    return jnp.trunc(a / b)


def _floor_div(a, b):
    if jnp.issubdtype(a.dtype, jnp.integer):
        return jnp.floor_divide(a, b)
    return jnp.floor(a / b)


def div(input, other, *, rounding_mode: str | None = None, out=None):
    """Mirrors torch.div (true division; 'trunc' and 'floor' rounding modes)."""
    if rounding_mode is None and out is None and (r := fast_binary(_JIT_TRUE_DIVIDE, input, other, FLOATS)) is not None:
        return r
    input, other = _operand(input, "div"), _operand(other, "div")
    dt = _promote(input, other)
    if rounding_mode is None:
        return to_out(_binop(P(jnp.true_divide), input, other, _float_of(dt), "DivBackward0"), out)
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    if dt is D.bool:
        dt = D.int64
    f = _trunc_div if rounding_mode == "trunc" else _floor_div
    return to_out(_binop(f, input, other, dt, "DivBackward2"), out)


divide = true_divide = div
multiply = mul
subtract = sub


def floor_divide(input, other, *, out=None):
    """Mirrors torch.floor_divide (not differentiable, as in torch)."""
    with no_grad():
        result = div(input, other, rounding_mode="floor", out=out)
    return not_differentiable(result, (input, other), "floor_divide")


def _remainder(a, b):
    return jnp.remainder(a, b)


def remainder(input, other, *, out=None):
    """Mirrors torch.remainder (the sign of the divisor, like Python's %)."""
    input, other = _operand(input, "remainder"), _operand(other, "remainder")
    return to_out(_binop(_remainder, input, other, _promote(input, other), "RemainderBackward0"), out)


def fmod(input, other, *, out=None):
    """Mirrors torch.fmod (the sign of the dividend, like C's fmod)."""
    input, other = _operand(input, "fmod"), _operand(other, "fmod")
    return to_out(_binop(P(jnp.fmod), input, other, _promote(input, other), "FmodBackward0"), out)


def pow(input, exponent, *, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.pow."""
    input, exponent = _operand(input, "pow"), _operand(exponent, "pow")
    dt = _promote(input, exponent)
    if is_number(exponent) and dt.category == D._CATEGORY_INT and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if dt is D.bool:
        dt = D.int64 if isinstance(input, Tensor) and isinstance(exponent, Tensor) else dt
    name = "PowBackward0" if is_number(exponent) else ("PowBackward2" if is_number(input) else "PowBackward1")
    f = _fpow if dt.category >= D._CATEGORY_FLOAT else P(jnp.power)
    return to_out(_binop(f, input, exponent, dt, name), out)


def float_power(input, exponent, *, out=None):
    """Mirrors torch.float_power (computes in float64)."""
    dt = D.complex128 if _promote(input, exponent).is_complex else D.float64
    return to_out(_binop(P(jnp.power), input, exponent, dt, "PowBackward1"), out)


def _make_binary(name, f, *, floating=False, gname=None, scalars=False):
    gname = gname or _backward_name(name)

    def op(input, other, *, out=None):
        input, other = _operand(input, name), _operand(other, name)
        if not scalars and not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        if not scalars and not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
        dt = _promote(input, other)
        return to_out(_binop(f, input, other, _float_of(dt) if floating else dt, gname), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


def _logaddexp(a, b):
    return jnp.logaddexp(a, b)


def _xlogy(a, b):
    return jax.scipy.special.xlogy(a, b)


atan2 = arctan2 = _make_binary("atan2", P(jnp.arctan2), floating=True)
hypot = _make_binary("hypot", P(jnp.hypot), floating=True)
logaddexp = _make_binary("logaddexp", _logaddexp, floating=True)
logaddexp2 = _make_binary("logaddexp2", P(jnp.logaddexp2), floating=True)
xlogy = _make_binary("xlogy", _xlogy, floating=True, scalars=True)
maximum = _make_binary("maximum", P(jnp.maximum))
minimum = _make_binary("minimum", P(jnp.minimum))
fmax = _make_binary("fmax", P(jnp.fmax))
fmin = _make_binary("fmin", P(jnp.fmin))
copysign = _make_binary("copysign", P(jnp.copysign), floating=True, scalars=True)


# ---------------------------------------------------------------- clamp, lerp, addc*


def _clamp(x, lo, hi, *, dtype):
    x = x.astype(dtype)
    lo = None if lo is None else _cast_to(lo, dtype)
    hi = None if hi is None else _cast_to(hi, dtype)
    # torch passes the gradient to x on the closed interval [min, max]
    inside = jnp.ones(x.shape, bool)
    if lo is not None:
        inside = inside & (x >= lo)
    if hi is not None:
        inside = inside & (x <= hi)
    clipped = x
    if lo is not None:
        clipped = jnp.maximum(clipped, lo)
    if hi is not None:
        clipped = jnp.minimum(clipped, hi)
    return jnp.where(inside, x, clipped)


def clamp(input, min=None, max=None, *, out=None):  # noqa: A002 - torch's names
    """Mirrors torch.clamp / torch.clip."""
    check_tensor(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dt = _promote(input, min, max)
    return to_out(dispatch(_clamp, (input, min, max), (("dtype", dt.np),), "ClampBackward1"), out)


clip = clamp


def clamp_min(input, min):  # noqa: A002
    return clamp(input, min=min)


def clamp_max(input, max):  # noqa: A002
    return clamp(input, max=max)


def _lerp(start, end, weight, *, dtype):
    start, end, weight = start.astype(dtype), end.astype(dtype), jnp.asarray(weight).astype(dtype)
    diff = end - start
    return jnp.where(jnp.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


def lerp(input, end, weight, *, out=None):
    """Mirrors torch.lerp (torch's two-sided formula)."""
    dt = input.dtype
    return to_out(
        dispatch(
            _lerp, (input, end, weight), (("dtype", dt.np),), "LerpBackward0" if is_number(weight) else "LerpBackward1"
        ),
        out,
    )


def _addc(x, a, b, value, *, dtype, divide):
    x, a, b = x.astype(dtype), a.astype(dtype), b.astype(dtype)
    value = jnp.asarray(value).astype(dtype)
    return x + value * (a / b if divide else a * b)


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """Mirrors torch.addcmul."""
    dt = _promote(input, tensor1, tensor2)
    return to_out(
        dispatch(_addc, (input, tensor1, tensor2, value), (("dtype", dt.np), ("divide", False)), "AddcmulBackward0"),
        out,
    )


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """Mirrors torch.addcdiv."""
    dt = _promote(input, tensor1, tensor2)
    if dt.category < D._CATEGORY_FLOAT:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a "
            "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
            "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
            "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes."
        )
    return to_out(
        dispatch(_addc, (input, tensor1, tensor2, value), (("dtype", dt.np), ("divide", True)), "AddcdivBackward0"), out
    )


def _nan_to_num(x, *, nan, posinf, neginf):
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num(input, nan: float = 0.0, posinf=None, neginf=None, *, out=None):
    """Mirrors torch.nan_to_num."""
    return to_out(
        dispatch(_nan_to_num, (input,), (("nan", nan), ("posinf", posinf), ("neginf", neginf)), "NanToNumBackward0"),
        out,
    )


# ---------------------------------------------------------------- fill_, zero_, copy_ (Tensor methods only)


def _fill(x, value):
    return jnp.broadcast_to(jnp.asarray(value).astype(x.dtype), x.shape)


def fill_(self, value):
    """Mirrors torch.Tensor.fill_ (a 0-dim tensor value is differentiable)."""
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions.")
    if isinstance(value, (int, float)) and self.is_floating_point() and not self._steps:
        # a one-off fill (parameter init): filled on the host, no program per shape (see _dispatch.cold)
        if not (is_grad_enabled() and self.requires_grad) and cold((_fill, self.shape, self.dtype, value)):
            return self._commit(Tensor._make(jax.device_put(np.full(self.shape, value, self.dtype.np))))
    return self._commit(dispatch(_fill, (self, value), (), "FillBackward0"))


def zero_(self):
    """Mirrors torch.Tensor.zero_."""
    return fill_(self, 0)


def copy_(self, src, non_blocking: bool = False):
    """Mirrors torch.Tensor.copy_: broadcasts ``src`` to this shape and casts to this dtype."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not {type(src).__name__}")
    try:
        np_shape = jnp.broadcast_shapes(src._value.shape, self._value.shape)
    except ValueError:
        np_shape = None
    if np_shape != self._value.shape:
        raise RuntimeError(
            f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must match the size of tensor b "
            f"({src.shape[-1] if src.ndim else 1}) at non-singleton dimension {max(self.ndim - 1, 0)}"
        )
    if src.dtype is not self.dtype:
        src = src.to(self.dtype)
    return self._commit(dispatch(_fill, (self, src), (), "CopyBackwards"))


TENSOR_ONLY = ["fill_", "zero_", "copy_"]

_OWN = [
    *_unary_ops,
    "round",
    "add",
    "sub",
    "subtract",
    "rsub",
    "mul",
    "multiply",
    "div",
    "divide",
    "true_divide",
    "floor_divide",
    "remainder",
    "fmod",
    "pow",
    "float_power",
    "atan2",
    "arctan2",
    "hypot",
    "logaddexp",
    "logaddexp2",
    "xlogy",
    "maximum",
    "minimum",
    "fmax",
    "fmin",
    "copysign",
    "clamp",
    "clip",
    "clamp_min",
    "clamp_max",
    "lerp",
    "addcmul",
    "addcdiv",
    "nan_to_num",
]
__all__ = _OWN + _logic.__all__
METHODS = _OWN + _logic.METHODS
_NO_INPLACE = {"rsub", "logaddexp", "logaddexp2", "maximum", "minimum", "fmax", "fmin"}
INPLACE = [n for n in _OWN if n not in _NO_INPLACE] + _logic.INPLACE
