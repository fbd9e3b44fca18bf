"""The optax side of the built-in optimizers: each param group's update as one cached jitted optax chain.

``_ChainOptimizer.step`` gathers a group's parameters that have a gradient,
their gradients, their state (``optimizer.state[p]``, torch's keys) and the
group's hyperparameter arrays, runs ``_chain(hp, **static)`` (an
``optax.GradientTransformation``) over them in one ``jax.jit`` program cached
per (chain, static options), and writes the new parameters and state back
into the same storages (in place: versions bump). Each transformation's
state is a NamedTuple whose fields are torch's state keys, one list entry per
parameter, so the chain's state and ``optimizer.state`` map onto each other
by name. Eagerly, parameters and state are donated to XLA when no other
tensor can see their arrays (so memory is reused, as torch updates in place).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

import jax
import jax.numpy as jnp
import optax

from .._tensor import Tensor
from ..autograd import grad_mode
from .optimizer import Optimizer, _scalar_dtype

_PROGRAMS: dict = {}
_LAYOUTS: dict = {}
traces = 0  # how many times a group update has been traced (tests check that lr changes add none)


def _to_real(x):
    return jnp.stack([x.real, x.imag], -1) if jnp.iscomplexobj(x) else x


class Hyper(dict):
    """A group's hyperparameter arrays by key (float64); ``leaf(key)`` gives one in the parameters' dtype,
    which is how torch applies a Python-number hyperparameter to a tensor (and what optax's parts need to
    keep float32 updates float32)."""

    def __init__(self, arrays: dict, dtype):
        super().__init__(arrays)
        self.dtype = dtype

    def leaf(self, key: str):
        return self[key].astype(self.dtype)


def _leaf_dtype(params):
    return jnp.result_type(*[jnp.finfo(p.dtype).dtype for p in params]) if params else jnp.float32


def _apply(make, static, params, grads, state, hp):
    """One group's whole update: the optax chain, then ``p + u``. Jitted per (chain, static options).

    Complex parameters, gradients and state go through the chain as real views (``[..., 2]``), as in torch.
    """
    global traces
    traces += 1
    tx = make(Hyper(hp, _leaf_dtype(params)), **dict(static))
    cplx = any(jnp.iscomplexobj(p) for p in params)
    real = (lambda tree: jax.tree.map(_to_real, tree)) if cplx else (lambda tree: tree)  # noqa: E731
    updates, new_state = tx.update(real(grads), real(state), real(params))
    new_params = [_restore(p + u.astype(p.dtype), p0) for p, u, p0 in zip(real(params), updates, params)]
    new_state = tuple(
        type(s)(*[[_restore(n, p if o is None else o) for n, o, p in zip(nf, of, params)] for nf, of in zip(s, old)])
        for s, old in zip(new_state, state)
    )
    return new_params, new_state


def _restore(new, ref):
    """``new`` in ``ref``'s dtype: complex again where it was a real view; and state keeps its dtype (a new
    entry takes its parameter's), even where a mixed-dtype group promoted."""
    if new is None:
        return None
    if jnp.iscomplexobj(ref) and new.shape == (*ref.shape, 2):
        new = jax.lax.complex(new[..., 0], new[..., 1])
    return new.astype(ref.dtype) if new.shape == ref.shape else new


def _program(make, static, donate: bool):
    key = (make, static, donate)
    f = _PROGRAMS.get(key)
    if f is None:
        f = _PROGRAMS[key] = jax.jit(functools.partial(_apply, make, static), donate_argnums=(0, 2) if donate else ())
    return f


def _donatable(tensors) -> bool:
    """True when each tensor's array is held by its own storage alone, so XLA may reuse its memory for the
    result: no view, no other tensor (a deepcopy, a saved-for-backward value) and no tracer sees it."""
    if len({id(t._storage) for t in tensors}) != len(tensors):
        return False
    for t in tensors:
        a = t._storage.array
        if t._steps or isinstance(a, jax.core.Tracer) or sys.getrefcount(a) != 3:  # storage, `a`, the call
            return False
    return True


