"""Attention and transformers against torch: F.scaled_dot_product_attention, F.multi_head_attention_forward,
MultiheadAttention with every mask kind, Transformer encoder/decoder layers, and a real torch state_dict.

Layer rows copy torch's state_dict into torchlike (torch's parameter names)
and compare outputs and gradients w.r.t. inputs and parameters, eagerly and
traced. Masks: bool (True = masked for MHA, True = attend for SDPA) and float
(added), 2-d and 3-d, key padding masks, causal hints.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import torchlike
from compat_tests.conftest import requires_torch
from compat_tests.harness import Case
from compat_tests.nn_harness import LayerCase, check_init, check_layer

R = np.random.RandomState(0)
E, H, L, S, N = 8, 2, 4, 5, 4  # N == L: batch-first and sequence-first inputs share shapes (and compiles)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def _bool(*shape, p=0.3):
    return R.rand(*shape) < p


SDPA_MASK = _bool(L, S, p=0.7)
SDPA_MASK[1] = False  # a query row that attends to nothing: torch gives zeros
KPM = np.zeros((N, S), bool)
KPM[0, 3:] = True
ATTN = _bool(L, S)
ATTN3 = _bool(N * H, L, S)
ATTN[:, 0] = ATTN3[:, :, 0] = False  # every query keeps a key


def F(lib):
    return lib.nn.functional


def _lib(module):
    """The library (torch or torchlike) a module was built from."""
    return torchlike if isinstance(module, torchlike.nn.Module) else __import__("torch")


def _sdpa(lib, q, k, v, fmask):
    sdpa = F(lib).scaled_dot_product_attention
    return (
        sdpa(q, k, v, attn_mask=lib.tensor(SDPA_MASK)),
        sdpa(q, k, v, attn_mask=fmask, scale=0.3),
        sdpa(q, k, v, is_causal=True),
        sdpa(q, k, v, dropout_p=1.0),  # every weight dropped: deterministic zeros
    )


def _sdpa_gqa(lib, q, k, v):
    return F(lib).scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)


def _mha_fn(lib, q, k, v, w, b, ow, ob):
    """The functional form, sequence-first (the module rows below cover its other options)."""
    kpm, am = lib.tensor(KPM), lib.tensor(ATTN)
    return F(lib).multi_head_attention_forward(
        q, k, v, E, H, w, b, None, None, False, 0.0, ow, ob, key_padding_mask=kpm, attn_mask=am
    )


FUNCTIONAL = [
    Case("sdpa-masks-scale-causal", _sdpa, f32(N, H, L, E), f32(N, H, S, E), f32(N, H, S, E), f32(L, S)),
    Case("sdpa-gqa-causal", _sdpa_gqa, f32(N, 4, L, E), f32(N, 2, L, E), f32(N, 2, L, E)),
    Case(
        "mha-functional-seq-first-masks",
        _mha_fn,
        f32(L, N, E),
        f32(S, N, E),
        f32(S, N, E),
        f32(3 * E, E),
        f32(3 * E),
        f32(E, E),
        f32(E),
        rtol=1e-4,  # gradients of size ~10 through two softmaxes: float32 cancellation
        atol=1e-4,
        traced=False,  # the same code paths run traced in the module rows
    ),
    Case(
        "sdpa-error-dtype",
        lambda lib, q, k: F(lib).scaled_dot_product_attention(q, k.double(), k),
        f32(N, H, L, E),
        f32(N, H, S, E),
    ),
    Case(
        "sdpa-error-gqa-heads",
        lambda lib, q, k: F(lib).scaled_dot_product_attention(q, k, k, enable_gqa=True),
        f32(N, 3, L, E),
        f32(N, 2, S, E),
    ),
    Case(
        "sdpa-mask-and-causal",
        lambda lib, q, k, m: F(lib).scaled_dot_product_attention(q, k, k, attn_mask=m.detach(), is_causal=True),
        f32(N, H, L, E),
        f32(N, H, S, E),
        f32(L, S),
    ),
    Case(
        "sdpa-error-mask-with-grad-and-causal",
        lambda lib, q, k, m: F(lib).scaled_dot_product_attention(q, k, k, attn_mask=m, is_causal=True),
        f32(N, H, L, E),
        f32(N, H, S, E),
        f32(L, S),
    ),
]


@pytest.mark.parametrize("case", FUNCTIONAL, ids=repr)
def test_functional(case, compat):
    compat(case)


def _mha_masks(m, q, k, v, fkpm, fmask3):
    """Every mask kind through one MultiheadAttention (bool and float, 2-d and 3-d, key padding, causal)."""
    lib = _lib(m)
    kpm, am3 = lib.tensor(KPM), lib.tensor(ATTN3)
    causal = lib.nn.Transformer.generate_square_subsequent_mask(L)
    return (
        m(q, k, v, key_padding_mask=kpm, attn_mask=am3),
        m(q, k, v, key_padding_mask=fkpm, attn_mask=fmask3, average_attn_weights=False),
        m(q, q, q, attn_mask=causal, is_causal=True, need_weights=False),
    )


def _fkpm():
    m = np.zeros((N, S), np.float32)
    m[1, 4] = -np.inf
    m[0] = R.standard_normal(S)
    return m


MHA = [
    LayerCase(
        "mha-batch-first-every-mask",
        lambda lib: lib.nn.MultiheadAttention(E, H, batch_first=True),
        f32(N, L, E),
        f32(N, S, E),
        f32(N, S, E),
        _fkpm(),
        f32(N * H, L, S),
        call=_mha_masks,
        modes=("eval",),
    ),
    LayerCase(
        "mha-kdim-vdim-bias-kv-zero-attn-nobias",
        lambda lib: lib.nn.MultiheadAttention(E, H, bias=False, add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=5),
        f32(L, N, E),
        f32(S, N, 3),
        f32(S, N, 5),
        call=lambda m, q, k, v: m(q, k, v, key_padding_mask=_lib(m).tensor(KPM)),
        modes=("train",),
        traced=False,  # the same code paths run traced in other rows
    ),
    LayerCase(
        # dropout=1 in train mode: every attention weight is dropped, deterministically
        "mha-unbatched-dropout-train",
        lambda lib: lib.nn.MultiheadAttention(E, H, dropout=1.0),
        f32(L, E),
        f32(S, E),
        f32(S, E),
        modes=("train",),
    ),
    LayerCase(
        "mha-error-causal-without-mask",
        lambda lib: lib.nn.MultiheadAttention(E, H),
        f32(L, N, E),
        call=lambda m, q: m(q, q, q, is_causal=True),
        modes=("eval",),
    ),
    LayerCase(
        "mha-error-attn-mask-shape",
        lambda lib: lib.nn.MultiheadAttention(E, H),
        f32(L, N, E),
        f32(S, S),
        call=lambda m, q, mask: m(q, q, q, attn_mask=mask),
        modes=("eval",),
    ),
]


@pytest.mark.parametrize("case", MHA, ids=repr)
def test_mha(case):
    check_layer(case)


def _encoder(lib, norm_first, activation):
    layer = lib.nn.TransformerEncoderLayer(
        E, H, dim_feedforward=16, dropout=0.0, activation=activation, norm_first=norm_first, batch_first=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: "enable_nested_tensor is True, but ... norm_first"
        return lib.nn.TransformerEncoder(layer, 2, norm=lib.nn.LayerNorm(E), enable_nested_tensor=False)


def _decoder(lib):
    layer = lib.nn.TransformerDecoderLayer(E, H, dim_feedforward=16, dropout=0.0, activation="gelu", norm_first=True)
    return lib.nn.TransformerDecoder(layer, 2)


def _encode_masks(m, x, fmask):
    """A float attention mask with a bool key padding mask (torch warns about the mix, and so does torchlike)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return m(x, mask=fmask, src_key_padding_mask=_lib(m).tensor(KPM[:, :L]))


