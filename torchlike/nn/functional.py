"""torchlike.nn.functional: the math behind every layer and loss (mirrors torch.nn.functional).

The functions live in ``torchlike/_ops/nn_*.py``, one file per family; this
module is their public face.
"""

from __future__ import annotations

from .._ops.nn_activation import *  # noqa: F403
from .._ops.nn_attention import *  # noqa: F403
from .._ops.nn_conv import *  # noqa: F403
from .._ops.nn_linear import *  # noqa: F403
from .._ops.nn_loss import *  # noqa: F403
from .._ops.nn_misc import *  # noqa: F403
from .._ops.nn_norm import *  # noqa: F403
from .._ops.nn_pool import *  # noqa: F403
