"""What the pointwise families share: the generic programs, operand checks and promotion helpers."""

from __future__ import annotations

import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import _requires_grad, dispatch
from .._tensor import Tensor
from ..autograd import grad_mode
from ._util import is_number

# ---------------------------------------------------------------- programs

FLOATS = frozenset(jnp.dtype(d) for d in (jnp.float32, jnp.float64, jnp.float16, jnp.bfloat16))
NUMERIC = FLOATS | frozenset(jnp.dtype(d) for d in (jnp.int32, jnp.int64))


def fast_binary(f, a, b, dtypes: frozenset):
    """The eager hot path: two tensors of one shape and one dtype in ``dtypes``, nothing to record.

    Then promotion, broadcasting and casts are no-ops and ``f`` (a jitted jnp function) runs on the
    arrays directly. Returns None when the general path is needed.
    """
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        return None
    av, bv = a._value, b._value
    if av.shape != bv.shape or av.dtype is not bv.dtype or av.dtype not in dtypes:  # builtin dtypes are singletons
        return None
    if grad_mode._state.enabled and (_requires_grad(a) or _requires_grad(b)):
        return None
    return Tensor._make(f(av, bv))


def _plain(f):
    """A plain function calling ``f``: jnp ufuncs hash slowly in Python, and static arguments are hashed per call."""

    def g(*args):
        return f(*args)

    g.__name__ = getattr(f, "__name__", "op")
    return g


_P = {}


def P(f):
    """The one plain wrapper of ``f`` (so jit caches stay shared)."""
    if f not in _P:
        _P[f] = _plain(f)
    return _P[f]


def _unary(x, *, f, dtype):
    return f(x.astype(dtype))


def _binary(a, b, *, f, dtype):
    return f(jnp.asarray(a).astype(dtype), jnp.asarray(b).astype(dtype))


def _cast_to(x, dtype):
    return jnp.asarray(x).astype(dtype)


def _operand(x, fname):
    if isinstance(x, Tensor) or is_number(x):
        return x
    raise TypeError(f"{fname}(): argument 'other' must be Tensor or Number, not {type(x).__name__}")


def _dtype_of(x) -> D.dtype:
    return x.dtype if isinstance(x, Tensor) else D.scalar_dtype(x)


def _promote(*xs) -> D.dtype:
    return D.result_type(*xs)


def _float_of(d: D.dtype) -> D.dtype:
    return d if d.category >= D._CATEGORY_FLOAT else D.get_default_dtype()


def _backward_name(name: str) -> str:
    return "".join(p.capitalize() for p in name.split("_")) + "Backward0"


def _check_broadcast(a, b) -> None:
    sa = a._value.shape if isinstance(a, Tensor) else ()
    sb = b._value.shape if isinstance(b, Tensor) else ()
    if sa == sb:
        return
    n = max(len(sa), len(sb))
    for i in range(1, min(len(sa), len(sb)) + 1):
        x, y = sa[-i], sb[-i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {n - i}"
            )


def _binop(f, a, b, dt, name):
    _check_broadcast(a, b)
    return dispatch(_binary, (a, b), (("f", f), ("dtype", dt.np)), name)


_cap = D.scalar_type_name
