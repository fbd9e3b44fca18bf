"""Complex numbers against torch: real / imag views, conj bits, angle, complex, polar, view_as_real /
view_as_complex, and the gradients that flow through them to real inputs."""

from __future__ import annotations

import numpy as np
import pytest

from compat_tests.conftest import requires_torch
from compat_tests.harness import Case

R = np.random.RandomState(11)


def f32(*shape):
    return R.uniform(-2.0, 2.0, shape).astype(np.float32)


def f64(*shape):
    return R.uniform(-2.0, 2.0, shape)


def c64(*shape):
    return (f32(*shape) + 1j * f32(*shape)).astype(np.complex64)


def c128(*shape):
    return f64(*shape) + 1j * f64(*shape)


def _z(lib, a, b):
    return lib.complex(a, b)


def _write_real(lib, a, b):
    z = _z(lib, a, b)
    z.real.zero_()
    z.imag[1] = 7.0
    return z, z.real.stride(), z.imag.storage_offset(), z.imag.is_contiguous()


def _set_parts(lib, a, b):
    z = _z(lib, a, b)
    z.real = b * 2
    z.imag = lib.tensor(3.0)
    return z


def _conj_write(lib, z):
    c = z.conj()
    c.imag.fill_(1.0)
    c[0] = 5 + 5j
    return z, c.resolve_conj(), c.is_conj(), c.imag.is_neg(), c.real.is_conj()


def _view_as_complex_write(lib, x):
    x = x.detach().clone()
    v = lib.view_as_complex(x)
    v.mul_(1j)
    v[0, 1] = 2 - 3j
    return x, v.stride(), v.storage_offset()


def _view_as_real_write(lib, z):
    r = lib.view_as_real(z)
    r[..., 1] = 0.5
    r[0].zero_()
    return z, r.shape, r.stride()


def _bits(lib, z):
    c = z.conj()
    return (
        z.is_conj(),
        c.is_conj(),
        c.clone().is_conj(),
        (c + 1).is_conj(),
        c[0].is_conj(),
        lib.is_conj(c),
        c.resolve_conj().is_conj(),
        c.imag.is_neg(),
        lib.is_neg(c.imag.resolve_neg()),
        c.imag.resolve_neg(),
        c.conj().is_conj(),
    )


