"""Weights enums and the ``weights=`` argument of the model builders (mirrors torchvision.models._api).

Nothing downloads: ``weights`` is None, a path to a local checkpoint (a state_dict saved by
torch.save or torchlike.save), or a named pretrained set, which raises an error that says where
to get the file and how to pass it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Weights", "WeightsEnum"]


@dataclass(frozen=True)
class Weights:
    """Mirrors torchvision.models.Weights: where torchvision's pretrained file lives, and its metadata."""

    url: str
    meta: dict = field(default_factory=dict, compare=False, hash=False)


class WeightsEnum(Enum):
    """Mirrors torchvision.models.WeightsEnum."""

    @classmethod
    def verify(cls, obj):
        if obj is None or isinstance(obj, cls):
            return obj
        if isinstance(obj, str):
            name = obj.replace(cls.__name__ + ".", "")
            if name not in cls.__members__:
                names = ", ".join(cls.__members__)
                raise ValueError(f"weights={obj!r} is neither a file nor one of the names of {cls.__name__} ({names})")
            return cls[name]
        raise TypeError(
            f"Invalid Weight class provided; expected {cls.__name__} but received {obj.__class__.__name__}."
        )

    @property
    def url(self) -> str:
        return self.value.url

    @property
    def meta(self) -> dict:
        return self.value.meta


def _imagenet(url: str) -> Weights:
    return Weights(url, {"num_classes": 1000})


def _state_dict_from(obj):
    """The state_dict inside a checkpoint: the dict itself, or its "state_dict" / "model" entry."""
    for key in ("state_dict", "model"):
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            return obj[key]
    return obj


def check_weights(weights, enum_cls: type[WeightsEnum]):
    """Validate ``weights`` before building: None or an existing file pass, anything else raises."""
    if weights is None or (isinstance(weights, (str, os.PathLike)) and os.path.isfile(weights)):
        return weights
    if isinstance(weights, os.PathLike):
        raise FileNotFoundError(f"weights file {os.fspath(weights)!r} does not exist")
    w = enum_cls.verify(weights)
    filename = w.url.rsplit("/", 1)[-1]
    raise RuntimeError(
        f"{enum_cls.__name__}.{w.name} are pretrained weights, and torchlike never downloads anything. "
        f"Fetch {w.url} yourself (it is a torch.save state_dict) and pass its path: weights='/path/to/{filename}'"
    )


def load_weights(build, weights, enum_cls: type[WeightsEnum]):
    """``build()``, then load ``weights`` (None, or a checkpoint path) into it; named weights raise first."""
    check_weights(weights, enum_cls)
    model = build()
    if weights is not None:
        from ... import load

        model.load_state_dict(_state_dict_from(load(weights, map_location="cpu", weights_only=True)))
    return model
