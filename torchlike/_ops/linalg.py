"""Linear algebra: matrix products, decompositions and norms (torch.matmul ... torch.linalg.*).

The family module: it gathers the ops from their modules and lists the Tensor
methods. Products keep torch's rule that their operands share one dtype (only
``outer``, ``addr`` and ``kron`` promote, as in torch) and run float32 at full
precision, as torch does by default (no TF32).

- ``_linalg_matmul``: matmul and its paths, vdot, inner, outer, the addmm family;
- ``_linalg_products``: einsum, tensordot, kron, cross, trace, multi_dot, matrix_power, cdist, vecdot;
- ``_linalg_decomp``: det, slogdet, inv, solve, cholesky, eigh, matrix_exp;
- ``_linalg_svd``: svd, qr, and pinv, matrix_rank, lstsq (built on the SVD);
- ``_linalg_norms``: vector, matrix and linalg norms;
- ``_linalg_util``: the checks they share, and ``LinAlgError``.

``torchlike.linalg`` re-exports the ``linalg_*`` functions under torch's names.
"""

from __future__ import annotations

# the linalg_* names (and the norms, LinAlgError) are not torch.* functions: torchlike.linalg re-exports them
from ._linalg_decomp import (  # noqa: F401
    cholesky,
    det,
    inverse,
    linalg_cholesky,
    linalg_cholesky_ex,
    linalg_eigh,
    linalg_eigvalsh,
    linalg_inv,
    linalg_inv_ex,
    linalg_slogdet,
    linalg_solve,
    linalg_solve_ex,
    logdet,
    matrix_exp,
    slogdet,
)
from ._linalg_matmul import addbmm, addmm, addmv, addr, baddbmm, bmm, dot, ger, inner, matmul, mm, mv, outer, vdot
from ._linalg_norms import linalg_norm, matrix_norm, vector_norm  # noqa: F401
from ._linalg_products import (  # noqa: F401
    cdist,
    chain_matmul,
    cross,
    einsum,
    kron,
    linalg_cross,
    linalg_diagonal,
    linalg_multi_dot,
    linalg_vecdot,
    matrix_power,
    tensordot,
    trace,
)
from ._linalg_svd import (  # noqa: F401
    linalg_lstsq,
    linalg_matrix_rank,
    linalg_pinv,
    linalg_qr,
    linalg_svd,
    linalg_svdvals,
    pinverse,
    qr,
    svd,
)
from ._linalg_util import LinAlgError  # noqa: F401

__all__ = [
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "einsum", "tensordot", "kron", "cross",
    "trace", "addmm", "addmv", "addbmm", "baddbmm", "addr", "chain_matmul", "matrix_power", "cdist", "det",
    "slogdet", "logdet", "inverse", "cholesky", "pinverse", "svd", "qr", "matrix_exp",
]  # fmt: skip
METHODS = [
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "kron", "cross", "trace", "addmm", "addmv",
    "addbmm", "baddbmm", "addr", "matrix_power", "det", "slogdet", "logdet", "inverse", "cholesky", "pinverse",
    "svd", "qr", "matrix_exp",
]  # fmt: skip
INPLACE = ["addmm", "addmv", "addbmm", "baddbmm", "addr"]
