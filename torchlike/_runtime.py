"""Runtime configuration: threads, determinism, matmul precision, default device, warnings, anomaly mode,
denormals, typename / is_storage.

These keep torch's state and return what torch returns. Where XLA's behaviour cannot follow the
setting (its CPU thread pool is sized when JAX starts; it never flushes denormals), the docstring says
so. XLA's CPU programs are deterministic, so the determinism switches only record the mode.
"""

from __future__ import annotations

import builtins
import os
import platform

import jax

from ._device import device as _device
from ._storage import Storage
from ._tensor import Tensor

# anomaly mode's state lives with the backward engine's NaN check; these are re-exported as torch.*
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled

_state = {
    "num_threads": None,
    "num_interop_threads": None,
    "deterministic": False,
    "deterministic_warn_only": False,
    "matmul_precision": "highest",
    "warn_always": False,
    "flush_denormal": False,
}

# ---------------------------------------------------------------- threads


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """Mirrors torch.get_num_threads (OMP_NUM_THREADS, else the CPUs this process may use)."""
    if _state["num_threads"] is None:
        env = os.environ.get("OMP_NUM_THREADS", "")
        return int(env) if env.isdigit() and int(env) > 0 else _cpus()
    return _state["num_threads"]


def set_num_threads(int: int) -> None:  # noqa: A002 - torch's argument name
    """Mirrors torch.set_num_threads. Recorded only: XLA sizes its CPU thread pool when JAX starts (set
    XLA_FLAGS / OMP_NUM_THREADS before importing torchlike to change it)."""
    if not isinstance(int, builtins.int):
        raise TypeError(f"set_num_threads(): argument 'int' (position 1) must be int, not {type(int).__name__}")
    if int <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _state["num_threads"] = int


def get_num_interop_threads() -> int:
    """Mirrors torch.get_num_interop_threads."""
    n = _state["num_interop_threads"]
    return _cpus() if n is None else n


def set_num_interop_threads(int: int) -> None:  # noqa: A002 - torch's argument name
    """Mirrors torch.set_num_interop_threads (recorded only, as set_num_threads)."""
    if int <= 0:
        raise RuntimeError("Expected positive number of threads")
    _state["num_interop_threads"] = int


# ---------------------------------------------------------------- determinism


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Mirrors torch.use_deterministic_algorithms. XLA's CPU programs are already deterministic."""
    if not isinstance(mode, bool):
        raise TypeError(
            f"_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}"
        )
    _state["deterministic"], _state["deterministic_warn_only"] = mode, bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """Mirrors torch.are_deterministic_algorithms_enabled."""
    return _state["deterministic"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """Mirrors torch.is_deterministic_algorithms_warn_only_enabled."""
    return _state["deterministic_warn_only"]


_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def set_deterministic_debug_mode(debug_mode) -> None:
    """Mirrors torch.set_deterministic_debug_mode: 0 / 'default', 1 / 'warn', 2 / 'error'."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(
                f"invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got {debug_mode}"
            )
        debug_mode = _DEBUG_MODES[debug_mode]
    elif not isinstance(debug_mode, int):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")
    use_deterministic_algorithms(debug_mode > 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode() -> int:
    """Mirrors torch.get_deterministic_debug_mode."""
    if not _state["deterministic"]:
        return 0
    return 1 if _state["deterministic_warn_only"] else 2


# ---------------------------------------------------------------- matmul precision

_PRECISIONS = {"highest": "highest", "high": "tensorfloat32", "medium": "bfloat16"}


def set_float32_matmul_precision(precision: str) -> None:
    """Mirrors torch.set_float32_matmul_precision; sets JAX's default matmul precision to match ('high' is
    TF32, 'medium' bfloat16 passes, where the hardware has them; CPUs compute in float32 regardless)."""
    if precision not in _PRECISIONS:
        import warnings

        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current setFloat32MatmulPrecision call "
            "has no effect.",
            UserWarning,
            stacklevel=2,
        )
        return
    if precision == _state["matmul_precision"]:
        return
    _state["matmul_precision"] = precision
    jax.config.update("jax_default_matmul_precision", _PRECISIONS[precision])


def get_float32_matmul_precision() -> str:
    """Mirrors torch.get_float32_matmul_precision."""
    return _state["matmul_precision"]


# ---------------------------------------------------------------- default device


def get_default_device() -> _device:
    """Mirrors torch.get_default_device: torchlike creates tensors on the CPU."""
    return _device("cpu")


def set_default_device(device) -> None:
    """Mirrors torch.set_default_device for the CPU (and None, which resets it). torchlike's creation ops
    place tensors on the CPU by default; other default devices are refused: AssertionError (torch's type)
    where there is no CUDA, RuntimeError otherwise."""
    if device is None:
        return
    d = _device(device)
    if d.type == "cpu":
        return
    if d.type == "cuda":
        from . import cuda

        if not cuda.is_available():
            raise AssertionError("Torch not compiled with CUDA enabled (JAX has no GPU backend on this machine)")
    raise RuntimeError(
        f"torchlike.set_default_device({str(d)!r}): torchlike creates tensors on the CPU by default; pass "
        "device= to creation functions or use .to() instead"
    )


# ---------------------------------------------------------------- warnings, anomaly mode, denormals


def set_warn_always(b: bool) -> None:
    """Mirrors torch.set_warn_always."""
    _state["warn_always"] = bool(b)


def is_warn_always_enabled() -> bool:
    """Mirrors torch.is_warn_always_enabled."""
    return _state["warn_always"]


def set_flush_denormal(mode: bool) -> bool:
    """Mirrors torch.set_flush_denormal: True where the CPU supports flushing (x86 with SSE3, ARM), as
    torch returns. XLA's programs keep denormals regardless: the mode is recorded, not applied."""
    supported = platform.machine().lower() in ("x86_64", "amd64", "i686", "aarch64", "arm64")
    if supported:
        _state["flush_denormal"] = bool(mode)
    return supported


# ---------------------------------------------------------------- type queries


def typename(obj) -> str:
    """Mirrors torch.typename: 'torch.FloatTensor' for tensors, else the object's qualified type name."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    qualname = ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    if module in ("", "builtins"):
        return qualname
    return f"{module}.{qualname}"


def is_storage(obj) -> bool:
    """Mirrors torch.is_storage: whether ``obj`` is a tensor's storage (``t.untyped_storage()``)."""
    return isinstance(obj, Storage)


__all__ = [
    "get_num_threads",
    "set_num_threads",
    "get_num_interop_threads",
    "set_num_interop_threads",
    "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "set_deterministic_debug_mode",
    "get_deterministic_debug_mode",
    "set_float32_matmul_precision",
    "get_float32_matmul_precision",
    "get_default_device",
    "set_default_device",
    "set_warn_always",
    "is_warn_always_enabled",
    "set_anomaly_enabled",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
    "set_flush_denormal",
    "typename",
    "is_storage",
]