def _layout(make, static, hp) -> tuple:
    """The NamedTuple type of each transformation's state in the chain (their fields are torch's keys)."""
    key = (make, static)
    if key not in _LAYOUTS:
        abstract = {k: jax.ShapeDtypeStruct(v.shape, v.dtype) for k, v in hp.items()}
        init = lambda h: make(Hyper(h, jnp.float32), **dict(static)).init([jnp.zeros((2, 2), jnp.float32)])  # noqa: E731
        shapes = jax.eval_shape(init, abstract)
        _LAYOUTS[key] = tuple(type(s) for s in shapes)
    return _LAYOUTS[key]


def maximize_part(maximize: bool) -> list:
    """``[optax.scale(-1)]`` when maximizing: torch negates the gradient first."""
    return [optax.scale(-1.0)] if maximize else []


class _ChainOptimizer(Optimizer):
    """An Optimizer whose groups step through ``_chain(hp, **static)``, an optax GradientTransformation."""

    _state_names = {"trace": "momentum_buffer"}  # optax field names that torch calls otherwise

    def _static(self, group) -> tuple:
        """The group's options that change the program (flags, zero/non-zero switches), as (name, value) pairs."""
        return ()

    @staticmethod
    def _chain(hp, **static) -> optax.GradientTransformation:
        raise NotImplementedError

    def _key(self, field: str) -> str:
        return self._state_names.get(field, field)

    def step(self, closure=None):
        """Perform a single optimization step; returns the closure's loss (mirrors torch's ``step``)."""
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        self._bind_groups()
        for group in self.param_groups:
            self._step_group(group)
        return loss

    def _step_group(self, group) -> None:
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        for p in params:
            if getattr(p.grad, "is_sparse", False):
                raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
        make = type(self)._chain
        static = self._static(group) + (("step_dtype", _scalar_dtype()),)
        hp = group._hyper.arrays(group)
        fresh = [p for p in params if not self.state.get(p)]
        if fresh:
            init = make(Hyper(hp, _leaf_dtype([p._value for p in fresh])), **dict(static)).init
            self._write_state(fresh, init([p._value for p in fresh]))
        states = [self.state.get(p, {}) for p in params]
        donate = _donatable(params + [t for st in states for t in st.values() if isinstance(t, Tensor)])
        chain_state = tuple(
            cls(*[[_array(st.get(self._key(f))) for st in states] for f in cls._fields])
            for cls in _layout(make, static, hp)
        )
        grads = [p.grad._value for p in params]
        new_params, new_state = _program(make, static, donate)([p._value for p in params], grads, chain_state, hp)
        for p, a in zip(params, new_params):
            p._write(a)
        self._write_state(params, new_state)

    def _write_state(self, params, chain_state) -> None:
        """Store the chain's per-parameter state into ``self.state[p][key]`` (in place where it exists)."""
        for s in chain_state:
            for field, values in zip(s._fields, s):
                key = self._key(field)
                for p, a in zip(params, values):
                    if a is None:
                        continue
                    t = self.state[p].get(key)
                    if isinstance(t, Tensor):
                        t._write(a)
                    else:
                        self.state[p][key] = Tensor._make(a)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for st in self.state.values():  # torch's old checkpoints keep ``step`` as a number
            if isinstance(st, dict) and "step" in st and not isinstance(st["step"], Tensor):
                st["step"] = Tensor._make(jnp.asarray(float(st["step"]), _scalar_dtype()))


def _array(v):
    return v._value if isinstance(v, Tensor) else v


def check_lr(lr) -> None:
    """torch's checks on ``lr`` (a number or a 1-element tensor)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_betas(betas) -> None:
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def check_nonneg(**values) -> None:
    """torch's ``Invalid <what> value: x`` errors for hyperparameters that must be >= 0."""
    for name, v in values.items():
        if not 0.0 <= v:
            what = "epsilon" if name == "eps" else name
            raise ValueError(f"Invalid {what} value: {v}")
