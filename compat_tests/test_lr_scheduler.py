"""LR schedulers against torch: lr (and momentum) sequences, combinations, closed forms, state_dict, warnings, errors."""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest

import torchlike
import torchlike.optim
import torchlike.optim.lr_scheduler
from compat_tests.harness import Case

STEPS = 300
TIGHT = dict(grad=False, traced=False, rtol=1e-12, atol=1e-15)


# what schedulers write into param groups besides lr / momentum / betas
SCHEDULER_KEYS = ("initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum", "swa_lr")


def make_optimizer(lib, kind="sgd", lr=0.1):
    """Two param groups with different lrs: SGD with momentum, or Adam (betas)."""
    groups = [
        {"params": [lib.zeros(2, requires_grad=True)]},
        {"params": [lib.zeros(3, requires_grad=True)], "lr": 0.05},
    ]
    if kind == "sgd":
        return lib.optim.SGD(groups, lr=lr, momentum=0.9)
    return lib.optim.Adam(groups, lr=lr)


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def lrs_of(opt):
    return [g["lr"] for g in opt.param_groups]


def run(lib, kind, build, steps=STEPS, stepper=None):
    """lr, momentum and warnings after construction and after each optimizer.step(); scheduler.step()."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = make_optimizer(lib, kind)
        sched = build(lib, opt)
        lr, mom, last = [lrs_of(opt)], [momenta(opt)], [sched.get_last_lr()]
        for i in range(steps):
            opt.step()
            sched.step() if stepper is None else stepper(lib, sched, i)
            lr.append(lrs_of(opt))
            mom.append(momenta(opt))
            last.append(sched.get_last_lr())
    assert last == lr, "get_last_lr() differs from the param groups' lr"
    return {
        "lr": np.array(lr, dtype=np.float64),
        "momentum": np.array(mom, dtype=np.float64),
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
        "scheduler_keys": [{k: v for k, v in g.items() if k in SCHEDULER_KEYS} for g in opt.param_groups],
    }


def S(lib):
    return lib.optim.lr_scheduler


# (name, optimizer kind, builder(lib, opt) -> scheduler)
SINGLE = [
    ("lambda", "sgd", lambda lib, o: S(lib).LambdaLR(o, lambda e: 0.95**e)),
    ("lambda_list", "sgd", lambda lib, o: S(lib).LambdaLR(o, [lambda e: e // 30, lambda e: 1 / (1 + e)])),
    ("multiplicative", "sgd", lambda lib, o: S(lib).MultiplicativeLR(o, lambda e: 0.99 if e % 2 else 0.995)),
    ("step", "sgd", lambda lib, o: S(lib).StepLR(o, step_size=30, gamma=0.5)),
    ("multistep", "sgd", lambda lib, o: S(lib).MultiStepLR(o, milestones=[30, 80, 80, 200], gamma=0.3)),
    ("constant", "sgd", lambda lib, o: S(lib).ConstantLR(o, factor=0.5, total_iters=40)),
    ("constant_default", "sgd", lambda lib, o: S(lib).ConstantLR(o)),
    ("linear", "sgd", lambda lib, o: S(lib).LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=100)),
    ("linear_default", "sgd", lambda lib, o: S(lib).LinearLR(o)),
    ("exponential", "sgd", lambda lib, o: S(lib).ExponentialLR(o, gamma=0.99)),
    ("polynomial", "sgd", lambda lib, o: S(lib).PolynomialLR(o, total_iters=150, power=2.0)),
    ("polynomial_default", "sgd", lambda lib, o: S(lib).PolynomialLR(o)),
    ("cosine", "sgd", lambda lib, o: S(lib).CosineAnnealingLR(o, T_max=50, eta_min=0.001)),
    ("cosine_short", "sgd", lambda lib, o: S(lib).CosineAnnealingLR(o, T_max=7)),
    ("warm_restarts", "sgd", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=1e-4)),
    ("warm_restarts_t1", "sgd", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=7)),
    ("cyclic_triangular", "sgd", lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, step_size_up=20)),
    (
        "cyclic_triangular2",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, step_size_up=15, step_size_down=25, mode="triangular2"),
    ),
    (
        "cyclic_exp_range",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(
            o, [0.01, 0.02], [0.1, 0.3], step_size_up=12, mode="exp_range", gamma=0.995, base_momentum=0.7
        ),
    ),
    (
        "cyclic_scale_fn_iterations",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(
            o, 0.001, 0.1, step_size_up=9, scale_fn=lambda x: 0.99**x, scale_mode="iterations"
        ),
    ),
    (
        "cyclic_scale_fn_cycle",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(o, 0.001, 0.1, step_size_up=9, scale_fn=lambda x: 1 / x, max_momentum=0.95),
    ),
    ("cyclic_betas", "adam", lambda lib, o: S(lib).CyclicLR(o, 0.001, 0.01, step_size_up=25, mode="triangular2")),
    (
        "cyclic_no_momentum",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(o, [0.01, 0.005], 0.2, step_size_up=30, step_size_down=10, cycle_momentum=False),
    ),
    ("onecycle_cos", "sgd", lambda lib, o: S(lib).OneCycleLR(o, max_lr=0.5, total_steps=STEPS)),
    (
        "onecycle_linear_three_phase",
        "sgd",
        lambda lib, o: S(lib).OneCycleLR(
            o,
            max_lr=[0.5, 0.2],
            epochs=10,
            steps_per_epoch=30,
            anneal_strategy="linear",
            three_phase=True,
            div_factor=10.0,
            final_div_factor=100.0,
            base_momentum=[0.8, 0.85],
        ),
    ),
    ("onecycle_betas", "adam", lambda lib, o: S(lib).OneCycleLR(o, max_lr=0.01, total_steps=STEPS + 5, pct_start=0.25)),
    (
        "onecycle_no_momentum",
        "sgd",
        lambda lib, o: S(lib).OneCycleLR(o, max_lr=0.3, total_steps=STEPS, cycle_momentum=False, three_phase=True),
    ),
]


def _chained_three(lib, o):
    s = S(lib)
    parts = [s.LinearLR(o, 0.2, total_iters=20), s.CosineAnnealingLR(o, T_max=60), s.MultiStepLR(o, [50, 150], 0.5)]
    return s.ChainedScheduler(parts)


def _warmup_cosine(lib, o):
    s = S(lib)
    return s.SequentialLR(o, [s.LinearLR(o, 0.01, total_iters=10), s.CosineAnnealingLR(o, T_max=100)], milestones=[10])


def _sequential_three(lib, o):
    s = S(lib)
    parts = [s.ConstantLR(o, 0.3, total_iters=3), s.ExponentialLR(o, 0.98), s.StepLR(o, 20, 0.7)]
    return s.SequentialLR(o, parts, milestones=[5, 50])


def _sequential_of_chained(lib, o):
    s = S(lib)
    chained = s.ChainedScheduler([s.ConstantLR(o, 0.5, total_iters=4), s.ExponentialLR(o, 0.97)])
    return s.SequentialLR(o, [chained, s.CosineAnnealingLR(o, T_max=40, eta_min=0.002)], milestones=[30])


def _chained_with_cyclic(lib, o):
    s = S(lib)
    return s.ChainedScheduler([s.CyclicLR(o, 0.01, 0.1, step_size_up=10), s.ExponentialLR(o, 0.995)], optimizer=o)


COMBOS = [
    (
        "chained_constant_exponential",
        "sgd",
        lambda lib, o: S(lib).ChainedScheduler(
            [S(lib).ConstantLR(o, factor=0.1, total_iters=2), S(lib).ExponentialLR(o, gamma=0.9)]
        ),
    ),
    ("chained_three", "sgd", _chained_three),
    ("chained_with_cyclic", "sgd", _chained_with_cyclic),
    ("sequential_warmup_cosine", "sgd", _warmup_cosine),
    ("sequential_three", "sgd", _sequential_three),
    ("sequential_of_chained", "sgd", _sequential_of_chained),
]


def _sequence_case(name, kind, build):
    def fn(lib):
        return run(lib, kind, build)

    return Case(name, fn, **TIGHT)


@pytest.mark.parametrize("case", [_sequence_case(*row) for row in SINGLE + COMBOS], ids=repr)
def test_sequence(compat, case):
    compat(case)


def _epoch_stepper(epochs):
    return lambda lib, sched, i: sched.step(epochs[i])


JUMPS = [(7 * i) % 61 for i in range(1, 61)]  # non-monotonic epochs: the deprecated closed-form path
FRACTIONAL = [i * 0.37 for i in range(1, 61)] + [3.0, 30.5, 0.0, 71.2]

# (name, builder, epochs passed to step(epoch))
EPOCH_ROWS = [
    ("step_epoch", lambda lib, o: S(lib).StepLR(o, step_size=7, gamma=0.5), JUMPS),
    ("multistep_epoch", lambda lib, o: S(lib).MultiStepLR(o, [5, 20, 20, 40]), JUMPS),
    ("constant_epoch", lambda lib, o: S(lib).ConstantLR(o, 0.25, total_iters=30), JUMPS),
    ("linear_epoch", lambda lib, o: S(lib).LinearLR(o, 0.1, 0.8, total_iters=40), JUMPS),
    ("exponential_epoch", lambda lib, o: S(lib).ExponentialLR(o, 0.97), JUMPS),
    ("polynomial_epoch", lambda lib, o: S(lib).PolynomialLR(o, total_iters=45, power=1.5), JUMPS),
    ("cosine_epoch", lambda lib, o: S(lib).CosineAnnealingLR(o, T_max=25, eta_min=0.01), JUMPS),
    ("lambda_epoch", lambda lib, o: S(lib).LambdaLR(o, lambda e: 1 / (1 + e)), JUMPS),
    ("warm_restarts_fractional", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 5, 2, 1e-3), FRACTIONAL),
    ("warm_restarts_fractional_t1", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 4), FRACTIONAL),
]


def _epoch_case(name, build, epochs):
    return Case(name, lambda lib: run(lib, "sgd", build, len(epochs), _epoch_stepper(epochs)), **TIGHT)


@pytest.mark.parametrize("case", [_epoch_case(*row) for row in EPOCH_ROWS], ids=repr)
def test_epoch_argument(compat, case):
    compat(case)


METRICS = [1.0 / (1 + 0.05 * i) + 0.02 * math.sin(1.7 * i) for i in range(200)]

PLATEAU = [
    ("plateau_default", {}, 1),
    ("plateau_patience_cooldown", {"patience": 2, "cooldown": 3, "factor": 0.5}, 1),
    ("plateau_max_abs", {"mode": "max", "threshold_mode": "abs", "threshold": 1e-3, "patience": 1}, -1),
    ("plateau_max_rel_min_lr_list", {"mode": "max", "patience": 0, "min_lr": [0.01, 0.002], "factor": 0.7}, -1),
    ("plateau_min_abs_eps", {"threshold_mode": "abs", "threshold": 0.01, "patience": 3, "eps": 0.02, "factor": 0.2}, 1),
]


def _plateau_case(name, kwargs, sign, tensor_metric=False):
    def stepper(lib, sched, i):
        sched.step(lib.tensor(sign * METRICS[i]) if tensor_metric else sign * METRICS[i])

    build = lambda lib, o: S(lib).ReduceLROnPlateau(o, **kwargs)  # noqa: E731
    return Case(name, lambda lib: run(lib, "sgd", build, len(METRICS), stepper), **TIGHT)


@pytest.mark.parametrize(
    "case",
    [_plateau_case(*row) for row in PLATEAU] + [_plateau_case("plateau_tensor_metric", {"patience": 1}, 1, True)],
    ids=repr,
)
def test_reduce_on_plateau(compat, case):
    compat(case)


# ------------------------------------------------------------------ a Tensor lr is updated in place


def _tensor_lr_case(name, build, steps=60, stepper=None):
    def fn(lib):
        lr = lib.tensor(0.1, dtype=lib.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt = make_optimizer(lib, "sgd", lr=lr)
            sched = build(lib, opt)
            seq = []
            for i in range(steps):
                opt.step()
                sched.step() if stepper is None else stepper(lib, sched, i)
                seq.append([float(v) for v in lrs_of(opt)])
        last = sched.get_last_lr()
        return {
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
            "lr": np.array(seq),
            "same_object": opt.param_groups[0]["lr"] is lr,
            "last_is_copy": last[0] is not lr,
            "last": last,
            "base_lrs": getattr(sched, "base_lrs", None),
        }

    return Case(name, fn, grad=False, traced=False)


TENSOR_LR = [
    ("tensor_lr_exponential", lambda lib, o: S(lib).ExponentialLR(o, 0.97)),
    ("tensor_lr_cosine", lambda lib, o: S(lib).CosineAnnealingLR(o, T_max=20, eta_min=0.01)),
    ("tensor_lr_lambda", lambda lib, o: S(lib).LambdaLR(o, lambda e: 0.9**e)),
    ("tensor_lr_cyclic", lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.2, step_size_up=7)),
    ("tensor_lr_onecycle", lambda lib, o: S(lib).OneCycleLR(o, 0.3, total_steps=60)),
    ("tensor_lr_sequential", _warmup_cosine),
]


@pytest.mark.parametrize(
    "case",
    [_tensor_lr_case(*row) for row in TENSOR_LR]
    + [
        _tensor_lr_case(
            "tensor_lr_plateau",
            lambda lib, o: S(lib).ReduceLROnPlateau(o, patience=1),
            stepper=lambda lib, s, i: s.step(METRICS[i]),
        ),
        _tensor_lr_case("tensor_lr_step_epoch", lambda lib, o: S(lib).StepLR(o, 5), stepper=_epoch_stepper(JUMPS)),
    ],
    ids=repr,
)
def test_tensor_lr(compat, case):
    compat(case)


# ------------------------------------------------------------------ state_dict round trip mid-run


class _Decay:
    """A callable object: its __dict__ goes into LambdaLR's state_dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate**epoch


