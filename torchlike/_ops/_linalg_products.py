"""Other products: einsum, tensordot, kron, cross, trace, multi_dot, matrix_power, cdist, vecdot.

As in torch, operands share one dtype, except for ``kron``, which promotes.
"""

from __future__ import annotations

import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from . import shape
from ._linalg_decomp import linalg_inv
from ._linalg_norms import _pnorm
from ._linalg_util import _HI, _broadcast, _check_float, _check_matrix, _cn, _deprecated, _kernel, _mm, _sn, _tensors
from ._util import to_out, wrap_dim


def _einsum(*operands, equation):
    return jnp.einsum(equation, *operands, precision=_HI)


def _sublist_equation(args) -> tuple:
    """torch.einsum(op1, [0, 1], op2, [1, 2], [0, 2]) -> ('ab,bc->ac', ops)."""

    def letters(sub):
        return "".join(
            "..." if s is Ellipsis else "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[s] for s in sub
        )

    ops, subs = list(args[0::2]), list(args[1::2])
    out = None
    if len(ops) > len(subs):  # a trailing output sublist sits in the operand slot
        out = ops.pop()
    eq = ",".join(letters(s) for s in subs)
    return (eq if out is None else f"{eq}->{letters(out)}"), ops


def _einsum_check(equation: str, operands) -> None:
    """torch's einsum argument errors (JAX's would be ValueErrors with other wording)."""
    lhs = equation.split("->")[0]
    terms = lhs.split(",")
    if len(terms) != len(operands):
        word = "fewer" if len(operands) < len(terms) else "more"
        raise RuntimeError(f"einsum(): {word} operands were provided than specified in the equation")
    sizes = {}
    for i, (term, op) in enumerate(zip(terms, operands)):
        labels = term.replace("...", "")
        for j, c in enumerate(labels):
            if not c.isalpha() or not c.isascii():
                raise RuntimeError(
                    f"einsum(): invalid subscript given at index {j} in the equation string, subscripts must be in "
                    "[a-zA-Z]"
                )
        if "..." not in term and len(labels) != op.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(labels)}) does not match the number of "
                f"dimensions ({op.ndim}) for operand {i} and no ellipsis was given"
            )
        lead, _, trail = term.partition("...")
        for c, n in list(zip(lead, op.shape)) + list(zip(trail, op.shape[op.ndim - len(trail) :])):
            seen = sizes.setdefault(c, n)
            if n != seen and 1 not in (n, seen):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast with previously "
                    f"seen size {seen}"
                )
            if seen == 1:  # size-1 dims broadcast
                sizes[c] = n


def einsum(*args):
    """Mirrors torch.einsum: ``einsum(equation, *operands)``, a list of operands, or the sublist format."""
    if args and isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = operands[0]
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got {type(op).__name__}")
    equation = equation.replace(" ", "")
    _einsum_check(equation, operands)
    for op in operands[1:]:
        if op.dtype != operands[0].dtype:
            raise RuntimeError(f"expected scalar type {_sn(operands[0])} but found {_sn(op)}")
    try:
        return dispatch(_einsum, tuple(operands), (("equation", equation),), "ViewBackward0")
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}") from None


def _tensordot(a, b, *, axes):
    return jnp.tensordot(a, b, axes, precision=_HI)


def _tensordot_dims(dims, a, b) -> tuple:
    """torch.functional.tensordot's reading of ``dims``: an int, a pair of lists, or a tensor of either."""
    if isinstance(dims, Tensor):
        dims = int(dims) if dims.numel() == 1 else dims.tolist()
    if isinstance(dims, (list, tuple)):
        da, db = dims
        for d, arg, pos in ((da, "dims_self", 3), (db, "dims_other", 4)):
            if not isinstance(d, (list, tuple)):
                raise TypeError(
                    f"tensordot(): argument '{arg}' (position {pos}) must be tuple of ints, not {type(d).__name__}"
                )
        return list(da), list(db)
    if dims < 0:
        raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
    if dims > min(a.ndim, b.ndim):
        raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
    return list(range(-dims, 0)), list(range(dims))


