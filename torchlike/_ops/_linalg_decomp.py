"""Decompositions: determinants, inverses, solves, Cholesky, eigh and matrix_exp.

Checks that need values (a singular matrix in ``inv``/``solve``, one that is
not positive-definite in ``cholesky``) read an ``info`` output eagerly and
raise ``LinAlgError`` as torch does; under tracing they are skipped and the
result holds inf/nan, as in JAX. The SVD, QR and what builds on them live in
``_linalg_svd``.
"""

from __future__ import annotations

import collections

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._dispatch import dispatch
from .._tensor import Tensor
from ._linalg_util import (
    _broadcast,
    _check_linalg,
    _check_matrix,
    _deprecated,
    _mH,
    _mT,
    _raise_on_info,
    _sn,
    _tensors,
    _traced,
    _x,
)
from ._util import to_out

# torch's named-tuple return types (torch.return_types.*)
_Slogdet = collections.namedtuple("slogdet", "sign logabsdet")
_LinalgSlogdet = collections.namedtuple("linalg_slogdet", "sign logabsdet")
_LinalgEigh = collections.namedtuple("linalg_eigh", "eigenvalues eigenvectors")
_LinalgInvEx = collections.namedtuple("linalg_inv_ex", "inverse info")
_LinalgSolveEx = collections.namedtuple("linalg_solve_ex", "result info")
_LinalgCholeskyEx = collections.namedtuple("linalg_cholesky_ex", "L info")


# ---------------------------------------------------------------- determinants and inverses


def _det(a):
    if a.shape[-1] == 0:  # JAX's rule fails on 0x0; the empty product is 1
        return jnp.ones(a.shape[:-2], a.dtype)
    return jnp.linalg.det(a)


def _slogdet(a):
    if a.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype), jnp.zeros(a.shape[:-2], a.dtype)
    sign, logabsdet = jnp.linalg.slogdet(a)
    return sign, logabsdet


def _logdet(a):
    sign, logabsdet = _slogdet(a)
    return jnp.where(sign < 0, jnp.nan, logabsdet)


def det(input, *, out=None):
    """Mirrors torch.det / torch.linalg.det."""
    _check_linalg(input, "linalg.det", square=True, low_precision="lu_cpu")
    return to_out(dispatch(_det, (input,), (), "LinalgDetBackward0"), out)


def linalg_slogdet(A, *, out=None):
    """Mirrors torch.linalg.slogdet: ``(sign, logabsdet)``."""
    _check_linalg(A, "linalg.slogdet", square=True, low_precision="error")
    return to_out(_LinalgSlogdet(*dispatch(_slogdet, (A,), (), "LinalgSlogdetBackward0")), out)


def slogdet(input, *, out=None):
    """Mirrors torch.slogdet: ``(sign, logabsdet)``."""
    return _Slogdet(*linalg_slogdet(input, out=out))


def logdet(input):
    """Mirrors torch.logdet (nan for a negative determinant, -inf for zero)."""
    _check_linalg(input, "logdet", square=True, low_precision="error")
    return dispatch(_logdet, (input,), (), "WhereBackward0")


def _lu_info(a):
    """LAPACK getrf's info: 1 + the index of the first exactly-zero pivot, else 0."""
    if a.shape[-1] == 0:
        return jnp.zeros(a.shape[:-2], jnp.int32)
    lu = lax.linalg.lu(lax.stop_gradient(a))[0]
    zero = jnp.diagonal(lu, axis1=-2, axis2=-1) == 0
    return jnp.where(zero.any(-1), jnp.argmax(zero, -1) + 1, 0).astype(jnp.int32)


def _inv_ex(a):
    return jnp.linalg.inv(a), _lu_info(a)


