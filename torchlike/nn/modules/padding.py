"""Padding layers: Zero/Constant/Reflection/Replication/Circular Pad 1d/2d/3d (mirrors torch/nn/modules/padding.py)."""

from __future__ import annotations

from ..._ops._nn_pad import pad
from .conv import _ntuple
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


class _PadNd(Module):
    """Pads the last N dims by ``padding`` (torch's F.pad order) in ``_mode``."""

    _mode = "constant"
    _nd = 1

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(2 * self._nd)(padding)

    def forward(self, input):
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    _mode = "circular"

    def forward(self, input):
        nd = self._nd
        if input.dim() not in (nd + 1, nd + 2):
            raise ValueError(f"expected {nd + 1}D or {nd + 2}D input (got {input.dim()}D input)")
        return pad(input, self.padding, "circular")


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


def _layer(base, name, nd, mode=None):
    attrs = {"_nd": nd, "__doc__": f"Mirrors torch.nn.{name}.", "__module__": __name__, "__qualname__": name}
    if mode is not None:
        attrs["_mode"] = mode
    return type(name, (base,), attrs)


CircularPad1d = _layer(_CircularPadNd, "CircularPad1d", 1)
CircularPad2d = _layer(_CircularPadNd, "CircularPad2d", 2)
CircularPad3d = _layer(_CircularPadNd, "CircularPad3d", 3)
ConstantPad1d = _layer(_ConstantPadNd, "ConstantPad1d", 1)
ConstantPad2d = _layer(_ConstantPadNd, "ConstantPad2d", 2)
ConstantPad3d = _layer(_ConstantPadNd, "ConstantPad3d", 3)
ReflectionPad1d = _layer(_PadNd, "ReflectionPad1d", 1, "reflect")
ReflectionPad2d = _layer(_PadNd, "ReflectionPad2d", 2, "reflect")
ReflectionPad3d = _layer(_PadNd, "ReflectionPad3d", 3, "reflect")
ReplicationPad1d = _layer(_PadNd, "ReplicationPad1d", 1, "replicate")
ReplicationPad2d = _layer(_PadNd, "ReplicationPad2d", 2, "replicate")
ReplicationPad3d = _layer(_PadNd, "ReplicationPad3d", 3, "replicate")
ZeroPad1d = _layer(_ZeroPadNd, "ZeroPad1d", 1)
ZeroPad2d = _layer(_ZeroPadNd, "ZeroPad2d", 2)
ZeroPad3d = _layer(_ZeroPadNd, "ZeroPad3d", 3)
