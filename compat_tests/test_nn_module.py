"""nn.Module, Parameter, containers, Linear/Bilinear/Lazy against torch: registration and its errors, named_*,
modes, conversions, state_dict / load_state_dict, hooks, repr, pickling, and a traced training step.

Most rows return plain values (names, flags, error texts, tensors from fixed weights) computed the same way
on torch and torchlike; ``caught`` turns an exception into (type, message) so messages are compared exactly.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from compat_tests.harness import Case, _base_exception
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(7)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def caught(f):
    """(exception type, message) of ``f()``, or "ok"."""
    try:
        f()
        return "ok"
    except Exception as e:
        return (_base_exception(e), str(e))


def fill(lib, module):
    """Deterministic parameter values (from each parameter's name), so both libraries compute the same numbers."""
    with lib.no_grad():
        for i, (_, p) in enumerate(module.named_parameters()):
            vals = np.random.RandomState(i).uniform(-1, 1, tuple(p.shape))
            p.copy_(lib.tensor(vals.astype(np.float32)))
    return module


def names(it):
    return [n for n, _ in it]


# ---------------------------------------------------------------- registration
def registration(lib):
    nn = lib.nn

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)
            self.w = nn.Parameter(lib.zeros(2))
            self.register_buffer("b", lib.zeros(2))
            self.plain = 3

    class Early(nn.Module):
        def __init__(self):
            self.lin = nn.Linear(2, 2)

    class EarlyP(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(lib.zeros(1))

    m = M()
    out = [
        caught(lambda: setattr(m, "w", lib.zeros(2))),
        caught(lambda: setattr(m, "lin", 3)),
        caught(lambda: setattr(m, "b", 3)),
        caught(Early),
        caught(EarlyP),
        caught(lambda: m.missing),
        caught(lambda: m.register_buffer("a.b", lib.zeros(1))),
        caught(lambda: m.register_buffer("", lib.zeros(1))),
        caught(lambda: m.register_buffer("plain", lib.zeros(1))),
        caught(lambda: m.register_buffer("c", 3)),
        caught(lambda: m.register_buffer(1, lib.zeros(1))),
        caught(lambda: m.register_parameter("p", lib.zeros(1))),
        caught(lambda: m.register_parameter("p.q", None)),
        caught(lambda: m.add_module("x", 3)),
        caught(lambda: m.add_module("a.b", nn.Identity())),
        caught(lambda: m.add_module("plain", nn.Identity())),
        caught(lambda: nn.Module(3)),
        caught(lambda: nn.Module(x=3)),
        caught(lambda: m.get_submodule("lin.x")),
        caught(lambda: m.get_submodule("w")),
        caught(lambda: m.get_parameter("b")),
        caught(lambda: m.get_buffer("w")),
        caught(lambda: m.get_parameter("lin.nope")),
        caught(lambda: m.train("yes")),
        caught(lambda: m.to(lib.int64)),
        caught(lambda: m(1)),
        (m.get_submodule("lin") is m.lin, m.get_parameter("lin.bias") is m.lin.bias, m.get_buffer("b") is m.b),
    ]
    m.w = None
    m.lin = None
    m.b = None
    del m.plain
    m.new = nn.Parameter(lib.ones(1))
    out.append((list(m._parameters), list(m._modules), list(m._buffers), hasattr(m, "plain")))
    m.b = nn.Parameter(lib.ones(1))  # a Parameter replaces the buffer of that name
    m.register_buffer("nb", lib.ones(1), persistent=False)
    m.q = nn.Buffer(lib.ones(2), persistent=False)
    m.add_module("sub", nn.Identity())
    out.append((list(m._parameters), list(m._buffers), sorted(m._non_persistent_buffers_set), list(m.state_dict())))
    del m.new
    del m.sub
    out.append((list(m._parameters), list(m._modules)))
    out.append([k for k in dir(m) if k in ("w", "b", "lin", "nb", "q", "training", "forward", "plain")])
    return out


def named_members(lib):
    nn = lib.nn
    shared = nn.Linear(2, 3)
    tied = nn.Linear(2, 3, bias=False)
    tied.weight = shared.weight
    net = nn.Sequential(shared, nn.Sequential(nn.Linear(3, 3, bias=False), shared), tied, nn.Identity())
    net.register_buffer("steps", lib.zeros((), dtype=lib.int64))
    net[1][0].register_buffer("rb", lib.ones(3))
    net[1][0].register_buffer("none", None)
    return [
        names(net.named_parameters()),
        names(net.named_parameters(prefix="model", remove_duplicate=False)),
        names(net.named_parameters(recurse=False)),
        names(net[1].named_parameters(prefix="x")),
        names(net.named_buffers()),
        names(net.named_buffers(recurse=False, prefix="p")),
        names(net.named_children()),
        names(net.named_modules()),
        names(net.named_modules(prefix="m", remove_duplicate=False)),
        [type(m).__name__ for m in net.modules()],
        [type(m).__name__ for m in net.children()],
        [tuple(p.shape) for p in net.parameters()],
        len(list(net.parameters(recurse=False))),
        len(list(net.buffers())),
        list(net.state_dict()),
    ]


def modes_and_grads(lib):
    nn = lib.nn
    net = fill(lib, nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.Identity())))
    net.eval()
    out = [[m.training for m in net.modules()]]
    net[1].train()
    out.append([m.training for m in net.modules()])
    out.append(net.train(False) is net and net.eval() is net)
    net.requires_grad_(False)
    out.append([p.requires_grad for p in net.parameters()])
    net[0].requires_grad_()
    net(lib.ones(3, 2)).sum().backward()
    out.append([p.grad for p in net.parameters()])
    net.zero_grad(set_to_none=False)
    out.append([p.grad for p in net.parameters()])
    net.zero_grad()
    out.append([p.grad is None for p in net.parameters()])
    visited = []
    out.append(net.apply(lambda m: visited.append(type(m).__name__)) is net)
    out.append(visited)
    return out


def conversions(lib):
    nn = lib.nn
    m = fill(lib, nn.Sequential(nn.Linear(2, 3)))
    m.register_buffer("count", lib.zeros(2, dtype=lib.int64))
    m.register_buffer("f", lib.ones(2))
    w = m[0].weight
    m(lib.ones(1, 2)).sum().backward()
    out = []
    m.double()
    out.append([str(w.dtype), w is m[0].weight, str(w.grad.dtype), str(m.count.dtype), str(m.f.dtype)])
    m.half()
    out.append([str(m[0].bias.dtype), str(m.f.dtype), str(m.count.dtype), str(w.grad.dtype)])
    m.to(lib.float32)
    out.append([str(m[0].weight.dtype), w is m[0].weight, type(m[0].weight).__name__, m[0].weight.requires_grad])
    m.to("cpu", lib.float64)
    out.append(str(m.f.dtype))
    m.to(lib.ones(1, dtype=lib.float32))
    m.to(dtype=lib.bfloat16)
    out.append([str(p.dtype) for p in m.parameters()])
    m.float().cpu()
    out.append(m(lib.ones(2, 2)))
    m.type(lib.float64)
    out.append([str(m.count.dtype), str(m.f.dtype), str(w.dtype)])
    m.bfloat16()
    out.append(str(w.dtype))
    return out


