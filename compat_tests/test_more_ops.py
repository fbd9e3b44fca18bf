"""More pointwise math, torch.special, predicates, alias families and small tensor methods against torch."""

from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import Case

R = np.random.RandomState(7)


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


def f64(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, shape)


def i64(*shape, lo=-5, hi=6):
    return R.randint(lo, hi, shape).astype(np.int64)


def unit(*shape):
    return R.uniform(0.05, 0.95, shape).astype(np.float32)


def pos(*shape, lo=0.5, hi=4.0):
    return R.uniform(lo, hi, shape).astype(np.float32)


# ---------------------------------------------------------------- pointwise math

MATH = [
    Case("deg2rad-f32", lambda lib, x: lib.deg2rad(x), f32(3, 4) * 90),
    Case("deg2rad-int", lambda lib, x: lib.deg2rad(x), i64(5) * 45),
    Case("deg2rad-0d-method", lambda lib, x: x.deg2rad(), np.asarray(180.0)),
    Case("rad2deg-f64", lambda lib, x: lib.rad2deg(x), f64(4)),
    Case("rad2deg-int", lambda lib, x: x.rad2deg(), i64(3)),
    Case("deg2rad_-inplace", lambda lib, x: _same(x.clone(), "deg2rad_"), f32(3)),
    Case("rad2deg_-int-error", lambda lib, x: x.rad2deg_(), i64(3)),
    Case(
        "heaviside",
        lambda lib, x, v: lib.heaviside(x, v),
        np.array([-1.0, 0.0, 2.0, 0.0], np.float32),
        np.array([0.5, 0.25, 0.5, 3.0], np.float32),
        grad=False,
    ),
    Case("heaviside-int-broadcast", lambda lib, x, v: x.heaviside(v), i64(3, 4, lo=-1, hi=2), i64(4)),
    Case("heaviside-grad-error", lambda lib, x, v: lib.heaviside(x, v), f32(3), f32(3)),
    Case("heaviside-dtypes-error", lambda lib, x, v: lib.heaviside(x, v), f32(3), f64(3)),
    Case("heaviside_", lambda lib, x, v: _same(x.clone(), "heaviside_", v), f32(3), f32(3), grad=False),
    Case("logit", lambda lib, x: lib.logit(x), unit(3, 4)),
    Case("logit-eps", lambda lib, x: lib.logit(x, eps=0.2), np.array([0.0, 0.1, 0.5, 0.9, 1.0], np.float32)),
    Case("logit-int", lambda lib, x: lib.logit(x), np.array([0, 1], np.int64)),
    Case("logit-f64-method", lambda lib, x: x.logit(1e-3), unit(4).astype(np.float64)),
    Case("logit_", lambda lib, x: _same(x.clone(), "logit_", 0.1), unit(4)),
    Case("gcd", lambda lib, a, b: lib.gcd(a, b), i64(4, 3, lo=-12, hi=13), i64(3, lo=-12, hi=13)),
    Case("gcd-zeros-int32", lambda lib, a, b: lib.gcd(a.int(), b), np.array([0, 0, 4, -6]), np.array([0, 5, 0, 4])),
    Case("lcm", lambda lib, a, b: a.lcm(b), i64(5, lo=-9, hi=10), i64(5, lo=-9, hi=10)),
    Case("gcd-float-error", lambda lib, a, b: lib.gcd(a, b), f32(3), f32(3)),
    Case("lcm-scalar-error", lambda lib, a: lib.lcm(a, 3), i64(3)),
    Case("gcd_-lcm_", lambda lib, a, b: (_same(a.clone(), "gcd_", b), _same(a.clone(), "lcm_", b)), i64(4), i64(4)),
    Case("ldexp", lambda lib, a, b: lib.ldexp(a, b), f32(3, 4), i64(4, lo=-3, hi=4)),
    Case("ldexp-float-exp-grad", lambda lib, a, b: lib.ldexp(a, b), f32(3), f32(3)),
    Case("ldexp-int-int", lambda lib, a, b: a.ldexp(b), i64(3), i64(3, lo=0, hi=4)),
    Case("ldexp-f64-0d", lambda lib, a, b: lib.ldexp(a, b), f64(3), np.asarray(2.0, np.float32)),
    Case("ldexp_", lambda lib, a, b: _same(a.clone(), "ldexp_", b), f32(3), i64(3, lo=0, hi=3)),
    Case("frexp", lambda lib, x: lib.frexp(x), np.array([8.0, 3.0, -0.3, 0.0, 1e-3, 1e6], np.float32)),
    Case("frexp-f64-method-grad", lambda lib, x: x.frexp(), f64(3, 2) * 100),
    Case("frexp-nonfinite", lambda lib, x: lib.frexp(x), np.array([np.inf, -np.inf, np.nan]), grad=False),
    Case("frexp-int-error", lambda lib, x: lib.frexp(x), i64(3)),
    Case("nextafter", lambda lib, a, b: lib.nextafter(a, b), f32(4), np.array([3.0, -3.0, 0.0, 1.0], np.float32)),
    Case("nextafter-f64", lambda lib, a, b: a.nextafter(b), f64(3), f64(3)),
    Case("nextafter-int-error", lambda lib, a, b: lib.nextafter(a, b), i64(3), i64(3)),
    Case("nextafter_", lambda lib, a, b: _same(a.clone(), "nextafter_", b), f32(4), f32(4)),
    Case("i0", lambda lib, x: lib.i0(x), f32(3, 4) * 2),
    Case("i0-int", lambda lib, x: x.i0(), i64(4)),
    Case("i0_", lambda lib, x: _same(x.clone(), "i0_"), f64(4)),
    # torch's sgn gradient for real inputs is a ZeroTensor, which has no numpy form: values only
    Case("sgn", lambda lib, x: lib.sgn(x), np.array([-2.0, 0.0, 3.0, -0.0], np.float32), grad=False),
    Case("sgn-int-bool", lambda lib, x: (x.sgn(), (x > 0).sgn()), i64(5)),
    Case("sgn_", lambda lib, x: _same(x.clone(), "sgn_"), f32(4), grad=False),
    Case("positive", lambda lib, x: (lib.positive(x), lib.positive(x) is x, x.positive() is x), f32(3)),
    Case("positive-bool-error", lambda lib, x: lib.positive(x > 0), f32(3)),
    Case("positive-int", lambda lib, x: lib.positive(x), i64(3)),
    Case("polygamma-0", lambda lib, x: lib.polygamma(0, x), pos(5)),
    Case("polygamma-1", lambda lib, x: lib.polygamma(1, x), pos(5)),
    Case("polygamma-3-f64", lambda lib, x: lib.polygamma(3, x), pos(4).astype(np.float64), rtol=1e-8, atol=1e-8),
    Case("polygamma-method-int", lambda lib, x: x.polygamma(2), np.array([1, 2, 5])),
    Case("polygamma_", lambda lib, x: _same(x.clone(), "polygamma_", 1), pos(4)),
    Case("polygamma-negative-error", lambda lib, x: lib.polygamma(-1, x), pos(3)),
    Case("mvlgamma", lambda lib, x: lib.mvlgamma(x, 3), pos(4, lo=1.5, hi=5)),
    Case("mvlgamma-p1-method", lambda lib, x: x.mvlgamma(1), pos(2, 3)),
    Case("mvlgamma-int", lambda lib, x: lib.mvlgamma(x, 2), np.array([3, 4])),
    Case("mvlgamma-below-domain", lambda lib, x: lib.mvlgamma(x, 3), np.array([0.5, 3.0], np.float32), grad=False),
    Case("mvlgamma_", lambda lib, x: _same(x.clone(), "mvlgamma_", 2), pos(3, lo=1, hi=4)),
    Case("igamma", lambda lib, a, x: lib.igamma(a.detach(), x), pos(3, 4), pos(4)),
    Case("igammac", lambda lib, a, x: a.detach().igammac(x), pos(5), pos(5)),
    Case(
        "igamma-int-f64", lambda lib, a, x: lib.igamma(a, x), np.array([1, 2, 3]), pos(3).astype(np.float64), rtol=1e-8
    ),
    Case("igamma-input-grad-error", lambda lib, a, x: lib.igamma(a, x), pos(3), pos(3)),
    Case(
        "igamma_-igammac_",
        lambda lib, a, x: (_same(a.clone(), "igamma_", x), _same(a.clone(), "igammac_", x)),
        pos(3),
        pos(3),
        grad=False,
    ),
]


