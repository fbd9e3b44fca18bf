"""Reductions: sum, mean, prod, max/min, std/var, norm, logsumexp, cumulative ops, sort, topk, unique.

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
import collections
import functools
import math
import sys
import types
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor, _is_tracer
from ._util import check_tensor, dims, to_out, wrap_dim
from .index import _data_dependent
from .linalg import matrix_norm, vector_norm
from .pointwise import maximum, minimum

# ---------------------------------------------------------------- return types

return_types = types.ModuleType("torchlike.return_types", "Mirrors torch.return_types: named result tuples.")
sys.modules[return_types.__name__] = return_types


def _structseq_repr(self) -> str:
    fields = ",\n".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
    return f"{type(self).__module__}.{type(self).__name__}(\n{fields})"


def _return_type(name: str, fields=("values", "indices")):
    cls = collections.namedtuple(name, fields, module=return_types.__name__)
    cls.__repr__ = _structseq_repr
    setattr(return_types, name, cls)
    return cls


_NAMED = {
    n: _return_type(n)
    for n in ("max", "min", "median", "nanmedian", "mode", "kthvalue", "topk", "sort", "cummax", "cummin")
}
_AMINMAX = _return_type("aminmax", ("min", "max"))

# ---------------------------------------------------------------- helpers

_C_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "bfloat16": "BFloat16",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}


def _cap(d: D.dtype) -> str:
    return _C_NAMES.get(d.name, d.name)


def _is_float(d: D.dtype) -> bool:
    return d.category >= D._CATEGORY_FLOAT


def _axes(dim, ndim: int, empty_is_all: bool = True) -> tuple:
    """``dim`` (None, int or sequence) as sorted axes; torch reads an empty sequence as all dims for most
    reductions. A 0-d tensor accepts dim 0 and -1 but has no axis to reduce."""
    if empty_is_all and dim is not None and not isinstance(dim, (int, np.integer)) and len(dim) == 0:
        dim = None
    axes = dims(dim, ndim)
    return axes if ndim else ()


def _one_dim(input: Tensor, dim, fname: str, nonempty: bool = False) -> int:
    """A single wrapped dim (0 for a 0-d tensor, seen as shape (1,) by the programs)."""
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{fname}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = wrap_dim(int(dim), input.ndim)
    if nonempty and input.ndim and input.shape[d] == 0:
        raise IndexError(f"{fname}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _check_nonempty(input: Tensor, axes: tuple, fname: str, dim_given: bool = True) -> None:
    if input.numel() == 0 and not dim_given:
        raise RuntimeError(
            f"{fname}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
            "with the 'dim' argument."
        )
    for a in axes:
        if input.shape[a] == 0:
            raise IndexError(f"{fname}(): Expected reduction dim {a} to have non-zero size.")


def _isnan(x):
    return jnp.isnan(x) if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.zeros(x.shape, bool)


def _kept_shape(shape, axis) -> tuple:
    return tuple(1 if d == axis else n for d, n in enumerate(shape))


def _squeeze(x, axis, keepdims):
    return x if keepdims else jnp.squeeze(x, axis)


def _acc_dtype(input: Tensor, dtype: D.dtype | None) -> D.dtype:
    """torch sums and multiplies integers and bools in int64 unless a dtype is given."""
    if dtype is not None:
        return dtype
    return D.int64 if input.dtype.category <= D._CATEGORY_INT else input.dtype


def _upcast(d):
    """The dtype to accumulate in: float32 for half types, as torch does."""
    return jnp.promote_types(d, jnp.float32) if jnp.issubdtype(d, jnp.floating) else d


def _numpy_names(fn):
    """torch's argument parser also takes NumPy's ``axis`` and ``keepdims`` for ``dim`` and ``keepdim``."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)

    return op


@jax.custom_jvp
def _spread(x, v):
    """``v`` (a max, min or median of ``x``, dims kept): torch splits its gradient evenly among the
    elements equal to it, NaN counting as equal to NaN (evenly_distribute_backward)."""
    return v


@_spread.defjvp
def _spread_jvp(primals, tangents):
    x, v = primals
    tx, _ = tangents
    mask = (x == v) | (_isnan(x) & _isnan(v))
    axes = tuple(d for d in range(x.ndim) if v.shape[d] == 1)
    count = jnp.sum(mask, axes, keepdims=True).astype(tx.dtype)
    return v, jnp.sum(jnp.where(mask, tx, 0), axes, keepdims=True) / count


# ---------------------------------------------------------------- sum, mean, prod


def _reduce(x, *, f, axis, keepdims, dtype):
    return f(x.astype(dtype), axis=axis, keepdims=keepdims)


def _reduction(f, input, axis, keepdim, dtype, name):
    static = (("f", f), ("axis", axis), ("keepdims", builtins.bool(keepdim)), ("dtype", dtype.np))
    return dispatch(_reduce, (input,), static, name)


