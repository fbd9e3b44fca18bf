"""Linear and logistic regression, PyTorch-style, running on JAX through torchlike.

The only change from a PyTorch script is the import line. Run:

    python examples/quickstart.py
"""

import time

import torchlike as torch


def linear_regression(steps: int = 100, lr: float = 0.1):
    """Fit y = X @ w + b by gradient descent with manual parameter updates."""
    X = torch.randn(512, 3)
    true_w = torch.tensor([[2.0], [-3.4], [1.5]])
    y = X @ true_w + 4.2 + 0.01 * torch.randn(512, 1)

    w = torch.zeros(3, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for step in range(steps):
        loss = ((X @ w + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        if step % 20 == 0 or step == steps - 1:
            print(f"  step {step:3d}  mse {loss.item():.6f}")
    print(f"  learned w = {w.detach().flatten().tolist()}, b = {b.item():.4f} (true: [2.0, -3.4, 1.5], 4.2)")
    return loss.item()


def logistic_regression(steps: int = 200, lr: float = 0.5):
    """Separate two Gaussian blobs with a logistic model and binary cross-entropy."""
    n = 400
    pos = torch.randn(n, 2) + torch.tensor([2.0, 2.0])
    neg = torch.randn(n, 2) - torch.tensor([2.0, 2.0])
    X = torch.cat([pos, neg])
    y = torch.cat([torch.ones(n), torch.zeros(n)])

    w = torch.zeros(2, requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    for step in range(steps):
        p = torch.sigmoid(X @ w + b).clamp(1e-7, 1 - 1e-7)
        loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
        loss.backward()
        with torch.no_grad():
            for param in (w, b):
                param.sub_(lr * param.grad)
                param.grad = None
        if step % 40 == 0 or step == steps - 1:
            print(f"  step {step:3d}  bce {loss.item():.6f}")
    with torch.no_grad():
        accuracy = ((torch.sigmoid(X @ w + b) > 0.5).float() == y).float().mean().item()
    print(f"  accuracy {accuracy:.3f}")
    return accuracy


def main():
    torch.manual_seed(0)
    start = time.perf_counter()
    print("linear regression")
    mse = linear_regression()
    print("logistic regression")
    accuracy = logistic_regression()
    print(f"done in {time.perf_counter() - start:.1f}s: final mse {mse:.6f}, accuracy {accuracy:.3f}")
    assert mse < 1e-3 and accuracy > 0.95, "training did not converge"


if __name__ == "__main__":
    main()
