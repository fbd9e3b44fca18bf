"""nn.init and nn.utils against torch: exact inits, init statistics, gradient clipping (also traced),
parameter vectors, parametrize and the weight/spectral/orthogonal parametrizations.

Random inits draw from JAX's stream, not torch's, so their rows check properties (bounds, moments,
orthogonality, zero counts) computed the same way on both libraries.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_layer
from compat_tests.test_nn_module import caught, fill

R = np.random.RandomState(11)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


# ---------------------------------------------------------------- nn.init
def exact_inits(lib):
    init, e = lib.nn.init, lib.empty
    w = lib.nn.Parameter(e(3, 3))
    out = [init.eye_(e(3, 5)), init.eye_(e(4, 2)), init.dirac_(e(4, 2, 3)), init.dirac_(e(6, 4, 3, 3), groups=2)]
    out += [init.dirac_(e(2, 2, 3, 3, 3)).sum(), init.constant_(e(2, 3), 0.25), init.ones_(e(2)), init.zeros_(e(2))]
    out.append([init.zeros_(w) is w, w.requires_grad, w.is_leaf, init.eye_(w) is w, w])
    gains = ["linear", "conv1d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]
    out.append([init.calculate_gain(g) for g in gains] + [init.calculate_gain("leaky_relu", s) for s in (0.2, 1)])
    out.append([init._calculate_fan_in_and_fan_out(e(*s)) for s in ((3, 4), (5, 4, 3, 3), (2, 3, 4, 5, 6))])
    errors = [
        lambda: init.eye_(e(2, 2, 2)),
        lambda: init.dirac_(e(2, 2)),
        lambda: init.dirac_(e(3, 2, 3), groups=2),
        lambda: init._calculate_fan_in_and_fan_out(e(3)),
        lambda: init.calculate_gain("foo"),
        lambda: init.calculate_gain("leaky_relu", True),
        lambda: init.kaiming_uniform_(e(2, 2), mode="bad"),
        lambda: init.orthogonal_(e(3)),
        lambda: init.sparse_(e(2, 2, 2), 0.5),
    ]
    out.append([caught(f) for f in errors])
    return out


def _close(a, b, tol):
    return bool(abs(float(a) - float(b)) <= tol)


def init_statistics(lib):
    """Properties of each random init on large tensors, computed in numpy; True on both sides means both follow
    torch's formula."""
    init = lib.nn.init
    lib.manual_seed(0)

    def draw(f, *shape):
        return f(lib.empty(*shape)).numpy()

    shape = (200, 150)  # fan_in 150, fan_out 200
    res = {}
    w = draw(lambda t: init.uniform_(t, -1.0, 3.0), *shape)
    res["uniform"] = [w.min() >= -1, w.max() < 3, _close(w.mean(), 1, 0.05), _close(w.std(), 4 / 12**0.5, 0.03)]
    w = draw(lambda t: init.normal_(t, 2.0, 0.5), *shape)
    res["normal"] = [_close(w.mean(), 2, 0.01), _close(w.std(), 0.5, 0.01)]
    w = draw(lambda t: init.trunc_normal_(t, 0.5, 1.0, -1.0, 2.0), *shape)
    res["trunc_normal"] = [w.min() >= -1, w.max() <= 2, _close(w.mean(), 0.5, 0.02), _close(w.std(), 0.7393, 0.02)]
    bound = 2 * math.sqrt(6 / 350)
    w = np.abs(draw(lambda t: init.xavier_uniform_(t, gain=2.0), *shape))
    res["xavier_uniform"] = [w.max() <= bound, w.max() > 0.98 * bound, _close(w.mean(), bound / 2, 0.01)]
    w = draw(init.xavier_normal_, *shape)
    res["xavier_normal"] = [_close(w.std(), math.sqrt(2 / 350), 0.003), _close(w.mean(), 0, 0.003)]
    w = np.abs(draw(lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)), *shape))
    bound = math.sqrt(1 / 150)  # gain sqrt(2 / 6) * sqrt(3 / fan_in)
    res["kaiming_uniform"] = [w.max() <= bound, w.max() > 0.98 * bound]
    w = draw(lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"), 64, 16, 3, 3)
    res["kaiming_normal"] = [_close(w.std(), math.sqrt(2 / 576), 0.002), w.shape]
    o = draw(lambda t: init.orthogonal_(t, gain=2.0), 6, 10)
    o3 = draw(init.orthogonal_, 10, 2, 3).reshape(10, 6)
    res["orthogonal"] = [np.abs(o @ o.T - 4 * np.eye(6)).max() < 1e-4, np.abs(o3.T @ o3 - np.eye(6)).max() < 1e-4]
    s = draw(lambda t: init.sparse_(t, sparsity=0.25, std=0.5), 10, 20)
    res["sparse"] = [(s == 0).sum(0).tolist(), _close(s[s != 0].std(), 0.5, 0.15)]
    g1, g2 = lib.Generator().manual_seed(3), lib.Generator().manual_seed(3)
    a, b = init.normal_(lib.empty(5), generator=g1), init.normal_(lib.empty(5), generator=g2)
    lib.manual_seed(5)
    c = draw(init.kaiming_uniform_, 4, 4)
    lib.manual_seed(5)
    res["generators"] = [np.array_equal(a.numpy(), b.numpy()), np.array_equal(c, draw(init.kaiming_uniform_, 4, 4))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res["empty"] = [tuple(init.kaiming_uniform_(lib.empty(0, 3)).shape)]
    return {k: [bool(v) if isinstance(v, (bool, np.bool_)) else v for v in vs] for k, vs in res.items()}


def traced_inits(lib, x):
    """Every random init on a copy of ``x``: under jax.jit too (the RNG key is traced state)."""
    init = lib.nn.init
    fns = [
        lambda w: init.uniform_(w, -0.5, 0.5),
        lambda w: init.normal_(w, 0.0, 2.0),
        init.trunc_normal_,
        init.xavier_uniform_,
        init.xavier_normal_,
        init.kaiming_uniform_,
        init.kaiming_normal_,
        init.orthogonal_,
        lambda w: init.sparse_(w, 0.5),
        lambda w: init.constant_(w, 0.5),
        init.eye_,
    ]
    return [f(x.detach().clone()) for f in fns]


INIT_CASES = [
    Case("exact", exact_inits, grad=False, traced=False),
    Case("statistics", init_statistics, grad=False, traced=False),
    Case("traced", traced_inits, f32(4, 6), grad=False, values=False),
]


@pytest.mark.parametrize("case", INIT_CASES, ids=repr)
def test_init(case, compat):
    compat(case)


# ---------------------------------------------------------------- gradient clipping
def _with_grads(lib, grads):
    ps = [lib.nn.Parameter(lib.zeros_like(g)) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.detach().clone()
    return ps


def clip_norm(norm_type, max_norm):
    def fn(lib, *grads):
        ps = _with_grads(lib, grads) + [lib.nn.Parameter(lib.ones(2))]  # a parameter without grad
        total = lib.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        return total, [p.grad for p in ps[:-1]]

    return fn


def clip_others(lib, g1, g2):
    u = lib.nn.utils
    ps = _with_grads(lib, (g1, g2))
    u.clip_grad_value_(ps, 0.3)
    clipped = [p.grad.clone() for p in ps]
    total = u.get_total_norm([p.grad for p in ps], norm_type=3.0)
    u.clip_grads_with_norm_(ps, 0.1, total)
    single = _with_grads(lib, (g1,))[0]
    return clipped, total, [p.grad for p in ps], u.clip_grad_norm_(single, 0.5), single.grad, u.get_total_norm([])


def clip_nonfinite_error(lib, g):
    ps = _with_grads(lib, (g / 0.0,))
    return lib.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)


G = (f32(3, 4), f32(5), f32(2, 2, 2))
CLIP_CASES = [
    Case(f"clip-norm-{nt}-{mx}", clip_norm(nt, mx), *G, grad=False)
    for nt, mx in ((2.0, 1.0), (1, 0.5), (float("inf"), 0.2), (3.5, 2.0), (0, 5.0), (2, 100.0))
]
CLIP_CASES += [
    Case("clip-value-and-with-norm", clip_others, *G[:2], grad=False),
    Case("clip-nonfinite-error", clip_nonfinite_error, G[1], grad=False, traced=False),
]


@pytest.mark.parametrize("case", CLIP_CASES, ids=repr)
def test_clip(case, compat):
    compat(case)


# ---------------------------------------------------------------- parameter vectors, parametrize
def vectors(lib, v):
    u, nn = lib.nn.utils, lib.nn
    m = fill(lib, nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1, bias=False)))
    vec = u.parameters_to_vector(m.parameters())
    u.vector_to_parameters(v, m.parameters())
    out = [vec, [p.detach().clone() for p in m.parameters()], m(lib.ones(1, 2))]
    with lib.no_grad():
        v.mul_(2.0)  # the parameters are now views of v
    out += [m[1].weight, caught(lambda: u.vector_to_parameters(3, m.parameters()))]
    return out