def tensordot(a, b, dims=2, out=None):
    """Mirrors torch.tensordot."""
    _tensors("tensordot", (a, "a"), (b, "b"))
    da, db = _tensordot_dims(dims, a, b)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    wa, wb = [wrap_dim(d, a.ndim) for d in da], [wrap_dim(d, b.ndim) for d in db]
    for d1, d2, w1, w2 in zip(da, db, wa, wb):
        if a.shape[w1] != b.shape[w2]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[w1]} in dim {d1} and second has "
                f"size {b.shape[w2]} in dim {d2}"
            )
    res = dispatch(_tensordot, (a, b), (("axes", (tuple(wa), tuple(wb))),), "ViewBackward0")
    return to_out(res, out)


def _kron(a, b, *, dtype):
    nd = max(a.ndim, b.ndim)
    a = a.astype(dtype).reshape((1,) * (nd - a.ndim) + a.shape)
    b = b.astype(dtype).reshape((1,) * (nd - b.ndim) + b.shape)
    # a's dims at even positions, b's at odd ones, then merge each pair (jnp.kron refuses bool)
    prod = a.reshape(sum(((n, 1) for n in a.shape), ())) * b.reshape(sum(((1, n) for n in b.shape), ()))
    return prod.reshape(tuple(x * y for x, y in zip(a.shape, b.shape)))


def kron(input, other, *, out=None):
    """Mirrors torch.kron (promotes; the operand with fewer dims gets leading ones)."""
    _tensors("kron", (input, "input"), (other, "other"))
    dt = D.result_type(input, other)
    return to_out(dispatch(_kron, (input, other), (("dtype", dt.np),), "UnsafeViewBackward0"), out)


def _cross(a, b, *, axis):
    a, b = jnp.broadcast_arrays(a, b)
    return jnp.cross(a, b, axis=axis)


def linalg_cross(input, other, *, dim: int = -1, out=None):
    """Mirrors torch.linalg.cross."""
    _tensors("linalg_cross", (input, "input"), (other, "other"))
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and {other.shape[d]}"
        )
    _broadcast(input.shape, other.shape)
    if input.dtype != other.dtype:
        raise RuntimeError(f"expected scalar type {_sn(input)} but found {_sn(other)}")
    _kernel(input, "cross")
    return to_out(dispatch(_cross, (input, other), (("axis", d),), "LinalgCrossBackward0"), out)


