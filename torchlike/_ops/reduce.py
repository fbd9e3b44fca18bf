"""Reductions: sum, mean, prod, max/min, std/var, norm, logsumexp, cumulative ops; sorting and selection
(sort, topk, median, quantile, unique) live in ``_sorting.py`` and are re-exported here.

Each op is a module-level jnp program plus static arguments (dims already normalized), run through
``dispatch``. Ops that return ``(values, indices)`` compute the indices first and gather the values with
them, so the gradient lands on the selected element, as in torch. Where torch's gradient convention
differs from JAX's (``max()`` and ``median()`` split it evenly among equal elements, NaN included), a
small ``custom_jvp`` states torch's rule; it stays differentiable, so higher-order gradients work.
``norm`` is torch.norm's dispatch onto linalg.vector_norm / matrix_norm.

A 0-d tensor accepts dim 0 and -1: the single-dim programs see it as shape (1,) and reshape back.
"""

from __future__ import annotations

import builtins
import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .. import return_types
from .._dispatch import _requires_grad, dispatch
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _sorting
from ._reduce_base import (
    _acc_dtype,
    _axes,
    _cap,
    _check_nonempty,
    _is_float,
    _isnan,
    _numpy_names,
    _one_dim,
    _spread,
    _squeeze,
    _upcast,
)
from ._sorting import *  # noqa: F403 - one family: reductions
from ._util import check_tensor, dims, to_out
from .linalg import matrix_norm, vector_norm
from .pointwise import maximum, minimum

# ---------------------------------------------------------------- sum, mean, prod

_F32_64 = frozenset((jnp.dtype(jnp.float32), jnp.dtype(jnp.float64)))
_JIT_SUM = jax.jit(jnp.sum)  # a cached jit call costs less than jnp.sum's own dispatch


def _reduce(x, *, f, axis, keepdims, dtype):
    return f(x.astype(dtype), axis=axis, keepdims=keepdims)


def _reduction(f, input, axis, keepdim, dtype, name):
    static = (("f", f), ("axis", axis), ("keepdims", builtins.bool(keepdim)), ("dtype", dtype.np))
    return dispatch(_reduce, (input,), static, name)