def parametrize_api(lib):
    nn, P = lib.nn, lib.nn.utils.parametrize

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).mT

        def right_inverse(self, A):
            return A.triu()

    class Double(nn.Module):
        def forward(self, X):
            return X * 2

    class Shrink(nn.Module):
        def forward(self, X):
            return X[:1]

    m = fill(lib, nn.Linear(3, 3))
    orig = m.weight
    P.register_parametrization(m, "weight", Symmetric())
    out = [type(m).__name__, P.is_parametrized(m), P.is_parametrized(m, "bias"), list(m.state_dict()), repr(m)]
    out += [m.weight, m.parametrizations.weight.original is orig, names(m.named_parameters())]
    m(lib.ones(2, 3)).sum().backward()
    out.append(m.parametrizations.weight.original.grad)
    m.weight = lib.arange(9.0).reshape(3, 3)
    out += [m.parametrizations.weight.original, m.weight]
    with P.cached():
        out.append(m.weight is m.weight)
    out.append(m.weight is m.weight)
    P.register_parametrization(m, "weight", Double())
    out += [m.weight, len(m.parametrizations.weight)]
    out.append(caught(lambda: P.register_parametrization(m, "bias", Shrink())))
    out.append(caught(lambda: P.register_parametrization(m, "nope", Double())))
    out.append(caught(lambda: setattr(m, "weight", lib.ones(3, 3))))
    P.remove_parametrizations(m, "weight")
    out += [type(m).__name__, type(m.weight).__name__, m.weight, P.type_before_parametrizations(m).__name__]
    out.append(caught(lambda: P.remove_parametrizations(m, "weight")))
    P.register_parametrization(m, "bias", Double())
    P.remove_parametrizations(m, "bias", leave_parametrized=False)
    out += [m.bias, hasattr(m, "parametrizations"), list(m.state_dict())]
    return out


