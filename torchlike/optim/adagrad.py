"""Adagrad, mirroring torch.optim.Adagrad (lr_decay, initial_accumulator_value; state created at construction)."""

from __future__ import annotations

import jax.numpy as jnp
import optax

from .._tensor import Tensor
from . import _transforms as T
from ._chain import _ChainOptimizer, check_lr, check_nonneg, maximize_part
from .optimizer import _scalar_dtype

__all__ = ["Adagrad"]


class Adagrad(_ChainOptimizer):
    """Adagrad; mirrors torch.optim.Adagrad. Sparse gradients are not supported.

    ``foreach``, ``fused`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "lr_decay", "eps", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_lr(lr)
        check_nonneg(lr_decay=lr_decay, weight_decay=weight_decay)
        check_nonneg(initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:  # torch creates Adagrad's state eagerly
            for p in group["params"]:
                init = initial_accumulator_value * (1 + 1j) if p.is_complex() else initial_accumulator_value
                self.state[p]["step"] = Tensor._make(jnp.zeros((), _scalar_dtype()))
                self.state[p]["sum"] = Tensor._make(jnp.full_like(p._value, init))

    def _static(self, group) -> tuple:
        return (("maximize", group["maximize"]), ("initial", float(self.defaults["initial_accumulator_value"])))

    @staticmethod
    def _chain(hp, *, maximize, initial, step_dtype):
        return optax.chain(
            *maximize_part(maximize),
            optax.add_decayed_weights(hp.leaf("weight_decay")),
            T.scale_by_torch_adagrad(hp["lr_decay"], hp["eps"], initial, step_dtype),
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )
