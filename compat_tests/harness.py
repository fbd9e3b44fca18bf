"""Run the same code on real torch and on torchlike, and compare.

A ``Case`` is a function ``fn(lib, *tensors)`` plus its inputs as numpy
arrays. ``check(case)`` runs it three ways:

1. on torch (or, where torch is not installed, reads the result recorded from
   torch in ``compat_tests/references/``),
2. on torchlike, eagerly,
3. on torchlike under ``jax.jit``, with tracers in the input storages (DESIGN.md,
   "Rules that keep every line traceable"),

and compares values, dtypes, shapes, gradients (of a fixed random projection
of the outputs, w.r.t. every float input) and exception types.

Regenerate the recordings with ``python -m compat_tests.record`` (needs torch).
"""

from __future__ import annotations

import gzip
import os
import pickle
import zlib

import jax
import numpy as np

import torchlike

try:
    import torch

    HAVE_TORCH = os.environ.get("TORCHLIKE_NO_TORCH") != "1"
except ImportError:  # a GPU box or a user's machine: compare against the recordings
    torch = None
    HAVE_TORCH = False

REFERENCES = os.path.join(os.path.dirname(__file__), "references")

_TOL = {
    "torch.float16": (2e-2, 2e-2),
    "torch.bfloat16": (5e-2, 5e-2),
    "torch.float32": (1e-5, 1e-5),
    "torch.complex64": (1e-5, 1e-5),
    "torch.float64": (1e-10, 1e-10),
    "torch.complex128": (1e-10, 1e-10),
}


class Raw:
    """An input passed to the case as a numpy array, not as a tensor."""

    def __init__(self, value):
        self.value = value


class Case:
    """One row of a compat table.

    Args:
        name: the test id.
        fn: ``fn(lib, *inputs)``; ``lib`` is ``torch`` or ``torchlike``.
        inputs: numpy arrays become tensors (float ones require grad when
            ``grad``); ``Raw`` values and anything else pass through as-is.
        grad: also compare gradients of the outputs w.r.t. float inputs.
        values: compare values (False for random ops: shapes and dtypes only).
        traced: also run under jax.jit (False for data-dependent shapes).
        rtol, atol: override the per-dtype tolerances (values and grads).
    """

    def __init__(self, name, fn, *inputs, grad=True, values=True, traced=True, rtol=None, atol=None):
        self.name, self.fn, self.inputs = name, fn, inputs
        self.grad, self.values, self.traced = grad, values, traced
        self.rtol, self.atol = rtol, atol

    def __repr__(self):
        return self.name


def _cotangent(shape, dtype):
    seed = zlib.crc32(repr(tuple(shape)).encode())
    return np.random.RandomState(seed).standard_normal(shape).astype(dtype)


def _tensors(lib, case):
    out = []
    for a in case.inputs:
        if isinstance(a, Raw):
            out.append(a.value)
        elif isinstance(a, np.ndarray):
            rg = case.grad and a.dtype.kind == "f"
            out.append(lib.tensor(a, requires_grad=rg))
        else:
            out.append(a)
    return out


def _flat_tensors(obj, lib):
    if isinstance(obj, lib.Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _flat_tensors(o, lib)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _flat_tensors(o, lib)]
    return []


def execute(lib, case, tensors):
    """Run the case on ``tensors``; returns (output, grads or None). Raises what the case raises."""
    out = case.fn(lib, *tensors)
    grads = None
    leaves = [t for t in tensors if isinstance(t, lib.Tensor) and t.requires_grad]
    if case.grad and leaves:
        outs = [o for o in _flat_tensors(out, lib) if o.requires_grad and o.dtype.is_floating_point]
        if outs:
            loss = sum((o * lib.tensor(_cotangent(tuple(o.shape), "float64")).to(o.dtype)).sum() for o in outs)
            grads = lib.autograd.grad(loss, leaves, allow_unused=True)
    return out, grads


def _base_exception(e: BaseException) -> str:
    for klass in type(e).__mro__:
        if klass.__module__ == "builtins":
            return klass.__name__
    return type(e).__name__


