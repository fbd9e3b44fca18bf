"""Linear algebra against torch: values, dtypes, gradients, errors, traced.

Decompositions are checked through quantities that do not depend on the sign
(or basis) of singular vectors and eigenvectors: ``U @ diag(S) @ Vh``, ``S``,
``|U|``, projectors. Matrices are well-conditioned float64 where precision matters.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from compat_tests.harness import Case, Raw

R = np.random.RandomState(0)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape):
    return R.randint(-4, 5, shape).astype(np.int64)


def spd(*shape):
    """Symmetric positive-definite (batched), well-conditioned."""
    a = f64(*shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])


def wc(*shape):
    """Well-conditioned square matrices."""
    return f64(*shape) + 3 * np.eye(shape[-1])


def sym(*shape):
    """Symmetric with well-separated eigenvalues."""
    a = f64(*shape)
    return (a + np.swapaxes(a, -1, -2)) / 2 + np.diag(np.arange(shape[-1]) * 3.0)


# ---------------------------------------------------------------- matmul: every path of torch's matmul

MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((5, 2, 3), (3,)),
    ((3,), (5, 3, 4)),
    ((2, 3), (5, 3, 4)),
    ((5, 2, 3), (5, 3, 4)),
    ((2, 1, 2, 3), (5, 3, 4)),
    ((1, 2, 3), (4, 3, 5)),
    ((4, 2, 3), (1, 3, 5)),
    ((2, 6, 2, 3), (3, 4)),
    ((2, 1, 2, 3), (1, 4, 3, 5)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
    ((0, 2, 3), (3, 4)),
    ((2, 3), (3, 0)),
    ((0,), (0,)),
]

CASES = []
for sa, sb in MATMUL_SHAPES:
    tag = f"{sa}@{sb}"
    CASES += [
        Case(f"matmul-f32-{tag}", lambda lib, a, b: a @ b, f32(*sa), f32(*sb)),
        Case(f"matmul-f64-{tag}", lambda lib, a, b: lib.matmul(a, b), f64(*sa), f64(*sb)),
        Case(f"matmul-i64-{tag}", lambda lib, a, b: a.matmul(b), i64(*sa), i64(*sb)),
        Case(f"matmul-one-grad-{tag}", lambda lib, a, b: a @ lib.tensor(b), f32(*sa), Raw(f32(*sb))),
    ]

CASES += [
    Case("matmul-linalg", lambda lib, a, b: lib.linalg.matmul(a, b), f32(4, 3), f32(3, 2)),
    Case("matmul-noncontig-t", lambda lib, a, b: a.t() @ b, f32(3, 4), f32(3, 2)),
    Case("matmul-noncontig-slice", lambda lib, a, b: a @ b[:, ::2], f32(4, 3), f32(3, 6)),
    Case("matmul-noncontig-mT-3d", lambda lib, a, b: a.mT @ b.transpose(0, 1), f32(2, 3, 4), f32(3, 2, 5)),
    Case("matmul-expanded", lambda lib, a, b: a.expand(4, 2, 3) @ b, f32(2, 3), f32(4, 3, 5)),
    Case("matmul-i32", lambda lib, a, b: a.int() @ b.int(), i64(2, 3), i64(3, 4)),
    Case("matmul-f16", lambda lib, a, b: a.half() @ b.half(), f32(2, 3), f32(3, 4), rtol=2e-2, atol=2e-2),
    Case("matmul-out", lambda lib, a, b: lib.matmul(a, b, out=lib.empty(2, 4)), f32(2, 3), f32(3, 4), grad=False),
    Case("imatmul", lambda lib, a, b: _imatmul(lib, a, b), f32(3, 3), f32(3, 3), grad=False),
]


def _imatmul(lib, a, b):
    a = a.clone()
    a @= b
    return a


MATMUL_ERRORS = [
    ((2, 3), (4, 5)),
    ((3,), (4,)),
    ((3,), (4, 5)),
    ((2, 3), (4,)),
    ((2, 2, 3), (2, 4, 5)),
    ((2, 2, 3), (4, 5)),
    ((2, 2, 3), (3, 3, 5)),
    ((2, 2, 3), (4,)),
    ((4,), (2, 3, 5)),
    ((2, 4), (2, 3, 5)),
    ((), (3,)),
    ((), ()),
]
for sa, sb in MATMUL_ERRORS:
    CASES.append(Case(f"matmul-error-{sa}@{sb}", lambda lib, a, b: a @ b, f32(*sa), f32(*sb)))
CASES += [
    Case("matmul-error-dtype-2d", lambda lib, a, b: a @ b, f32(2, 3), f64(3, 4)),
    Case("matmul-error-dtype-1d", lambda lib, a, b: a @ b, f32(3), f64(3)),
    Case("matmul-error-dtype-mv", lambda lib, a, b: a @ b, f32(2, 3), f64(3)),
    Case("matmul-error-dtype-3d", lambda lib, a, b: a @ b, f32(2, 2, 3), f64(2, 3, 4)),
    Case("matmul-error-int-float", lambda lib, a, b: a @ b, i64(2, 3), f32(3, 4)),
    Case("matmul-error-bool", lambda lib, a, b: (a > 0) @ (b > 0), f32(2, 3), f32(3, 4)),
    Case("matmul-error-number", lambda lib, a: a @ 2, f32(3)),
]

# ---------------------------------------------------------------- mm, bmm, mv, dot, vdot, inner, outer

CASES += [
    Case("mm", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f32(3, 4)),
    Case("mm-method-f64", lambda lib, a, b: a.mm(b), f64(4, 3), f64(3, 2)),
    Case("mm-int", lambda lib, a, b: lib.mm(a, b), i64(2, 3), i64(3, 4)),
    Case("mm-noncontig", lambda lib, a, b: lib.mm(a.t(), b[::2]), f32(3, 2), f32(6, 4)),
    Case("mm-zero-k", lambda lib, a, b: lib.mm(a, b), f32(2, 0), f32(0, 4)),
    Case("mm-error-shape", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f32(4, 5)),
    Case("mm-error-1d", lambda lib, a, b: lib.mm(a, b), f32(3), f32(3, 5)),
    Case("mm-error-mat2-1d", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f32(3)),
    Case("mm-error-dtype", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f64(3, 5)),
    Case("mm-error-int-float", lambda lib, a, b: lib.mm(a, b), i64(2, 3), f32(3, 5)),
    Case("mm-error-bool", lambda lib, a, b: lib.mm(a > 0, b > 0), f32(2, 3), f32(3, 5)),
    Case("bmm", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f32(2, 3, 5)),
    Case("bmm-method-int", lambda lib, a, b: a.bmm(b), i64(2, 2, 3), i64(2, 3, 5)),
    Case("bmm-noncontig", lambda lib, a, b: lib.bmm(a.transpose(1, 2), b), f32(2, 3, 2), f32(2, 3, 5)),
    Case("bmm-error-shape", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f32(2, 4, 5)),
    Case("bmm-error-batch", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f32(3, 3, 5)),
    Case("bmm-error-2d", lambda lib, a, b: lib.bmm(a, b), f32(2, 3), f32(3, 5)),
    Case("bmm-error-dtype", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f64(2, 3, 5)),
    Case("mv", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f32(3)),
    Case("mv-method-int", lambda lib, a, b: a.mv(b), i64(2, 3), i64(3)),
    Case("mv-error-shape", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f32(4)),
    Case("mv-error-dims", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f32(3, 1)),
    Case("mv-error-dtype", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f64(3)),
    Case("dot", lambda lib, a, b: lib.dot(a, b), f32(5), f32(5)),
    Case("dot-method-int", lambda lib, a, b: a.dot(b), i64(5), i64(5)),
    Case("dot-empty", lambda lib, a, b: lib.dot(a, b), f32(0), f32(0)),
    Case("dot-error-size", lambda lib, a, b: lib.dot(a, b), f32(3), f32(4)),
    Case("dot-error-2d", lambda lib, a, b: lib.dot(a, b), f32(3, 1), f32(3)),
    Case("dot-error-dtype", lambda lib, a, b: lib.dot(a, b), f32(3), f64(3)),
    Case("dot-error-bool", lambda lib, a, b: lib.dot(a > 0, b > 0), f32(3), f32(3)),
    Case("vdot", lambda lib, a, b: lib.vdot(a, b), f64(4), f64(4)),
    Case("vdot-method-int", lambda lib, a, b: a.vdot(b), i64(4), i64(4)),
    Case("vdot-error", lambda lib, a, b: lib.vdot(a, b), f32(3), f32(4)),
    Case("inner", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f32(4, 3)),
    Case("inner-1d", lambda lib, a, b: a.inner(b), f32(3), f32(3)),
    Case("inner-3d-2d", lambda lib, a, b: lib.inner(a, b), f32(2, 2, 3), f32(4, 3)),
    Case("inner-int", lambda lib, a, b: lib.inner(a, b), i64(2, 3), i64(3)),
    Case("inner-0d-promotes", lambda lib, a, b: lib.inner(a, b), np.asarray(1.5, np.float32), f64(4, 3)),
    Case("inner-error-shape", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f32(4, 2)),
    Case("inner-error-dtype", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f64(4, 3)),
    Case("outer", lambda lib, a, b: lib.outer(a, b), f32(2), f32(3)),
    Case("outer-promotes", lambda lib, a, b: a.outer(b), f32(2), f64(3)),
    Case("outer-int-float", lambda lib, a, b: lib.outer(a, b), i64(2), f32(3)),
    Case("outer-bool", lambda lib, a, b: lib.outer(a > 0, b > 0), f32(2), f32(3)),
    Case("ger", lambda lib, a, b: lib.ger(a, b), f32(2), f32(3)),
    Case("outer-error-2d", lambda lib, a, b: lib.outer(a, b), f32(2, 2), f32(3)),
]

# ---------------------------------------------------------------- einsum, tensordot, kron, cross, trace

CASES += [
    Case("einsum-mm", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), f32(2, 3), f32(3, 4)),
    Case("einsum-list", lambda lib, a, b: lib.einsum("ij,jk->ik", [a, b]), f32(2, 3), f32(3, 4)),
    Case("einsum-implicit", lambda lib, a, b: lib.einsum("ij,jk", a, b), f32(2, 3), f32(3, 4)),
    Case("einsum-spaces", lambda lib, a, b: lib.einsum("i j , j k -> i k", a, b), f32(2, 3), f32(3, 4)),
    Case("einsum-ellipsis", lambda lib, a, b: lib.einsum("...ij,...jk->...ik", a, b), f32(5, 2, 3), f32(5, 3, 4)),
    Case("einsum-batch", lambda lib, a, b: lib.einsum("bij,jk->bik", a, b), f32(5, 2, 3), f32(3, 4)),
    Case("einsum-trace", lambda lib, a: lib.einsum("ii", a), f32(3, 3)),
    Case("einsum-diag", lambda lib, a: lib.einsum("ii->i", a), f32(3, 3)),
    Case("einsum-transpose", lambda lib, a: lib.einsum("ij->ji", a), f32(3, 2)),
    Case("einsum-outer", lambda lib, a, b: lib.einsum("i,j->ij", a, b), f32(2), f32(3)),
    Case("einsum-three", lambda lib, a, b, c: lib.einsum("ij,jk,kl->il", a, b, c), f64(2, 3), f64(3, 4), f64(4, 2)),
    Case("einsum-broadcast-1", lambda lib, a, b: lib.einsum("ij,ij->i", a, b), f32(2, 3), f32(1, 3)),
    Case("einsum-int", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), i64(2, 3), i64(3, 4)),
    Case("einsum-sublist", lambda lib, a, b: lib.einsum(a, [0, 1], b, [1, 2], [0, 2]), f32(2, 3), f32(3, 4)),
    Case("einsum-error-size", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), f32(2, 3), f32(4, 4)),
    Case("einsum-error-fewer", lambda lib, a: lib.einsum("ij,jk->ik", a), f32(2, 3)),
    Case("einsum-error-more", lambda lib, a, b: lib.einsum("i->", a, b), f32(3), f32(3)),
    Case("einsum-error-ndim", lambda lib, a: lib.einsum("ij->", a), f32(3)),
    Case("einsum-error-dtype", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), f32(2, 3), f64(3, 4)),
    Case("einsum-error-char", lambda lib, a: lib.einsum("i1->", a), f32(3, 3)),
    Case("tensordot-int-dims", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f32(3, 4, 5)),
    Case("tensordot-lists", lambda lib, a, b: lib.tensordot(a, b, dims=([1, 2], [1, 0])), f32(2, 3, 4), f32(4, 3, 5)),
    Case("tensordot-tuples", lambda lib, a, b: lib.tensordot(a, b, ((1,), (0,))), f64(2, 3), f64(3, 4)),
    Case("tensordot-0", lambda lib, a, b: lib.tensordot(a, b, dims=0), f32(2, 3), f32(4)),
    # dims must be concrete (they fix the program), so not under tracing
    Case("tensordot-tensor-dims", lambda lib, a, b: lib.tensordot(a, b, dims=lib.tensor([[1, 2], [1, 0]])), f32(2, 3, 4), f32(4, 3, 5), traced=False),
    Case("tensordot-int", lambda lib, a, b: lib.tensordot(a, b), i64(2, 3, 4), i64(3, 4, 5)),
    Case("tensordot-error-size", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f32(3, 5, 5)),
    Case("tensordot-error-dtype", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f64(3, 4, 5)),
    Case("tensordot-error-neg", lambda lib, a, b: lib.tensordot(a, b, dims=-1), f32(2, 3), f32(3, 4)),
    Case("tensordot-error-int-pair", lambda lib, a, b: lib.tensordot(a, b, dims=[1, 0]), f32(2, 3), f32(3, 4)),
    Case("kron", lambda lib, a, b: lib.kron(a, b), f32(2, 3), f32(4, 5)),
    Case("kron-1d-2d", lambda lib, a, b: a.kron(b), f32(2), f32(4, 5)),
    Case("kron-3d-2d", lambda lib, a, b: lib.kron(a, b), f32(2, 2, 2), f32(3, 3)),
    Case("kron-promotes", lambda lib, a, b: lib.kron(a, b), f32(2, 3), f64(2, 2)),
    Case("kron-int-float", lambda lib, a, b: lib.kron(a, b), i64(2, 3), f32(2, 2)),
    Case("kron-bool", lambda lib, a, b: lib.kron(a > 0, b > 0), f32(2), f32(3)),
    Case("kron-empty", lambda lib, a, b: lib.kron(a, b), f32(0, 3), f32(2, 2)),
    Case("cross-dim", lambda lib, a, b: lib.cross(a, b, dim=1), f32(4, 3), f32(4, 3)),
    Case("cross-dim0", lambda lib, a, b: a.cross(b, dim=0), f64(3, 4), f64(3, 4)),
    Case("cross-broadcast", lambda lib, a, b: lib.cross(a, b, dim=-1), f32(4, 3), f32(1, 3)),
    Case("cross-int", lambda lib, a, b: lib.cross(a, b, dim=1), i64(2, 3), i64(2, 3)),
    Case("linalg-cross", lambda lib, a, b: lib.linalg.cross(a, b), f32(2, 5, 3), f32(2, 5, 3)),
    Case("linalg-cross-dim", lambda lib, a, b: lib.linalg.cross(a, b, dim=0), f32(3, 2), f32(3, 2)),
    Case("cross-error-len", lambda lib, a, b: lib.cross(a, b, dim=1), f32(4, 4), f32(4, 4)),
    Case("cross-error-ndim", lambda lib, a, b: lib.linalg.cross(a, b), f32(4, 3), f32(3)),
    Case("cross-error-broadcast", lambda lib, a, b: lib.cross(a, b, dim=1), f32(4, 3), f32(2, 3)),
    Case("cross-error-dtype", lambda lib, a, b: lib.linalg.cross(a, b), f32(4, 3), f64(4, 3)),
    Case("trace", lambda lib, a: lib.trace(a), f32(3, 4)),
    Case("trace-method-f64", lambda lib, a: a.trace(), f64(4, 4)),
    Case("trace-int32-is-int64", lambda lib, a: lib.trace(a.int()), i64(3, 3)),
    Case("trace-int", lambda lib, a: lib.trace(a), i64(3, 3)),
    Case("trace-noncontig", lambda lib, a: lib.trace(a.t()), f32(3, 5)),
    Case("trace-error-1d", lambda lib, a: lib.trace(a), f32(3)),
    Case("trace-error-bool", lambda lib, a: lib.trace(a > 0), f32(3, 3)),
]


def _cross_nodim(lib, a, b):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.cross(a, b)


CASES += [
    Case("cross-default-dim", _cross_nodim, f32(2, 3, 4), f32(2, 3, 4)),
    Case("cross-error-no-3", _cross_nodim, f32(4, 4), f32(4, 4)),
]

# ---------------------------------------------------------------- addmm family

CASES += [
    Case("addmm", lambda lib, c, a, b: lib.addmm(c, a, b), f32(5), f32(2, 3), f32(3, 5)),
    Case("addmm-beta-alpha", lambda lib, c, a, b: lib.addmm(c, a, b, beta=0.5, alpha=2), f32(2, 5), f32(2, 3), f32(3, 5)),
    Case("addmm-method", lambda lib, c, a, b: c.addmm(a, b, alpha=-1), f64(1, 5), f64(2, 3), f64(3, 5)),
    Case("addmm-beta0-ignores-nan", lambda lib, c, a, b: lib.addmm(c * float("nan"), a, b, beta=0), f32(5), f32(2, 3), f32(3, 5)),
    Case("addmm-int", lambda lib, c, a, b: lib.addmm(c, a, b, beta=2, alpha=3), i64(5), i64(2, 3), i64(3, 5)),
    Case("addmm-int-float-scalars", lambda lib, c, a, b: lib.addmm(c, a, b, beta=1.7, alpha=2.6), i64(5), i64(2, 3), i64(3, 5)),
    Case("addmm_", lambda lib, c, a, b: c.clone().addmm_(a, b, beta=2), f32(2, 5), f32(2, 3), f32(3, 5)),
    Case("addmm-error-shape", lambda lib, c, a, b: lib.addmm(c, a, b), f32(5), f32(2, 3), f32(4, 5)),
    Case("addmm-error-input", lambda lib, c, a, b: lib.addmm(c, a, b), f32(3), f32(2, 3), f32(3, 5)),
    Case("addmm-error-dtype", lambda lib, c, a, b: lib.addmm(c, a, b), f64(5), f32(2, 3), f32(3, 5)),
    Case("addmm_-error-broadcast", lambda lib, c, a, b: c.clone().addmm_(a, b), f32(5), f32(2, 3), f32(3, 5)),
    Case("addmv", lambda lib, c, a, b: lib.addmv(c, a, b, beta=0.5, alpha=-2), f32(2), f32(2, 3), f32(3)),
    Case("addmv-scalar-input", lambda lib, c, a, b: lib.addmv(c, a, b), np.asarray(1.5), f64(2, 3), f64(3)),
    Case("addmv_", lambda lib, c, a, b: c.clone().addmv_(a, b), f32(2), f32(2, 3), f32(3)),
    Case("addmv-error-shape", lambda lib, c, a, b: lib.addmv(c, a, b), f32(3), f32(2, 3), f32(3)),
    Case("addmv-error-dtype", lambda lib, c, a, b: lib.addmv(c, a, b), f64(2), f32(2, 3), f32(3)),
    Case("baddbmm", lambda lib, c, a, b: lib.baddbmm(c, a, b), f32(2, 2, 5), f32(2, 2, 3), f32(2, 3, 5)),
    Case("baddbmm-broadcast", lambda lib, c, a, b: lib.baddbmm(c, a, b, beta=0.5, alpha=2), f32(5), f32(2, 2, 3), f32(2, 3, 5)),
    Case("baddbmm_", lambda lib, c, a, b: c.clone().baddbmm_(a, b, alpha=0.5), f64(2, 2, 5), f64(2, 2, 3), f64(2, 3, 5)),
    Case("baddbmm-int", lambda lib, c, a, b: lib.baddbmm(c, a, b), i64(2, 2, 5), i64(2, 2, 3), i64(2, 3, 5)),
    Case("baddbmm-error-shape", lambda lib, c, a, b: lib.baddbmm(c, a, b), f32(2, 2, 5), f32(2, 2, 3), f32(2, 4, 5)),
    Case("baddbmm-error-dtype", lambda lib, c, a, b: lib.baddbmm(c, a, b), f64(2, 2, 5), f32(2, 2, 3), f32(2, 3, 5)),
    Case("addbmm", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(2, 5), f32(4, 2, 3), f32(4, 3, 5)),
    Case("addbmm-beta-alpha", lambda lib, c, a, b: c.addbmm(a, b, beta=2, alpha=0.5), f64(5), f64(4, 2, 3), f64(4, 3, 5)),
    Case("addbmm_", lambda lib, c, a, b: c.clone().addbmm_(a, b), f32(2, 5), f32(4, 2, 3), f32(4, 3, 5)),
    Case("addbmm-error-batches", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(2, 5), f32(4, 2, 3), f32(3, 3, 5)),
    Case("addbmm-error-inner", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(2, 5), f32(4, 2, 3), f32(4, 4, 5)),
    Case("addbmm-error-dtype", lambda lib, c, a, b: lib.addbmm(c, a, b), f64(2, 5), f32(4, 2, 3), f32(4, 3, 5)),
    Case("addr", lambda lib, c, a, b: lib.addr(c, a, b), f32(2, 3), f32(2), f32(3)),
    Case("addr-beta-alpha", lambda lib, c, a, b: c.addr(a, b, beta=0.5, alpha=2), f32(3), f32(2), f32(3)),
    # torch's forward promotes but its backward then fails on the mixed dtypes
    Case("addr-promotes", lambda lib, c, a, b: lib.addr(c, a, b), f32(2, 3), f64(2), f32(3), grad=False),
    Case("addr-int-vectors", lambda lib, c, a, b: lib.addr(c, a, b), f32(2, 3), i64(2), i64(3)),
    Case("addr-bool", lambda lib, c, a, b: lib.addr(c > 0, a > 0, b > 0), f32(2, 3), f32(2), f32(3)),
    Case("addr_", lambda lib, c, a, b: c.clone().addr_(a, b, alpha=3), f32(2, 3), f32(2), f32(3)),
    Case("addr-error-int-alpha", lambda lib, c, a, b: lib.addr(c, a, b, alpha=1.5), i64(2, 3), i64(2), i64(3)),
    Case("addr-error-shape", lambda lib, c, a, b: lib.addr(c, a, b), f32(3, 3), f32(2), f32(3)),
]

# ---------------------------------------------------------------- powers, chains, distances

CASES += [
    Case("matrix_power-3", lambda lib, a: lib.matrix_power(a, 3), f64(3, 3)),
    Case("matrix_power-0", lambda lib, a: lib.matrix_power(a, 0), f64(3, 3)),
    Case("matrix_power-1", lambda lib, a: a.matrix_power(1), f32(3, 3)),
    Case("matrix_power-neg", lambda lib, a: lib.matrix_power(a, -2), wc(3, 3)),
    Case("matrix_power-batched", lambda lib, a: lib.linalg.matrix_power(a, 5), f64(2, 3, 3) / 2),
    Case("matrix_power-int", lambda lib, a: lib.matrix_power(a, 2), i64(3, 3)),
    Case("matrix_power-int-0", lambda lib, a: lib.matrix_power(a, 0), i64(3, 3)),
    Case("matrix_power-error-int-neg", lambda lib, a: lib.matrix_power(a, -1), i64(3, 3)),
    Case("matrix_power-error-nonsquare", lambda lib, a: lib.matrix_power(a, 2), f32(3, 4)),
    Case("matrix_power-error-1d", lambda lib, a: lib.matrix_power(a, 2), f32(3)),
    Case("multi_dot", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), f64(2, 3), f64(3, 4), f64(4, 5)),
    Case("multi_dot-vectors", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), f64(3), f64(3, 4), f64(4)),
    Case("multi_dot-two", lambda lib, a, b: lib.linalg.multi_dot((a, b)), f32(2, 3), f32(3)),
    Case("multi_dot-error-one", lambda lib, a: lib.linalg.multi_dot([a]), f32(3, 4)),
    Case("multi_dot-error-dtype", lambda lib, a, b: lib.linalg.multi_dot([a, b]), f32(2, 3), f64(3, 4)),
    Case("multi_dot-error-shape", lambda lib, a, b: lib.linalg.multi_dot([a, b]), f32(2, 3), f32(4, 4)),
    Case("multi_dot-error-3d", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), f32(2, 3), f32(2, 3, 4), f32(4)),
    Case("cdist", lambda lib, a, b: lib.cdist(a, b), f32(5, 3), f32(4, 3)),
    Case("cdist-f64-batched", lambda lib, a, b: lib.cdist(a, b), f64(2, 5, 3), f64(2, 4, 3)),
    Case("cdist-broadcast", lambda lib, a, b: lib.cdist(a, b), f64(2, 5, 3), f64(4, 3)),
    Case("cdist-zero-distance", lambda lib, a: lib.cdist(a, a), f64(4, 3)),
    Case("cdist-error-int", lambda lib, a, b: lib.cdist(a, b), i64(5, 3), i64(4, 3)),
    Case("cdist-error-cols", lambda lib, a, b: lib.cdist(a, b), f32(5, 3), f32(4, 2)),
    Case("cdist-error-1d", lambda lib, a, b: lib.cdist(a, b), f32(3), f32(3)),
    Case("cdist-error-neg-p", lambda lib, a, b: lib.cdist(a, b, p=-1), f32(5, 3), f32(4, 3)),
    Case("cdist-error-dtype", lambda lib, a, b: lib.cdist(a, b), f32(5, 3), f64(4, 3)),
]
for p in (0, 1, 3, 0.5, math.inf):
    CASES.append(Case(f"cdist-p{p}", lambda lib, a, b, p=p: lib.cdist(a, b, p=p), f64(5, 3), f64(4, 3)))


def _chain(lib, *ms):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.chain_matmul(*ms)


CASES += [
    Case("chain_matmul", _chain, f64(2, 3), f64(3, 4), f64(4, 5)),
    Case("chain_matmul-one", _chain, f64(2, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_products(case, compat):
    compat(case)


# ---------------------------------------------------------------- determinants, inverses, solves

DECOMP = [
    Case("det", lambda lib, a: lib.det(a), wc(3, 3)),
    Case("det-batched", lambda lib, a: lib.linalg.det(a), wc(2, 4, 4)),
    Case("det-method-f32", lambda lib, a: a.det(), wc(3, 3).astype(np.float32), rtol=1e-4, atol=1e-4),
    Case("det-0x0", lambda lib, a: lib.det(a), f64(0, 0)),
    Case("det-empty-batch", lambda lib, a: lib.det(a), f64(0, 3, 3)),
    Case("det-noncontig", lambda lib, a: lib.det(a.mT), wc(2, 3, 3)),
    Case("det-error-nonsquare", lambda lib, a: lib.det(a), f32(3, 4)),
    Case("det-error-int", lambda lib, a: lib.det(a), i64(3, 3)),
    Case("det-error-half", lambda lib, a: lib.det(a.half()), f32(3, 3)),
    Case("slogdet", lambda lib, a: lib.slogdet(a), f64(3, 3)),
    Case("slogdet-method-batched", lambda lib, a: a.slogdet(), f64(2, 3, 3)),
    Case("linalg-slogdet", lambda lib, a: tuple(lib.linalg.slogdet(a)), f64(4, 4)),
    Case("slogdet-fields", lambda lib, a: (lib.linalg.slogdet(a).sign, lib.slogdet(a).logabsdet), f64(3, 3)),
    Case("slogdet-error-int", lambda lib, a: lib.slogdet(a), i64(3, 3)),
    Case("logdet", lambda lib, a: lib.logdet(a), spd(3, 3)),
    Case("logdet-negative-is-nan", lambda lib, a: lib.logdet(-a), spd(3, 3), grad=False),
    Case("logdet-batched", lambda lib, a: a.logdet(), spd(2, 3, 3)),
    Case("inverse", lambda lib, a: lib.inverse(a), wc(3, 3)),
    Case("inverse-method", lambda lib, a: a.inverse(), wc(2, 3, 3)),
    Case("inv", lambda lib, a: lib.linalg.inv(a), wc(4, 4)),
    Case("inv-f32", lambda lib, a: lib.linalg.inv(a), wc(3, 3).astype(np.float32), rtol=1e-4, atol=1e-5),
    Case("inv-0x0", lambda lib, a: lib.linalg.inv(a), f64(0, 0)),
    Case("inv-noncontig", lambda lib, a: lib.linalg.inv(a.t()), wc(3, 3)),
    Case("inv_ex", lambda lib, a: tuple(lib.linalg.inv_ex(a)), wc(2, 3, 3)),
    Case("inv_ex-singular-info", lambda lib, a: lib.linalg.inv_ex(a * 0).info, wc(2, 3, 3), grad=False),
    Case("inv-error-singular", lambda lib, a: lib.linalg.inv(a * 0), f64(3, 3)),
    Case("inv-error-singular-batched", lambda lib, a: lib.linalg.inv(lib.stack([a, a * 0])), f64(3, 3)),
    Case("inverse-error-singular-rank1", lambda lib: lib.inverse(lib.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    Case("inv-error-nonsquare", lambda lib, a: lib.linalg.inv(a), f32(3, 4)),
    Case("inv-error-1d", lambda lib, a: lib.linalg.inv(a), f32(3)),
    Case("inv-error-int", lambda lib, a: lib.inverse(a), i64(3, 3)),
    Case("inv-error-half", lambda lib, a: lib.linalg.inv(a.half()), f32(3, 3)),
    Case("solve", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3), f64(3, 2)),
    Case("solve-vector", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3), f64(3)),
    Case("solve-batched-vector", lambda lib, a, b: lib.linalg.solve(a, b), wc(2, 3, 3), f64(2, 3)),
    Case("solve-batched-1d", lambda lib, a, b: lib.linalg.solve(a, b), wc(2, 3, 3), f64(3)),
    Case("solve-broadcast", lambda lib, a, b: lib.linalg.solve(a, b), wc(2, 3, 3), f64(3, 4)),
    Case("solve-broadcast-A", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3), f64(2, 3, 4)),
    Case("solve-right", lambda lib, a, b: lib.linalg.solve(a, b, left=False), wc(3, 3), f64(2, 3)),
    Case("solve-f32", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3).astype(np.float32), f32(3, 2), rtol=1e-4, atol=1e-5),
    Case("solve_ex", lambda lib, a, b: tuple(lib.linalg.solve_ex(a, b)), wc(3, 3), f64(3, 2)),
    Case("solve-error-singular", lambda lib, a, b: lib.linalg.solve(a * 0, b), f64(3, 3), f64(3, 2)),
    Case("solve-error-singular-batched", lambda lib, a, b: lib.linalg.solve(a * 0, b), f64(2, 3, 3), f64(2, 3, 1)),
    Case("solve-error-shape", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3), f64(4, 2)),
    Case("solve-error-dtype", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3).astype(np.float32), f64(3, 2)),
    Case("solve-error-int", lambda lib, a, b: lib.linalg.solve(a, b), i64(3, 3), i64(3)),
    Case("solve-error-nonsquare", lambda lib, a, b: lib.linalg.solve(a, b), f64(3, 4), f64(3)),
    Case("solve-error-right-vector", lambda lib, a, b: lib.linalg.solve(a, b, left=False), wc(3, 3), f64(3)),
]

# ---------------------------------------------------------------- Cholesky and eigh


def _eigh_invariants(lib, w, v):
    return w, v @ lib.diag_embed(w) @ v.mT, v.abs()


DECOMP += [
    Case("cholesky-linalg", lambda lib, a: lib.linalg.cholesky(a), spd(4, 4)),
    Case("cholesky-linalg-upper", lambda lib, a: lib.linalg.cholesky(a, upper=True), spd(4, 4)),
    Case("cholesky-batched", lambda lib, a: lib.linalg.cholesky(a), spd(2, 3, 3)),
    Case("cholesky-f32", lambda lib, a: lib.linalg.cholesky(a), spd(3, 3).astype(np.float32), rtol=1e-4, atol=1e-5),
    Case("cholesky-reads-lower", lambda lib, a: lib.linalg.cholesky(a + lib.triu(a, 1) * 0.3), spd(4, 4)),
    Case("cholesky-upper-reads-upper", lambda lib, a: lib.linalg.cholesky(a + lib.tril(a, -1) * 0.3, upper=True), spd(4, 4)),
    Case("cholesky-old", lambda lib, a: _quiet(lib.cholesky, a), spd(3, 3)),
    Case("cholesky-old-upper", lambda lib, a: _quiet(lambda x: x.cholesky(upper=True), a), spd(3, 3)),
    Case("cholesky_ex", lambda lib, a: tuple(lib.linalg.cholesky_ex(a)), spd(2, 3, 3)),
    Case("cholesky_ex-info-order", lambda lib: lib.linalg.cholesky_ex(lib.tensor([[[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])).info, traced=False),
    Case("cholesky-error-not-pd", lambda lib, a: lib.linalg.cholesky(-a), spd(3, 3)),
    Case("cholesky-error-not-pd-order2", lambda lib: lib.linalg.cholesky(lib.tensor([[1.0, 2.0], [2.0, 1.0]]))),
    Case("cholesky-error-batched", lambda lib, a: lib.linalg.cholesky(-a), spd(2, 3, 3)),
    Case("cholesky-old-error-not-pd", lambda lib, a: _quiet(lib.cholesky, -a), spd(3, 3)),
    Case("cholesky-error-nonsquare", lambda lib, a: lib.linalg.cholesky(a), f32(3, 4)),
    Case("cholesky-error-int", lambda lib, a: lib.linalg.cholesky(a), i64(3, 3)),
    Case("eigh", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a)), sym(4, 4)),
    Case("eigh-upper", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a, UPLO="U")), sym(4, 4)),
    Case("eigh-batched", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a)), sym(2, 3, 3)),
    Case("eigh-reads-lower", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a + lib.triu(a, 1))), sym(4, 4)),
    Case("eigh-reads-upper", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a + lib.tril(a, -1), "U")), sym(4, 4)),
    Case("eigh-fields", lambda lib, a: lib.linalg.eigh(a).eigenvalues, sym(3, 3)),
    Case("eigh-f32", lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a)), sym(3, 3).astype(np.float32), rtol=1e-4, atol=1e-4),
    Case("eigvalsh", lambda lib, a: lib.linalg.eigvalsh(a), sym(4, 4)),
    Case("eigvalsh-upper-batched", lambda lib, a: lib.linalg.eigvalsh(a, UPLO="U"), sym(2, 3, 3)),
    Case("eigh-error-uplo", lambda lib, a: lib.linalg.eigh(a, UPLO="X"), sym(3, 3)),
    Case("eigh-error-nonsquare", lambda lib, a: lib.linalg.eigh(a), f64(3, 4)),
    Case("eigh-error-int", lambda lib, a: lib.linalg.eigh(a), i64(3, 3)),
]


def _quiet(fn, *args):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


# ---------------------------------------------------------------- SVD and QR


def _svd_reduced(lib, u, s, vh):
    return u @ lib.diag_embed(s) @ vh, s, u.abs(), vh.abs()


def _svd_full(lib, u, s, vh):
    k = s.shape[-1]
    # the columns of U (rows of Vh) past k are only defined up to a basis: compare their projectors
    # (torch's backward ignores them, so no gradient flows from there)
    return (
        (u[..., :k] * s[..., None, :]) @ vh[..., :k, :],
        u[..., :k].abs(),
        vh[..., :k, :].abs(),
        u[..., k:] @ u[..., k:].mT,
        vh[..., k:, :].mT @ vh[..., k:, :],
    )


def _svd_orthogonal(lib, u, s, vh):
    return u.mT @ u, vh @ vh.mT


DECOMP += [
    Case("svd-reduced-tall", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, full_matrices=False)), f64(5, 3)),
    Case("svd-reduced-wide", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, full_matrices=False)), f64(3, 5)),
    Case("svd-square", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a)), f64(4, 4)),
    Case("svd-batched", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, False)), f64(2, 4, 3)),
    Case("svd-full-tall", lambda lib, a: _svd_full(lib, *lib.linalg.svd(a)), f64(5, 3)),
    Case("svd-full-wide", lambda lib, a: _svd_full(lib, *lib.linalg.svd(a)), f64(3, 5)),
    Case("svd-full-batched", lambda lib, a: _svd_full(lib, *lib.linalg.svd(a, full_matrices=True)), f64(2, 4, 2)),
    Case("svd-f32", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, full_matrices=False)), f32(4, 3), rtol=1e-4, atol=1e-4),
    Case("svd-full-orthogonal", lambda lib, a: _svd_orthogonal(lib, *lib.linalg.svd(a)), f64(3, 5), grad=False),
    Case("svd-shapes", lambda lib, a: [t.shape for t in lib.linalg.svd(a)], f64(5, 3), grad=False),
    Case("svd-noncontig", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a.mT, False)), f64(3, 5)),
    Case("svd-fields", lambda lib, a: lib.linalg.svd(a).S, f64(3, 4)),
    Case("svd-old", lambda lib, a: _svd_old(lib, *lib.svd(a)), f64(5, 3)),
    Case("svd-old-method-not-some", lambda lib, a: [t.shape for t in a.svd(some=False)], f64(5, 3), grad=False),
    Case("svdvals", lambda lib, a: lib.linalg.svdvals(a), f64(4, 3)),
    Case("svdvals-batched-f32", lambda lib, a: lib.linalg.svdvals(a), f32(2, 3, 5), rtol=1e-4, atol=1e-5),
    Case("svdvals-empty", lambda lib, a: lib.linalg.svdvals(a), f64(0, 3)),
    Case("svd-error-int", lambda lib, a: lib.linalg.svd(a), i64(3, 3)),
    Case("svd-error-1d", lambda lib, a: lib.linalg.svd(a), f64(3)),
    Case("qr", lambda lib, a: _qr_invariants(*lib.linalg.qr(a)), f64(5, 3)),
    Case("qr-wide", lambda lib, a: _qr_invariants(*lib.linalg.qr(a)), f64(3, 5)),
    Case("qr-batched", lambda lib, a: _qr_invariants(*lib.linalg.qr(a)), f64(2, 4, 3)),
    Case("qr-complete-wide", lambda lib, a: _qr_invariants(*lib.linalg.qr(a, mode="complete")), f64(3, 5)),
    Case("qr-complete-tall-values", lambda lib, a: _qr_invariants(*lib.linalg.qr(a, mode="complete")), f64(5, 3), grad=False),
    Case("qr-complete-tall-shapes", lambda lib, a: [t.shape for t in lib.linalg.qr(a, mode="complete")], f64(5, 3), grad=False),
    Case("qr-r-values", lambda lib, a: [t.abs() for t in lib.linalg.qr(a, mode="r")], f64(5, 3), grad=False),
    Case("qr-error-complete-tall-backward", lambda lib, a: lib.linalg.qr(a, mode="complete").R, f64(5, 3)),
    Case("qr-error-r-backward", lambda lib, a: lib.linalg.qr(a, mode="r").R, f64(5, 3)),
    Case("qr-old", lambda lib, a: _qr_invariants(*lib.qr(a)), f64(4, 3)),
    Case("qr-old-method-not-some", lambda lib, a: [t.shape for t in a.qr(some=False)], f64(4, 3), grad=False),
    Case("qr-fields", lambda lib, a: lib.linalg.qr(a).R.abs(), f64(3, 3)),
    Case("qr-f32", lambda lib, a: _qr_invariants(*lib.linalg.qr(a)), f32(4, 3), rtol=1e-4, atol=1e-5),
    Case("qr-error-mode", lambda lib, a: lib.linalg.qr(a, mode="x"), f64(3, 3)),
    Case("qr-error-int", lambda lib, a: lib.linalg.qr(a), i64(3, 3)),
]


def _svd_old(lib, u, s, v):
    return u @ lib.diag_embed(s) @ v.mT, s, u.abs(), v.abs()


def _qr_invariants(q, r):
    return q @ r, q.abs(), r.abs()


# ---------------------------------------------------------------- pinv, rank, least squares

DECOMP += [
    Case("pinv-wide", lambda lib, a: lib.linalg.pinv(a), f64(3, 5)),
    Case("pinv-tall", lambda lib, a: lib.linalg.pinv(a), f64(5, 3)),
    Case("pinv-batched-f32", lambda lib, a: lib.linalg.pinv(a), f32(2, 4, 3), rtol=1e-4, atol=1e-4),
    Case("pinv-rank-deficient", lambda lib, a, b: lib.linalg.pinv(a @ b), f64(4, 2), f64(2, 5)),
    Case("pinv-hermitian", lambda lib, a: lib.linalg.pinv(a, hermitian=True), sym(4, 4)),
    Case("pinv-atol", lambda lib, a: lib.linalg.pinv(a, atol=1.0), f64(4, 4)),
    Case("pinv-rtol", lambda lib, a: lib.linalg.pinv(a, rtol=0.3), f64(4, 4)),
    Case("pinv-rcond", lambda lib, a: lib.linalg.pinv(a, 0.3), f64(4, 3)),
    Case("pinverse", lambda lib, a: lib.pinverse(a), f64(3, 4)),
    Case("pinverse-method", lambda lib, a: a.pinverse(rcond=0.2), f64(4, 3)),
    Case("pinv-error-int", lambda lib, a: lib.linalg.pinv(a), i64(3, 4)),
    Case("matrix_rank", lambda lib, a: lib.linalg.matrix_rank(a), f64(3, 4)),
    Case("matrix_rank-deficient", lambda lib, a, b: lib.linalg.matrix_rank(a @ b), f64(4, 2), f64(2, 5)),
    Case("matrix_rank-batched", lambda lib, a: lib.linalg.matrix_rank(a), f64(2, 3, 4)),
    Case("matrix_rank-tol", lambda lib, a: lib.linalg.matrix_rank(a, tol=1.0), f64(4, 4)),
    Case("matrix_rank-atol-rtol", lambda lib, a: lib.linalg.matrix_rank(a, atol=0.5, rtol=0.2), f64(4, 4)),
    Case("matrix_rank-hermitian", lambda lib, a: lib.linalg.matrix_rank(a, hermitian=True), sym(4, 4)),
    Case("matrix_rank-error-int", lambda lib, a: lib.linalg.matrix_rank(a), i64(3, 3)),
    Case("lstsq", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b)), f64(5, 3), f64(5, 2)),
    Case("lstsq-wide", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b)), f64(3, 5), f64(3, 2)),
    Case("lstsq-vector", lambda lib, a, b: lib.linalg.lstsq(a, b).solution, f64(5, 3), f64(5)),
    Case("lstsq-batched", lambda lib, a, b: lib.linalg.lstsq(a, b).solution, f64(2, 5, 3), f64(2, 5, 2)),
    Case("lstsq-gelsd", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b, driver="gelsd")), f64(5, 3), f64(5, 2)),
    Case("lstsq-gelss-wide", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b, driver="gelss")), f64(3, 5), f64(3, 2)),
    Case("lstsq-gels", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b, driver="gels")), f64(5, 3), f64(5, 2)),
    Case("lstsq-error-dtype", lambda lib, a, b: lib.linalg.lstsq(a, b), f64(5, 3), f32(5, 2)),
    Case("lstsq-error-shape", lambda lib, a, b: lib.linalg.lstsq(a, b), f64(5, 3), f64(4, 2)),
]

# ---------------------------------------------------------------- other linalg functions

DECOMP += [
    Case("vecdot", lambda lib, a, b: lib.linalg.vecdot(a, b), f32(4, 3), f32(4, 3)),
    Case("vecdot-dim", lambda lib, a, b: lib.linalg.vecdot(a, b, dim=0), f64(4, 3), f64(4, 3)),
    Case("vecdot-broadcast", lambda lib, a, b: lib.linalg.vecdot(a, b), f32(2, 4, 3), f32(3)),
    Case("vecdot-error-int", lambda lib, a, b: lib.linalg.vecdot(a, b), i64(3), i64(3)),
    Case("vecdot-error-dtype", lambda lib, a, b: lib.linalg.vecdot(a, b), f32(3), f64(3)),
    Case("linalg-diagonal", lambda lib, a: lib.linalg.diagonal(a), f32(2, 3, 4)),
    Case("linalg-diagonal-offset", lambda lib, a: lib.linalg.diagonal(a, offset=1, dim1=0, dim2=2), f32(2, 3, 4)),
    Case("matrix_exp", lambda lib, a: lib.linalg.matrix_exp(a), f64(3, 3) / 2),
    Case("matrix_exp-batched", lambda lib, a: lib.matrix_exp(a), f64(2, 3, 3) / 2),
    Case("linalg-det", lambda lib, a: lib.linalg.det(a), wc(3, 3)),
    Case("linalg-error-is-runtime", lambda lib: isinstance(lib.linalg.LinAlgError("x"), RuntimeError)),
]


@pytest.mark.parametrize("case", DECOMP, ids=repr)
def test_decompositions(case, compat):
    compat(case)


# ---------------------------------------------------------------- norms

VECTOR_ORDS = [2, 1, 3, 0.5, -1, 0, math.inf, -math.inf]
NORMS = []
for o in VECTOR_ORDS:
    g = o != 0  # torch's 0-"norm" returns no gradient (None); torchlike's is zeros
    NORMS += [
        Case(f"vector_norm-{o}", lambda lib, x, o=o: lib.linalg.vector_norm(x, ord=o), f64(3, 4), grad=g),
        Case(f"vector_norm-{o}-dim", lambda lib, x, o=o: lib.linalg.vector_norm(x, o, dim=1), f32(3, 4), grad=g),
        Case(f"vector_norm-{o}-dims-keepdim", lambda lib, x, o=o: lib.linalg.vector_norm(x, o, (0, 2), True), f64(2, 3, 4), grad=g),
        Case(f"vector_norm-{o}-with-zeros", lambda lib, x, o=o: lib.linalg.vector_norm(x * (x > 0), o, dim=-1), f64(3, 4), grad=g),
        Case(f"vector_norm-{o}-zero-vector", lambda lib, x, o=o: lib.linalg.vector_norm(x * 0, o), f64(4), grad=g),
    ]
NORMS += [
    Case("vector_norm-dtype", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.float64), f32(3, 4)),
    Case("vector_norm-f16", lambda lib, x: lib.linalg.vector_norm(x.half()), f32(6), rtol=1e-2, atol=1e-2),
    Case("vector_norm-dim-empty-tuple", lambda lib, x: lib.linalg.vector_norm(x, dim=(), keepdim=True), f32(2, 3)),
    Case("vector_norm-empty-2", lambda lib, x: lib.linalg.vector_norm(x), f32(0, 3)),
    Case("vector_norm-empty-inf-other-dim", lambda lib, x: lib.linalg.vector_norm(x, math.inf, dim=1), f32(0, 3)),
    Case("vector_norm-noncontig", lambda lib, x: lib.linalg.vector_norm(x.t()[:, ::2], dim=0), f32(4, 3)),
    Case("vector_norm-error-int", lambda lib, x: lib.linalg.vector_norm(x), i64(3)),
    Case("vector_norm-error-int-dtype", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.int64), f32(3)),
    Case("vector_norm-error-narrowing", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.float16), f32(3)),
    Case("vector_norm-error-empty-inf", lambda lib, x: lib.linalg.vector_norm(x, math.inf, dim=0), f32(0, 3)),
    Case("vector_norm-error-empty-neg", lambda lib, x: lib.linalg.vector_norm(x, -1), f32(0, 3)),
    Case("vector_norm-error-str-ord", lambda lib, x: lib.linalg.vector_norm(x, "fro"), f32(3)),
]
for o in ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]:
    NORMS += [
        Case(f"matrix_norm-{o}", lambda lib, x, o=o: lib.linalg.matrix_norm(x, ord=o), f64(3, 4)),
        Case(f"matrix_norm-{o}-batched", lambda lib, x, o=o: lib.linalg.matrix_norm(x, o), f64(2, 4, 3)),
        Case(f"matrix_norm-{o}-dims-keepdim", lambda lib, x, o=o: lib.linalg.matrix_norm(x, o, dim=(2, 0), keepdim=True), f64(3, 2, 4)),
        Case(f"matrix_norm-{o}-f32", lambda lib, x, o=o: lib.linalg.matrix_norm(x, o, dim=(0, 1)), f32(4, 3, 2), rtol=1e-4, atol=1e-5),
        Case(f"linalg-norm-{o}", lambda lib, x, o=o: lib.linalg.norm(x, o), f64(4, 3)),
    ]
NORMS += [
    Case("matrix_norm-error-ord", lambda lib, x: lib.linalg.matrix_norm(x, ord=3), f32(3, 4)),
    Case("matrix_norm-error-str-ord", lambda lib, x: lib.linalg.matrix_norm(x, ord="max"), f32(3, 4)),
    Case("matrix_norm-error-1d", lambda lib, x: lib.linalg.matrix_norm(x), f32(4)),
    Case("matrix_norm-error-int", lambda lib, x: lib.linalg.matrix_norm(x), i64(3, 4)),
    Case("matrix_norm-error-same-dims", lambda lib, x: lib.linalg.matrix_norm(x, dim=(1, -1)), f32(3, 4)),
    Case("matrix_norm-error-three-dims", lambda lib, x: lib.linalg.matrix_norm(x, dim=(0, 1, 2)), f32(2, 3, 4)),
    Case("norm-default-vector", lambda lib, x: lib.linalg.norm(x), f32(5)),
    Case("norm-default-matrix", lambda lib, x: lib.linalg.norm(x), f32(3, 4)),
    Case("norm-default-3d", lambda lib, x: lib.linalg.norm(x), f32(2, 3, 4)),
    Case("norm-vector-ord", lambda lib, x: lib.linalg.norm(x, 1), f32(5)),
    Case("norm-dim-int", lambda lib, x: lib.linalg.norm(x, dim=1), f32(3, 4)),
    Case("norm-dim-int-ord", lambda lib, x: lib.linalg.norm(x, 3, dim=0, keepdim=True), f32(3, 4)),
    Case("norm-dim-pair-ord", lambda lib, x: lib.linalg.norm(x, 2, dim=(1, 2)), f64(2, 3, 4)),
    Case("norm-dim-pair-default", lambda lib, x: lib.linalg.norm(x, dim=(0, 2)), f64(2, 3, 4)),
    Case("norm-dtype", lambda lib, x: lib.linalg.norm(x, dtype=lib.float64), f32(3, 4)),
    Case("norm-zero-grad", lambda lib, x: lib.linalg.norm(x * 0), f64(3, 4)),
    Case("norm-error-3d-ord", lambda lib, x: lib.linalg.norm(x, 2), f32(2, 3, 4)),
    Case("norm-error-3-dims", lambda lib, x: lib.linalg.norm(x, dim=(0, 1, 2)), f32(2, 3, 4)),
    Case("norm-error-fro-dim1", lambda lib, x: lib.linalg.norm(x, "fro", dim=1), f32(3, 4)),
    Case("norm-error-nuc-1d", lambda lib, x: lib.linalg.norm(x, "nuc"), f32(3)),
    Case("norm-error-int", lambda lib, x: lib.linalg.norm(x), i64(3)),
]


@pytest.mark.parametrize("case", NORMS, ids=repr)
def test_norms(case, compat):
    compat(case)


# ---------------------------------------------------------------- grad_fn names (beyond what the harness compares)

GRAD_FN = [
    ("mm", lambda lib, a, b: a @ b, (2, 3), (3, 4)),
    ("mv", lambda lib, a, b: a @ b, (2, 3), (3,)),
    ("dot", lambda lib, a, b: a @ b, (3,), (3,)),
    ("1d@2d", lambda lib, a, b: a @ b, (3,), (3, 4)),
    ("3d@2d", lambda lib, a, b: a @ b, (5, 2, 3), (3, 4)),
    ("3d@3d", lambda lib, a, b: a @ b, (5, 2, 3), (5, 3, 4)),
    ("2d@3d", lambda lib, a, b: a @ b, (2, 3), (5, 3, 4)),
    ("bmm", lambda lib, a, b: lib.bmm(a, b), (5, 2, 3), (5, 3, 4)),
    ("addmm", lambda lib, a, b: lib.addmm(a[0], a, b), (3, 3), (3, 3)),
    ("det", lambda lib, a, b: lib.det(a), (3, 3), (1,)),
    ("svd", lambda lib, a, b: lib.linalg.svd(a)[1], (3, 3), (1,)),
    ("cholesky", lambda lib, a, b: lib.linalg.cholesky(a @ a.mT + 3 * lib.eye(3)), (3, 3), (1,)),
]


@pytest.mark.parametrize("name,fn,sa,sb", GRAD_FN, ids=[g[0] for g in GRAD_FN])
def test_grad_fn_names(name, fn, sa, sb):
    harness = pytest.importorskip("compat_tests.harness")
    if not harness.HAVE_TORCH:
        pytest.skip("compares against live torch")
    import torch

    import torchlike

    a, b = f32(*sa), f32(*sb)
    want = fn(torch, torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)).grad_fn.name()
    got = fn(torchlike, torchlike.tensor(a, requires_grad=True), torchlike.tensor(b, requires_grad=True)).grad_fn.name()
    assert got == want


def test_linalg_error_class():
    import torchlike

    with pytest.raises(torchlike.linalg.LinAlgError, match="singular"):
        torchlike.linalg.inv(torchlike.zeros(3, 3))
    assert issubclass(torchlike.linalg.LinAlgError, RuntimeError)


def test_error_messages_match_torch():
    """The texts of the errors users meet most (the harness compares types only)."""
    harness = pytest.importorskip("compat_tests.harness")
    if not harness.HAVE_TORCH:
        pytest.skip("compares against live torch")
    import torch

    import torchlike

    rows = [
        lambda lib: lib.mm(lib.ones(2, 3), lib.ones(4, 5)),
        lambda lib: lib.ones(3) @ lib.ones(4),
        lambda lib: lib.ones(2, 3) @ lib.ones(4),
        lambda lib: lib.ones(2, 2, 3) @ lib.ones(4, 5),
        lambda lib: lib.ones(2, 2, 3) @ lib.ones(2, 4, 5),
        lambda lib: lib.bmm(lib.ones(2, 2, 3), lib.ones(2, 4, 5)),
        lambda lib: lib.mv(lib.ones(2, 3), lib.ones(4)),
        lambda lib: lib.dot(lib.ones(3), lib.ones(4)),
        lambda lib: lib.mm(lib.ones(2, 3), lib.ones(3, 5, dtype=lib.float64)),
        lambda lib: lib.ones(3) @ lib.ones(3, dtype=lib.float64),
        lambda lib: lib.linalg.inv(lib.ones(3, 4)),
        lambda lib: lib.linalg.inv(lib.zeros(3, 3)),
        lambda lib: lib.linalg.solve(lib.zeros(2, 3, 3), lib.ones(2, 3, 1)),
        lambda lib: lib.linalg.cholesky(lib.tensor([[1.0, 2.0], [2.0, 1.0]])),
        lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 3), lib.ones(4, 4)),
        lambda lib: lib.tensordot(lib.ones(2, 3, 4), lib.ones(3, 5, 5), dims=2),
    ]
    for row in rows:
        with pytest.raises(RuntimeError) as want:
            row(torch)
        with pytest.raises(RuntimeError) as got:
            row(torchlike)
        assert str(got.value) == str(want.value)
