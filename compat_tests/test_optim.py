"""torch.optim side by side with real torch: every optimizer option over 20 steps, state_dict, groups, tracing.

Each row of ``ROWS`` runs the same training loop through ``torch`` and
``torchlike`` (same initial parameters, gradients of the same loss) and
compares the parameters after every step and the final ``state_dict()``
(per-parameter state keys and values, and the param groups).
"""

from __future__ import annotations

import copy

import jax
import numpy as np
import pytest

import torchlike
from compat_tests.conftest import requires_torch
from compat_tests.harness import Case, assert_close, normalize
from torchlike.optim import _chain

R = np.random.RandomState(7)
SHAPES = [(4, 3), (3,), (2, 2, 3)]  # a matrix, a vector, a 3-d tensor (Adafactor's factored rows/cols)
INIT = [R.standard_normal(s).astype(np.float32) for s in SHAPES]
LINEAR = [R.standard_normal(s).astype(np.float32) * 0.5 for s in SHAPES]
CINIT = [(R.standard_normal(s) + 1j * R.standard_normal(s)).astype(np.complex64) for s in SHAPES[:2]]


def loss_of(lib, ps, convex=False):
    # elementwise (gradient sin(3p) + 0.1 p + c), so both libraries' gradients agree to rounding
    if convex:  # for LBFGS, whose line search would hop between the wavy loss's basins
        return sum((((p - lib.tensor(c)) ** 2) * 0.5 + (p**4) * 0.05).sum() for p, c in zip(ps, LINEAR))
    return sum(((p * p) * 0.05 - (p * 3).cos() / 3 + lib.tensor(c) * p).sum() for p, c in zip(ps, LINEAR))


def trajectory(
    lib,
    name,
    kwargs,
    *,
    steps=20,
    groups=None,
    lr_at=None,
    skip=False,
    closure=False,
    reload_at=None,
    named=False,
    complex_=False,
    tensor_lr=None,
):
    """Train ``steps`` steps; returns [params after each step (and the closure's loss)], final state_dict."""
    ps = [lib.tensor(a, requires_grad=True) for a in (CINIT if complex_ else INIT)]
    kwargs = dict(kwargs)
    if tensor_lr is not None:
        kwargs["lr"] = lib.tensor(tensor_lr)
    if "betas_tensor" in kwargs:
        kwargs["betas"] = tuple(lib.tensor(b) for b in kwargs.pop("betas_tensor"))

    def make():
        if groups is not None:
            params = [dict(params=[ps[i] for i in idx], **opts) for idx, opts in groups]
        elif named:
            params = [(f"p{i}", p) for i, p in enumerate(ps)]
        else:
            params = ps
        return getattr(lib.optim, name)(params, **kwargs)

    def set_grads():
        opt.zero_grad()
        if complex_:
            for p in ps:
                p.grad = p.detach() * 0.3 + lib.tensor(np.full(p.shape, 0.2 - 0.1j, np.complex64))
            return None
        loss = loss_of(lib, ps, convex=name == "LBFGS")
        loss.backward()
        return loss

    opt = make()
    out = []
    for i in range(steps):
        if i == reload_at:  # checkpoint, fresh optimizer, resume
            saved = copy.deepcopy(opt.state_dict())
            opt = make()
            opt.load_state_dict(saved)
        if i == lr_at:
            for g in opt.param_groups:
                g["lr"] = g["lr"] * 0.3
        if closure:
            out.append(opt.step(set_grads))
        else:
            set_grads()
            if skip and i % 3 == 1:
                ps[1].grad = None  # a parameter without a grad is skipped (and its state stays behind)
            opt.step()
        out.append([p.detach().clone() for p in ps])
    return out, opt.state_dict()


