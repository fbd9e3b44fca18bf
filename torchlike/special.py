"""torchlike.special: mirrors torch.special. The ops live in ``torchlike._ops`` (mostly ``special.py``)."""

from __future__ import annotations

from ._ops.pointwise import digamma, erf, erfc, erfinv, exp2, expm1, log1p, round, sinc, xlogy  # noqa: A004
from ._ops.pointwise import digamma as psi
from ._ops.pointwise import lgamma as gammaln
from ._ops.pointwise import sigmoid as expit
from ._ops.reduce import log_softmax, logsumexp, softmax
from ._ops.special import (
    bessel_j0,
    bessel_j1,
    entr,
    erfcx,
    i0,
    i0e,
    i1,
    i1e,
    log_ndtr,
    logit,
    modified_bessel_i0,
    modified_bessel_i1,
    ndtr,
    ndtri,
    polygamma,
    xlog1py,
    zeta,
)
from ._ops.special import igamma as gammainc
from ._ops.special import igammac as gammaincc
from ._ops.special import mvlgamma as multigammaln

__all__ = [
    "bessel_j0", "bessel_j1", "digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1",
    "gammainc", "gammaincc", "gammaln", "i0", "i0e", "i1", "i1e", "log1p", "log_ndtr", "log_softmax", "logit",
    "logsumexp", "modified_bessel_i0", "modified_bessel_i1", "multigammaln", "ndtr", "ndtri", "polygamma", "psi",
    "round", "sinc", "softmax", "xlog1py", "xlogy", "zeta",
]  # fmt: skip