def _encode_causal(m, x):
    return m(x, mask=_lib(m).nn.Transformer.generate_square_subsequent_mask(L), is_causal=True)


def _decode(m, tgt, mem):
    lib = _lib(m)
    causal = lib.nn.Transformer.generate_square_subsequent_mask(L)
    kpm, am = lib.tensor(KPM), lib.tensor(ATTN)
    return m(tgt, mem, tgt_mask=causal, memory_mask=am, memory_key_padding_mask=kpm, tgt_is_causal=True)


TRANSFORMERS = [
    LayerCase(
        "encoder-post-norm-gelu-masks",
        lambda lib: _encoder(lib, False, "gelu"),
        f32(N, L, E),
        f32(L, L),
        call=_encode_masks,
        modes=("eval",),
    ),
    LayerCase(
        "encoder-pre-norm-relu-callable-causal",
        lambda lib: _encoder(lib, True, lib.nn.functional.relu),
        f32(N, L, E),
        call=_encode_causal,
        modes=("train",),
        traced=False,  # the same code paths run traced in other rows
    ),
    LayerCase(
        "decoder-pre-norm-gelu-masks",
        _decoder,
        f32(L, N, E),
        f32(S, N, E),
        call=_decode,
        modes=("eval",),
    ),
    LayerCase(
        "transformer-small-no-bias-train",
        lambda lib: lib.nn.Transformer(E, H, 1, 1, 16, dropout=0.0, bias=False, batch_first=True),
        f32(N, S, E),
        f32(N, L, E),
        call=lambda m, src, tgt: m(src, tgt, tgt_mask=m.generate_square_subsequent_mask(L), tgt_is_causal=True),
        modes=("train",),
        traced=False,  # its layers are traced in the rows above
    ),
    LayerCase(
        "transformer-error-d-model",
        lambda lib: lib.nn.Transformer(E, H, 1, 1, 16),
        f32(S, N, 4),
        f32(L, N, 4),
        modes=("eval",),
    ),
]


