"""DistributedSampler: each replica's share of a dataset (mirrors torch.utils.data.distributed)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _world(what: str) -> int:
    """The world size or rank from torchlike.distributed, with torch's errors when it is not set up."""
    try:
        from ... import distributed as dist
    except ImportError:
        raise RuntimeError("Requires distributed package to be available") from None
    initialized = getattr(dist, "is_initialized", None)
    if initialized is None or not initialized():
        raise ValueError("Default process group has not been initialized, please make sure to call init_process_group.")
    return dist.get_world_size() if what == "world_size" else dist.get_rank()


class DistributedSampler(Sampler):
    """Mirrors torch.utils.data.distributed.DistributedSampler (same padding and striding)."""

    def __init__(
        self,
        dataset,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None:
            num_replicas = _world("world_size")
        if rank is None:
            rank = _world("rank")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator:
        n = len(self.dataset)
        if self.shuffle:
            import torchlike

            from .sampler import _randperm

            g = torchlike.Generator().manual_seed(self.seed + self.epoch)  # same order on every replica
            indices = _randperm(n, g)
        else:
            indices = list(range(n))
        if not self.drop_last:
            pad = self.total_size - len(indices)
            if pad <= len(indices):
                indices += indices[:pad]
            else:
                indices += (indices * math.ceil(pad / len(indices)))[:pad]
        else:
            indices = indices[: self.total_size]
        return iter(indices[self.rank : self.total_size : self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
