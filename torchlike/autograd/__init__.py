"""torchlike.autograd: backward, grad, Function, grad modes (mirrors torch.autograd)."""

from __future__ import annotations

from . import functional, graph
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled

# as in torch, the function shadows its module's attribute; the module stays importable by its path
from .gradcheck import gradcheck, gradgradcheck
from .graph import run_backward

__all__ = [
    "Function",
    "FunctionCtx",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "graph",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_detect_anomaly",
    "set_grad_enabled",
]


def _tensor_cls():
    from .._tensor import Tensor

    return Tensor


def _as_tuple(x):
    if x is None:
        return None
    return (x,) if isinstance(x, _tensor_cls()) else tuple(x)


def _root_grads(outputs, grad_outputs, create_graph):
    Tensor = _tensor_cls()
    import jax.numpy as jnp

    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs or [None] * len(outputs))):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._value.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if out._value.dtype.kind not in "fV":  # V: bfloat16
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {out.dtype}")
            g = Tensor._make(graph.filled(out._value.shape, out._value.dtype, 1))
        elif not isinstance(g, Tensor):
            g = Tensor._make(jnp.asarray(g, out.dtype.np))
        elif g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a shape of "
                f"{out.shape}."
            )
        grads.append(g if create_graph else g._value)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Mirrors torch.autograd.backward: accumulates gradients into the leaves' ``.grad``."""
    from .graph import _accumulate

    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors if grad_tensors is not None else grad_variables)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(tensors, grad_tensors, create_graph)
    roots = [t._edge() for t in tensors]
    if inputs is None:
        run_backward(roots, grads, retain_graph, create_graph)
        return
    inputs = _as_tuple(inputs)
    if len(inputs) == 0:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    captured = run_backward(roots, grads, retain_graph, create_graph, inputs=[t._edge() for t in inputs])
    for t, g in zip(inputs, captured):
        if g is not None:
            _accumulate(t, g, create_graph)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """Mirrors torch.autograd.grad: returns the gradients instead of accumulating them."""
    Tensor = _tensor_cls()
    import jax.numpy as jnp

    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outputs, grad_outputs, create_graph)
    captured = run_backward(
        [t._edge() for t in outputs], grads, retain_graph, create_graph, inputs=[t._edge() for t in inputs]
    )
    result = []
    for t, g in zip(inputs, captured):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior."
                )
            result.append(Tensor._make(jnp.zeros(t.shape, t.dtype.np)) if materialize_grads else None)
        else:
            result.append(g if isinstance(g, Tensor) else Tensor._make(g))
    return tuple(result)


Variable = None  # torch.autograd.Variable is Tensor; set by torchlike/__init__