@pytest.mark.parametrize("case", TRANSFORMERS, ids=repr)
def test_transformer(case):
    check_layer(case)


def test_init():
    """xavier_uniform_ in-projections, zero biases, xavier_normal_ bias_k / bias_v; Transformer's xavier init."""
    check_init(lambda lib: lib.nn.MultiheadAttention(16, 4, add_bias_kv=True, kdim=8), seeds=(0,))
    torchlike.manual_seed(0)
    model = torchlike.nn.Transformer(E, H, 1, 1, 16, bias=False)  # the shapes of the layer row above
    for name, p in model.named_parameters():
        a = p.detach().numpy()
        if p.dim() > 1:  # xavier_uniform_: bound sqrt(6 / (fan_in + fan_out)), nearly reached
            bound = np.sqrt(6.0 / (p.shape[0] + p.shape[1]))
            assert np.abs(a).max() <= bound and np.abs(a).max() > 0.7 * bound, name
        elif "norm" in name:
            np.testing.assert_array_equal(a, np.ones_like(a) if name.endswith("weight") else np.zeros_like(a))


class _Classifier:
    """embedding + 2-layer TransformerEncoder + linear head, written once for both libraries."""

    @staticmethod
    def make(lib, vocab=11, d=8, classes=3):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = lib.nn.Embedding(vocab, d)
                layer = lib.nn.TransformerEncoderLayer(d, 2, dim_feedforward=16, dropout=0.1, batch_first=True)
                self.encoder = lib.nn.TransformerEncoder(layer, 2)
                self.head = lib.nn.Linear(d, classes)

            def forward(self, tokens, pad):
                return self.head(self.encoder(self.embed(tokens), src_key_padding_mask=pad).mean(1))

        return Net()


@requires_torch
def test_constructor_errors_as_torch():
    """torch raises AssertionError / ValueError from these constructors (the layer harness treats AssertionError
    as a test failure, so they are checked here)."""
    import torch

    for make, exc in [
        (lambda lib: lib.nn.MultiheadAttention(8, 3), AssertionError),
        (lambda lib: lib.nn.MultiheadAttention(0, 2), ValueError),
        (lambda lib: lib.nn.TransformerEncoderLayer(8, 2, activation="tanh"), RuntimeError),
    ]:
        for lib in (torch, torchlike):
            with pytest.raises(exc):
                make(lib)


@requires_torch
def test_torch_state_dict_loads_and_matches():
    """A state_dict produced by real torch (trained a few steps, saved with torch.save, passed through numpy) loads
    into the same model written with torchlike and gives torch's outputs, with and without autograd."""
    import torch

    torch.manual_seed(0)
    net = _Classifier.make(torch)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    tokens = torch.from_numpy(R.randint(0, 11, (N, L)))
    pad = torch.zeros(N, L, dtype=torch.bool)
    pad[1, 3:] = True
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(tokens, pad), torch.tensor([0, 1, 2, 0])).backward()
        opt.step()
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = {k: v.numpy() for k, v in torch.load(buf, weights_only=True).items()}
    net.eval()
    with torch.no_grad():  # torch's inference fast path (nested tensors: padded positions are zeroed)
        want_fast = net(tokens, pad).numpy()
    want = net(tokens, pad).detach().numpy()

    mine = _Classifier.make(torchlike)
    result = mine.load_state_dict({k: torchlike.tensor(v) for k, v in state.items()})
    assert not result.missing_keys and not result.unexpected_keys
    assert list(mine.state_dict()) == list(state)
    mine.eval()
    t_tokens, t_pad = torchlike.tensor(tokens.numpy()), torchlike.tensor(pad.numpy())
    with torchlike.no_grad():
        np.testing.assert_allclose(mine(t_tokens, t_pad).numpy(), want_fast, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mine(t_tokens, t_pad).detach().numpy(), want, rtol=1e-5, atol=1e-5)
