"""Orthogonal decompositions, SVD and QR, and what builds on the SVD: pinv, matrix_rank, lstsq.

Gradients follow torch's where JAX has none or differs: the full SVD (torch
ignores the columns past min(m, n)), the QR modes torch refuses to
differentiate (an error during backward) and pinv (Golub & Pereyra's formula).
"""

from __future__ import annotations

import collections
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from . import shape
from ._linalg_decomp import _hermitian
from ._linalg_util import _broadcast, _check_linalg, _check_matrix, _deprecated, _mH, _mm, _mT, _sn, _tensors, _traced
from ._util import to_out

# torch's named-tuple return types (torch.return_types.*)
_Svd = collections.namedtuple("svd", "U S V")
_LinalgSvd = collections.namedtuple("linalg_svd", "U S Vh")
_Qr = collections.namedtuple("qr", "Q R")
_LinalgQr = collections.namedtuple("linalg_qr", "Q R")
_LinalgLstsq = collections.namedtuple("linalg_lstsq", "solution residuals rank singular_values")


# ---------------------------------------------------------------- SVD and QR


@jax.custom_jvp
def _svd_full(a):
    u, s, vh = jnp.linalg.svd(a, full_matrices=True)
    return u, s, vh


@_svd_full.defjvp
def _svd_full_jvp(primals, tangents):
    # torch's backward ignores the columns of U (rows of Vh) past min(m, n); JAX has no rule for them
    (a,), (da,) = primals, tangents
    u, s, vh = _svd_full(a)
    k = s.shape[-1]
    ds, du, dvh = _svd_tangents(a, da, u[..., :k], s, vh[..., :k, :])
    du = jnp.concatenate([du, jnp.zeros_like(u[..., k:])], axis=-1)
    dvh = jnp.concatenate([dvh, jnp.zeros_like(vh[..., k:, :])], axis=-2)
    return (u, s, vh), (du, ds, dvh)


def _svd_tangents(a, da, u, s, vh):
    """The tangents of a reduced SVD ``a = u diag(s) vh`` (JAX's rule, on the given factors)."""
    v, sd = _mH(vh), s[..., None, :]
    dS = _mm(_mm(_mH(u), da), v)
    ds = jnp.real(jnp.diagonal(dS, axis1=-2, axis2=-1))
    eye = jnp.eye(s.shape[-1], dtype=s.dtype)
    f = 1 / ((sd + _mT(sd)) * (sd - _mT(sd)) + eye) - eye
    s_inv = jnp.where(s == 0, 0, 1 / jnp.where(s == 0, 1, s))
    dSS, SdS = sd.astype(a.dtype) * dS, _mT(sd).astype(a.dtype) * dS
    du = _mm(u, f * (dSS + _mH(dSS)) + 0.5 * (dS - _mH(dS)) * (eye * s_inv[..., None, :]))
    dv = _mm(v, f * (SdS + _mH(SdS)))
    m, n = a.shape[-2:]
    if m > n:
        dav = _mm(da, v)
        du = du + (dav - _mm(u, _mm(_mH(u), dav))) / sd
    if n > m:
        dahu = _mm(_mH(da), u)
        dv = dv + (dahu - _mm(v, _mm(vh, dahu))) / sd
    return ds, du, _mH(dv)


def _svd(a, *, full_matrices):
    if full_matrices and a.shape[-1] != a.shape[-2]:
        return _svd_full(a)
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    return u, s, vh


def _svdvals(a):
    return jnp.linalg.svd(a, compute_uv=False)


def linalg_svd(A, full_matrices: bool = True, *, driver=None, out=None):
    """Mirrors torch.linalg.svd: ``(U, S, Vh)``; ``driver`` (a cuSOLVER choice) is accepted and ignored."""
    _check_linalg(A, "linalg.svd", low_precision="linalg_svd_cpu")
    res = dispatch(_svd, (A,), (("full_matrices", bool(full_matrices)),), "LinalgSvdBackward0")
    return to_out(_LinalgSvd(*res), out)


def linalg_svdvals(A, *, driver=None, out=None):
    """Mirrors torch.linalg.svdvals."""
    _check_linalg(A, "linalg.svd", low_precision="linalg_svd_cpu")
    return to_out(dispatch(_svdvals, (A,), (), "LinalgSvdBackward0"), out)


def svd(input, some: bool = True, compute_uv: bool = True, *, out=None):
    """Mirrors torch.svd: ``(U, S, V)`` with V, not Vh; without ``compute_uv``, U and V are zeros."""
    U, S, Vh = linalg_svd(input, full_matrices=not some)
    V = shape.transpose(Vh, -2, -1).conj() if Vh.is_complex() else shape.transpose(Vh, -2, -1)
    if not compute_uv:
        m, n = input.shape[-2:]
        U = Tensor._make(jnp.zeros(tuple(input.shape[:-2]) + (m, m), input.dtype.np))
        V = Tensor._make(jnp.zeros(tuple(input.shape[:-2]) + (n, n), input.dtype.np))
    return to_out(_Svd(U, S, V), out)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2))
