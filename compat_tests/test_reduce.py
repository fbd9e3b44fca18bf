"""Reductions, scans, sorting and unique against torch: values, dtypes, gradients, errors, traced.

Each Case compiles its own programs (eager, backward, traced), so a row runs many forms of one op at
once: ``rows()`` turns a table of forms into one row with gradients, one with values only, and one row
per form that raises. Integer, bool and half inputs run every op that takes them in one row per dtype.
"""

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


def rows(name, forms, grad=(), errors=()):
    """Rows for the forms of ``name`` (label -> (fn(lib, x), x)): one row running the forms in ``grad``
    with gradients (each form has its own input tensor), one running the rest for values only, and a row
    of its own for each form in ``errors`` (torch raises). Results are dicts keyed by label."""

    def case(suffix, labels, **kw):
        fns = [forms[k][0] for k in labels]
        return Case(
            name + suffix,
            lambda lib, *xs: {k: f(lib, x) for k, f, x in zip(labels, fns, xs)},
            *(forms[k][1] for k in labels),
            **kw,
        )

    out = [case(f"-{k}-error", [k]) for k in forms if k in errors]
    with_grad = [k for k in forms if k in grad and k not in errors]
    if with_grad:
        out.append(case("", with_grad))
    rest = [k for k in forms if k not in grad and k not in errors]
    if rest:
        out.append(case("-values", rest, grad=False))
    return out


def method(name, *args, **kwargs):
    return lambda lib, x: getattr(x, name)(*args, **kwargs)


def function(name, *args, **kwargs):
    return lambda lib, x: getattr(lib, name)(x, *args, **kwargs)


X3 = f32(2, 3, 4)
X = f32(3, 4)
S = np.asarray(np.float32(1.5))  # 0-d
E = np.zeros((0, 3), np.float32)  # zero-size
Y_NAN = f64(4, 3, 2)
Y_NAN[0, 0, 1] = NAN  # one NaN, in one slice of the result
WIDE = ties(5, 33)  # torch's CPU sort is unstable past 16 elements

CASES = []

# ---------------------------------------------------------------- one row per dtype: every op that takes it

ON_2D = {
    "sum": method("sum", 1),
    "nansum": function("nansum", 0),
    "mean": method("mean", 1),
    "nanmean": method("nanmean", -1),
    "prod": method("prod", 1),
    "amax": method("amax", 0),
    "amin": function("amin", 1),
    "aminmax": function("aminmax"),
    "max": method("max", 1),
    "min": function("min", 0),
    "max-all": lambda lib, x: (x.max(), x.min()),
    "argmax": method("argmax", 1),
    "argmin": function("argmin", 0),
    "std": method("std", 1),
    "var": method("var", 0),
    "norm": method("norm", dim=1),
    "logsumexp": method("logsumexp", 1),
    "softmax": method("softmax", 1),
    "log_softmax": function("log_softmax", 0),
    "cumsum": method("cumsum", 1),
    "cumprod": function("cumprod", 0),
    "logcumsumexp": method("logcumsumexp", 1),
    "cummax": method("cummax", 1),
    "cummin": function("cummin", 0),
    "all": method("all", 1),
    "any": function("any", 0),
    "count_nonzero": method("count_nonzero", 1),
    "median": method("median", 1),
    "median-all": method("median"),
    "nanmedian": method("nanmedian", 0),
    "mode": method("mode", 1),
    "sort": method("sort", 1, descending=True),
    "argsort": method("argsort", 0),
    "msort": function("msort"),
    # the indices of equal values are torch's selection algorithm's: "int64-dtype-args" has tie-free rows
    "topk": lambda lib, x: x.topk(2).values,
    "kthvalue": lambda lib, x: x.kthvalue(2, 0).values,
    "quantile": method("quantile", 0.5, 1),
    "nanquantile": function("nanquantile", 0.5, 0),
}
FLOAT_ONLY = {"mean", "nanmean", "std", "var", "norm", "softmax", "log_softmax", "logcumsumexp", "quantile"}
FLOAT_ONLY |= {"nanquantile"}
NO_BOOL = FLOAT_ONLY | {"argmax", "argmin", "median", "median-all", "nanmedian", "topk"}
HALF = ["sum", "mean", "amax", "std", "var", "logsumexp", "norm", "max", "median", "mode", "softmax", "log_softmax"]
INT = i64(3, 5, lo=-2, hi=3)
BOOL = boolean(3, 5)
# ops that mirror another (min of max, ...) run in the float rows only
MIRRORS = {"amin", "min", "argmin", "cummin", "argsort", "msort"}
# int32 where the result dtype differs from int64's rules (sums promote, the rest keep int32)
INT32 = ["sum", "nansum", "prod", "cumsum", "cumprod", "amax", "max", "argmax", "median", "sort", "count_nonzero"]
for dtype, x, ops, raising in (
    ("int64", INT, [k for k in ON_2D if k not in MIRRORS], FLOAT_ONLY),
    ("int32", INT.astype(np.int32), INT32, ()),
    ("bool", BOOL, [k for k in ON_2D if k not in MIRRORS and k != "kthvalue"], NO_BOOL),
):
    forms = {k: (ON_2D[k], x) for k in ops if k not in FLOAT_ONLY or k in raising}
    CASES += rows(dtype, forms, errors=raising)