def names(it):
    return [n for n, _ in it]


def old_norms(lib):
    nn, u = lib.nn, lib.nn.utils
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = u.weight_norm(fill(lib, nn.Linear(3, 2)), dim=1)
    out = [names(m.named_parameters()), m.weight_g, m(lib.ones(1, 3))]
    u.remove_weight_norm(m)
    out += [names(m.named_parameters()), m.weight, caught(lambda: u.remove_weight_norm(m))]
    s = u.spectral_norm(fill(lib, nn.Linear(3, 2)))
    out += [names(s.named_parameters()), names(s.named_buffers()), list(s.state_dict())]
    out.append(dict(s.state_dict()._metadata[""]))
    u.remove_spectral_norm(s)
    out += [names(s.named_parameters()), names(s.named_buffers()), caught(lambda: u.remove_spectral_norm(s))]
    return out


def fusion(lib):
    nn, u = lib.nn, lib.nn.utils
    lin, bn = fill(lib, nn.Linear(3, 2)).eval(), fill(lib, nn.BatchNorm1d(2)).eval()
    conv, bn2 = fill(lib, nn.Conv2d(2, 3, 1)).eval(), fill(lib, nn.BatchNorm2d(3)).eval()
    with lib.no_grad():
        bn.running_mean.copy_(lib.tensor([0.5, -1.0]))
        bn.running_var.copy_(lib.tensor([2.0, 0.5]))
    f, fc = u.fuse_linear_bn_eval(lin, bn), u.fuse_conv_bn_eval(conv, bn2)
    out = [f.weight, f.bias, type(f.weight).__name__, f is lin, fc.weight, fc.bias, f(lib.ones(1, 3))]
    return out + [caught(lambda: u.fuse_linear_bn_eval(lin.train(), bn))]


UTIL_CASES = [
    Case("fusion", fusion, grad=False, traced=False),
    Case("vectors", vectors, f32(13), grad=False, traced=False),
    Case("parametrize", parametrize_api, grad=False, traced=False),
    Case("old-norms-api", old_norms, grad=False, traced=False),
]


@pytest.mark.parametrize("case", UTIL_CASES, ids=repr)
def test_utils(case, compat):
    compat(case)


def parametrized_chain(lib):
    nn, P = lib.nn, lib.nn.utils.parametrizations
    return nn.Sequential(
        P.weight_norm(nn.Linear(3, 4), dim=None),
        P.spectral_norm(nn.Linear(4, 4)),
        P.orthogonal(nn.Linear(4, 5)),
        P.orthogonal(nn.Linear(5, 5)),
        P.orthogonal(nn.Linear(5, 3), orthogonal_map="cayley"),
    )


def old_style_chain(lib):
    nn, u = lib.nn, lib.nn.utils
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nn.Sequential(
            u.weight_norm(nn.Linear(3, 4)),
            u.spectral_norm(nn.Linear(4, 4)),
            lib.nn.utils.parametrizations.weight_norm(nn.Linear(4, 2)),
        )


PARAMETRIZATION_CASES = [
    LayerCase("parametrizations", parametrized_chain, f32(2, 3)),
    LayerCase("old-style-norms", old_style_chain, f32(2, 3)),
]


@pytest.mark.parametrize("case", PARAMETRIZATION_CASES, ids=repr)
def test_parametrizations(case):
    check_layer(case)
