"""Pointwise ops against torch: values, dtypes, gradients, errors, traced."""

from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import Case

R = np.random.RandomState(0)


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


def f64(*shape):
    return R.standard_normal(shape)


def i64(*shape, lo=-5, hi=6):
    return R.randint(lo, hi, shape).astype(np.int64)


def pos(*shape):
    return R.uniform(0.1, 3.0, shape).astype(np.float32)


UNARY = [
    "exp",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "sqrt",
    "rsqrt",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "sigmoid",
    "erf",
    "erfinv",
    "reciprocal",
    "neg",
    "abs",
    "sign",
    "floor",
    "ceil",
    "trunc",
    "frac",
    "round",
    "square",
    "relu",
]
DOMAIN = {"log": pos, "log1p": pos, "log2": pos, "log10": pos, "sqrt": pos, "rsqrt": pos, "reciprocal": pos}
UNIT = {"asin", "acos", "erfinv", "atanh"}

CASES = []
for name in UNARY:
    gen = DOMAIN.get(name, f32)
    x = gen(3, 4) if name not in UNIT else R.uniform(-0.9, 0.9, (3, 4)).astype(np.float32)
    CASES.append(Case(f"{name}-f32", lambda lib, x, n=name: getattr(lib, n)(x), x))
    CASES.append(Case(f"{name}-method-0d", lambda lib, x, n=name: getattr(x, n)(), np.asarray(x[0, 0])))
    if name not in ("erfinv",):
        suffix = "-int-error" if name == "frac" else "-int"
        CASES.append(Case(f"{name}{suffix}", lambda lib, x, n=name: getattr(lib, n)(x), i64(5, lo=1, hi=4)))
    CASES.append(Case(f"{name}-f64-empty", lambda lib, x, n=name: getattr(lib, n)(x), np.zeros((0, 3))))

# kinks: torch's subgradient choices
CASES += [
    Case("abs-at-zero", lambda lib, x: x.abs(), np.array([-1.0, 0.0, 2.0], np.float32)),
    Case("relu-at-zero", lambda lib, x: lib.relu(x), np.array([-1.0, 0.0, 2.0], np.float32)),
    Case("clamp-at-bounds", lambda lib, x: x.clamp(-1.0, 1.0), np.array([-2.0, -1.0, 0.0, 1.0, 2.0], np.float32)),
    Case("clamp-min-only", lambda lib, x: lib.clamp(x, min=0.0), np.array([-2.0, 0.0, 2.0], np.float32)),
    Case(
        "clamp-tensor-bounds",
        lambda lib, x, lo, hi: x.clamp(lo, hi),
        f32(3, 4),
        f32(3, 4, lo=-2, hi=-0.5),
        f32(4, lo=0.5, hi=2),
    ),
    Case("clamp-int", lambda lib, x: x.clamp(-2, 3), i64(6)),
    Case("clamp-none-error", lambda lib, x: x.clamp(), f32(3)),
    Case(
        "maximum-ties",
        lambda lib, a, b: lib.maximum(a, b),
        np.array([1.0, 2.0, 3.0], np.float32),
        np.array([1.0, 0.0, 3.0], np.float32),
    ),
    Case("pow-zero-base", lambda lib, x: x**2, np.array([0.0, 1.0, -2.0], np.float32)),
    Case("pow-zero-exp", lambda lib, x: x**0, np.array([0.0, 1.0, -2.0], np.float32)),
    Case("sqrt-zero", lambda lib, x: x.sqrt(), np.array([0.0, 4.0], np.float32)),
    Case("round-decimals", lambda lib, x: lib.round(x, decimals=2), f32(5) * 10),
    Case("round-half-even", lambda lib, x: lib.round(x), np.array([0.5, 1.5, 2.5, -0.5, -1.5], np.float32)),
]

BINARY = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "truediv": lambda lib, a, b: a / b,
    "floordiv": lambda lib, a, b: a // b,
    "mod": lambda lib, a, b: a % b,
    "pow": lambda lib, a, b: lib.pow(a.abs() + 0.5, b) if a.is_floating_point() else a ** abs(b),
    "atan2": lambda lib, a, b: lib.atan2(a, b),
    "hypot": lambda lib, a, b: lib.hypot(a, b) if a.is_floating_point() else lib.tensor(0.0),
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: lib.minimum(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b),
    "remainder": lambda lib, a, b: lib.remainder(a, b),
    "logaddexp": lambda lib, a, b: lib.logaddexp(a, b) if a.is_floating_point() else lib.tensor(0.0),
    "eq": lambda lib, a, b: a == b,
    "ne": lambda lib, a, b: a != b,
    "lt": lambda lib, a, b: a < b,
    "le": lambda lib, a, b: lib.le(a, b),
    "gt": lambda lib, a, b: lib.gt(a, b),
    "ge": lambda lib, a, b: a >= b,
    "div-trunc": lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
    "div-floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
}


