"""Tensor creation, dtypes, metadata and conversion against torch."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from compat_tests.harness import Case, Raw

R = np.random.RandomState(2)
X = R.standard_normal((3, 4)).astype(np.float32)

CREATION = [
    Case("tensor-float-list", lambda lib: lib.tensor([1.0, 2.5])),
    Case("tensor-int-list", lambda lib: lib.tensor([[1, 2], [3, 4]])),
    Case("tensor-bool", lambda lib: lib.tensor([True, False])),
    Case("tensor-mixed", lambda lib: lib.tensor([1, 2.5, True])),
    Case("tensor-scalar", lambda lib: (lib.tensor(3), lib.tensor(3.5), lib.tensor(False))),
    Case("tensor-empty", lambda lib: lib.tensor([])),
    Case("tensor-nested-empty", lambda lib: lib.tensor([[], []])),
    Case("tensor-numpy-f64", lambda lib, a: lib.tensor(a), Raw(np.arange(3.0))),
    Case("tensor-numpy-i32", lambda lib, a: lib.tensor(a), Raw(np.arange(3, dtype=np.int32))),
    Case("tensor-numpy-u8", lambda lib, a: lib.tensor(a), Raw(np.arange(3, dtype=np.uint8))),
    Case("tensor-dtype", lambda lib: lib.tensor([1, 2], dtype=lib.float64)),
    Case("tensor-dtype-f16", lambda lib: lib.tensor([1.5, 2], dtype=lib.float16)),
    Case("tensor-dtype-bf16", lambda lib: lib.tensor([1.5, 2], dtype=lib.bfloat16)),
    Case("tensor-complex", lambda lib: lib.tensor([1 + 2j, 3])),
    Case("tensor-requires-grad", lambda lib: lib.tensor([1.0, 2.0], requires_grad=True).requires_grad),
    Case("tensor-int-requires-grad-error", lambda lib: lib.tensor([1, 2], requires_grad=True)),
    Case("tensor-of-0d-tensors", lambda lib: lib.tensor([lib.tensor(1.0), lib.tensor(2.0)])),
    Case("tensor-ragged-error", lambda lib: lib.tensor([[1, 2], [3]])),
    Case("as_tensor", lambda lib, a: lib.as_tensor(a, dtype=lib.float32), Raw(np.arange(4))),
    Case("as_tensor-same", lambda lib, x: lib.as_tensor(x) is x, X),
    Case("from_numpy", lambda lib, a: lib.from_numpy(a), Raw(np.arange(6.0).reshape(2, 3))),
    Case("zeros-varargs", lambda lib: lib.zeros(2, 3)),
    Case("zeros-tuple", lambda lib: lib.zeros((2, 3))),
    Case("zeros-list", lambda lib: lib.zeros([2, 3])),
    Case("zeros-size", lambda lib: lib.zeros(lib.Size([2, 3]))),
    Case("zeros-0d", lambda lib: lib.zeros(())),
    Case("zeros-dtype", lambda lib: lib.zeros(2, dtype=lib.int64)),
    Case("zeros-negative-error", lambda lib: lib.zeros(-1, 2)),
    Case("ones", lambda lib: lib.ones(2, 2, dtype=lib.bool)),
    Case("empty-shape", lambda lib: lib.empty(3, 0).shape),
    Case("full-int", lambda lib: lib.full((2,), 7)),
    Case("full-float", lambda lib: lib.full((2, 2), 1.5)),
    Case("full-bool", lambda lib: lib.full((2,), True)),
    Case("full-dtype", lambda lib: lib.full((2,), 3, dtype=lib.float64)),
    Case("zeros_like", lambda lib, x: (lib.zeros_like(x), lib.ones_like(x, dtype=lib.int32), lib.full_like(x, 2.5)), X),
    Case("empty_like-shape", lambda lib, x: lib.empty_like(x).shape, X),
    Case("arange-int", lambda lib: lib.arange(5)),
    Case("arange-start-end", lambda lib: lib.arange(2, 9, 3)),
    Case("arange-float", lambda lib: lib.arange(0, 1, 0.1)),
    Case("arange-float-end", lambda lib: lib.arange(5.0)),
    Case("arange-negative-step", lambda lib: lib.arange(5, 0, -1)),
    Case("arange-dtype", lambda lib: lib.arange(5, dtype=lib.float64)),
    Case("arange-float-steps", lambda lib: lib.arange(-1.5, 2.3, 0.35)),
    Case("arange-zero-step-error", lambda lib: lib.arange(0, 5, 0)),
    Case("linspace", lambda lib: lib.linspace(0, 1, 7)),
    Case("linspace-neg", lambda lib: lib.linspace(-3.3, 10.1, 11)),
    Case("linspace-one", lambda lib: lib.linspace(2, 5, 1)),
    Case("linspace-f64", lambda lib: lib.linspace(0, 1, 9, dtype=lib.float64)),
    Case("linspace-int", lambda lib: lib.linspace(0, 10, 4, dtype=lib.int64)),
    Case("logspace", lambda lib: lib.logspace(0, 3, 4)),
    Case("logspace-base2", lambda lib: lib.logspace(0, 4, 5, base=2)),
    Case("eye", lambda lib: (lib.eye(3), lib.eye(2, 4), lib.eye(2, dtype=lib.int64))),
    Case(
        "new_zeros", lambda lib, x: (x.new_zeros(2), x.new_ones((1, 2)), x.new_full((2,), 3.0), x.new_tensor([1, 2])), X
    ),
]

RANDOM = [
    Case("rand", lambda lib: lib.rand(3, 4), values=False),
    Case("randn", lambda lib: lib.randn((2, 5), dtype=lib.float64), values=False),
    Case("randint", lambda lib: lib.randint(0, 10, (3,)), values=False),
    Case("randint-high", lambda lib: lib.randint(5, (2, 2)), values=False),
    Case("randperm", lambda lib: lib.randperm(6), values=False),
    Case("normal-tensors", lambda lib, m: lib.normal(m, 1.0), X, values=False, grad=False),
    Case("normal-size", lambda lib: lib.normal(2.0, 3.0, (4,)), values=False),
    Case(
        "bernoulli",
        lambda lib, p: lib.bernoulli(p),
        R.uniform(size=(3, 3)).astype(np.float32),
        values=False,
        grad=False,
    ),
    Case("rand_like", lambda lib, x: (lib.rand_like(x), lib.randn_like(x)), X, values=False, grad=False),
    Case(
        "inplace-samplers",
        lambda lib, x: (x.clone().uniform_(-1, 1), x.clone().normal_(0, 2), x.clone().bernoulli_(0.3)),
        X,
        values=False,
        grad=False,
    ),
]

DTYPES = [
    Case("default-dtypes", lambda lib: (lib.get_default_dtype(), lib.tensor([1.0]).dtype, lib.tensor([1]).dtype)),
    Case(
        "dtype-props",
        lambda lib: [
            (d.is_floating_point, d.is_complex, d.is_signed, d.itemsize)
            for d in (
                lib.float16,
                lib.bfloat16,
                lib.float32,
                lib.float64,
                lib.int8,
                lib.uint8,
                lib.int16,
                lib.int32,
                lib.int64,
                lib.bool,
                lib.complex64,
            )
        ],
    ),
    Case(
        "dtype-aliases",
        lambda lib: (
            lib.float is lib.float32,
            lib.double is lib.float64,
            lib.long is lib.int64,
            lib.half is lib.float16,
            lib.int is lib.int32,
        ),
    ),
    Case(
        "finfo",
        lambda lib: [
            (lib.finfo(d).eps, lib.finfo(d).max, lib.finfo(d).min, lib.finfo(d).tiny, lib.finfo(d).bits)
            for d in (lib.float16, lib.bfloat16, lib.float32, lib.float64)
        ],
    ),
    Case(
        "iinfo",
        lambda lib: [
            (lib.iinfo(d).max, lib.iinfo(d).min, lib.iinfo(d).bits)
            for d in (lib.uint8, lib.int8, lib.int16, lib.int32, lib.int64)
        ],
    ),
    Case(
        "promote_types",
        lambda lib: [
            lib.promote_types(a, b)
            for a in (lib.uint8, lib.int8, lib.float16, lib.bfloat16, lib.bool)
            for b in (lib.int8, lib.bfloat16, lib.int64, lib.complex64)
        ],
    ),
    Case(
        "result_type",
        lambda lib, x: (
            lib.result_type(x, 1.5),
            lib.result_type(x.long(), 1.5),
            lib.result_type(x, x.double()[0, 0]),
            lib.result_type(x.int(), x.long()[0, 0]),
            lib.result_type(2, 3.0),
        ),
        X,
    ),
    Case(
        "can_cast",
        lambda lib: (
            lib.can_cast(lib.float64, lib.int32),
            lib.can_cast(lib.int32, lib.float16),
            lib.can_cast(lib.bool, lib.uint8),
        ),
    ),
    Case(
        "to-dtype",
        lambda lib, x: (x.to(lib.float64), x.to(dtype=lib.int32), x.to("cpu", lib.float16), x.to(x.double())),
        X,
    ),
    Case(
        "conversions",
        lambda lib, x: (
            x.float(),
            x.double(),
            x.half(),
            x.long(),
            x.int(),
            x.bool(),
            x.short(),
            x.byte(),
            x.char(),
            x.bfloat16(),
        ),
        X * 3,
    ),
    Case("to-grad", lambda lib, x: x.to(lib.float64) * 2, X),
    Case(
        "type-string",
        lambda lib, x: (x.type(), x.long().type(), x.type(lib.float64).dtype, x.type("torch.IntTensor").dtype),
        X,
    ),
    Case("type_as", lambda lib, x: x.type_as(x.long()), X),
    Case("set-default-dtype", lambda lib: _with_default(lib)),
]


def _with_default(lib):
    lib.set_default_dtype(lib.float64)
    try:
        return (
            lib.tensor([1.5]).dtype,
            lib.zeros(2).dtype,
            lib.arange(0.0, 1.0, 0.5).dtype,
            (lib.tensor([1]) * 1.5).dtype,
        )
    finally:
        lib.set_default_dtype(lib.float32)


META = [
    Case("shape", lambda lib, x: (x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), len(x)), X),
    Case("size-error", lambda lib, x: x.size(2), X),
    Case("0d-meta", lambda lib, x: (x.shape, x.dim(), x.numel()), np.asarray(1.5, np.float32)),
    Case(
        "Size",
        lambda lib: (
            lib.Size([2, 3]),
            lib.Size([2, 3]).numel(),
            repr(lib.Size([2, 3])),
            lib.Size([2, 3])[1:],
            isinstance(lib.Size([1]), tuple),
        ),
    ),
    Case(
        "device",
        lambda lib, x: (
            str(x.device),
            x.device.type,
            x.is_cuda,
            repr(lib.device("cpu")),
            str(lib.device("cuda:1")),
            lib.device("cuda", 0).index,
        ),
        X,
    ),
    Case("T-mT", lambda lib, x: (x.T, x.mT, x.reshape(2, 2, 3).mT), X),
    Case("item", lambda lib, x: (x[0, 0].item(), x.long()[1, 1].item(), (x > 0)[0, 0].item()), X, traced=False),
    Case("item-error", lambda lib, x: x.item(), X),
    Case("tolist", lambda lib, x: (x.tolist(), x.long().tolist(), x[0, 0].tolist()), X, traced=False),
    Case("numpy", lambda lib, x: x.numpy(), X, grad=False, traced=False),
    Case("numpy-requires-grad-error", lambda lib, x: x.numpy(), X),
    Case("numpy-detach", lambda lib, x: x.detach().numpy(), X, traced=False),
    Case("array", lambda lib, x: np.asarray(x.detach()) + 1, X, traced=False),
    Case("len-0d-error", lambda lib, x: len(x), np.asarray(1.0, np.float32)),
    Case("iter", lambda lib, x: list(x), X),
    Case("iter-0d-error", lambda lib, x: list(x), np.asarray(1.0, np.float32)),
    Case("bool", lambda lib, x: (bool(x[0, 0] > 0), bool(lib.tensor([0])), bool(lib.tensor(2.0))), X, traced=False),
    Case("bool-ambiguous-error", lambda lib, x: bool(x), X),
    Case(
        "float-int-index",
        lambda lib, x: (float(x[0, 0]), int(x[0, 0] * 10), [1, 2, 3][lib.tensor(1)], float(lib.tensor([2.5]))),
        X,
        traced=False,
    ),
    Case("float-error", lambda lib, x: float(x), X),
    Case("index-float-error", lambda lib: [1, 2][lib.tensor(1.0)]),
    Case(
        "clone-detach",
        lambda lib, x: (x.clone(), x.clone().requires_grad, x.detach().requires_grad, x.clone().grad_fn.name()),
        X,
    ),
    Case(
        "contiguous",
        lambda lib, x: (
            x.is_contiguous(),
            x.t().is_contiguous(),
            x.t().contiguous().is_contiguous(),
            x.t().contiguous().stride(),
            x.contiguous() is x,
        ),
        X,
    ),
    Case(
        "stride",
        lambda lib, x: (
            x.stride(),
            x.t().stride(),
            x[:, 1:3].stride(),
            x[::2].stride(),
            x.stride(0),
            x.unsqueeze(1).stride(),
            x.expand(2, 3, 4).stride(),
        ),
        X,
    ),
    Case(
        "storage_offset",
        lambda lib, x: (x[1:].storage_offset(), x[1, 2:].storage_offset(), x.t()[2].storage_offset()),
        X,
    ),
    Case(
        "element-size",
        lambda lib, x: (
            x.element_size(),
            x.double().element_size(),
            x.nbytes,
            x.itemsize,
            x.is_floating_point(),
            x.long().is_floating_point(),
            x.is_complex(),
        ),
        X,
    ),
    Case("is_tensor", lambda lib, x: (lib.is_tensor(x), lib.is_tensor(1.0), lib.is_floating_point(x), lib.numel(x)), X),
    Case("format", lambda lib, x: (f"{x[0, 0]:.3f}", f"{lib.tensor(3):d}"), X, traced=False),
]


@pytest.mark.parametrize("case", CREATION + RANDOM + DTYPES + META, ids=repr)
def test_tensor(case, compat):
    compat(case)


def test_manual_seed_reproducible():
    import torchlike as torch

    torch.manual_seed(123)
    a = torch.randn(5)
    torch.manual_seed(123)
    b = torch.randn(5)
    c = torch.randn(5)
    assert torch.equal(a, b) and not torch.equal(b, c)
    g = torch.Generator().manual_seed(7)
    assert torch.equal(torch.rand(3, generator=g), torch.rand(3, generator=torch.Generator().manual_seed(7)))
    state = torch.get_rng_state()
    x = torch.rand(2)
    torch.set_rng_state(state)
    assert torch.equal(x, torch.rand(2))


def test_random_distribution():
    import torchlike as torch

    torch.manual_seed(0)
    n = torch.randn(20000)
    u = torch.rand(20000)
    assert abs(n.mean().item()) < 0.03 and abs(n.std().item() - 1) < 0.03
    assert 0 <= u.min().item() and u.max().item() < 1 and abs(u.mean().item() - 0.5) < 0.01
    r = torch.randint(3, 7, (1000,))
    assert r.min().item() == 3 and r.max().item() == 6
    assert sorted(torch.randperm(10).tolist()) == list(range(10))
    b = torch.bernoulli(torch.full((10000,), 0.25))
    assert abs(b.mean().item() - 0.25) < 0.02


def test_data_setter_and_writes_through_numpy_copy():
    import torchlike as torch

    x = torch.zeros(3)
    x.data = torch.ones(2)
    assert x.tolist() == [1.0, 1.0]
    a = np.arange(3.0)
    t = torch.from_numpy(a)
    a[0] = 100  # documented: from_numpy copies (JAX arrays are immutable)
    assert t[0].item() == 0.0


LAYOUT = [
    Case(
        "layout-empty-and-size1", lambda lib, x: (x[:, :0].stride(), x.t()[:, :1].stride(), x[:, :0].is_contiguous()), X
    ),
    Case("layout-empty-offset", lambda lib: lib.zeros(0, 4)[:, 1:].storage_offset()),
    Case("expanded-inplace-error", lambda lib, x: x.expand(2, 3, 4).add_(1), X, grad=False),
    Case("mT-1d-error", lambda lib, x: x[0].mT, X),
]


@pytest.mark.parametrize("case", LAYOUT, ids=repr)
def test_layout(case, compat):
    compat(case)


@pytest.mark.parametrize("make", ["tensor", "tensor-dtype", "as_tensor-dtype", "from_numpy"])
def test_creation_never_aliases_numpy(make):
    """torchlike arrays are immutable: a later write to the source array must not show through."""
    raw = np.zeros(1024 + 64, np.float32)
    start = (-raw.ctypes.data % 64) // 4
    a = raw[start : start + 1024]  # 64-byte aligned: where XLA's CPU client would adopt the buffer without a copy
    t = {
        "tensor": lambda: torchlike.tensor(a),
        "tensor-dtype": lambda: torchlike.tensor(a, dtype=torchlike.float32),
        "as_tensor-dtype": lambda: torchlike.as_tensor(a, dtype=torchlike.float32),
        "from_numpy": lambda: torchlike.from_numpy(a),
    }[make]()
    a[:] = 7
    assert float(t.sum()) == 0.0
