"""Linear algebra: matrix products, decompositions and norms (torch.matmul ... torch.linalg.*).

Products keep torch's rule that their operands share one dtype (only ``outer``,
``addr`` and ``kron`` promote, as in torch) and run float32 at full precision,
as torch does by default (no TF32). Checks that need values (a singular matrix
in ``inv``/``solve``, one that is not positive-definite in ``cholesky``) read an
``info`` output eagerly and raise ``LinAlgError`` as torch does; under tracing
they are skipped and the result holds inf/nan, as in JAX. ``torchlike.linalg``
re-exports the ``linalg_*`` functions defined here under torch's names.
"""

from __future__ import annotations

import collections
import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from . import pointwise, shape
from ._util import to_out, wrap_dim

_HI = lax.Precision.HIGHEST


class LinAlgError(RuntimeError):
    """Mirrors torch.linalg.LinAlgError (a RuntimeError)."""


# torch's named-tuple return types (torch.return_types.*)
_Slogdet = collections.namedtuple("slogdet", "sign logabsdet")
_LinalgSlogdet = collections.namedtuple("linalg_slogdet", "sign logabsdet")
_Svd = collections.namedtuple("svd", "U S V")
_LinalgSvd = collections.namedtuple("linalg_svd", "U S Vh")
_Qr = collections.namedtuple("qr", "Q R")
_LinalgQr = collections.namedtuple("linalg_qr", "Q R")
_LinalgEigh = collections.namedtuple("linalg_eigh", "eigenvalues eigenvectors")
_LinalgInvEx = collections.namedtuple("linalg_inv_ex", "inverse info")
_LinalgSolveEx = collections.namedtuple("linalg_solve_ex", "result info")
_LinalgCholeskyEx = collections.namedtuple("linalg_cholesky_ex", "L info")
_LinalgLstsq = collections.namedtuple("linalg_lstsq", "solution residuals rank singular_values")

# ---------------------------------------------------------------- names and checks

_SCALAR = {
    "float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
    "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble",
}  # fmt: skip
_CPP = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}  # fmt: skip

_Spec = collections.namedtuple("_Spec", "shape dtype requires_grad")


def _sn(x) -> str:
    """torch's ScalarType name of a tensor's (or spec's) dtype: Float, Long, ..."""
    return _SCALAR[x.dtype.name]


def _cn(x) -> str:
    """The C++ type name torch prints in some messages: float, long int, ..."""
    return _CPP[x.dtype.name]


def _x(shape) -> str:
    return "x".join(str(s) for s in shape)


def _spec(t: Tensor) -> _Spec:
    return _Spec(tuple(t.shape), t.dtype, t.requires_grad)


def _tensors(fname: str, *pairs) -> None:
    for pos, (x, arg) in enumerate(pairs, 1):
        if not isinstance(x, Tensor):
            raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _kernel(x, kernel: str) -> None:
    if x.dtype is D.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_float(x, fname: str, low_precision: str | None = None) -> None:
    """Float or complex only. ``low_precision`` says how torch refuses half and bfloat16: None (it accepts
    them), "error" (a RuntimeError) or the name of the CPU kernel that lacks them (a NotImplementedError)."""
    if x.dtype.category < D._CATEGORY_FLOAT:
        raise RuntimeError(f"{fname}: Expected a floating point or complex tensor as input. Got {_sn(x)}")
    if low_precision and x.dtype in (D.float16, D.bfloat16):
        if low_precision != "error":
            raise NotImplementedError(f"\"{low_precision}\" not implemented for '{_sn(x)}'")
        raise RuntimeError(f"{fname}: Low precision dtypes not supported. Got {_sn(x)}")


def _check_matrix(x, fname: str, square: bool = False) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{fname}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        m, n = x.shape[-2:]
        raise RuntimeError(f"{fname}: A must be batches of square matrices, but they are {m} by {n} matrices")


def _check_linalg(x, fname: str, square: bool = False, low_precision: str | None = None) -> None:
    _tensors(fname, (x, "A"))
    _check_matrix(x, fname, square)
    _check_float(x, fname, low_precision)


def _broadcast(a: tuple, b: tuple) -> tuple:
    """torch's infer_size: the broadcast shape, or its error."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {i}")
    return tuple(y if x == 1 else x for x, y in zip(a, b))


def _check_expand(shape: tuple, target: tuple) -> None:
    """``shape`` must broadcast to ``target`` (torch's expand error otherwise)."""
    if len(shape) > len(target):
        raise RuntimeError(
            f"The expanded size of the tensor ({len(target)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({len(shape)})"
        )
    off = len(target) - len(shape)
    for i, s in enumerate(shape):
        if s != 1 and s != target[off + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[off + i]}) must match the existing size ({s}) at "
                f"non-singleton dimension {off + i}.  Target sizes: {list(target)}.  Tensor sizes: {list(shape)}"
            )


def _mT(x):
    return jnp.swapaxes(x, -1, -2)


def _mH(x):
    return jnp.conj(_mT(x)) if jnp.iscomplexobj(x) else _mT(x)


def _mm(a, b):
    return jnp.matmul(a, b, precision=_HI)


def _traced(t: Tensor) -> bool:
    return isinstance(t._value, jax.core.Tracer)


def _raise_on_info(info: Tensor, fname: str, message) -> None:
    """Raise LinAlgError for the first failed matrix in ``info`` (nonzero codes); eager only."""
    if _traced(info):
        return
    codes = np.asarray(info._value)
    if not codes.any():
        return
    flat = codes.reshape(-1)
    b = int(np.flatnonzero(flat)[0])
    batch = f"(Batch element {b}): " if codes.ndim else ""
    raise LinAlgError(f"{fname}: {batch}{message(int(flat[b]))}")


