"""Linear algebra against torch: values, dtypes, gradients, errors, traced.

Decompositions are checked through quantities that do not depend on the sign
(or basis) of singular vectors and eigenvectors: ``U @ diag(S) @ Vh``, ``S``,
``|U|``, projectors. Matrices are well-conditioned float64 where precision matters.

What a row costs is mostly compilation: every new shape of an op compiles its
forward, its backward (op by op, eagerly) and the traced program. So each op
has one row that checks gradients, on few shapes; its other shapes, dtypes and
options are ``NoGrad`` rows (values, dtypes, errors, traced), and a row returns
the results of one op over several inputs as a tuple.
"""

from __future__ import annotations

import math
import warnings

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


def NoGrad(name, fn, *inputs, **kwargs):
    """A row whose gradients another row of the same op already checks."""
    return Case(name, fn, *inputs, grad=False, **kwargs)


def _quiet(fn, *args, **kwargs):
    """Call a function torch deprecates, without its warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _over(op, pairs, make=f32, wrap=lambda x: x):
    """``fn, *inputs`` of a row applying ``op`` to each pair of operand shapes (the second through ``wrap``)."""
    inputs = [x for sa, sb in pairs for x in (make(*sa), wrap(make(*sb)))]
    return (lambda lib, *xs: tuple(op(lib, xs[i], xs[i + 1]) for i in range(0, len(xs), 2))), *inputs


# ---------------------------------------------------------------- matmul: every path of torch's matmul

MATMUL_1D = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4))]
MATMUL_ND = [((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4))]
MATMUL_BROADCAST = [
    ((2, 1, 2, 3), (5, 3, 4)),
    ((1, 2, 3), (4, 3, 5)),
    ((4, 2, 3), (1, 3, 5)),
    ((2, 6, 2, 3), (3, 4)),
    ((2, 1, 2, 3), (1, 4, 3, 5)),
]
MATMUL_ZERO = [((0, 3), (3, 4)), ((2, 0), (0, 4)), ((0, 2, 3), (3, 4)), ((2, 3), (3, 0)), ((0,), (0,))]


def _matmul(lib, a, b):
    return a @ b


CASES = [
    NoGrad("matmul-1d", *_over(_matmul, MATMUL_1D)),
    NoGrad("matmul-nd", *_over(_matmul, MATMUL_ND)),
    NoGrad("matmul-broadcast", *_over(_matmul, MATMUL_BROADCAST)),
    NoGrad("matmul-zero-size", *_over(_matmul, MATMUL_ZERO)),
    # gradients through the 1-d and the broadcast paths
    Case("matmul-f64", *_over(lambda lib, a, b: lib.matmul(a, b), [MATMUL_1D[4], MATMUL_BROADCAST[4]], f64)),
    # torch folds the batch into mm rows when only the other operand requires grad
    Case("matmul-one-grad", *_over(lambda lib, a, b: a @ lib.tensor(b), MATMUL_ND[1:3], wrap=Raw)),
    Case("matmul-i64", *_over(lambda lib, a, b: a.matmul(b), MATMUL_1D[:3] + MATMUL_BROADCAST[:1] + MATMUL_ZERO, i64)),
    Case("matmul-i32", lambda lib, a, b: a.int() @ b.int(), i64(2, 3), i64(3, 4)),
    NoGrad("matmul-linalg", lambda lib, a, b: lib.linalg.matmul(a, b), f32(4, 3), f32(3, 2)),
    NoGrad(
        "matmul-noncontig",
        lambda lib, a, b, c, d: (a.t() @ b[:, ::2], c.mT @ d.transpose(0, 1)),
        f32(3, 4),
        f32(3, 6),
        f32(2, 3, 4),
        f32(3, 2, 5),
    ),
    NoGrad("matmul-expanded", lambda lib, a, b: a.expand(4, 2, 3) @ b, f32(2, 3), f32(4, 3, 5)),
    NoGrad("matmul-f16", lambda lib, a, b: a.half() @ b.half(), f32(2, 3), f32(3, 4), rtol=2e-2, atol=2e-2),
    NoGrad("matmul-out", lambda lib, a, b: lib.matmul(a, b, out=lib.empty(2, 4)), f32(2, 3), f32(3, 4)),
    NoGrad("imatmul", lambda lib, a, b: _imatmul(lib, a, b), f32(3, 3), f32(3, 3)),
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
    CASES.append(Case(f"matmul-error-{sa}@{sb}", _matmul, f32(*sa), f32(*sb)))
CASES += [
    Case("matmul-error-dtype-2d", _matmul, f32(2, 3), f64(3, 4)),
    Case("matmul-error-dtype-1d", _matmul, f32(3), f64(3)),
    Case("matmul-error-dtype-mv", _matmul, f32(2, 3), f64(3)),
    Case("matmul-error-dtype-3d", _matmul, f32(2, 2, 3), f64(2, 3, 4)),
    Case("matmul-error-int-float", _matmul, i64(2, 3), f32(3, 4)),
    Case("matmul-error-bool", lambda lib, a, b: (a > 0) @ (b > 0), f32(2, 3), f32(3, 4)),
    Case("matmul-error-number", lambda lib, a: a @ 2, f32(3)),
]

# ---------------------------------------------------------------- mm, bmm, mv, dot, vdot, inner, outer
# (mm, bmm, mv and dot are matmul's program: the matmul rows check their gradients)


def _mm(lib, a, b, c, d, e):
    return lib.mm(a, b), a.mm(b), lib.mm(c.t(), b[::2]), lib.mm(d, e)


CASES += [
    NoGrad("mm", _mm, f32(2, 6), f32(6, 4), f32(3, 2), f32(2, 0), f32(0, 4)),
    Case("mm-int", lambda lib, a, b: lib.mm(a, b), i64(2, 3), i64(3, 4)),
    Case("mm-error-shape", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f32(4, 5)),
    Case("mm-error-1d", lambda lib, a, b: lib.mm(a, b), f32(3), f32(3, 5)),
    Case("mm-error-mat2-1d", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f32(3)),
    Case("mm-error-dtype", lambda lib, a, b: lib.mm(a, b), f32(2, 3), f64(3, 5)),
    Case("mm-error-int-float", lambda lib, a, b: lib.mm(a, b), i64(2, 3), f32(3, 5)),
    Case("mm-error-bool", lambda lib, a, b: lib.mm(a > 0, b > 0), f32(2, 3), f32(3, 5)),
    NoGrad(
        "bmm",
        lambda lib, a, b, c: (lib.bmm(a, b), lib.bmm(c.transpose(1, 2), b)),
        f32(2, 2, 3),
        f32(2, 3, 5),
        f32(2, 3, 2),
    ),
    Case("bmm-method-int", lambda lib, a, b: a.bmm(b), i64(2, 2, 3), i64(2, 3, 5)),
    Case("bmm-error-shape", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f32(2, 4, 5)),
    Case("bmm-error-batch", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f32(3, 3, 5)),
    Case("bmm-error-2d", lambda lib, a, b: lib.bmm(a, b), f32(2, 3), f32(3, 5)),
    Case("bmm-error-dtype", lambda lib, a, b: lib.bmm(a, b), f32(2, 2, 3), f64(2, 3, 5)),
    NoGrad("mv", lambda lib, a, b: (lib.mv(a, b), a.mv(b)), f32(2, 3), f32(3)),
    Case("mv-method-int", lambda lib, a, b: a.mv(b), i64(2, 3), i64(3)),
    Case("mv-error-shape", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f32(4)),
    Case("mv-error-dims", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f32(3, 1)),
    Case("mv-error-dtype", lambda lib, a, b: lib.mv(a, b), f32(2, 3), f64(3)),
    NoGrad("dot", lambda lib, a, b, e: (lib.dot(a, b), a.dot(b), lib.dot(e, e)), f32(5), f32(5), f32(0)),
    Case("dot-method-int", lambda lib, a, b: a.dot(b), i64(5), i64(5)),
    Case("dot-error-size", lambda lib, a, b: lib.dot(a, b), f32(3), f32(4)),
    Case("dot-error-2d", lambda lib, a, b: lib.dot(a, b), f32(3, 1), f32(3)),
    Case("dot-error-dtype", lambda lib, a, b: lib.dot(a, b), f32(3), f64(3)),
    Case("dot-error-bool", lambda lib, a, b: lib.dot(a > 0, b > 0), f32(3), f32(3)),
    Case("vdot", lambda lib, a, b: (lib.vdot(a, b), a.vdot(b)), f64(4), f64(4)),
    Case("vdot-method-int", lambda lib, a, b: a.vdot(b), i64(4), i64(4)),
    Case("vdot-error", lambda lib, a, b: lib.vdot(a, b), f32(3), f32(4)),
    Case("inner", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f32(4, 3)),
    NoGrad("inner-1d-3d", lambda lib, a, b, c: (a.inner(a), lib.inner(b, c)), f32(3), f32(2, 2, 3), f32(4, 3)),
    Case("inner-int", lambda lib, a, b: lib.inner(a, b), i64(2, 3), i64(3)),
    NoGrad("inner-0d-promotes", lambda lib, a, b: lib.inner(a, b), np.asarray(1.5, np.float32), f64(4, 3)),
    Case("inner-error-shape", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f32(4, 2)),
    Case("inner-error-dtype", lambda lib, a, b: lib.inner(a, b), f32(2, 3), f64(4, 3)),
    Case("outer", lambda lib, a, b: (lib.outer(a, b), lib.ger(a, b), a.ger(b)), f32(2), f32(3)),
    NoGrad("outer-promotes", lambda lib, a, b, c: (a.outer(b), lib.outer(c, a)), f32(2), f64(3), i64(2)),
    Case("outer-bool", lambda lib, a, b: lib.outer(a > 0, b > 0), f32(2), f32(3)),
    Case("outer-error-2d", lambda lib, a, b: lib.outer(a, b), f32(2, 2), f32(3)),
]

# ---------------------------------------------------------------- einsum, tensordot, kron, cross, trace


def _einsum_forms(lib, a, b):
    return (
        lib.einsum("ij,jk->ik", a, b),
        lib.einsum("ij,jk->ik", [a, b]),
        lib.einsum("ij,jk", a, b),
        lib.einsum("i j , j k -> i k", a, b),
        lib.einsum(a, [0, 1], b, [1, 2], [0, 2]),
    )


def _einsum_more(lib, a, b, c, u, v, m):
    return (
        lib.einsum("...ij,...jk->...ik", a, b),
        lib.einsum("ij,ij->i", c, c[:1]),  # a size-1 dim broadcasts
        lib.einsum("i,j->ij", u, v),
        lib.einsum("ii", m),
        lib.einsum("ii->i", m),
        lib.einsum("ij->ji", m),
    )


def _tensordot_forms(lib, a, b, c, d, e):
    return (
        lib.tensordot(a, b.permute(1, 0, 2), dims=([1, 2], [1, 0])),
        lib.tensordot(a[0], c, dims=0),
        lib.tensordot(d, e, ((1,), (0,))),
    )


def _cross_forms(lib, a, b, c):
    return (
        lib.cross(a, b, dim=1),
        lib.cross(a, c, dim=-1),  # broadcasts
        lib.linalg.cross(a.mT, b.mT, dim=0),
        a.double().cross(b.double(), dim=1),
    )


CASES += [
    Case("einsum", lambda lib, a, b: lib.einsum("bij,jk->bik", a, b), f32(5, 2, 3), f32(3, 4)),
    NoGrad("einsum-forms", _einsum_forms, f32(2, 3), f32(3, 4)),
    NoGrad("einsum-more", _einsum_more, f32(5, 2, 3), f32(5, 3, 4), f32(2, 3), f32(2), f32(3), f32(3, 3)),
    NoGrad("einsum-three", lambda lib, a, b, c: lib.einsum("ij,jk,kl->il", a, b, c), f64(2, 3), f64(3, 4), f64(4, 2)),
    Case("einsum-int", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), i64(2, 3), i64(3, 4)),
    Case("einsum-error-size", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), f32(2, 3), f32(4, 4)),
    Case("einsum-error-fewer", lambda lib, a: lib.einsum("ij,jk->ik", a), f32(2, 3)),
    Case("einsum-error-more", lambda lib, a, b: lib.einsum("i->", a, b), f32(3), f32(3)),
    Case("einsum-error-ndim", lambda lib, a: lib.einsum("ij->", a), f32(3)),
    Case("einsum-error-dtype", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), f32(2, 3), f64(3, 4)),
    Case("einsum-error-not-tensor", lambda lib: lib.einsum("i->", [1, 2])),
    Case("einsum-error-char", lambda lib, a: lib.einsum("i1->", a), f32(3, 3)),
    Case("tensordot", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f32(3, 4, 5)),
    NoGrad("tensordot-dims", _tensordot_forms, f32(2, 3, 4), f32(3, 4, 5), f32(4), f64(2, 3), f64(3, 4)),
    # dims must be concrete (they fix the program), so not under tracing
    NoGrad(
        "tensordot-tensor-dims",
        lambda lib, a, b: lib.tensordot(a, b, dims=lib.tensor([[1, 2], [1, 0]])),
        f32(2, 3, 4),
        f32(4, 3, 5),
        traced=False,
    ),
    Case("tensordot-int", lambda lib, a, b: lib.tensordot(a, b), i64(2, 3, 4), i64(3, 4, 5)),
    Case("tensordot-error-size", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f32(3, 5, 5)),
    Case("tensordot-error-dtype", lambda lib, a, b: lib.tensordot(a, b, dims=2), f32(2, 3, 4), f64(3, 4, 5)),
    Case("tensordot-error-neg", lambda lib, a, b: lib.tensordot(a, b, dims=-1), f32(2, 3), f32(3, 4)),
    Case("tensordot-error-int-pair", lambda lib, a, b: lib.tensordot(a, b, dims=[1, 0]), f32(2, 3), f32(3, 4)),
    Case("kron", lambda lib, a, b: lib.kron(a, b), f32(2, 3), f32(2, 2)),
    NoGrad(
        "kron-shapes",
        lambda lib, a, b, c, d: (a.kron(b), lib.kron(c, b), lib.kron(d, b)),
        f32(2),
        f32(2, 2),
        f32(2, 2, 2),
        f32(0, 3),
    ),
    NoGrad("kron-promotes", lambda lib, a, b, c: (lib.kron(a, b), lib.kron(c, a)), f32(2, 3), f64(2, 2), i64(2, 3)),
    Case("kron-bool", lambda lib, a, b: lib.kron(a > 0, b > 0), f32(2), f32(3)),
    Case("cross", lambda lib, a, b: lib.linalg.cross(a, b), f32(4, 3), f32(4, 3)),
    NoGrad("cross-dims", _cross_forms, f32(4, 3), f32(4, 3), f32(1, 3)),
    Case("cross-int", lambda lib, a, b: lib.cross(a, b, dim=1), i64(2, 3), i64(2, 3)),
    NoGrad("cross-default-dim", lambda lib, a, b: _quiet(lib.cross, a, b), f32(2, 3, 4), f32(2, 3, 4)),
    Case("cross-error-no-3", lambda lib, a, b: _quiet(lib.cross, a, b), f32(4, 4), f32(4, 4)),
    Case("cross-error-len", lambda lib, a, b: lib.cross(a, b, dim=1), f32(4, 4), f32(4, 4)),
    Case("cross-error-ndim", lambda lib, a, b: lib.linalg.cross(a, b), f32(4, 3), f32(3)),
    Case("cross-error-broadcast", lambda lib, a, b: lib.cross(a, b, dim=1), f32(4, 3), f32(2, 3)),
    Case("cross-error-bool", lambda lib, a, b: lib.cross(a > 0, b > 0, dim=0), f32(3), f32(3)),
    Case("cross-error-dtype", lambda lib, a, b: lib.linalg.cross(a, b), f32(4, 3), f64(4, 3)),
    Case("trace", lambda lib, a: lib.trace(a), f32(3, 4)),
    NoGrad("trace-noncontig-f64", lambda lib, a: (lib.trace(a.float().t()), a.trace()), f64(4, 4)),
    # integers (int32 included) sum in int64
    Case("trace-int", lambda lib, a: (lib.trace(a), lib.trace(a.int())), i64(3, 3)),
    Case("trace-error-1d", lambda lib, a: lib.trace(a), f32(3)),
    Case("trace-error-bool", lambda lib, a: lib.trace(a > 0), f32(3, 3)),
]

# ---------------------------------------------------------------- addmm family

CASES += [
    Case("addmm", lambda lib, c, a, b: lib.addmm(c, a, b, beta=0.5, alpha=2), f32(5), f32(2, 3), f32(3, 5)),
    NoGrad(
        "addmm-forms",
        lambda lib, c, d, a, b: (lib.addmm(c, a, b), d.addmm(a, b, alpha=-1)),
        f64(2, 5),
        f64(1, 5),
        f64(2, 3),
        f64(3, 5),
    ),
    Case(
        "addmm-beta0-ignores-nan",
        lambda lib, c, a, b: lib.addmm(c * float("nan"), a, b, beta=0),
        f32(5),
        f32(2, 3),
        f32(3, 5),
    ),
    Case(
        "addmm-int",
        lambda lib, c, a, b: (lib.addmm(c, a, b, beta=2, alpha=3), lib.addmm(c, a, b, beta=1.7, alpha=2.6)),
        i64(5),
        i64(2, 3),
        i64(3, 5),
    ),
    Case("addmm_", lambda lib, c, a, b: c.clone().addmm_(a, b, beta=2), f32(2, 5), f32(2, 3), f32(3, 5)),
    Case("addmm-error-shape", lambda lib, c, a, b: lib.addmm(c, a, b), f32(5), f32(2, 3), f32(4, 5)),
    Case("addmm-error-input", lambda lib, c, a, b: lib.addmm(c, a, b), f32(3), f32(2, 3), f32(3, 5)),
    Case("addmm-error-dtype", lambda lib, c, a, b: lib.addmm(c, a, b), f64(5), f32(2, 3), f32(3, 5)),
    Case("addmm_-error-broadcast", lambda lib, c, a, b: c.clone().addmm_(a, b), f32(5), f32(2, 3), f32(3, 5)),
    Case("addmv", lambda lib, c, a, b: lib.addmv(c, a, b, beta=0.5, alpha=-2), f32(2), f32(2, 3), f32(3)),
    NoGrad("addmv-scalar-input-method", lambda lib, c, a, b: c.addmv(a, b), np.asarray(1.5), f64(2, 3), f64(3)),
    NoGrad("addmv_", lambda lib, c, a, b: c.clone().addmv_(a, b), f32(2), f32(2, 3), f32(3)),
    Case("addmv-error-shape", lambda lib, c, a, b: lib.addmv(c, a, b), f32(3), f32(2, 3), f32(3)),
    Case("addmv-error-dtype", lambda lib, c, a, b: lib.addmv(c, a, b), f64(2), f32(2, 3), f32(3)),
    Case("baddbmm", lambda lib, c, a, b: lib.baddbmm(c, a, b, beta=0.5, alpha=2), f32(5), f32(2, 2, 3), f32(2, 3, 5)),
    NoGrad(
        "baddbmm-forms",
        lambda lib, c, a, b: (c.baddbmm(a, b), c.clone().baddbmm_(a, b, alpha=0.5)),
        f64(2, 2, 5),
        f64(2, 2, 3),
        f64(2, 3, 5),
    ),
    Case("baddbmm-int", lambda lib, c, a, b: lib.baddbmm(c, a, b), i64(2, 2, 5), i64(2, 2, 3), i64(2, 3, 5)),
    Case("baddbmm-error-shape", lambda lib, c, a, b: lib.baddbmm(c, a, b), f32(2, 2, 5), f32(2, 2, 3), f32(2, 4, 5)),
    Case("baddbmm-error-dtype", lambda lib, c, a, b: lib.baddbmm(c, a, b), f64(2, 2, 5), f32(2, 2, 3), f32(2, 3, 5)),
    Case("addbmm", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(5), f32(4, 2, 3), f32(4, 3, 5)),
    NoGrad(
        "addbmm-forms",
        lambda lib, c, a, b: (c.addbmm(a, b, beta=2, alpha=0.5), c.clone().addbmm_(a, b)),
        f64(2, 5),
        f64(4, 2, 3),
        f64(4, 3, 5),
    ),
    Case("addbmm-error-batches", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(2, 5), f32(4, 2, 3), f32(3, 3, 5)),
    Case("addbmm-error-inner", lambda lib, c, a, b: lib.addbmm(c, a, b), f32(2, 5), f32(4, 2, 3), f32(4, 4, 5)),
    Case("addbmm-error-dtype", lambda lib, c, a, b: lib.addbmm(c, a, b), f64(2, 5), f32(4, 2, 3), f32(4, 3, 5)),
    Case("addr", lambda lib, c, a, b: lib.addr(c, a, b, beta=0.5, alpha=2), f32(3), f32(2), f32(3)),
    NoGrad(
        "addr-forms",
        lambda lib, c, a, b: (c.addr(a, b), c.clone().addr_(a, b, alpha=3)),
        f32(2, 3),
        f32(2),
        f32(3),
    ),
    # promotes (torch's forward; its backward then fails on the mixed dtypes)
    NoGrad(
        "addr-promotes",
        lambda lib, c, a, b, u, v: (lib.addr(c, a, b), lib.addr(c, u, v)),
        f32(2, 3),
        f64(2),
        f32(3),
        i64(2),
        i64(3),
    ),
    Case("addr-bool", lambda lib, c, a, b: lib.addr(c > 0, a > 0, b > 0), f32(2, 3), f32(2), f32(3)),
    Case("addr-error-int-alpha", lambda lib, c, a, b: lib.addr(c, a, b, alpha=1.5), i64(2, 3), i64(2), i64(3)),
    Case("addr-error-shape", lambda lib, c, a, b: lib.addr(c, a, b), f32(3, 3), f32(2), f32(3)),
]

# ---------------------------------------------------------------- powers, chains, distances


def _matrix_powers(lib, a, w):
    return lib.matrix_power(a, 0), a.matrix_power(1), lib.linalg.matrix_power(a, 5), lib.matrix_power(w, -2)


CASES += [
    Case("matrix_power", lambda lib, a: lib.matrix_power(a, 3), f64(3, 3)),
    NoGrad("matrix_power-n", _matrix_powers, f64(2, 3, 3) / 2, wc(3, 3)),
    Case("matrix_power-int", lambda lib, a: (lib.matrix_power(a, 2), lib.matrix_power(a, 0)), i64(3, 3)),
    Case("matrix_power-error-int-neg", lambda lib, a: lib.matrix_power(a, -1), i64(3, 3)),
    Case("matrix_power-error-nonsquare", lambda lib, a: lib.matrix_power(a, 2), f32(3, 4)),
    Case("matrix_power-error-1d", lambda lib, a: lib.matrix_power(a, 2), f32(3)),
    Case("multi_dot", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), f64(2, 3), f64(3, 4), f64(4, 5)),
    # vectors at the ends; torch.chain_matmul (deprecated), also of one matrix
    NoGrad(
        "multi_dot-vectors-chain",
        lambda lib, u, a, b, v: (
            lib.linalg.multi_dot([u, a, b, v]),
            lib.linalg.multi_dot((a, b[:, 0])),
            _quiet(lib.chain_matmul, a, b),
            _quiet(lib.chain_matmul, a),
        ),
        f64(2),
        f64(2, 3),
        f64(3, 4),
        f64(4),
    ),
    Case("multi_dot-error-one", lambda lib, a: lib.linalg.multi_dot([a]), f32(3, 4)),
    Case("multi_dot-error-dtype", lambda lib, a, b: lib.linalg.multi_dot([a, b]), f32(2, 3), f64(3, 4)),
    Case("multi_dot-error-shape", lambda lib, a, b: lib.linalg.multi_dot([a, b]), f32(2, 3), f32(4, 4)),
    Case("multi_dot-error-vector", lambda lib, a, b: lib.linalg.multi_dot([a, b]), f32(3), f32(4, 4)),
    Case("multi_dot-error-3d", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]), f32(2, 3), f32(2, 3, 4), f32(4)),
    # the gradient at zero distance too
    Case("cdist", lambda lib, a, b: (lib.cdist(a, b), lib.cdist(b, b)), f32(5, 3), f32(4, 3)),
    NoGrad(
        "cdist-p", lambda lib, a, b: tuple(lib.cdist(a, b, p=p) for p in (0, 1, 3, 0.5, math.inf)), f64(5, 3), f64(4, 3)
    ),
    NoGrad(
        "cdist-batched", lambda lib, a, b, c: (lib.cdist(a, b), lib.cdist(a, c)), f64(2, 5, 3), f64(2, 4, 3), f64(4, 3)
    ),
    Case("cdist-error-int", lambda lib, a, b: lib.cdist(a, b), i64(5, 3), i64(4, 3)),
    Case("cdist-error-cols", lambda lib, a, b: lib.cdist(a, b), f32(5, 3), f32(4, 2)),
    Case("cdist-error-1d", lambda lib, a, b: lib.cdist(a, b), f32(3), f32(3)),
    Case("cdist-error-neg-p", lambda lib, a, b: lib.cdist(a, b, p=-1), f32(5, 3), f32(4, 3)),
    Case("cdist-error-half", lambda lib, a, b: lib.cdist(a.half(), b.half()), f32(5, 3), f32(4, 3)),
    Case("cdist-error-dtype", lambda lib, a, b: lib.cdist(a, b), f32(5, 3), f64(4, 3)),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_products(case, compat):
    compat(case)


# ---------------------------------------------------------------- determinants, inverses, solves


def _inv(lib, a):
    return a.inverse(), lib.linalg.inv(a.mT), tuple(lib.linalg.inv_ex(a))


def _slogdet_forms(lib, a):
    return lib.slogdet(a), a.slogdet(), tuple(lib.linalg.slogdet(a)), lib.linalg.slogdet(a).sign


def _solve_batched(lib, a, b, c, d, e):
    return (
        lib.linalg.solve(a, b),  # a batch of vectors
        lib.linalg.solve(a, c),  # one vector, broadcast
        lib.linalg.solve(a, d),  # B broadcast against a batch of A
        lib.linalg.solve(a[0], e),  # A broadcast against a batch of B
        lib.linalg.solve(a[0], b, left=False),
    )


DECOMP = [
    # batched, and transposed (non-contiguous)
    Case("det", lambda lib, a: (lib.det(a), lib.linalg.det(a.mT)), wc(2, 3, 3)),
    NoGrad("det-method-f32", lambda lib, a: a.det(), wc(3, 3).astype(np.float32), rtol=1e-4, atol=1e-4),
    Case("det-zero-size", lambda lib, a, b: (lib.det(a), lib.det(b)), f64(0, 0), f64(0, 3, 3)),
    Case("det-error-nonsquare", lambda lib, a: lib.det(a), f32(3, 4)),
    Case("det-error-int", lambda lib, a: lib.det(a), i64(3, 3)),
    Case("det-error-half", lambda lib, a: lib.det(a.half()), f32(3, 3)),
    Case("slogdet", _slogdet_forms, f64(2, 3, 3)),
    Case("slogdet-error-int", lambda lib, a: lib.slogdet(a), i64(3, 3)),
    Case("logdet", lambda lib, a: a.logdet(), spd(2, 3, 3)),
    NoGrad("logdet-negative-is-nan", lambda lib, a: (lib.logdet(-a), lib.logdet(a)), spd(3, 3)),
    # batched, transposed (non-contiguous), with info
    Case("inv", _inv, wc(2, 3, 3)),
    NoGrad("inv-unbatched-0x0", lambda lib, a, z: (lib.inverse(a), lib.linalg.inv(z)), wc(3, 3), f64(0, 0)),
    NoGrad("inv-f32", lambda lib, a: lib.linalg.inv(a), wc(3, 3).astype(np.float32), rtol=1e-4, atol=1e-5),
    NoGrad("inv_ex-singular-info", lambda lib, a: lib.linalg.inv_ex(a * 0).info, wc(2, 3, 3)),
    Case("inv-error-singular", lambda lib, a: lib.linalg.inv(a * 0), f64(3, 3)),
    Case("inv-error-singular-batched", lambda lib, a: lib.linalg.inv(lib.stack([a, a * 0])), f64(3, 3)),
    Case("inverse-error-singular-rank1", lambda lib: lib.inverse(lib.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    Case("inv-error-nonsquare", lambda lib, a: lib.linalg.inv(a), f32(3, 4)),
    Case("inv-error-1d", lambda lib, a: lib.linalg.inv(a), f32(3)),
    Case("inv-error-int", lambda lib, a: lib.inverse(a), i64(3, 3)),
    Case("inv-error-half", lambda lib, a: lib.linalg.inv(a.half()), f32(3, 3)),
    Case(
        "solve",
        lambda lib, a, b, v: (tuple(lib.linalg.solve_ex(a, b)), lib.linalg.solve(a, v)),
        wc(3, 3),
        f64(3, 2),
        f64(3),
    ),
    NoGrad("solve-batched", _solve_batched, wc(2, 3, 3), f64(2, 3), f64(3), f64(3, 4), f64(2, 3, 4)),
    NoGrad(
        "solve-f32",
        lambda lib, a, b: lib.linalg.solve(a, b),
        wc(3, 3).astype(np.float32),
        f32(3, 2),
        rtol=1e-4,
        atol=1e-5,
    ),
    Case("solve-error-singular", lambda lib, a, b: lib.linalg.solve(a * 0, b), f64(3, 3), f64(3, 2)),
    Case("solve-error-singular-batched", lambda lib, a, b: lib.linalg.solve(a * 0, b), f64(2, 3, 3), f64(2, 3, 1)),
    Case("solve-error-shape", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3), f64(4, 2)),
    Case("solve-error-dtype", lambda lib, a, b: lib.linalg.solve(a, b), wc(3, 3).astype(np.float32), f64(3, 2)),
    Case("solve-error-int", lambda lib, a, b: lib.linalg.solve(a, b), i64(3, 3), i64(3)),
    Case("solve-error-nonsquare", lambda lib, a, b: lib.linalg.solve(a, b), f64(3, 4), f64(3)),
    Case("solve-error-right-vector", lambda lib, a, b: lib.linalg.solve(a, b, left=False), wc(3, 3), f64(3)),
]

# ---------------------------------------------------------------- Cholesky and eigh


def _cholesky_forms(lib, a):
    # lower and upper, each reading only its triangle (the gradient is the symmetrized one); torch.cholesky
    return (
        lib.linalg.cholesky(a + lib.triu(a, 1) * 0.3),
        lib.linalg.cholesky(a + lib.tril(a, -1) * 0.3, upper=True),
        _quiet(lib.cholesky, a),
        _quiet(a.cholesky, upper=True),
    )


def _eigh_invariants(lib, w, v):
    return w, v @ lib.diag_embed(w) @ v.mT, v.abs()


def _eigh_forms(lib, a):
    # lower and upper, each reading only its triangle
    return (
        _eigh_invariants(lib, *lib.linalg.eigh(a + lib.triu(a, 1))),
        _eigh_invariants(lib, *lib.linalg.eigh(a + lib.tril(a, -1), UPLO="U")),
        lib.linalg.eigh(a).eigenvalues,
    )


def _eigh_batched(lib, a):
    return _eigh_invariants(lib, *lib.linalg.eigh(a)), lib.linalg.eigvalsh(a, UPLO="U"), lib.linalg.eigvalsh(a[0])


DECOMP += [
    Case("cholesky", _cholesky_forms, spd(4, 4)),
    NoGrad("cholesky-batched", lambda lib, a: (lib.linalg.cholesky(a), tuple(lib.linalg.cholesky_ex(a))), spd(2, 3, 3)),
    NoGrad("cholesky-f32", lambda lib, a: lib.linalg.cholesky(a), spd(3, 3).astype(np.float32), rtol=1e-4, atol=1e-5),
    Case(
        "cholesky_ex-info-order",
        lambda lib: lib.linalg.cholesky_ex(lib.tensor([[[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])).info,
        traced=False,
    ),
    Case("cholesky-error-not-pd", lambda lib, a: lib.linalg.cholesky(-a), spd(3, 3)),
    Case("cholesky-error-not-pd-order2", lambda lib: lib.linalg.cholesky(lib.tensor([[1.0, 2.0], [2.0, 1.0]]))),
    Case("cholesky-error-batched", lambda lib, a: lib.linalg.cholesky(-a), spd(2, 3, 3)),
    Case("cholesky-old-error-not-pd", lambda lib, a: _quiet(lib.cholesky, -a), spd(3, 3)),
    Case("cholesky-old-error-int", lambda lib, a: _quiet(lib.cholesky, a), i64(3, 3)),
    Case("cholesky-error-nonsquare", lambda lib, a: lib.linalg.cholesky(a), f32(3, 4)),
    Case("cholesky-error-int", lambda lib, a: lib.linalg.cholesky(a), i64(3, 3)),
    Case("eigh", _eigh_forms, sym(4, 4)),
    NoGrad("eigh-batched", _eigh_batched, sym(2, 3, 3)),
    NoGrad(
        "eigh-f32",
        lambda lib, a: _eigh_invariants(lib, *lib.linalg.eigh(a)),
        sym(3, 3).astype(np.float32),
        rtol=1e-4,
        atol=1e-4,
    ),
    Case("eigh-error-uplo", lambda lib, a: lib.linalg.eigh(a, UPLO="X"), sym(3, 3)),
    Case("eigh-error-nonsquare", lambda lib, a: lib.linalg.eigh(a), f64(3, 4)),
    Case("eigh-error-int", lambda lib, a: lib.linalg.eigh(a), i64(3, 3)),
]

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


def _svd_forms(lib, a, b, c):
    return (
        _svd_reduced(lib, *lib.linalg.svd(a.mT, False)),  # wide, non-contiguous
        _svd_reduced(lib, *lib.linalg.svd(b)),  # square: full_matrices changes nothing
        lib.linalg.svd(b).S,
        _svd_reduced(lib, *lib.linalg.svd(c, full_matrices=False)),  # batched
        _svd_old(lib, *lib.svd(a)),  # torch.svd gives V
    )


def _svd_old(lib, u, s, v):
    return u @ lib.diag_embed(s) @ v.mT, s, u.abs(), v.abs()


def _svd_orthogonal_shapes(lib, a):
    u, _, vh = lib.linalg.svd(a.mT)
    return u.mT @ u, vh @ vh.mT, _shapes(lib.linalg.svd(a)), _shapes(a.svd(some=False))


def _qr_invariants(q, r):
    return q @ r, q.abs(), r.abs()


def _qr_forms(lib, a, b):
    return (
        _qr_invariants(*lib.linalg.qr(a.mT)),  # wide, non-contiguous
        _qr_invariants(*_quiet(lib.qr, a)),
        lib.linalg.qr(a).R.abs(),
        _qr_invariants(*lib.linalg.qr(b)),  # batched
    )


def _qr_not_differentiable(lib, a):
    # the modes torch refuses to differentiate: complete for a tall matrix, and r
    return (
        _qr_invariants(*lib.linalg.qr(a, mode="complete")),
        _shapes(lib.linalg.qr(a, mode="complete")),
        [t.abs() for t in lib.linalg.qr(a, mode="r")],
        _shapes(_quiet(a.qr, some=False)),
    )


def _shapes(ts):
    return [t.shape for t in ts]


DECOMP += [
    Case("svd", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, full_matrices=False)), f64(5, 3)),
    # full_matrices: tall and wide (torchlike's own gradient)
    Case(
        "svd-full",
        lambda lib, a: (_svd_full(lib, *lib.linalg.svd(a)), _svd_full(lib, *lib.linalg.svd(a.mT))),
        f64(5, 3),
    ),
    NoGrad("svd-forms", _svd_forms, f64(5, 3), f64(4, 4), f64(2, 4, 3)),
    NoGrad("svd-f32", lambda lib, a: _svd_reduced(lib, *lib.linalg.svd(a, False)), f32(4, 3), rtol=1e-4, atol=1e-4),
    NoGrad("svd-full-orthogonal-shapes", _svd_orthogonal_shapes, f64(5, 3)),
    Case("svdvals", lambda lib, a: lib.linalg.svdvals(a), f64(4, 3)),
    NoGrad(
        "svdvals-batched-empty",
        lambda lib, a, e: (lib.linalg.svdvals(a), lib.linalg.svdvals(e)),
        f64(2, 3, 5),
        f64(0, 3),
    ),
    Case("svd-error-int", lambda lib, a: lib.linalg.svd(a), i64(3, 3)),
    Case("svd-error-1d", lambda lib, a: lib.linalg.svd(a), f64(3)),
    # reduced, and complete for a wide matrix
    Case(
        "qr",
        lambda lib, a: (_qr_invariants(*lib.linalg.qr(a)), _qr_invariants(*lib.linalg.qr(a.mT, "complete"))),
        f64(5, 3),
    ),
    NoGrad("qr-forms", _qr_forms, f64(5, 3), f64(2, 4, 3)),
    NoGrad("qr-complete-tall-and-r", _qr_not_differentiable, f64(5, 3)),
    NoGrad("qr-f32", lambda lib, a: _qr_invariants(*lib.linalg.qr(a)), f32(4, 3), rtol=1e-4, atol=1e-5),
    Case("qr-error-complete-tall-backward", lambda lib, a: lib.linalg.qr(a, mode="complete").R, f64(5, 3)),
    Case("qr-error-r-backward", lambda lib, a: lib.linalg.qr(a, mode="r").R, f64(5, 3)),
    Case("qr-error-mode", lambda lib, a: lib.linalg.qr(a, mode="x"), f64(3, 3)),
    Case("qr-error-int", lambda lib, a: lib.linalg.qr(a), i64(3, 3)),
]

# ---------------------------------------------------------------- pinv, rank, least squares


def _pinv_forms(lib, a):
    return (
        lib.linalg.pinv(a, atol=1.0),
        lib.linalg.pinv(a, rtol=0.3),
        lib.linalg.pinv(a, 0.3),  # rcond, the older name of rtol
        lib.pinverse(a),
        a.pinverse(rcond=0.2),
    )


def _matrix_ranks(lib, a, b, c, s):
    return (
        lib.linalg.matrix_rank(a),
        lib.linalg.matrix_rank(b @ c),  # rank-deficient
        lib.linalg.matrix_rank(b @ c, tol=1.0),
        lib.linalg.matrix_rank(a, atol=0.5, rtol=0.2),
        lib.linalg.matrix_rank(s, hermitian=True),
    )


def _lstsq_forms(lib, a, b, w, v, c, d):
    # each driver gives its own outputs; wide; a vector B; batched
    return (
        tuple(lib.linalg.lstsq(a, b)),
        tuple(lib.linalg.lstsq(a, b, driver="gels")),
        tuple(lib.linalg.lstsq(w, b[:3])),
        tuple(lib.linalg.lstsq(a, v, driver="gelsd")),
        lib.linalg.lstsq(c, d).solution,
    )


DECOMP += [
    # wide and tall (two forms of the gradient)
    Case("pinv", lambda lib, a: (lib.linalg.pinv(a), lib.linalg.pinv(a.mT)), f64(3, 5)),
    Case("pinv-rank-deficient", lambda lib, a, b: lib.linalg.pinv(a @ b), f64(4, 2), f64(2, 5)),
    Case("pinv-hermitian", lambda lib, a: lib.linalg.pinv(a, hermitian=True), sym(4, 4)),
    NoGrad("pinv-forms", _pinv_forms, f64(4, 4)),
    NoGrad("pinv-batched-f32", lambda lib, a: lib.linalg.pinv(a), f32(2, 4, 3), rtol=1e-4, atol=1e-4),
    Case("pinv-error-int", lambda lib, a: lib.linalg.pinv(a), i64(3, 4)),
    NoGrad("matrix_rank", _matrix_ranks, f64(2, 3, 4), f64(4, 2), f64(2, 5), sym(4, 4)),
    Case("matrix_rank-error-int", lambda lib, a: lib.linalg.matrix_rank(a), i64(3, 3)),
    Case("lstsq", lambda lib, a, b: tuple(lib.linalg.lstsq(a, b, driver="gelsd")), f64(5, 3), f64(5, 2)),
    NoGrad("lstsq-forms", _lstsq_forms, f64(5, 3), f64(5, 2), f64(3, 5), f64(5), f64(2, 5, 3), f64(2, 5, 2)),
    NoGrad(
        "lstsq-gelsd-rank-deficient",
        lambda lib, a, b: tuple(lib.linalg.lstsq(a.expand(5, 3), b, driver="gelsd")),
        f64(5, 1),
        f64(5, 2),
        traced=False,
    ),
    Case("lstsq-error-dtype", lambda lib, a, b: lib.linalg.lstsq(a, b), f64(5, 3), f32(5, 2)),
    Case("lstsq-error-shape", lambda lib, a, b: lib.linalg.lstsq(a, b), f64(5, 3), f64(4, 2)),
]

# ---------------------------------------------------------------- other linalg functions

DECOMP += [
    Case("vecdot", lambda lib, a, b: lib.linalg.vecdot(a, b), f32(4, 3), f32(4, 3)),
    NoGrad(
        "vecdot-broadcast-dim",
        lambda lib, a, b: (lib.linalg.vecdot(a, b[0]), lib.linalg.vecdot(a, b, dim=0)),
        f64(2, 4, 3),
        f64(2, 4, 3),
    ),
    Case("vecdot-error-int", lambda lib, a, b: lib.linalg.vecdot(a, b), i64(3), i64(3)),
    Case("vecdot-error-dtype", lambda lib, a, b: lib.linalg.vecdot(a, b), f32(3), f64(3)),
    NoGrad(
        "linalg-diagonal",
        lambda lib, a: (lib.linalg.diagonal(a), lib.linalg.diagonal(a, offset=1, dim1=0, dim2=2)),
        f32(2, 3, 4),
    ),
    # torch.matrix_exp, torch.linalg.matrix_exp and the method; expm's program is slow to compile, and matrix_exp has no
    # Python branch that tracing could break, so not traced
    Case(
        "matrix_exp",
        lambda lib, a: (lib.matrix_exp(a), lib.linalg.matrix_exp(a), a.matrix_exp()),
        f64(2, 3, 3) / 2,
        traced=False,
    ),
    Case("eigh-error-half", lambda lib, a: lib.linalg.eigh(a.half()), sym(3, 3)),
    Case("eigvalsh-error-bool", lambda lib, a: lib.linalg.eigvalsh(a > 0), sym(3, 3)),
    Case("svd-error-half", lambda lib, a: lib.linalg.svd(a.half()), f32(3, 3)),
    Case("svdvals-error-bf16", lambda lib, a: lib.linalg.svdvals(a.bfloat16()), f32(3, 3)),
    Case("qr-error-half", lambda lib, a: lib.linalg.qr(a.half()), f32(3, 3)),
    Case("cholesky-error-half", lambda lib, a: lib.linalg.cholesky(a.half()), spd(3, 3)),
    Case("solve-error-half", lambda lib, a, b: lib.linalg.solve(a.half(), b.half()), wc(3, 3), f64(3)),
    Case("slogdet-error-half", lambda lib, a: lib.linalg.slogdet(a.half()), wc(3, 3)),
    Case("logdet-error-int", lambda lib, a: lib.logdet(a), i64(3, 3)),
    Case("pinv-error-half", lambda lib, a: lib.linalg.pinv(a.half()), f32(3, 4)),
    Case("matrix_rank-error-half", lambda lib, a: lib.linalg.matrix_rank(a.half()), f32(3, 4)),
    Case("lstsq-error-int", lambda lib, a, b: lib.linalg.lstsq(a, b), i64(3, 3), i64(3)),
    Case("matrix_exp-error-int", lambda lib, a: lib.linalg.matrix_exp(a), i64(3, 3)),
    # complex gradients follow torch's conjugate convention
    Case("complex-matmul", lambda lib, a, b: (a + 1j * b) @ (b - 1j * a).mT, f64(2, 3), f64(2, 3)),
    Case("complex-vdot", lambda lib, a, b: lib.vdot(a + 1j * b, b + 1j * a), f64(3), f64(3)),
    Case("complex-det", lambda lib, a, b: lib.linalg.det(a + 1j * b), wc(3, 3), f64(3, 3)),
    Case("complex-inv", lambda lib, a, b: lib.linalg.inv(a + 1j * b), wc(3, 3), f64(3, 3)),
    Case("complex-svdvals", lambda lib, a, b: lib.linalg.svdvals(a + 1j * b), f64(3, 4), f64(3, 4)),
    Case("complex-eigvalsh", lambda lib, a, b: lib.linalg.eigvalsh(a + 1j * b), sym(3, 3), f64(3, 3)),
    Case(
        "complex-norm",
        lambda lib, a, b: (lib.linalg.norm(a + 1j * b), lib.linalg.vector_norm(a - 1j * b, 1, 0)),
        f64(3, 4),
        f64(3, 4),
    ),
    Case("complex-vecdot", lambda lib, a, b: lib.linalg.vecdot(a + 1j * b, b + 1j * a), f64(2, 3), f64(2, 3)),
    Case("linalg-error-is-runtime", lambda lib: isinstance(lib.linalg.LinAlgError("x"), RuntimeError)),
]


@pytest.mark.parametrize("case", DECOMP, ids=repr)
def test_decompositions(case, compat):
    compat(case)


# ---------------------------------------------------------------- norms

VECTOR_ORDS = [2, 1, 3, 0.5, -1, math.inf, -math.inf]  # and 0, whose gradient torch leaves None
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


def _with_zeros(*shape):
    """Rows that are all zeros, partly zeros and without zeros: where each norm's gradient needs care."""
    x = f64(*shape)
    x[0] = 0
    x[1, ::2] = 0
    return x


