"""Layer compat harness: the same module built from torch.nn and torchlike.nn, compared.

``check_layer(LayerCase(...))`` builds the torch module (seed 0) and the
torchlike one, checks their state_dict keys/shapes/dtypes and repr, copies
torch's state into torchlike's with ``load_state_dict``, then in each mode
("train", "eval") compares outputs, gradients (of a fixed random projection
of the outputs) w.r.t. float inputs and every named parameter, and every
buffer after the forward. With ``traced=True`` it also runs the torchlike
forward+backward under ``jax.jit`` with parameters, buffers, inputs and the
RNG key as tracers, and compares with eager (same key, so random layers
must match too).

Without torch installed, torch's side is read from ``compat_tests/references``
(recorded by ``python -m compat_tests.record``, like ``harness.check``).
"""

from __future__ import annotations

import sys

import jax
import numpy as np

import torchlike
from compat_tests import harness
from compat_tests.harness import HAVE_TORCH, Raw, _base_exception, _cotangent, assert_close, normalize

torch = harness.torch

__all__ = ["LayerCase", "Raw", "check_init", "check_layer"]


class LayerCase:
    """One row of a layer table.

    Args:
        name: the test id ("error" in it: both sides must raise the same exception type).
        make: ``make(lib) -> module`` built from ``lib.nn`` (lib is torch or torchlike).
        inputs: numpy arrays become tensors (float ones require grad when ``grad``); ``Raw`` values pass as-is.
        modes: which of "train" / "eval" to run, in order, on the same module.
        call: ``call(module, *inputs) -> outputs``; default ``module(*inputs)``.
        grad: compare gradients w.r.t. float inputs and parameters.
        values: compare values (False: shapes and dtypes only, for random layers in train mode).
        traced: also run under jax.jit with tracers in every storage.
        rtol, atol: override the per-dtype tolerances.
    """

    def __init__(
        self,
        name,
        make,
        *inputs,
        modes=("train", "eval"),
        call=None,
        grad=True,
        values=True,
        traced=True,
        rtol=None,
        atol=None,
    ):
        self.name, self.make, self.inputs, self.modes = name, make, inputs, tuple(modes)
        self.call = call or (lambda m, *xs: m(*xs))
        self.grad, self.values, self.traced, self.rtol, self.atol = grad, values, traced, rtol, atol

    def __repr__(self):
        return self.name


# ---------------------------------------------------------------- running one side
def _inputs(lib, case, arrays=None):
    """The case's inputs as ``lib`` tensors (``arrays``: jax arrays to use instead, for the traced run)."""
    it = iter(arrays) if arrays is not None else None
    out = []
    for a in case.inputs:
        if isinstance(a, Raw):
            out.append(a.value)
        elif isinstance(a, np.ndarray):
            rg = case.grad and a.dtype.kind == "f"
            if it is not None:
                t = lib.Tensor._make(next(it))
                out.append(t.requires_grad_(True) if rg else t)
            else:
                out.append(lib.tensor(a, requires_grad=rg))
        else:
            out.append(a)
    return out


