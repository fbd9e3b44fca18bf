"""ASGD, mirroring torch.optim.ASGD (its eta, mu and averaged ax state)."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, check_nonneg, maximize_part

__all__ = ["ASGD"]


class ASGD(_ChainOptimizer):
    """Averaged stochastic gradient descent; mirrors torch.optim.ASGD.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "lambd", "alpha", "t0", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonneg(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("maximize", group["maximize"]),)

    @staticmethod
    def _chain(hp, *, maximize, step_dtype):
        return optax.chain(
            *maximize_part(maximize),
            optax.add_decayed_weights(hp.leaf("weight_decay")),
            T.torch_asgd(hp["lr"], hp["lambd"], hp["alpha"], hp["t0"], step_dtype),
        )