@_numpy_names
def sum(input, dim=None, keepdim: bool = False, *, dtype=None, out=None):  # noqa: A001 - torch's name
    """Mirrors torch.sum."""
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
    return _NAMED[name](*to_out(r, out))


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
    return _AMINMAX(*to_out(r, out))


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
    return _NAMED[name](*to_out(r, out))


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


# ---------------------------------------------------------------- sort, topk, kthvalue


def _argsort(x, *, axis, descending):
    # always stable (torch's unstable CPU sort agrees up to 16 elements); NaN sorts as the largest value
    i = jnp.argsort(jnp.atleast_1d(x), axis=axis, stable=True, descending=descending)
    return i.astype(jnp.int64).reshape(x.shape)


def _sort(x, *, axis, descending):
    i = jnp.atleast_1d(_argsort(x, axis=axis, descending=descending))
    return jnp.take_along_axis(jnp.atleast_1d(x), i, axis).reshape(x.shape), i.reshape(x.shape)


@_numpy_names
def sort(input, dim: int = -1, descending: bool = False, stable: bool = False, *, out=None):
    """Mirrors torch.sort: ``(values, indices)``. Always stable; torch's default unstable CPU sort may
    order equal elements of slices longer than 16 differently."""
    check_tensor(input, "sort")
    static = (("axis", _one_dim(input, dim, "sort")), ("descending", builtins.bool(descending)))
    return _NAMED["sort"](*to_out(dispatch(_sort, (input,), static, "SortBackward0"), out))


@_numpy_names
def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """Mirrors torch.argsort (always stable, as torch.sort here)."""
    check_tensor(input, "argsort")
    static = (("axis", _one_dim(input, dim, "argsort")), ("descending", builtins.bool(descending)))
    return dispatch(_argsort, (input,), static)


def msort(input, *, out=None):
    """Mirrors torch.msort: sorted along dim 0."""
    return to_out(sort(input, 0).values, out)


def _topk(x, *, k, axis, largest):
    x1 = jnp.atleast_1d(x)
    i = lax.slice_in_dim(jnp.atleast_1d(_argsort(x, axis=axis, descending=largest)), 0, k, axis=axis)
    v = jnp.take_along_axis(x1, i, axis)
    return (v.reshape(()), i.reshape(())) if x.ndim == 0 and k == 1 else (v, i)


@_numpy_names
def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *, out=None):  # noqa: A002
    """Mirrors torch.topk. Among equal values the lower index comes first; torch's CPU order at ties is
    its selection algorithm's, and ``sorted=False`` still returns them sorted."""
    check_tensor(input, "topk")
    if input.dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = _one_dim(input, dim, "topk")
    if not 0 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError("selected index k out of range")
    static = (("k", int(k)), ("axis", d), ("largest", builtins.bool(largest)))
    return _NAMED["topk"](*to_out(dispatch(_topk, (input,), static, "TopkBackward0"), out))


def _take_sorted(x, pos, *, axis, keepdims):
    """Values and indices at sorted position(s) ``pos`` (dims kept) along ``axis`` of a stable sort."""
    x1 = jnp.atleast_1d(x)
    i = jnp.take_along_axis(jnp.atleast_1d(_argsort(x, axis=axis, descending=False)), pos, axis)
    return _squeeze(jnp.take_along_axis(x1, i, axis), axis, keepdims), _squeeze(i, axis, keepdims)


def _kthvalue(x, *, k, axis, keepdims):
    pos = jnp.full(_kept_shape(jnp.shape(jnp.atleast_1d(x)), axis), k - 1, jnp.int64)
    return _take_sorted(x, pos, axis=axis, keepdims=keepdims)


