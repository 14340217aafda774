#!/usr/bin/python3
"""PyTorch side of bench_cnn: the same CNN training step at batch 128.

usage: bench_cnn.py cnn THREADS  ->  prints "torch_ms: <best ms per step>"
(timing rule shared with torch_bench.py); exit 77 when torch is missing.
"""
import sys

# torch_bench pins OpenBLAS to argv[2] threads when imported: it must come before torch
from torch_bench import best_ms

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"torch not available: {e}")
    sys.exit(77)


def main():
    threads = int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.randn(128, 1, 28, 28)
    y = torch.randint(0, 10, (128,))
    w1 = (torch.randn(32, 1, 3, 3) * 0.3).requires_grad_()
    b1 = torch.zeros(32, requires_grad=True)
    w2 = (torch.randn(64, 32, 3, 3) * 0.06).requires_grad_()
    b2 = torch.zeros(64, requires_grad=True)
    w3 = (torch.randn(128, 1600) * 0.03).requires_grad_()
    b3 = torch.zeros(128, requires_grad=True)
    w4 = (torch.randn(10, 128) * 0.1).requires_grad_()
    b4 = torch.zeros(10, requires_grad=True)
    opt = torch.optim.SGD([w1, b1, w2, b2, w3, b3, w4, b4], lr=0.01)

    def step():
        # relu(maxpool(.)) == maxpool(relu(.)); both sides pool first
        h = F.relu(F.max_pool2d(F.conv2d(x, w1, b1), 2))   # [128,32,13,13]
        h = F.relu(F.max_pool2d(F.conv2d(h, w2, b2), 2))   # [128,64,5,5]
        h = F.relu(F.linear(h.reshape(128, 1600), w3, b3))
        loss = F.cross_entropy(F.linear(h, w4, b4), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    print(f"torch_ms: {best_ms(step):.4f}")


if __name__ == "__main__":
    main()
