"""optax-style transformations with torch.optim's exact update formulas.

Each function returns an ``optax.GradientTransformation``: ``init(params)``
builds the state, ``update(updates, state, params)`` returns the transformed
updates and the new state. Params, updates and every state field are lists
with one entry per parameter (``None`` where a parameter has no such state
yet), and the state's field names are torch's per-parameter state keys, so an
optimizer maps the chain's state onto ``optimizer.state[p]`` by name.
Hyperparameters arrive as 0-d arrays (traced under jit), never as Python
constants, except where they change the program's structure.

Where optax has the same formula (coupled weight decay, scaling by ``-lr``,
SGD-style traces without dampening), the optimizers use optax's own parts;
these cover the rest: torch's per-parameter ``step``, bias corrections and
``eps`` placement, dampening, amsgrad, NAdam's ``mu_product``, RAdam's
rectification switch, ASGD's averaging, Rprop's sign rule, Adafactor's
factored moments.
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
import optax


def _s(x, like):
    """The 0-d hyperparameter ``x`` in ``like``'s (real) dtype, as torch applies a Python scalar to a tensor."""
    return jnp.asarray(x).astype(like.dtype)


def _lerp(a, b, w):
    """torch.lerp: ``a + w*(b-a)`` below weight 0.5, ``b - (1-w)*(b-a)`` from there (the form is chosen once,
    on the scalar weight, so only one form is computed per element)."""
    w = _s(w, a)
    low = w < 0.5
    return jnp.where(low, a, b) + jnp.where(low, w, w - 1) * (b - a)


def _zeros(params):
    return [jnp.zeros_like(p) for p in params]


def _steps(params, dtype):
    return [jnp.zeros((), dtype) for _ in params]


def _none(params):
    return [None] * len(params)


# ---------------------------------------------------------------- SGD


class SGDMomentumState(NamedTuple):
    momentum_buffer: list


def sgd_momentum(momentum, dampening, nesterov: bool) -> optax.GradientTransformation:
    """torch.optim.SGD's momentum: the buffer starts as the first gradient, then ``m*buf + (1-dampening)*g``."""

    def init(params):
        return SGDMomentumState(_none(params))

    def update(updates, state, params=None):
        bufs, out = [], []
        for g, b in zip(updates, state.momentum_buffer):
            b = g if b is None else b * _s(momentum, g) + g * _s(1 - dampening, g)
            bufs.append(b)
            out.append(g + b * _s(momentum, g) if nesterov else b)
        return out, SGDMomentumState(bufs)

    return optax.GradientTransformation(init, update)


# ---------------------------------------------------------------- Adam family


class AdamState(NamedTuple):
    step: list
    exp_avg: list
    exp_avg_sq: list
    max_exp_avg_sq: list


def scale_by_torch_adam(betas, eps, amsgrad: bool, step_dtype) -> optax.GradientTransformation:
    """torch.optim.Adam's direction (before ``-lr``): bias-corrected, ``eps`` added after ``sqrt(v)/sqrt(bc2)``."""
    b1, b2 = betas[0], betas[1]

    def init(params):
        maxes = _zeros(params) if amsgrad else _none(params)
        return AdamState(_steps(params, step_dtype), _zeros(params), _zeros(params), maxes)

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, m, v, vmax in zip(updates, *state):
            s = s + 1
            m = _lerp(m, g, 1 - b1)
            v = v * _s(b2, v) + _s(1 - b2, g) * g * g
            bc1, bc2_sqrt = 1 - b1**s, jnp.sqrt(1 - b2**s)
            if amsgrad:
                vmax = jnp.maximum(vmax, v)
            denom = jnp.sqrt(vmax if amsgrad else v) / _s(bc2_sqrt, v) + _s(eps, v)
            out.append(m / denom / _s(bc1, m))
            new.append((s, m, v, vmax))
        return out, AdamState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class AdamaxState(NamedTuple):
    step: list
    exp_avg: list
    exp_inf: list


def scale_by_torch_adamax(betas, eps, step_dtype) -> optax.GradientTransformation:
    """torch.optim.Adamax's direction: ``exp_avg / exp_inf / (1 - b1**t)``."""
    b1, b2 = betas[0], betas[1]

    def init(params):
        return AdamaxState(_steps(params, step_dtype), _zeros(params), _zeros(params))

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, m, u in zip(updates, *state):
            s = s + 1
            m = _lerp(m, g, 1 - b1)
            u = jnp.maximum(u * _s(b2, u), jnp.abs(g) + _s(eps, g))
            out.append(m / u / _s(1 - b1**s, m))
            new.append((s, m, u))
        return out, AdamaxState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class NAdamState(NamedTuple):
    step: list
    mu_product: list
    exp_avg: list
    exp_avg_sq: list