# half types: computed in float32 where torch does (std / var, softmax)
HALF_GRAD = ("std", "softmax")
CASES += rows("float16", {k: (ON_2D[k], ties(3, 5).astype(np.float16)) for k in HALF}, grad=HALF_GRAD)
CASES += rows(
    "int64-dtype-args",
    {
        "sum-dtype": (lambda lib, x: x.sum(dtype=lib.float64), INT),
        "sum-dim-dtype": (lambda lib, x: lib.sum(x, 1, dtype=lib.float32), INT),
        "nansum-all": (function("nansum"), INT),
        "mean-dtype": (lambda lib, x: x.mean(dtype=lib.float64), INT),
        "prod-dtype": (lambda lib, x: x.prod(dtype=lib.float64), INT),
        "cumsum-dtype": (lambda lib, x: lib.cumsum(x, 0, dtype=lib.float32), INT),
        "softmax-dtype": (lambda lib, x: lib.softmax(x, 0, lib.float32), INT),
        "log_softmax-dtype": (lambda lib, x: lib.log_softmax(x, 1, dtype=lib.float64), INT),
        "count_nonzero-all": (function("count_nonzero"), INT),
        "amax-amin-all": (lambda lib, x: (x.amax(), x.amin(0)), INT),
        "topk": (method("topk", 2), np.array([1, 7, 5, 2], np.int64)),
        "kthvalue": (method("kthvalue", 3), np.array([5, 1, 4, 2], np.int64)),
        "mean-int-dtype": (lambda lib, x: x.mean(dtype=lib.int64), X),
    },
    errors={"mean-int-dtype"},
)
# uint8: sum and prod accumulate in int64 (no overflow at 300); all / any keep uint8
CASES.append(
    Case(
        "uint8",
        lambda lib, x: (x.sum(), x.prod(1), x.all(), x.any(1, keepdim=True)),
        np.array([[200, 100], [0, 3]], np.uint8),
    )
)

# ---------------------------------------------------------------- reductions over several dims

MULTI = ["sum", "nansum", "mean", "nanmean", "amax", "amin", "std", "var", "logsumexp", "norm", "all", "any"]
MULTI += ["count_nonzero"]


