"""Tensor printing against torch: ``repr`` must match character for character."""

from __future__ import annotations

import math

import jax
import numpy as np
import pytest

import torchlike
from torchlike import _tensor_str

torch = pytest.importorskip("torch")

nan, inf = math.nan, math.inf
R = np.random.RandomState(0)
NORMAL = R.standard_normal((5, 5)).astype(np.float32)
WIDE = R.standard_normal((4, 6)) * 10.0 ** R.randint(-6, 7, (4, 6))
_CPU = jax.devices("cpu")[0]


def tl_set_printoptions(**kwargs):
    return getattr(torchlike, "set_printoptions", _tensor_str.set_printoptions)(**kwargs)


@pytest.fixture(autouse=True)
def _default_printoptions():
    yield
    torch.set_printoptions(profile="default")
    tl_set_printoptions(profile="default")


def both_reprs(build):
    # build on the CPU, so that a JAX GPU backend does not add device='cuda:0' (checked separately below)
    with jax.default_device(_CPU):
        mine = repr(build(torchlike))
    return mine, repr(build(torch))


ROWS = {
    # floats: fixed point, integral values, zeros, alignment
    "f32": lambda lib: lib.tensor([1.5, -2.25, 3.0]),
    "integral-floats": lambda lib: lib.tensor([1.0, 2.0]),
    "zeros-and-neg-zero": lambda lib: lib.tensor([0.0, -0.0]),
    "zeros-fn": lambda lib: lib.zeros(2, 3),
    "ones-fn": lambda lib: lib.ones(4),
    "0d-float": lambda lib: lib.tensor(3.5),
    "0d-integral-float": lambda lib: lib.tensor(2.0),
    "0d-int": lambda lib: lib.tensor(7),
    "0d-bool": lambda lib: lib.tensor(True),
    "2d-float": lambda lib: lib.tensor([[1.5, -20.25], [300.125, 4.0]]),
    "3d-arange": lambda lib: lib.arange(24.0).reshape(2, 3, 4),
    "4d-int": lambda lib: lib.arange(16).reshape(2, 2, 2, 2),
    "shape-1x1": lambda lib: lib.tensor([[5.0]]),
    "shape-3x1": lambda lib: lib.tensor([[1], [-20], [300]]),
    "negatives-align": lambda lib: lib.tensor([-1.5, 10.25, -100.125]),
    "rounding": lambda lib: lib.tensor([0.123456789, 1 / 3, 2 / 3]),
    "precision-carry": lambda lib: lib.tensor([9.99996, 0.5]),
    # scientific notation switching
    "sci-mix": lambda lib: lib.tensor([1e-8, 1e8]),
    "sci-small": lambda lib: lib.tensor([1e-5, 2e-5]),
    "sci-large": lambda lib: lib.tensor([1e9, 2e9]),
    "sci-ratio": lambda lib: lib.tensor([1.0, 1001.5]),
    "no-sci-at-1e8": lambda lib: lib.tensor([1e8, 2e7]),
    "no-sci-at-1e-4": lambda lib: lib.tensor([1e-4, 2e-4]),
    "sci-integral-large": lambda lib: lib.tensor([123456789.0, 1.0]),
    "sci-negative": lambda lib: lib.tensor([-1e-6, 3.0, -250.0]),
    # nan and inf
    "nan-inf-mixed": lambda lib: lib.tensor([nan, inf, -inf, 1.5]),
    "nan-inf-only": lambda lib: lib.tensor([nan, inf, -inf]),
    "nan-integral": lambda lib: lib.tensor([1.0, nan, -inf, 0.0]),
    "nan-sci": lambda lib: lib.tensor([1e-10, nan, 5.0]),
    # dtypes and their suffixes
    "f64": lambda lib: lib.tensor([1.5, 2.5], dtype=lib.float64),
    "f64-integral": lambda lib: lib.tensor([1.0, -2.0], dtype=lib.float64),
    "f16": lambda lib: lib.tensor([0.1, -2.5, 65504.0], dtype=lib.float16),
    "bf16": lambda lib: lib.tensor([1.1, 2.2, -3.3], dtype=lib.bfloat16),
    "bf16-0d": lambda lib: lib.tensor(0.3, dtype=lib.bfloat16),
    "int32": lambda lib: lib.tensor([1, -2, 300], dtype=lib.int32),
    "int64": lambda lib: lib.tensor([1, -2, 300]),
    "int8": lambda lib: lib.tensor([-128, 0, 127], dtype=lib.int8),
    "int16": lambda lib: lib.tensor([[1, 2], [3, -4]], dtype=lib.int16),
    "uint8": lambda lib: lib.tensor([0, 7, 255], dtype=lib.uint8),
    "bool": lambda lib: lib.tensor([True, False]),
    "bool-2d": lambda lib: lib.tensor([[True], [False]]),
    "complex64": lambda lib: lib.tensor([1 + 2j, -3.5 - 4j]),
    "complex-integral": lambda lib: lib.tensor([1 + 1j, 2 - 2j, -0.0 + 0j]),
    "complex-0d": lambda lib: lib.tensor(1.25 - 0.5j),
    "complex128": lambda lib: lib.tensor([1 + 2j], dtype=lib.complex128),
    "complex-sci": lambda lib: lib.tensor([1e-8 + 1j, 3 - 2e5j]),
    "complex-2d": lambda lib: lib.tensor([[1 + 2j, 3.5], [-1j, 100]]),
    # empty
    "empty": lambda lib: lib.tensor([]),
    "empty-0x3": lambda lib: lib.tensor([]).reshape(0, 3),
    "empty-int64": lambda lib: lib.tensor([], dtype=lib.int64),
    "empty-f64": lambda lib: lib.tensor([], dtype=lib.float64),
    "empty-bool-2x0": lambda lib: lib.zeros(2, 0, dtype=lib.bool),
    # summarization (more than 1000 elements)
    "summarize-1d": lambda lib: lib.arange(2000.0),
    "summarize-1d-int": lambda lib: lib.arange(2000),
    "summarize-2d": lambda lib: lib.arange(3000.0).reshape(30, 100),
    "summarize-3d": lambda lib: lib.arange(4000.0).reshape(10, 20, 20) / 7,
    "summarize-narrow": lambda lib: lib.arange(1004).reshape(1004, 1),
    "no-summarize-1000": lambda lib: lib.arange(1000),
    # linewidth wrapping
    "wrap-floats": lambda lib: lib.arange(50.0) * 1.5,
    "wrap-ints": lambda lib: lib.arange(100),
    "wrap-2d": lambda lib: lib.arange(60.0).reshape(2, 30) / 7,
    "wrap-3d": lambda lib: lib.arange(80).reshape(2, 2, 20) * 1000,
    # autograd suffixes
    "requires-grad-leaf": lambda lib: lib.ones(3, requires_grad=True),
    "grad-fn-mul": lambda lib: lib.ones(3, requires_grad=True) * 2,
    "grad-fn-add": lambda lib: lib.ones(2, requires_grad=True) + 1,
    "grad-fn-f64": lambda lib: lib.ones(2, dtype=lib.float64, requires_grad=True) - 0.5,
    "suffix-wraps": lambda lib: lib.arange(13.0, dtype=lib.float64, requires_grad=True) * 1.5,
    "suffix-after-wrapped-row": lambda lib: lib.arange(40.0, dtype=lib.float64, requires_grad=True) * 1.5,
    "empty-requires-grad": lambda lib: lib.zeros(0, 2, requires_grad=True),
    # views and indexing
    "index-row": lambda lib: lib.arange(12.0).reshape(3, 4)[1],
    "index-scalar": lambda lib: lib.arange(12.0).reshape(3, 4)[1, 2],
    "slice-view": lambda lib: lib.arange(12.0).view(3, 4)[:, 1:3],
    "negation": lambda lib: -lib.arange(6).reshape(2, 3),
    # random data
    "random-normal": lambda lib: lib.tensor(NORMAL),
    "random-wide": lambda lib: lib.tensor(WIDE),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_repr_matches_torch(name):
    mine, ref = both_reprs(ROWS[name])
    assert mine == ref


OPTIONS = [
    ("precision-2", {"precision": 2}, lambda lib: lib.tensor([1.12345, -2.5])),
    ("precision-8", {"precision": 8}, lambda lib: lib.tensor([1 / 3, 2.0], dtype=lib.float64)),
    ("precision-0", {"precision": 0}, lambda lib: lib.tensor([1.6, 2.4])),
    ("threshold-5", {"threshold": 5}, lambda lib: lib.arange(10)),
    ("threshold-edgeitems-1", {"threshold": 5, "edgeitems": 1}, lambda lib: lib.arange(36.0).reshape(6, 6)),
    ("edgeitems-0", {"threshold": 5, "edgeitems": 0}, lambda lib: lib.arange(10.0)),
    ("edgeitems-0-2d", {"threshold": 5, "edgeitems": 0}, lambda lib: lib.arange(12.0).reshape(3, 4)),
    ("linewidth-40", {"linewidth": 40}, lambda lib: lib.arange(30.0) / 3),
    ("linewidth-tiny", {"linewidth": 5}, lambda lib: lib.arange(4.0, requires_grad=True) * 2),
    ("profile-short", {"profile": "short"}, lambda lib: lib.arange(2000.0) / 3),
    ("profile-full", {"profile": "full"}, lambda lib: lib.arange(1200)),
    ("sci-on", {"sci_mode": True}, lambda lib: lib.tensor([1.0, 2.5])),
    ("sci-on-zeros", {"sci_mode": True}, lambda lib: lib.zeros(3)),
    ("sci-off", {"sci_mode": False}, lambda lib: lib.tensor([1e-8, 1e8])),
    ("sci-on-complex", {"sci_mode": True}, lambda lib: lib.tensor([1 + 2j])),
]


@pytest.mark.parametrize("name, options, build", OPTIONS, ids=[row[0] for row in OPTIONS])
def test_printoptions_match_torch(name, options, build):
    torch.set_printoptions(**options)
    tl_set_printoptions(**options)
    mine, ref = both_reprs(build)
    assert mine == ref


def test_set_printoptions_resets_sci_mode():
    tl_set_printoptions(sci_mode=True)
    tl_set_printoptions(precision=3)
    assert _tensor_str.get_printoptions() == {
        "precision": 3,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


def _random_array(seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    shape = tuple(rng.randint(1, 6, rng.randint(0, 4)))
    kind = ["f32", "f64", "int", "sparse"][seed % 4]
    if kind == "int":
        return rng.randint(-(10 ** rng.randint(1, 10)), 10**6, shape)
    values = rng.standard_normal(shape) * 10.0 ** rng.randint(-9, 10)
    if kind == "sparse":
        values = np.where(
            rng.rand(*shape) < 0.5, np.round(values), np.array([0.0, nan, -inf])[rng.randint(0, 3, shape)]
        )
    return values.astype(np.float64 if kind == "f64" else np.float32)


@pytest.mark.parametrize("seed", range(40))
def test_random_arrays_match_torch(seed):
    a = _random_array(seed)
    mine, ref = both_reprs(lambda lib: lib.tensor(a))
    assert mine == ref


def test_str_is_repr():
    t = torchlike.tensor([[1.5, 2.0], [3.0, 4.0]])
    assert str(t) == repr(t) == str(torch.tensor([[1.5, 2.0], [3.0, 4.0]]))


def test_device_suffix(monkeypatch):
    # torch prints the device of a non-CPU tensor; fake one, since this test must run without a GPU
    monkeypatch.setattr(torchlike.Tensor, "device", property(lambda self: torchlike.device("cuda", 0)))
    assert repr(torchlike.tensor([1.5, 2.0])) == "tensor([1.5000, 2.0000], device='cuda:0')"
    assert repr(torchlike.tensor([1, 2], dtype=torchlike.int32)) == "tensor([1, 2], device='cuda:0', dtype=torch.int32)"


def test_traced_repr():
    seen = []

    def f(x):
        seen.append(repr(torchlike.Tensor._make(x)))
        return x

    jax.jit(f)(np.zeros((3, 4), np.float32))
    assert seen == ["tensor(<traced float32[3, 4]>)"]