def _roundtrip_case(name, kind, build, stepper=None, cut=97, steps=200):
    def fn(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = make_optimizer(lib, kind)
            sched = build(lib, opt)
            step = (lambda s, i: s.step()) if stepper is None else (lambda s, i: stepper(lib, s, i))
            for i in range(cut):
                opt.step()
                step(sched, i)
            state = copy.deepcopy(sched.state_dict())
            # a restart: new optimizer and scheduler, then the optimizer's groups and the scheduler's state
            opt2 = make_optimizer(lib, kind)
            sched2 = build(lib, opt2)
            for g2, g in zip(opt2.param_groups, opt.param_groups):
                g2.update({k: v for k, v in g.items() if k != "params"})
            sched2.load_state_dict(state)
            a, b = [], []
            for i in range(cut, steps):
                for o, s, seq in ((opt, sched, a), (opt2, sched2, b)):
                    o.step()
                    step(s, i)
                    seq.append(lrs_of(o) + momenta(o))
        assert a == b, f"{name}: the restored scheduler diverged"
        return {"after": np.array(b), "state_keys": sorted(state), "state": state}

    return Case(name, fn, **TIGHT)


def _lambda_objects(lib, o):
    return S(lib).LambdaLR(o, [_Decay(0.99), lambda e: 1.0])


ROUNDTRIP = [
    ("roundtrip_step", "sgd", lambda lib, o: S(lib).StepLR(o, 30, 0.5)),
    ("roundtrip_lambda_objects", "sgd", _lambda_objects),
    ("roundtrip_multiplicative", "sgd", lambda lib, o: S(lib).MultiplicativeLR(o, _Decay(0.999))),
    ("roundtrip_cosine", "sgd", lambda lib, o: S(lib).CosineAnnealingLR(o, T_max=40)),
    ("roundtrip_warm_restarts", "sgd", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 9, 2)),
    (
        "roundtrip_cyclic_exp_range",
        "sgd",
        lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, 11, mode="exp_range", gamma=0.99),
    ),
    ("roundtrip_cyclic_custom_fn", "adam", lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, 11, scale_fn=_Decay(0.9))),
    ("roundtrip_onecycle", "adam", lambda lib, o: S(lib).OneCycleLR(o, 0.1, total_steps=STEPS, three_phase=True)),
    ("roundtrip_chained", "sgd", _chained_three),
    ("roundtrip_sequential", "sgd", _sequential_of_chained),
]