def multi_forms(name):
    keep = {} if name == "count_nonzero" else {"keepdim": True}  # torch's count_nonzero has no keepdim
    x3 = ties(2, 3, 4) if name in ("amax", "amin") else X3  # amax / amin split the gradient among ties
    return {
        "all": (method(name), X3),
        "tuple-neg-keep": (function(name, dim=(-1, 1), **keep), x3),
        "noncontig-f64-nan": (lambda lib, x: getattr(x.transpose(0, 2), name)(dim=(0, 1)), Y_NAN),
        "0d-neg-keep": (method(name, dim=-1, **keep), S),
        "empty-d0": (method(name, dim=0), E),
        "list": (function(name, dim=[1]), X3),
        "none-keep": (method(name, dim=None, keepdim=True), X3),
        "empty-list": (function(name, dim=[]), X3),
        "empty-d1": (method(name, dim=1), E),
        "empty-all": (method(name, dim=(0, 1)), E),
        "oob": (method(name, dim=3), X3),
        "dup": (function(name, dim=(0, -3)), X3),
        "0d-dim1": (method(name, dim=1), S),
    }


MULTI_ERRORS = {"logsumexp": {"all", "none-keep", "empty-list"}, "amax": {"empty-d0", "empty-all"}}
MULTI_ERRORS["amin"] = MULTI_ERRORS["amax"]
# the forms of ``dim`` go through one parser: the ops with their own path through it run them all
PARSED = {"list", "none-keep", "empty-list"}
MULTI_SKIP = {n: PARSED for n in ("nansum", "nanmean", "amin", "var", "any")}
MULTI_SKIP["count_nonzero"] = {"none-keep"}
# torch's backward reads dim=[] as no dims (inf gradients) while its forward reduces all
MULTI_SKIP["std"] = {"empty-list"}
for name in MULTI:
    forms = {k: v for k, v in multi_forms(name).items() if k not in MULTI_SKIP.get(name, ())}
    grad = () if name in ("all", "any", "count_nonzero") else ("tuple-neg-keep", "noncontig-f64-nan", "empty-d0")
    CASES += rows(name, forms, grad=grad, errors={"oob", "dup", "0d-dim1"} | MULTI_ERRORS.get(name, set()))

CASES += [
    Case("sum-positional-keepdim", lambda lib, x: (x.sum(0, True), lib.nansum(x, 1, True)), X, grad=False),
    # torch's gradient for an all-NaN row is NaN (0 * inf); here it is 0
    Case(
        "all-nan-rows",
        lambda lib, x: (x.nanmean(1), x.nanmedian(1).values),
        a32(1, NAN, NAN, NAN).reshape(2, 2),
        grad=False,
    ),
    Case(
        "all-any-edges",
        lambda lib, x, e, n: (lib.all(x, dim=()), x.any(dim=()), e.all(), e.any(), n.all()),
        f32(2, 3),
        np.zeros(0, np.float32),
        a32(NAN, 1),
    ),
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
        X,
        grad=False,
    ),
    Case(
        "out",
        lambda lib, x: (
            lib.sum(x, 0, out=lib.zeros(4)),
            lib.logsumexp(x, 1, out=lib.zeros(3)),
            lib.min(x, 0, out=(lib.zeros(4), lib.zeros(4, dtype=lib.int64))),
        ),
        X,
        grad=False,
    ),
]

# ---------------------------------------------------------------- prod, cumulative ops

CASES += rows(
    "prod",
    {
        "all": (method("prod"), f32(3, 4, lo=0.5, hi=1.5)),
        "d-1-keep": (method("prod", -1, keepdim=True), X),
        "noncontig": (lambda lib, x: x.t().prod(0), X),
        # rows with one zero, two zeros, none: torch's gradient at zeros
        "zeros": (function("prod", 1), a32(2, 0, 3, 1, 0, 2, 3, 0, 1, 2, 3, 4).reshape(3, 4)),
        "all-one-zero": (method("prod"), a32(2, 0, 3, 1.5)),
        "0d": (method("prod", 0, True), S),
        "empty": (lambda lib, x: (x.prod(), x.prod(1)), E),
        "tuple": (method("prod", (0, 1)), X),
    },
    grad=("zeros", "all-one-zero"),
    errors={"tuple"},
)

for name in ("cumsum", "cumprod", "logcumsumexp"):
    CASES += rows(
        name,
        {
            "d1": (function(name, 1), X3),
            "noncontig-kw": (lambda lib, x, n=name: getattr(x.transpose(0, 2), n)(dim=-1), X3),
            "0d": (method(name, 0), S),
            "empty": (method(name, 1), E),
            "oob": (method(name, 2), X),
            "no-dim": (function(name), X),
        },
        grad=("noncontig-kw",),
        errors={"oob", "no-dim"},
    )