def _same(t, name, *args):
    """An in-place method: its result, and whether it is the tensor itself."""
    r = getattr(t, name)(*args)
    return r, r is t


@pytest.mark.parametrize("case", MATH, ids=repr)
def test_math(case, compat):
    compat(case)


# ---------------------------------------------------------------- torch.special

SPECIAL_UNARY = {
    "expit": f32,
    "erf": f32,
    "erfc": f32,
    "erfcx": f32,
    "erfinv": lambda *s: f32(*s, lo=-0.9, hi=0.9),
    "log1p": pos,
    "expm1": f32,
    "exp2": f32,
    "gammaln": pos,
    "digamma": pos,
    "psi": pos,
    "i0": f32,
    "i0e": f32,
    "i1": f32,
    "i1e": f32,
    "ndtr": f32,
    "ndtri": unit,
    "log_ndtr": f32,
    "sinc": f32,
    "round": lambda *s: f32(*s) * 5,
    "entr": lambda *s: np.abs(f32(*s)),
    "logit": unit,
}
SPECIAL = []
for _n, _gen in SPECIAL_UNARY.items():
    SPECIAL.append(Case(f"special.{_n}", lambda lib, x, n=_n: getattr(lib.special, n)(x), _gen(3, 4)))
    SPECIAL.append(
        Case(
            f"special.{_n}-f64-0d", lambda lib, x, n=_n: getattr(lib.special, n)(x), np.asarray(_gen(1)[0], np.float64)
        )
    )
