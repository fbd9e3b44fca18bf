"""swa_utils against torch: AveragedModel (SWA / EMA), the averaging functions, SWALR, update_bn; traced averaging."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import torchlike
import torchlike.optim.swa_utils
from compat_tests.harness import Case
from compat_tests.test_lr_scheduler import TIGHT, make_optimizer, run

R = np.random.RandomState(7)
# the trajectory the model goes through: one set of weights and buffers per update
TRAJECTORY = [
    {
        "0.weight": R.standard_normal((3, 3)).astype(np.float32),
        "0.bias": R.standard_normal(3).astype(np.float32),
        "1.weight": R.uniform(0.5, 1.5, 3).astype(np.float32),
        "1.bias": R.standard_normal(3).astype(np.float32),
        "3.weight": R.standard_normal((3, 3)).astype(np.float32),
        "3.bias": R.standard_normal(3).astype(np.float32),
        "1.running_mean": R.standard_normal(3).astype(np.float32),
        "1.running_var": R.uniform(0.5, 2.0, 3).astype(np.float32),
        "1.num_batches_tracked": np.array(R.randint(0, 50), dtype=np.int64),
    }
    for _ in range(9)
]
BATCHES = [R.standard_normal((5, 3)).astype(np.float32) * 3 + 1 for _ in range(4)]


def U(lib):
    return lib.optim.swa_utils


def make_model(lib):
    """Linear -> BatchNorm1d -> ReLU -> Linear (few distinct shapes: fewer compiles), same weights in both."""
    model = lib.nn.Sequential(lib.nn.Linear(3, 3), lib.nn.BatchNorm1d(3), lib.nn.ReLU(), lib.nn.Linear(3, 3))
    load(lib, model, TRAJECTORY[-1])
    return model


def load(lib, model, values):
    with lib.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            t.copy_(lib.tensor(values[name]))


def averaged_state(lib, averaged):
    return {name: t.detach() for name, t in list(averaged.named_parameters()) + list(averaged.named_buffers())}


def _averaging_case(name, updates=len(TRAJECTORY), **kwargs):
    """Build an AveragedModel, walk the model through TRAJECTORY, updating after each point."""

    def fn(lib):
        model = make_model(lib)
        extra = {k: (v(lib) if callable(v) and k.endswith("_fn") else v) for k, v in kwargs.items()}
        averaged = U(lib).AveragedModel(model, **extra)
        for values in TRAJECTORY[:updates]:
            load(lib, model, values)
            averaged.update_parameters(model)
        return averaged_state(lib, averaged)

    return Case(name, fn, grad=False, traced=False)


AVERAGING = [
    _averaging_case("swa_default"),
    _averaging_case("swa_default_use_buffers", use_buffers=True),
    _averaging_case("swa_one_update", updates=1),
    _averaging_case("swa_multi_avg_fn", multi_avg_fn=lambda lib: U(lib).get_swa_multi_avg_fn()),
    _averaging_case("swa_avg_fn_use_buffers", avg_fn=lambda lib: U(lib).get_swa_avg_fn(), use_buffers=True),
    _averaging_case("ema_multi_avg_fn", multi_avg_fn=lambda lib: U(lib).get_ema_multi_avg_fn(0.9)),
    _averaging_case(
        "ema_multi_avg_fn_use_buffers", multi_avg_fn=lambda lib: U(lib).get_ema_multi_avg_fn(0.75), use_buffers=True
    ),
    _averaging_case("ema_avg_fn", avg_fn=lambda lib: U(lib).get_ema_avg_fn(0.8)),
    _averaging_case("custom_avg_fn", avg_fn=lambda lib: lambda avg, cur, n: avg * 0.9 + cur * 0.1 + n * 0.01),
    _averaging_case(
        "swa_multi_integer_buffer_error", multi_avg_fn=lambda lib: U(lib).get_swa_multi_avg_fn(), use_buffers=True
    ),
    _averaging_case(
        "both_fns_error",
        avg_fn=lambda lib: U(lib).get_swa_avg_fn(),
        multi_avg_fn=lambda lib: U(lib).get_swa_multi_avg_fn(),
    ),
    Case("ema_decay_error", lambda lib: U(lib).get_ema_avg_fn(1.5), grad=False, traced=False),
    Case("ema_multi_decay_error", lambda lib: U(lib).get_ema_multi_avg_fn(-0.1), grad=False, traced=False),
]


@pytest.mark.parametrize("case", AVERAGING, ids=repr)
def test_averaged_model(compat, case):
    compat(case)


def _forward_and_structure(lib):
    model = make_model(lib).eval()
    averaged = U(lib).AveragedModel(model)
    x = lib.tensor(BATCHES[0])
    return {
        "out": averaged(x),
        "state_keys": sorted(averaged.state_dict()),
        "n_averaged": averaged.n_averaged,
        "copied": averaged.module is not model and averaged.module[0].weight is not model[0].weight,
    }


def test_forward_and_structure(compat):
    compat(Case("forward_and_structure", _forward_and_structure, grad=False, traced=False))


def _functions(lib):
    u = U(lib)
    a, c = lib.tensor(TRAJECTORY[0]["0.weight"]), lib.tensor(TRAJECTORY[1]["0.weight"])
    n = lib.tensor(3)
    return {
        "ema": u.get_ema_avg_fn(0.9)(a, c, n),
        "swa": u.get_swa_avg_fn()(a, c, n),
        "swa_int_count": u.get_swa_avg_fn()(a, c, 3),
    }


def test_average_functions(compat):
    compat(Case("average_functions", _functions, grad=False, traced=False))


# ------------------------------------------------------------------ traced: averaging runs with tracers in every storage


def _traced(fn, tensors):
    """``fn`` as one jitted program over the tensors' storages; each call runs it and writes the results back."""

    def pure(arrays):
        for t, x in zip(tensors, arrays):
            t._storage.array = x
        fn()
        return [t._storage.array for t in tensors]

    jitted = jax.jit(pure)

    def call():
        saved = [t._storage.array for t in tensors]
        try:
            new = jitted(saved)
        finally:
            for t, x in zip(tensors, saved):
                t._storage.array = x
        for t, x in zip(tensors, new):
            t._storage.set(x)

    return call


