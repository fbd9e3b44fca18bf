"""Base optimizer, mirroring torch.optim.Optimizer: param groups, per-parameter state, state_dict, hooks.

``Optimizer`` is torch's surface for any optimizer, including a user's subclass
that writes its own ``step`` with tensor ops; the built-in optimizers derive
from ``_chain._ChainOptimizer``, whose ``step`` runs an optax chain per group.

All state lives in tensors: ``state[p]`` holds torch's keys (``step`` is a 0-d
float32 tensor, as in torch), and each group's numeric hyperparameters (``lr``,
``betas``, ...) are mirrored into 0-d (pairs: 1-d) arrays in storages, written
whenever ``group[key]`` is assigned (param groups are ``_ParamGroup`` dicts).
So changing ``group['lr']`` never retraces, a compiled step sees the change,
and the same step runs with tracers in every storage. Hyperparameter arrays
are float64 (torch does that scalar math on Python floats) and are cast to
each parameter's dtype where they meet it. Sparse gradients are out of scope.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

import jax.numpy as jnp

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.graph import RemovableHandle

__all__ = ["Optimizer", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook"]

_global_optimizer_pre_hooks: OrderedDict = OrderedDict()
_global_optimizer_post_hooks: OrderedDict = OrderedDict()


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """Mirrors torch.optim.optimizer.register_optimizer_step_pre_hook."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """Mirrors torch.optim.optimizer.register_optimizer_step_post_hook."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


# Hyperparameters are float64: torch does its scalar math (``1 - beta2``, bias corrections) on Python floats,
# and the same math on float32 values is off by up to 1e-5 relative (1 - float32(0.999)).
_HYPER_DTYPE = jnp.float64


def _scalar_dtype():
    """torch's dtype for ``state['step']``."""
    return jnp.float64 if D.get_default_dtype() is D.float64 else jnp.float32


def _to_scalar(x):
    """A 1-element tensor becomes 0-d (torch.optim.optimizer._to_scalar)."""
    return x.squeeze() if isinstance(x, Tensor) and x.dim() != 0 else x


def _hooked_step(func):
    @functools.wraps(func)
    def step(self, *args, **kwargs):
        for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"{func} must return None or a tuple of (new_args, new_kwargs), but got {result}."
                    )
                args, kwargs = result
        out = func(self, *args, **kwargs)
        for post_hook in chain(self._optimizer_step_post_hooks.values(), _global_optimizer_post_hooks.values()):
            post_hook(self, args, kwargs)
        return out

    step.hooked = True
    return step


# ---------------------------------------------------------------- hyperparameters in storages


def _holds_tensor(v) -> bool:
    return isinstance(v, Tensor) or (isinstance(v, tuple) and any(isinstance(x, Tensor) for x in v))


def _as_array(v, dtype):
    if isinstance(v, tuple):
        return jnp.stack([_as_array(x, dtype) for x in v])
    if isinstance(v, Tensor):
        return v._value.astype(dtype).reshape(())
    return jnp.asarray(0.0 if v is None else v, dtype)


class _Hyper:
    """One param group's numeric hyperparameters, each an array in a tensor's storage."""

    def __init__(self, keys: tuple, dtype):
        self.keys, self.dtype = keys, dtype
        self.tensors: dict[str, Tensor] = {}
        self.synced: dict[str, Any] = {}  # the Python value each storage was last written from

    def write(self, key: str, value) -> None:
        self.synced[key] = value
        if _holds_tensor(value):
            return  # read from the tensor(s) themselves at each step
        arr = _as_array(value, self.dtype)
        t = self.tensors.get(key)
        if t is None or t._value.shape != arr.shape:
            self.tensors[key] = Tensor._make(arr)
        else:
            t._storage.set(arr)

    def arrays(self, group: dict) -> dict:
        out = {}
        for key in self.keys:
            v = group[key]
            if self.synced.get(key, self) is not v:
                self.write(key, v)
            out[key] = _as_array(v, self.dtype) if _holds_tensor(v) else self.tensors[key]._value
        return out


class _ParamGroup(dict):
    """A param group: a plain dict to its users, except that assigning a hyperparameter also writes its
    storage, so even a compiled step (which runs no Python) sees the new value."""

    _hyper: _Hyper | None = None

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        if self._hyper is not None and key in self._hyper.keys:
            self._hyper.write(key, value)

    def __reduce_ex__(self, protocol):
        return (dict, (dict(self),))  # copies and pickles are plain dicts, as in torch


# ---------------------------------------------------------------- Optimizer