for _n in ("bessel_j0", "bessel_j1", "modified_bessel_i0", "modified_bessel_i1"):
    SPECIAL.append(Case(f"special.{_n}", lambda lib, x, n=_n: getattr(lib.special, n)(x), f32(6) * 4, grad=False))
    SPECIAL.append(Case(f"special.{_n}-f64", lambda lib, x, n=_n: getattr(lib.special, n)(x).requires_grad, f64(3)))
SPECIAL += [
    Case(
        "special.entr-special-values",
        lambda lib, x: lib.special.entr(x),
        np.array([0.0, -1.0, 0.5, np.inf], np.float32),
        grad=False,
    ),
    Case("special.entr-int", lambda lib, x: lib.special.entr(x), np.array([0, 1, 2])),
    Case("special.xlogy", lambda lib, a, b: lib.special.xlogy(a, b), f32(3, 4), pos(4)),
    Case("special.xlog1py", lambda lib, a, b: lib.special.xlog1py(a, b), f32(3, 4), pos(4)),
    Case(
        "special.xlog1py-zero-scalar",
        lambda lib, b: lib.special.xlog1py(0.0, b),
        np.array([-1.0, 0.0, 2.0], np.float32),
    ),
    Case("special.xlog1py-int", lambda lib, a, b: lib.special.xlog1py(a, b), i64(3, lo=0), i64(3, lo=0)),
    Case("special.zeta", lambda lib, x, q: lib.special.zeta(x, q), pos(4, lo=1.5, hi=4), pos(4), grad=False),
    Case("special.zeta-scalar", lambda lib, x: lib.special.zeta(x, 1.0), pos(3, lo=1.5, hi=4), grad=False),
    Case("special.zeta-grad-error", lambda lib, x, q: lib.special.zeta(x, q), pos(3, lo=1.5), pos(3)),
    Case("special.gammainc", lambda lib, a, x: lib.special.gammainc(a.detach(), x), pos(4), pos(4)),
    Case("special.gammaincc", lambda lib, a, x: lib.special.gammaincc(a.detach(), x), pos(4), pos(4)),
    Case("special.polygamma", lambda lib, x: lib.special.polygamma(2, x), pos(4)),
    Case("special.multigammaln", lambda lib, x: lib.special.multigammaln(x, 2), pos(4, lo=1, hi=4)),
    Case("special.logit-eps", lambda lib, x: lib.special.logit(x, eps=0.25), unit(5)),
    Case("special.softmax", lambda lib, x: lib.special.softmax(x, 1), f32(3, 4)),
    Case("special.softmax-dtype", lambda lib, x: lib.special.softmax(x, 0, dtype=lib.float64), f32(3, 4)),
    Case("special.log_softmax", lambda lib, x: lib.special.log_softmax(x, -1), f32(3, 4)),
    Case("special.logsumexp", lambda lib, x: lib.special.logsumexp(x, 1, keepdim=True), f32(3, 4)),
]


@pytest.mark.parametrize("case", SPECIAL, ids=repr)
def test_special(case, compat):
    compat(case)