def scale_by_torch_nadam(betas, eps, momentum_decay, step_dtype) -> optax.GradientTransformation:
    """torch.optim.NAdam's direction, with its momentum schedule ``mu_t`` and running ``mu_product``."""
    b1, b2 = betas[0], betas[1]

    def init(params):
        ones = [jnp.ones((), step_dtype) for _ in params]
        return NAdamState(_steps(params, step_dtype), ones, _zeros(params), _zeros(params))

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, mp, m, v in zip(updates, *state):
            s = s + 1
            mu = b1 * (1.0 - 0.5 * 0.96 ** (s * momentum_decay))
            mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((s + 1) * momentum_decay))
            mp = mp * mu.astype(mp.dtype)
            m = _lerp(m, g, 1 - b1)
            v = v * _s(b2, v) + _s(1 - b2, g) * g * g
            denom = jnp.sqrt(v / _s(1 - b2**s, v)) + _s(eps, v)
            c_grad = (1.0 - mu) / (1.0 - mp)
            c_avg = mu_next / (1.0 - mp * mu_next)
            out.append(g * _s(c_grad, g) / denom + m * _s(c_avg, m) / denom)
            new.append((s, mp, m, v))
        return out, NAdamState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class RAdamState(NamedTuple):
    step: list
    exp_avg: list
    exp_avg_sq: list


def scale_by_torch_radam(betas, eps, step_dtype) -> optax.GradientTransformation:
    """torch.optim.RAdam's direction; the ``rho_t > 5`` rectification switch is a jnp.where."""
    b1, b2 = betas[0], betas[1]

    def init(params):
        return RAdamState(_steps(params, step_dtype), _zeros(params), _zeros(params))

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, m, v in zip(updates, *state):
            s = s + 1
            m = _lerp(m, g, 1 - b1)
            v = v * _s(b2, v) + _s(1 - b2, g) * g * g
            bc1, bc2 = 1 - b1**s, 1 - b2**s
            rho_inf = 2 / (1 - b2) - 1
            rho_t = rho_inf - 2 * s * (b2**s) / bc2
            rect = jnp.sqrt(
                jnp.maximum((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t), 0)
            )
            corrected = m / _s(bc1, m)
            adaptive = _s(jnp.sqrt(bc2), v) / (jnp.sqrt(v) + _s(eps, v))
            out.append(jnp.where(rho_t > 5.0, corrected * adaptive * _s(rect, m), corrected))
            new.append((s, m, v))
        return out, RAdamState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


# ---------------------------------------------------------------- RMSprop, Adagrad, Adadelta


class RMSpropState(NamedTuple):
    step: list
    square_avg: list
    grad_avg: list


def scale_by_torch_rms(alpha, eps, centered: bool, step_dtype) -> optax.GradientTransformation:
    """torch.optim.RMSprop's direction ``g / (sqrt(square_avg [- grad_avg**2]) + eps)`` (momentum is optax.trace)."""

    def init(params):
        avgs = _zeros(params) if centered else _none(params)
        return RMSpropState(_steps(params, step_dtype), _zeros(params), avgs)

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, sq, ga in zip(updates, *state):
            sq = sq * _s(alpha, sq) + _s(1 - alpha, g) * g * g
            if centered:
                ga = _lerp(ga, g, 1 - alpha)
                avg = jnp.sqrt(sq - ga * ga)
            else:
                avg = jnp.sqrt(sq)
            out.append(g / (avg + _s(eps, avg)))
            new.append((s + 1, sq, ga))
        return out, RMSpropState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class AdagradState(NamedTuple):
    step: list
    sum: list


def scale_by_torch_adagrad(lr_decay, eps, initial_accumulator_value: float, step_dtype) -> optax.GradientTransformation:
    """torch.optim.Adagrad's direction ``g / (sqrt(sum) + eps) / (1 + (t-1)*lr_decay)``."""

    def init(params):
        fill = [
            jnp.full_like(p, initial_accumulator_value * (1 + 1j) if jnp.iscomplexobj(p) else initial_accumulator_value)
            for p in params
        ]
        return AdagradState(_steps(params, step_dtype), fill)

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, acc in zip(updates, *state):
            s = s + 1
            acc = acc + g * g
            std = jnp.sqrt(acc) + _s(eps, acc)
            out.append(g / std / _s(1 + (s - 1) * lr_decay, g))
            new.append((s, acc))
        return out, AdagradState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class AdadeltaState(NamedTuple):
    step: list
    square_avg: list
    acc_delta: list


def scale_by_torch_adadelta(rho, eps, step_dtype) -> optax.GradientTransformation:
    """torch.optim.Adadelta's direction ``sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g``."""

    def init(params):
        return AdadeltaState(_steps(params, step_dtype), _zeros(params), _zeros(params))

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, sq, acc in zip(updates, *state):
            sq = sq * _s(rho, sq) + _s(1 - rho, g) * g * g
            delta = jnp.sqrt(acc + _s(eps, acc)) / jnp.sqrt(sq + _s(eps, sq)) * g
            acc = acc * _s(rho, acc) + _s(1 - rho, delta) * delta * delta
            out.append(delta)
            new.append((s + 1, sq, acc))
        return out, AdadeltaState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