def _forward_backward(lib, case, module, inputs):
    """(output, {name: grad}) of one call; grads of sum(output * fixed cotangent)."""
    out = case.call(module, *inputs)
    grads = {}
    if case.grad:
        leaves = [(f"input{i}", t) for i, t in enumerate(inputs) if isinstance(t, lib.Tensor) and t.requires_grad]
        leaves += [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        outs = [o for o in harness._flat_tensors(out, lib) if o.requires_grad and o.dtype.is_floating_point]
        if leaves and outs:
            loss = sum((o * lib.tensor(_cotangent(tuple(o.shape), "float64")).to(o.dtype)).sum() for o in outs)
            gs = lib.autograd.grad(loss, [t for _, t in leaves], allow_unused=True)
            grads = {n: g for (n, _), g in zip(leaves, gs)}
    return out, grads


def _buffers(module):
    return dict(module.named_buffers())


def _array(t):
    """(numpy array, dtype name) of a tensor; bfloat16 travels as float32."""
    t = t.detach().cpu()
    name = str(t.dtype).replace("torch.", "")
    if name == "bfloat16":
        t = t.float()
    return np.array(t.numpy()), name


def run_torch(case):
    """Torch's side, normalized (plain Python and numpy, so it can be recorded)."""
    try:
        torch.manual_seed(0)
        m = case.make(torch)
        res = {"state": {k: _array(v) for k, v in m.state_dict().items()}, "repr": repr(m), "modes": {}}
        for mode in case.modes:
            m.train(mode == "train")
            out, grads = _forward_backward(torch, case, m, _inputs(torch, case))
            res["modes"][mode] = (normalize(out, torch), normalize(grads, torch), normalize(_buffers(m), torch))
        return ("ok", res)
    except Exception as e:
        return ("error", _base_exception(e), str(e))


def _load_torch_state(module, state):
    sd = {}
    for k, (arr, dtype) in state.items():
        sd[k] = torchlike.tensor(arr).to(getattr(torchlike, dtype))
    module.load_state_dict(sd)


def _storages(module):
    seen, out = set(), []
    for t in [*module.parameters(), *module.buffers()]:
        if id(t._storage) not in seen:
            seen.add(id(t._storage))
            out.append(t._storage)
    return out


def run_traced(case, module):
    """The torchlike forward+backward under jax.jit, every storage a tracer; state is left as it was."""
    storages = _storages(module)
    rng = torchlike.random.default_generator._key
    names = [n for n, _ in module.named_buffers()]
    arrays = [a for a in case.inputs if isinstance(a, np.ndarray)]

    def f(key, state, xs):
        rng.array = key
        for s, a in zip(storages, state):
            s.array = a
        out, grads = _forward_backward(torchlike, case, module, _inputs(torchlike, case, xs))
        bufs = _buffers(module)
        return (
            [t._value for t in harness._flat_tensors(out, torchlike)],
            {k: None if g is None else g._value for k, g in grads.items()},
            {n: bufs[n]._value for n in names if bufs.get(n) is not None},
        )

    saved = [s.array for s in storages]
    saved_key = rng.array
    try:
        return jax.jit(f)(saved_key, saved, [np.asarray(a) for a in arrays])
    finally:
        rng.array = saved_key
        for s, a in zip(storages, saved):
            s.array = a


# ---------------------------------------------------------------- comparing
def _reference(case, module_name):
    record = getattr(harness, "RECORD", False)  # set by conftest.pytest_configure
    if HAVE_TORCH:
        want = run_torch(case)
        if record:
            from compat_tests import conftest

            conftest._refs.record(module_name, "layer::" + case.name, want)
        return want
    from compat_tests import conftest

    return conftest._refs.get(module_name, "layer::" + case.name)


def _tolerance(case, results):
    names = [e[2] for e in harness._flat(results) if e and e[0] == "tensor"]
    loose = max((harness._TOL.get(n, (0, 0)) for n in names), default=(None, None))
    return (case.rtol if case.rtol is not None else loose[0], case.atol if case.atol is not None else loose[1])


def _compare_traced(case, traced, out, grads, bufs):
    t_out, t_grads, t_bufs = traced
    eager = [o for o in harness._flat(normalize(out, torchlike)) if o[0] == "tensor"]
    assert len(t_out) == len(eager), "traced run returned a different number of tensors"
    pairs = [(f"traced output {i}", o, e) for i, (o, e) in enumerate(zip(t_out, eager))]
    pairs += [(f"traced grad {k}", t_grads[k], normalize(g, torchlike)) for k, g in grads.items() if g is not None]
    pairs += [(f"traced buffer {k}", t_bufs[k], normalize(b, torchlike)) for k, b in bufs.items() if b is not None]
    for what, got, e in pairs:
        assert got is not None, f"{what}: None under tracing"
        r, t = harness._TOL.get(e[2], (0, 0))
        want = e[1]
        np.testing.assert_allclose(
            np.asarray(got, dtype=want.dtype), want, rtol=max(r, 1e-6), atol=max(t, 1e-6), err_msg=what
        )


def _check_state(module, want):
    got = {k: (tuple(v.shape), str(v.dtype).replace("torch.", "")) for k, v in module.state_dict().items()}
    exp = {k: (a.shape, d) for k, (a, d) in want["state"].items()}
    assert list(got) == list(exp), f"state_dict keys {list(got)}, torch has {list(exp)}"
    for k in got:
        assert got[k] == exp[k], f"state_dict[{k!r}]: (shape, dtype) {got[k]}, torch has {exp[k]}"
    assert repr(module) == want["repr"], f"repr:\n{module!r}\ntorch:\n{want['repr']}"


def check_layer(case: LayerCase) -> None:
    """The body of every layer test (see the module docstring)."""
    want = _reference(case, sys._getframe(1).f_globals["__name__"].rsplit(".", 1)[-1])
    try:
        torchlike.manual_seed(0)
        module = case.make(torchlike)
        if want[0] == "ok":
            _check_state(module, want[1])
            _load_torch_state(module, want[1]["state"])
        results = {}
        for mode in case.modes:
            module.train(mode == "train")
            traced = run_traced(case, module) if case.traced else None
            out, grads = _forward_backward(torchlike, case, module, _inputs(torchlike, case))
            results[mode] = (out, grads, _buffers(module), traced)
    except AssertionError:
        raise
    except Exception as e:
        got = ("error", _base_exception(e), str(e))
        assert want[0] == "error", f"{case.name}: torchlike raised {got[1]}: {got[2]}; torch returned"
        assert got[1] == want[1], (
            f"{case.name}: torchlike raised {got[1]} ({got[2]}), torch raises {want[1]} ({want[2]})"
        )
        assert "error" in case.name, f"{case.name}: both raised {want[1]} ({want[2]}), but the row is not an error row"
        return
    assert want[0] == "ok", f"{case.name}: torch raised {want[1]}: {want[2]}; torchlike returned"
    for mode in case.modes:
        out, grads, bufs, traced = results[mode]
        w_out, w_grads, w_bufs = want[1]["modes"][mode]
        g_out = normalize(out, torchlike)
        if not case.values:
            g_out, w_out = harness._strip_values(g_out), harness._strip_values(w_out)
        rtol, atol = _tolerance(case, w_out)
        assert_close(g_out, w_out, f"{mode}: output", case.rtol, case.atol)
        if case.values:
            assert_close(normalize(grads, torchlike), w_grads, f"{mode}: grad", rtol, atol)
        g_bufs = normalize(bufs, torchlike)
        if not case.values:
            g_bufs = ("dict", {k: harness._strip_values(v) for k, v in g_bufs[1].items()})
            w_bufs = ("dict", {k: harness._strip_values(v) for k, v in w_bufs[1].items()})
        assert_close(g_bufs, w_bufs, f"{mode}: buffers", rtol, atol)
        if traced is not None:
            _compare_traced(case, traced, out, grads, bufs)


def _init_reference(make, seed, key, module_name):
    from compat_tests import conftest

    if not HAVE_TORCH:
        return conftest._refs.get(module_name, key)
    torch.manual_seed(seed)
    want = {k: _array(v) for k, v in make(torch).state_dict().items()}
    if getattr(harness, "RECORD", False):
        conftest._refs.record(module_name, key, want)
    return want


def check_init(make, seeds=(0, 1)) -> None:
    """Default-initialised parameters and buffers: torch's names, shapes, dtypes and (loosely) distribution."""
    module_name = sys._getframe(1).f_globals["__name__"].rsplit(".", 1)[-1]
    for seed in seeds:
        torchlike.manual_seed(seed)
        module = make(torchlike)
        got = {k: _array(v) for k, v in module.state_dict().items()}
        want = _init_reference(make, seed, f"init::{module!r}::{seed}", module_name)
        assert list(got) == list(want), f"state_dict keys {list(got)}, torch has {list(want)}"
        for k, (a, dt) in got.items():
            b, wdt = want[k]
            assert (a.shape, dt) == (b.shape, wdt), f"{k}: {(a.shape, dt)}, torch {(b.shape, wdt)}"
            if a.size == 0 or a.dtype.kind not in "fc":
                continue
            if b.min() == b.max():  # a constant init (ones, zeros, fill): must match exactly
                np.testing.assert_array_equal(a, b, err_msg=k)
                continue
            limit = float(np.abs(b).max()) * (1.3 if a.size >= 32 else 2.0)  # few samples: a loose magnitude
            assert float(np.abs(a).max()) <= limit, f"{k}: |values| up to {np.abs(a).max()}, torch's {np.abs(b).max()}"
            if a.size >= 32:
                ratio = float(a.std() / b.std())
                assert 0.6 < ratio < 1.6, f"{k}: std {a.std()}, torch {b.std()}"
                assert abs(float(a.mean() - b.mean())) < 0.5 * float(b.std()) + 1e-6, (
                    f"{k}: mean {a.mean()}, torch {b.mean()}"
                )
