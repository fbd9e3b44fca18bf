"""torch.Size: a tuple of ints."""

from __future__ import annotations

import math


class Size(tuple):
    """Mirrors torch.Size."""

    def numel(self) -> int:
        return math.prod(self)

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def __getitem__(self, i):
        r = super().__getitem__(i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))