def nonzero_i64(*shape):
    v = i64(*shape)
    v[v == 0] = 3
    return v


SHAPES = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((), (3,)), ((0, 3), (3,))]
SCALAR_OK = {
    "add",
    "sub",
    "mul",
    "truediv",
    "floordiv",
    "mod",
    "pow",
    "fmod",
    "remainder",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "div-trunc",
    "div-floor",
}
for name, fn in BINARY.items():
    g = name != "floordiv"  # torch has no derivative for floor_divide (see the error row below)
    err = "" if name in SCALAR_OK else "-error"
    for sa, sb in SHAPES:
        CASES.append(
            Case(
                f"{name}-f32-{sa}-{sb}",
                fn,
                f32(*sa),
                f32(*sb) + np.float32(2.5) * (np.sign(f32(*sb)) + (f32(*sb) == 0)),
                grad=g,
            )
        )
    CASES.append(Case(f"{name}-i64", fn, i64(4), nonzero_i64(4)))
    CASES.append(Case(f"{name}-i64-f32", fn, i64(3, 4), pos(4), grad=g))
    CASES.append(Case(f"{name}-f64-0d-f32", fn, f32(3), np.asarray(2.5), grad=g))
    CASES.append(Case(f"{name}-scalar{err}", lambda lib, a, fn=fn: fn(lib, a, 2), f32(3, 2), grad=g))
    CASES.append(Case(f"{name}-float-scalar-on-int{err}", lambda lib, a, fn=fn: fn(lib, a, 1.5), i64(5)))
    CASES.append(
        Case(f"{name}-noncontig", lambda lib, a, b, fn=fn: fn(lib, a.t(), b[:, ::2]), f32(4, 3), pos(3, 8), grad=g)
    )
