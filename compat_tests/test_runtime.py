"""Runtime configuration against torch: thread counts, determinism, matmul precision, default device,
warn-always, anomaly mode, flush-denormal, typename / is_storage. Each row leaves both libraries' state as
it found it."""

from __future__ import annotations

import warnings

import pytest

import torchlike
from compat_tests.harness import Case


def _restore(lib):
    lib.use_deterministic_algorithms(False)
    lib.set_float32_matmul_precision("highest")
    lib.set_default_device(None)
    lib.set_warn_always(False)
    lib.set_anomaly_enabled(False)
    lib.set_flush_denormal(False)


def stateful(name, body):
    """A row running ``body(lib)`` and then restoring every setting it may touch."""

    def fn(lib):
        try:
            return body(lib)
        finally:
            _restore(lib)

    return Case(name, fn)


def _threads(lib):
    n = lib.get_num_threads()
    lib.set_num_threads(3)
    try:
        return isinstance(n, int) and n > 0, lib.get_num_threads(), lib.get_num_interop_threads() > 0
    finally:
        lib.set_num_threads(n)


def _deterministic(lib):
    out = [lib.are_deterministic_algorithms_enabled(), lib.is_deterministic_algorithms_warn_only_enabled()]
    lib.use_deterministic_algorithms(True, warn_only=True)
    out += [lib.are_deterministic_algorithms_enabled(), lib.is_deterministic_algorithms_warn_only_enabled()]
    out.append(lib.get_deterministic_debug_mode())
    lib.use_deterministic_algorithms(True)
    out += [lib.is_deterministic_algorithms_warn_only_enabled(), lib.get_deterministic_debug_mode()]
    return out


def _debug_mode(lib):
    out = []
    for m in (0, 1, 2, "default", "warn", "error", True):
        lib.set_deterministic_debug_mode(m)
        out.append((lib.get_deterministic_debug_mode(), lib.are_deterministic_algorithms_enabled()))
        out.append(lib.is_deterministic_algorithms_warn_only_enabled())
    return out


def _precision(lib):
    out = [lib.get_float32_matmul_precision()]
    for p in ("high", "medium", "highest"):
        lib.set_float32_matmul_precision(p)
        out.append(lib.get_float32_matmul_precision())
    lib.set_float32_matmul_precision("medium")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lib.set_float32_matmul_precision("low")  # torch warns and keeps the setting
    out += [lib.get_float32_matmul_precision(), len(w) > 0]
    return out


def _device(lib):
    out = [str(lib.get_default_device())]
    lib.set_default_device("cpu")
    out.append(str(lib.get_default_device()))
    out.append(str(lib.zeros(2).device))
    lib.set_default_device(None)
    return out + [str(lib.get_default_device())]


def _flags(lib):
    out = [lib.is_warn_always_enabled(), lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    lib.set_warn_always(True)
    lib.set_anomaly_enabled(True)
    out += [lib.is_warn_always_enabled(), lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
    lib.set_anomaly_enabled(True, False)
    return out + [lib.is_anomaly_check_nan_enabled()]


CASES = [
    stateful("threads", _threads),
    stateful("set_num_threads-error", lambda lib: lib.set_num_threads(0)),
    stateful("deterministic", _deterministic),
    stateful("deterministic-mode-type-error", lambda lib: lib.use_deterministic_algorithms(1)),
    stateful("debug_mode", _debug_mode),
    stateful("debug_mode-value-error", lambda lib: lib.set_deterministic_debug_mode(3)),
    stateful("debug_mode-name-error", lambda lib: lib.set_deterministic_debug_mode("x")),
    stateful("debug_mode-type-error", lambda lib: lib.set_deterministic_debug_mode(1.0)),
    stateful("float32_matmul_precision", _precision),
    stateful("default_device", _device),
    stateful("default_device-name-error", lambda lib: lib.set_default_device("xyz")),
    stateful("flags", _flags),
    stateful("flush_denormal", lambda lib: (lib.set_flush_denormal(True), lib.set_flush_denormal(False))),
    Case(
        "typename",
        lambda lib: (
            lib.typename(lib.zeros(2)),
            lib.typename(lib.zeros(2, dtype=lib.int64)),
            lib.typename(lib.zeros(2, dtype=lib.float64, requires_grad=True)),
            lib.typename(lib.tensor([True])),
            lib.typename(3),
            lib.typename("s"),
        ),
    ),
    Case("is_storage", lambda lib: (lib.is_storage(lib.zeros(2).untyped_storage()), lib.is_storage(lib.zeros(2)))),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_runtime(case, compat):
    compat(case)


def test_default_device_cuda():
    """torch's AssertionError where CUDA is missing; where JAX has a GPU, torchlike refuses a non-CPU
    default device (its creation ops place on the CPU)."""
    expected = RuntimeError if torchlike.cuda.is_available() else AssertionError
    with pytest.raises(expected):
        torchlike.set_default_device("cuda")
    assert str(torchlike.get_default_device()) == "cpu"


def test_interop_threads():
    # torch allows this once per process, before parallel work: checked here on torchlike only
    n = torchlike.get_num_interop_threads()
    torchlike.set_num_interop_threads(4)
    assert torchlike.get_num_interop_threads() == 4
    torchlike.set_num_interop_threads(n)
    with pytest.raises(RuntimeError):
        torchlike.set_num_interop_threads(0)


def test_matmul_precision_sets_jax():
    import jax

    try:
        torchlike.set_float32_matmul_precision("high")
        assert jax.config.jax_default_matmul_precision == "tensorfloat32"
    finally:
        torchlike.set_float32_matmul_precision("highest")
    assert jax.config.jax_default_matmul_precision == "highest"