@_numpy_names
def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False, *, out=None):
    """Mirrors torch.kthvalue. Among equal values the stable sort's order decides the index; torch's
    CPU quickselect may pick another of the equal elements."""
    check_tensor(input, "kthvalue")
    d = _one_dim(input, dim, "kthvalue", nonempty=True)
    if not 1 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    static = (("k", int(k)), ("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0))
    return _NAMED["kthvalue"](*to_out(dispatch(_kthvalue, (input,), static, "KthvalueBackward0"), out))


# ---------------------------------------------------------------- median, mode, quantile


def _median_pos(x, *, axis, ignore_nan):
    """Torch's median position in the stable sort (dims kept): the lower median, NaN sorting last;
    median takes the first NaN where there is one, nanmedian the median of the rest."""
    n = x.shape[axis]
    nan = _isnan(x)
    if ignore_nan:
        return jnp.maximum(n - jnp.sum(nan, axis, keepdims=True) - 1, 0) // 2
    return jnp.full(_kept_shape(x.shape, axis), (n - 1) // 2, jnp.int64)


def _median_dim(x, *, axis, keepdims, ignore_nan):
    x1 = jnp.atleast_1d(x)
    v, i = _take_sorted(x1, _median_pos(x1, axis=axis, ignore_nan=ignore_nan), axis=axis, keepdims=True)
    if not ignore_nan:  # the first NaN, as torch returns it
        nan = _isnan(x1)
        has = jnp.any(nan, axis, keepdims=True)
        i = jnp.where(has, jnp.argmax(nan, axis, keepdims=True), i)
        v = jnp.take_along_axis(x1, i, axis)
    return _squeeze(v, axis, keepdims), _squeeze(i, axis, keepdims)


def _median_all(x, *, ignore_nan):
    if x.size == 0:
        return jnp.full((), jnp.nan).astype(x.dtype)
    v, _ = _median_dim(x.reshape(-1), axis=0, keepdims=True, ignore_nan=ignore_nan)
    return _spread(x, lax.stop_gradient(v).reshape((1,) * x.ndim)).reshape(())


def _median_op(input, dim, keepdim, out, ignore_nan):
    name = "nanmedian" if ignore_nan else "median"
    check_tensor(input, name)
    if input.dtype is D.bool:
        raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
    if dim is None:
        return to_out(dispatch(_median_all, (input,), (("ignore_nan", ignore_nan),), "MedianBackward0"), out)
    d = _one_dim(input, dim, name, nonempty=True)
    static = (("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0), ("ignore_nan", ignore_nan))
    return _NAMED[name](*to_out(dispatch(_median_dim, (input,), static, "MedianBackward1"), out))


@_numpy_names
def median(input, dim=None, keepdim: bool = False, *, out=None):
    """Mirrors torch.median: the lower median of all elements, or ``(values, indices)`` along ``dim``."""
    return _median_op(input, dim, keepdim, out, ignore_nan=False)


@_numpy_names
def nanmedian(input, dim=None, keepdim: bool = False, *, out=None):
    """Mirrors torch.nanmedian: median ignoring NaN. For an all-NaN slice the index is the first NaN's;
    torch's is unspecified."""
    return _median_op(input, dim, keepdim, out, ignore_nan=True)


def _shifted_ne(s, axis, pad_at_end):
    """``s[i] != s[i+1]`` along ``axis``, padded with True at the start or the end."""
    n = s.shape[axis]
    ne = lax.slice_in_dim(s, 1, n, axis=axis) != lax.slice_in_dim(s, 0, n - 1, axis=axis)
    pad = jnp.ones(_kept_shape(s.shape, axis), bool)
    return jnp.concatenate([ne, pad] if pad_at_end else [pad, ne], axis)


def _mode(x, *, axis, keepdims):
    x1 = jnp.atleast_1d(x)
    order = jnp.atleast_1d(_argsort(x, axis=axis, descending=False))
    s = jnp.take_along_axis(x1, order, axis)
    pos = lax.broadcasted_iota(jnp.int64, s.shape, axis)
    start = lax.cummax(jnp.where(_shifted_ne(s, axis, False), pos, 0), axis=axis)
    end = lax.cummin(jnp.where(_shifted_ne(s, axis, True), pos, s.shape[axis] - 1), axis=axis, reverse=True)
    # the first longest run is the smallest most frequent value; torch returns its last occurrence
    best = jnp.argmax(end - start, axis, keepdims=True)
    i = jnp.take_along_axis(order, jnp.take_along_axis(end, best, axis), axis)
    return _squeeze(jnp.take_along_axis(x1, i, axis), axis, keepdims), _squeeze(i, axis, keepdims)


@_numpy_names
def mode(input, dim: int = -1, keepdim: bool = False, *, out=None):
    """Mirrors torch.mode: the smallest most frequent value and its last index. Torch's CPU index is
    the last one only for slices of up to 16 elements (beyond, its unstable sort decides)."""
    check_tensor(input, "mode")
    d = _one_dim(input, dim, "mode", nonempty=True)
    static = (("axis", d), ("keepdims", builtins.bool(keepdim) and input.ndim > 0))
    return _NAMED["mode"](*to_out(dispatch(_mode, (input,), static, "ModeBackward0"), out))


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")
_ROUNDING = {"lower": jnp.floor, "higher": jnp.ceil, "nearest": jnp.round}


def _lerp(a, b, w):
    # torch's two-sided lerp, which quantile uses
    return jnp.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


def _quantile(x, q, *, axis, keepdims, mode, ignore_nan, scalar_q):
    x1 = x.reshape(-1) if axis is None else jnp.atleast_1d(x)
    s = jnp.sort(jnp.moveaxis(x1, 0 if axis is None else axis, -1), axis=-1)[..., None, :]  # NaN last
    q = jnp.asarray(q).astype(x.dtype).reshape(-1, 1)
    nan = jnp.isnan(s)
    if ignore_nan:
        ranks = jnp.maximum(q * (jnp.sum(~nan, -1, keepdims=True) - 1), 0)
    else:
        last = s.shape[-1] - 1
        ranks = jnp.where(jnp.any(nan, -1, keepdims=True), last, q * last)
    if mode in _ROUNDING:
        ranks = _ROUNDING[mode](ranks)
    below = ranks.astype(jnp.int64)
    r = jnp.take_along_axis(s, below, -1)
    if mode in ("linear", "midpoint"):
        w = jnp.full_like(ranks, 0.5) if mode == "midpoint" else ranks - below
        r = _lerp(r, jnp.take_along_axis(s, jnp.ceil(ranks).astype(jnp.int64), -1), w)
    r = jnp.moveaxis(r[..., 0], -1, 0)  # the q dim first
    if keepdims:
        kept = range(1, x.ndim + 1) if axis is None else (axis + 1,) if x.ndim else ()
        r = jnp.expand_dims(r, tuple(kept))
    return r[0] if scalar_q else r


def _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan):
    name = "nanquantile" if ignore_nan else "quantile"
    check_tensor(input, name)
    if input.dtype not in (D.float32, D.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype != input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        concrete = None if _is_tracer(q._value) else np.asarray(q._value)
    else:
        concrete = np.asarray(q)
    if concrete is not None and not ((concrete >= 0) & (concrete <= 1)).all():
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got {interpolation}"
        )
    if isinstance(q, Tensor) and interpolation != "linear":
        q = q.detach()  # only linear interpolation weights depend on q; torch's q gets no gradient otherwise
    axis = None if dim is None else _one_dim(input, dim, name)
    scalar_q = not isinstance(q, Tensor) or q.ndim == 0
    static = (("axis", axis), ("keepdims", builtins.bool(keepdim)), ("mode", interpolation))
    static += (("ignore_nan", ignore_nan), ("scalar_q", scalar_q))
    return to_out(dispatch(_quantile, (input, q), static, "QuantileBackward0"), out)


@_numpy_names
def quantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear", out=None):
    """Mirrors torch.quantile."""
    return _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan=False)


@_numpy_names
def nanquantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear", out=None):
    """Mirrors torch.nanquantile."""
    return _quantile_op(input, q, dim, keepdim, interpolation, out, ignore_nan=True)


# ---------------------------------------------------------------- unique (eager only)


def _concrete(input: Tensor, what: str) -> np.ndarray:
    if _is_tracer(input._value):
        _data_dependent(what)
    return np.asarray(input._value)


def _unique_result(values, inverse, counts, return_inverse, return_counts):
    out = [Tensor._make(jnp.asarray(values))]
    if return_inverse:
        out.append(Tensor._make(jnp.asarray(inverse, jnp.int64)))
    if return_counts:
        out.append(Tensor._make(jnp.asarray(counts, jnp.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):  # noqa: A002
    """Mirrors torch.unique (always sorted). Eager only: the output size depends on the data. The
    result does not require grad (torch's does, but has no backward)."""
    check_tensor(input, "unique")
    a = _concrete(input, "torch.unique")
    if dim is None:
        v, inv, cnt = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        inv = inv.reshape(a.shape)
    else:
        d = wrap_dim(dim, a.ndim)
        v, inv, cnt = np.unique(a, return_inverse=True, return_counts=True, axis=d)
        inv = inv.reshape(-1)
    return _unique_result(v, inv, cnt, return_inverse, return_counts)


def unique_consecutive(input, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """Mirrors torch.unique_consecutive. Eager only: the output size depends on the data."""
    check_tensor(input, "unique_consecutive")
    a = _concrete(input, "torch.unique_consecutive")
    d = 0 if dim is None else wrap_dim(dim, a.ndim)
    flat = a.reshape(-1) if dim is None else np.moveaxis(a, d, 0)
    n = flat.shape[0]
    ne = flat[1:] != flat[:-1]
    change = np.concatenate([np.ones(builtins.min(n, 1), bool), ne.any(axis=tuple(range(1, ne.ndim)))])
    starts = np.flatnonzero(change)
    inv = np.cumsum(change) - 1
    v = np.take(flat, starts, axis=0)
    v = v if dim is None else np.moveaxis(v, 0, d)
    cnt = np.diff(np.append(starts, n))
    return _unique_result(v, inv.reshape(a.shape) if dim is None else inv, cnt, return_inverse, return_counts)


__all__ = [
    "return_types",
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
    "sort",
    "argsort",
    "msort",
    "topk",
    "kthvalue",
    "median",
    "nanmedian",
    "mode",
    "quantile",
    "nanquantile",
    "unique",
    "unique_consecutive",
]
METHODS = [n for n in __all__ if n not in ("return_types", "std_mean", "var_mean")]
INPLACE = ["cumsum", "cumprod"]