# ---------------------------------------------------------------- matmul and its paths


def _check_dot(a, b) -> None:
    if len(a.shape) != 1 or len(b.shape) != 1:
        raise RuntimeError(f"1D tensors expected, but got {len(a.shape)}D and {len(b.shape)}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_sn(a)} and {_sn(b)}")
    if a.shape[0] != b.shape[0]:
        n, m = a.shape[0], b.shape[0]
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of elements, but "
            f"got {n} and {m} elements respectively"
        )
    _kernel(a, "dot")


def _check_addmv(input, mat, vec) -> None:
    dims = (len(input.shape), len(mat.shape), len(vec.shape))
    if dims[1:] != (2, 1) or dims[0] > 1:
        raise RuntimeError("vector + matrix @ vector expected, got {}, {}, {}".format(*dims))
    numel = math.prod(input.shape)
    if mat.shape[1] != vec.shape[0] or numel not in (mat.shape[0], 1):
        raise RuntimeError(f"size mismatch, got input ({numel}), mat ({_x(mat.shape)}), vec ({vec.shape[0]})")
    if not input.dtype == mat.dtype == vec.dtype:
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_sn(input)}, {_sn(mat)}, and {_sn(vec)}"
        )
    _kernel(mat, "addmv_impl_cpu")


def _check_mv(mat, vec) -> None:
    # torch's mv is addmv into a fresh vector of vec's dtype
    n = mat.shape[0] if len(mat.shape) else 1
    _check_addmv(_Spec((n,), vec.dtype, False), mat, vec)


def _check_mm(m1, m2) -> None:
    if len(m1.shape) != 2:
        raise RuntimeError("self must be a matrix")
    if len(m2.shape) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if m1.shape[1] != m2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_x(m1.shape)} and {_x(m2.shape)})")
    if m1.dtype != m2.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_cn(m1)} != {_cn(m2)}")
    _kernel(m1, "addmm_impl_cpu_")


def _check_bmm_shapes(b1, b2) -> None:
    if len(b1.shape) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(b2.shape) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    want = [b1.shape[0], b1.shape[2]]
    if list(b2.shape[:2]) != want:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: {want} but got: {list(b2.shape[:2])}."
        )


def _check_bmm(b1, b2) -> None:
    _check_bmm_shapes(b1, b2)
    if b1.dtype != b2.dtype:
        raise RuntimeError(f"expected scalar type {_sn(b1)} but found {_sn(b2)}")
    _kernel(b1, "bmm")


def _should_fold(a: _Spec, b: _Spec) -> bool:
    """torch folds the batch of the larger operand into mm rows (its errors and grad_fn follow the path).

    torch also declines to fold a non-contiguous larger operand; views here always fold.
    """
    big, small = (a, b) if len(a.shape) >= len(b.shape) else (b, a)
    if not (len(big.shape) >= 3 and len(small.shape) <= 2):
        return False
    return small.requires_grad or len(a.shape) != 2


def _matmul_plan(a: _Spec, b: _Spec) -> str:
    """Check ``a @ b`` as torch's matmul does, path by path, and return the name of its grad_fn."""
    d1, d2 = len(a.shape), len(b.shape)
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        _check_dot(a, b)
        return "DotBackward0"
    if d1 == 2 and d2 == 1:
        _check_mv(a, b)
        return "MvBackward0"
    if d1 <= 2 and d2 == 2:
        _check_mm(a._replace(shape=(1,) + a.shape) if d1 == 1 else a, b)
        return "SqueezeBackward4" if d1 == 1 else "MmBackward0"
    if _should_fold(a, b):
        return _fold_plan(a, b)
    return _batched_plan(a, b)


def _fold_plan(a: _Spec, b: _Spec) -> str:
    transpose = len(b.shape) > len(a.shape)
    t1 = b._replace(shape=b.shape[:-2] + b.shape[:-3:-1]) if transpose else a
    t2 = (a._replace(shape=a.shape[::-1]) if transpose else b) if len(a.shape) == 2 or not transpose else a
    folded = t1._replace(shape=(math.prod(t1.shape[:-1]), t1.shape[-1]))
    if len(t2.shape) == 2:
        _check_mm(folded, t2)
        return "CloneBackward0" if transpose else "UnsafeViewBackward0"
    _check_mv(folded, t2)
    return "UnsafeViewBackward0"


def _batched_plan(a: _Spec, b: _Spec) -> str:
    d1, d2 = len(a.shape), len(b.shape)
    if d1 == 3 and d2 == 3 and a.shape[0] != b.shape[0]:
        # torch drops a size-1 batch of an operand that requires grad, then folds
        if a.shape[0] == 1 and a.requires_grad:
            return _matmul_plan(a._replace(shape=a.shape[1:]), b)
        if b.shape[0] == 1 and b.requires_grad:
            return _matmul_plan(a, b._replace(shape=b.shape[1:]))
    n, m1 = (a.shape[-2] if d1 > 1 else 1), a.shape[-1]
    m2, p = (b.shape[-2], b.shape[-1]) if d2 > 1 else (b.shape[-1], 1)
    nb = math.prod(_broadcast(a.shape[:-2], b.shape[:-2]))
    _check_bmm(a._replace(shape=(nb, n, m1)), b._replace(shape=(nb, m2, p)))
    return "UnsafeViewBackward0"


def matmul(input, other, *, out=None):
    """Mirrors torch.matmul: dot, mv, mm and broadcast batched products; operands must share a dtype."""
    _tensors("matmul", (input, "input"), (other, "other"))
    name = _matmul_plan(_spec(input), _spec(other))
    return to_out(dispatch(_mm, (input, other), (), name), out)