# ---------------------------------------------------------------- torch.X_(input) in-place functions

_INPLACE_FN = {
    "abs_": (), "acos_": "unit", "acosh_": "big", "arccos_": "unit", "arccosh_": "big", "arcsin_": "unit",
    "arcsinh_": (), "arctan_": (), "arctanh_": "unit", "asin_": "unit", "asinh_": (), "atan_": (), "atanh_": "unit",
    "ceil_": (), "cos_": (), "cosh_": (), "deg2rad_": (), "erf_": (), "erfc_": (), "exp2_": (), "exp_": (),
    "expm1_": (), "fix_": (), "floor_": (), "frac_": (), "i0_": (), "log10_": "pos", "log1p_": "pos", "log2_": "pos",
    "log_": "pos", "logit_": "unit", "neg_": (), "negative_": (), "rad2deg_": (), "reciprocal_": "pos", "relu_": (),
    "round_": (), "rsqrt_": "pos", "sigmoid_": (), "sin_": (), "sinc_": (), "sinh_": (), "sqrt_": "pos",
    "square_": (), "tan_": (), "tanh_": (), "trunc_": (), "zero_": (), "detach_": (),
}  # fmt: skip
_DOMAIN = {"unit": lambda: unit(3) * 0.9, "big": lambda: pos(3, lo=1.5), "pos": lambda: pos(3), (): lambda: f32(3)}

# torch has no derivative for the in-place inverse hyperbolics (Tensor.acosh_ is pointwise.py's): values only
_NO_GRAD = {"acosh_", "arccosh_", "asinh_", "arcsinh_", "atanh_", "arctanh_"}
INPLACE_FN = [
    Case(f"torch.{n}", lambda lib, x, n=n: _same_fn(lib, n, x.clone()), _DOMAIN[d](), grad=n not in _NO_GRAD)
    for n, d in _INPLACE_FN.items()
]
INPLACE_FN += [
    Case("torch.clamp_", lambda lib, x: _same_fn(lib, "clamp_", x.clone(), -0.5, 0.5), f32(4)),
    Case(
        "torch.clamp_min_-max_",
        lambda lib, x: (_same_fn(lib, "clamp_min_", x.clone(), 0.0), _same_fn(lib, "clamp_max_", x.clone(), 0.0)),
        f32(4),
    ),
    Case("torch.clip_", lambda lib, x: _same_fn(lib, "clip_", x.clone(), min=-1.0), f32(4)),
    Case(
        "torch.nan_to_num_",
        lambda lib, x: _same_fn(lib, "nan_to_num_", x.clone(), posinf=5.0),
        np.array([np.nan, np.inf, 1.0], np.float32),
    ),
    Case("torch.xlogy_", lambda lib, x, y: _same_fn(lib, "xlogy_", x.clone(), y), f32(4), pos(4)),
    Case(
        "torch.gcd_-lcm_",
        lambda lib, x, y: (_same_fn(lib, "gcd_", x.clone(), y), _same_fn(lib, "lcm_", x.clone(), y)),
        i64(4),
        i64(4),
    ),
    Case("torch.ldexp_", lambda lib, x, y: _same_fn(lib, "ldexp_", x.clone(), y), f32(4), i64(4, lo=0, hi=3)),
    Case("torch.fill_", lambda lib, x: _same_fn(lib, "fill_", x.clone(), 2.5), f32(2, 3)),
    Case("torch.fill", lambda lib, x: (lib.fill(x, 3.0), x), f32(2, 3)),
    Case("torch.fill-tensor-value", lambda lib, x, v: lib.fill(x, v), f32(3), np.asarray(1.5, np.float32)),
    Case(
        "torch.index_put_",
        lambda lib, x, v: _same_fn(lib, "index_put_", x.clone(), (lib.tensor([0, 2]),), v),
        f32(4),
        f32(2),
    ),
    Case("torch.addmv_", lambda lib, x, m, v: _same_fn(lib, "addmv_", x.clone(), m, v), f32(3), f32(3, 4), f32(4)),
    Case("torch.as_strided_", lambda lib, x: _as_strided_(x.clone()), f32(3, 4)),
    Case("torch.detach_-grad", lambda lib, x: _detach_(lib, x * 2), f32(3)),
    Case("torch.exp_-int-error", lambda lib, x: lib.exp_(x.clone()), i64(3)),
    Case("torch.abs_-not-tensor-error", lambda lib, x: lib.abs_([1.0]), f32(1)),
    Case("torch.sqrt_-leaf-error", lambda lib, x: lib.sqrt_(x), pos(3)),
]


