"""Custom autograd functions (mirrors torch.autograd.Function)."""

from __future__ import annotations

import functools

from . import grad_mode
from .graph import Node


class FunctionCtx:
    """The ``ctx`` a Function's forward and backward share."""

    def __init__(self):
        self.saved_tensors = ()
        self.needs_input_grad = ()
        self._non_differentiable = set()
        self.materialize_grads = True

    def save_for_backward(self, *tensors) -> None:
        self.saved_tensors = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors) -> None:
        pass

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class _FunctionNode(Node):
    __slots__ = ("_cls", "_ctx", "_n_outputs", "_input_mask")

    def _run(self, cts, retain_graph, create_graph):
        from .._tensor import Tensor

        if self._ctx is None:
            from .graph import _FREED

            raise RuntimeError(_FREED)
        grads_in = [None if c is None else (c if isinstance(c, Tensor) else Tensor._make(c)) for c in cts]
        if self._ctx.materialize_grads:
            grads_in = [self._zeros(i, True) if g is None else g for i, g in enumerate(grads_in)]
        result = self._cls.backward(self._ctx, *grads_in)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) < len(self._input_mask):
            raise RuntimeError(
                f"function {self._cls.__name__}Backward returned an incorrect number of gradients (expected "
                f"{len(self._input_mask)}, got {len(result)})"
            )
        out = []
        for g, m in zip(result, self._input_mask):
            if m:
                out.append(None if g is None else (g if create_graph else g._value))
        if not retain_graph:
            self._ctx = None
        return out


class Function:
    """Mirrors torch.autograd.Function: subclass with static ``forward`` and ``backward``, call ``apply``."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor

        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with grad_mode.no_grad():
            if "setup_context" in cls.__dict__ or _overrides_setup_context(cls):
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        mask = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        if not (grad_mode.is_grad_enabled() and any(mask)):
            return output
        outs = output if isinstance(output, tuple) else (output,)
        diff_outs = [
            o
            for o in outs
            if isinstance(o, Tensor)
            and id(o) not in ctx._non_differentiable
            and (o.dtype.is_floating_point or o.dtype.is_complex)
        ]
        meta = tuple((tuple(o.shape), o.dtype.np) for o in diff_outs)
        node = _FunctionNode(
            f"{cls.__name__}Backward", None, tuple(a._edge() for a, m in zip(args, mask) if m), meta, None
        )
        node._vjp = True  # marks the node as live until backward frees it
        node._cls, node._ctx, node._input_mask = cls, ctx, mask
        wrapped, nr = [], 0
        for o in outs:
            if isinstance(o, Tensor) and any(o is d for d in diff_outs):
                w = Tensor._make(o._value, node, nr)
                nr += 1
                wrapped.append(w)
            else:
                wrapped.append(o)
        return tuple(wrapped) if isinstance(output, tuple) else wrapped[0]

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError


def _overrides_setup_context(cls) -> bool:
    for klass in cls.__mro__:
        if klass is Function:
            return False
        if "setup_context" in klass.__dict__:
            return True
    return False


def once_differentiable(fn):
    """Mirrors torch.autograd.function.once_differentiable: backward runs without grad recording."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)

    return wrapper
