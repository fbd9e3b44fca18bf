"""Autograd anomaly mode: the NaN check in backward (mirrors torch.autograd.anomaly_mode)."""

from __future__ import annotations

import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly"]


class _State:
    """Process-wide, as torch's ``AnomalyMode`` (not thread-local)."""

    enabled = False
    check_nan = True
    nan_check = False  # enabled and check_nan: the one flag the engine tests per node


_state = _State()


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Mirrors torch.set_anomaly_enabled."""
    _state.enabled, _state.check_nan = bool(enabled), bool(check_nan)
    _state.nan_check = _state.enabled and _state.check_nan


def is_anomaly_enabled() -> bool:
    """Mirrors torch.is_anomaly_enabled."""
    return _state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """Mirrors torch.is_anomaly_check_nan_enabled."""
    return _state.check_nan


class detect_anomaly:
    """Mirrors torch.autograd.detect_anomaly: a context manager enabling the backward NaN check.

    Torch's forward-traceback printing for failing nodes is not reproduced; like torch's, this class is
    not a decorator.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled "
            "for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Mirrors torch.autograd.set_detect_anomaly: sets the mode on construction, restores it on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def _run_checked(node, cts: list, retain_graph: bool, create_graph: bool) -> list:
    """``node._run``, then torch's error if a gradient for one of its inputs holds a NaN (concrete values only)."""
    import jax
    import jax.numpy as jnp

    mask = getattr(node, "_input_mask", None) or (node._saved[2] if node._saved is not None else None)
    grads = node._run(cts, retain_graph, create_graph)
    for k, g in enumerate(grads):
        a = getattr(g, "_value", g)
        if a is None or isinstance(a, jax.core.Tracer) or not jnp.issubdtype(a.dtype, jnp.inexact):
            continue
        if bool(jnp.isnan(a).any()):
            # torch numbers a node's outputs by the op's inputs, including those not requiring grad
            nr = k if mask is None else [i for i, m in enumerate(mask) if m][k]
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {nr}th output.")
    return grads
