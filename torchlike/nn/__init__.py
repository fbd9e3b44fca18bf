"""torchlike.nn: modules, parameters, functional, init and utils (mirrors torch.nn)."""

from __future__ import annotations

from . import functional, init, modules, parameter, utils
from .modules import *  # noqa: F403
from .parameter import *  # noqa: F403

__all__ = ["functional", "init", "modules", "parameter", "utils", *modules.__all__, *parameter.__all__]
