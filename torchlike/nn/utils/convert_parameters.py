"""parameters_to_vector / vector_to_parameters (mirrors torch.nn.utils.convert_parameters)."""

from __future__ import annotations

from ..._ops._shape_copies import cat
from ..._tensor import Tensor
from ..modules.module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_device(param, old):
    dev = param.device
    if old is not None and dev != old:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return dev


def parameters_to_vector(parameters) -> Tensor:
    """Mirrors torch.nn.utils.parameters_to_vector: one flat tensor of all parameters."""
    device, vec = None, []
    for param in parameters:
        device = _check_device(param, device)
        vec.append(param.view(-1))
    return cat(vec)


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Mirrors torch.nn.utils.vector_to_parameters: each parameter's ``.data`` becomes a view of ``vec``."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    device, pointer = None, 0
    for param in parameters:
        device = _check_device(param, device)
        n = param.numel()
        param.data = vec[pointer : pointer + n].view_as(param).data
        pointer += n