def mm(input, mat2, *, out=None):
    """Mirrors torch.mm."""
    _tensors("mm", (input, "input"), (mat2, "mat2"))
    _check_mm(input, mat2)
    return to_out(dispatch(_mm, (input, mat2), (), "MmBackward0"), out)


def bmm(input, mat2, *, out=None):
    """Mirrors torch.bmm."""
    _tensors("bmm", (input, "input"), (mat2, "mat2"))
    _check_bmm(input, mat2)
    return to_out(dispatch(_mm, (input, mat2), (), "BmmBackward0"), out)


def mv(input, vec, *, out=None):
    """Mirrors torch.mv."""
    _tensors("mv", (input, "input"), (vec, "vec"))
    _check_mv(input, vec)
    return to_out(dispatch(_mm, (input, vec), (), "MvBackward0"), out)


def dot(input, tensor, *, out=None):
    """Mirrors torch.dot."""
    _tensors("dot", (input, "input"), (tensor, "tensor"))
    _check_dot(input, tensor)
    return to_out(dispatch(_mm, (input, tensor), (), "DotBackward0"), out)


def _vdot(a, b):
    return jnp.vdot(a, b, precision=_HI)


def vdot(input, other, *, out=None):
    """Mirrors torch.vdot (conjugates ``input``)."""
    _tensors("vdot", (input, "input"), (other, "other"))
    _check_dot(input, other)
    return to_out(dispatch(_vdot, (input, other), (), "VdotBackward0"), out)


def _inner(a, b):
    return jnp.inner(a, b, precision=_HI)


def inner(input, other, *, out=None):
    """Mirrors torch.inner (a zero-dim operand multiplies, with promotion)."""
    _tensors("inner", (input, "input"), (other, "other"))
    if input.ndim == 0 or other.ndim == 0:
        return to_out(pointwise.mul(input, other), out)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    if input.dtype != other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    _kernel(input, "addmm_impl_cpu_")
    return to_out(dispatch(_inner, (input, other), (), "ViewBackward0"), out)


def _outer(a, b, *, dtype):
    return a.astype(dtype)[:, None] * b.astype(dtype)[None, :]


def outer(input, vec2, *, out=None):
    """Mirrors torch.outer (promotes, like mul)."""
    _tensors("outer", (input, "input"), (vec2, "vec2"))
    for x, arg in ((input, "self"), (vec2, "vec2")):
        if x.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {arg}, but got {x.ndim}-D")
    dt = D.result_type(input, vec2)
    return to_out(dispatch(_outer, (input, vec2), (("dtype", dt.np),), "MulBackward0"), out)


ger = outer


# ---------------------------------------------------------------- einsum, tensordot, kron, cross, trace


def _einsum(*operands, equation):
    return jnp.einsum(equation, *operands, precision=_HI)


def _sublist_equation(args) -> tuple:
    """torch.einsum(op1, [0, 1], op2, [1, 2], [0, 2]) -> ('ab,bc->ac', ops)."""

    def letters(sub):
        return "".join("..." if s is Ellipsis else "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[s] for s in sub)

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
        lead = term.split("...")[0]
        trail = term.split("...")[-1] if "..." in term else ""
        dims = list(zip(lead, op.shape)) + list(zip(trail, op.shape[op.ndim - len(trail) :] if trail else ()))
        for c, n in dims:
            seen = sizes.setdefault(c, n)
            if n != seen and 1 not in (n, seen):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast with previously "
                    f"seen size {seen}"
                )
            sizes[c] = max(seen, n) if 1 in (n, seen) else n


def einsum(*args):
    """Mirrors torch.einsum: ``einsum(equation, *operands)``, a list of operands, or the sublist format."""
    if args and isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = operands[0]
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
                raise TypeError(f"tensordot(): argument '{arg}' (position {pos}) must be tuple of ints, not {type(d).__name__}")
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
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
            "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
            "linalg.cross in a future release.",
            UserWarning,
            stacklevel=2,
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


# ---------------------------------------------------------------- addmm family


def _addmm(input, x, y, beta, alpha, *, ignore_input, batch_sum):
    prod = _mm(x, y)
    if batch_sum:
        prod = prod.sum(0)
    scaled = jnp.asarray(alpha).astype(prod.dtype) * prod
    if ignore_input:  # beta == 0: torch ignores input, nan and inf included
        return scaled
    return jnp.asarray(beta).astype(prod.dtype) * input + scaled