def state_dicts(lib):
    nn = lib.nn

    class Extra(nn.Module):
        def get_extra_state(self):
            return {"note": 1}

        def set_extra_state(self, state):
            self.loaded = state

    m = fill(lib, nn.Sequential(OrderedDict(a=nn.Linear(2, 2), b=nn.Sequential(nn.Linear(2, 1)), e=Extra())))
    m.register_buffer("tmp", lib.ones(1), persistent=False)
    m.b.register_buffer("run", lib.zeros(1))
    log = []
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: log.append(("pre", prefix, keep_vars)))
    m.b.register_state_dict_post_hook(lambda mod, sd, prefix, meta: log.append(("post", prefix, len(sd))))
    sd = m.state_dict()
    out = [list(sd), {k: dict(v) for k, v in sd._metadata.items()}, type(sd).__name__, sd["e._extra_state"]]
    out.append([sd["a.weight"].requires_grad, type(sd["a.weight"]).__name__, sd["a.weight"].is_leaf])
    keep = m.state_dict(keep_vars=True)
    out.append([keep["a.weight"] is m.a.weight, keep["a.weight"].requires_grad, keep["b.run"] is m.b.run])
    out.append(list(m.state_dict(prefix="pre.")))
    dest = OrderedDict()
    out.append([m.state_dict(destination=dest) is dest, hasattr(dest, "_metadata"), list(dest)[:2]])
    sd["a.bias"].fill_(5.0)  # state_dict tensors share storage with the parameters
    out.append(m.a.bias)
    out.append(log)
    m.load_state_dict(sd)
    out.append(m.e.loaded)
    out.append(caught(lambda: m.load_state_dict({k: v for k, v in sd.items() if k != "e._extra_state"})))
    return out


def loading(lib):
    nn = lib.nn
    m = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    m.register_buffer("scale", lib.ones(()))
    w = m[0].weight
    sd = {
        "0.weight": lib.arange(6, dtype=lib.float64).reshape(3, 2) / 7,
        "0.bias": lib.ones(3),
        "1.weight": lib.full((1, 3), 0.5),
        "1.bias": lib.zeros(1),
        "scale": lib.full((1,), 2.0),
    }
    res = m.load_state_dict(sd)
    out = [repr(res), w is m[0].weight, str(m[0].weight.dtype), m[0].weight, m.scale, m[0].weight.requires_grad]
    out.append(caught(lambda: m.load_state_dict({"0.weight": lib.ones(2, 2), "extra": lib.ones(1), "1.x.y": 1})))
    out.append(caught(lambda: m.load_state_dict({**sd, "0.weight": 3})))
    out.append(caught(lambda: m.load_state_dict(3)))
    res = m.load_state_dict({"0.bias": lib.zeros(3), "junk.x": lib.ones(1), "2.w": lib.ones(1)}, strict=False)
    out += [repr(res), tuple(res), res.missing_keys, m[0].bias]
    m2 = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    new_w = nn.Parameter(lib.ones(3, 2), requires_grad=False)
    plain = {**{k: v.to(lib.float32) for k, v in sd.items() if k != "scale"}, "0.weight": new_w}
    m2.load_state_dict(plain, assign=True)
    out.append(
        [m2[0].weight is new_w, m2[0].weight.requires_grad, type(m2[1].bias).__name__, m2[1].bias is plain["1.bias"]]
    )
    m3 = nn.Linear(2, 1)
    m3.register_load_state_dict_post_hook(lambda mod, keys: keys.missing_keys.clear())
    m3.register_load_state_dict_pre_hook(
        lambda mod, state, prefix, *rest: state.update({prefix + "weight": state.pop(prefix + "w")})
    )
    out.append(repr(m3.load_state_dict({"w": lib.full((1, 2), 3.0)})))
    out.append(m3.weight)
    return out


# ---------------------------------------------------------------- hooks
def forward_hooks(lib):
    nn = lib.nn
    lin = fill(lib, nn.Linear(2, 2))
    x = lib.ones(1, 2)
    order = []
    lin.register_forward_pre_hook(lambda m, a: order.append("pre1"))
    lin.register_forward_pre_hook(lambda m, a: order.append("pre0"), prepend=True)
    lin.register_forward_pre_hook(lambda m, a, kw: (a, {"input": kw["input"] * 2}) if kw else None, with_kwargs=True)
    lin.register_forward_hook(lambda m, a, kw, out: out + 1, with_kwargs=True)
    lin.register_forward_hook(lambda m, a, out: order.append(("always", out is None)), always_call=True)
    out = [lin(input=x), list(order)]
    out.append(caught(lambda: lin(input=lib.ones(1, 3))))
    out.append(list(order))
    with lin.register_forward_hook(lambda m, a, o: o * 0):
        out.append(lin(input=x))
    out.append(lin(input=x))
    pre = lin.register_forward_pre_hook(lambda m, a: (a[0] + 1,))
    out.append(lin(x))
    pre.remove()
    pre.remove()
    g = lib.nn.modules.module.register_module_forward_hook(lambda m, a, o: order.append(("g", type(m).__name__)))
    lin(x)
    g.remove()
    lin(x)
    out.append(order[-3:])
    return out


def backward_hooks(lib):
    nn = lib.nn
    m = fill(lib, nn.Sequential(nn.Linear(3, 4), nn.Identity(), nn.Linear(4, 2)))
    log = []

    def bw(mod, gi, go):
        log.append(("bw", type(mod).__name__, gi, go))

    def pre(mod, go):
        log.append(("pre", go))
        return (go[0] * 2,)

    m[0].register_full_backward_hook(bw)
    m[2].register_full_backward_hook(bw)
    m[2].register_full_backward_pre_hook(pre)
    m[1].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10,))
    x = lib.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 6, requires_grad=True)
    m(x).sum().backward()
    out = [log, x.grad, m[0].weight.grad]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log.clear()
        m(x.detach()).sum().backward()  # no input requires grad: the hook sees grad_input (None,)
    out.append([e[:3] for e in log])
    out.append(caught(lambda: m[0].register_backward_hook(bw)))
    return out


# ---------------------------------------------------------------- repr, pickling, parameters
def reprs(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            layers = [nn.Linear(1, 1), nn.Linear(1, 1), nn.Identity(), nn.Linear(1, 1)]
            self.seq = nn.Sequential(nn.Identity(), nn.ModuleList(layers))
            self.d = nn.ModuleDict({"b": nn.Bilinear(1, 2, 3), "a": nn.LazyLinear(2, bias=False)})
            self.pl = nn.ParameterList([nn.Parameter(lib.ones(2)), lib.zeros(1, 3, dtype=lib.float64), "s"])
            self.pd = nn.ParameterDict({"x": nn.Parameter(lib.ones(1, 2, dtype=lib.float64)), "y": lib.ones(1)})

        def extra_repr(self):
            return "line1\n\nline2"

    class One(nn.Module):
        def extra_repr(self):
            return "k=1"

    return [repr(Block()), repr(One()), repr(nn.Module()), repr(nn.ModuleList()), repr(nn.Sequential()), str(One())]


def copies(lib):
    nn = lib.nn
    m = fill(lib, nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2)))
    m[1].weight = m[0].weight
    m.register_buffer("buf", lib.arange(3.0))
    m.train(False)
    x = lib.ones(1, 2)
    out = []
    for c in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        with lib.no_grad():
            c[0].weight.add_(1.0)
            c.buf.add_(1.0)
        out.append([c[1].weight is c[0].weight, c[0].weight is m[0].weight, type(c[0].weight).__name__])
        out.append([c[0].weight.requires_grad, c.training, list(c.state_dict()), c(x), c.buf])
    out.append([m[0].weight, m.buf, m(x)])
    t = lib.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    t.add_(1.0)  # a Parameter shares the storage of the tensor it was made from
    q = nn.Parameter(lib.tensor([3.0]), requires_grad=False)
    out.append([repr(p), repr(q), p.requires_grad, q.requires_grad, isinstance(p, lib.Tensor), p.is_leaf])
    pc = copy.deepcopy(p)
    pp = pickle.loads(pickle.dumps(q))
    out.append([type(pc).__name__, pc is p, pc, pp, pp.requires_grad, type(pp).__name__])
    out.append([type(p * 2).__name__, type(p.detach()).__name__, type(p[0]).__name__, repr(nn.Parameter())])
    u = nn.UninitializedParameter()
    out.append([repr(u), nn.parameter.is_lazy(u), caught(lambda: u.shape), type(nn.Buffer(t)).__name__])
    return out


