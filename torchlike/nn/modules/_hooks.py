"""Hook plumbing for Module: RemovableHandle, the global module hooks and BackwardHook.

Mirrors torch.utils.hooks (RemovableHandle, BackwardHook) and the global hook
registries of torch/nn/modules/module.py. Module backward hooks wrap the
module's input and output tensors in identity autograd Functions, as torch's
BackwardHook does, so ``grad_input``/``grad_output`` are seen (and may be
replaced) during backward, with tracers as well as concrete arrays.
"""

from __future__ import annotations

import functools
import itertools
import warnings
import weakref
from collections import OrderedDict

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.function import Function

__all__ = [
    "RemovableHandle",
    "register_module_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]


class RemovableHandle:
    """Removes a hook from its dict (and from ``extra_dict``) (mirrors torch.utils.hooks.RemovableHandle)."""

    _next_id = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(RemovableHandle._next_id)
        extras = [extra_dict] if isinstance(extra_dict, dict) else (extra_dict or [])
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None and self.id in d:
                del d[self.id]

    def __getstate__(self):
        return (self.hooks_dict_ref(), self.id, tuple(ref() for ref in self.extra_dict_ref))

    def __setstate__(self, state) -> None:
        self.hooks_dict_ref = weakref.ref(OrderedDict() if state[0] is None else state[0])
        self.id = state[1]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in state[2] if d is not None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


class _WrappedHook:
    """A hook called with the (weakly held) module as first argument (mirrors torch's _WrappedHook)."""

    def __init__(self, hook, module=None):
        self.hook = hook
        functools.update_wrapper(self, hook)
        self.with_module = module is not None
        if module is not None:
            self.module = weakref.ref(module)

    def __call__(self, *args, **kwargs):
        if self.with_module:
            module = self.module()
            if module is None:
                raise RuntimeError("You are trying to call the hook of a dead Module!")
            return self.hook(module, *args, **kwargs)
        return self.hook(*args, **kwargs)

    def __getstate__(self):
        state = {"hook": self.hook, "with_module": self.with_module}
        if self.with_module:
            state["module"] = self.module()
        return state

    def __setstate__(self, state):
        self.hook, self.with_module = state["hook"], state["with_module"]
        if self.with_module:
            self.module = weakref.ref(state["module"])


# ---------------------------------------------------------------- global hooks
_global_buffer_registration_hooks: dict = OrderedDict()
_global_module_registration_hooks: dict = OrderedDict()
_global_parameter_registration_hooks: dict = OrderedDict()
_global_backward_pre_hooks: dict = OrderedDict()
_global_backward_hooks: dict = OrderedDict()
_global_forward_pre_hooks: dict = OrderedDict()
_global_forward_hooks: dict = OrderedDict()
_global_forward_hooks_always_called: dict = OrderedDict()
_global_forward_hooks_with_kwargs: dict = OrderedDict()


def _register(registry: dict, hook, **extra) -> RemovableHandle:
    handle = RemovableHandle(registry, extra_dict=[d for d in extra.values() if d is not None] or None)
    registry[handle.id] = hook
    for d in extra.values():
        if d is not None:
            d[handle.id] = True
    return handle


def register_module_buffer_registration_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_buffer_registration_hook."""
    return _register(_global_buffer_registration_hooks, hook)


def register_module_module_registration_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_module_registration_hook."""
    return _register(_global_module_registration_hooks, hook)


def register_module_parameter_registration_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_parameter_registration_hook."""
    return _register(_global_parameter_registration_hooks, hook)


def register_module_forward_pre_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_forward_pre_hook."""
    return _register(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook, *, with_kwargs: bool = False, always_call: bool = False) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_forward_hook."""
    return _register(
        _global_forward_hooks,
        hook,
        kw=_global_forward_hooks_with_kwargs if with_kwargs else None,
        always=_global_forward_hooks_always_called if always_call else None,
    )


def register_module_full_backward_pre_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_full_backward_pre_hook."""
    return _register(_global_backward_pre_hooks, hook)


def register_module_full_backward_hook(hook) -> RemovableHandle:
    """Mirrors torch.nn.modules.module.register_module_full_backward_hook."""
    return _register(_global_backward_hooks, hook)


def register_module_backward_hook(hook) -> RemovableHandle:
    """Mirrors the deprecated torch.nn.modules.module.register_module_backward_hook (run as a full hook here)."""
    return _register(_global_backward_hooks, hook)


# ---------------------------------------------------------------- backward hooks
class _Identity(Function):
    """Identity on a group of tensors whose backward calls ``ctx.on_backward(grads) -> grads``."""

    @staticmethod
    def forward(ctx, on_backward, *tensors):
        ctx.on_backward = on_backward
        ctx.set_materialize_grads(False)
        return tuple(tensors)

    @staticmethod
    def backward(ctx, *grads):
        return (None, *ctx.on_backward(grads))


def _pack(indices, values, size):
    res = [None] * size
    for i, v in zip(indices, values):
        res[i] = v
    return tuple(res)


class BackwardHook:
    """Runs full backward (pre-)hooks of one module call (mirrors torch.utils.hooks.BackwardHook)."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module, self.user_hooks, self.user_pre_hooks = module, user_hooks, user_pre_hooks
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_index = self.output_index = None

    def _wrap(self, args, on_backward):
        idx = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not (idx and grad_mode.is_grad_enabled()):
            return args, None
        new = _Identity.apply(on_backward, *[args[i] for i in idx])
        out = list(args)
        for i, t in zip(idx, new):
            out[i] = t
        return tuple(out), idx

    def _input_grads(self, grads):
        if self.grad_outputs is None:  # the gradient reached the inputs without passing the outputs
            return grads
        res = _pack(self.input_index, grads, self.n_inputs)
        for hook in self.user_hooks:
            out = hook(self.module, res, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(res):
                raise RuntimeError(
                    f"Backward hook returned an invalid number of grad_input, got {len(out)}, but expected {len(res)}"
                )
            res = out
        self.grad_outputs = None
        return tuple(res[i] for i in self.input_index)

    def _output_grads(self, grads):
        self.grad_outputs = _pack(self.output_index, grads, self.n_outputs)
        for pre in self.user_pre_hooks:
            out = pre(self.module, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(self.grad_outputs):
                raise RuntimeError(
                    f"Backward pre hook returned an invalid number of grad_output, got {len(out)}, but expected "
                    f"{len(self.grad_outputs)}"
                )
            self.grad_outputs = tuple(out)
        local = self.grad_outputs
        if self.input_index is None:
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module outputs since no "
                "inputs require gradients.",
                stacklevel=2,
            )
            for hook in self.user_hooks:
                res = hook(self.module, _pack([], [], self.n_inputs), self.grad_outputs)
                if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should always return None or "
                        "None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(local[i] for i in self.output_index)

    def setup_input_hook(self, args):
        res, self.input_index = self._wrap(args, self._input_grads)
        self.n_inputs = len(args)
        return res

    def setup_output_hook(self, result):
        is_tuple = isinstance(result, tuple)
        args = result if is_tuple else (result,)
        res, self.output_index = self._wrap(args, self._output_grads)
        self.n_outputs = len(args)
        return res if is_tuple else res[0]


# ---------------------------------------------------------------- Module.__call__ with hooks
def call_with_hooks(self, forward_call, args, kwargs):
    """Module.__call__ when hooks are registered (mirrors the slow path of torch's _call_impl)."""
    result = None
    called_always = set()
    try:
        full_hooks = [*_global_backward_hooks.values()]
        if self._is_full_backward_hook:
            full_hooks += self._backward_hooks.values()
        pre_bw = [*_global_backward_pre_hooks.values(), *self._backward_pre_hooks.values()]
        for hook_id, hook in itertools.chain(_global_forward_pre_hooks.items(), self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                out = hook(self, args, kwargs)
                if out is not None:
                    if not (isinstance(out, tuple) and len(out) == 2):
                        raise RuntimeError(
                            f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {out}."
                        )
                    args, kwargs = out
            else:
                out = hook(self, args)
                if out is not None:
                    args = out if isinstance(out, tuple) else (out,)
        bw_hook = None
        if full_hooks or pre_bw or self._backward_hooks:
            hooks = full_hooks + ([] if self._is_full_backward_hook else list(self._backward_hooks.values()))
            bw_hook = BackwardHook(self, hooks, pre_bw)
            args = bw_hook.setup_input_hook(args)
        result = forward_call(*args, **kwargs)
        for hook_id, hook in itertools.chain(_global_forward_hooks.items(), self._forward_hooks.items()):
            if hook_id in self._forward_hooks_always_called or hook_id in _global_forward_hooks_always_called:
                called_always.add(hook_id)
            if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
                out = hook(self, args, kwargs, result)
            else:
                out = hook(self, args, result)
            if out is not None:
                result = out
        if bw_hook is not None:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn(
                    "For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but "
                    f"received {type(result)}",
                    stacklevel=2,
                )
            else:
                result = bw_hook.setup_output_hook(result)
        return result
    except Exception:
        _run_always_called(self, args, kwargs, result, called_always)
        raise


def _run_always_called(self, args, kwargs, result, called):
    for hook_id, hook in itertools.chain(_global_forward_hooks.items(), self._forward_hooks.items()):
        always = hook_id in self._forward_hooks_always_called or hook_id in _global_forward_hooks_always_called
        if not always or hook_id in called:
            continue
        try:
            if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
                out = hook(self, args, kwargs, result)
            else:
                out = hook(self, args, result)
            result = result if out is None else out
        except Exception as e:
            warnings.warn(
                "module forward hook with ``always_call=True`` raised an exception that was silenced as another "
                f"error was raised in forward: {e}",
                stacklevel=3,
            )
