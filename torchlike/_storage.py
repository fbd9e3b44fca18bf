"""The mutable cell that a tensor and all its views read and write."""

from __future__ import annotations


class Storage:
    """Holds one jax.Array (or a tracer, under compile) and a version counter.

    Nothing ever mutates the array: writes replace it with a new one.
    """

    __slots__ = ("array", "version", "__weakref__")

    def __init__(self, array):
        self.array = array
        self.version = 0

    def set(self, array) -> None:
        self.array = array
        self.version += 1