@_numpy_names
def sum(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.sum."""
    if dim is None and not keepdim and dtype is None and out is None and isinstance(input, Tensor):
        v = input._value  # the eager hot path: a full float sum with nothing to record is one jnp call
        if v.dtype in _F32_64 and not (grad_mode._state.enabled and _requires_grad(input)):
            return Tensor._make(_JIT_SUM(v))
    check_tensor(input, "sum")
    axis = _axes(dim, input.ndim)
    name = "SumBackward1" if dim is not None else "SumBackward0"
    return to_out(_reduction(jnp.sum, input, axis, keepdim, _acc_dtype(input, dtype), name), out)


@_numpy_names
def nansum(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.nansum."""
    check_tensor(input, "nansum")
    axis = _axes(dim, input.ndim)
    return to_out(_reduction(jnp.nansum, input, axis, keepdim, _acc_dtype(input, dtype), "NansumBackward0"), out)


def _float_dtype(input, dtype, fname):
    if dtype is not None and not _is_float(dtype):
        raise RuntimeError(
            f"{fname}(): could not infer output dtype. Optional dtype must be either a floating point or complex "
            f"dtype. Got: {_cap(dtype)}"
        )
    dt = dtype or input.dtype
    if not _is_float(dt):
        raise RuntimeError(
            f"{fname}(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {_cap(input.dtype)}"
        )
    return dt


@_numpy_names
def mean(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.mean (floating inputs only, or an explicit floating dtype)."""
    check_tensor(input, "mean")
    dt = _float_dtype(input, dtype, "mean")
    name = "MeanBackward1" if dim is not None else "MeanBackward0"
    return to_out(_reduction(jnp.mean, input, _axes(dim, input.ndim), keepdim, dt, name), out)


@_numpy_names
def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.nanmean."""
    check_tensor(input, "nanmean")
    if not _is_float(input.dtype):
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got {_cap(input.dtype)}"
        )
    dt = _float_dtype(input, dtype, "nanmean")
    return to_out(_reduction(jnp.nanmean, input, _axes(dim, input.ndim), keepdim, dt, "NanmeanBackward0"), out)


@_numpy_names
def prod(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.prod (one dim or all; JAX's gradient handles zeros as torch does)."""
    check_tensor(input, "prod")
    axis = tuple(range(input.ndim)) if dim is None else (_one_dim(input, dim, "prod"),)
    axis = axis if input.ndim else ()
    dt = _acc_dtype(input, dtype)
    return to_out(
        _reduction(jnp.prod, input, axis, keepdim, dt, "ProdBackward1" if dim is not None else "ProdBackward0"), out
    )


# ---------------------------------------------------------------- max, min, argmax


def _extreme_all(x, *, largest):
    v = lax.stop_gradient(jnp.max(x) if largest else jnp.min(x))
    return _spread(x, v.reshape((1,) * x.ndim)).reshape(())


def _arg_extreme(x, *, axis, keepdims, largest):
    # jnp.argmax / argmin give the first occurrence and treat NaN as the extreme, like torch
    x = jnp.atleast_1d(x)
    f = jnp.argmax if largest else jnp.argmin
    return f(x, axis=axis, keepdims=keepdims).astype(jnp.int64)


def _extreme_dim(x, *, axis, keepdims, largest):
    x = jnp.atleast_1d(x)
    i = _arg_extreme(x, axis=axis, keepdims=True, largest=largest)
    return _squeeze(jnp.take_along_axis(x, i, axis), axis, keepdims), _squeeze(i, axis, keepdims)


def _max_min(input, dim, keepdim, other, out, largest):
    name = "max" if largest else "min"
    check_tensor(input, name)
    if isinstance(dim, Tensor):  # max(input, other)
        dim, other = None, dim
    if other is not None:
        return (maximum if largest else minimum)(input, other, out=out)
    if dim is None:
        _check_nonempty(input, tuple(range(input.ndim)), name, dim_given=False)
        r = dispatch(_extreme_all, (input,), (("largest", largest),), name.capitalize() + "Backward1")
        return to_out(r, out)
    d = _one_dim(input, dim, name, nonempty=True)
    static = (("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0), ("largest", largest))
    r = dispatch(_extreme_dim, (input,), static, name.capitalize() + "Backward0")
    return getattr(return_types, name)(*to_out(r, out))


@_numpy_names
def max(input, dim=None, keepdim: bool = False, *, other=None, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.max: of all elements, ``(values, indices)`` along ``dim``, or ``maximum(input, other)``."""
    return _max_min(input, dim, keepdim, other, out, largest=True)


@_numpy_names
def min(input, dim=None, keepdim: bool = False, *, other=None, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.min: of all elements, ``(values, indices)`` along ``dim``, or ``minimum(input, other)``."""
    return _max_min(input, dim, keepdim, other, out, largest=False)


def _amax_amin(input, dim, keepdim, out, f, name):
    check_tensor(input, name)
    axis = _axes(dim, input.ndim)
    _check_nonempty(input, axis, name, dim_given=dim is not None and len(dims(dim, input.ndim)) > 0)
    # jnp.max / jnp.min split the gradient evenly among ties, as torch's amax / amin do
    return to_out(_reduction(f, input, axis, keepdim, input.dtype, name.capitalize() + "Backward0"), out)


@_numpy_names
def amax(input, dim=(), keepdim: bool = False, *, out=None):
    """Mirrors torch.amax."""
    return _amax_amin(input, dim, keepdim, out, jnp.max, "amax")


@_numpy_names
def amin(input, dim=(), keepdim: bool = False, *, out=None):
    """Mirrors torch.amin."""
    return _amax_amin(input, dim, keepdim, out, jnp.min, "amin")


def _aminmax(x, *, axis, keepdims):
    return jnp.min(x, axis, keepdims=keepdims), jnp.max(x, axis, keepdims=keepdims)


@_numpy_names
def aminmax(input, *, dim=None, keepdim: bool = False, out=None):
    """Mirrors torch.aminmax: ``(min, max)``."""
    check_tensor(input, "aminmax")
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."
            )
        axis = tuple(range(input.ndim))
    else:
        d = _one_dim(input, dim, "aminmax")
        if input.ndim and input.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        axis = (d,) if input.ndim else ()
    r = dispatch(_aminmax, (input,), (("axis", axis), ("keepdims", builtins.bool(keepdim))), "AminmaxBackward0")
    return return_types.aminmax(*to_out(r, out))


def _argmax_argmin(input, dim, keepdim, largest):
    name = "argmax" if largest else "argmin"
    check_tensor(input, name)
    if input.dtype is D.bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if input.numel() == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        axis = None
    else:
        axis = _one_dim(input, dim, name, nonempty=True)
    static = (("axis", axis), ("keepdims", builtins.bool(keepdim) and input.ndim > 0), ("largest", largest))
    return dispatch(_arg_extreme, (input,), static)


@_numpy_names
def argmax(input, dim=None, keepdim: bool = False):
    """Mirrors torch.argmax (first occurrence; NaN counts as the max)."""
    return _argmax_argmin(input, dim, keepdim, largest=True)


@_numpy_names
def argmin(input, dim=None, keepdim: bool = False):
    """Mirrors torch.argmin (first occurrence; NaN counts as the min)."""
    return _argmax_argmin(input, dim, keepdim, largest=False)


# ---------------------------------------------------------------- std, var


def _safe_sqrt(v):
    # torch's std gradient is 0 where std == 0 (sqrt's would be inf * 0 = nan)
    zero = v == 0
    return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, v)))


def _moments(x, *, axis, correction, keepdims, sqrt):
    dt = x.dtype
    x = x.astype(_upcast(dt))
    n = math.prod(x.shape[a] for a in axis)
    mu = jnp.mean(x, axis, keepdims=True)
    d = x - mu
    sq = (d * jnp.conj(d)).real if jnp.iscomplexobj(d) else d * d
    v = jnp.sum(sq, axis, keepdims=keepdims) / builtins.max(n - correction, 0)
    v = _safe_sqrt(v) if sqrt else v
    return v.astype(jnp.finfo(dt).dtype), _squeeze(mu, axis, keepdims).astype(dt)


def _var_program(x, *, axis, correction, keepdims, sqrt):
    return _moments(x, axis=axis, correction=correction, keepdims=keepdims, sqrt=sqrt)[0]


def _var_args(fname, input, dim, unbiased, keepdim, correction):
    check_tensor(input, fname)
    if isinstance(dim, builtins.bool):  # std(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{fname}(): pass either 'unbiased' or 'correction', not both")
    if not _is_float(input.dtype):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    axis = _axes(dim, input.ndim)
    if math.prod(input.shape[a] for a in axis) - correction <= 0:
        warnings.warn(
            f"{fname}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    return (("axis", axis), ("correction", correction), ("keepdims", builtins.bool(keepdim)))


@_numpy_names
def var(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Mirrors torch.var (``unbiased`` or ``correction``; ``var(input, unbiased)`` too)."""
    static = _var_args("var", input, dim, unbiased, keepdim, correction) + (("sqrt", False),)
    return to_out(dispatch(_var_program, (input,), static, "VarBackward0"), out)


@_numpy_names
def std(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Mirrors torch.std (``unbiased`` or ``correction``; ``std(input, unbiased)`` too)."""
    static = _var_args("std", input, dim, unbiased, keepdim, correction) + (("sqrt", True),)
    return to_out(dispatch(_var_program, (input,), static, "StdBackward0"), out)


@_numpy_names
def var_mean(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Mirrors torch.var_mean: ``(var, mean)``."""
    static = _var_args("var_mean", input, dim, unbiased, keepdim, correction) + (("sqrt", False),)
    return to_out(dispatch(_moments, (input,), static, "VarMeanBackward0"), out)


@_numpy_names
def std_mean(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None, out=None):
    """Mirrors torch.std_mean: ``(std, mean)``."""
    static = _var_args("std_mean", input, dim, unbiased, keepdim, correction) + (("sqrt", True),)
    return to_out(dispatch(_moments, (input,), static, "StdMeanBackward0"), out)


# ---------------------------------------------------------------- norm


def norm(input, p="fro", dim=None, keepdim: bool = False, out=None, dtype=None):
    """Mirrors torch.norm and Tensor.norm: linalg.vector_norm, or linalg.matrix_norm for 'nuc' (and for
    'fro' over more than two dims, which torch rejects)."""
    check_tensor(input, "norm")
    if isinstance(out, D.dtype):  # Tensor.norm(p, dim, keepdim, dtype): the method has no ``out``
        out, dtype = None, out
    if isinstance(p, Tensor):
        p = p.item()  # the order picks the program, so it must be concrete
    if p is None or (p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2)):
        p = 2
    if not isinstance(p, str):
        # dims normalized here: duplicates are an error, and a 0-d tensor takes dim 0 / -1
        return vector_norm(input, p, _axes(dim, input.ndim), keepdim, dtype=dtype, out=out)
    dim = tuple(range(input.ndim)) if dim is None else dim
    return matrix_norm(input, p, dim, keepdim, dtype=dtype, out=out)


# ---------------------------------------------------------------- logsumexp, softmax


def _logsumexp(x, *, axis, keepdims, dtype):
    x = x.astype(dtype)
    if builtins.all(x.shape[a] for a in axis):
        m = lax.stop_gradient(jnp.max(x, axis, keepdims=True))
        m = jnp.where(jnp.isinf(m), 0, m)  # all -inf (or an inf): torch's shift of 0
    else:
        m = jnp.zeros((), x.dtype)
    r = jnp.log(jnp.sum(jnp.exp(x - m), axis, keepdims=True)) + m
    return _squeeze(r, axis, keepdims)


@_numpy_names
def logsumexp(input, dim, keepdim: bool = False, *, out=None):
    """Mirrors torch.logsumexp (integers are computed in the default float dtype)."""
    check_tensor(input, "logsumexp")
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
    if not isinstance(dim, (int, np.integer)) and len(dim) == 0:
        raise RuntimeError("logsumexp(): dim=() is not supported, as in torch; pass the dims to reduce")
    dt = input.dtype if _is_float(input.dtype) else D.get_default_dtype()
    static = (("axis", _axes(dim, input.ndim)), ("keepdims", builtins.bool(keepdim)), ("dtype", dt.np))
    return to_out(dispatch(_logsumexp, (input,), static, "LogsumexpBackward0"), out)


def _softmax(x, *, f, axis, dtype):
    y = f(jnp.atleast_1d(x).astype(_upcast(dtype)), axis=axis)
    return y.astype(dtype).reshape(x.shape)


def _softmax_op(input, dim, dtype, f, name):
    check_tensor(input, name)
    d = _one_dim(input, dim, name)
    if dtype is None and not _is_float(input.dtype):
        where = "lastdim_" if d == builtins.max(input.ndim - 1, 0) else ""
        raise NotImplementedError(f"\"{name}_{where}kernel_impl\" not implemented for '{_cap(input.dtype)}'")
    dt = dtype or input.dtype
    static = (("f", f), ("axis", d), ("dtype", dt.np))
    return dispatch(_softmax, (input,), static, "".join(s.capitalize() for s in name.split("_")) + "Backward0")


@_numpy_names
def softmax(input, dim: int, dtype=None):
    """Mirrors torch.softmax / Tensor.softmax (half types are computed in float32)."""
    return _softmax_op(input, dim, dtype, jax.nn.softmax, "softmax")


@_numpy_names
def log_softmax(input, dim: int, dtype=None):
    """Mirrors torch.log_softmax / Tensor.log_softmax."""
    return _softmax_op(input, dim, dtype, jax.nn.log_softmax, "log_softmax")


# ---------------------------------------------------------------- cumulative ops


def _cumulative(x, *, f, axis, dtype):
    return f(jnp.atleast_1d(x.astype(dtype)), axis=axis).reshape(x.shape)


def _cum_op(input, dim, dtype, f, fname, name):
    check_tensor(input, fname)
    static = (("f", f), ("axis", _one_dim(input, dim, fname)), ("dtype", dtype.np))
    return dispatch(_cumulative, (input,), static, name)


@_numpy_names
def cumsum(input, dim: int, *, dtype=None, out=None):
    """Mirrors torch.cumsum."""
    return to_out(_cum_op(input, dim, _acc_dtype(input, dtype), jnp.cumsum, "cumsum", "CumsumBackward0"), out)


@_numpy_names
def cumprod(input, dim: int, *, dtype=None, out=None):
    """Mirrors torch.cumprod."""
    return to_out(_cum_op(input, dim, _acc_dtype(input, dtype), jnp.cumprod, "cumprod", "CumprodBackward0"), out)


def _cumlogsumexp(x, axis):
    return lax.cumlogsumexp(x, axis=axis)


@_numpy_names
def logcumsumexp(input, dim: int, *, out=None):
    """Mirrors torch.logcumsumexp."""
    check_tensor(input, "logcumsumexp")
    if not _is_float(input.dtype):
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{_cap(input.dtype)}'")
    return to_out(_cum_op(input, dim, input.dtype, _cumlogsumexp, "logcumsumexp", "LogcumsumexpBackward0"), out)


def _pick_later(a, b, better):
    """Combine two (value, index) scan segments, ``b`` the later: NaN beats all, ties go to ``b``."""
    (va, ia), (vb, ib) = a, b
    take_b = _isnan(vb) | (~_isnan(va) & better(vb, va))
    return jnp.where(take_b, vb, va), jnp.where(take_b, ib, ia)


_cummax_combine = functools.partial(_pick_later, better=jnp.greater_equal)
_cummin_combine = functools.partial(_pick_later, better=jnp.less_equal)


def _cum_extreme(x, *, axis, largest):
    x1 = jnp.atleast_1d(x)
    idx = lax.broadcasted_iota(jnp.int64, x1.shape, axis)
    if x1.shape[axis]:
        combine = _cummax_combine if largest else _cummin_combine
        _, idx = lax.associative_scan(combine, (x1, idx), axis=axis)
    return jnp.take_along_axis(x1, idx, axis).reshape(x.shape), idx.reshape(x.shape)


def _cum_extreme_op(input, dim, out, largest):
    name = "cummax" if largest else "cummin"
    check_tensor(input, name)
    static = (("axis", _one_dim(input, dim, name)), ("largest", largest))
    r = dispatch(_cum_extreme, (input,), static, name.capitalize() + "Backward0")
    return getattr(return_types, name)(*to_out(r, out))


@_numpy_names
def cummax(input, dim: int, *, out=None):
    """Mirrors torch.cummax: ``(values, indices)``, the last index among ties."""
    return _cum_extreme_op(input, dim, out, largest=True)


@_numpy_names
def cummin(input, dim: int, *, out=None):
    """Mirrors torch.cummin: ``(values, indices)``, the last index among ties."""
    return _cum_extreme_op(input, dim, out, largest=False)


# ---------------------------------------------------------------- all, any, count_nonzero


def _logical(x, *, f, axis, keepdims, dtype):
    return f(x != 0, axis=axis, keepdims=keepdims).astype(dtype)


def _all_any(input, dim, keepdim, f, name):
    check_tensor(input, name)
    dt = np.uint8 if input.dtype is D.uint8 else np.bool_
    static = (
        ("f", f),
        ("axis", _axes(dim, input.ndim, empty_is_all=False)),
        ("keepdims", builtins.bool(keepdim)),
        ("dtype", dt),
    )
    return dispatch(_logical, (input,), static)


@_numpy_names
def all(input, dim=None, keepdim: bool = False, *, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.all (bool result; uint8 stays uint8)."""
    return to_out(_all_any(input, dim, keepdim, jnp.all, "all"), out)


@_numpy_names
def any(input, dim=None, keepdim: bool = False, *, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.any (bool result; uint8 stays uint8)."""
    return to_out(_all_any(input, dim, keepdim, jnp.any, "any"), out)


@_numpy_names
def count_nonzero(input, dim=None):
    """Mirrors torch.count_nonzero."""
    check_tensor(input, "count_nonzero")
    static = (("f", jnp.sum), ("axis", _axes(dim, input.ndim)), ("keepdims", False), ("dtype", np.int64))
    return dispatch(_logical, (input,), static)


_OWN = [
    "sum",
    "nansum",
    "mean",
    "nanmean",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "aminmax",
    "argmax",
    "argmin",
    "std",
    "var",
    "std_mean",
    "var_mean",
    "norm",
    "logsumexp",
    "softmax",
    "log_softmax",
    "cumsum",
    "cumprod",
    "logcumsumexp",
    "cummax",
    "cummin",
    "all",
    "any",
    "count_nonzero",
]
__all__ = ["return_types", *_OWN, *_sorting.__all__]
METHODS = [n for n in __all__ if n not in ("return_types", "std_mean", "var_mean")]
INPLACE = ["cumsum", "cumprod"]
