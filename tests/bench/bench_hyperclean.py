#!/usr/bin/python3
"""MEHA data hyper-cleaning: blo-host against the same loop in PyTorch.

usage: bench_hyperclean.py linear|mlp BLO_HOST [STEPS]
prints per-iteration solver times of both and `ratio: X` (PyTorch / blo).
Threads: $BLO_BENCH_THREADS (default: all online CPUs), both sides.
Exit 77 (skipped) without torch or without the Fashion-MNIST files.

Same IDX files, same sizes (5000/5000/10000, rho = 0.5), same settings, same
iteration count, same four gradient evaluations per iteration in the paper
form (solver:meha's header comment).  blo reuses the recorded forward pass
where MEHA evaluates f at the same model point twice (plugins/meha/README.md);
PyTorch's loop recomputes it, as the straightforward autograd code does.  The split is drawn with numpy's seeded
permutation, not blo's RNG: which items are drawn does not change the cost.
blo's time is solver_s / iterations from results.json (data loading and the
final evaluation excluded), PyTorch's is the loop alone; the F trace is off on
both sides.
"""
import sys
import time

from bench_support import DATA_DIR, bench_threads, have_fmnist, pin_threads, read_idx, run_blo

# PyTorch's pools read their sizes and wait policy when torch loads: pin them to
# the benchmark's thread count and blo-host's passive policy first (without this
# PyTorch spun at 2 threads and ran 2.4x slower than it can on this VM)
pin_threads(bench_threads())

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"torch not available: {e}")
    sys.exit(77)

SETTINGS = {  # papers.md "Reference measurements"
    "linear": dict(eta=0.2, gamma_inv=0.2, c_lower=1.0, p=0.49, alpha=1000.0, beta=0.2, steps=100),
    "mlp": dict(eta=0.1, gamma_inv=0.2, c_lower=1.0, p=0.49, alpha=1000.0, beta=0.1, steps=30),
}


def load_data(seed=0):
    xtr = read_idx("train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) / 255
    ytr = read_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = read_idx("t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float32) / 255
    yte = read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)
    rng = np.random.default_rng(seed)
    order = rng.permutation(60000)
    tr, va = order[:5000], order[5000:10000]
    noisy = ytr[tr].copy()
    bad = rng.permutation(5000)[:2500]
    noisy[bad] = (noisy[bad] + rng.integers(1, 10, size=2500)) % 10
    t = torch.from_numpy
    return t(xtr[tr]), t(noisy), t(xtr[va]), t(ytr[va]), t(xte), t(yte), bad


def init_params(model):
    torch.manual_seed(0)
    if model == "linear":
        return [torch.zeros(10, 784), torch.zeros(10)]
    l1, l2 = torch.nn.Linear(784, 300), torch.nn.Linear(300, 10)
    return [p.detach().clone() for p in (l1.weight, l1.bias, l2.weight, l2.bias)]


def forward(params, x):
    if len(params) == 2:
        return F.linear(x, params[0], params[1])
    return F.linear(F.relu(F.linear(x, params[0], params[1])), params[2], params[3])


def torch_meha(model, steps, threads):
    torch.set_num_threads(threads)
    xtr, ytr, xva, yva, xte, yte, bad = load_data()
    s = SETTINGS[model]
    y = [p.requires_grad_() for p in init_params(model)]
    theta = [p.detach().clone().requires_grad_() for p in y]
    x = torch.zeros(5000, requires_grad=True)

    def lower(x, w):
        return (torch.sigmoid(x) * F.cross_entropy(forward(w, xtr), ytr, reduction="none")).mean()

    def upper(w):
        return F.cross_entropy(forward(w, xva), yva)

    t0 = time.perf_counter()
    for k in range(steps):
        inv_c = 1.0 / (s["c_lower"] * (k + 1) ** s["p"])
        g = torch.autograd.grad(lower(x, theta), theta)
        with torch.no_grad():
            for th, yi, gi in zip(theta, y, g):
                th -= s["eta"] * (gi + (th - yi) * s["gamma_inv"])
        gx = torch.autograd.grad(inv_c * upper(y) + lower(x, y), x)[0]
        gxt = torch.autograd.grad(lower(x, theta), x)[0]
        with torch.no_grad():
            x -= s["alpha"] * (gx - gxt)
        g = torch.autograd.grad(inv_c * upper(y) + lower(x, y), y)
        with torch.no_grad():
            for yi, th, gi in zip(y, theta, g):
                yi -= s["beta"] * (gi - (yi - th) * s["gamma_inv"])
    per_it = (time.perf_counter() - t0) / steps
    with torch.no_grad():
        acc = (forward(y, xte).argmax(1) == yte).float().mean().item()
    return per_it, acc


def blo_meha(model, steps, threads, blo_host):
    s = SETTINGS[model]
    pipeline = (f"dataset:fashion-mnist n_train=5000 n_val=5000 n_test=10000 corrupt=0.5 ! learner:{model} ! "
                f"objective:hyperclean ! solver:meha steps={steps} eta={s['eta']} gamma_inv={s['gamma_inv']} "
                f"c_lower={s['c_lower']} p={s['p']} alpha={s['alpha']} beta={s['beta']} trace_every=0")
    r, _ = run_blo(blo_host, pipeline, threads)
    return r["timings"]["solver_s"] / r["metrics"]["iterations"], r["metrics"]["test_accuracy"]


def main():
    model, blo_host = sys.argv[1], sys.argv[2]
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else SETTINGS[model]["steps"]
    if not have_fmnist():
        print(f"Fashion-MNIST not found in {DATA_DIR}")
        return 77
    threads = bench_threads()
    blo_s, blo_acc = blo_meha(model, steps, threads, blo_host)
    torch_s, torch_acc = torch_meha(model, steps, threads)
    print(f"model: {model}  iterations: {steps}  threads: {threads}")
    print(f"blo_ms_per_iteration: {blo_s * 1e3:.2f}  (test_accuracy {blo_acc:.4f})")
    print(f"torch_ms_per_iteration: {torch_s * 1e3:.2f}  (test_accuracy {torch_acc:.4f})")
    print(f"ratio: {torch_s / blo_s:.2f}  (target >= {3 if model == 'linear' else 1.5})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