CASES += [
    Case("cumprod-zeros", lambda lib, x: x.cumprod(1), a32(2, 0, 3, 0, 1, 2, 0, 4).reshape(2, 4)),
    # a leading -inf gives torch NaN gradients (its backward formula meets inf - inf); JAX's are finite
    Case("logcumsumexp-inf", lambda lib, x: x.logcumsumexp(0), a32(1, -INF, 2, -INF)),
]

for name in ("cummax", "cummin"):
    CASES += rows(
        name,
        {
            # past 16 elements: torch's CPU kernel still takes the last index among ties
            "wide-ties-attrs": (lambda lib, x, n=name: (getattr(x, n)(1).values, getattr(x, n)(1).indices), WIDE),
            "noncontig-fn": (lambda lib, x, n=name: getattr(lib, n)(x.t(), dim=-1), ties(6, 3)),
            "nan": (method(name, 0), a32(1, 3, 3, 2, 3, NAN, 1, NAN, 5)),
            "0d": (method(name, 0), S),
            "empty": (method(name, 0), E),
        },
        grad=("nan",) if name == "cummax" else (),
    )

# ---------------------------------------------------------------- max / min / argmax and friends

CASES += [
    # of all elements: torch splits the gradient evenly among equal extremes, NaN and inf included
    Case(
        "max-min-all",
        lambda lib, t, n, i, s: {
            "ties": (t.max(), lib.min(t)),
            "nan": (n.max(), lib.min(n), n.amax()),
            "inf": (i.max(), i.amax(0)),
            "0d": s.max(),
        },
        a32(1, 3, 0, 3, 0),
        a32(1, NAN, 3, NAN),
        a32(INF, 1, INF),
        S,
    ),
    Case("max-all-empty-error", lambda lib, x: x.max(), E),
    Case("min-all-empty-error", lambda lib, x: lib.min(x), np.zeros(0, np.float32)),
    Case("amax-empty-noargs-error", lambda lib, x: x.amax(), E),
    Case("amin-empty-dim-error", lambda lib, x: x.amin(1), np.zeros((3, 0), np.float32)),
    Case(
        "max-min-binary",
        lambda lib, a, b, c, d, i: {
            "broadcast": lib.max(a, b),
            "method": a.max(b),
            "other-kw": lib.min(a, other=b),
            "ties": lib.max(c, d),
            "int-float": lib.max(i, b),
        },
        X,
        f32(4),
        a32(1, 2, 3),
        a32(1, 0, 3),
        i64(4),
    ),
]

DIM1 = ["max", "min", "argmax", "argmin", "median", "nanmedian", "mode"]
# gradients go to the selected element (NaN first): min and the medians mirror max
DIM1_GRAD = {"max": ("d-1-keep", "noncontig-f64", "nan"), "min": ("d-1-keep",), "median": ("d-1-keep", "nan")}
DIM1_GRAD |= {"nanmedian": ("nan",), "mode": ("d-1-keep",)}
NAN_ROWS = a32(3, NAN, 2, NAN, 1, 2, 5, 0, NAN, 4, 4, 1).reshape(3, 4)
T = ties(4, 7)
for name in DIM1:
    forms = {
        "d-1-keep": (method(name, -1, True), T),
        "noncontig-f64": (lambda lib, x, n=name: getattr(x.permute(2, 0, 1), n)(1), f64(3, 5, 4)),
        "0d-neg-keep": (method(name, -1, True), S),
        "empty-other-dim": (method(name, 1), E),
        "nan": (method(name, 1), NAN_ROWS),
        "d0-kw": (function(name, dim=0, keepdim=False), T),
        "oob": (method(name, 2), T),
        "tuple": (function(name, (0, 1)), T),
        "0d-oob": (method(name, 1), S),
        "empty-dim": (method(name, 0), E),
    }
    if name == "mode":
        del forms["nan"]
        forms["1d-ties"] = (method("mode"), a32(1, 2, 2, 1, 3))
        # the default dim is -1; torch's CPU index is the last one only up to 16 elements
        forms["default-dim-16"] = (function("mode"), ties(5, 16, k=5))
        forms["single"] = (method("mode", 0), a32(7))
    grad = DIM1_GRAD.get(name, ())
    CASES += rows(name, forms, grad=grad, errors={"oob", "tuple", "0d-oob", "empty-dim"})

