"""More pointwise math: angle conversion, logit, gcd / lcm, ldexp / frexp, nextafter, gamma-family
functions (polygamma, mvlgamma, igamma) and the functions behind ``torchlike.special``.

Every op here is one pure jnp function dispatched like ``pointwise.py``'s, so gradients come from
``jax.vjp``; where torch defines no derivative the result gets torch's "not implemented" grad_fn.
Functions that exist only under ``torch.special`` are defined here but kept out of ``__all__``.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from .. import _dtype as D
from .. import return_types
from .._dispatch import _NotImplementedNode, dispatch, not_differentiable
from .._tensor import Tensor
from ..autograd import grad_mode
from ._pointwise_base import P, _binop, _cap, _check_broadcast, _float_of, _operand, _promote, _unary
from ._util import check_tensor, to_out

frexp_type = return_types._return_type("frexp", ("mantissa", "exponent"))
return_types.frexp = frexp_type  # torch.return_types.frexp: so results pickle and print as torch's


class _NoDerivative(_NotImplementedNode):
    __slots__ = ()

    def _run(self, cts, retain_graph, create_graph):
        raise NotImplementedError(f"the derivative for '{self._name}' is not implemented.")


def _no_derivative(result, args, what: str):
    """torch's "the derivative for '<what>' is not implemented." (a NotImplementedError) on backward."""
    result = not_differentiable(result, args, what)
    if result._grad_fn is not None:
        result._grad_fn.__class__ = _NoDerivative
    return result


