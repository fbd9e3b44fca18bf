"""Adam and AdamW, mirroring torch.optim.Adam / AdamW: torch's bias correction and eps placement."""

from __future__ import annotations

import optax

from .._tensor import Tensor
from . import _transforms as T
from ._chain import _ChainOptimizer, check_betas, check_lr, check_nonneg, maximize_part
from .optimizer import _to_scalar

__all__ = ["Adam", "AdamW"]


def weight_decay_parts(hp, decoupled: bool) -> tuple[list, list]:
    """(before, after) the direction: torch adds ``wd * p`` to the gradient, or (decoupled) to the step."""
    wd = [optax.add_decayed_weights(hp.leaf("weight_decay"))]
    return ([], wd) if decoupled else (wd, [])


class Adam(_ChainOptimizer):
    """Adam (optionally AMSGrad, decoupled weight decay); mirrors torch.optim.Adam.

    ``foreach``, ``fused``, ``capturable`` and ``differentiable`` are accepted and ignored.
    """

    _hyper_keys = ("lr", "betas", "eps", "weight_decay")

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
        check_lr(lr)
        check_nonneg(eps=eps)
        check_betas(betas)
        check_nonneg(weight_decay=weight_decay)
        if not (all(isinstance(b, float) for b in betas) or all(isinstance(b, Tensor) for b in betas)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, b in enumerate(betas):
            if isinstance(b, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
                if b.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = {
            "lr": lr,
            "betas": tuple(map(_to_scalar, betas)),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        super().__init__(params, defaults)

    def _static(self, group) -> tuple:
        return (
            ("amsgrad", group["amsgrad"]),
            ("maximize", group["maximize"]),
            ("decoupled", group["decoupled_weight_decay"]),
        )

    @staticmethod
    def _chain(hp, *, amsgrad, maximize, decoupled, step_dtype):
        before, after = weight_decay_parts(hp, decoupled)
        return optax.chain(
            *maximize_part(maximize),
            *before,
            T.scale_by_torch_adam(hp["betas"], hp["eps"], amsgrad, step_dtype),
            *after,
            optax.scale_by_learning_rate(hp.leaf("lr")),
        )


class AdamW(Adam):
    """Adam with decoupled weight decay; mirrors torch.optim.AdamW."""

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