def _qr_nondiff(a, mode, msg):
    return _qr_plain(a, mode)


def _qr_nondiff_fwd(a, mode, msg):
    return _qr_plain(a, mode), None


def _qr_nondiff_bwd(mode, msg, res, g):
    raise RuntimeError(msg)  # raised during backward, as torch does


_qr_nondiff.defvjp(_qr_nondiff_fwd, _qr_nondiff_bwd)


def _qr_plain(a, mode):
    if mode == "r":
        return jnp.zeros((0,), a.dtype), jnp.linalg.qr(a, mode="r")
    q, r = jnp.linalg.qr(a, mode=mode)
    return q, r


_QR_NO_GRAD = {
    "r": "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
    "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
    "complete": "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
}


def _qr(a, *, mode):
    if mode == "r" or (mode == "complete" and a.shape[-2] > a.shape[-1]):
        return _qr_nondiff(a, mode, _QR_NO_GRAD[mode])
    return _qr_plain(a, mode)


def linalg_qr(A, mode: str = "reduced", *, out=None):
    """Mirrors torch.linalg.qr: ``(Q, R)``; mode 'reduced', 'complete' or 'r' (Q empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
        )
    _check_linalg(A, "linalg.qr", low_precision="geqrf_cpu")
    return to_out(_LinalgQr(*dispatch(_qr, (A,), (("mode", mode),), "LinalgQrBackward0")), out)


def qr(input, some: bool = True, *, out=None):
    """Mirrors torch.qr: ``(Q, R)`` (deprecated in torch, with its warning)."""
    _deprecated("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.")
    return to_out(_Qr(*linalg_qr(input, "reduced" if some else "complete")), out)


# ---------------------------------------------------------------- pseudo-inverse, rank, least squares


def _tolerance(s, atol, rtol, *, has_atol, has_rtol, shape):
    """torch's cut-off ``max(atol, rtol * largest singular value)`` (defaults: atol 0, rtol eps * max(m, n))."""
    eps_rtol = jnp.finfo(s.dtype).eps * max(shape)
    atol = jnp.asarray(atol, s.dtype) if has_atol else jnp.zeros((), s.dtype)
    if has_rtol:
        rtol = jnp.asarray(rtol, s.dtype)
    else:  # an explicit positive atol switches the default rtol off
        rtol = jnp.where(atol > 0, 0, eps_rtol) if has_atol else eps_rtol
    smax = jnp.max(s, -1, initial=0)
    return jnp.maximum(atol[..., None], (rtol * smax)[..., None])


@functools.partial(jax.custom_jvp, nondiff_argnums=(3, 4, 5))
def _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian):
    if hermitian:  # torch reads the lower triangle; its gradient is the general one
        w, v = jnp.linalg.eigh(jnp.tril(a) + _mH(jnp.tril(a, -1)), symmetrize_input=False)
        s, u, vh = jnp.abs(w), v * jnp.sign(w)[..., None, :], _mH(v)
    else:
        u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    tol = _tolerance(s, atol, rtol, has_atol=has_atol, has_rtol=has_rtol, shape=a.shape[-2:])
    s_inv = jnp.where(s > tol, 1 / jnp.where(s > tol, s, 1), 0).astype(a.dtype)
    return _mm(_mH(vh) * s_inv[..., None, :], _mH(u))


@_pinv_core.defjvp
def _pinv_core_jvp(has_atol, has_rtol, hermitian, primals, tangents):
    # Golub & Pereyra's derivative of the pseudo-inverse, as torch's pinv_backward uses
    a, atol, rtol = primals
    da = tangents[0]
    p = _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian)
    pH, daH = _mH(p), _mH(da)
    if a.shape[-2] >= a.shape[-1]:
        s, t = _mm(_mm(p, pH), daH), _mm(_mm(daH, pH), p)
        dp = -_mm(_mm(p, da), p) + s - _mm(_mm(s, a), p) + t - _mm(_mm(p, a), t)
    else:
        s, t = _mm(p, _mm(pH, daH)), _mm(daH, _mm(pH, p))
        dp = -_mm(p, _mm(da, p)) + s - _mm(s, _mm(a, p)) + t - _mm(p, _mm(a, t))
    return p, dp


def _pinv(a, atol, rtol, *, has_atol, has_rtol, hermitian):
    return _pinv_core(a, atol, rtol, has_atol, has_rtol, hermitian)


def _rank(s, atol, rtol, *, has_atol, has_rtol, shape):
    """How many singular values ``s`` pass the cut-off."""
    tol = _tolerance(s, atol, rtol, has_atol=has_atol, has_rtol=has_rtol, shape=shape)
    return jnp.sum(s > tol, -1).astype(jnp.int64)


