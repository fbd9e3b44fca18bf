"""Comparisons, logical and bitwise ops, value checks (isnan, isclose, ...), where and masked_fill."""

from __future__ import annotations

import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._pointwise_base import P, _backward_name, _binop, _cap, _cast_to, _operand, _promote, _unary
from ._util import check_tensor, to_out

# ---------------------------------------------------------------- comparisons and logic


def _make_compare(name, f, gname=None):
    def op(input, other, *, out=None):
        input, other = _operand(input, name), _operand(other, name)
        return to_out(_binop(f, input, other, _promote(input, other), _backward_name(name)), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


eq = _make_compare("eq", P(jnp.equal))
ne = not_equal = _make_compare("ne", P(jnp.not_equal))
lt = less = _make_compare("lt", P(jnp.less))
le = less_equal = _make_compare("le", P(jnp.less_equal))
gt = greater = _make_compare("gt", P(jnp.greater))
ge = greater_equal = _make_compare("ge", P(jnp.greater_equal))
logical_and = _make_compare("logical_and", P(jnp.logical_and))
logical_or = _make_compare("logical_or", P(jnp.logical_or))
logical_xor = _make_compare("logical_xor", P(jnp.logical_xor))


def _check_integral(name, *xs):
    for x in xs:
        d = x.dtype if isinstance(x, Tensor) else D.scalar_dtype(x)
        if d.category > D._CATEGORY_INT:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{_cap(d)}'")


def _make_bitwise(name, f):
    def op(input, other, *, out=None):
        input, other = _operand(input, name), _operand(other, name)
        _check_integral(name, input, other)
        return to_out(_binop(f, input, other, _promote(input, other), _backward_name(name)), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


bitwise_and = _make_bitwise("bitwise_and", P(jnp.bitwise_and))
bitwise_or = _make_bitwise("bitwise_or", P(jnp.bitwise_or))
bitwise_xor = _make_bitwise("bitwise_xor", P(jnp.bitwise_xor))
bitwise_left_shift = _make_bitwise("bitwise_left_shift", P(jnp.left_shift))
bitwise_right_shift = _make_bitwise("bitwise_right_shift", P(jnp.right_shift))


def bitwise_not(input, *, out=None):
    """Mirrors torch.bitwise_not."""
    _check_integral("bitwise_not", input)
    return to_out(dispatch(_unary, (input,), (("f", P(jnp.invert)), ("dtype", input.dtype.np))), out)


def logical_not(input, *, out=None):
    """Mirrors torch.logical_not."""
    return to_out(dispatch(_unary, (input,), (("f", P(jnp.logical_not)), ("dtype", input.dtype.np))), out)


def _isclose(a, b, *, rtol, atol, equal_nan, dtype):
    a, b = a.astype(dtype), b.astype(dtype)
    return jnp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isclose(input, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """Mirrors torch.isclose."""
    if input.dtype != other.dtype:
        raise RuntimeError(f"{input.dtype} did not match {other.dtype}")
    return dispatch(
        _isclose, (input, other), (("rtol", rtol), ("atol", atol), ("equal_nan", equal_nan), ("dtype", input.dtype.np))
    )


def allclose(input, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Mirrors torch.allclose (returns a Python bool)."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other) -> bool:
    """Mirrors torch.equal: same shape and same values."""
    return input.shape == other.shape and bool(eq(input, other).all())


def _nan_check(x, *, f):
    return f(x)


def _make_check(name, f):
    def op(input):
        check_tensor(input, name)
        if input.dtype.category < D._CATEGORY_FLOAT and name != "isfinite":
            return dispatch(_unary, (input,), (("f", P(jnp.zeros_like)), ("dtype", jnp.bool_)))
        return dispatch(_nan_check, (input,), (("f", f),))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


isnan = _make_check("isnan", P(jnp.isnan))
isinf = _make_check("isinf", P(jnp.isinf))
isfinite = _make_check("isfinite", P(jnp.isfinite))
isposinf = _make_check("isposinf", P(jnp.isposinf))
isneginf = _make_check("isneginf", P(jnp.isneginf))
signbit = _make_check("signbit", P(jnp.signbit))


# ---------------------------------------------------------------- where, masks, clamp


def _where(c, a, b, *, dtype):
    return jnp.where(c, _cast_to(a, dtype), _cast_to(b, dtype))


def where(condition, input=None, other=None, *, out=None):
    """Mirrors torch.where; ``where(cond)`` is ``nonzero(cond, as_tuple=True)``."""
    if input is None and other is None:
        from .index import nonzero

        return nonzero(condition, as_tuple=True)
    check_tensor(condition, "where", "condition")
    if condition.dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {_cap(condition.dtype)}"
        )
    dt = _promote(input, other)
    return to_out(dispatch(_where, (condition, input, other), (("dtype", dt.np),), "WhereBackward0"), out)


def _masked_fill(x, mask, value):
    return jnp.where(mask, jnp.asarray(value).astype(x.dtype), x)


def masked_fill(input, mask, value):
    """Mirrors torch.masked_fill."""
    if mask.dtype is not D.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {_cap(mask.dtype)}")
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
        )
    return dispatch(_masked_fill, (input, mask, value), (), "MaskedFillBackward0")


__all__ = [
    "eq",
    "ne",
    "not_equal",
    "lt",
    "less",
    "le",
    "less_equal",
    "gt",
    "greater",
    "ge",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "isclose",
    "allclose",
    "equal",
    "isnan",
    "isinf",
    "isfinite",
    "isposinf",
    "isneginf",
    "signbit",
    "where",
    "masked_fill",
]
METHODS = [n for n in __all__ if n != "where"]
INPLACE = [
    n
    for n in __all__
    if n not in ("where", "isclose", "allclose", "equal") and not n.startswith("is") and n != "signbit"
]