CASES += [
    Case(
        "attrs",
        lambda lib, x: (
            x.max(1).values,
            x.max(1).indices,
            x.max(1)[0],
            lib.aminmax(x).min,
            lib.aminmax(x).max,
            x.sort().values,
            x.sort(descending=True).indices,
        ),
        X,
        grad=False,
    ),
    Case(
        "argmax-argmin-all",
        lambda lib, x, t, n, s, e: {
            "f32": (x.argmax(), lib.argmin(x), x.argmax(keepdim=True)),
            "ties": (t.argmax(), t.argmin()),
            "nan": (n.argmax(), n.argmin()),
            "0d": (s.argmax(), s.argmin(0, True)),
            "empty-other-dim": e.argmin(1),
        },
        X,
        ties(3, 4),
        a32(1, NAN, 3, NAN),
        S,
        E,
        grad=False,
    ),
    Case("argmax-empty-error", lambda lib, x: x.argmax(), np.zeros(0, np.float32)),
]
AMM = ties(3, 5)
CASES += rows(
    "aminmax",
    {
        "all": (function("aminmax"), AMM),
        "dim": (lambda lib, x: x.aminmax(dim=1), AMM),
        "dim-keep": (lambda lib, x: lib.aminmax(x, dim=-1, keepdim=True), AMM),
        "all-keep": (lambda lib, x: lib.aminmax(x, keepdim=True), AMM),
        "0d": (lambda lib, x: lib.aminmax(x, dim=0), S),
        "empty-other-dim": (lambda lib, x: lib.aminmax(x, dim=1), E),
        "empty": (function("aminmax"), np.zeros(0, np.float32)),
        "empty-dim": (lambda lib, x: lib.aminmax(x, dim=0), E),
        "tuple": (lambda lib, x: lib.aminmax(x, dim=(0, 1)), X),
    },
    grad=("all", "dim-keep"),
    errors={"empty", "empty-dim", "tuple"},
)
CASES += rows(
    "median-all",
    {
        "f32": (method("median"), f32(3, 5)),
        "even": (function("median"), a32(4, 1, 3, 2)),
        "ties": (method("median"), a32(2, 1, 2, 3, 2, 0)),
        "nan": (lambda lib, x: (x.median(), x.nanmedian()), a32(3, NAN, 2, 4, NAN, 2)),
        "all-nan": (function("nanmedian"), a32(NAN, NAN)),
        "empty": (lambda lib, x: (x.median(), x.nanmedian()), np.zeros(0, np.float32)),
    },
    grad=("ties", "nan"),
)

# ---------------------------------------------------------------- norm

