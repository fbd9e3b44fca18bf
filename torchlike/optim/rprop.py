"""Rprop, mirroring torch.optim.Rprop (sign rule with jnp.where, clamped per-element step sizes)."""

from __future__ import annotations

import optax

from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, maximize_part

__all__ = ["Rprop"]


class Rprop(_ChainOptimizer):
    """Resilient backpropagation; mirrors torch.optim.Rprop.

    ``foreach``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "etas", "step_sizes")

    def __init__(
        self,
        params,
        lr=1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
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
        return optax.chain(*maximize_part(maximize), T.torch_rprop(hp["lr"], hp["etas"], hp["step_sizes"], step_dtype))
