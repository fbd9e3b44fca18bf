"""Op dispatch: every op runs as a jitted function, or a jitted jax.vjp when it is recorded.

An op is a pure function of arrays plus static keyword arguments, defined at
module level. ``dispatch(fn, args, static)`` unwraps tensors, looks up the
jitted program for ``(fn, static)`` and wraps the result. When grad mode is on
and an input requires grad, it runs ``jax.jit(jax.vjp(...))`` instead and
records a Node holding the VJP (DESIGN.md, "Ops and autograd").
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from . import _tensor
from .autograd import grad_mode
from .autograd.graph import Node

_forward_cache: dict = {}
_vjp_cache: dict = {}


_INEXACT = frozenset(
    jnp.dtype(d) for d in (jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64, jnp.complex64, jnp.complex128)
)


def _inexact(dt) -> bool:
    return dt in _INEXACT


try:
    from jax._src.core import trace_state_clean  # no public equivalent: "is any trace active?"
except ImportError:  # pragma: no cover - a JAX without it: every request compiles, as before

    def trace_state_clean() -> bool:
        return False


# Compiling a program per shape is what makes one-off work slow (a model's parameter inits, a
# batch of a new shape): requests of a signature stay "cold", served without a program of their
# own, until they have been seen _HOT times.
_HOT = 32
_counts: dict = {}


def cold(sig) -> bool:
    """True for the first few eager requests of ``sig`` (outside any jax trace): those are served
    without compiling a program for ``sig``; later ones compile it once and reuse it."""
    if not trace_state_clean():
        return False
    seen = _counts.get(sig, 0)
    if seen >= _HOT:
        return False
    if len(_counts) > 100_000:  # many one-off signatures (e.g. fill values): forget them
        _counts.clear()
    _counts[sig] = seen + 1
    return True


def jitted(fn, static: tuple = ()):
    """The cached jax.jit of ``fn`` with ``static`` (a tuple of (name, value)) bound."""
    key = (fn, static)
    f = _forward_cache.get(key)
    if f is None:
        f = _forward_cache[key] = jax.jit(functools.partial(fn, **dict(static)))
    return f


def differentiable_part(fn, kw: dict, mask: tuple, args: tuple):
    """``f(*diff_args) -> (float outputs, all outputs)``, the function jax.vjp sees."""

    def f(*diff):
        it = iter(diff)
        out = fn(*[next(it) if m else a for a, m in zip(args, mask)], **kw)
        leaves = out if isinstance(out, tuple) else (out,)
        return [o for o in leaves if _inexact(o.dtype)], out

    return f


def _vjp_program(fn, static: tuple, mask: tuple):
    key = (fn, static, mask)
    f = _vjp_cache.get(key)
    if f is None:
        kw = dict(static)

        def run(*args):
            diff = [a for a, m in zip(args, mask) if m]
            _, vjp, out = jax.vjp(differentiable_part(fn, kw, mask, args), *diff, has_aux=True)
            return out, vjp

        f = _vjp_cache[key] = jax.jit(run)
    return f


def vjp_op(*args, fn, static, mask):
    """The backward of ``fn`` as an op of (primals..., cotangents...): differentiable again."""
    primals, cts = args[: len(mask)], args[len(mask) :]
    diff = [a for a, m in zip(primals, mask) if m]
    _, vjp, _ = jax.vjp(differentiable_part(fn, dict(static), mask, primals), *diff, has_aux=True)
    return tuple(vjp(list(cts)))


def dispatch(fn, args: tuple, static: tuple = (), name: str | None = None):
    """Run op ``fn`` on ``args`` (tensors, arrays, numbers); returns a Tensor or a tuple of them."""
    Tensor = _tensor.Tensor
    vals = [a._value if isinstance(a, Tensor) else a for a in args]
    if grad_mode._state.enabled:
        mask = tuple(isinstance(a, Tensor) and _requires_grad(a) for a in args)
        if True in mask:
            out, vjp = _vjp_program(fn, static, mask)(*vals)
            edges = tuple(a._edge() for a, m in zip(args, mask) if m)
            leaves = out if isinstance(out, tuple) else (out,)
            meta = tuple((o.shape, o.dtype) for o in leaves if _inexact(o.dtype))
            node = Node(name or _default_name(fn), vjp, edges, meta, (fn, static, mask, vals))
            wrapped, nr = [], 0
            for o in leaves:
                if _inexact(o.dtype):
                    wrapped.append(Tensor._make(o, node, nr))
                    nr += 1
                else:
                    wrapped.append(Tensor._make(o))
            return tuple(wrapped) if isinstance(out, tuple) else wrapped[0]
    out = jitted(fn, static)(*vals)
    if isinstance(out, tuple):
        return tuple(Tensor._make(o) for o in out)
    return Tensor._make(out)


def _requires_grad(t) -> bool:
    if t._base is not None:
        return t.requires_grad  # a view's grad_fn may need rebuilding
    return t._requires_grad or t._grad_fn is not None


def _default_name(fn) -> str:
    name = fn.__name__.strip("_")
    return "".join(p.capitalize() for p in name.split("_")) + "Backward0"


class _NotImplementedNode(Node):
    __slots__ = ()

    def _run(self, cts, retain_graph, create_graph):
        raise RuntimeError(f"derivative for aten::{self._name} is not implemented")


def not_differentiable(result, args, opname: str):
    """Give ``result`` torch's grad_fn for ops without a derivative: backward through it raises."""
    Tensor = _tensor.Tensor
    if grad_mode._state.enabled and any(isinstance(a, Tensor) and a.requires_grad for a in args):
        edges = tuple(a._edge() for a in args if isinstance(a, Tensor) and a.requires_grad)
        meta = ((result._value.shape, result._value.dtype),)
        result._grad_fn = _NotImplementedNode(opname, True, edges, meta, None)
        result._output_nr = 0
    return result