# ---------------------------------------------------------------- containers
def sequential(lib):
    nn = lib.nn
    s = fill(lib, nn.Sequential(nn.Linear(2, 2), nn.Identity(), nn.Linear(2, 3)))
    out = [len(s), type(s[-1]).__name__, [type(m).__name__ for m in s[1:]], list(s[::2]._modules), s(lib.ones(1, 2))]
    s.append(nn.Identity())
    s.insert(1, nn.Linear(2, 2))
    s.insert(-1, nn.Linear(3, 3))
    s.extend([nn.Linear(1, 1)])
    popped = s.pop(0)
    del s[1]
    s[0] = nn.Identity()
    out.append([type(popped).__name__, list(s._modules), [type(m).__name__ for m in s]])
    del s[1:3]
    out.append([list(s._modules), [type(m).__name__ for m in s]])
    out.append([type(m).__name__ for m in s + nn.Sequential(nn.Identity())])
    out.append(
        [
            caught(lambda: s + 3),
            caught(lambda: s[10]),
            caught(lambda: s * 0)[0],
            caught(lambda: s.insert(9, nn.Identity())),
        ]
    )
    out.append([len(s * 2), len(2 * s)])
    s += nn.Sequential(nn.Identity())
    out.append(list(s._modules))
    od = nn.Sequential(OrderedDict([("first", nn.Linear(1, 1)), ("act", nn.Identity())]))
    out.append([list(od._modules), type(od.act).__name__, list(od[1:]._modules)])
    return out


def module_list_dict(lib):
    nn = lib.nn
    ml = nn.ModuleList([nn.Identity(), nn.Linear(1, 1)])
    ml.append(nn.Linear(1, 2)).extend([nn.Identity()])
    ml.insert(0, nn.Linear(2, 2))
    ml += [nn.Identity()]
    out = [len(ml), type(ml[-1]).__name__, type(ml[1:]).__name__, len(ml[1:])]
    del ml[0]
    popped = ml.pop(1)
    ml[0] = nn.Linear(3, 3)
    out.append([type(popped).__name__, list(ml._modules), [type(m).__name__ for m in ml]])
    out.append([type(m).__name__ for m in ml + nn.ModuleList([nn.Identity()])])
    out.append([caught(lambda: ml.extend(3)), caught(lambda: ml(1)), caught(lambda: ml[7])])
    md = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.Identity()})
    md["c"] = nn.Linear(2, 1)
    del md["b"]
    md.update([("z", nn.Identity())])
    out.append(["a" in md, list(md.keys()), list(md), [type(v).__name__ for v in md.values()], len(md)])
    out.append([type(md.pop("a")).__name__, list(md.items())[0][0], names(md.named_parameters())])
    out.append([caught(lambda: md.update([("z",)])), caught(lambda: md.update(3)), caught(lambda: md.update([3]))])
    md.clear()
    out.append(len(md))
    return out


def parameter_containers(lib):
    nn = lib.nn
    pl = nn.ParameterList([lib.ones(2), nn.Parameter(lib.zeros(3))])
    pl.append(lib.ones(1))
    pl[0] = lib.full((2,), 3.0)
    out = [len(pl), [type(p).__name__ for p in pl], tuple(pl[-1].shape), names(pl.named_parameters()), pl[0]]
    out.append([len(pl[0:2]), type(pl[0:2]).__name__, caught(lambda: pl.extend(lib.ones(2))), caught(lambda: pl())])
    out.append(caught(lambda: pl[5]))
    pd = nn.ParameterDict({"b": lib.ones(1), "a": lib.zeros(2)})
    pd["c"] = nn.Parameter(lib.ones(3))
    out.append([list(pd.keys()), names(pd.named_parameters()), "a" in pd, len(pd), type(pd["b"]).__name__])
    out.append([tuple(pd.pop("b").shape), pd.get("nope"), tuple(pd.setdefault("d", lib.ones(4)).shape)])
    out.append([pd.popitem()[0], list(pd.copy().keys()), list((pd | nn.ParameterDict({"e": lib.ones(1)})).keys())])
    out.append([caught(lambda: pd[1]), caught(lambda: pd(1)), list(reversed(pd)), list(pd.fromkeys(["x"], None))])
    pd.update(OrderedDict([("z", lib.ones(1)), ("y", lib.ones(1))]))
    out.append(list(pd))
    pd.clear()
    out.append(len(pd))
    return out


