#!/usr/bin/python3
"""PyTorch side of the blo benchmarks: same shapes, same thread count.

usage: torch_bench.py MODE THREADS   ->  prints "torch_ms: <best ms per step>"
exit 77 when torch is missing (meson treats it as skipped).
"""
import os
import sys
import time

# torch.set_num_threads does not reach the OpenBLAS that torch's matmuls call
# (measured: 148% CPU at "1 thread"), so pin its pool before importing torch.
if len(sys.argv) > 2:
    os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[2]

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"torch not available: {e}")
    sys.exit(77)


def best_ms(fn, min_time=1.0, min_reps=5):
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    # BLO_BENCH_STAT=median: what a user sees on a shared machine (bench_common.c does the same)
    if os.environ.get("BLO_BENCH_STAT") == "median":
        return sorted(times)[len(times) // 2]
    return min(times)


def main():
    mode, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    batch = {"linear128": 128, "mlp128": 128, "mlp5000": 5000, "hvp1000": 1000, "hvp128": 128}[mode]
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))
    if mode == "linear128":
        model = torch.nn.Linear(784, 10)
    else:
        model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 10))
    params = list(model.parameters())
    if mode.startswith("hvp"):
        vs = [torch.randn_like(p) for p in params]

        def step():
            loss = F.cross_entropy(model(x), y)
            gs = torch.autograd.grad(loss, params, create_graph=True)
            dot = sum((g * v).sum() for g, v in zip(gs, vs))
            torch.autograd.grad(dot, params)
    else:
        opt = torch.optim.SGD(params, lr=0.01)

        def step():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

    print(f"torch_ms: {best_ms(step):.4f}")


if __name__ == "__main__":
    main()