NORM_Z = a32(0, 0, 0, 0, 1, -2, 0, 1, 1, -1, 2, -2).reshape(3, 4)  # rows: all zero, some zeros, ties in |x|
NORM_P = [2, 1, 3, 0.5, INF, -INF, -1, 0]
NORM_FORMS = {f"p{p}": (lambda lib, z, p=p: lib.norm(z, p, dim=1), NORM_Z) for p in NORM_P}
NORM_FORMS["f64-keep"] = (lambda lib, y: y.norm(2, (0, 2), True), f64(2, 3, 2))
# gradients where the subgradient at zero or the ties are torch's choice (torch's p=0 norm is not connected
# to its input in the graph)
CASES += rows("norm-p", NORM_FORMS, grad=("p2", "p1", "pinf", "p0.5", "f64-keep"))
CASES += [
    Case(
        "norm-fro-none",
        lambda lib, x, x3: {
            "fro-dim-int": x.norm("fro", 1, True),
            "none": x.norm(None),
            "fro-3d-all": lib.norm(x3, "fro"),
            "2-three-dims": x3.norm(2, dim=(0, 1, 2)),
        },
        f32(2, 3),
        f32(2, 2, 2),
    ),
    Case(
        "norm-nuc",
        lambda lib, x, y: (lib.norm(x, "nuc"), y.norm("nuc", dim=(0, 2), keepdim=True)),
        X,
        f64(2, 3, 4),
    ),
    Case(
        "norm-dtype",
        lambda lib, x: (lib.norm(x, dtype=lib.float64), x.norm(2, 0, False, lib.float64)),
        f32(3),
    ),
    Case(
        "norm-edges",
        lambda lib, z, e: (z.norm(), z.norm(3), z.norm(INF), z.norm(0.5), e.norm(INF, dim=1)),
        np.zeros(4, np.float32),
        E,
    ),
    Case("norm-nuc-3d-error", lambda lib, x: lib.norm(x, "nuc"), f32(2, 2, 2)),
    Case("norm-fro-3-dims-error", lambda lib, x: lib.norm(x, "fro", dim=(0, 1, 2)), f32(2, 2, 2)),
    Case("norm-bad-str-error", lambda lib, x: lib.norm(x, "abc"), f32(2, 2)),
    Case("norm-narrowing-error", lambda lib, x: lib.norm(x, dtype=lib.float16), f32(3)),
    Case("norm-int-dtype-error", lambda lib, x: lib.norm(x, dtype=lib.int64), f32(3)),
    Case("norm-inf-empty-error", lambda lib, x: x.norm(INF), np.zeros(0, np.float32)),
    Case("norm-inf-empty-dim-error", lambda lib, x: x.norm(INF, dim=0), E),
    # p picks the program, so a tensor p must be concrete
    Case("norm-p-tensor", lambda lib, x: x.norm(lib.tensor(3.0)), f32(4), traced=False),
    Case(
        "second-order",
        lambda lib, x: tuple(lib.autograd.grad(y, x, create_graph=True)[0] for y in (x.norm(), x.norm(3), x.std())),
        f64(5),
    ),
]

# ---------------------------------------------------------------- std / var forms

STD_FORMS = {
    "plain": lambda f, x: f(x),
    "unbiased-positional": lambda f, x: f(x, False),
    "dim-unbiased-keepdim": lambda f, x: f(x, 0, True, True),
    "dim-kw-unbiased": lambda f, x: f(x, dim=1, unbiased=False),
    "correction": lambda f, x: f(x, 1, correction=2),
    "correction-0-keep": lambda f, x: f(x, (0, 1), correction=0, keepdim=True),
    "correction-float": lambda f, x: f(x, correction=0.5),
    "correction-none": lambda f, x: f(x, correction=None),
    "dim-neg-tuple": lambda f, x: f(x, (-1, 0)),
    "both": lambda f, x: f(x, 0, True, correction=1),
}
STD_INPUTS = {  # edge inputs: no degrees of freedom, zero spread (std's gradient is 0), zero-size, 0-d
    "one-element": (lambda f, x: f(x), a32(1.5)),
    "constant": (lambda f, x: f(x, 1), np.ones((2, 3), np.float32)),
    "empty": (lambda f, x: f(x), np.zeros(0, np.float32)),
    "0d-correction0": (lambda f, x: f(x, 0, correction=0), S),
    "f64-noncontig": (lambda f, x: f(x.t(), 1), f64(4, 3)),
    "int-all": (lambda f, x: f(x), i64(4)),
}
# one argument parser serves all four: its forms run on one op of each program (std / var, *_mean)
for name in ("std", "var", "std_mean", "var_mean"):
    forms = {}
    if name in ("std", "var_mean"):
        forms = {k: (lambda lib, x, n=name, g=g: g(getattr(lib, n), x), X) for k, g in STD_FORMS.items()}
    forms |= {k: (lambda lib, x, n=name, g=g: g(getattr(lib, n), x), x) for k, (g, x) in STD_INPUTS.items()}
    grad = ("correction-0-keep", "one-element", "constant") if forms.get("plain") else ("constant",)
    CASES += rows(f"{name}-args", forms, grad=grad, errors={"both", "int-all"})
