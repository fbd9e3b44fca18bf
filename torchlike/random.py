"""Generator and the global RNG state (mirrors torch.random / torch.Generator).

The state is a JAX PRNG key held in a Storage, so ``compile`` discovers it and
random ops inside a compiled step draw fresh numbers every call. Streams are
JAX's (threefry), not torch's: the same seed gives reproducible numbers in
torchlike, but not the numbers real torch would draw.
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from ._storage import Storage

_DEFAULT_SEED = 67280421310721


class Generator:
    """Mirrors torch.Generator."""

    def __init__(self, device="cpu"):
        self.device = device
        self._seed = _DEFAULT_SEED
        self._key = Storage(jax.random.PRNGKey(self._seed))

    def manual_seed(self, seed: int) -> Generator:
        seed = int(seed)
        self._seed = seed
        self._key.set(jax.random.PRNGKey(seed & 0xFFFFFFFFFFFFFFFF))
        return self

    def seed(self) -> int:
        s = int(np.random.SeedSequence().entropy) & 0x7FFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        from ._ops.creation import tensor

        return tensor(np.asarray(self._key.array).view(np.uint8))

    def set_state(self, state) -> Generator:
        self._key.set(jnp.asarray(np.asarray(state.numpy(), np.uint8).view(np.uint32)))
        return self

    def next_key(self):
        """Split the key: store one half, return the other (traceable)."""
        new, sub = _split(self._key.array)
        self._key.set(new)
        return sub


@jax.jit
def _split(key):
    k = jax.random.split(key)
    return k[0], k[1]


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Mirrors torch.manual_seed."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, **kwargs):
    """Mirrors torch.random.fork_rng: restores the global RNG state on exit."""
    saved = default_generator._key.array
    try:
        yield
    finally:
        if enabled:
            default_generator._key.set(saved)
