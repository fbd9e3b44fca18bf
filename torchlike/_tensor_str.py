"""placeholder"""


def tensor_repr(t):
    import numpy as np

    return f"tensor({np.asarray(t._value)})"
