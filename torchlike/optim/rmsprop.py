"""RMSprop, mirroring torch.optim.RMSprop (centered variant; momentum is optax.trace)."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, check_nonneg, maximize_part

__all__ = ["RMSprop"]


class RMSprop(_ChainOptimizer):
    """RMSprop; mirrors torch.optim.RMSprop.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "momentum", "alpha", "eps", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonneg(eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("momentum", group["momentum"] > 0), ("centered", group["centered"]), ("maximize", group["maximize"]))

    @staticmethod
    def _chain(hp, *, momentum, centered, maximize, step_dtype):
        # torch: buf = momentum * buf + g / avg, then p -= lr * buf: exactly optax.trace
        trace = [optax.trace(decay=hp.leaf("momentum"))] if momentum else []
        return optax.chain(
            *maximize_part(maximize),
            optax.add_decayed_weights(hp.leaf("weight_decay")),
            T.scale_by_torch_rms(hp["alpha"], hp["eps"], centered, step_dtype),
            *trace,
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