def _add_op(input, x, y, beta, alpha, name, batch_sum=False):
    static = (("ignore_input", beta == 0), ("batch_sum", batch_sum))
    return dispatch(_addmm, (input, x, y, beta, alpha), static, name)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """Mirrors torch.addmm: ``beta * input + alpha * (mat1 @ mat2)``."""
    _tensors("addmm", (input, "input"), (mat1, "mat1"), (mat2, "mat2"))
    _check_mm(mat1, mat2)
    if input.dtype != mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_sn(input)} and {_sn(mat2)}")
    _check_expand(input.shape, (mat1.shape[0], mat2.shape[1]))
    return to_out(_add_op(input, mat1, mat2, beta, alpha, "AddmmBackward0"), out)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """Mirrors torch.addmv: ``beta * input + alpha * (mat @ vec)``."""
    _tensors("addmv", (input, "input"), (mat, "mat"), (vec, "vec"))
    _check_addmv(input, mat, vec)
    return to_out(_add_op(input, mat, vec, beta, alpha, "AddmvBackward0"), out)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """Mirrors torch.baddbmm: ``beta * input + alpha * (batch1 @ batch2)``."""
    _tensors("baddbmm", (input, "input"), (batch1, "batch1"), (batch2, "batch2"))
    _check_bmm_shapes(batch1, batch2)
    if not input.dtype == batch1.dtype == batch2.dtype:
        raise RuntimeError(
            f"Input dtypes must be the same, got: input {_cn(input)}, batch1: {_cn(batch1)}, batch2: {_cn(batch2)}"
        )
    _kernel(input, "baddbmm_cpu")
    _check_expand(input.shape, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    return to_out(_add_op(input, batch1, batch2, beta, alpha, "BaddbmmBackward0"), out)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """Mirrors torch.addbmm: ``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``."""
    _tensors("addbmm", (input, "input"), (batch1, "batch1"), (batch2, "batch2"))
    for x, arg in ((batch1, "batch1"), (batch2, "batch2")):
        if x.ndim != 3:
            raise RuntimeError(f"{arg} must be a 3D tensor")
    b1, b2 = batch1.shape, batch2.shape
    if b1[0] != b2[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {b1[0]} and {b2[0]}")
    if b1[2] != b2[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({b1[1]}x{b1[2]} and {b2[1]}x{b2[2]})")
    _check_expand(input.shape, (b1[1], b2[2]))
    if not input.dtype == batch1.dtype == batch2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_sn(input)} and {_sn(batch2)}")
    _kernel(input, "addmm_impl_cpu_")
    return to_out(_add_op(input, batch1, batch2, beta, alpha, "AddbmmBackward0", batch_sum=True), out)


def _addr(input, v1, v2, beta, alpha, *, dtype, ignore_input):
    outer = _outer(v1, v2, dtype=dtype)
    if dtype == jnp.bool_:  # torch: (beta and input) or (alpha and outer)
        scaled = jnp.logical_and(jnp.asarray(alpha).astype(bool), outer)
        return scaled if ignore_input else jnp.logical_or(jnp.logical_and(jnp.asarray(beta).astype(bool), input), scaled)
    scaled = jnp.asarray(alpha).astype(dtype) * outer
    return scaled if ignore_input else jnp.asarray(beta).astype(dtype) * input.astype(dtype) + scaled


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """Mirrors torch.addr: ``beta * input + alpha * outer(vec1, vec2)`` (promotes)."""
    _tensors("addr", (input, "input"), (vec1, "vec1"), (vec2, "vec2"))
    for x, arg in ((vec1, "vec1"), (vec2, "vec2")):
        if x.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {arg}, but got {x.ndim}-D")
    dt = D.result_type(input, vec1, vec2)
    if dt.category == D._CATEGORY_INT:
        for v, arg in ((beta, "beta"), (alpha, "alpha")):
            if isinstance(v, float):
                raise RuntimeError(f"For integral input tensors, argument {arg} must not be a floating point number.")
    _check_expand(input.shape, (vec1.shape[0], vec2.shape[0]))
    static = (("dtype", dt.np), ("ignore_input", beta == 0))
    return to_out(dispatch(_addr, (input, vec1, vec2, beta, alpha), static, "AddrBackward0"), out)


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
            sa = list(a.shape) if i else [1] * (a.ndim == 1) + list(a.shape)
            sb = list(b.shape) + [1] * (b.ndim == 1)
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {sa} and {sb} cannot be multiplied"
            )
    return to_out(dispatch(_multi_dot, tuple(tensors), (), "ViewBackward0"), out)


def chain_matmul(*matrices, out=None):
    """Mirrors torch.chain_matmul (deprecated in torch, with its warning)."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
        UserWarning,
        stacklevel=2,
    )
    if len(matrices) == 1:
        return to_out(matrices[0].clone(), out)
    for i, m in enumerate(matrices):
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
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
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


# ---------------------------------------------------------------- determinants and inverses


def _det(a):
    if a.shape[-1] == 0:  # JAX's rule fails on 0x0; the empty product is 1
        return jnp.ones(a.shape[:-2], a.dtype)
    return jnp.linalg.det(a)


def _slogdet(a):
    if a.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype), jnp.zeros(a.shape[:-2], a.dtype)
    sign, logabsdet = jnp.linalg.slogdet(a)
    return sign, logabsdet


def _logdet(a):
    sign, logabsdet = _slogdet(a)
    return jnp.where(sign < 0, jnp.nan, logabsdet)


def det(input, *, out=None):
    """Mirrors torch.det / torch.linalg.det."""
    _check_linalg(input, "linalg.det", square=True, low_precision="lu_cpu")
    return to_out(dispatch(_det, (input,), (), "LinalgDetBackward0"), out)


def linalg_slogdet(A, *, out=None):
    """Mirrors torch.linalg.slogdet: ``(sign, logabsdet)``."""
    _check_linalg(A, "linalg.slogdet", square=True, low_precision="error")
    return to_out(_LinalgSlogdet(*dispatch(_slogdet, (A,), (), "LinalgSlogdetBackward0")), out)



def slogdet(input, *, out=None):
    """Mirrors torch.slogdet: ``(sign, logabsdet)``."""
    return _Slogdet(*linalg_slogdet(input, out=out))


def logdet(input):
    """Mirrors torch.logdet (nan for a negative determinant, -inf for zero)."""
    _check_linalg(input, "logdet", square=True, low_precision="error")
    return dispatch(_logdet, (input,), (), "WhereBackward0")


def _lu_info(a):
    """LAPACK getrf's info: 1 + the index of the first exactly-zero pivot, else 0."""
    if a.shape[-1] == 0:
        return jnp.zeros(a.shape[:-2], jnp.int32)
    lu = lax.linalg.lu(lax.stop_gradient(a))[0]
    zero = jnp.diagonal(lu, axis1=-2, axis2=-1) == 0
    return jnp.where(zero.any(-1), jnp.argmax(zero, -1) + 1, 0).astype(jnp.int32)


def _inv_ex(a):
    return jnp.linalg.inv(a), _lu_info(a)


def linalg_inv_ex(A, *, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.inv_ex: ``(inverse, info)``."""
    _check_linalg(A, "linalg.inv", square=True, low_precision="error")
    res = _LinalgInvEx(*dispatch(_inv_ex, (A,), (), "LinalgInvExBackward0"))
    if check_errors:
        _raise_on_info(res.info, "linalg.inv", _singular_msg)
    return to_out(res, out)



def _singular_msg(code: int) -> str:
    return (
        f"The diagonal element {code} is zero, the inversion could not be completed because the input matrix is "
        "singular."
    )


def linalg_inv(A, *, out=None):
    """Mirrors torch.linalg.inv (LinAlgError for a singular matrix, eagerly)."""
    return to_out(linalg_inv_ex(A, check_errors=True).inverse, out)


inverse = linalg_inv


def _solve_ex(a, b, *, left, vector):
    if not left:  # X A = B  <=>  A^T X^T = B^T
        a, b = _mT(a), _mT(b)
    if vector:
        b = b[..., None]
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    x = jnp.linalg.solve(a, jnp.broadcast_to(b, batch + b.shape[-2:]))
    x = x[..., 0] if vector else x
    return (x if left else _mT(x)), _lu_info(a)


def linalg_solve_ex(A, B, *, left: bool = True, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.solve_ex: ``(result, info)``."""
    _check_linalg(A, "linalg.solve", square=True, low_precision="lu_cpu")
    _tensors("linalg_solve", (A, "A"), (B, "B"))
    if A.dtype != B.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {_sn(A)} and B of type "
            f"{_sn(B)} instead"
        )
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector and not left:
        raise RuntimeError(
            "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this "
            "case linalg.solve is equivalent to B / A.squeeze(-1)"
        )
    bm = tuple(B.shape) + (1,) if vector else tuple(B.shape)
    n, k = (A.shape[-1], bm[-2]) if left else (A.shape[-2], bm[-1])
    if n != k:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {eq} ({_x(A.shape[-2:])} and {_x(bm[-2:])})"
        )
    _broadcast(A.shape[:-2], bm[:-2])
    res = dispatch(_solve_ex, (A, B), (("left", left), ("vector", vector)), "LinalgSolveExBackward0")
    res = _LinalgSolveEx(*res)
    if check_errors:
        _raise_on_info(res.info, "torch.linalg.solve", _solve_msg)
    return to_out(res, out)