def linalg_inv_ex(A, *, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.inv_ex: ``(inverse, info)``."""
    _check_linalg(A, "linalg.inv", square=True, low_precision="error")
    res = _LinalgInvEx(*dispatch(_inv_ex, (A,), (), "LinalgInvExBackward0"))
    if check_errors:
        _raise_on_info(res.info, "linalg.inv", _singular_msg)
    return to_out(res, out)


def _singular_msg(code: int) -> str:
    return (
        f"The diagonal element {code} is zero, the inversion could not be completed because the input matrix is "
        "singular."
    )


def linalg_inv(A, *, out=None):
    """Mirrors torch.linalg.inv (LinAlgError for a singular matrix, eagerly)."""
    return to_out(linalg_inv_ex(A, check_errors=True).inverse, out)


inverse = linalg_inv


def _solve_ex(a, b, *, left, vector):
    if not left:  # X A = B  <=>  A^T X^T = B^T
        a, b = _mT(a), _mT(b)
    if vector:
        b = b[..., None]
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    x = jnp.linalg.solve(a, jnp.broadcast_to(b, batch + b.shape[-2:]))
    x = x[..., 0] if vector else x
    return (x if left else _mT(x)), _lu_info(a)


def linalg_solve_ex(A, B, *, left: bool = True, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.solve_ex: ``(result, info)``."""
    _check_linalg(A, "linalg.solve", square=True, low_precision="lu_cpu")
    _tensors("linalg_solve", (A, "A"), (B, "B"))
    if A.dtype != B.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {_sn(A)} and B of type "
            f"{_sn(B)} instead"
        )
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector and not left:
        raise RuntimeError(
            "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this "
            "case linalg.solve is equivalent to B / A.squeeze(-1)"
        )
    bm = tuple(B.shape) + (1,) if vector else tuple(B.shape)
    n, k = (A.shape[-1], bm[-2]) if left else (A.shape[-2], bm[-1])
    if n != k:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {eq} ({_x(A.shape[-2:])} and {_x(bm[-2:])})"
        )
    _broadcast(A.shape[:-2], bm[:-2])
    res = dispatch(_solve_ex, (A, B), (("left", left), ("vector", vector)), "LinalgSolveExBackward0")
    res = _LinalgSolveEx(*res)
    if check_errors:
        _raise_on_info(res.info, "torch.linalg.solve", _solve_msg)
    return to_out(res, out)


def _solve_msg(code: int) -> str:
    return "The solver failed because the input matrix is singular."


def linalg_solve(A, B, *, left: bool = True, out=None):
    """Mirrors torch.linalg.solve (LinAlgError for a singular matrix, eagerly)."""
    return to_out(linalg_solve_ex(A, B, left=left, check_errors=True).result, out)


# ---------------------------------------------------------------- Hermitian decompositions


def _hermitian(a, lower: bool):
    """The Hermitian matrix torch reads from one triangle of ``a``; gradients flow as to the Hermitian part.

    torch's values use only the named triangle (and the real part of the
    diagonal), while its backward returns the symmetrized gradient;
    ``sym + stop_gradient(full - sym)`` gives both.
    """
    tri = jnp.tril(a) if lower else jnp.triu(a)
    full = tri + _mH(tri)
    full = full - 0.5 * full * jnp.eye(a.shape[-1], dtype=a.dtype)  # the diagonal was counted twice
    sym = (a + _mH(a)) / 2
    return sym + lax.stop_gradient(full - sym)


def _cholesky_ex(a, *, upper):
    low = lax.linalg.cholesky(_hermitian(a, lower=not upper), symmetrize_input=False)
    failed = jnp.isnan(low).any((-2, -1)).astype(jnp.int32)  # JAX fills a failed factor with nan
    return (_mH(low) if upper else low), failed


