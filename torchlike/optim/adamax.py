"""Adamax, mirroring torch.optim.Adamax."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_betas, check_lr, check_nonneg, maximize_part

__all__ = ["Adamax"]


class Adamax(_ChainOptimizer):
    """Adamax (Adam with the infinity norm); mirrors torch.optim.Adamax.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "betas", "eps", "weight_decay")

    def __init__(
        self,
        params,
        lr=2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonneg(eps=eps)
        check_betas(betas)
        check_nonneg(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
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
            T.scale_by_torch_adamax(hp["betas"], hp["eps"], step_dtype),
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
