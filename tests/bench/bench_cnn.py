#!/usr/bin/python3
"""PyTorch reference for bench_cnn: the same CNN training step at batch 128.

Usage: bench_cnn.py THREADS STEPS
prints 'torch_ms: X' and 'torch_cpu_ms: Y': median wall and process-CPU
milliseconds per step.
Exit 77 (skipped) when torch is missing.
"""
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch is not installed for /usr/bin/python3: skipping")
    sys.exit(77)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
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
    params = [w1, b1, w2, b2, w3, b3, w4, b4]
    opt = torch.optim.SGD(params, lr=0.01)

    def step():
        # relu(maxpool(.)) == maxpool(relu(.)); both sides pool first
        h = F.relu(F.max_pool2d(F.conv2d(x, w1, b1), 2))   # [128,32,13,13]
        h = F.relu(F.max_pool2d(F.conv2d(h, w2, b2), 2))   # [128,64,5,5]
        h = F.relu(F.linear(h.reshape(128, 1600), w3, b3))
        loss = F.cross_entropy(F.linear(h, w4, b4), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(3):
        step()
    wall, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    wall.sort()
    cpu.sort()
    print("torch_ms: %.4f" % (1000 * wall[len(wall) // 2]))
    print("torch_cpu_ms: %.4f" % (1000 * cpu[len(cpu) // 2]))


if __name__ == "__main__":
    main()
