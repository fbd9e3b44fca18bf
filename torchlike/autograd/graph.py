"""The tape: Node, AccumulateGrad and the backward engine (mirrors torch.autograd.graph)."""

from __future__ import annotations

import heapq
import itertools

import jax
import jax.numpy as jnp

from . import anomaly_mode as _anomaly
from . import grad_mode

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)

_seq = itertools.count()


@jax.jit
def _apply_vjp(vjp, cts):
    return vjp(cts)


_filled_cache: dict = {}


def filled(shape, dtype, value):
    """A cached constant array (arrays are immutable, and an eager jnp.ones costs ~80us)."""
    key = (tuple(shape), dtype, value)
    a = _filled_cache.get(key)
    if a is None:
        a = jnp.full(shape, value, dtype)
        if len(_filled_cache) < 256 and a.size <= 4096 and not isinstance(a, jax.core.Tracer):  # made under a trace
            _filled_cache[key] = a
    return a


class RemovableHandle:
    """Removes a hook from the dict it was registered in (mirrors torch.utils.hooks.RemovableHandle)."""

    _ids = itertools.count()

    def __init__(self, hooks: dict):
        self.hooks_dict = hooks
        self.id = next(RemovableHandle._ids)

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Node:
    """One recorded op: its VJP, the edges to its inputs' nodes, and hooks."""

    __slots__ = (
        "_name",
        "_vjp",
        "next_functions",
        "_meta",
        "_saved",
        "_pre_hooks",
        "_retain",
        "_hooks",
        "_seq",
        "metadata",
    )

    def __init__(self, name, vjp, edges, meta, saved):
        self._name = name
        self._vjp = vjp
        self.next_functions = edges
        self._meta = meta  # (shape, dtype) of each differentiable output
        self._saved = saved  # (fn, static, mask, primal arrays) for create_graph
        self._pre_hooks = {}  # output index -> {id: hook}, tensor hooks
        self._retain = {}  # output index -> retain_grad hook, run after the tensor hooks (torch >= 2.0)
        self._hooks = {}
        self._seq = next(_seq)
        self.metadata = {}

    def name(self) -> str:
        return self._name

    def __repr__(self):
        return f"<{self._name} object at {hex(id(self))}>"

    def register_hook(self, fn) -> RemovableHandle:
        handle = RemovableHandle(self._hooks)
        self._hooks[handle.id] = fn
        return handle

    def register_prehook(self, fn) -> RemovableHandle:
        return self._add_pre_hook(-1, fn)

    def _add_pre_hook(self, nr: int, fn) -> RemovableHandle:
        hooks = self._pre_hooks.setdefault(nr, {})
        handle = RemovableHandle(hooks)
        hooks[handle.id] = fn
        return handle

    def _zeros(self, i, create_graph):
        shape, dtype = self._meta[i]
        z = filled(shape, dtype, 0)
        return _wrap(z) if create_graph else z

    def _run(self, cts: list, retain_graph: bool, create_graph: bool):
        """Cotangents of the outputs -> cotangents of the inputs, one per next_functions edge."""
        if self._vjp is None:
            raise RuntimeError(_FREED)
        cts = [self._zeros(i, create_graph) if c is None else c for i, c in enumerate(cts)]
        if create_graph:
            from .._dispatch import dispatch, vjp_op

            fn, static, mask, primals = self._saved
            edges = iter(self.next_functions)
            args = [_proxy(p, next(edges)) if m else p for p, m in zip(primals, mask)]
            grads = dispatch(vjp_op, (*args, *cts), (("fn", fn), ("static", static), ("mask", mask)))
            grads = list(grads)
        else:
            grads = list(_apply_vjp(self._vjp, cts))
        if not retain_graph:
            self._vjp = None
            self._saved = None
        return grads


class AccumulateGrad(Node):
    """The node that adds a leaf tensor's incoming gradient into its ``.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        super().__init__("AccumulateGrad", None, (), ((tuple(variable.shape), variable.dtype.np),), None)
        self.variable = variable

    def _run(self, cts, retain_graph, create_graph):
        return []


def _wrap(a):
    from .._tensor import Tensor

    return a if isinstance(a, Tensor) else Tensor._make(a)


def _proxy(array, edge):
    """A tensor standing for a saved input: its value then, and its place in the graph."""
    from .._tensor import Tensor

    return Tensor._make(array, edge[0], edge[1])


def _call_node_pre_hooks(hooks: dict, cts: list, create_graph: bool) -> list:
    """``Node.register_prehook`` hooks: all output gradients at once, as a tuple; a returned tuple replaces them."""
    gs = tuple(None if c is None else _wrap(c) for c in cts)
    for hook in list(hooks.values()):
        r = hook(gs)
        if r is not None:
            gs = tuple(r)
    return [None if g is None else (g if create_graph else g._value) for g in gs]


def _call_pre_hooks(node: Node, nr: int, ct, create_graph: bool):
    hooks = node._pre_hooks.get(nr)
    retain = node._retain.get(nr)
    if not hooks and retain is None:
        return ct
    g = _wrap(ct)
    for hook in list((hooks or {}).values()):
        r = hook(g)
        if r is not None:
            g = r
    if retain is not None:
        retain(g)
    return g if create_graph else g._value


def run_backward(roots, grads, retain_graph=False, create_graph=False, inputs=None):
    """Propagate ``grads`` from the ``roots`` edges through the graph.

    Without ``inputs``, leaf gradients accumulate into ``.grad`` (``backward``).
    With ``inputs`` (a list of edges), nothing accumulates and the gradients
    reaching those edges are returned in order (``autograd.grad``).
    """
    deps: dict = {}
    seen = set()
    stack = [n for n, _ in roots]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        for nxt, _ in n.next_functions:
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                stack.append(nxt)

    capture = None if inputs is None else dict.fromkeys(inputs)
    buffers: dict = {}

    def send(node, nr, g):
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * max(len(node._meta), 1)
        if g is not None:
            buf[nr] = g if buf[nr] is None else buf[nr] + g

    for (n, nr), g in zip(roots, grads):
        send(n, nr, g)
    # latest-created node first, as torch's engine orders ready nodes
    ready = [(-n._seq, id(n), n) for n in buffers if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    with grad_mode.set_grad_enabled(create_graph):
        while ready:
            node = heapq.heappop(ready)[2]
            cts = [
                c if c is None else _call_pre_hooks(node, i, c, create_graph) for i, c in enumerate(buffers.pop(node))
            ]
            if node._pre_hooks.get(-1):
                cts = _call_node_pre_hooks(node._pre_hooks[-1], cts, create_graph)
            if capture is not None:
                for i, c in enumerate(cts):
                    if (node, i) in capture and c is not None:
                        capture[(node, i)] = c if capture[(node, i)] is None else capture[(node, i)] + c
            if isinstance(node, AccumulateGrad):
                if capture is None and cts[0] is not None:
                    _accumulate(node.variable, cts[0], create_graph)
                out = []
            elif any(c is not None for c in cts):
                if _anomaly._state.nan_check:
                    out = _anomaly._run_checked(node, cts, retain_graph, create_graph)
                else:
                    out = node._run(cts, retain_graph, create_graph)
            else:
                out = [None] * len(node.next_functions)
            for hook in list(node._hooks.values()):
                hook(out, cts)
            for (nxt, nr), g in zip(node.next_functions, out):
                send(nxt, nr, g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
    return None if inputs is None else [capture[e] for e in inputs]


def _accumulate(variable, g, create_graph):
    """Add ``g`` into ``variable.grad``: in place, so references to ``.grad`` see it (as torch)."""
    from .._tensor import Tensor

    if create_graph:
        g = _wrap(g)
        variable._grad = g if variable._grad is None else variable._grad + g
        return
    if isinstance(g, Tensor):
        g = g._value
    if g.dtype != variable.dtype.np:
        g = g.astype(variable.dtype.np)
    if variable._grad is None:
        variable._grad = Tensor._make(g)
    else:
        old = variable._grad
        old._write(old._value + g)