def normalize(obj, lib):
    """torch / torchlike objects -> plain Python and numpy, comparable across the two."""
    if isinstance(obj, lib.Tensor):
        t = obj.detach()
        if t.dtype == lib.bfloat16:
            arr = t.to(lib.float32).cpu().numpy()
        else:
            arr = t.cpu().numpy()
        return ("tensor", np.array(arr), str(obj.dtype), tuple(obj.shape))
    if isinstance(obj, lib.dtype):
        return ("dtype", str(obj))
    if isinstance(obj, lib.Size):
        return ("size", tuple(obj))
    if isinstance(obj, (tuple, list)):
        return (type(obj).__name__ if type(obj) in (tuple, list) else "tuple", [normalize(o, lib) for o in obj])
    if isinstance(obj, dict):
        return ("dict", {k: normalize(v, lib) for k, v in obj.items()})
    if isinstance(obj, (bool, int, float, complex, str, type(None))):
        return ("value", obj)
    if isinstance(obj, np.ndarray):
        return ("ndarray", obj)
    return ("repr", type(obj).__name__)


def run_reference(case):
    """The normalized result of the case on real torch."""
    try:
        out, grads = execute(torch, case, _tensors(torch, case))
        return ("ok", normalize(out, torch), normalize(grads, torch))
    except Exception as e:
        return ("error", _base_exception(e), str(e))


def run_torchlike(case):
    try:
        out, grads = execute(torchlike, case, _tensors(torchlike, case))
        return ("ok", normalize(out, torchlike), normalize(grads, torchlike))
    except Exception as e:
        return ("error", _base_exception(e), str(e))


def run_traced(case):
    """The case under jax.jit, with tracers in the input tensors' storages: output arrays only."""
    arrays = [a for a in case.inputs if isinstance(a, np.ndarray)]
    rng = torchlike.random.default_generator._key

    def f(key, *jarrs):
        rng.array = key  # the global RNG key is state: it goes in and out of the traced function
        it = iter(jarrs)
        tensors = []
        for a in case.inputs:
            if isinstance(a, Raw):
                tensors.append(a.value)
            elif isinstance(a, np.ndarray):
                t = torchlike.Tensor._make(next(it))
                if case.grad and a.dtype.kind == "f":
                    t.requires_grad_(True)
                tensors.append(t)
            else:
                tensors.append(a)
        out, grads = execute(torchlike, case, tensors)
        outs = [t._value for t in _flat_tensors(out, torchlike)]
        return outs, [None if g is None else g._value for g in (grads or ())], rng.array

    saved = rng.array
    try:
        outs, grads, key = jax.jit(f)(saved, *[np.asarray(a) for a in arrays])
    finally:
        rng.array = saved
    rng.set(key)
    return outs, grads


def assert_close(got, want, path="result", rtol=None, atol=None):
    """Compare two normalized results; raise AssertionError naming where they differ."""
    assert got[0] == want[0], f"{path}: got {got[0]} {got[1:]!r:.300}, torch gives {want[0]} {want[1:]!r:.300}"
    kind = got[0]
    if kind == "tensor":
        _, a, dt, shape = got
        _, b, wdt, wshape = want
        assert dt == wdt, f"{path}: dtype {dt}, torch gives {wdt}"
        assert shape == wshape, f"{path}: shape {shape}, torch gives {wshape}"
        r, t = _TOL.get(dt, (0, 0))
        r, t = rtol if rtol is not None else r, atol if atol is not None else t
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, b, rtol=r, atol=t, equal_nan=True, err_msg=path)
        else:
            np.testing.assert_array_equal(a, b, err_msg=path)
    elif kind in ("tuple", "list"):
        assert len(got[1]) == len(want[1]), f"{path}: length {len(got[1])}, torch gives {len(want[1])}"
        for i, (g, w) in enumerate(zip(got[1], want[1])):
            assert_close(g, w, f"{path}[{i}]", rtol, atol)
    elif kind == "dict":
        assert got[1].keys() == want[1].keys(), f"{path}: keys {list(got[1])}, torch gives {list(want[1])}"
        for k in got[1]:
            assert_close(got[1][k], want[1][k], f"{path}[{k!r}]", rtol, atol)
    elif kind == "ndarray":
        np.testing.assert_allclose(got[1], want[1], rtol=rtol or 1e-6, err_msg=path)
    elif kind == "value" and isinstance(want[1], float) and isinstance(got[1], float):
        np.testing.assert_allclose(got[1], want[1], rtol=rtol or 1e-5, atol=atol or 1e-6, err_msg=path)
    else:
        assert got == want, f"{path}: got {got!r:.300}, torch gives {want!r:.300}"