def _solve_msg(code: int) -> str:
    return "The solver failed because the input matrix is singular."


def linalg_solve(A, B, *, left: bool = True, out=None):
    """Mirrors torch.linalg.solve (LinAlgError for a singular matrix, eagerly)."""
    return to_out(linalg_solve_ex(A, B, left=left, check_errors=True).result, out)


# ---------------------------------------------------------------- Hermitian decompositions


def _hermitian(a, lower: bool):
    """The Hermitian matrix torch reads from one triangle of ``a``; gradients flow as to the Hermitian part.

    torch's values use only the named triangle, while its backward returns the
    symmetrized gradient; ``sym + stop_gradient(tri - sym)`` gives both.
    """
    strict = jnp.tril(a, -1) if lower else jnp.triu(a, 1)
    full = strict + _mH(strict) + jnp.real(jnp.diagonal(a, axis1=-2, axis2=-1))[..., None] * jnp.eye(a.shape[-1], dtype=a.dtype)
    sym = (a + _mH(a)) / 2
    return sym + lax.stop_gradient(full - sym)


def _cholesky_ex(a, *, upper):
    low = lax.linalg.cholesky(_hermitian(a, lower=not upper), symmetrize_input=False)
    failed = jnp.isnan(low).any((-2, -1)).astype(jnp.int32)  # JAX fills a failed factor with nan
    return (_mH(low) if upper else low), failed