def _vector_norms(lib, x, y):
    return (
        (lib.linalg.vector_norm(x), lib.linalg.vector_norm(x, math.inf)),
        (lib.linalg.vector_norm(y, 1, dim=1), lib.linalg.vector_norm(y, -math.inf, dim=1)),
        (lib.linalg.vector_norm(y, 0.5, (0, 2), True), lib.linalg.vector_norm(y, -1, (0, 2), True)),
        lib.linalg.vector_norm(y.mT[:, ::2], dim=0),  # non-contiguous
        lib.linalg.vector_norm(y, dim=(), keepdim=True),  # () is all dims
        # torch's 0-"norm" gives no gradient (None), torchlike's zeros
        (lib.linalg.vector_norm(x, 0), lib.linalg.vector_norm(y, 0, dim=1)),
    )


def _norms(lib, v, m, t):
    return (
        lib.linalg.norm(v),
        lib.linalg.norm(v, 1),
        lib.linalg.norm(m),
        lib.linalg.norm(t),
        lib.linalg.norm(m, dim=1),
        lib.linalg.norm(m, 3, dim=0, keepdim=True),
        lib.linalg.norm(t, 2, dim=(1, 2)),
        lib.linalg.norm(t, dim=(0, 2)),
    )


NORMS = [
    Case("vector_norm", lambda lib, x: [lib.linalg.vector_norm(x, o, dim=-1) for o in VECTOR_ORDS], _with_zeros(3, 4)),
    NoGrad("vector_norm-forms", _vector_norms, _with_zeros(3, 4), f32(2, 3, 4)),
    Case("vector_norm-dtype", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.float64), f32(3, 4)),
    NoGrad("vector_norm-f16", lambda lib, x: lib.linalg.vector_norm(x.half()), f32(6), rtol=1e-2, atol=1e-2),
    NoGrad(
        "vector_norm-empty",
        lambda lib, x: (lib.linalg.vector_norm(x), lib.linalg.vector_norm(x, math.inf, dim=1)),
        f32(0, 3),
    ),
    Case("vector_norm-error-int", lambda lib, x: lib.linalg.vector_norm(x), i64(3)),
    Case("vector_norm-error-int-dtype", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.int64), f32(3)),
    Case("vector_norm-error-narrowing", lambda lib, x: lib.linalg.vector_norm(x, dtype=lib.float16), f32(3)),
    Case("vector_norm-error-empty-inf", lambda lib, x: lib.linalg.vector_norm(x, math.inf, dim=0), f32(0, 3)),
    Case("vector_norm-error-empty-neg", lambda lib, x: lib.linalg.vector_norm(x, -1), f32(0, 3)),
    Case("vector_norm-error-str-ord", lambda lib, x: lib.linalg.vector_norm(x, "fro"), f32(3)),
    # each ord, through matrix_norm and linalg.norm (the same program)
    Case(
        "matrix_norm",
        lambda lib, x: [(lib.linalg.matrix_norm(x, ord=o), lib.linalg.norm(x, o)) for o in MATRIX_ORDS],
        f64(3, 4),
    ),
    NoGrad(
        "matrix_norm-batched-dims",
        lambda lib, x, y: (
            [lib.linalg.matrix_norm(x, o) for o in MATRIX_ORDS[::2]],
            [lib.linalg.matrix_norm(y, o, dim=(2, 0), keepdim=True) for o in MATRIX_ORDS[1::2]],
        ),
        f64(2, 4, 3),
        f64(3, 2, 4),
    ),
    NoGrad(
        "matrix_norm-f32",
        lambda lib, x: [lib.linalg.matrix_norm(x, o, dim=(0, 1)) for o in MATRIX_ORDS],
        f32(4, 3, 2),
        rtol=1e-4,
        atol=1e-5,
    ),
    NoGrad(
        "matrix_norm-half",
        lambda lib, x: (lib.linalg.matrix_norm(x.half()), lib.linalg.matrix_norm(x.half(), math.inf)),
        f32(3, 4),
        rtol=1e-2,
        atol=1e-2,
    ),
    Case("matrix_norm-error-half-2", lambda lib, x: lib.linalg.matrix_norm(x.half(), 2), f32(3, 4)),
    Case("matrix_norm-error-ord", lambda lib, x: lib.linalg.matrix_norm(x, ord=3), f32(3, 4)),
    Case("matrix_norm-error-str-ord", lambda lib, x: lib.linalg.matrix_norm(x, ord="max"), f32(3, 4)),
    Case("matrix_norm-error-1d", lambda lib, x: lib.linalg.matrix_norm(x), f32(4)),
    Case("matrix_norm-error-int", lambda lib, x: lib.linalg.matrix_norm(x), i64(3, 4)),
    Case("matrix_norm-error-same-dims", lambda lib, x: lib.linalg.matrix_norm(x, dim=(1, -1)), f32(3, 4)),
    Case("matrix_norm-error-three-dims", lambda lib, x: lib.linalg.matrix_norm(x, dim=(0, 1, 2)), f32(2, 3, 4)),
    # which of vector_norm and matrix_norm linalg.norm picks, by dim and ord
    NoGrad("norm", _norms, f32(5), f64(3, 4), f64(2, 3, 4)),
    NoGrad("norm-dtype", lambda lib, x: lib.linalg.norm(x, dtype=lib.float64), f32(3, 4)),
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


def test_value_checks_skipped_under_tracing():
    """Singular / not-positive-definite inputs raise eagerly; traced, they give JAX's inf/nan instead."""
    import jax
    import jax.numpy as jnp

    import torchlike

    def f(a):
        t = torchlike.Tensor._make(a)
        return torchlike.linalg.inv(t)._value, torchlike.linalg.cholesky(-t - 1)._value

    inv, chol = jax.jit(f)(jnp.zeros((3, 3)))
    assert not np.isfinite(np.asarray(inv)).all()
    assert np.isnan(np.asarray(chol)).any()