def _float_or_double(x) -> bool:
    """The dtypes torch's SVD-based functions take: float, double, cfloat, cdouble."""
    return x.dtype.category >= D._CATEGORY_FLOAT and x.dtype not in (D.float16, D.bfloat16)


def _check_float_or_double(A, fname: str) -> None:
    _check_matrix(A, fname)
    if not _float_or_double(A):
        raise RuntimeError("This function doesn't handle types other than float and double")


def _tol_args(atol, rtol) -> tuple:
    static = (("has_atol", atol is not None), ("has_rtol", rtol is not None))
    return (0.0 if atol is None else atol, 0.0 if rtol is None else rtol), static


def linalg_pinv(input, rcond=None, hermitian: bool = False, *, atol=None, rtol=None, out=None):
    """Mirrors torch.linalg.pinv (``rcond`` is the older name of ``rtol``)."""
    _tensors("linalg_pinv", (input, "input"))
    if input.ndim < 2 or not _float_or_double(input):
        raise RuntimeError(
            f"linalg.pinv({_sn(input)}{{{list(input.shape)}}}): expected a tensor with 2 or more dimensions of float, "
            "double, cfloat or cdouble types"
        )
    if rcond is not None:
        rtol = rcond
    vals, static = _tol_args(atol, rtol)
    res = dispatch(_pinv, (input, *vals), static + (("hermitian", bool(hermitian)),), "LinalgPinvBackward0")
    return to_out(res, out)


def pinverse(input, rcond: float = 1e-15):
    """Mirrors torch.pinverse."""
    return linalg_pinv(input, rtol=rcond)


def _matrix_rank(a, atol, rtol, *, has_atol, has_rtol, hermitian):
    if hermitian:
        s = jnp.abs(jnp.linalg.eigvalsh(_hermitian(a, True), symmetrize_input=False))
    else:
        s = _svdvals(a)
    return _rank(s, atol, rtol, has_atol=has_atol, has_rtol=has_rtol, shape=a.shape[-2:])


def linalg_matrix_rank(A, tol=None, hermitian: bool = False, *, atol=None, rtol=None, out=None):
    """Mirrors torch.linalg.matrix_rank (``tol`` is the older absolute tolerance)."""
    _tensors("linalg_matrix_rank", (A, "A"))
    _check_float_or_double(A, "linalg.matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    vals, static = _tol_args(atol, rtol)
    return to_out(dispatch(_matrix_rank, (A, *vals), static + (("hermitian", bool(hermitian)),)), out)


def _lstsq(a, b, rcond, *, vector, has_rcond, driver):
    b = b[..., None] if vector else b
    p = _pinv_core(a, 0.0, rcond, False, has_rcond, False)
    x = _mm(p, b)
    s = _svdvals(lax.stop_gradient(a))
    rank = _rank(s, 0.0, rcond, has_atol=False, has_rtol=has_rcond, shape=a.shape[-2:])
    m, n = a.shape[-2:]
    if driver != "gelsy" and m > n:
        residuals = jnp.sum(jnp.abs(_mm(a, x) - b) ** 2, -2)
    else:
        residuals = jnp.zeros((0,), a.dtype)
    rank = jnp.zeros((0,), jnp.int64) if driver == "gels" else rank
    sv = s if driver in ("gelsd", "gelss") else jnp.zeros((0,), s.dtype)
    return (x[..., 0] if vector else x), (residuals[..., 0] if vector and residuals.ndim > 1 else residuals), rank, sv


def linalg_lstsq(A, B, rcond=None, *, driver=None):
    """Mirrors torch.linalg.lstsq: ``(solution, residuals, rank, singular_values)``.

    Solved through the pseudo-inverse, whose gradient torch also uses. As with
    torch's drivers, 'gelsy' (the default) gives the rank only, 'gelsd'/'gelss'
    also the singular values, and all but 'gelsy' give residuals when m > n
    (eagerly dropped, as torch does, when a matrix is rank-deficient).
    """
    _tensors("linalg_lstsq", (A, "A"), (B, "B"))
    _check_float_or_double(A, "torch.linalg.lstsq")
    if A.dtype != B.dtype:
        raise RuntimeError(
            "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype "
            f"{_sn(A)} and other's dtype {_sn(B)}"
        )
    vector = B.ndim == A.ndim - 1
    bm = tuple(B.shape) + (1,) if vector else tuple(B.shape)
    if A.shape[-2] != bm[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    _broadcast(A.shape[:-2], bm[:-2])
    driver = driver or "gelsy"
    static = (("vector", vector), ("has_rcond", rcond is not None), ("driver", driver))
    x, res, rank, sv = dispatch(_lstsq, (A, B, 0.0 if rcond is None else rcond), static, "LinalgLstsqBackward0")
    if res.numel() and not _traced(rank) and (np.asarray(rank._value) < A.shape[-1]).any():
        res = Tensor._make(jnp.zeros((0,), res.dtype.np))  # torch gives residuals for full-rank inputs only
    return _LinalgLstsq(x, res, rank, sv)
