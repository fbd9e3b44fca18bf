"""SGD, mirroring torch.optim.SGD: optax's weight decay and ``-lr`` scaling around torch's momentum."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, maximize_part

__all__ = ["SGD"]


class SGD(_ChainOptimizer):
    """Stochastic gradient descent with optional momentum; mirrors torch.optim.SGD.

    ``foreach``, ``fused`` and ``differentiable`` are accepted and ignored (every
    group runs as one fused XLA program). Sparse gradients are not supported.
    """

    _hyper_keys = ("lr", "momentum", "dampening", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay=0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("momentum", group["momentum"] != 0), ("nesterov", group["nesterov"]), ("maximize", group["maximize"]))

    @staticmethod
    def _chain(hp, *, momentum, nesterov, maximize, step_dtype):
        moment = [T.sgd_momentum(hp["momentum"], hp["dampening"], nesterov)] if momentum else []
        return optax.chain(
            *maximize_part(maximize),
            optax.add_decayed_weights(hp.leaf("weight_decay")),
            *moment,
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