class Optimizer:
    """Base class for all optimizers; mirrors torch.optim.Optimizer."""

    _hyper_keys: tuple = ()

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                + params.type()
            )
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._hyper: list[_Hyper] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("step_pre", "step_post", "state_dict_pre", "state_dict_post"):
            self.__dict__.setdefault(f"_optimizer_{name}_hooks", OrderedDict())
        for name in ("load_state_dict_pre", "load_state_dict_post"):
            self.__dict__.setdefault(f"_optimizer_{name}_hooks", OrderedDict())
        self.__dict__.setdefault("_hyper", [])
        self._patch_step_function()
        for group in self.param_groups:  # checkpoints from older versions lack newer options
            for key, default in self.defaults.items():
                if default is not required:
                    group.setdefault(key, default)
        self.defaults.setdefault("differentiable", False)
        self._bind_groups()

    def __repr__(self) -> str:
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        return s + ")"

    def _patch_step_function(self) -> None:
        cls = type(self)
        if not getattr(cls.step, "hooked", False):
            cls.step = _hooked_step(cls.step)

    def _bind_groups(self) -> None:
        """Make every group a _ParamGroup bound to its hyperparameter storages (reused by position)."""
        old = self.__dict__.get("_hyper", [])
        for i, group in enumerate(self.param_groups):
            if isinstance(group, _ParamGroup) and group._hyper is not None and group._hyper.keys == self._hyper_keys:
                continue
            hyper = old[i] if i < len(old) and old[i].keys == self._hyper_keys else _Hyper(self._hyper_keys, None)
            hyper.dtype, hyper.synced = _HYPER_DTYPE, {}
            bound = _ParamGroup(group)
            bound._hyper = hyper
            for key in self._hyper_keys:
                if key in bound:
                    hyper.write(key, bound[key])
            self.param_groups[i] = bound
        self._hyper = [g._hyper for g in self.param_groups]

    # ------------------------------------------------------------ hooks
    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_step_pre_hook: ``hook(optimizer, args, kwargs)``."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_step_post_hook: ``hook(optimizer, args, kwargs)``."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_state_dict_pre_hook: ``hook(optimizer)``."""
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_state_dict_post_hook: ``hook(optimizer, state_dict)``."""
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_load_state_dict_pre_hook: ``hook(optimizer, state_dict)``."""
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Mirrors torch.optim.Optimizer.register_load_state_dict_post_hook: ``hook(optimizer)``."""
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------ state_dict
    def state_dict(self) -> dict[str, Any]:
        """Mirrors torch.optim.Optimizer.state_dict: ``{'state': {index: {...}}, 'param_groups': [...]}``."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        param_mappings: dict[int, int] = {}
        start_index = 0

        def pack_group(group):
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            param_mappings.update(
                {id(p): i for i, p in enumerate(group["params"], start_index) if id(p) not in param_mappings}
            )
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(param_mappings[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param, value, param_id, param_groups, key=None):
        fused = capturable = False
        for pg in param_groups:
            if param_id in pg["params"]:
                fused, capturable = pg.get("fused", False), pg.get("capturable", False)
                break
        if key == "step":
            return value.to(dtype=D.float32, device=param.device) if (capturable or fused) else value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Mirrors torch.optim.Optimizer.load_state_dict (tensors are cast to their parameter's dtype)."""
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups), chain.from_iterable(g["params"] for g in groups)
            )
        )

        def _cast(param, value, param_id=None, param_groups=None, key=None):
            if isinstance(value, Tensor):
                return Optimizer._process_value_according_to_param_policy(param, value, param_id, param_groups, key)
            if isinstance(value, dict):
                return {k: _cast(param, v, param_id, param_groups, key=k) for k, v in value.items()}
            if isinstance(value, Iterable) and not isinstance(value, str):
                return type(value)(_cast(param, v, param_id, param_groups) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v, param_id=k, param_groups=state_dict["param_groups"])
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # ------------------------------------------------------------ grads, groups, step
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Mirrors torch.optim.Optimizer.zero_grad."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        if p.grad.grad_fn is not None:
                            p.grad.detach_()
                        else:
                            p.grad.requires_grad_(False)
                        p.grad.zero_()

    def step(self, closure=None):
        """Perform a single optimization step (mirrors torch.optim.Optimizer.step)."""
        raise NotImplementedError

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Mirrors torch.optim.Optimizer.add_param_group, with torch's errors."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in "
                "sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {_typename(param)}")
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; "
                "see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                txt = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    f"all optimizer param groups should be with/without names. cannot add param group {txt} to the optimizer"
                )
        if not seen.isdisjoint(id(p) for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)
        self._bind_groups()


def _add_hook(hooks: OrderedDict, hook, prepend: bool = False) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def _typename(obj) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    return type(obj).__qualname__ if module in ("builtins", None) else f"{module}.{type(obj).__qualname__}"