def _same_fn(lib, name, t, *args, **kwargs):
    r = getattr(lib, name)(t, *args, **kwargs)
    return r, r is t


def _as_strided_(x):
    r = x.as_strided_((2, 2), (1, 4), 1)
    return r, r is x, x.shape, x.stride(), x.storage_offset()


def _detach_(lib, y):
    r = lib.detach_(y)
    return r, r is y, y.requires_grad, y.grad_fn is None


@pytest.mark.parametrize("case", INPLACE_FN, ids=repr)
def test_inplace_functions(case, compat):
    compat(case)


# ---------------------------------------------------------------- *_copy functions


def _copy(name, *args, **kwargs):
    """A view-copy function: its result, and the input after writing into the result (must not alias)."""

    def fn(lib, x):
        y = x.detach().clone()
        r = getattr(lib, name)(y, *args, **kwargs)
        first = r[0] if isinstance(r, (tuple, list)) else r
        if first.numel():
            first.view(-1)[0] = 100
        return r, y, (r[0] if isinstance(r, (tuple, list)) else r).is_contiguous()

    return fn


def _copy_grad(name, *args, **kwargs):
    return lambda lib, x: getattr(lib, name)(x, *args, **kwargs)


_COPY_ROWS = {
    "alias_copy": ((), f32(3, 4)),
    "as_strided_copy": (((2, 2), (1, 3), 1), f32(3, 4)),
    "diagonal_copy": ((1,), f32(3, 4)),
    "expand_copy": (((2, 3, 4),), f32(3, 1)),
    "narrow_copy": ((1, 1, 2), f32(3, 4)),
    "permute_copy": (((1, 0),), f32(3, 4)),
    "select_copy": ((1, 2), f32(3, 4)),
    "slice_copy": ((1, 1, None, 2), f32(3, 4)),
    "split_copy": ((2,), f32(5, 2)),
    "split_with_sizes_copy": (([1, 3], 1), f32(2, 4)),
    "squeeze_copy": ((), f32(3, 1)),
    "t_copy": ((), f32(3, 4)),
    "transpose_copy": ((0, 1), f32(3, 4)),
    "unbind_copy": ((1,), f32(3, 2)),
    "unfold_copy": ((0, 2, 1), f32(4, 2)),
    "unsqueeze_copy": ((1,), f32(3, 4)),
    "view_copy": (((4, 3),), f32(3, 4)),
}
COPIES = []
for _n, (_args, _x) in _COPY_ROWS.items():
    COPIES.append(Case(f"{_n}-no-alias", _copy(_n, *_args), _x, grad=False))
    COPIES.append(Case(f"{_n}-grad", _copy_grad(_n, *_args), _x))
COPIES += [
    Case("slice_copy-defaults", lambda lib, x: lib.slice_copy(x), f32(3, 2)),
    Case("squeeze_copy-dim", lambda lib, x: lib.squeeze_copy(x, 1), f32(3, 1, 1)),
    Case("view_copy-dtype", lambda lib, x: lib.view_copy(x, lib.int32), f32(3)),
    Case("select_copy-out", lambda lib, x, o: (lib.select_copy(x, 0, 1, out=o), o), f32(2, 3), f32(3), grad=False),
    Case("select_copy-range-error", lambda lib, x: lib.select_copy(x, 0, 5), f32(2, 3)),
    Case("permute_copy-dims-error", lambda lib, x: lib.permute_copy(x, (0,)), f32(2, 3)),
    Case("narrow_copy-method", lambda lib, x: x.narrow_copy(0, 1, 2), f32(4, 2)),
    Case("detach_copy-requires-grad", lambda lib, x: lib.detach_copy(x * 2).requires_grad, f32(3), grad=False),
    Case("detach_copy-backward-error", lambda lib, x: lib.detach_copy(x * 2).sum().backward(), f32(3)),
]


@pytest.mark.parametrize("case", COPIES, ids=repr)
def test_copies(case, compat):
    compat(case)


# ---------------------------------------------------------------- splits, scatters, small methods