def _chol_order(a: np.ndarray, upper: bool) -> int:
    """The order of the first leading minor that is not positive-definite (LAPACK potrf's info)."""
    a = np.triu(a) + np.triu(a, 1).conj().T if upper else np.tril(a) + np.tril(a, -1).conj().T
    for k in range(1, a.shape[-1] + 1):
        try:
            np.linalg.cholesky(a[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return a.shape[-1]


def _cholesky_info(A: Tensor, info: Tensor, upper: bool) -> Tensor:
    """Refine the failure flags into potrf's orders (eager only; under tracing a failure reads 1)."""
    if _traced(info) or not np.asarray(info._value).any():
        return info
    mats = np.asarray(A.detach()._value).reshape((-1,) + tuple(A.shape[-2:]))
    flags = np.asarray(info._value).reshape(-1)
    orders = [_chol_order(m, upper) if f else 0 for m, f in zip(mats, flags)]
    return Tensor._make(jnp.asarray(np.array(orders, np.int32).reshape(info.shape)))


def _cholesky(A, upper, fname, name, check_errors=True):
    _check_linalg(A, fname, square=True, low_precision="cholesky_cpu")
    L, info = dispatch(_cholesky_ex, (A,), (("upper", bool(upper)),), name)
    info = _cholesky_info(A, info, upper)
    if check_errors:
        _raise_on_info(info, fname, _pd_msg)
    return L, info


def _pd_msg(code: int) -> str:
    return (
        "The factorization could not be completed because the input is not positive-definite (the leading minor "
        f"of order {code} is not positive-definite)."
    )


def linalg_cholesky_ex(A, *, upper: bool = False, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.cholesky_ex: ``(L, info)``."""
    return to_out(_LinalgCholeskyEx(*_cholesky(A, upper, "linalg.cholesky", "LinalgCholeskyExBackward0", check_errors)), out)



def linalg_cholesky(A, *, upper: bool = False, out=None):
    """Mirrors torch.linalg.cholesky (reads one triangle; LinAlgError if not positive-definite, eagerly)."""
    return to_out(_cholesky(A, upper, "linalg.cholesky", "LinalgCholeskyExBackward0")[0], out)


def cholesky(input, upper: bool = False, *, out=None):
    """Mirrors torch.cholesky (deprecated in torch in favour of torch.linalg.cholesky)."""
    return to_out(_cholesky(input, upper, "cholesky", "CholeskyBackward0")[0], out)


def _eigh(a, *, lower):
    w, v = jnp.linalg.eigh(_hermitian(a, lower), symmetrize_input=False)
    return w, v


def _eigvalsh(a, *, lower):
    return _eigh(a, lower=lower)[0]


def _check_eigh(A) -> None:
    _tensors("linalg_eigh", (A, "A"))
    _check_matrix(A, "linalg.eigh", square=True)
    if A.dtype not in (D.float32, D.float64, D.complex64, D.complex128):
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{_sn(A)}'")


def _uplo(UPLO: str) -> bool:
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO == "L"


def linalg_eigh(A, UPLO: str = "L", *, out=None):
    """Mirrors torch.linalg.eigh: ``(eigenvalues, eigenvectors)``, ascending."""
    _check_eigh(A)
    res = dispatch(_eigh, (A,), (("lower", _uplo(UPLO)),), "LinalgEighBackward0")
    return to_out(_LinalgEigh(*res), out)



def linalg_eigvalsh(A, UPLO: str = "L", *, out=None):
    """Mirrors torch.linalg.eigvalsh."""
    _check_eigh(A)
    return to_out(dispatch(_eigvalsh, (A,), (("lower", _uplo(UPLO)),), "LinalgEighBackward0"), out)


# ---------------------------------------------------------------- SVD and QR


@jax.custom_jvp
def _svd_full(a):
    u, s, vh = jnp.linalg.svd(a, full_matrices=True)
    return u, s, vh


@_svd_full.defjvp
def _svd_full_jvp(primals, tangents):
    # torch's backward ignores the columns of U (rows of Vh) past min(m, n); JAX has no rule for them
    (a,), (da,) = primals, tangents
    u, s, vh = _svd_full(a)
    k = s.shape[-1]
    ds, du, dvh = _svd_tangents(a, da, u[..., :k], s, vh[..., :k, :])
    du = jnp.concatenate([du, jnp.zeros_like(u[..., k:])], axis=-1)
    dvh = jnp.concatenate([dvh, jnp.zeros_like(vh[..., k:, :])], axis=-2)
    return (u, s, vh), (du, ds, dvh)


def _svd_tangents(a, da, u, s, vh):
    """The tangents of a reduced SVD ``a = u diag(s) vh`` (JAX's rule, on the given factors)."""
    v, sd = _mH(vh), s[..., None, :]
    dS = _mm(_mm(_mH(u), da), v)
    ds = jnp.real(jnp.diagonal(dS, axis1=-2, axis2=-1))
    eye = jnp.eye(s.shape[-1], dtype=s.dtype)
    f = 1 / ((sd + _mT(sd)) * (sd - _mT(sd)) + eye) - eye
    s_inv = jnp.where(s == 0, 0, 1 / jnp.where(s == 0, 1, s))
    dSS, SdS = sd.astype(a.dtype) * dS, _mT(sd).astype(a.dtype) * dS
    du = _mm(u, f * (dSS + _mH(dSS)) + 0.5 * (dS - _mH(dS)) * (eye * s_inv[..., None, :]))
    dv = _mm(v, f * (SdS + _mH(SdS)))
    m, n = a.shape[-2:]
    if m > n:
        dav = _mm(da, v)
        du = du + (dav - _mm(u, _mm(_mH(u), dav))) / sd
    if n > m:
        dahu = _mm(_mH(da), u)
        dv = dv + (dahu - _mm(v, _mm(vh, dahu))) / sd
    return ds, du, _mH(dv)


def _svd(a, *, full_matrices):
    if full_matrices and a.shape[-1] != a.shape[-2]:
        return _svd_full(a)
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    return u, s, vh


def _svdvals(a):
    return jnp.linalg.svd(a, compute_uv=False)


def linalg_svd(A, full_matrices: bool = True, *, driver=None, out=None):
    """Mirrors torch.linalg.svd: ``(U, S, Vh)``; ``driver`` (a cuSOLVER choice) is accepted and ignored."""
    _check_linalg(A, "linalg.svd", low_precision="linalg_svd_cpu")
    res = dispatch(_svd, (A,), (("full_matrices", bool(full_matrices)),), "LinalgSvdBackward0")
    return to_out(_LinalgSvd(*res), out)



def linalg_svdvals(A, *, driver=None, out=None):
    """Mirrors torch.linalg.svdvals."""
    _check_linalg(A, "linalg.svd", low_precision="linalg_svd_cpu")
    return to_out(dispatch(_svdvals, (A,), (), "LinalgSvdBackward0"), out)


def svd(input, some: bool = True, compute_uv: bool = True, *, out=None):
    """Mirrors torch.svd: ``(U, S, V)`` with V, not Vh; without ``compute_uv``, U and V are zeros."""
    U, S, Vh = linalg_svd(input, full_matrices=not some)
    V = shape.transpose(Vh, -2, -1).conj() if Vh.is_complex() else shape.transpose(Vh, -2, -1)
    if not compute_uv:
        m, n = input.shape[-2:]
        U = Tensor._make(jnp.zeros(tuple(input.shape[:-2]) + (m, m), input.dtype.np))
        V = Tensor._make(jnp.zeros(tuple(input.shape[:-2]) + (n, n), input.dtype.np))
    return to_out(_Svd(U, S, V), out)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2))
def _qr_nondiff(a, mode, msg):
    return _qr_plain(a, mode)


def _qr_nondiff_fwd(a, mode, msg):
    return _qr_plain(a, mode), None


def _qr_nondiff_bwd(mode, msg, res, g):
    raise RuntimeError(msg)  # raised during backward, as torch does


_qr_nondiff.defvjp(_qr_nondiff_fwd, _qr_nondiff_bwd)


def _qr_plain(a, mode):
    if mode == "r":
        return jnp.zeros((0,), a.dtype), jnp.linalg.qr(a, mode="r")
    q, r = jnp.linalg.qr(a, mode=mode)
    return q, r


_QR_NO_GRAD = {
    "r": "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
    "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
    "complete": "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
}


def _qr(a, *, mode):
    if mode == "r" or (mode == "complete" and a.shape[-2] > a.shape[-1]):
        return _qr_nondiff(a, mode, _QR_NO_GRAD[mode])
    return _qr_plain(a, mode)


def linalg_qr(A, mode: str = "reduced", *, out=None):
    """Mirrors torch.linalg.qr: ``(Q, R)``; mode 'reduced', 'complete' or 'r' (Q empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
        )
    _check_linalg(A, "linalg.qr", low_precision="geqrf_cpu")
    return to_out(_LinalgQr(*dispatch(_qr, (A,), (("mode", mode),), "LinalgQrBackward0")), out)



def qr(input, some: bool = True, *, out=None):
    """Mirrors torch.qr: ``(Q, R)``."""
    return to_out(_Qr(*linalg_qr(input, "reduced" if some else "complete")), out)


# ---------------------------------------------------------------- pseudo-inverse, rank, least squares


def _tolerance(s, atol, rtol, *, has_atol, has_rtol, shape):
    """torch's cut-off ``max(atol, rtol * largest singular value)`` (defaults: atol 0, rtol eps * max(m, n))."""
    eps_rtol = jnp.finfo(s.dtype).eps * max(shape)
    atol = jnp.asarray(atol, s.dtype) if has_atol else jnp.zeros((), s.dtype)
    if has_rtol:
        rtol = jnp.asarray(rtol, s.dtype)
    else:  # an explicit positive atol switches the default rtol off
        rtol = jnp.where(atol > 0, 0, eps_rtol) if has_atol else eps_rtol
    smax = jnp.max(s, -1, initial=0)
    return jnp.maximum(atol[..., None], (rtol * smax)[..., None])


@functools.partial(jax.custom_jvp, nondiff_argnums=(3, 4, 5))
def _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian):
    if hermitian:  # torch reads the lower triangle; its gradient is the general one
        w, v = jnp.linalg.eigh(jnp.tril(a) + _mH(jnp.tril(a, -1)), symmetrize_input=False)
        s, u, vh = jnp.abs(w), v * jnp.sign(w)[..., None, :], _mH(v)
    else:
        u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    tol = _tolerance(s, atol, rtol, has_atol=has_atol, has_rtol=has_rtol, shape=a.shape[-2:])
    s_inv = jnp.where(s > tol, 1 / jnp.where(s > tol, s, 1), 0).astype(a.dtype)
    return _mm(_mH(vh) * s_inv[..., None, :], _mH(u))


@_pinv_core.defjvp
def _pinv_core_jvp(has_atol, has_rtol, hermitian, primals, tangents):
    # Golub & Pereyra's derivative of the pseudo-inverse, as torch's pinv_backward uses
    a, atol, rtol = primals
    da = tangents[0]
    p = _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian)
    pH, daH = _mH(p), _mH(da)
    if a.shape[-2] >= a.shape[-1]:
        s, t = _mm(_mm(p, pH), daH), _mm(_mm(daH, pH), p)
        dp = -_mm(_mm(p, da), p) + s - _mm(_mm(s, a), p) + t - _mm(_mm(p, a), t)
    else:
        s, t = _mm(p, _mm(pH, daH)), _mm(daH, _mm(pH, p))
        dp = -_mm(p, _mm(da, p)) + s - _mm(s, _mm(a, p)) + t - _mm(p, _mm(a, t))
    return p, dp