G2 = [((0, 1), {}), ((2,), {"lr": 0.003})]  # two groups, the second with its own lr
ROWS = [
    # SGD
    ("SGD", {"lr": 0.1}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "maximize": True, "foreach": False}, {}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}, {"tensor_lr": 0.05, "skip": True, "reload_at": 10}),
    (
        "SGD",
        {"lr": 0.1, "momentum": 0.5},
        {"groups": [((0, 1), {}), ((2,), {"lr": 0.01, "momentum": 0.9})], "lr_at": 8},
    ),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}, {"closure": True, "named": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.5}, {"complex_": True}),
    # Adam / AdamW
    ("Adam", {}, {}),
    ("Adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.1}, {}),
    ("Adam", {"lr": 0.02, "amsgrad": True, "maximize": True, "foreach": False, "differentiable": False}, {}),
    ("Adam", {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True}, {"skip": True}),
    ("Adam", {"lr": 0.02, "betas_tensor": (0.8, 0.99)}, {"reload_at": 10, "lr_at": 5}),
    ("Adam", {"lr": 0.02, "amsgrad": True}, {"groups": G2, "reload_at": 7, "closure": True}),
    ("Adam", {"lr": 0.02}, {"complex_": True, "tensor_lr": 0.02}),
    ("AdamW", {"lr": 0.02}, {}),
    ("AdamW", {"lr": 0.02, "amsgrad": True, "maximize": True, "weight_decay": 0.2}, {"lr_at": 10}),
    # Adamax, NAdam, RAdam
    ("Adamax", {}, {}),
    ("Adamax", {"lr": 0.01, "betas": (0.8, 0.9), "weight_decay": 0.1, "maximize": True}, {"reload_at": 10}),
    ("NAdam", {}, {}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "momentum_decay": 0.01}, {"skip": True}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}, {"reload_at": 9}),
    ("RAdam", {"lr": 0.01}, {}),  # rho_t crosses 5 after a few steps: both branches run
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1}, {"groups": G2}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}, {"reload_at": 4}),
    # RMSprop, Adagrad, Adadelta
    ("RMSprop", {}, {}),
    ("RMSprop", {"lr": 0.005, "centered": True}, {"skip": True}),
    ("RMSprop", {"lr": 0.005, "momentum": 0.9}, {"reload_at": 10}),
    (
        "RMSprop",
        {"lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
        {},
    ),
    ("Adagrad", {}, {}),
    (
        "Adagrad",
        {"lr": 0.05, "lr_decay": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.5},
        {"reload_at": 10},
    ),
    ("Adagrad", {"lr": 0.05, "maximize": True, "eps": 1e-6}, {"skip": True, "complex_": True}),
    ("Adadelta", {}, {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "eps": 1e-5}, {"reload_at": 10}),
    ("Adadelta", {"maximize": True}, {"skip": True}),
    # ASGD, Rprop
    ("ASGD", {}, {}),
    ("ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.6, "t0": 5, "weight_decay": 0.1}, {"reload_at": 10}),
    ("ASGD", {"lr": 0.05, "t0": 3, "maximize": True}, {"skip": True}),
    ("Rprop", {}, {}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.2)}, {"reload_at": 10}),
    ("Rprop", {"lr": 0.05, "maximize": True}, {"skip": True, "complex_": True}),
    # Adafactor
    ("Adafactor", {}, {}),
    ("Adafactor", {"lr": 0.02, "beta2_decay": -0.5, "eps": (1e-30, 1e-3), "d": 2.0, "weight_decay": 0.3}, {}),
    ("Adafactor", {"lr": 0.05, "maximize": True}, {"reload_at": 10, "skip": True}),
    # LBFGS (closure-driven; few outer steps, each several iterations)
    ("LBFGS", {"lr": 0.2, "max_iter": 4}, {"closure": True, "steps": 5}),
    ("LBFGS", {"max_iter": 2, "history_size": 3, "line_search_fn": "strong_wolfe"}, {"closure": True, "steps": 3}),
    (
        "LBFGS",
        {"lr": 0.1, "max_iter": 3, "history_size": 2, "tolerance_change": 1e-4},
        {"closure": True, "steps": 6, "reload_at": 3},
    ),
]


def _row_id(row):
    name, kwargs, opts = row
    parts = [f"{k}={v}" for k, v in {**kwargs, **opts}.items() if k != "groups"] + (
        ["groups"] if "groups" in opts else []
    )
    return name + "[" + ",".join(parts).replace(" ", "") + "]"


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_trajectory(compat, row):
    name, kwargs, opts = row
    compat(Case(_row_id(row), lambda lib: trajectory(lib, name, kwargs, **opts), grad=False, traced=False))


def _build(lib, name, kwargs, params=None):
    return getattr(lib.optim, name)(
        params if params is not None else [lib.tensor(INIT[0], requires_grad=True)], **kwargs
    )


def _duplicate(lib):
    p = lib.tensor(INIT[1], requires_grad=True)
    lib.optim.SGD([{"params": [p]}, {"params": [p], "lr": 0.1}], lr=0.1)