SHAPES = [
    Case("split_with_sizes", lambda lib, x: lib.split_with_sizes(x, [1, 2, 1]), f32(4, 3)),
    Case("split_with_sizes-method-dim", lambda lib, x: x.split_with_sizes([2, 1], 1), f32(4, 3)),
    Case("split_with_sizes-sum-error", lambda lib, x: lib.split_with_sizes(x, [1, 1]), f32(4, 3)),
    Case("unsafe_split", lambda lib, x: (lib.unsafe_split(x, 3), x.unsafe_split(2, 1)), f32(5, 3)),
    Case("unsafe_split_with_sizes", lambda lib, x: lib.unsafe_split_with_sizes(x, [2, 3]), f32(5, 3)),
    Case("unsafe_chunk", lambda lib, x: (lib.unsafe_chunk(x, 2), x.unsafe_chunk(3, 1)), f32(5, 3)),
    Case("hsplit-int", lambda lib, x: lib.hsplit(x, 2), f32(3, 4)),
    Case("hsplit-list-method", lambda lib, x: x.hsplit([1, 3]), f32(3, 4)),
    Case("hsplit-1d", lambda lib, x: lib.hsplit(x, 3), f32(6)),
    Case("hsplit-indivisible-error", lambda lib, x: lib.hsplit(x, 3), f32(2, 4)),
    Case("hsplit-0d-error", lambda lib, x: lib.hsplit(x, [1]), np.asarray(1.0, np.float32)),
    Case("vsplit", lambda lib, x: (lib.vsplit(x, 2), x.vsplit([1])), f32(4, 2)),
    Case("vsplit-1d-error", lambda lib, x: lib.vsplit(x, 2), f32(4)),
    Case("vsplit-zero-error", lambda lib, x: lib.vsplit(x, 0), f32(4, 2)),
    Case("dsplit", lambda lib, x: (lib.dsplit(x, [1, 3]), x.dsplit(2)), f32(2, 2, 4)),
    Case("dsplit-2d-error", lambda lib, x: lib.dsplit(x, 2), f32(2, 4)),
    Case("select_scatter", lambda lib, x, s: lib.select_scatter(x, s, 0, 1), f32(3, 4), f32(4)),
    Case("select_scatter-neg-method", lambda lib, x, s: x.select_scatter(s, -1, -1), f32(3, 4), f32(3)),
    Case("select_scatter-cast", lambda lib, x, s: lib.select_scatter(x, s, 1, 0), f32(2, 3), i64(2)),
    Case("select_scatter-size-error", lambda lib, x, s: lib.select_scatter(x, s, 0, 0), f32(2, 3), f32(2)),
    Case("slice_scatter", lambda lib, x, s: lib.slice_scatter(x, s, 1, 0, 4, 2), f32(3, 4), f32(3, 2)),
    Case("slice_scatter-defaults", lambda lib, x, s: x.slice_scatter(s), f32(3, 4), f32(3, 4)),
    Case("slice_scatter-start", lambda lib, x, s: lib.slice_scatter(x, s, start=2), f32(5, 2), f32(3, 2)),
    Case("slice_scatter-size-error", lambda lib, x, s: lib.slice_scatter(x, s, 1, 0, 1), f32(2, 3), f32(2, 2)),
    Case("diagonal_scatter", lambda lib, x, s: lib.diagonal_scatter(x, s), f32(3, 4), f32(3)),
    Case("diagonal_scatter-offset", lambda lib, x, s: x.diagonal_scatter(s, -1, 1, 2), f32(2, 3, 3), f32(2, 2)),
    Case("diagonal_scatter-error", lambda lib, x, s: lib.diagonal_scatter(x, s, 1), f32(3, 3), f32(3)),
    # torch 2.13's gradient of as_strided_scatter for ``input`` keeps the scattered region instead of zeroing it
    # (torchlike gives the masked gradient, as select/slice/diagonal_scatter do): gradient for ``src`` only
    Case(
        "as_strided_scatter",
        lambda lib, x, s: lib.as_strided_scatter(x.detach(), s, (2, 2), (1, 3), 1),
        f32(3, 4),
        f32(2, 2),
    ),
    Case(
        "as_strided_scatter-view-input",
        lambda lib, x, s: lib.as_strided_scatter(x.t(), s, (2,), (2,)),
        f32(3, 2),
        f32(2),
        grad=False,
    ),
    Case("select_scatter-view-input", lambda lib, x, s: lib.select_scatter(x.t(), s, 0, 1), f32(3, 2), f32(3)),
    Case("sum_to_size", lambda lib, x: (x.sum_to_size(3), x.sum_to_size(1, 3), x.sum_to_size((2, 1))), f32(2, 3)),
    Case("sum_to_size-same", lambda lib, x: x.sum_to_size(2, 3), f32(2, 3)),
    Case("sum_to_size-3d", lambda lib, x: x.sum_to_size(1, 1, 4), f32(2, 3, 4)),
    Case("sum_to_size-error", lambda lib, x: x.sum_to_size(2, 2), f32(2, 3)),
    Case("sum_to_size-longer-error", lambda lib, x: x.sum_to_size(4, 2, 3), f32(2, 3)),
    Case("fill_diagonal_", lambda lib, x: _same(x.clone(), "fill_diagonal_", 5.0), f32(3, 4)),
    Case("fill_diagonal_-tall", lambda lib, x: x.clone().fill_diagonal_(5.0), f32(7, 3)),
    Case("fill_diagonal_-wrap", lambda lib, x: x.clone().fill_diagonal_(5.0, wrap=True), f32(7, 3)),
    Case("fill_diagonal_-wrap-short", lambda lib, x: x.clone().fill_diagonal_(5.0, wrap=True), f32(4, 3)),
    Case("fill_diagonal_-3d-int", lambda lib, x: x.clone().fill_diagonal_(9), i64(3, 3, 3)),
    Case("fill_diagonal_-1d-error", lambda lib, x: x.clone().fill_diagonal_(1.0), f32(3)),
    Case("fill_diagonal_-unequal-error", lambda lib, x: x.clone().fill_diagonal_(1.0), f32(2, 3, 3)),
    Case("fill_diagonal_-through-view", lambda lib, x: _fill_diag_view(x.clone()), f32(4, 4)),
]


