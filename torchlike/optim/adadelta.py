"""Adadelta, mirroring torch.optim.Adadelta."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, check_nonneg, maximize_part

__all__ = ["Adadelta"]


class Adadelta(_ChainOptimizer):
    """Adadelta; mirrors torch.optim.Adadelta.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "rho", "eps", "weight_decay")

    def __init__(
        self,
        params,
        lr=1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonneg(eps=eps, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("maximize", group["maximize"]),)

    @staticmethod
    def _chain(hp, *, maximize, step_dtype):
        return optax.chain(
            *maximize_part(maximize),
            optax.add_decayed_weights(hp.leaf("weight_decay")),
            T.scale_by_torch_adadelta(hp["rho"], hp["eps"], step_dtype),
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