# ---------------------------------------------------------------- ASGD, Rprop, Adafactor (whole updates)


class ASGDState(NamedTuple):
    step: list
    eta: list
    mu: list
    ax: list


def torch_asgd(lr, lambd, alpha, t0, step_dtype) -> optax.GradientTransformation:
    """torch.optim.ASGD's whole update (it uses its own ``eta``, not ``-lr``) and its averaged ``ax``."""

    def init(params):
        etas = [jnp.asarray(lr).astype(step_dtype) for _ in params]
        return ASGDState(_steps(params, step_dtype), etas, [jnp.ones((), step_dtype) for _ in params], _zeros(params))

    def update(updates, state, params):
        new, out = [], []
        for g, p, s, eta, mu, ax in zip(updates, params, *state):
            s = s + 1
            u = p * _s(-lambd * eta, p) - g * _s(eta, g)
            p_new = p + u
            ax = jnp.where(mu == 1, p_new, ax + (p_new - ax) * _s(mu, ax))
            eta = (lr / ((1 + lambd * lr * s) ** alpha)).astype(eta.dtype)
            mu = (1 / jnp.maximum(1, s - t0)).astype(mu.dtype)
            out.append(u)
            new.append((s, eta, mu, ax))
        return out, ASGDState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class RpropState(NamedTuple):
    step: list
    prev: list
    step_size: list


def torch_rprop(lr, etas, step_sizes, step_dtype) -> optax.GradientTransformation:
    """torch.optim.Rprop's whole update: per-element step sizes grown or shrunk by the sign of ``g * prev``."""
    etaminus, etaplus = etas[0], etas[1]

    def init(params):
        sizes = [jnp.full_like(p, lr * (1 + 1j) if jnp.iscomplexobj(p) else lr) for p in params]
        return RpropState(_steps(params, step_dtype), _zeros(params), sizes)

    def update(updates, state, params=None):
        new, out = [], []
        for g, s, prev, size in zip(updates, *state):
            sign = jnp.sign(g * prev)
            factor = jnp.where(sign > 0, _s(etaplus, g), jnp.where(sign < 0, _s(etaminus, g), jnp.ones_like(g)))
            size = jnp.clip(size * factor, _s(step_sizes[0], size), _s(step_sizes[1], size))
            g = jnp.where(sign < 0, jnp.zeros_like(g), g)
            out.append(-jnp.sign(g) * size)
            new.append((s + 1, g, size))
        return out, RpropState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)


class AdafactorState(NamedTuple):
    step: list
    row_var: list
    col_var: list
    variance: list


def _norm(x, **kw):
    return jnp.sqrt(jnp.sum(x * x, **kw))


def torch_adafactor(lr, beta2_decay, eps, d, weight_decay, eps1_default: bool, step_dtype):
    """torch.optim.Adafactor's whole update (torch's formula, not optax's): factored second moments for >=2-d."""

    def init(params):
        rows = [jnp.zeros((*p.shape[:-1], 1), p.dtype) if p.ndim > 1 else None for p in params]
        cols = [jnp.zeros((*p.shape[:-2], 1, p.shape[-1]), p.dtype) if p.ndim > 1 else None for p in params]
        var = [None if p.ndim > 1 else jnp.zeros_like(p) for p in params]
        return AdafactorState(_steps(params, step_dtype), rows, cols, var)

    def update(updates, state, params):
        new, out = [], []
        for g, p, s, row, col, var in zip(updates, params, *state):
            eps1 = jnp.finfo(p.dtype).eps if eps1_default else eps[0]
            s = s + 1
            one_minus_beta2 = s**beta2_decay
            rho = jnp.minimum(lr, 1 / jnp.sqrt(s))
            alpha = jnp.maximum(eps[1], _norm(p) / (p.size**0.5)) * rho
            if p.ndim > 1:
                row = _lerp(row, _norm(g, axis=-1, keepdims=True) ** 2 / g.shape[-1], one_minus_beta2)
                col = _lerp(col, _norm(g, axis=-2, keepdims=True) ** 2 / g.shape[-2], one_minus_beta2)
                # row @ col is an outer product (inner size 1): multiply, so no matmul precision mode applies
                est = row * col / jnp.maximum(jnp.mean(row, axis=-2, keepdims=True), _s(eps1, row))
            else:
                var = _lerp(var, g * g, one_minus_beta2)
                est = var
            step = 1 / jnp.sqrt(jnp.maximum(est, _s(eps1 * eps1, est))) * g
            denom = jnp.maximum(1.0, _norm(step) / ((step.size**0.5) * d))
            out.append(-p * _s(lr * weight_decay, p) - step * _s(alpha / denom, step))
            new.append((s, row, col, var))
        return out, AdafactorState(*map(list, zip(*new)))

    return optax.GradientTransformation(init, update)