@pytest.mark.parametrize("avg", ["ema_multi_use_buffers", "swa_default", "ema_avg_fn"])
def test_update_parameters_traced(avg):
    """One compiled update program serves the first update (a copy) and every later one (the average)."""
    lib = torchlike
    kw = {
        "ema_multi_use_buffers": {"multi_avg_fn": U(lib).get_ema_multi_avg_fn(0.9), "use_buffers": True},
        "swa_default": {},
        "ema_avg_fn": {"avg_fn": U(lib).get_ema_avg_fn(0.9)},
    }[avg]
    results = []
    for traced in (False, True):
        model = make_model(lib)
        averaged = U(lib).AveragedModel(model, **kw)
        state = list(model.parameters()) + list(model.buffers()) + list(averaged.parameters())
        state += list(averaged.buffers())
        update = _traced(lambda: averaged.update_parameters(model), state) if traced else None
        for values in TRAJECTORY[:4]:
            load(lib, model, values)
            update() if traced else averaged.update_parameters(model)
        results.append({k: np.asarray(v._value) for k, v in averaged_state(lib, averaged).items()})
    eager, traced = results
    assert eager.keys() == traced.keys()
    for k in eager:
        np.testing.assert_allclose(traced[k], eager[k], rtol=1e-6, atol=1e-6, err_msg=k)
    assert int(eager["n_averaged"]) == 4


# ------------------------------------------------------------------ update_bn


def _update_bn(lib, initially_eval=False, tuples=True, momentum=0.1):
    model = make_model(lib)
    model[1].momentum = momentum
    if initially_eval:
        model.eval()
    loader = [(lib.tensor(x), lib.tensor(0)) if tuples else lib.tensor(x) for x in BATCHES]
    U(lib).update_bn(loader, model)
    bn = model[1]
    return {
        "mean": bn.running_mean,
        "var": bn.running_var,
        "batches": bn.num_batches_tracked,
        "momentum": bn.momentum,
        "training": [m.training for m in model.modules()],
    }


def _update_bn_no_batchnorm(lib):
    model = lib.nn.Sequential(lib.nn.Linear(3, 3))
    U(lib).update_bn([lib.tensor(x) for x in BATCHES], model)
    return model[0].weight.shape


UPDATE_BN = [
    Case("update_bn_tuples", _update_bn, grad=False, traced=False),
    Case("update_bn_eval_tensors", lambda lib: _update_bn(lib, True, False, None), grad=False, traced=False),
    Case("update_bn_no_batchnorm", _update_bn_no_batchnorm, grad=False, traced=False),
]


@pytest.mark.parametrize("case", UPDATE_BN, ids=repr)
def test_update_bn(compat, case):
    compat(case)


# ------------------------------------------------------------------ SWALR


def S(lib):
    return lib.optim.lr_scheduler


def _swa_after_cosine(lib, o):
    """The usual loop: cosine for 40 epochs, then SWALR (stepping only the scheduler in charge)."""
    cosine = S(lib).CosineAnnealingLR(o, T_max=100)
    swa = U(lib).SWALR(o, swa_lr=0.02, anneal_epochs=7)
    return S(lib).SequentialLR(o, [cosine, swa], milestones=[40])


SWALR_ROWS = [
    ("swalr_cos", lambda lib, o: U(lib).SWALR(o, swa_lr=0.05)),
    ("swalr_linear_list", lambda lib, o: U(lib).SWALR(o, [0.05, 0.01], anneal_epochs=25, anneal_strategy="linear")),
    ("swalr_no_anneal", lambda lib, o: U(lib).SWALR(o, 0.03, anneal_epochs=0)),
    ("swalr_after_cosine", _swa_after_cosine),
]


def _swalr_case(name, build, kind="sgd", steps=60):
    return Case(name, lambda lib: run(lib, kind, build, steps), **TIGHT)


def _swalr_state(lib):
    opt = make_optimizer(lib)
    sched = U(lib).SWALR(opt, 0.05, anneal_epochs=3, anneal_strategy="linear")
    for _ in range(5):
        opt.step()
        sched.step()
    state = sched.state_dict()
    sched2 = U(lib).SWALR(make_optimizer(lib), 0.1)
    sched2.load_state_dict(state)
    return {"state": state, "anneal": sched2.anneal_func(0.25), "strategy": sched2._anneal_strategy}


def _swalr_error(swa_lr=0.1, **kwargs):
    return lambda lib: U(lib).SWALR(make_optimizer(lib), swa_lr, **kwargs)


SWALR_CASES = [_swalr_case(*row) for row in SWALR_ROWS] + [
    Case("swalr_state_dict", _swalr_state, **TIGHT),
    Case("swalr_strategy_error", _swalr_error(anneal_strategy="x"), grad=False, traced=False),
    Case("swalr_epochs_error", _swalr_error(anneal_epochs=-1), grad=False, traced=False),
    Case("swalr_swa_lr_length_error", _swalr_error(swa_lr=[0.1]), grad=False, traced=False),
]


@pytest.mark.parametrize("case", SWALR_CASES, ids=repr)
def test_swalr(compat, case):
    compat(case)