ERRORS = [
    ("nesterov-without-momentum-error", lambda lib: _build(lib, "SGD", {"lr": 0.1, "nesterov": True})),
    ("negative-lr-error", lambda lib: _build(lib, "Adam", {"lr": -1.0})),
    ("bad-beta-error", lambda lib: _build(lib, "AdamW", {"betas": (0.9, 1.0)})),
    ("int-betas-error", lambda lib: _build(lib, "Adam", {"betas": (0, 0.9)})),
    ("bad-etas-error", lambda lib: _build(lib, "Rprop", {"etas": (1.5, 1.2)})),
    ("adafactor-decay-error", lambda lib: _build(lib, "Adafactor", {"beta2_decay": 0.5})),
    ("empty-error", lambda lib: lib.optim.SGD([], lr=0.1)),
    ("tensor-params-error", lambda lib: lib.optim.SGD(lib.tensor(INIT[1]), lr=0.1)),
    ("set-params-error", lambda lib: lib.optim.SGD([{"params": {lib.tensor(INIT[1])}}], lr=0.1)),
    ("duplicate-in-groups-error", _duplicate),
    ("lbfgs-groups-error", lambda lib: lib.optim.LBFGS([{"params": [lib.tensor(INIT[1])]}, {"params": []}])),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(compat, name, fn):
    compat(Case(name, fn, grad=False, traced=False))


def _surface(lib):
    """zero_grad semantics, hooks, add_param_group, repr: returns what each step observed."""
    ps = [lib.tensor(a, requires_grad=True) for a in INIT]
    opt = lib.optim.SGD(ps[:2], lr=0.1, momentum=0.9)
    log = []
    opt.register_step_pre_hook(lambda o, args, kwargs: log.append("pre"))
    handle = opt.register_step_post_hook(lambda o, args, kwargs: log.append("post"))
    opt.register_state_dict_post_hook(lambda o, sd: log.append(sorted(sd)))
    loss_of(lib, ps).backward()
    opt.step()
    handle.remove()
    opt.zero_grad(set_to_none=False)
    zeroed = [p.grad for p in ps]  # zeros for the optimizer's params, untouched for the third
    opt.step()  # zero gradients still step (momentum carries on)
    after_zero = [p.detach().clone() for p in ps]
    opt.zero_grad()
    opt.add_param_group({"params": ps[2], "lr": 0.01})
    loss_of(lib, ps).backward()
    loss = opt.step(lambda: loss_of(lib, ps))
    return log, zeroed, after_zero, [p.grad for p in ps[:2]], loss, opt.state_dict(), repr(opt)


def test_surface(compat):
    compat(Case("surface", _surface, grad=False, traced=False))


def test_reload_resumes_identically():
    """state_dict at step 10 into a fresh optimizer continues exactly as the uninterrupted run."""
    for name, kwargs in [("Adam", {"lr": 0.02, "amsgrad": True}), ("NAdam", {"lr": 0.01}), ("ASGD", {"t0": 3})]:
        straight, sd1 = trajectory(torchlike, name, kwargs)
        resumed, sd2 = trajectory(torchlike, name, kwargs, reload_at=10)
        assert_close(normalize([straight, sd1], torchlike), normalize([resumed, sd2], torchlike), name, 0, 0)


@requires_torch
@pytest.mark.parametrize(
    "name,kwargs", [("Adam", {"lr": 0.02, "amsgrad": True}), ("SGD", {"lr": 0.1, "momentum": 0.9})]
)
def test_load_torch_state_dict(name, kwargs):
    """A torch optimizer's state_dict, converted through numpy, loads and resumes as torch does."""
    import torch

    def to_torchlike(obj):
        if isinstance(obj, torch.Tensor):
            return torchlike.tensor(obj.numpy().copy())  # torchlike.tensor may alias torch memory
        if isinstance(obj, dict):
            return {k: to_torchlike(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return type(obj)(to_torchlike(v) for v in obj)
        return obj

    tp = [torch.tensor(a, requires_grad=True) for a in INIT]
    topt = getattr(torch.optim, name)(tp, **kwargs)
    for _ in range(10):
        topt.zero_grad()
        loss_of(torch, tp).backward()
        topt.step()
    lp = [torchlike.tensor(p.detach().numpy().copy(), requires_grad=True) for p in tp]
    lopt = getattr(torchlike.optim, name)(lp, **kwargs)
    lopt.load_state_dict(to_torchlike(topt.state_dict()))
    for lib, ps, opt in ((torch, tp, topt), (torchlike, lp, lopt)):
        for _ in range(10):
            opt.zero_grad()
            loss_of(lib, ps).backward()
            opt.step()
    got = normalize([lp, lopt.state_dict()], torchlike)
    assert_close(got, normalize([tp, topt.state_dict()], torch), name)


# ---------------------------------------------------------------- traced steps


def _tensors(opt):
    """Every tensor the optimizer reads or writes: params, grads, state, hyperparameter storages."""
    out = []
    for g in opt.param_groups:
        out += [p for p in g["params"]] + [p.grad for p in g["params"] if p.grad is not None]
    out += [t for st in opt.state.values() for t in st.values() if isinstance(t, torchlike.Tensor)]
    out += [t for h in opt._hyper for t in h.tensors.values()]
    return out


def traced_step(opt, cache):
    """``opt.step()`` under jax.jit with tracers in every storage it touches (as compile will run it)."""
    tensors = _tensors(opt)
    storages = list({id(t._storage): t._storage for t in tensors}.values())

    def pure(arrays):
        for s, a in zip(storages, arrays):
            s.array = a
        opt.step()
        new = [t for t in _tensors(opt) if all(t._storage is not s for s in storages)]
        return [s.array for s in storages], [t._storage.array for t in new], new

    key = tuple((tuple(s.array.shape), s.array.dtype) for s in storages)
    created = []
    if key not in cache:

        def run(arrays):
            olds, news, tens = pure(arrays)
            created[:] = tens
            return olds, news

        cache[key] = jax.jit(run, donate_argnums=0)
    saved = [s.array for s in storages]
    try:
        olds, news = cache[key]([jax.numpy.array(a, copy=True) for a in saved])
    finally:
        for s, a in zip(storages, saved):
            s.array = a
    for s, a in zip(storages, olds):
        s.set(a)
    for t, a in zip(created, news):  # state created during the trace (first step)
        t._storage.set(a)
    return cache[key]


@pytest.mark.parametrize(
    "name,kwargs", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.02, "amsgrad": True})]
)
def test_traced_step_matches_eager(name, kwargs):
    """Steps run under jax.jit (params, grads, state, lr as tracers) equal eager steps; lr changes never retrace."""
    runs = []
    for traced in (False, True):
        ps = [torchlike.tensor(a, requires_grad=True) for a in INIT]
        opt = getattr(torchlike.optim, name)(ps, **kwargs)
        cache, sizes = {}, []
        for i in range(4):
            opt.zero_grad()
            loss_of(torchlike, ps).backward()
            if i >= 2:
                opt.param_groups[0]["lr"] = 0.05 * i  # a new lr each step
            if traced:
                fn = traced_step(opt, cache)
                sizes.append((fn._cache_size(), _chain.traces))
            else:
                opt.step()
        runs.append(normalize([ps, opt.state_dict()], torchlike))
        if traced:
            # step 1 traces without state, step 2 with it; the lr changes at steps 3 and 4 add no trace
            assert sizes[1] == sizes[2] == sizes[3], sizes
    assert_close(runs[1], runs[0], "traced", 1e-6, 1e-6)


