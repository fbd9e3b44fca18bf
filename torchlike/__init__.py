"""torchlike: PyTorch's user-facing API running on JAX.

``import torchlike as torch`` and PyTorch code runs on jax.numpy / XLA.
"""

from __future__ import annotations

import jax as _jax

_jax.config.update("jax_enable_x64", True)

from . import _ops as _ops_pkg  # noqa: E402
from . import _runtime, autograd, cuda, linalg, random  # noqa: E402
from ._device import device  # noqa: E402
from ._dtype import (  # noqa: E402
    bfloat16,
    bool,
    can_cast,
    cdouble,
    cfloat,
    complex64,
    complex128,
    double,
    dtype,
    finfo,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    iinfo,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    set_default_dtype,
    short,
    uint8,
)
from ._dtype import result_type as _result_type  # noqa: E402
from ._ops._aliases import *  # noqa: E402,F403
from ._ops._tensor_extras import *  # noqa: E402,F403
from ._ops.complex import *  # noqa: E402,F403
from ._ops.construct import *  # noqa: E402,F403
from ._ops.creation import *  # noqa: E402,F403
from ._ops.index import *  # noqa: E402,F403
from ._ops.linalg import *  # noqa: E402,F403
from ._ops.nn_aliases import *  # noqa: E402,F403
from ._ops.pointwise import *  # noqa: E402,F403
from ._ops.reduce import *  # noqa: E402,F403
from ._ops.shape import *  # noqa: E402,F403
from ._ops.special import *  # noqa: E402,F403
from ._ops.stats import *  # noqa: E402,F403
from ._runtime import *  # noqa: E402,F403
from ._size import Size  # noqa: E402
from ._tensor import Tensor  # noqa: E402
from ._tensor_str import set_printoptions  # noqa: E402
from .autograd.grad_mode import (  # noqa: E402
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state  # noqa: E402

__all__ = [
    "Generator",
    "Size",
    "Tensor",
    "autograd",
    "bfloat16",
    "bool",
    "can_cast",
    "cdouble",
    "cfloat",
    "clone",
    "complex64",
    "complex128",
    "cuda",
    "detach",
    "device",
    "double",
    "dtype",
    "enable_grad",
    "finfo",
    "float",
    "float16",
    "float32",
    "float64",
    "get_default_dtype",
    "get_rng_state",
    "half",
    "iinfo",
    "inference_mode",
    "initial_seed",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_complex",
    "is_floating_point",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "is_tensor",
    "linalg",
    "long",
    "manual_seed",
    "no_grad",
    "numel",
    "promote_types",
    "random",
    "result_type",
    "seed",
    "set_default_dtype",
    "set_grad_enabled",
    "set_printoptions",
    "set_rng_state",
    "short",
    "uint8",
]
for _family in (*_ops_pkg.FAMILIES, _runtime):
    __all__ += _family.__all__

_ops_pkg.install()
autograd.Variable = Tensor

from . import nn, optim, special, utils  # noqa: E402
from .serialization import load, save  # noqa: E402

__all__ += ["load", "nn", "optim", "save", "special", "utils"]

__version__ = "0.1.0"


def result_type(tensor1, tensor2) -> dtype:
    """Mirrors torch.result_type."""
    return _result_type(tensor1, tensor2)


def is_tensor(obj) -> bool:
    """Mirrors torch.is_tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def is_complex(input) -> bool:
    return input.is_complex()


def numel(input) -> int:
    return input.numel()


def clone(input, *, memory_format=None):
    return input.clone()


def detach(input):
    return input.detach()