def cross(input, other, dim=None, *, out=None):
    """Mirrors torch.cross (without ``dim``: the first dimension of size 3, with torch's warning)."""
    if dim is None:
        _deprecated(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
            "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
            "linalg.cross in a future release."
        )
        dim = next((i for i, n in enumerate(input.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


def _trace(x, *, dtype, acc):
    return jnp.sum(jnp.diagonal(x), dtype=acc).astype(dtype)


def trace(input):
    """Mirrors torch.trace (integers sum in int64)."""
    _tensors("trace", (input, "input"))
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    _kernel(input, "trace")
    dt = D.int64 if input.dtype.category == D._CATEGORY_INT else input.dtype
    acc = D.float32 if dt in (D.float16, D.bfloat16) else dt
    return dispatch(_trace, (input,), (("dtype", dt.np), ("acc", acc.np)), "TraceBackward0")


# ---------------------------------------------------------------- chains and powers


def _multi_dot(*xs):
    return jnp.linalg.multi_dot(xs, precision=_HI)


def linalg_multi_dot(tensors, *, out=None):
    """Mirrors torch.linalg.multi_dot (the first and last operands may be vectors)."""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        ok = (1, 2) if i in (0, n - 1) else (2,)
        if t.ndim not in ok:
            which = "first" if i == 0 else "last" if i == n - 1 else None
            what = f"the {which} tensor must be 1D or 2D" if which else f"tensor {i} must be 2D"
            raise RuntimeError(f"multi_dot(): {what} but got {t.ndim}D")
        if t.dtype != tensors[0].dtype:
            raise RuntimeError(
                f"multi_dot(): all tensors must have be the same dtype but tensor 0 is {_cn(tensors[0])} and "
                f"tensor {i} {_cn(t)}"
            )
    for i in range(n - 1):
        a, b = tensors[i], tensors[i + 1]
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(a.shape)} and {list(b.shape)} cannot be "
                "multiplied"
            )
    return to_out(dispatch(_multi_dot, tuple(tensors), (), "ViewBackward0"), out)


def chain_matmul(*matrices, out=None):
    """Mirrors torch.chain_matmul (deprecated in torch, with its warning)."""
    _deprecated(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters."
    )
    if len(matrices) == 1:
        return to_out(matrices[0].clone(), out)
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    return linalg_multi_dot(matrices, out=out)


def _matrix_power(a, *, n):
    if n == 0:
        return jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    result, z = None, a
    while n:  # binary powering, as torch does
        if n & 1:
            result = z if result is None else _mm(result, z)
        n >>= 1
        if n:
            z = _mm(z, z)
    return result


def matrix_power(input, n: int):
    """Mirrors torch.matrix_power / torch.linalg.matrix_power."""
    _tensors("matrix_power", (input, "input"))
    _check_matrix(input, "linalg.matrix_power", square=True)
    if n < 0:
        input, n = linalg_inv(input), -n
    name = "CopyBackwards" if n == 0 else "CloneBackward0" if n == 1 else "MmBackward0"
    return dispatch(_matrix_power, (input,), (("n", n),), name)


def _cdist(x1, x2, *, p):
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    return _pnorm(diff, p, (-1,), False)


def cdist(x1, x2, p: float = 2.0, compute_mode=None):
    """Mirrors torch.cdist.

    Always computes the differences directly; torch switches to a matrix-product
    formula for p=2 past 25 rows, which can differ in the last float32 digits.
    """
    _tensors("cdist", (x1, "x1"), (x2, "x2"))
    for x, arg in ((x1, "X1"), (x2, "X2")):
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {arg} got: {x.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    for x, arg in ((x1, "X1"), (x2, "X2")):
        if x.dtype.category != D._CATEGORY_FLOAT:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {arg} got: {_sn(x)}")
    if x1.dtype in (D.float16, D.bfloat16):
        raise NotImplementedError(f"\"cdist\" not implemented for '{_sn(x1)}'")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if x1.dtype != x2.dtype:
        raise RuntimeError(f"expected scalar type {_sn(x1)} but found {_sn(x2)}")
    _broadcast(x1.shape[:-2], x2.shape[:-2])
    return dispatch(_cdist, (x1, x2), (("p", float(p)),), "CdistBackward0")


# ---------------------------------------------------------------- vecdot, diagonal


def _vecdot(x, y, *, axis):
    return jnp.sum(jnp.conj(x) * y if jnp.iscomplexobj(x) else x * y, axis)


def linalg_vecdot(x, y, *, dim: int = -1, out=None):
    """Mirrors torch.linalg.vecdot: ``sum(conj(x) * y, dim)`` with broadcasting."""
    _tensors("linalg_vecdot", (x, "x"), (y, "y"))
    _check_float(x, "linalg.vecdot")
    if x.dtype != y.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type {_sn(x)} and y of type "
            f"{_sn(y)} instead"
        )
    shp = _broadcast(x.shape, y.shape)
    return to_out(dispatch(_vecdot, (x, y), (("axis", wrap_dim(dim, len(shp))),), "SumBackward1"), out)


def linalg_diagonal(A, *, offset: int = 0, dim1: int = -2, dim2: int = -1):
    """Mirrors torch.linalg.diagonal (a view)."""
    return shape.diagonal(A, offset, dim1, dim2)
