"""Norms: torch.linalg.vector_norm, matrix_norm and norm, with torch's gradients at zero."""

from __future__ import annotations

import math

import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from ._linalg_util import _SCALAR, _check_float, _check_matrix, _sn, _tensors
from ._util import to_out, wrap_dim


def _abs0(x):
    """|x| whose derivative at 0 is 0 (torch's sgn), where JAX's abs gives 1."""
    return jnp.abs(x) if jnp.iscomplexobj(x) else x * jnp.sign(x)


def _pnorm(x, ord, axis, keepdims):
    """The vector ``ord``-norm over ``axis``, with torch's gradients: 0 where the norm (or, for ord < 1, x) is 0."""
    a = _abs0(x)
    if ord == math.inf:
        return jnp.max(a, axis, keepdims=keepdims)
    if ord == -math.inf:
        return jnp.min(a, axis, keepdims=keepdims)
    if ord == 0:
        return jnp.sum(a != 0, axis, keepdims=keepdims).astype(a.dtype)
    if ord == 1:
        return jnp.sum(a, axis, keepdims=keepdims)
    zero = a == 0
    if ord == 2:
        s = jnp.sum(a * a, axis, keepdims=keepdims)
    else:
        s = jnp.sum(jnp.where(zero, 0 if ord > 0 else jnp.inf, jnp.where(zero, 1, a) ** ord), axis, keepdims=keepdims)
    empty = s == 0
    safe = jnp.where(empty, 1, s)
    return jnp.where(empty, 0, jnp.sqrt(safe) if ord == 2 else safe ** (1 / ord))


def _vector_norm(x, *, ord, axis, keepdims, dtype):
    return _pnorm(x.astype(dtype), ord, axis, keepdims)


def _norm_dtype(x, dtype, fname: str):
    """The dtype a norm computes in: ``dtype`` if given (torch forbids narrowing), else the input's."""
    if dtype is None:
        return x.dtype
    if dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"{fname}: dtype should be floating point or complex, but got {_SCALAR[dtype.name]}")
    if D.promote_types(x.dtype, dtype) != dtype:
        raise RuntimeError(
            f"{fname}: the dtype of the input ({_sn(x)}) should be convertible without narrowing to the specified "
            f"dtype ({_SCALAR[dtype.name]})"
        )
    return dtype


def _norm_dims(dim, ndim: int) -> tuple:
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return tuple(wrap_dim(d, ndim) for d in dims)


def vector_norm(x, ord=2, dim=None, keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.linalg.vector_norm."""
    _tensors("linalg_vector_norm", (x, "input"))
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' must be Number, not str")
    ord = float(ord)
    _check_float(x, "linalg.vector_norm")
    dt = _norm_dtype(x, dtype, "linalg.vector_norm")
    axis = _norm_dims(dim, x.ndim)
    if (ord < 0 or ord == math.inf) and x.numel() == 0:
        empty = [d for d in axis if x.shape[d] == 0]
        if dim is None and empty or (not x.ndim and not x.numel()):
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on an empty tensor because the "
                "operation does not have an identity"
            )
        if empty:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on the dimension {empty[0]} because "
                "this dimension is empty and the operation does not have an identity"
            )
    static = (("ord", ord), ("axis", axis), ("keepdims", bool(keepdim)), ("dtype", dt.np))
    return to_out(dispatch(_vector_norm, (x,), static, "LinalgVectorNormBackward0"), out)


def _ord_str(ord) -> str:
    return "inf" if ord == math.inf else "-inf" if ord == -math.inf else f"{ord:g}"


def _matrix_norm(x, *, ord, dims, keepdims, dtype):
    x = x.astype(dtype)
    if ord == "fro":
        return _pnorm(x, 2, dims, keepdims)
    if ord == "nuc" or abs(ord) == 2:
        s = jnp.linalg.svd(jnp.moveaxis(x, dims, (-2, -1)), compute_uv=False)
        r = jnp.sum(s, -1) if ord == "nuc" else jnp.max(s, -1) if ord > 0 else jnp.min(s, -1)
        return jnp.expand_dims(r, sorted(dims)) if keepdims else r
    d0, d1 = dims if abs(ord) == 1 else dims[::-1]  # the inf-norm is the 1-norm of the transpose
    r = jnp.sum(_abs0(x), d0, keepdims=True)
    r = jnp.max(r, d1, keepdims=True) if ord > 0 else jnp.min(r, d1, keepdims=True)
    return r if keepdims else jnp.squeeze(r, (d0, d1))


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None, out=None):
    """Mirrors torch.linalg.matrix_norm: 'fro', 'nuc', inf, -inf, 1, -1, 2, -2."""
    _tensors("linalg_matrix_norm", (A, "input"))
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    else:
        ord = float(ord)
        if abs(ord) not in (1.0, 2.0, math.inf):
            raise RuntimeError(f"linalg.matrix_norm: Order {_ord_str(ord)} not supported.")
    _check_matrix(A, "linalg.matrix_norm")
    _check_float(A, "linalg.matrix_norm", "error" if ord in ("nuc", 2.0, -2.0) else None)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dims)}")
    dims = tuple(wrap_dim(d, A.ndim) for d in dims)
    if dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})")
    dt = _norm_dtype(A, dtype, "linalg.matrix_norm")
    static = (("ord", ord), ("dims", dims), ("keepdims", bool(keepdim)), ("dtype", dt.np))
    name = "LinalgVectorNormBackward0" if ord == "fro" else "LinalgMatrixNormBackward0"
    return to_out(dispatch(_matrix_norm, (A,), static, name), out)


def linalg_norm(A, ord=None, dim=None, keepdim: bool = False, *, out=None, dtype=None):
    """Mirrors torch.linalg.norm: a vector or matrix norm, by ``dim`` and ``ord`` as torch decides."""
    _tensors("linalg_norm", (A, "input"))
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.ndim}D."
        )
    if ord is not None and (isinstance(ord, str) or (len(dims) if dim is not None else A.ndim) == 2):
        return matrix_norm(A, ord, (0, 1) if dim is None else dims, keepdim, dtype=dtype, out=out)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