@pytest.mark.parametrize(
    "case",
    [_roundtrip_case(*row) for row in ROUNDTRIP]
    + [
        _roundtrip_case(
            "roundtrip_plateau",
            "sgd",
            lambda lib, o: S(lib).ReduceLROnPlateau(o, patience=2, cooldown=1),
            stepper=lambda lib, s, i: s.step(METRICS[i % 200]),
        )
    ],
    ids=repr,
)
def test_state_dict_roundtrip(compat, case):
    compat(case)


# ------------------------------------------------------------------ warnings and the public surface


def _caught(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return {"out": out, "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}


def _order_wrong(lib):
    opt = make_optimizer(lib)
    sched = S(lib).StepLR(opt, 2)
    sched.step()  # before optimizer.step(): torch warns once
    opt.step()
    sched.step()
    return lrs_of(opt)


def _order_right(lib):
    opt = make_optimizer(lib)
    a = S(lib).ExponentialLR(opt, 0.5)
    b = S(lib).StepLR(opt, 1, 0.5)  # a second scheduler does not wrap step twice
    opt.step(closure=None)
    a.step()
    b.step()
    return [lrs_of(opt), getattr(opt.step, "_wrapped_by_lr_sched", False)]


def _step_overridden(lib):
    opt = make_optimizer(lib)
    sched = S(lib).StepLR(opt, 2)
    opt.step = lambda closure=None: None
    opt.step()
    sched.step()
    return lrs_of(opt)


def _get_lr_outside_step(lib):
    opt = make_optimizer(lib)
    sched = S(lib).CyclicLR(opt, 0.01, 0.1, 4)
    opt.step()
    sched.step()
    return [sched.get_lr(), sched.get_last_lr()]


def _surface(lib):
    s = S(lib)
    return [sorted(s.__all__), issubclass(s._LRScheduler, s.LRScheduler), s._LRScheduler.__name__]


WARNING_ROWS = [_order_wrong, _order_right, _step_overridden, _get_lr_outside_step, _surface]


@pytest.mark.parametrize(
    "case",
    [Case(f.__name__.strip("_"), lambda lib, f=f: _caught(lambda: f(lib)), **TIGHT) for f in WARNING_ROWS],
    ids=repr,
)
def test_warnings_and_surface(compat, case):
    compat(case)


def test_verbose_is_accepted_with_a_warning():
    opt = make_optimizer(torchlike)
    with pytest.warns(UserWarning, match="verbose parameter is deprecated"):
        S(torchlike).StepLR(opt, 3, verbose=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S(torchlike).ExponentialLR(opt, 0.9, verbose="deprecated")


# ------------------------------------------------------------------ errors


def _error(build, kind="sgd"):
    def fn(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return build(lib, make_optimizer(lib, kind))

    return fn


ERRORS = [
    ("constant_factor_error", lambda lib, o: S(lib).ConstantLR(o, factor=2.0)),
    ("linear_start_factor_error", lambda lib, o: S(lib).LinearLR(o, start_factor=0.0)),
    ("linear_end_factor_error", lambda lib, o: S(lib).LinearLR(o, end_factor=1.5)),
    ("lambda_count_error", lambda lib, o: S(lib).LambdaLR(o, [lambda e: 1.0])),
    ("multiplicative_not_callable_error", lambda lib, o: S(lib).MultiplicativeLR(o, [0.9, 0.9])),
    ("resume_without_initial_lr_error", lambda lib, o: S(lib).StepLR(o, 3, last_epoch=5)),
    ("not_an_optimizer_error", lambda lib, o: S(lib).StepLR(o.param_groups, 3)),
    ("warm_restarts_t0_error", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 0)),
    ("warm_restarts_tmult_error", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 3, T_mult=0)),
    ("warm_restarts_eta_min_error", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 3, eta_min="0")),
    ("warm_restarts_negative_epoch_error", lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, 3).step(-1)),
    ("cyclic_mode_error", lambda lib, o: S(lib).CyclicLR(o, 0.1, 1.0, mode="square")),
    ("cyclic_max_lr_length_error", lambda lib, o: S(lib).CyclicLR(o, 0.1, [1.0, 2.0, 3.0])),
    ("onecycle_no_total_error", lambda lib, o: S(lib).OneCycleLR(o, 0.1)),
    ("onecycle_total_steps_error", lambda lib, o: S(lib).OneCycleLR(o, 0.1, total_steps=0)),
    ("onecycle_epochs_error", lambda lib, o: S(lib).OneCycleLR(o, 0.1, epochs=2.5, steps_per_epoch=3)),
    ("onecycle_pct_start_error", lambda lib, o: S(lib).OneCycleLR(o, 0.1, total_steps=10, pct_start=1)),
    ("onecycle_anneal_error", lambda lib, o: S(lib).OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="exp")),
    ("onecycle_past_total_error", lambda lib, o: [S(lib).OneCycleLR(o, 0.1, total_steps=3).step() for _ in range(4)]),
    ("plateau_factor_error", lambda lib, o: S(lib).ReduceLROnPlateau(o, factor=1.0)),
    ("plateau_mode_error", lambda lib, o: S(lib).ReduceLROnPlateau(o, mode="up")),
    ("plateau_threshold_mode_error", lambda lib, o: S(lib).ReduceLROnPlateau(o, threshold_mode="pct")),
    ("plateau_min_lr_length_error", lambda lib, o: S(lib).ReduceLROnPlateau(o, min_lr=[0.1])),
    ("chained_empty_error", lambda lib, o: S(lib).ChainedScheduler([])),
    ("chained_plateau_error", lambda lib, o: S(lib).ChainedScheduler([S(lib).ReduceLROnPlateau(o)])),
    ("sequential_milestones_error", lambda lib, o: S(lib).SequentialLR(o, [S(lib).StepLR(o, 2)], milestones=[3])),
    ("sequential_empty_error", lambda lib, o: S(lib).SequentialLR(o, [], milestones=[])),
    ("sequential_no_optimizer_error", lambda lib, o: S(lib).SequentialLR(o, [object()], milestones=[])),
]