def lazy(lib):
    nn = lib.nn
    lin = nn.LazyLinear(3)
    out = [repr(lin), type(lin.weight).__name__, lin.has_uninitialized_params(), list(lin.state_dict())]
    y = lin(lib.ones(2, 4))
    out += [tuple(y.shape), type(lin).__name__, lin.in_features, tuple(lin.weight.shape), type(lin.weight).__name__]
    out += [repr(lin), {k: tuple(v.shape) for k, v in lin.state_dict().items()}, lin.weight.requires_grad]
    fresh = nn.LazyLinear(3)
    fresh.load_state_dict(lin.state_dict())
    out += [type(fresh).__name__, type(fresh.weight).__name__, tuple(fresh.bias.shape)]
    out.append(bool((fresh(lib.ones(1, 4)) == lin(lib.ones(1, 4))).all()))
    out.append(type(fresh).__name__)
    return out


MODULE_CASES = [
    Case(f.__name__, f, grad=False, traced=False)
    for f in (
        registration,
        named_members,
        modes_and_grads,
        conversions,
        state_dicts,
        loading,
        forward_hooks,
        backward_hooks,
        reprs,
        copies,
        sequential,
        module_list_dict,
        parameter_containers,
        lazy,
    )
]


@pytest.mark.parametrize("case", MODULE_CASES, ids=repr)
def test_module(case, compat):
    compat(case)


# ---------------------------------------------------------------- layers through the layer harness
def sgd_step(module, x):
    """Forward, backward, a manual SGD step (what a training loop does), then the new output."""
    loss = module(x).pow(2).sum()
    loss.backward()
    lib = type(x).__module__.split(".")[0]
    with __import__(lib).no_grad():
        for p in module.parameters():
            p.sub_(0.1 * p.grad)
            p.grad = None
    return loss.detach(), module(x)


def mlp(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 5), nn.Identity(), nn.Linear(5, 5, bias=False), nn.Linear(5, 2))


LAYER_CASES = [
    LayerCase("linear-3d-input", lambda lib: lib.nn.Linear(3, 4), f32(2, 5, 3)),
    LayerCase("linear-1d-nobias", lambda lib: lib.nn.Linear(3, 4, bias=False), f32(3), modes=("eval",)),
    LayerCase("linear-double", lambda lib: lib.nn.Linear(3, 2).double(), R.standard_normal((2, 3)), modes=("eval",)),
    LayerCase("linear-shape-error", lambda lib: lib.nn.Linear(3, 4), f32(2, 5)),
    LayerCase("linear-dtype-error", lambda lib: lib.nn.Linear(3, 4), R.standard_normal((2, 3))),
    LayerCase("bilinear", lambda lib: lib.nn.Bilinear(3, 2, 4), f32(2, 5, 3), f32(2, 5, 2), modes=("eval",)),
    LayerCase(
        "bilinear-nobias", lambda lib: lib.nn.Bilinear(3, 2, 4, bias=False), f32(5, 3), f32(5, 2), modes=("eval",)
    ),
    LayerCase("bilinear-size-error", lambda lib: lib.nn.Bilinear(3, 2, 4), f32(5, 3), f32(5, 3)),
    LayerCase("identity-args", lambda lib: lib.nn.Identity(3, k=1), f32(2, 3), modes=("eval",)),
    LayerCase("mlp-sgd-step", mlp, f32(4, 3), call=sgd_step),
]


@pytest.mark.parametrize("case", LAYER_CASES, ids=repr)
def test_layer(case):
    check_layer(case)


@pytest.mark.parametrize(
    "make",
    [lambda lib: lib.nn.Linear(40, 30), lambda lib: lib.nn.Bilinear(4, 8, 5)],
    ids=["linear", "bilinear"],
)
def test_default_init(make):
    check_init(make)