CASES.append(Case("std-var-methods", lambda lib, x: (x.std(keepdim=True), x.var(-1)), X, grad=False))

# ---------------------------------------------------------------- logsumexp, softmax

CASES.append(
    Case(
        "logsumexp-special",
        # rows all -inf (torch's shift of 0) and with an inf; large values
        lambda lib, x, y: (x.logsumexp(1), y.logsumexp(0)),
        a32(-INF, -INF, -INF, INF, 1, 0).reshape(2, 3),
        a32(1000, 1000, -1000),
    )
)
for name in ("softmax", "log_softmax"):
    CASES += rows(
        name,
        {
            "fn": (function(name, 1), X3),
            "noncontig-kw": (lambda lib, x, n=name: getattr(x.transpose(0, 2), n)(dim=-1), X3),
            "neg-inf-dtype": (lambda lib, x, n=name: getattr(lib, n)(x, 0, dtype=lib.float64), a32(-INF, 2, 1)),
            "0d": (method(name, 0), S),
            "empty": (method(name, 1), E),
            "no-dim": (function(name), f32(3)),
        },
        grad=("noncontig-kw", "neg-inf-dtype"),
        errors={"no-dim"},
    )

# ---------------------------------------------------------------- sort, argsort, topk, kthvalue

SORT_NAN = a32(3, 1, 3, NAN, 1, 2, 3, -0.0, 0, NAN, 1, 2).reshape(2, 6)
SORT_TIES = ties(3, 6)
CASES += rows(
    "sort",
    {
        "f32": (method("sort"), f32(3, 6)),
        "ties-desc": (lambda lib, x: lib.sort(x, 1, descending=True), SORT_TIES),
        "ties-d0-stable": (lambda lib, x: lib.sort(x, stable=True, dim=0), SORT_TIES),
        "nan-zero": (lambda lib, x: (x.sort(), lib.sort(x, 1, descending=True)), SORT_NAN),
        "msort-f64": (lambda lib, x: (lib.msort(x), x.msort()), f64(4, 3)),
        "noncontig": (lambda lib, x: x.t().sort(0), ties(3, 5)),
        "0d": (method("sort"), S),
        "empty": (method("sort"), np.zeros((2, 0), np.float32)),
        "argsort": (lambda lib, x: (x.argsort(), lib.argsort(x, 0, descending=True)), SORT_TIES),
        "argsort-nan-zero": (lambda lib, x: (x.argsort(), lib.argsort(x, 0, descending=True)), SORT_NAN),
        "argsort-stable-kw": (lambda lib, x: lib.argsort(x, stable=True, descending=True), ties(10)),
        "oob": (method("sort", 2), X),
    },
    grad=("nan-zero",),
    errors={"oob"},
)
# torch's default CPU sort is unstable past 16 elements; stable=True pins the order of ties, and median,
# mode and cummax must not depend on it
CASES.append(
    Case(
        "wide-ties",
        lambda lib, x, n: {
            "sort-stable": (x.sort(stable=True), x.sort(descending=True, stable=True)),
            "median": (x.median(1), x.nanmedian(0)),
            "nanmedian-nan": n.nanmedian(1),
        },
        WIDE,
        np.where(R.uniform(size=(3, 30)) < 0.2, NAN, ties(3, 30)),
        grad=False,
    )
)
CASES += rows(
    "topk",
    {
        "largest": (method("topk", 3), f32(4, 6)),
        "smallest-d0": (lambda lib, x: lib.topk(x, 2, dim=0, largest=False), f32(4, 6)),
        "kw-all": (lambda lib, x: x.topk(k=5, dim=-1, largest=True, sorted=True), f64(3, 5)),
        "nan": (lambda lib, x: (x.topk(2), x.topk(2, largest=False)), a32(1, NAN, 3, 2)),
        "k0": (method("topk", 0), f32(2, 3)),
        "0d": (method("topk", 1), S),
        "empty": (method("topk", 0), np.zeros((2, 0), np.float32)),
        "noncontig": (lambda lib, x: x.t().topk(2), f32(5, 3)),
        "ties-values": (lambda lib, x: x.topk(3).values, ties(3, 8)),
        "too-big": (method("topk", 4), f32(3)),
        "negative": (method("topk", -1), f32(3)),
    },
    grad=("nan",),
    errors={"too-big", "negative"},
)
CASES += rows(
    "kthvalue",
    {
        "default": (method("kthvalue", 2), f32(3, 5)),
        "dim-keep": (lambda lib, x: lib.kthvalue(x, 3, 0, True), f32(3, 5)),
        "noncontig-kw": (lambda lib, x: x.t().kthvalue(k=2, dim=1, keepdim=False), f32(4, 3)),
        "nan": (lambda lib, x: (x.kthvalue(3), x.kthvalue(2)), a32(1, NAN, 2)),
        "0d": (method("kthvalue", 1), S),
        "ties-values": (lambda lib, x: x.kthvalue(3, 1).values, ties(3, 7)),
        "k0": (method("kthvalue", 0), f32(3)),
        "k-big": (method("kthvalue", 4), f32(3)),
        "empty": (method("kthvalue", 1), np.zeros((2, 0), np.float32)),
    },
    grad=("dim-keep", "nan"),
    errors={"k0", "k-big", "empty"},
)