@pytest.mark.parametrize("case", [Case(n, _error(b), grad=False, traced=False) for n, b in ERRORS], ids=repr)
def test_errors(compat, case):
    compat(case)


# ------------------------------------------------------------------ the optimizer follows the schedule


def _train(kind, build, steps=25):
    """Minimise a quadratic with the optimizer under the scheduler: the parameters reflect every lr/momentum set."""

    def fn(lib):
        x = lib.tensor(np.linspace(-1.0, 2.0, 6).reshape(2, 3).astype(np.float32))
        w = lib.zeros(3, requires_grad=True)
        b = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([w, b], lr=0.1, momentum=0.9) if kind == "sgd" else lib.optim.Adam([w, b], lr=0.1)
        sched = build(lib, opt)
        for _ in range(steps):
            opt.zero_grad()
            loss = ((x @ w + b - 1.0) ** 2).sum()
            loss.backward()
            opt.step()
            sched.step()
        return [w.detach(), b.detach()]

    return fn


TRAIN = [
    ("train_sgd_onecycle", "sgd", lambda lib, o: S(lib).OneCycleLR(o, 0.05, total_steps=25)),
    ("train_adam_cyclic_betas", "adam", lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, step_size_up=4)),
    (
        "train_sgd_warmup_cosine",
        "sgd",
        lambda lib, o: S(lib).SequentialLR(
            o, [S(lib).LinearLR(o, 0.1, total_iters=5), S(lib).CosineAnnealingLR(o, 20)], milestones=[5]
        ),
    ),
]


@pytest.mark.parametrize("case", [Case(n, _train(k, b), grad=False, traced=False) for n, k, b in TRAIN], ids=repr)
def test_optimizer_follows_schedule(compat, case):
    compat(case)