def _pinv(a, atol, rtol, *, has_atol, has_rtol, hermitian):
    return _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian)


def _tol_args(atol, rtol) -> tuple:
    static = (("has_atol", atol is not None), ("has_rtol", rtol is not None))
    return (0.0 if atol is None else atol, 0.0 if rtol is None else rtol), static


def linalg_pinv(input, rcond=None, hermitian: bool = False, *, atol=None, rtol=None, out=None):
    """Mirrors torch.linalg.pinv (``rcond`` is the older name of ``rtol``)."""
    _tensors("linalg_pinv", (input, "input"))
    if input.ndim < 2 or input.dtype.category < D._CATEGORY_FLOAT or input.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(
            f"linalg.pinv({_sn(input)}{{{list(input.shape)}}}): expected a tensor with 2 or more dimensions of float, "
            "double, cfloat or cdouble types"
        )
    if rcond is not None:
        rtol = rcond
    vals, static = _tol_args(atol, rtol)
    res = dispatch(_pinv, (input, *vals), static + (("hermitian", bool(hermitian)),), "LinalgPinvBackward0")
    return to_out(res, out)


def pinverse(input, rcond: float = 1e-15):
    """Mirrors torch.pinverse."""
    return linalg_pinv(input, rtol=rcond)


def _matrix_rank(a, atol, rtol, *, has_atol, has_rtol, hermitian):
    if hermitian:
        s = jnp.abs(jnp.linalg.eigvalsh(_hermitian(a, True), symmetrize_input=False))
    else:
        s = jnp.linalg.svd(a, compute_uv=False)
    tol = _tolerance(s, atol, rtol, has_atol=has_atol, has_rtol=has_rtol, shape=a.shape[-2:])
    return jnp.sum(s > tol, -1).astype(jnp.int64)