def _fill_diag_view(x):
    x[1:, 1:].fill_diagonal_(0.0)
    return x


@pytest.mark.parametrize("case", SHAPES, ids=repr)
def test_shapes(case, compat):
    compat(case)


PREDICATES = [
    Case(
        "is_nonzero",
        lambda lib, x: (lib.is_nonzero(x), x.is_nonzero(), (x * 0).is_nonzero()),
        np.asarray([2.0], np.float32),
        traced=False,
    ),
    Case(
        "is_nonzero-bool-int",
        lambda lib, x: (lib.is_nonzero(x > 0), lib.is_nonzero(x.long())),
        np.asarray(0.5),
        traced=False,
    ),
    Case("is_nonzero-many-error", lambda lib, x: lib.is_nonzero(x), f32(2)),
    Case("is_nonzero-empty-error", lambda lib, x: x.is_nonzero(), f32(0)),
    Case(
        "is_same_size",
        lambda lib, a, b: (lib.is_same_size(a, b), a.is_same_size(a), a.is_same_size(b.t())),
        f32(2, 3),
        f32(3, 2),
    ),
    Case(
        "is_signed",
        lambda lib, x: (
            [lib.is_signed(x.to(d)) for d in (lib.float32, lib.int64, lib.uint8, lib.bool, lib.int8, lib.float16)]
            + [x.is_signed()]
        ),
        f32(2),
    ),
    Case("is_inference", lambda lib, x: (lib.is_inference(x), x.is_inference()), f32(2)),
    Case("get_device", lambda lib, x: (lib.get_device(x), x.get_device()), f32(2)),
    Case("is_pinned-is_shared", lambda lib, x: (x.is_pinned(), x.is_shared(), x[0].is_shared()), f32(2)),
    Case("share_memory_", lambda lib, x: _share(x.detach().clone()), f32(2)),
    Case("pin_memory-cpu-error", lambda lib, x: x.pin_memory(), f32(2)),
    Case("new-sizes", lambda lib, x: (x.new(2, 3).shape, x.new(2, 3).dtype, x.new(lib.Size([4])).shape), i64(2)),
    Case("new-empty", lambda lib, x: x.new(), f32(2)),
    Case("new-data", lambda lib, x: (x.new([1, 2]), x.new((2, 3)), x.long().new([[1.5, 2.0]])), f32(2)),
    Case("new-tensor-alias", lambda lib, x, y: _new_alias(x, y), f32(2), f32(3), grad=False),
    Case("new-tensor-dtype-error", lambda lib, x, y: x.new(y), f32(2), i64(3)),
    Case("new-dtype-error", lambda lib, x: x.new(2, dtype=lib.float64), f32(2)),
    Case("new-scalar-error", lambda lib, x: x.new(5.0), f32(2)),
]


