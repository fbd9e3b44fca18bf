"""torchlike.cuda: whether JAX has a GPU backend (mirrors the parts of torch.cuda scripts use)."""

from __future__ import annotations

import jax


def _gpus():
    try:
        return jax.devices("gpu")
    except RuntimeError:
        return []


def is_available() -> bool:
    """True when JAX has a GPU backend."""
    return bool(_gpus())


def device_count() -> int:
    return len(_gpus())


def current_device() -> int:
    return 0


def synchronize(device=None) -> None:
    """Wait for all queued work (JAX dispatches asynchronously)."""
    (jax.device_put(0.0) + 0).block_until_ready()


def manual_seed(seed: int) -> None:
    from .random import manual_seed as _seed

    _seed(seed)


manual_seed_all = manual_seed


def empty_cache() -> None:
    pass