def _strip_values(res):
    """Shapes and dtypes only (for random ops, whose streams differ from torch's)."""
    if isinstance(res, tuple) and res and res[0] == "tensor":
        return ("tensor", np.zeros(0), res[2], res[3])
    if isinstance(res, tuple) and res and res[0] in ("tuple", "list"):
        return (res[0], [_strip_values(r) for r in res[1]])
    return res


class References:
    """Recorded torch results, one gzipped pickle per test module."""

    def __init__(self):
        self.cache, self.recorded = {}, {}

    def _path(self, module):
        return os.path.join(REFERENCES, module + ".pkl.gz")

    def get(self, module, key):
        if module not in self.cache:
            path = self._path(module)
            self.cache[module] = pickle.load(gzip.open(path)) if os.path.exists(path) else {}
        if key not in self.cache[module]:
            raise LookupError(
                f"no recorded torch result for {module}::{key}; run `python -m compat_tests.record` where torch "
                "is installed"
            )
        return self.cache[module][key]

    def record(self, module, key, value):
        self.recorded.setdefault(module, {})[key] = value

    def save(self):
        """Merge this process's recordings into the files (xdist workers take turns under a lock)."""
        import fcntl

        os.makedirs(REFERENCES, exist_ok=True)
        with open(os.path.join(REFERENCES, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._save()

    def _save(self):
        for module, entries in self.recorded.items():
            path = self._path(module)
            old = pickle.load(gzip.open(path)) if os.path.exists(path) else {}
            old.update(entries)
            tmp = path + ".tmp"
            with gzip.GzipFile(tmp, "wb", mtime=0) as f:
                pickle.dump(dict(sorted(old.items())), f, protocol=4)
            os.replace(tmp, path)


def check(case: Case, module: str, refs: References, record: bool = False):
    """The body of every compat test."""
    if HAVE_TORCH:
        want = run_reference(case)
        if record:
            refs.record(module, case.name, want)
    else:
        want = refs.get(module, case.name)
    got = run_torchlike(case)
    if want[0] == "error" or got[0] == "error":
        assert got[0] == want[0] == "error", (
            f"{case.name}: torchlike {'raised ' + got[1] + ': ' + got[2] if got[0] == 'error' else 'returned'}, "
            f"torch {'raised ' + want[1] + ': ' + want[2] if want[0] == 'error' else 'returned'}"
        )
        assert got[1] == want[1], (
            f"{case.name}: torchlike raised {got[1]} ({got[2]}), torch raises {want[1]} ({want[2]})"
        )
        # a row that errors on both sides must say so in its name: no silently vacuous rows
        assert "error" in case.name, f"{case.name}: both raised {want[1]} ({want[2]}), but the row is not an error row"
        return
    g_out, g_grads = got[1], got[2]
    w_out, w_grads = want[1], want[2]
    if not case.values:
        g_out, w_out = _strip_values(g_out), _strip_values(w_out)
    assert_close(g_out, w_out, "output", case.rtol, case.atol)
    if case.grad and case.values:
        # a gradient is only as precise as the least precise dtype it flowed through
        names = [e[2] for e in _flat(w_out) if e[0] == "tensor"]
        names += ["torch." + str(a.dtype) for a in case.inputs if isinstance(a, np.ndarray)]
        loose = max((_TOL.get(n, (0, 0)) for n in names), default=(None, None))
        rtol = case.rtol if case.rtol is not None else loose[0]
        atol = case.atol if case.atol is not None else loose[1]
        assert_close(g_grads, w_grads, "grad", rtol, atol)
    if case.traced:
        outs, grads = run_traced(case)
        eager = [o for o in _flat(g_out) if o[0] == "tensor"]
        assert len(outs) == len(eager), "traced run returned a different number of tensors"
        for i, (o, e) in enumerate(zip(outs, eager)):
            if case.values:
                r, t = _TOL.get(e[2], (0, 0))
                np.testing.assert_allclose(
                    np.asarray(o, dtype=e[1].dtype),
                    e[1],
                    rtol=max(r, 1e-6),
                    atol=max(t, 1e-6),
                    err_msg=f"traced output {i}",
                )
            assert tuple(o.shape) == e[3], f"traced output {i}: shape {o.shape}, eager {e[3]}"


def _flat(res):
    if isinstance(res, tuple) and res and res[0] in ("tuple", "list"):
        return [x for r in res[1] for x in _flat(r)]
    if isinstance(res, tuple) and res and res[0] == "dict":
        return [x for r in res[1].values() for x in _flat(r)]
    return [res]
