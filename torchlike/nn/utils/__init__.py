"""torchlike.nn.utils (mirrors torch.nn.utils). Placeholder: being written."""

from . import rnn  # noqa: F401