CASES = [
    Case("complex-f32", lambda lib, a, b: lib.view_as_real(lib.complex(a, b)), f32(3), f32(3)),
    Case("complex-f64-broadcast", lambda lib, a, b: lib.complex(a, b), f64(2, 3), f64(3)),
    Case("complex-grad-real-imag", lambda lib, a, b: (_z(lib, a, b).real * 2, _z(lib, a, b).imag ** 2), f32(4), f32(4)),
    Case("complex-int-error", lambda lib, a, b: lib.complex(a, b), np.arange(3), np.arange(3)),
    Case("complex-dtypes-error", lambda lib, a, b: lib.complex(a, b), f32(3), f64(3)),
    Case("complex-broadcast-error", lambda lib, a, b: lib.complex(a, b), f32(3), f32(2)),
    Case("polar", lambda lib, r, t: lib.view_as_real(lib.polar(r, t)), np.abs(f32(2, 3)), f32(2, 3)),
    Case("polar-f64-0d", lambda lib, r, t: lib.polar(r, t), np.asarray(2.0), f64(3)),
    Case("polar-dtypes-error", lambda lib, r, t: lib.polar(r, t), f32(3), f64(3)),
    Case("real-imag-values", lambda lib, z: (lib.real(z), lib.imag(z), z.real, z.imag), c64(2, 3)),
    Case("real-imag-c128", lambda lib, z: (z.real.dtype, z.imag, z.real.shape), c128(3)),
    Case("real-of-real-is-self", lambda lib, x: (lib.real(x) is x, x.real is x, x.real), f32(3)),
    Case("real-of-int", lambda lib, x: x.real, np.arange(3)),
    Case("imag-of-real-error", lambda lib, x: x.imag, f32(3)),
    Case("torch.imag-of-real-error", lambda lib, x: lib.imag(x), np.arange(3)),
    Case("real-imag-write-through", _write_real, f32(3), f32(3), grad=False),
    Case("real-imag-setters", _set_parts, f32(3), f32(3), grad=False),
    Case("real-imag-write-grad", lambda lib, a, b: lib.view_as_real(_fill_imag(_z(lib, a, b), b)), f32(3), f32(3)),
    Case(
        "real-view-of-view", lambda lib, z: (z[1:].real, z.t().imag.stride(), z[:, 1].imag.storage_offset()), c64(3, 2)
    ),
    Case("angle-complex", lambda lib, a, b: lib.angle(_z(lib, a, b)), f32(5), f32(5)),
    Case(
        "angle-real",
        lambda lib, x: (lib.angle(x), x.angle()),
        np.array([-2.0, -0.0, 0.0, 3.0, np.nan, np.inf, -np.inf], np.float32),
    ),
    Case("angle-real-grad", lambda lib, x: lib.angle(x), f64(4)),
    Case("angle-int-bool", lambda lib, x: (lib.angle(x), lib.angle(x > 0)), np.array([-1, 0, 2])),
    Case("conj-real-is-self", lambda lib, x: (lib.conj(x) is x, x.conj() is x, x.conj().is_conj()), f32(3)),
    # torch's numpy() refuses tensors with the conj bit: the rows resolve before returning
    Case("conj-values", lambda lib, z: (lib.conj(z).resolve_conj(), z.conj().imag.resolve_neg()), c64(2, 2)),
    Case("conj-bits", _bits, c64(3)),
    Case("conj-write-through", _conj_write, c64(3), grad=False),
    Case("conj_physical-grad", lambda lib, a, b: lib.view_as_real(_z(lib, a, b).conj_physical()) * 3, f32(3), f32(3)),
    Case("conj_physical", lambda lib, z: (lib.conj_physical(z), z.conj_physical().is_conj()), c128(3)),
    Case("conj_physical-real", lambda lib, x: (lib.conj_physical(x) is x, lib.conj_physical(x)), np.arange(3)),
    Case("conj_physical_", lambda lib, z: _inplace(z.clone(), "conj_physical_"), c64(3)),
    Case("torch.conj_physical_", lambda lib, z: (lib.conj_physical_(z), z), c64(3)),
    Case("resolve-real", lambda lib, x: (lib.resolve_conj(x) is x, lib.resolve_neg(x) is x, x.is_neg()), f32(2)),
    Case("view_as_real", lambda lib, z: (lib.view_as_real(z), lib.view_as_real(z).stride()), c64(2, 3)),
    Case("view_as_real-0d", lambda lib, z: lib.view_as_real(z), np.asarray(1 + 2j)),
    Case("view_as_real-write", _view_as_real_write, c128(2, 2), grad=False),
    Case("view_as_real-conj-error", lambda lib, z: lib.view_as_real(z.conj()), c64(3)),
    Case("view_as_real-real-error", lambda lib, x: lib.view_as_real(x), f32(3)),
    Case("view_as_complex", lambda lib, x: lib.view_as_complex(x), f32(3, 2)),
    Case("view_as_complex-f64-grad", lambda lib, x: lib.view_as_complex(x * 2).imag, f64(2, 3, 2)),
    Case("view_as_complex-roundtrip-grad", lambda lib, x: lib.view_as_real(lib.view_as_complex(x)) ** 2, f32(4, 2)),
    Case("view_as_complex-write", _view_as_complex_write, f32(2, 2, 2), grad=False),
    Case("view_as_complex-size-error", lambda lib, x: lib.view_as_complex(x), f32(3)),
    Case("view_as_complex-stride-error", lambda lib, x: lib.view_as_complex(x.t()), f32(2, 2)),
    Case("view_as_complex-stride2-error", lambda lib, x: lib.view_as_complex(x[:, :2]), f32(2, 3)),
    Case("view_as_complex-offset-error", lambda lib, x: lib.view_as_complex(x[1:].reshape(2, 2)), f32(5)),
    Case("view_as_complex-int-error", lambda lib, x: lib.view_as_complex(x), np.zeros((2, 2), np.int64)),
    Case("view_as_complex-0d-error", lambda lib, x: lib.view_as_complex(x), np.asarray(1.0, np.float32)),
    Case("view_as_real_copy", lambda lib, z: _no_alias(lib.view_as_real_copy(z), z), c64(3)),
    Case("view_as_complex_copy", lambda lib, x: _no_alias(lib.view_as_complex_copy(x), x), f32(3, 2), grad=False),
    Case("view_as_complex_copy-grad-error", lambda lib, x: lib.view_as_complex_copy(x), f32(3, 2)),
    Case("cdouble", lambda lib, x: (x.cdouble(), x.cdouble().dtype), f32(3), grad=False),
    Case("cdouble-from-c64", lambda lib, z: z.cdouble(), c64(2)),
    Case("sgn-complex", lambda lib, z: (lib.sgn(z), z.sgn()), np.array([3 + 4j, 0j, -2j], np.complex64)),
    Case("isreal", lambda lib, z: (lib.isreal(z), z.isreal()), np.array([1 + 0j, 1j, 0j, 2 - 0j])),
    Case("isreal-real-int", lambda lib, x: (lib.isreal(x), lib.isreal(x.long())), f32(3)),
    Case("abs-complex-values", lambda lib, z: z.abs(), c64(3)),
]


def _fill_imag(z, b):
    z.imag.copy_(b * b)
    return z


def _inplace(t, name):
    r = getattr(t, name)()
    return r, r is t


def _no_alias(r, z):
    r[0] = 100.0
    return r, z


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_complex(case, compat):
    compat(case)


@requires_torch
def test_conj_gradients():
    """Gradients through a lazy conj reach torch's inputs with the neg bit set (which the harness cannot
    read), so this one compares by hand."""
    import torch

    import torchlike

    a, b = f32(4), f32(4)
    w = np.complex64(1 + 2j)
    grads = []
    for lib in (torch, torchlike):
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        out = (lib.complex(ta, tb).conj() * lib.tensor(w)).real.sum()
        grads.append([g.resolve_neg().detach().numpy() for g in lib.autograd.grad(out, [ta, tb])])
    for got, want in zip(grads[1], grads[0]):
        np.testing.assert_allclose(got, want, rtol=1e-6)
