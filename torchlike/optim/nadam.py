"""NAdam, mirroring torch.optim.NAdam (momentum schedule, mu_product, optional decoupled weight decay)."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_betas, check_lr, check_nonneg, maximize_part
from .adam import weight_decay_parts

__all__ = ["NAdam"]


class NAdam(_ChainOptimizer):
    """Adam with Nesterov momentum; mirrors torch.optim.NAdam.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "betas", "eps", "weight_decay", "momentum_decay")

    def __init__(
        self,
        params,
        lr=2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        check_nonneg(eps=eps)
        check_betas(betas)
        check_nonneg(weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("maximize", group["maximize"]), ("decoupled", group["decoupled_weight_decay"]))

    @staticmethod
    def _chain(hp, *, maximize, decoupled, step_dtype):
        before, after = weight_decay_parts(hp, decoupled)
        return optax.chain(
            *maximize_part(maximize),
            *before,
            T.scale_by_torch_nadam(hp["betas"], hp["eps"], hp["momentum_decay"], step_dtype),
            *after,
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