def _unary_op(name, f, *, floating=True, differentiable=True):
    """A unary op computing ``f`` in the input's float dtype (``floating``) or in its own dtype."""

    def op(input, *, out=None):
        check_tensor(input, name)
        dt = _float_of(input.dtype) if floating else input.dtype
        if differentiable:
            return to_out(dispatch(_unary, (input,), (("f", f), ("dtype", dt.np))), out)
        with grad_mode.no_grad():
            return to_out(dispatch(_unary, (input,), (("f", f), ("dtype", dt.np))), out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Mirrors torch.{name}."
    return op


def _deg2rad(x):
    return x * jnp.asarray(math.pi / 180, x.dtype)


def _rad2deg(x):
    return x * jnp.asarray(180 / math.pi, x.dtype)


def _sgn(x):
    if x.dtype == jnp.bool_:
        return x
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        a = jnp.abs(x)
        return jnp.where(a == 0, jnp.zeros_like(x), x / jnp.where(a == 0, 1, a).astype(x.dtype))
    return jnp.sign(x)


def _entr(x):
    safe = jnp.where(x > 0, x, 1)
    return jnp.where(x > 0, -x * jnp.log(safe), jnp.where(x == 0, jnp.zeros_like(x), -jnp.inf))


def _j0(x):
    # JAX's recurrence needs x >= 0 (j0 is even) and float64 (it overflows to nan in float32)
    return jss.bessel_jn(jnp.abs(x).astype(jnp.float64), v=0)[0].astype(x.dtype)


def _j1(x):
    return (jnp.sign(x) * jss.bessel_jn(jnp.abs(x).astype(jnp.float64), v=1)[1]).astype(x.dtype)  # odd


def _sinc(x):
    return jnp.sinc(x)


deg2rad = _unary_op("deg2rad", _deg2rad)
rad2deg = _unary_op("rad2deg", _rad2deg)
i0 = _unary_op("i0", P(jss.i0))
i0e = _unary_op("i0e", P(jss.i0e))
i1 = _unary_op("i1", P(jss.i1))
i1e = _unary_op("i1e", P(jss.i1e))
ndtr = _unary_op("ndtr", P(jss.ndtr))
ndtri = _unary_op("ndtri", P(jss.ndtri))
log_ndtr = _unary_op("log_ndtr", P(jss.log_ndtr))
erfcx = _unary_op("erfcx", P(jss.erfcx))
entr = _unary_op("entr", _entr)
bessel_j0 = _unary_op("bessel_j0", _j0, differentiable=False)
bessel_j1 = _unary_op("bessel_j1", _j1, differentiable=False)
modified_bessel_i0 = _unary_op("modified_bessel_i0", P(jss.i0), differentiable=False)
modified_bessel_i1 = _unary_op("modified_bessel_i1", P(jss.i1), differentiable=False)


def sgn(input, *, out=None):
    """Mirrors torch.sgn: sign for real tensors, ``x / |x|`` for complex ones."""
    check_tensor(input, "sgn")
    return to_out(dispatch(_unary, (input,), (("f", _sgn), ("dtype", input.dtype.np)), "SgnBackward0"), out)


def positive(input):
    """Mirrors torch.positive (returns ``input`` itself)."""
    check_tensor(input, "positive")
    if input.dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _logit(x, *, eps, dtype):
    x = x.astype(dtype)
    if eps is not None:
        x = jnp.clip(x, eps, 1 - eps)
    return jnp.log(x / (1 - x))


def logit(input, eps: float | None = None, *, out=None):
    """Mirrors torch.logit (``eps`` clamps the input to [eps, 1 - eps] first)."""
    check_tensor(input, "logit")
    dt = _float_of(input.dtype)
    return to_out(dispatch(_logit, (input,), (("eps", eps), ("dtype", dt.np)), "LogitBackward0"), out)


# ---------------------------------------------------------------- binary


def _two_tensors(name, input, other):
    for arg, x, pos in (("input", input, 1), ("other", other, 2)):
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _integral(name, dt):
    if dt.category > D._CATEGORY_INT:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{_cap(dt)}'")


def gcd(input, other, *, out=None):
    """Mirrors torch.gcd (integer tensors)."""
    _two_tensors("gcd", input, other)
    dt = _promote(input, other)
    _integral("gcd", dt)
    return to_out(_binop(_gcd, input, other, dt, "GcdBackward0"), out)


def lcm(input, other, *, out=None):
    """Mirrors torch.lcm (integer tensors)."""
    _two_tensors("lcm", input, other)
    dt = _promote(input, other)
    _integral("lcm", dt)
    return to_out(_binop(_lcm, input, other, dt, "LcmBackward0"), out)


def _gcd(a, b):
    return jnp.gcd(a, b)


def _lcm(a, b):
    return jnp.lcm(a, b)


def _ldexp(a, b, *, dtype):
    a = a.astype(dtype)
    if jnp.issubdtype(b.dtype, jnp.integer):
        # torch's derivative for ``input`` is ``2 ** other`` in integer arithmetic: 0 for negative exponents
        scale = jnp.where(b >= 0, jnp.exp2(jnp.maximum(b, 0).astype(dtype)), 0).astype(dtype)
        out = a * jnp.exp2(b.astype(dtype))
        return jax.lax.stop_gradient(out - a * scale) + a * scale
    return a * jnp.exp2(b.astype(dtype))


def ldexp(input, other, *, out=None):
    """Mirrors torch.ldexp: ``input * 2 ** other``."""
    _two_tensors("ldexp", input, other)
    _check_broadcast(input, other)
    dt = _float_of(_promote(input, other))
    return to_out(dispatch(_ldexp, (input, other), (("dtype", dt.np),), "LdexpBackward0"), out)


def _heaviside(x, v):
    return jnp.where(x == 0, v, (x > 0).astype(x.dtype))


def heaviside(input, values, *, out=None):
    """Mirrors torch.heaviside (not differentiable, as in torch)."""
    _two_tensors("heaviside", input, values)
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    if input.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    with grad_mode.no_grad():
        r = _binop(_heaviside, input, values, input.dtype, "HeavisideBackward0")
    return to_out(not_differentiable(r, (input, values), "heaviside"), out)


def _nextafter(a, b):
    # torch's derivative: 1 for input, 0 for other
    a0, b0 = jax.lax.stop_gradient(a), jax.lax.stop_gradient(b)
    return a + (jnp.nextafter(a0, b0) - a0)


def nextafter(input, other, *, out=None):
    """Mirrors torch.nextafter (floating-point tensors of one dtype)."""
    _two_tensors("nextafter", input, other)
    dt = _promote(input, other)
    if dt.category != D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{_cap(dt)}'")
    return to_out(_binop(_nextafter, input, other, dt, "NextafterBackward0"), out)


def _frexp(x):
    m, e = jnp.frexp(x)
    e = jax.lax.stop_gradient(e)
    # torch's derivative: grad / 2 ** exponent
    return x / jnp.exp2(e).astype(x.dtype), e.astype(jnp.int32)


def frexp(input, *, out=None):
    """Mirrors torch.frexp: (mantissa, exponent) with ``input = mantissa * 2 ** exponent``."""
    check_tensor(input, "frexp")
    if input.dtype.category != D._CATEGORY_FLOAT:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    r = frexp_type(*dispatch(_frexp, (input,), (), "FrexpBackward0"))
    return frexp_type(*to_out(r, out)) if out is not None else r


def _xlog1py(a, b):
    return jss.xlog1py(a, b)


def xlog1py(input, other, *, out=None):
    """Mirrors torch.special.xlog1py."""
    input, other = _operand(input, "xlog1py"), _operand(other, "xlog1py")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("xlog1py(): expected at least one Tensor argument")
    dt = _float_of(_promote(input, other))
    return to_out(_binop(_xlog1py, input, other, dt, "SpecialXlog1PyBackward0"), out)


def _zeta(x, q):
    return jss.zeta(x, q)


def zeta(input, other, *, out=None):
    """Mirrors torch.special.zeta (Hurwitz zeta; not differentiable, as in torch)."""
    input, other = _operand(input, "zeta"), _operand(other, "zeta")
    dt = _float_of(_promote(input, other))
    with grad_mode.no_grad():
        r = _binop(_zeta, input, other, dt, "SpecialZetaBackward0")
    return to_out(_no_derivative(r, (input, other), "zeta"), out)


def _gammainc(a, x, *, upper):
    return jss.gammaincc(a, x) if upper else jss.gammainc(a, x)


def _igamma(name, input, other, upper, out):
    _two_tensors(name, input, other)
    dt = _float_of(_promote(input, other))
    if grad_mode._state.enabled and input.requires_grad:
        # torch has no derivative with respect to ``input`` (the shape parameter)
        with grad_mode.no_grad():
            r = _igamma(name, input, other, upper, None)
        return to_out(_no_derivative(r, (input, other), f"{name}: input"), out)
    f = _igamma_upper if upper else _igamma_lower
    return to_out(_binop(f, input, other, dt, f"{name.capitalize()}Backward0"), out)


def _igamma_lower(a, x):
    return _gammainc(jax.lax.stop_gradient(a), x, upper=False)


def _igamma_upper(a, x):
    return _gammainc(jax.lax.stop_gradient(a), x, upper=True)


def igamma(input, other, *, out=None):
    """Mirrors torch.igamma (the regularized lower incomplete gamma function)."""
    return _igamma("igamma", input, other, False, out)


def igammac(input, other, *, out=None):
    """Mirrors torch.igammac (the regularized upper incomplete gamma function)."""
    return _igamma("igammac", input, other, True, out)


# ---------------------------------------------------------------- gamma family with an integer parameter


def _polygamma(x, *, n, dtype):
    x = x.astype(dtype)
    return jss.digamma(x) if n == 0 else jss.polygamma(n, x)


def polygamma(n: int, input, *, out=None):
    """Mirrors torch.polygamma: the n-th derivative of the digamma function."""
    check_tensor(input, "polygamma", "input")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    dt = _float_of(input.dtype)
    return to_out(dispatch(_polygamma, (input,), (("n", int(n)), ("dtype", dt.np)), "PolygammaBackward0"), out)


def _polygamma_method(self, n: int):
    return polygamma(n, self)


def _mvlgamma(x, *, p, dtype):
    x = x.astype(dtype)
    shifts = jnp.arange(p, dtype=dtype) / 2
    c = jnp.asarray(p * (p - 1) / 4 * math.log(math.pi), dtype)
    return jss.gammaln(x[..., None] - shifts).sum(-1) + c


def mvlgamma(input, p: int, *, out=None):
    """Mirrors torch.mvlgamma (the multivariate log-gamma function of dimension ``p``)."""
    check_tensor(input, "mvlgamma")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    dt = _float_of(input.dtype)
    return to_out(dispatch(_mvlgamma, (input,), (("p", int(p)), ("dtype", dt.np)), "MvlgammaBackward0"), out)


_OWN = [
    "deg2rad",
    "rad2deg",
    "i0",
    "sgn",
    "positive",
    "logit",
    "gcd",
    "lcm",
    "ldexp",
    "heaviside",
    "nextafter",
    "frexp",
    "igamma",
    "igammac",
    "polygamma",
    "mvlgamma",
]
__all__ = list(_OWN)
METHODS = [n for n in _OWN if n != "polygamma"]
# positive_ and frexp_ do not exist in torch; polygamma_ is installed below with its method's argument order
INPLACE = [n for n in METHODS if n not in ("positive", "frexp")]


def _polygamma_inplace(self, n: int):
    return self._commit(polygamma(n, self))


EXTRA_METHODS = {"polygamma": _polygamma_method, "polygamma_": _polygamma_inplace}
