"""Matrix products: torch.matmul and its paths (dot, mv, mm, bmm), vdot, inner, outer and the addmm family.

Operands share one dtype, as in torch (only ``outer`` and ``addr`` promote).
matmul checks its operands path by path, as torch's matmul does, so that its
errors and ``grad_fn`` name follow the path torch takes.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ..autograd import grad_mode
from . import pointwise
from ._linalg_util import _HI, _broadcast, _check_expand, _cn, _kernel, _mm, _sn, _Spec, _spec, _tensors, _x
from ._util import to_out


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
    if len(b.shape) > len(a.shape):  # a @ b == (b.mT @ a.mT).mT: fold b.mT
        t1 = b._replace(shape=b.shape[:-2] + b.shape[:-3:-1])
        t2 = a._replace(shape=a.shape[::-1])
    else:
        t1, t2 = a, b
    folded = t1._replace(shape=(math.prod(t1.shape[:-1]), t1.shape[-1]))
    if len(t2.shape) == 2:
        _check_mm(folded, t2)
        return "CloneBackward0" if t1 is not a else "UnsafeViewBackward0"
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


_F32, _F64 = jnp.dtype(jnp.float32), jnp.dtype(jnp.float64)  # NumPy's builtin dtypes are singletons
_JIT_MM = jax.jit(_mm)


def matmul(input, other, *, out=None):
    """Mirrors torch.matmul: dot, mv, mm and broadcast batched products; operands must share a dtype."""
    if out is None and isinstance(input, Tensor) and isinstance(other, Tensor):
        return matmul_operator(input, other)
    return _matmul(input, other, out)


def mixed_operator(x, y):
    """``tensor @ non-tensor``: replaced at install by the generic operator (numbers, NumPy arrays)."""
    return NotImplemented


def matmul_operator(x: Tensor, y):
    """Tensor.__matmul__, and matmul's two-tensor case, with the eager hot path inline (one call, as
    ``x @ w`` runs per layer): two plain float tensors, nothing to record. Shapes are left to the
    jitted program (torch.matmul's rules are jnp.matmul's); a mismatch goes on to torch's checks."""
    if not isinstance(y, Tensor):
        return mixed_operator(x, y)
    if not (x._steps or y._steps or x._base is not None or y._base is not None):
        a, b = x._storage.array, y._storage.array
        dt = a.dtype
        if (
            dt is b.dtype
            and (dt is _F32 or dt is _F64)
            and not (
                grad_mode._state.enabled
                and (x._requires_grad or x._grad_fn is not None or y._requires_grad or y._grad_fn is not None)
            )
        ):
            try:
                return Tensor._make(_JIT_MM(a, b))
            except (TypeError, ValueError):
                pass
    return _matmul(x, y, None)


def _matmul(input, other, out):
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
        return (
            scaled if ignore_input else jnp.logical_or(jnp.logical_and(jnp.asarray(beta).astype(bool), input), scaled)
        )
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
