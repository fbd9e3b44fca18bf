"""torchlike.linalg: mirrors torch.linalg. The ops are gathered in ``torchlike._ops.linalg``."""

from __future__ import annotations

from ._ops.linalg import LinAlgError, det, matmul, matrix_exp, matrix_norm, matrix_power, vector_norm
from ._ops.linalg import linalg_cholesky as cholesky
from ._ops.linalg import linalg_cholesky_ex as cholesky_ex
from ._ops.linalg import linalg_cross as cross
from ._ops.linalg import linalg_diagonal as diagonal
from ._ops.linalg import linalg_eigh as eigh
from ._ops.linalg import linalg_eigvalsh as eigvalsh
from ._ops.linalg import linalg_inv as inv
from ._ops.linalg import linalg_inv_ex as inv_ex
from ._ops.linalg import linalg_lstsq as lstsq
from ._ops.linalg import linalg_matrix_rank as matrix_rank
from ._ops.linalg import linalg_multi_dot as multi_dot
from ._ops.linalg import linalg_norm as norm
from ._ops.linalg import linalg_pinv as pinv
from ._ops.linalg import linalg_qr as qr
from ._ops.linalg import linalg_slogdet as slogdet
from ._ops.linalg import linalg_solve as solve
from ._ops.linalg import linalg_solve_ex as solve_ex
from ._ops.linalg import linalg_svd as svd
from ._ops.linalg import linalg_svdvals as svdvals
from ._ops.linalg import linalg_vecdot as vecdot

__all__ = [
    "LinAlgError", "cholesky", "cholesky_ex", "cross", "det", "diagonal", "eigh", "eigvalsh", "inv", "inv_ex",
    "lstsq", "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv",
    "qr", "slogdet", "solve", "solve_ex", "svd", "svdvals", "vecdot", "vector_norm",
]  # fmt: skip