def _share(x):
    r = x.share_memory_()
    return r is x, x.is_shared(), x[0].is_shared(), x.clone().is_shared()


def _new_alias(x, y):
    z = x.new(y)
    z.zero_()
    return z, y, z.requires_grad


@pytest.mark.parametrize("case", PREDICATES, ids=repr)
def test_predicates(case, compat):
    compat(case)


# ---------------------------------------------------------------- samplers: dtype and shape here, moments below

SAMPLERS = [
    Case("log_normal_", lambda lib, x: _same(x.clone(), "log_normal_"), f32(3, 4), values=False, grad=False),
    Case("log_normal_-f64-args", lambda lib, x: x.clone().log_normal_(0.5, 0.25), f64(5), values=False, grad=False),
    Case("log_normal_-int-error", lambda lib, x: x.log_normal_(), i64(3)),
    Case("log_normal_-std-error", lambda lib, x: x.clone().log_normal_(std=-1.0), f32(3)),
    Case("cauchy_", lambda lib, x: _same(x.clone(), "cauchy_", 1.0, 2.0), f32(3, 4), values=False, grad=False),
    Case("cauchy_-int-error", lambda lib, x: x.cauchy_(), i64(3)),
    Case("geometric_", lambda lib, x: _same(x.clone(), "geometric_", 0.3), f32(3, 4), values=False, grad=False),
    Case("geometric_-int", lambda lib, x: x.clone().geometric_(0.5), i64(6), values=False),
    Case("geometric_-p-error", lambda lib, x: x.clone().geometric_(1.5), f32(3)),
    Case("bernoulli-method", lambda lib, x: (x.bernoulli(), x.bernoulli(0.3)), unit(3, 4), values=False, grad=False),
    Case(
        "multinomial-method",
        lambda lib, x: (x.multinomial(2), x.multinomial(5, True)),
        pos(2, 4),
        values=False,
        grad=False,
    ),
    Case("poisson", lambda lib, x: lib.poisson(x), pos(3, 4), values=False, grad=False),
    Case("poisson-f64", lambda lib, x: lib.poisson(x), pos(5).astype(np.float64), values=False, grad=False),
    Case("poisson-int-error", lambda lib, x: lib.poisson(x), i64(3, lo=0)),
    Case(
        "binomial",
        lambda lib, n, p: lib.binomial(n, p),
        np.full((3, 4), 10.0, np.float32),
        unit(3, 4),
        values=False,
        grad=False,
    ),
    Case("binomial-int-error", lambda lib, n, p: lib.binomial(n, p), i64(3, lo=0), unit(3)),
    Case("binomial-dtype-error", lambda lib, n, p: lib.binomial(n, p), pos(3), unit(3).astype(np.float64)),
]


@pytest.mark.parametrize("case", SAMPLERS, ids=repr)
def test_samplers(case, compat):
    compat(case)


def test_sampler_moments():
    """Loose checks of the distributions (the streams are JAX's, not torch's)."""
    import torchlike as torch

    torch.manual_seed(0)
    n = 200_000
    x = torch.empty(n, dtype=torch.float64).log_normal_(0.5, 0.25)
    assert abs(x.log().mean().item() - 0.5) < 0.01 and abs(x.log().std().item() - 0.25) < 0.01
    c = torch.empty(n).cauchy_(1.0, 2.0)
    assert abs(c.median().item() - 1.0) < 0.05
    assert abs((c - 1).abs().median().item() - 2.0) < 0.05  # the half-width at half-maximum is sigma
    g = torch.empty(n, dtype=torch.int64).geometric_(0.25)
    assert g.min().item() >= 1 and abs(g.double().mean().item() - 4.0) < 0.05
    p = torch.poisson(torch.full((n,), 3.5))
    assert abs(p.mean().item() - 3.5) < 0.03 and abs(p.var().item() - 3.5) < 0.06
    b = torch.binomial(torch.full((n,), 10.0), torch.full((n,), 0.3))
    assert b.max().item() <= 10 and abs(b.mean().item() - 3.0) < 0.03 and abs(b.var().item() - 2.1) < 0.05
