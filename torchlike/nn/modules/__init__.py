"""torchlike.nn's layers, one file per family (mirrors torch/nn/modules/)."""

from __future__ import annotations

from . import (
    activation,
    attention,
    container,
    conv,
    dropout,
    linear,
    loss,
    misc,
    module,
    normalization,
    padding,
    pooling,
    rnn,
    sparse,
    transformer,
    upsampling,
)
from .activation import *  # noqa: F403
from .attention import *  # noqa: F403
from .container import *  # noqa: F403
from .conv import *  # noqa: F403
from .dropout import *  # noqa: F403
from .linear import *  # noqa: F403
from .loss import *  # noqa: F403
from .misc import *  # noqa: F403
from .module import *  # noqa: F403
from .normalization import *  # noqa: F403
from .padding import *  # noqa: F403
from .pooling import *  # noqa: F403
from .rnn import *  # noqa: F403
from .sparse import *  # noqa: F403
from .transformer import *  # noqa: F403
from .upsampling import *  # noqa: F403

__all__ = [
    name
    for family in (
        activation,
        attention,
        container,
        conv,
        dropout,
        linear,
        loss,
        misc,
        module,
        normalization,
        padding,
        pooling,
        rnn,
        sparse,
        transformer,
        upsampling,
    )
    for name in family.__all__
]
