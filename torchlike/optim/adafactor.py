"""Adafactor, mirroring torch.optim.Adafactor (torch's formula, not optax's)."""

from __future__ import annotations

import optax

from .._tensor import Tensor
from . import _transforms as T
from ._chain import _ChainOptimizer, maximize_part

__all__ = ["Adafactor"]


class Adafactor(_ChainOptimizer):
    """Adafactor with factored second moments for >=2-d parameters; mirrors torch.optim.Adafactor.

    ``foreach`` is accepted and ignored. Complex parameters raise, as in torch.
    """

    _hyper_keys = ("lr", "beta2_decay", "eps", "d", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": eps,
            "d": d,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (("maximize", group["maximize"]), ("eps1_default", group["eps"][0] is None))

    def _step_group(self, group) -> None:
        for p in group["params"]:
            if p.grad is not None and p.is_complex():
                raise RuntimeError("Adafactor does not support complex parameters")
        super()._step_group(group)

    @staticmethod
    def _chain(hp, *, maximize, eps1_default, step_dtype):
        update = T.torch_adafactor(
            hp["lr"], hp["beta2_decay"], hp["eps"], hp["d"], hp["weight_decay"], eps1_default, step_dtype
        )
        return optax.chain(*maximize_part(maximize), update)
