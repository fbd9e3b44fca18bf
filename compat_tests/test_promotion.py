"""Property test: broadcasting and type promotion across random shapes and dtypes match torch.

Needs live torch (hypothesis draws new examples; they cannot be recorded), so it
is skipped where torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat_tests.harness import HAVE_TORCH, assert_close, normalize

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="property tests compare against live torch")

import torchlike  # noqa: E402

if HAVE_TORCH:
    import torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
OPS = {
    "add": lambda lib, a, b: a + b,
    "mul": lambda lib, a, b: a * b,
    "truediv": lambda lib, a, b: a / b,
    "maximum": lambda lib, a, b: lib.maximum(a, b) if isinstance(b, lib.Tensor) else a,
    "lt": lambda lib, a, b: a < b,
    "where": lambda lib, a, b: lib.where(a > 0, a, b),
    "sub": lambda lib, a, b: a - b,
}


@st.composite
def operands(draw):
    """Two broadcastable operands: tensors of random dtype and shape (0-d included) or Python scalars."""
    ndim = draw(st.integers(0, 3))
    shape = draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim))
    out = []
    for _ in range(2):
        kind = draw(st.sampled_from(["tensor", "tensor", "zerodim", "scalar"]))
        if kind == "scalar":
            out.append(draw(st.one_of(st.integers(-3, 3), st.floats(-3, 3, width=32), st.booleans())))
            continue
        dtype = draw(st.sampled_from(DTYPES))
        if kind == "zerodim":
            s = ()
        else:  # drop leading dims and set some to 1 so the two shapes broadcast
            k = draw(st.integers(0, len(shape)))
            s = tuple(1 if draw(st.booleans()) else n for n in shape[k:])
        seed = draw(st.integers(0, 2**31 - 1))
        vals = np.random.RandomState(seed).randint(-3, 4, s)
        out.append((vals, dtype))
    return out


def build(lib, x):
    if isinstance(x, tuple):
        vals, dtype = x
        return lib.tensor(vals.astype(np.float64)).to(getattr(lib, dtype))
    return x


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(operands(), st.sampled_from(sorted(OPS)))
def test_broadcast_and_promotion(ops, name):
    a, b = ops
    if not any(isinstance(x, tuple) for x in (a, b)):
        a = (np.array(a, dtype=np.float64), "float32")
    fn = OPS[name]
    results = []
    for lib in (torch, torchlike):
        try:
            results.append(("ok", normalize(fn(lib, build(lib, a), build(lib, b)), lib)))
        except Exception as e:  # the same inputs must fail the same way
            results.append(("error", type(e).__mro__[-2].__name__ if False else _base(e)))
    want, got = results
    assert got[0] == want[0], f"{name}{(a, b)}: torch {want}, torchlike {got}"
    if want[0] == "ok":
        assert_close(got[1], want[1], f"{name}", rtol=1e-2, atol=1e-2)
    else:
        assert got == want


def _base(e):
    for klass in type(e).__mro__:
        if klass.__module__ == "builtins":
            return klass.__name__
    return type(e).__name__


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.sampled_from(DTYPES + ["scalar-int", "scalar-float", "scalar-bool", "scalar-complex"]),
    st.sampled_from(DTYPES + ["complex64"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_result_type(kind_a, kind_b, zd_a, zd_b, swap):
    def make(lib, kind, zd):
        if kind.startswith("scalar"):
            return {"scalar-int": 2, "scalar-float": 2.5, "scalar-bool": True, "scalar-complex": 1j}[kind]
        return lib.zeros(() if zd else (2,), dtype=getattr(lib, kind))

    pairs = [(make(lib, kind_a, zd_a), make(lib, kind_b, zd_b)) for lib in (torch, torchlike)]
    if swap:
        pairs = [(b, a) for a, b in pairs]
    want = torch.result_type(*pairs[0])
    got = torchlike.result_type(*pairs[1])
    assert str(got) == str(want), f"{kind_a}{'()' if zd_a else ''} and {kind_b}{'()' if zd_b else ''}"