# ---------------------------------------------------------------- quantile

Q = np.array([0.0, 0.25, 0.5, 1 / 6, 1.0], np.float32)
MODES = ("linear", "lower", "higher", "midpoint", "nearest")
for name in ("quantile", "nanquantile"):
    CASES.append(
        Case(
            f"{name}-modes",
            lambda lib, x, q, n=name: {m: getattr(x, n)(q, dim=1, keepdim=True, interpolation=m) for m in MODES},
            X,
            Q,
            grad=False,
        )
    )
    CASES += rows(
        name,
        {
            # rows: a NaN, none, all NaN
            "nan-rows": (function(name, 0.5, dim=1), a32(1, NAN, 3, 2, 4, 0, NAN, NAN, NAN).reshape(3, 3)),
            "none-keepdim": (lambda lib, x, n=name: getattr(lib, n)(x, lib.tensor([0.2, 0.7]), keepdim=True), X),
            "0d": (function(name, 0.2, dim=0), S),
            "ties": (function(name, 0.5, dim=0), ties(6, 3)),
            "q-range": (function(name, 1.5), f32(3)),
            "empty": (function(name, 0.5), np.zeros(0, np.float32)),
            "q-dtype": (lambda lib, x, n=name: getattr(lib, n)(x, lib.tensor([0.5], dtype=lib.float64)), f32(3)),
            "q-2d": (lambda lib, x, n=name: getattr(lib, n)(x, lib.tensor([[0.5]])), f32(3)),
            "mode": (function(name, 0.5, interpolation="foo"), f32(3)),
        },
        grad=("nan-rows", "ties"),
        errors={"q-range", "empty", "q-dtype", "q-2d", "mode"},
    )
# q a tensor that requires grad: only linear interpolation's weights depend on it
CASES.append(
    Case(
        "quantile-q-0d-tensor",
        lambda lib, x, q: lib.quantile(x, q, 0),
        f64(4, 2),
        np.asarray(0.3),
    )
)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_reduce(case, compat):
    compat(case)


# ---------------------------------------------------------------- in-place

INPLACE = [
    Case("cumsum_", lambda lib, x: (x.clone().cumsum_(1), x.clone().cumprod_(0)), X),
    Case("cumsum_-int32", lambda lib, x: x.clone().cumsum_(0), i64(4).astype(np.int32)),
    Case("cumsum_-view", lambda lib, x: _cumsum_row(x.clone()), X),
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