CASES.append(Case("floordiv-grad-error", lambda lib, a, b: a // b, f32(3), pos(3)))

CASES += [
    Case("radd", lambda lib, a: 2 + a, f32(3)),
    Case("rsub", lambda lib, a: 2 - a, f32(3)),
    Case("rmul", lambda lib, a: 1.5 * a, i64(3)),
    Case("rtruediv", lambda lib, a: 1 / a, pos(3)),
    Case("rpow", lambda lib, a: 2**a, f32(3)),
    Case("rpow-int", lambda lib, a: 2**a, i64(3, lo=0, hi=5)),
    Case("add-alpha", lambda lib, a, b: lib.add(a, b, alpha=2), f32(3), f32(3)),
    Case("sub-alpha", lambda lib, a, b: a.sub(b, alpha=0.5), f32(3), f32(3)),
    Case("bool-add", lambda lib, a, b: a + b, np.array([True, False]), np.array([True, True])),
    Case("bool-mul-int", lambda lib, a: a * 3, np.array([True, False])),
    Case("bool-sub-error", lambda lib, a, b: a - b, np.array([True, False]), np.array([True, True])),
    Case("neg-bool-error", lambda lib, a: -a, np.array([True, False])),
    Case("int-div-int", lambda lib, a, b: a / b, i64(4), nonzero_i64(4)),
    Case("int-pow-neg-error", lambda lib, a: a**-1, i64(4)),
    Case("f16-add", lambda lib, a, b: a + b, f32(4).astype(np.float16), f32(4).astype(np.float16)),
    Case("f16-plus-f64-0d", lambda lib, a, b: a + b, f32(4).astype(np.float16), np.asarray(1.5)),
    Case("i32-plus-i64-0d", lambda lib, a, b: a + b, i64(4).astype(np.int32), np.asarray(7)),
    Case("u8-plus-i8", lambda lib, a, b: a + b, np.array([1, 200], np.uint8), np.array([-3, 4], np.int8)),
    Case("broadcast-error", lambda lib, a, b: a + b, f32(3), f32(4)),
    Case("add-str-error", lambda lib, a: a + "x", f32(3)),
    Case("lerp-scalar", lambda lib, a, b: lib.lerp(a, b, 0.3), f32(4), f32(4)),
    Case("lerp-tensor", lambda lib, a, b, w: a.lerp(b, w), f32(4), f32(4), R.uniform(0, 1, 4).astype(np.float32)),
    Case("addcmul", lambda lib, a, b, c: lib.addcmul(a, b, c, value=0.5), f32(3), f32(3), f32(3)),
    Case("addcdiv", lambda lib, a, b, c: a.addcdiv(b, c, value=2), f32(3), f32(3), pos(3)),
    Case("where", lambda lib, c, a, b: lib.where(c > 0, a, b), f32(3, 4), f32(3, 4), f32(4)),
    Case("where-scalar", lambda lib, c, a: lib.where(c > 0, a, 0.0), f32(3, 4), f32(3, 4)),
    Case("where-int-float", lambda lib, c, a, b: lib.where(c > 0, a, b), f32(4), i64(4), f32(4)),
    Case("where-method", lambda lib, c, a: a.where(c > 0, -a), f32(4), f32(4)),
    Case("masked_fill", lambda lib, x: x.masked_fill(x > 0, -1.0), f32(3, 4)),
    Case("masked_fill-int-mask-error", lambda lib, x, m: x.masked_fill(m, 1.0), f32(3), i64(3)),
    Case("isclose", lambda lib, a, b: lib.isclose(a, a + b * 1e-6), f32(5), f32(5)),
    Case("allclose", lambda lib, a: lib.allclose(a, a + 1e-9), f64(5), traced=False),
    Case("equal", lambda lib, a: (lib.equal(a, a.clone()), lib.equal(a, a + 1)), f32(3), traced=False),
    Case(
        "isnan-isinf-isfinite",
        lambda lib, x: (x.isnan(), lib.isinf(x), lib.isfinite(x)),
        np.array([1.0, np.nan, np.inf, -np.inf], np.float32),
    ),
    Case("isnan-int", lambda lib, x: x.isnan(), i64(3)),
    Case(
        "logical",
        lambda lib, a, b: (
            lib.logical_and(a > 0, b > 0),
            lib.logical_or(a, b),
            lib.logical_xor(a > 0, b),
            lib.logical_not(a),
        ),
        f32(4),
        f32(4),
    ),
    Case("bitwise", lambda lib, a, b: (a & b, a | b, a ^ b, ~a, lib.bitwise_and(a, 3)), i64(5), i64(5)),
    Case(
        "bool-ops",
        lambda lib, a, b: (a & b, a | b, a ^ b, ~a),
        np.array([True, False, True]),
        np.array([True, True, False]),
    ),
    Case("bitwise-float-error", lambda lib, a, b: a & b, f32(3), f32(3)),
    Case("sigmoid-tanh-large", lambda lib, x: (x.sigmoid(), x.tanh()), np.array([-100.0, 0.0, 100.0], np.float32)),
    Case(
        "nan_to_num",
        lambda lib, x: lib.nan_to_num(x, nan=0.0, posinf=1.0),
        np.array([1.0, np.nan, np.inf, -np.inf], np.float32),
    ),
    Case("float_power", lambda lib, a: lib.float_power(a, 2), f32(3)),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_pointwise(case, compat):
    compat(case)


INPLACE = [
    Case("add_", lambda lib, a, b: a.clone().add_(b), f32(3, 4), f32(4)),
    Case("mul_-scalar", lambda lib, a: a.clone().mul_(2.5), f32(3)),
    Case("iadd", lambda lib, a: _iadd(a.clone()), f32(3)),
    Case("sub_-int-float-error", lambda lib, a: a.clone().sub_(1.5), i64(3)),
    Case("add_-broadcast-error", lambda lib, a, b: a.clone().add_(b), f32(4), f32(3, 4)),
    Case("clamp_", lambda lib, a: a.clone().clamp_(min=-0.5, max=0.5), f32(6)),
    Case("exp_-int-error", lambda lib, a: a.clone().exp_(), i64(3)),
    Case("masked_fill_", lambda lib, a: a.clone().masked_fill_(a < 0, 0.0), f32(3, 3)),
    Case("leaf-inplace-error", lambda lib, a: a.add_(1), f32(3)),
    Case("div_-int-error", lambda lib, a: a.clone().div_(2), i64(3)),
    Case("fill_-zero_", lambda lib, a: (a.clone().fill_(2.5), a.clone().zero_(), a.long().fill_(3.7)), f32(3, 2)),
    Case("fill_-tensor-grad", lambda lib, a, v: a.clone().fill_(v * 2), f32(3), np.asarray(1.5, np.float32)),
    Case("fill_-nd-error", lambda lib, a: a.clone().fill_(a), f32(3)),
    Case("copy_-broadcast-grad", lambda lib, a, b: a.clone().copy_(b * 3), f32(2, 3), f32(3)),
    Case("copy_-cast", lambda lib, a, b: (a.copy_(b), a), i64(3), f32(3) * 4),
    Case("copy_-shape-error", lambda lib, a, b: a.clone().copy_(b), f32(3), f32(4)),
    Case(
        "view-inplace",
        lambda lib, a: (
            a.clone().squeeze_(),
            a.clone().unsqueeze_(1).shape,
            a.clone().t_(),
            a.clone().transpose_(0, 1).shape,
        ),
        f32(3, 1),
    ),
    Case("zero_-through-view", lambda lib, a: _zero_row(a.clone()), f32(3, 4)),
]


def _zero_row(x):
    x[1].zero_()
    x.t()[0].fill_(7)
    return x


def _iadd(x):
    x += 1
    x *= 2
    return x


@pytest.mark.parametrize("case", INPLACE, ids=repr)
def test_inplace(case, compat):
    compat(case)