def test_lr_change_does_not_retrace_eagerly():
    ps = [torchlike.tensor(a, requires_grad=True) for a in INIT]
    opt = torchlike.optim.AdamW(ps, lr=0.01)
    counts = []
    for i in range(4):
        opt.zero_grad()
        loss_of(torchlike, ps).backward()
        opt.param_groups[0]["lr"] = 0.01 / (i + 1)
        opt.param_groups[0]["betas"] = (0.9 - 0.01 * i, 0.999)
        opt.step()
        counts.append(_chain.traces)
    assert counts[1] == counts[2] == counts[3], counts


def test_lbfgs_under_tracing_is_a_clear_error():
    p = torchlike.tensor(INIT[1], requires_grad=True)
    opt = torchlike.optim.LBFGS([p])

    def f(a):
        p._storage.array = a
        opt.step(lambda: loss_of(torchlike, [p]))

    saved = p._storage.array
    with pytest.raises(RuntimeError, match="eagerly"):
        jax.jit(f)(saved)
    p._storage.array = saved


def test_eager_steps_keep_copies_intact():
    """Eager steps donate parameter and state buffers to XLA only when no other tensor can see them."""
    ps = [torchlike.tensor(a, requires_grad=True) for a in INIT]
    opt = torchlike.optim.Adam(ps, lr=0.1)
    loss_of(torchlike, ps).backward()
    opt.step()
    saved = copy.deepcopy(opt.state_dict())  # shares the state arrays
    snapshot = copy.deepcopy(ps[0])  # shares the parameter's array
    view = ps[1][1:]  # a view of a parameter
    before = normalize([saved, snapshot], torchlike)
    loss = loss_of(torchlike, ps)
    loss.backward(retain_graph=True)  # the graph keeps the parameters' arrays for a second backward
    opt.step()
    opt.step()
    loss.backward()
    after = normalize([saved, snapshot], torchlike)
    assert_close(after, before, "copies", 0, 0)
    np.testing.assert_array_equal(view.detach().numpy(), ps[1].detach().numpy()[1:])
