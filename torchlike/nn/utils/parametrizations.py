"""weight_norm, spectral_norm and orthogonal as parametrizations (mirrors torch.nn.utils.parametrizations)."""

from __future__ import annotations

from enum import Enum, auto

import jax
import jax.numpy as jnp

from ..._dispatch import dispatch
from ..._ops._linalg_util import _HI
from ..._ops._shape_copies import cat
from ..._ops.creation import eye, randn, zeros_like
from ..._tensor import Tensor
from ...autograd import grad_mode
from ..modules.module import Module
from . import parametrize
from ._functional import _householder_op, _weight_norm, norm_except_dim, normalize

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


class _WeightNorm(Module):
    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    """Mirrors torch.nn.utils.parametrizations.weight_norm: ``weight = g * v / ||v||``."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _compat_hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_compat_hook)
    return module


class _SpectralNorm(Module):
    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError(
                f"Expected n_power_iterations to be positive, but got n_power_iterations={n_power_iterations}"
            )
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            mat = self._reshape_weight_to_matrix(weight)
            h, w = mat.size()
            u = randn(h, dtype=mat.dtype)
            v = randn(w, dtype=mat.dtype)
            self.register_buffer("_u", normalize(u, 0, self.eps))
            self.register_buffer("_v", normalize(v, 0, self.eps))
            self._power_method(mat, 15)

    def _reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        with grad_mode.no_grad():
            u, v = dispatch(_power_iteration, (weight_mat, self._u, self._v, self.eps), (("n", n_power_iterations),))
            self._u.copy_(u)
            self._v.copy_(v)

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return normalize(weight, 0, self.eps)
        if self.training:
            self._power_method(self._reshape_weight_to_matrix(weight.detach()), self.n_power_iterations)
        return dispatch(_spectral_scaled, (weight, self._u, self._v), (("dim", self.dim),), "DivBackward0")

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def _normalized(x, eps):
    return x / jnp.maximum(jnp.sqrt(jnp.sum(jnp.abs(x) ** 2)), eps).astype(x.dtype)


def _power_iteration(mat, u, v, eps, *, n):
    for _ in range(n):
        u = _normalized(jnp.matmul(mat, v, precision=_HI), eps)
        v = _normalized(jnp.matmul(jnp.conj(mat.T), u, precision=_HI), eps)
    return u, v


def _spectral_scaled(weight, u, v, *, dim):
    mat = jnp.moveaxis(weight, dim, 0).reshape(weight.shape[dim], -1)
    sigma = jnp.vdot(u, jnp.matmul(mat, v, precision=_HI))
    return weight / sigma


def spectral_norm(
    module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12, dim: int | None = None
) -> Module:
    """Mirrors torch.nn.utils.parametrizations.spectral_norm: ``weight / sigma`` by power iteration."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


def _qr_fixed(a):
    q, r = jnp.linalg.qr(a)
    d = jnp.diagonal(r, axis1=-2, axis2=-1)
    return q * jnp.where(d == 0, 1, d / jnp.abs(jnp.where(d == 0, 1, d)))[..., None, :]


def _make_orthogonal(a: Tensor) -> Tensor:
    return Tensor._make(jax.jit(_qr_fixed)(a._value))


def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.size(-2), q.size(-1)
    ident = eye(k, dtype=q.dtype)
    tol = 10.0 * n * float(jnp.finfo(q._value.dtype).eps)
    return bool(jnp.allclose((q.mH @ q)._value, ident._value, atol=tol))


def _orthogonal_op(X, *base, kind):
    n, k = X.shape[-2], X.shape[-1]
    transposed = n < k
    if transposed:
        X = jnp.swapaxes(X, -1, -2)
        n, k = k, n
    if kind in ("matrix_exp", "cayley"):
        X = jnp.tril(X)
        if n != k:
            X = jnp.concatenate([X, jnp.zeros((*X.shape[:-2], n, n - k), X.dtype)], axis=-1)
        A = X - jnp.conj(jnp.swapaxes(X, -1, -2))
        if kind == "matrix_exp":
            Q = jax.scipy.linalg.expm(A)
        else:
            ident = jnp.eye(n, dtype=A.dtype)
            Q = jnp.linalg.solve(ident - 0.5 * A, ident + 0.5 * A)
        Q = Q[..., :k]
    else:
        A = jnp.tril(X, -1)
        tau = 2.0 / (1.0 + jnp.sum(A * A, axis=-2))
        Q = _householder_op(A, tau)
        Q = Q * jnp.diagonal(X, axis1=-2, axis2=-1).astype(jnp.int32).astype(X.dtype)[..., None, :]
    if base:
        Q = jnp.matmul(base[0], Q, precision=_HI)
    return jnp.swapaxes(Q, -1, -2) if transposed else Q


class _Orthogonal(Module):
    def __init__(self, weight, orthogonal_map: _OrthMaps, *, use_trivialization: bool = True) -> None:
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        base = (self.base,) if "base" in self._buffers else ()
        return dispatch(_orthogonal_op, (X, *base), (("kind", self.orthogonal_map.name),), "OrthogonalBackward0")

    def right_inverse(self, Q: Tensor) -> Tensor:
        with grad_mode.no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Tensor) -> Tensor:
        if Q.shape != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. Got a tensor of shape {Q.shape}."
            )
        Q_init = Q
        n, k = Q.size(-2), Q.size(-1)
        transpose = n < k
        if transpose:
            Q = Q.mT
            n, k = k, n
        if "base" not in self._buffers:
            if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley parametrizations when "
                    "use_trivialization=False."
                )
            a, tau = jax.lax.linalg.geqrf(Q._value)
            d = jnp.sign(jnp.diagonal(a, axis1=-2, axis2=-1))
            d = jnp.where(tau == 0.0, -d, d)
            a = a.at[..., jnp.arange(k), jnp.arange(k)].set(d)
            A = Tensor._make(a)
            return A.mT if transpose else A
        if n == k:
            Q = _make_orthogonal(Q) if not _is_orthogonal(Q) else Q.clone()
        else:
            N = randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
            Q = _make_orthogonal(cat([Q, N], dim=-1))
        self.base = Q
        neg_id = zeros_like(Q_init)
        neg_id.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        return neg_id


def orthogonal(
    module: Module, name: str = "weight", orthogonal_map: str | None = None, *, use_trivialization: bool = True
) -> Module:
    """Mirrors torch.nn.utils.parametrizations.orthogonal."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.size(-2) == weight.size(-1)
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError(
            f'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: {orthogonal_map}'
        )
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
