"""Import torchvision's pure-Python parts (transforms, datasets, models) as the reference.

The installed torchvision wheel is built against CUDA torch; on the CPU torch these tests use,
``import torchvision`` fails in its package ``__init__`` while registering its C++ ops. The
Python modules the tests compare with (transforms, models, datasets) do not need those ops, so
this module installs an empty ``torchvision`` package object pointing at the wheel's directory:
``import torchvision.models`` then loads only the submodules asked for, skipping the ``__init__``.
Import this module before anything imports torchvision.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types

__all__ = ["datasets", "models", "transforms"]


def _install() -> None:
    if "torchvision" in sys.modules:
        return
    spec = importlib.util.find_spec("torchvision")
    if spec is None:
        raise ImportError("torchvision is not installed (it is in the `test` extra)")
    package = types.ModuleType("torchvision")
    package.__path__ = [os.path.dirname(spec.origin)]
    package.__file__ = spec.origin
    package.get_image_backend = lambda: "PIL"  # datasets.folder.default_loader asks the package for it
    sys.modules["torchvision"] = package


_install()

import torchvision.datasets as datasets  # noqa: E402
import torchvision.models as models  # noqa: E402
import torchvision.transforms as transforms  # noqa: E402