def linalg_matrix_rank(A, tol=None, hermitian: bool = False, *, atol=None, rtol=None, out=None):
    """Mirrors torch.linalg.matrix_rank (``tol`` is the older absolute tolerance)."""
    _tensors("linalg_matrix_rank", (A, "A"))
    _check_matrix(A, "linalg.matrix_rank")
    if A.dtype.category < D._CATEGORY_FLOAT or A.dtype in (D.float16, D.bfloat16):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    vals, static = _tol_args(atol, rtol)
    return to_out(dispatch(_matrix_rank, (A, *vals), static + (("hermitian", bool(hermitian)),)), out)


def _lstsq(a, b, rcond, *, vector, has_rcond, driver):
    b = b[..., None] if vector else b
    p = _pinv_core(a, 0.0, rcond, False, has_rcond, False)
    x = _mm(p, b)
    s = jnp.linalg.svd(lax.stop_gradient(a), compute_uv=False)
    rank = jnp.sum(s > _tolerance(s, 0.0, rcond, has_atol=False, has_rtol=has_rcond, shape=a.shape[-2:]), -1)
    m, n = a.shape[-2:]
    if driver != "gelsy" and m > n:
        residuals = jnp.sum(jnp.abs(_mm(a, x) - b) ** 2, -2)
    else:
        residuals = jnp.zeros((0,), a.dtype)
    rank = jnp.zeros((0,), jnp.int64) if driver == "gels" else rank.astype(jnp.int64)
    sv = s if driver in ("gelsd", "gelss") else jnp.zeros((0,), s.dtype)
    return (x[..., 0] if vector else x), (residuals[..., 0] if vector and residuals.ndim > 1 else residuals), rank, sv


def linalg_lstsq(A, B, rcond=None, *, driver=None):
    """Mirrors torch.linalg.lstsq: ``(solution, residuals, rank, singular_values)``.

    Solved through the pseudo-inverse, whose gradient torch also uses. As with
    torch's drivers, 'gelsy' (the default) gives the rank only, 'gelsd'/'gelss'
    also the singular values, and all but 'gelsy' give residuals when m > n
    (eagerly dropped, as torch does, when a matrix is rank-deficient).
    """
    _tensors("linalg_lstsq", (A, "A"), (B, "B"))
    _check_matrix(A, "torch.linalg.lstsq")
    if A.dtype.category < D._CATEGORY_FLOAT or A.dtype in (D.float16, D.bfloat16):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.dtype != B.dtype:
        raise RuntimeError(
            "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype "
            f"{_sn(A)} and other's dtype {_sn(B)}"
        )
    vector = B.ndim == A.ndim - 1
    bm = tuple(B.shape) + (1,) if vector else tuple(B.shape)
    if A.shape[-2] != bm[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    _broadcast(A.shape[:-2], bm[:-2])
    driver = driver or "gelsy"
    static = (("vector", vector), ("has_rcond", rcond is not None), ("driver", driver))
    x, res, rank, sv = dispatch(_lstsq, (A, B, 0.0 if rcond is None else rcond), static, "LinalgLstsqBackward0")
    if res.numel() and rank.numel() and not _traced(rank) and bool((rank < A.shape[-1]).any()):
        res = res[..., :0].reshape(0)
    return _LinalgLstsq(x, res, rank, sv)



# ---------------------------------------------------------------- norms


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
        raise RuntimeError(f"{fname}: dtype should be floating point or complex, but got {_sn(_Spec((), dtype, 0))}")
    if D.promote_types(x.dtype, dtype) != dtype:
        raise RuntimeError(
            f"{fname}: the dtype of the input ({_sn(x)}) should be convertible without narrowing to the specified "
            f"dtype ({_sn(_Spec((), dtype, 0))})"
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
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.ndim}D.")
    if ord is not None and (isinstance(ord, str) or (len(dims) if dim is not None else A.ndim) == 2):
        return matrix_norm(A, ord, (0, 1) if dim is None else dims, keepdim, dtype=dtype, out=out)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)


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


def _matrix_exp(a):
    return jax.scipy.linalg.expm(a)


def matrix_exp(A):
    """Mirrors torch.matrix_exp / torch.linalg.matrix_exp."""
    _check_linalg(A, "linalg.matrix_exp", square=True)
    return dispatch(_matrix_exp, (A,), (), "LinalgMatrixExpBackward0")


__all__ = [
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "einsum", "tensordot", "kron", "cross",
    "trace", "addmm", "addmv", "addbmm", "baddbmm", "addr", "chain_matmul", "matrix_power", "cdist", "det",
    "slogdet", "logdet", "inverse", "cholesky", "pinverse", "svd", "qr", "matrix_exp",
]  # fmt: skip
METHODS = [
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "kron", "cross", "trace", "addmm", "addmv",
    "addbmm", "baddbmm", "addr", "matrix_power", "det", "slogdet", "logdet", "inverse", "cholesky", "pinverse",
    "svd", "qr", "matrix_exp",
]  # fmt: skip
INPLACE = ["addmm", "addmv", "addbmm", "baddbmm", "addr"]
