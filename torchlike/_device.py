"""device objects mapped onto JAX devices (mirrors torch.device)."""

from __future__ import annotations

import jax


class device:
    """Mirrors torch.device: ``device('cpu')``, ``device('cuda:0')``, ``device('cuda', 1)``."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        elif ":" in type:
            if index is not None:
                raise ValueError(f"type (string) must not include an index because index was passed explicitly: {type}")
            type, idx = type.split(":", 1)
            index = int(idx)
        if type not in ("cpu", "cuda", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, meta device type at start of device string: {type}")
        self.type, self.index = type, index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __repr__(self):
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self):
        return (device, (self.type, self.index))


def jax_device(d: device):
    """The jax.Device a torch device names ('cuda' means the JAX GPU backend)."""
    platform = "gpu" if d.type == "cuda" else "cpu"
    try:
        devs = jax.devices(platform)
    except RuntimeError:
        raise RuntimeError(f"device {d} is not available: JAX has no {platform} backend on this machine") from None
    return devs[d.index or 0]


def of_array(a) -> device:
    """The torch device an array lives on (tracers report the default device)."""
    try:
        devs = a.devices()
        dev = next(iter(devs))
    except Exception:
        dev = jax.devices()[0]
    return device("cpu") if dev.platform == "cpu" else device("cuda", dev.id)