def _chol_order(a: np.ndarray, upper: bool) -> int:
    """The order of the first leading minor that is not positive-definite (LAPACK potrf's info)."""
    a = np.triu(a) + np.triu(a, 1).conj().T if upper else np.tril(a) + np.tril(a, -1).conj().T
    for k in range(1, a.shape[-1] + 1):
        try:
            np.linalg.cholesky(a[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return a.shape[-1]


def _cholesky_info(A: Tensor, info: Tensor, upper: bool) -> Tensor:
    """Refine the failure flags into potrf's orders (eager only; under tracing a failure reads 1)."""
    if _traced(info) or not np.asarray(info._value).any():
        return info
    mats = np.asarray(A.detach()._value).reshape((-1,) + tuple(A.shape[-2:]))
    flags = np.asarray(info._value).reshape(-1)
    orders = [_chol_order(m, upper) if f else 0 for m, f in zip(mats, flags)]
    return Tensor._make(jnp.asarray(np.array(orders, np.int32).reshape(info.shape)))


def _cholesky(A, upper, fname, name, check_errors=True):
    _check_linalg(A, fname, square=True, low_precision="cholesky_cpu")
    L, info = dispatch(_cholesky_ex, (A,), (("upper", bool(upper)),), name)
    info = _cholesky_info(A, info, upper)
    if check_errors:
        _raise_on_info(info, fname, _pd_msg)
    return L, info


def _pd_msg(code: int) -> str:
    return (
        "The factorization could not be completed because the input is not positive-definite (the leading minor "
        f"of order {code} is not positive-definite)."
    )


def linalg_cholesky_ex(A, *, upper: bool = False, check_errors: bool = False, out=None):
    """Mirrors torch.linalg.cholesky_ex: ``(L, info)``."""
    return to_out(
        _LinalgCholeskyEx(*_cholesky(A, upper, "linalg.cholesky", "LinalgCholeskyExBackward0", check_errors)), out
    )


def linalg_cholesky(A, *, upper: bool = False, out=None):
    """Mirrors torch.linalg.cholesky (reads one triangle; LinAlgError if not positive-definite, eagerly)."""
    return to_out(_cholesky(A, upper, "linalg.cholesky", "LinalgCholeskyExBackward0")[0], out)


def cholesky(input, upper: bool = False, *, out=None):
    """Mirrors torch.cholesky (deprecated in torch in favour of torch.linalg.cholesky, with its warning)."""
    _deprecated(
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
        "release."
    )
    _tensors("cholesky", (input, "input"))
    if input.dtype.category < D._CATEGORY_FLOAT:
        raise NotImplementedError(f"\"cholesky_cpu\" not implemented for '{_sn(input)}'")
    return to_out(_cholesky(input, upper, "cholesky", "CholeskyBackward0")[0], out)


def _eigh(a, *, lower):
    w, v = jnp.linalg.eigh(_hermitian(a, lower), symmetrize_input=False)
    return w, v


def _eigvalsh(a, *, lower):
    return _eigh(a, lower=lower)[0]


def _check_eigh(A) -> None:
    _tensors("linalg_eigh", (A, "A"))
    _check_matrix(A, "linalg.eigh", square=True)
    if A.dtype not in (D.float32, D.float64, D.complex64, D.complex128):
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{_sn(A)}'")


def _uplo(UPLO: str) -> bool:
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO == "L"


def linalg_eigh(A, UPLO: str = "L", *, out=None):
    """Mirrors torch.linalg.eigh: ``(eigenvalues, eigenvectors)``, ascending."""
    _check_eigh(A)
    res = dispatch(_eigh, (A,), (("lower", _uplo(UPLO)),), "LinalgEighBackward0")
    return to_out(_LinalgEigh(*res), out)


def linalg_eigvalsh(A, UPLO: str = "L", *, out=None):
    """Mirrors torch.linalg.eigvalsh."""
    _check_eigh(A)
    return to_out(dispatch(_eigvalsh, (A,), (("lower", _uplo(UPLO)),), "LinalgEighBackward0"), out)


# ---------------------------------------------------------------- matrix exponential


def _matrix_exp(a):
    return jax.scipy.linalg.expm(a)


def matrix_exp(A):
    """Mirrors torch.matrix_exp / torch.linalg.matrix_exp."""
    _check_linalg(A, "linalg.matrix_exp", square=True)
    return dispatch(_matrix_exp, (A,), (), "LinalgMatrixExpBackward0")
