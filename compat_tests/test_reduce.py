"""Reductions, scans, sorting and unique against torch: values, dtypes, gradients, errors, traced."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case

# torch and torchlike both warn on rows with no degrees of freedom; those rows are meant
pytestmark = pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0")

R = np.random.RandomState(1)
NAN, INF = np.nan, np.inf


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape, lo=-5, hi=6):
    return R.randint(lo, hi, shape).astype(np.int64)


def ties(*shape, k=3):
    """Small integers as float32: many equal values along every dim."""
    return R.randint(0, k, shape).astype(np.float32)


def boolean(*shape):
    return R.uniform(size=shape) < 0.5


def a32(*values):
    return np.array(values, np.float32)


# ---------------------------------------------------------------- reductions over several dims

DIM_ARGS = {
    "all": {},
    "d0": {"dim": 0},
    "d-1-keep": {"dim": -1, "keepdim": True},
    "tuple": {"dim": (0, 2)},
    "tuple-neg-keep": {"dim": (-1, 1), "keepdim": True},
    "list": {"dim": [1]},
    "none-keep": {"dim": None, "keepdim": True},
    "empty-list": {"dim": []},
    "oob-error": {"dim": 3},
    "dup-error": {"dim": (0, -3)},
}

MULTI = [
    "sum",
    "nansum",
    "mean",
    "nanmean",
    "amax",
    "amin",
    "std",
    "var",
    "logsumexp",
    "norm",
    "all",
    "any",
    "count_nonzero",
]
FLOAT_ONLY = {"mean", "nanmean", "std", "var", "norm"}
# rows where torch raises: (op, variant)
MULTI_ERRORS = {
    ("logsumexp", "all"),
    ("logsumexp", "none-keep"),
    ("logsumexp", "empty-list"),
    ("amax", "empty-dim0"),
    ("amin", "empty-dim0"),
    ("amax", "empty-all"),
    ("amin", "empty-all"),
}
MULTI_ERRORS |= {(n, v) for n in FLOAT_ONLY for v in ("int", "int32", "bool")}


def _row(name, variant):
    suffix = "-error" if (name, variant) in MULTI_ERRORS and "error" not in variant else ""
    return f"{name}-{variant}{suffix}"


def _call(name, method):
    if method:
        return lambda lib, x, kw: getattr(x, name)(**kw)
    return lambda lib, x, kw: getattr(lib, name)(x, **kw)


CASES = []
for name in MULTI:
    for i, (dn, kw) in enumerate(DIM_ARGS.items()):
        if name == "count_nonzero" and "keepdim" in kw:
            continue  # torch's count_nonzero has no keepdim
        if name in ("std", "var") and dn == "empty-list":
            continue  # torch's backward reads dim=[] as no dims (inf gradients) while its forward reduces all
        call = _call(name, method=i % 2 == 0)
        CASES.append(Case(_row(name, dn), lambda lib, x, c=call, kw=kw: c(lib, x, kw), f32(2, 3, 4)))
    call = _call(name, method=True)
    keep = {"dim": -1} if name == "count_nonzero" else {"dim": -1, "keepdim": True}
    VARIANTS = {
        "noncontig": (lambda lib, x, c=call: c(lib, x.transpose(0, 2), {"dim": (0, 1)}), f32(4, 3, 2)),
        "f64": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), f64(3, 5)),
        "int": (lambda lib, x, c=call: c(lib, x, {"dim": 0}), i64(3, 4)),
        "int32": (lambda lib, x, c=call: c(lib, x, {"dim": -1}), i64(3, 4).astype(np.int32)),
        "bool": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), boolean(3, 4)),
        "0d": (lambda lib, x, c=call: c(lib, x, {"dim": 0}), np.asarray(np.float32(1.5))),
        "0d-neg-keep": (lambda lib, x, c=call, kw=keep: c(lib, x, kw), np.asarray(np.float32(-0.5))),
        "0d-dim1-error": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), np.asarray(np.float32(2.0))),
        "empty-dim1": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), np.zeros((0, 3), np.float32)),
        "empty-dim0": (lambda lib, x, c=call: c(lib, x, {"dim": 0}), np.zeros((0, 3), np.float32)),
        "empty-all": (lambda lib, x, c=call: c(lib, x, {"dim": (0, 1)}), np.zeros((0, 3), np.float32)),
        "f16": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), f32(3, 4).astype(np.float16)),
        "nan": (lambda lib, x, c=call: c(lib, x, {"dim": 1}), a32(1, NAN, 3, 2, 5, 0).reshape(2, 3)),
    }
    CASES += [Case(_row(name, v), fn, x) for v, (fn, x) in VARIANTS.items()]

CASES += [
    Case("sum-dtype", lambda lib, x: x.sum(dtype=lib.float64), i64(3, 4)),
    Case("sum-dtype-f32-of-int", lambda lib, x: lib.sum(x, 1, dtype=lib.float32), i64(3, 4)),
    Case("sum-u8", lambda lib, x: x.sum(), np.array([200, 100], np.uint8)),
    Case("sum-positional-keepdim", lambda lib, x: x.sum(0, True), f32(3, 4)),
    Case("sum-out", lambda lib, x: lib.sum(x, 0, out=lib.zeros(4)), f32(3, 4), grad=False),
    Case("mean-int-dtype", lambda lib, x: x.mean(dtype=lib.float64), i64(3, 4)),
    Case("mean-dtype-int-error", lambda lib, x: x.mean(dtype=lib.int64), f32(3)),
    Case("nansum-int-all", lambda lib, x: lib.nansum(x), i64(3, 4)),
    # torch's gradient for an all-NaN row is NaN (0 * inf); here it is 0
    Case("nanmean-all-nan-row", lambda lib, x: x.nanmean(1), a32(1, NAN, NAN, NAN).reshape(2, 2), grad=False),
    Case("amax-ties", lambda lib, x: x.amax(1), ties(4, 6)),
    Case("amin-ties-tuple", lambda lib, x: lib.amin(x, (0, 2)), ties(3, 2, 4)),
    Case("amax-keepdim-all", lambda lib, x: x.amax(keepdim=True), ties(3, 4)),
    Case("all-u8", lambda lib, x: (x.all(), x.any(1, keepdim=True)), np.array([[1, 2], [0, 3]], np.uint8)),
    Case("all-dim-empty-tuple", lambda lib, x: (lib.all(x, dim=()), x.any(dim=())), f32(2, 3)),
    Case("all-empty", lambda lib, x: (x.all(), x.any()), np.zeros(0, np.float32)),
    Case("all-nan-all", lambda lib, x: x.all(), a32(NAN, 1)),
    Case(
        "numpy-names",
        lambda lib, x: (
            x.sum(axis=0, keepdims=True),
            lib.std(x, axis=1),
            x.amax(axis=(0, 1)),
            x.max(axis=1),
            x.cumsum(axis=0),
            x.sort(axis=0),
            lib.softmax(x, axis=1),
            x.median(axis=0, keepdims=True),
        ),
        f32(3, 4),
    ),
    Case("count_nonzero-default", lambda lib, x: lib.count_nonzero(x), i64(4, 5, lo=-1, hi=2)),
]

# ---------------------------------------------------------------- prod, cumulative ops

CASES += [
    Case("prod-all", lambda lib, x: x.prod(), f32(3, 4, lo=0.5, hi=1.5)),
    Case("prod-dim", lambda lib, x: lib.prod(x, 1), f32(3, 4)),
    Case("prod-dim-keep", lambda lib, x: x.prod(-1, keepdim=True), f32(3, 4)),
    Case("prod-one-zero", lambda lib, x: x.prod(1), a32(2, 0, 3, 1, 1, 2, 3, 4).reshape(2, 4)),
    Case("prod-two-zeros", lambda lib, x: x.prod(1), a32(2, 0, 3, 0, 0, 2, 3, 0).reshape(2, 4)),
    Case("prod-all-one-zero", lambda lib, x: x.prod(), a32(2, 0, 3, 1.5)),
    Case("prod-int", lambda lib, x: x.prod(0), i64(3, 4)),
    Case("prod-bool", lambda lib, x: x.prod(), boolean(5)),
    Case("prod-u8", lambda lib, x: x.prod(), np.array([3, 4], np.uint8)),
    Case("prod-dtype", lambda lib, x: x.prod(dtype=lib.float64), i64(3)),
    Case("prod-0d", lambda lib, x: x.prod(0, True), np.asarray(np.float32(3.0))),
    Case("prod-empty", lambda lib, x: (x.prod(), x.prod(1)), np.zeros((0, 3), np.float32)),
    Case("prod-tuple-error", lambda lib, x: x.prod((0, 1)), f32(2, 2)),
    Case("prod-noncontig", lambda lib, x: x.t().prod(0), f32(3, 4)),
]

CUM = ["cumsum", "cumprod", "logcumsumexp"]
for name in CUM:
    err = "-error" if name == "logcumsumexp" else ""
    CASES += [
        Case(f"{name}-d1", lambda lib, x, n=name: getattr(lib, n)(x, 1), f32(3, 4)),
        Case(f"{name}-d-1-method", lambda lib, x, n=name: getattr(x, n)(-1), f32(2, 3, 4)),
        Case(f"{name}-d0-kw", lambda lib, x, n=name: getattr(x, n)(dim=0), f64(3, 4)),
        Case(f"{name}-noncontig", lambda lib, x, n=name: getattr(x.t(), n)(1), f32(4, 3)),
        Case(f"{name}-int{err}", lambda lib, x, n=name: getattr(lib, n)(x, 0), i64(4, 2)),
        Case(f"{name}-int32{err}", lambda lib, x, n=name: getattr(lib, n)(x, 0), i64(4).astype(np.int32)),
        Case(f"{name}-bool{err}", lambda lib, x, n=name: getattr(lib, n)(x, 0), boolean(5)),
        Case(f"{name}-0d", lambda lib, x, n=name: getattr(x, n)(0), np.asarray(np.float32(0.7))),
        Case(f"{name}-empty", lambda lib, x, n=name: getattr(x, n)(1), np.zeros((2, 0), np.float32)),
        Case(f"{name}-oob-error", lambda lib, x, n=name: getattr(x, n)(2), f32(3, 4)),
        Case(f"{name}-no-dim-error", lambda lib, x, n=name: getattr(lib, n)(x), f32(3)),
    ]
CASES += [
    Case("cumsum-dtype", lambda lib, x: lib.cumsum(x, 0, dtype=lib.float32), i64(5)),
    Case("cumprod-zeros", lambda lib, x: x.cumprod(1), a32(2, 0, 3, 0, 1, 2, 0, 4).reshape(2, 4)),
    Case("cumprod-int32-promotes", lambda lib, x: x.cumprod(0), np.array([1, 2, 3], np.int32)),
    # a leading -inf gives torch NaN gradients (its backward formula meets inf - inf); JAX's are finite
    Case("logcumsumexp-inf", lambda lib, x: x.logcumsumexp(0), a32(1, -INF, 2, -INF)),
]

for name in ("cummax", "cummin"):
    CASES += [
        Case(f"{name}-ties", lambda lib, x, n=name: getattr(x, n)(1), ties(3, 8)),
        Case(f"{name}-fn", lambda lib, x, n=name: getattr(lib, n)(x, dim=0), f32(5, 3)),
        Case(f"{name}-nan", lambda lib, x, n=name: getattr(x, n)(0), a32(1, 3, 3, 2, 3, NAN, 1, NAN, 5)),
        Case(f"{name}-int", lambda lib, x, n=name: getattr(x, n)(0), i64(9, lo=0, hi=3)),
        Case(f"{name}-bool", lambda lib, x, n=name: getattr(x, n)(0), boolean(6)),
        Case(f"{name}-0d", lambda lib, x, n=name: getattr(x, n)(0), np.asarray(np.float32(2))),
        Case(f"{name}-empty", lambda lib, x, n=name: getattr(x, n)(0), np.zeros((0, 2), np.float32)),
        Case(f"{name}-noncontig", lambda lib, x, n=name: getattr(x.t(), n)(-1), ties(6, 3)),
        Case(f"{name}-attrs", lambda lib, x, n=name: getattr(x, n)(0).indices * 1, ties(5)),
    ]

# ---------------------------------------------------------------- max / min / argmax and friends

CASES += [
    Case("max-all", lambda lib, x: x.max(), f32(3, 4)),
    Case("max-all-ties", lambda lib, x: lib.max(x), a32(1, 3, 3, 0, 3)),
    Case("min-all-ties", lambda lib, x: x.min(), a32(1, 0, 3, 0, 3)),
    Case("max-all-nan", lambda lib, x: x.max(), a32(1, NAN, 3, NAN)),
    Case("min-all-nan", lambda lib, x: lib.min(x), a32(1, NAN, 3, NAN)),
    Case("max-all-inf", lambda lib, x: x.max(), a32(INF, 1, INF)),
    Case("max-all-int", lambda lib, x: x.max(), i64(3, 4)),
    Case("max-all-bool", lambda lib, x: (x.max(), x.min()), boolean(4)),
    Case("max-all-0d", lambda lib, x: x.max(), np.asarray(np.float32(2))),
    Case("max-all-empty-error", lambda lib, x: x.max(), np.zeros((0, 3), np.float32)),
    Case("min-all-empty-error", lambda lib, x: lib.min(x), np.zeros(0, np.float32)),
    Case("max-binary", lambda lib, a, b: lib.max(a, b), f32(3, 4), f32(4)),
    Case("max-binary-method", lambda lib, a, b: a.max(b), f32(3), f32(3)),
    Case("min-binary-kw", lambda lib, a, b: lib.min(a, other=b), f32(3), f32(3)),
    Case("max-binary-int-float", lambda lib, a, b: lib.max(a, b), i64(3), f32(3)),
    Case("max-binary-ties", lambda lib, a, b: lib.max(a, b), a32(1, 2, 3), a32(1, 0, 3)),
    Case("amax-nan-all", lambda lib, x: x.amax(), a32(1, NAN, 3)),
    Case("amax-inf", lambda lib, x: x.amax(0), a32(INF, 1, INF)),
    Case("amax-empty-noargs-error", lambda lib, x: x.amax(), np.zeros((0, 3), np.float32)),
    Case("amin-empty-dim-error", lambda lib, x: x.amin(1), np.zeros((3, 0), np.float32)),
    Case("amax-amin-int-all", lambda lib, x: (x.amax(), x.amin(0)), i64(3, 4)),
    Case("amax-bool-d0", lambda lib, x: x.amax(0), boolean(3, 2)),
]

DIM1 = {
    "d1": lambda f, x: f(x, 1),
    "d-1-keep": lambda f, x: f(x, -1, True),
    "d0-kw": lambda f, x: f(x, dim=0, keepdim=False),
    "oob-error": lambda f, x: f(x, 2),
    "tuple-error": lambda f, x: f(x, (0, 1)),
}
BOOL_ERRORS = {"argmax", "argmin", "median", "nanmedian"}
for name in ("max", "min", "argmax", "argmin", "median", "nanmedian", "mode"):
    for dn, how in DIM1.items():
        CASES.append(Case(f"{name}-{dn}", lambda lib, x, n=name, how=how: how(getattr(lib, n), x), f32(3, 5)))
        CASES.append(
            Case(
                f"{name}-{dn}-ties-method",
                lambda lib, x, n=name, how=how: how(lambda t, *a, **k: getattr(t, n)(*a, **k), x),
                ties(4, 7),
            )
        )
    CASES += [
        Case(f"{name}-3d-noncontig", lambda lib, x, n=name: getattr(x.permute(2, 0, 1), n)(1), ties(3, 5, 4)),
        Case(f"{name}-f64", lambda lib, x, n=name: getattr(x, n)(0), f64(6, 2)),
        Case(f"{name}-int", lambda lib, x, n=name: getattr(x, n)(1), i64(3, 6, lo=0, hi=3)),
        Case(f"{name}-int32", lambda lib, x, n=name: getattr(x, n)(0), i64(5, 2, lo=0, hi=3).astype(np.int32)),
        Case(
            f"{name}-bool{'-error' if name in BOOL_ERRORS else ''}",
            lambda lib, x, n=name: getattr(x, n)(1),
            boolean(3, 5),
        ),
        Case(f"{name}-0d", lambda lib, x, n=name: getattr(x, n)(0), np.asarray(np.float32(2.5))),
        Case(f"{name}-0d-keep", lambda lib, x, n=name: getattr(x, n)(-1, True), np.asarray(np.float32(2.5))),
        Case(f"{name}-0d-oob-error", lambda lib, x, n=name: getattr(x, n)(1), np.asarray(np.float32(2.5))),
        Case(f"{name}-empty-other-dim", lambda lib, x, n=name: getattr(x, n)(1), np.zeros((0, 3), np.float32)),
        Case(f"{name}-empty-dim-error", lambda lib, x, n=name: getattr(x, n)(0), np.zeros((0, 3), np.float32)),
        Case(f"{name}-f16", lambda lib, x, n=name: getattr(x, n)(1), ties(3, 4).astype(np.float16)),
    ]
for name in ("max", "min", "median", "nanmedian"):
    CASES.append(
        Case(
            f"{name}-nan-dim",
            lambda lib, x, n=name: getattr(x, n)(1),
            a32(3, NAN, 2, NAN, 1, 2, 5, 0, NAN, 4, 4, 1).reshape(3, 4),
        )
    )

CASES += [
    Case("max-dim-attrs", lambda lib, x: (x.max(1).values, x.max(1).indices, x.max(1)[0]), f32(3, 4)),
    Case(
        "min-dim-out",
        lambda lib, x: lib.min(x, 0, out=(lib.zeros(4), lib.zeros(4, dtype=lib.int64))),
        f32(3, 4),
        grad=False,
    ),
    Case("argmax-all", lambda lib, x: (x.argmax(), lib.argmin(x)), f32(3, 4)),
    Case("argmax-all-ties", lambda lib, x: (x.argmax(), x.argmin()), ties(3, 4)),
    Case("argmax-all-keepdim", lambda lib, x: x.argmax(keepdim=True), f32(3, 4)),
    Case("argmax-nan", lambda lib, x: (x.argmax(), x.argmin()), a32(1, NAN, 3, NAN)),
    Case("argmax-argmin-0d-nodim", lambda lib, x: (x.argmax(), x.argmin(0, True)), np.asarray(np.float32(1))),
    Case("argmax-empty-error", lambda lib, x: x.argmax(), np.zeros(0, np.float32)),
    Case("argmin-empty-dim", lambda lib, x: x.argmin(1), np.zeros((0, 3), np.float32)),
    Case("aminmax", lambda lib, x: lib.aminmax(x), f32(3, 4)),
    Case("aminmax-ties", lambda lib, x: x.aminmax(dim=1), ties(3, 5)),
    Case("aminmax-keepdim", lambda lib, x: lib.aminmax(x, dim=-1, keepdim=True), f32(3, 4)),
    Case("aminmax-all-keepdim", lambda lib, x: lib.aminmax(x, keepdim=True), f32(3, 4)),
    Case("aminmax-attrs", lambda lib, x: (lib.aminmax(x).min, lib.aminmax(x).max), i64(5)),
    Case("aminmax-bool", lambda lib, x: lib.aminmax(x), boolean(4)),
    Case("aminmax-0d", lambda lib, x: lib.aminmax(x, dim=0), np.asarray(np.float32(1))),
    Case("aminmax-empty-error", lambda lib, x: lib.aminmax(x), np.zeros(0, np.float32)),
    Case("aminmax-empty-dim-error", lambda lib, x: lib.aminmax(x, dim=0), np.zeros((0, 3), np.float32)),
    Case("aminmax-empty-other-dim", lambda lib, x: lib.aminmax(x, dim=1), np.zeros((0, 3), np.float32)),
    Case("aminmax-tuple-error", lambda lib, x: lib.aminmax(x, dim=(0, 1)), f32(2, 3)),
    Case("median-all", lambda lib, x: x.median(), f32(3, 5)),
    Case("median-all-even", lambda lib, x: lib.median(x), a32(4, 1, 3, 2)),
    Case("median-all-ties", lambda lib, x: x.median(), a32(2, 1, 2, 3, 2, 0)),
    Case("median-all-nan", lambda lib, x: x.median(), a32(3, NAN, 2, NAN)),
    Case("median-all-int", lambda lib, x: x.median(), i64(7)),
    Case("median-all-empty", lambda lib, x: x.median(), np.zeros(0, np.float32)),
    Case("median-all-bool-error", lambda lib, x: x.median(), boolean(3)),
    Case("nanmedian-all", lambda lib, x: x.nanmedian(), a32(3, NAN, 2, 4, NAN, 2)),
    Case("nanmedian-all-nan", lambda lib, x: lib.nanmedian(x), a32(NAN, NAN)),
    Case("nanmedian-all-empty", lambda lib, x: x.nanmedian(), np.zeros(0, np.float32)),
    Case("nanmedian-all-nan-row", lambda lib, x: x.nanmedian(1).values, a32(1, NAN, NAN, NAN).reshape(2, 2)),
    Case("mode-all-ties", lambda lib, x: x.mode(), a32(1, 2, 2, 1, 3)),
    Case("mode-default-dim", lambda lib, x: lib.mode(x), ties(4, 9, k=4)),
    Case("mode-16", lambda lib, x: x.mode(1), ties(5, 16, k=5)),
    Case("mode-single", lambda lib, x: x.mode(0), a32(7)),
]

for p in [2, 1, 3, 0.5, 1.5, INF, -INF, -1, 0, "fro", None]:
    grad = p != 0  # torch's p=0 norm is not connected to its input in the graph
    CASES += [
        Case(f"norm-p{p}", lambda lib, x, p=p: x.norm(p), f32(3, 4), grad=grad),
        Case(
            f"norm-p{p}-zeros",
            lambda lib, x, p=p: lib.norm(x, p, dim=1),
            a32(0, 0, 0, 0, 1, -2, 0, 1).reshape(2, 4),
            grad=grad,
        ),
        Case(f"norm-p{p}-keep", lambda lib, x, p=p: x.norm(p, (0, 2), True), f64(2, 3, 2), grad=grad),
        Case(f"norm-p{p}-ties", lambda lib, x, p=p: x.norm(p, dim=0), a32(1, -1, 0, 1, 2, -2), grad=grad),
    ]
CASES += [
    Case("norm-nuc", lambda lib, x: lib.norm(x, "nuc"), f32(3, 4)),
    Case("norm-nuc-dim", lambda lib, x: x.norm("nuc", dim=(0, 2)), f64(2, 3, 4)),
    Case("norm-nuc-keep", lambda lib, x: x.norm("nuc", keepdim=True), f64(3, 3)),
    Case("norm-nuc-3d-error", lambda lib, x: lib.norm(x, "nuc"), f32(2, 2, 2)),
    Case("norm-fro-3-dims-error", lambda lib, x: lib.norm(x, "fro", dim=(0, 1, 2)), f32(2, 2, 2)),
    Case("norm-fro-3d-all", lambda lib, x: lib.norm(x, "fro"), f32(2, 2, 2)),
    Case("norm-fro-dim-int", lambda lib, x: x.norm("fro", 1, True), f32(2, 3)),
    Case("norm-2-three-dims", lambda lib, x: x.norm(2, dim=(0, 1, 2)), f32(2, 2, 2)),
    Case("norm-bad-str-error", lambda lib, x: lib.norm(x, "abc"), f32(2, 2)),
    Case("norm-dtype", lambda lib, x: lib.norm(x, dtype=lib.float64), f32(3)),
    Case("norm-method-dtype", lambda lib, x: x.norm(2, 0, False, lib.float64), f32(3)),
    Case("norm-narrowing-error", lambda lib, x: lib.norm(x, dtype=lib.float16), f32(3)),
    Case("norm-int-dtype-error", lambda lib, x: lib.norm(x, dtype=lib.int64), f32(3)),
    Case("norm-all-zero", lambda lib, x: (x.norm(), x.norm(3), x.norm(INF), x.norm(0.5)), np.zeros(4, np.float32)),
    Case("norm-inf-empty-error", lambda lib, x: x.norm(INF), np.zeros(0, np.float32)),
    Case("norm-inf-empty-dim-error", lambda lib, x: x.norm(INF, dim=0), np.zeros((0, 3), np.float32)),
    Case("norm-inf-empty-other-dim", lambda lib, x: x.norm(INF, dim=1), np.zeros((0, 3), np.float32)),
    # p picks the program, so a tensor p must be concrete
    Case("norm-p-tensor", lambda lib, x: x.norm(lib.tensor(3.0)), f32(4), traced=False),
    Case("norm-second-order", lambda lib, x: lib.autograd.grad(x.norm(), x, create_graph=True)[0], f64(4)),
    Case("norm3-second-order", lambda lib, x: lib.autograd.grad(x.norm(3), x, create_graph=True)[0], f64(4)),
]

# ---------------------------------------------------------------- std / var forms

STD_FORMS = {
    "plain": lambda f, x: f(x),
    "unbiased-positional": lambda f, x: f(x, False),
    "dim-unbiased-keepdim": lambda f, x: f(x, 0, True, True),
    "dim-kw-unbiased": lambda f, x: f(x, dim=1, unbiased=False),
    "correction": lambda f, x: f(x, 1, correction=2),
    "correction-0": lambda f, x: f(x, (0, 1), correction=0, keepdim=True),
    "correction-float": lambda f, x: f(x, correction=0.5),
    "correction-none": lambda f, x: f(x, correction=None),
    "both-error": lambda f, x: f(x, 0, True, correction=1),
    "dim-neg-tuple": lambda f, x: f(x, (-1, 0)),
}
for name in ("std", "var", "std_mean", "var_mean"):
    for fn_name, form in STD_FORMS.items():
        CASES.append(Case(f"{name}-{fn_name}", lambda lib, x, n=name, form=form: form(getattr(lib, n), x), f32(3, 4)))
    CASES += [
        Case(f"{name}-one-element", lambda lib, x, n=name: getattr(lib, n)(x), a32(1.5)),
        Case(f"{name}-constant", lambda lib, x, n=name: getattr(lib, n)(x, 1), np.ones((2, 3), np.float32)),
        Case(f"{name}-empty", lambda lib, x, n=name: getattr(lib, n)(x), np.zeros(0, np.float32)),
        Case(
            f"{name}-0d-correction0",
            lambda lib, x, n=name: getattr(lib, n)(x, 0, correction=0),
            np.asarray(np.float32(2)),
        ),
        Case(f"{name}-int-all-error", lambda lib, x, n=name: getattr(lib, n)(x), i64(4)),
        Case(f"{name}-f64-noncontig", lambda lib, x, n=name: getattr(lib, n)(x.t(), 1), f64(4, 3)),
    ]
CASES += [
    Case("std-method-keepdim", lambda lib, x: x.std(keepdim=True), f32(3, 4)),
    Case("var-method-dim", lambda lib, x: x.var(-1), f32(3, 4)),
    Case("std-second-order", lambda lib, x: lib.autograd.grad(x.std(), x, create_graph=True)[0], f64(5)),
]

# ---------------------------------------------------------------- logsumexp, softmax

CASES += [
    Case("logsumexp-all-neg-inf", lambda lib, x: x.logsumexp(1), a32(-INF, -INF, 1, 2).reshape(2, 2)),
    Case("logsumexp-inf", lambda lib, x: x.logsumexp(0), a32(INF, 1)),
    Case("logsumexp-large", lambda lib, x: x.logsumexp(0), a32(1000, 1000, -1000)),
    Case("logsumexp-out", lambda lib, x: lib.logsumexp(x, 1, out=lib.zeros(3)), f32(3, 4), grad=False),
]
for name in ("softmax", "log_softmax"):
    CASES += [
        Case(f"{name}-fn", lambda lib, x, n=name: getattr(lib, n)(x, 1), f32(3, 4)),
        Case(f"{name}-method", lambda lib, x, n=name: getattr(x, n)(-1), f32(2, 3, 4)),
        Case(f"{name}-method-kw", lambda lib, x, n=name: getattr(x, n)(dim=0), f32(2, 3, 4)),
        Case(f"{name}-dtype", lambda lib, x, n=name: getattr(lib, n)(x, 0, dtype=lib.float64), f32(5)),
        Case(f"{name}-int-error", lambda lib, x, n=name: getattr(lib, n)(x, 0), i64(2, 3)),
        Case(f"{name}-int-lastdim-error", lambda lib, x, n=name: getattr(lib, n)(x, 1), i64(2, 3)),
        Case(f"{name}-int-dtype", lambda lib, x, n=name: getattr(lib, n)(x, 0, lib.float32), i64(5)),
        Case(f"{name}-0d", lambda lib, x, n=name: getattr(x, n)(0), np.asarray(np.float32(3))),
        Case(f"{name}-empty", lambda lib, x, n=name: getattr(x, n)(1), np.zeros((0, 3), np.float32)),
        Case(f"{name}-neg-inf", lambda lib, x, n=name: getattr(x, n)(0), a32(-INF, 2, 1)),
        Case(f"{name}-f16", lambda lib, x, n=name: getattr(x, n)(1), f32(2, 3).astype(np.float16)),
        Case(f"{name}-noncontig", lambda lib, x, n=name: getattr(x.t(), n)(1), f32(4, 3)),
        Case(f"{name}-no-dim-error", lambda lib, x, n=name: getattr(lib, n)(x), f32(3)),
    ]

# ---------------------------------------------------------------- sort, argsort, topk, kthvalue

SORT_INPUTS = {
    "f32": f32(3, 6),
    "ties": ties(3, 6),
    "nan-zero": a32(3, 1, 3, NAN, 1, 2, 3, -0.0, 0, NAN, 1, 2).reshape(2, 6),
    "int": i64(3, 5, lo=0, hi=3),
    "bool": boolean(2, 5),
    "f64": f64(4, 3),
}
for iname, x in SORT_INPUTS.items():
    CASES += [
        Case(f"sort-{iname}", lambda lib, x: x.sort(), x),
        Case(f"sort-{iname}-desc", lambda lib, x: lib.sort(x, 1, descending=True), x),
        Case(f"sort-{iname}-d0-stable", lambda lib, x: lib.sort(x, stable=True, dim=0), x),
        Case(f"argsort-{iname}", lambda lib, x: x.argsort(), x),
        Case(f"argsort-{iname}-desc-d0", lambda lib, x: lib.argsort(x, 0, descending=True), x),
        Case(f"msort-{iname}", lambda lib, x: lib.msort(x), x),
    ]
CASES += [
    Case("sort-attrs", lambda lib, x: (x.sort().values, x.sort(descending=True).indices), f32(4)),
    Case("sort-0d", lambda lib, x: x.sort(), np.asarray(np.float32(2))),
    Case("sort-empty", lambda lib, x: x.sort(), np.zeros((2, 0), np.float32)),
    Case("sort-noncontig", lambda lib, x: x.t().sort(0), ties(3, 5)),
    Case("sort-oob-error", lambda lib, x: x.sort(2), f32(3, 4)),
    # torch's default CPU sort is unstable past 16 elements; stable=True pins the order of ties
    Case(
        "sort-ties-wide-stable", lambda lib, x: (x.sort(stable=True), x.sort(descending=True, stable=True)), ties(3, 40)
    ),
    Case("median-ties-wide", lambda lib, x: (x.median(1), x.nanmedian(0)), ties(5, 33)),
    Case(
        "nanmedian-nan-wide", lambda lib, x: x.nanmedian(1), np.where(R.uniform(size=(3, 30)) < 0.2, NAN, ties(3, 30))
    ),
    Case("cummax-ties-wide", lambda lib, x: (x.cummax(1), x.cummin(1)), ties(3, 40)),
    Case("argsort-stable-kw", lambda lib, x: lib.argsort(x, stable=True, descending=True), ties(10)),
    Case("msort-method", lambda lib, x: x.msort(), f32(4, 2)),
    Case("topk", lambda lib, x: x.topk(3), f32(4, 6)),
    Case("topk-smallest", lambda lib, x: lib.topk(x, 2, dim=0, largest=False), f32(4, 6)),
    Case("topk-kw", lambda lib, x: x.topk(k=2, dim=-1, largest=True, sorted=True), f64(3, 5)),
    Case("topk-int", lambda lib, x: x.topk(2), np.array([1, 7, 5, 2], np.int64)),
    Case("topk-nan", lambda lib, x: (x.topk(2), x.topk(2, largest=False)), a32(1, NAN, 3, 2)),
    Case("topk-0", lambda lib, x: x.topk(0), f32(2, 3)),
    Case("topk-all", lambda lib, x: x.topk(3), f32(2, 3)),
    Case("topk-0d", lambda lib, x: x.topk(1), np.asarray(np.float32(1))),
    Case("topk-empty", lambda lib, x: x.topk(0), np.zeros((2, 0), np.float32)),
    Case("topk-too-big-error", lambda lib, x: x.topk(4), f32(3)),
    Case("topk-negative-error", lambda lib, x: x.topk(-1), f32(3)),
    Case("topk-bool-error", lambda lib, x: x.topk(1), boolean(3)),
    Case("topk-noncontig", lambda lib, x: x.t().topk(2), f32(5, 3)),
    Case("topk-ties-values", lambda lib, x: x.topk(3).values, ties(3, 8), grad=False),
    Case("kthvalue", lambda lib, x: x.kthvalue(2), f32(3, 5)),
    Case("kthvalue-dim-keep", lambda lib, x: lib.kthvalue(x, 3, 0, True), f32(3, 5)),
    Case("kthvalue-kw", lambda lib, x: x.kthvalue(k=1, dim=1, keepdim=False), f64(3, 4)),
    Case("kthvalue-int", lambda lib, x: x.kthvalue(3), np.array([5, 1, 4, 2], np.int64)),
    Case("kthvalue-nan", lambda lib, x: (x.kthvalue(3), x.kthvalue(2)), a32(1, NAN, 2)),
    Case("kthvalue-0d", lambda lib, x: x.kthvalue(1), np.asarray(np.float32(1))),
    Case("kthvalue-k0-error", lambda lib, x: x.kthvalue(0), f32(3)),
    Case("kthvalue-k-big-error", lambda lib, x: x.kthvalue(4), f32(3)),
    Case("kthvalue-empty-error", lambda lib, x: x.kthvalue(1), np.zeros((2, 0), np.float32)),
    Case("kthvalue-ties-values", lambda lib, x: x.kthvalue(3, 1).values, ties(3, 7), grad=False),
    Case("kthvalue-noncontig", lambda lib, x: x.t().kthvalue(2), f32(4, 3)),
]

# ---------------------------------------------------------------- quantile

for name in ("quantile", "nanquantile"):
    for mode in ("linear", "lower", "higher", "midpoint", "nearest"):
        CASES += [
            Case(f"{name}-{mode}", lambda lib, x, n=name, m=mode: getattr(lib, n)(x, 0.4, interpolation=m), f32(7)),
            Case(
                f"{name}-{mode}-q-tensor-dim",
                lambda lib, x, q, n=name, m=mode: getattr(x, n)(q, dim=1, keepdim=True, interpolation=m),
                f32(3, 5),
                np.array([0.0, 0.25, 0.5, 1 / 6, 1.0], np.float32),
            ),
        ]
    CASES += [
        Case(
            f"{name}-nan", lambda lib, x, n=name: getattr(lib, n)(x, 0.5, dim=1), a32(1, NAN, 3, 2, 4, 0).reshape(2, 3)
        ),
        Case(f"{name}-all-nan", lambda lib, x, n=name: getattr(lib, n)(x, 0.3), a32(NAN, NAN)),
        Case(
            f"{name}-none-keepdim",
            lambda lib, x, q, n=name: getattr(lib, n)(x, q, keepdim=True),
            f32(2, 3),
            np.array([0.2, 0.7], np.float32),
        ),
        Case(f"{name}-q-0d-tensor", lambda lib, x, q, n=name: getattr(lib, n)(x, q, 0), f64(4, 2), np.asarray(0.3)),
        Case(f"{name}-0d", lambda lib, x, n=name: getattr(lib, n)(x, 0.2, dim=0), np.asarray(np.float32(2))),
        Case(f"{name}-ties", lambda lib, x, n=name: getattr(lib, n)(x, 0.5, dim=0), ties(6, 3)),
        Case(f"{name}-int-error", lambda lib, x, n=name: getattr(lib, n)(x, 0.5), i64(3)),
        Case(f"{name}-q-range-error", lambda lib, x, n=name: getattr(lib, n)(x, 1.5), f32(3)),
        Case(f"{name}-empty-error", lambda lib, x, n=name: getattr(lib, n)(x, 0.5), np.zeros(0, np.float32)),
        Case(f"{name}-q-dtype-error", lambda lib, x, q, n=name: getattr(lib, n)(x, q), f32(3), np.asarray([0.5])),
        Case(f"{name}-q-2d-error", lambda lib, x, q, n=name: getattr(lib, n)(x, q), f32(3), a32(0.5).reshape(1, 1)),
        Case(f"{name}-mode-error", lambda lib, x, n=name: getattr(lib, n)(x, 0.5, interpolation="foo"), f32(3)),
    ]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_reduce(case, compat):
    compat(case)


# ---------------------------------------------------------------- in-place

INPLACE = [
    Case("cumsum_", lambda lib, x: x.clone().cumsum_(1), f32(3, 4)),
    Case("cumsum_-int32", lambda lib, x: x.clone().cumsum_(0), i64(4).astype(np.int32)),
    Case("cumprod_", lambda lib, x: x.clone().cumprod_(0), f32(3, 4)),
    Case("cumsum_-view", lambda lib, x: _cumsum_row(x.clone()), f32(3, 4)),
    Case("cumsum_-leaf-error", lambda lib, x: x.cumsum_(0), f32(3)),
]


def _cumsum_row(x):
    x[1].cumsum_(0)
    return x


@pytest.mark.parametrize("case", INPLACE, ids=repr)
def test_reduce_inplace(case, compat):
    compat(case)


# ---------------------------------------------------------------- unique (eager only)

UNIQUE = [
    Case("unique", lambda lib, x: lib.unique(x), i64(10, lo=0, hi=4)),
    Case("unique-all", lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True), i64(3, 4, lo=0, hi=4)),
    Case("unique-unsorted", lambda lib, x: lib.unique(x, sorted=False), i64(10, lo=0, hi=4)),
    Case("unique-method", lambda lib, x: x.unique(return_counts=True), i64(8, lo=0, hi=3)),
    Case(
        "unique-dim0",
        lambda lib, x: lib.unique(x, dim=0, return_inverse=True, return_counts=True),
        np.array([[1, 2], [0, 1], [1, 2]], np.int64),
    ),
    Case("unique-dim1", lambda lib, x: x.unique(dim=1, return_inverse=True), np.array([[1, 0, 1], [2, 3, 2]])),
    Case("unique-float", lambda lib, x: lib.unique(x, return_counts=True), ties(10), grad=False),
    Case("unique-nan-zero", lambda lib, x: lib.unique(x, return_counts=True), a32(NAN, 0, -0.0, 1, NAN), grad=False),
    Case("unique-bool", lambda lib, x: x.unique(return_counts=True), boolean(6)),
    Case("unique-0d", lambda lib, x: x.unique(return_inverse=True), np.asarray(3)),
    Case("unique-empty", lambda lib, x: x.unique(return_inverse=True, return_counts=True), np.zeros(0, np.int64)),
    Case(
        "unique_consecutive",
        lambda lib, x: lib.unique_consecutive(x, return_inverse=True, return_counts=True),
        np.array([1, 1, 2, 2, 3, 1, 1, 2]),
    ),
    Case("unique_consecutive-plain", lambda lib, x: x.unique_consecutive(), np.array([[1, 1], [2, 2]])),
    Case(
        "unique_consecutive-dim0",
        lambda lib, x: lib.unique_consecutive(x, dim=0, return_counts=True),
        np.array([[1, 2], [1, 2], [0, 1]]),
    ),
    Case(
        "unique_consecutive-dim1",
        lambda lib, x: x.unique_consecutive(dim=1, return_inverse=True, return_counts=True),
        np.array([[1, 1, 2], [3, 3, 3]]),
    ),
    Case(
        "unique_consecutive-nan",
        lambda lib, x: x.unique_consecutive(return_counts=True),
        a32(NAN, NAN, 1, 1),
        grad=False,
    ),
    Case("unique_consecutive-0d", lambda lib, x: x.unique_consecutive(return_inverse=True), np.asarray(3)),
]
for c in UNIQUE:
    c.traced = False


@pytest.mark.parametrize("case", UNIQUE, ids=repr)
def test_unique(case, compat):
    compat(case)


@pytest.mark.parametrize("name", ["unique", "unique_consecutive"])
def test_unique_traced_raises(name):
    def f(a):
        return getattr(torchlike, name)(torchlike.Tensor._make(a))._value

    with pytest.raises(RuntimeError, match="data-dependent output shape"):
        jax.jit(f)(np.array([1, 2, 2]))


def test_return_types():
    x = torchlike.tensor([[1.0, 3.0], [2.0, 0.0]])
    r = x.max(1)
    assert isinstance(r, tuple) and isinstance(r, torchlike.return_types.max)
    values, indices = r
    assert values is r.values and indices is r.indices
    assert repr(r).startswith("torchlike.return_types.max(\nvalues=tensor(")
    assert torchlike.aminmax(x)._fields == ("min", "max")


def test_var_warns_without_degrees_of_freedom():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        torchlike.tensor([1.0]).std()
