#!/usr/bin/python3
"""One PGD-AT training epoch on Fashion-MNIST: blo-host against the same loop in PyTorch (issue 6).

usage: bench_pgd_at.py BLO_HOST [ITEMS]      (or $BLO_BENCH_ITEMS; default 60000 = the full epoch)
prints both epoch times, ms per batch and `ratio: X` (PyTorch / blo).
Threads: $BLO_BENCH_THREADS (default: all online CPUs), both sides.
Exit 77 (skipped) without torch or without the Fashion-MNIST files.

Both sides: learner:cnn c1=32 c2=64 fc_hidden=128 (conv3x3 no padding, ReLU, max pool 2, twice;
fc 1600->128, ReLU, fc 10; Kaiming-uniform weights U(+-sqrt(6/fan_in)), zero biases) on [1, 28, 28]
images in [0, 1]; ITEMS training images in shuffled batches of 128 (the last one smaller); per
batch an L-inf PGD attack (uniform random start in the eps-ball, 7 steps of sign(grad of the summed
CE w.r.t. the input) * 2.5 eps / 7, each projected onto the ball and clamped to [0, 1]), then
one SGD step (lr 0.01, momentum 0.9) on the mean CE of the adversarial batch.  That is 8 forward
and 8 backward passes per batch: 7 to the input only, 1 to the weights only.
blo's time is solver_s of `blo-host run` (data loading excluded, no metric in the pipeline);
PyTorch's is the loop alone, with the images already in a tensor.  A prefix (ITEMS < 60000)
uses n_train=ITEMS on blo's side: which items are drawn does not change the cost.
"""
import os
import sys
import time

from bench_support import DATA_DIR, bench_threads, have_fmnist, pin_threads, read_idx, run_blo

THREADS = bench_threads()
pin_threads(THREADS)   # before torch loads OpenBLAS / libgomp

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"torch not available: {e}")
    sys.exit(77)

BATCH, EPS, STEPS, STEP_REL, LR, MOMENTUM = 128, 0.1, 7, 2.5 / 7, 0.01, 0.9
PIPELINE = ("dataset:fashion-mnist n_train={items} n_val=0 n_test=10000 corrupt=0 flatten=false"
            " ! learner:cnn c1=32 c2=64 fc_hidden=128"
            f" ! solver:pgd-at epochs=1 batch_size={BATCH} optimizer=sgd lr={LR} momentum={MOMENTUM}"
            f" eps={EPS} steps={STEPS} step_rel={STEP_REL!r} random_start=true")


def load_train(items, seed=0):
    x = read_idx("train-images-idx3-ubyte.gz").reshape(60000, 1, 28, 28).astype(np.float32) / 255
    y = read_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    pick = np.random.default_rng(seed).permutation(60000)[:items]
    return torch.from_numpy(x[pick]), torch.from_numpy(y[pick])


def init_cnn():
    """learner:cnn's layout and init (seq_model.c): Kaiming uniform with gain sqrt(2), zero biases."""
    params = []
    for shape in [(32, 1, 3, 3), (64, 32, 3, 3), (128, 1600), (10, 128)]:
        w = torch.empty(shape)
        torch.nn.init.kaiming_uniform_(w, nonlinearity="relu")   # U(+-sqrt(6 / fan_in))
        params += [w.requires_grad_(), torch.zeros(shape[0], requires_grad=True)]
    return params


def forward(p, x):
    h = F.relu(F.max_pool2d(F.conv2d(x, p[0], p[1]), 2))   # [B, 32, 13, 13]
    h = F.relu(F.max_pool2d(F.conv2d(h, p[2], p[3]), 2))   # [B, 64, 5, 5]
    h = F.relu(F.linear(h.flatten(1), p[4], p[5]))
    return F.linear(h, p[6], p[7])


def pgd(params, x, y, counts):
    """framework/train/perturb.c blo_perturb_pgd, L-inf: random start, signed steps, project, clamp."""
    step = STEP_REL * EPS
    lo, hi = x - EPS, x + EPS
    adv = (x + torch.empty_like(x).uniform_(-EPS, EPS)).clamp_(0, 1)
    for _ in range(STEPS):
        adv.requires_grad_()
        loss = F.cross_entropy(forward(params, adv), y, reduction="sum")
        grad, = torch.autograd.grad(loss, adv)   # input gradient only (no weight gradients computed)
        counts[0] += 1
        with torch.no_grad():
            adv = torch.minimum(torch.maximum(adv + step * grad.sign(), lo), hi).clamp_(0, 1)
    return adv.detach()


def torch_epoch(items):
    torch.set_num_threads(THREADS)
    x, y = load_train(items)
    torch.manual_seed(0)
    params = init_cnn()
    opt = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    counts = [0, 0]   # attack passes, training passes (each one forward + one backward)
    loss_sum = 0.0
    t0 = time.perf_counter()
    order = torch.randperm(items)
    for first in range(0, items, BATCH):
        idx = order[first:first + BATCH]
        xb, yb = x[idx], y[idx]
        adv = pgd(params, xb, yb, counts)
        loss = F.cross_entropy(forward(params, adv), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        counts[1] += 1
        opt.step()
        loss_sum += loss.item() * len(idx)
    seconds = time.perf_counter() - t0
    return seconds, counts, loss_sum / items


def blo_epoch(items, blo_host):
    r, trace = run_blo(blo_host, PIPELINE.format(items=items), THREADS)
    batches = r["metrics"]["iterations"]
    return r["timings"]["solver_s"], batches, float(trace[-1]["epoch_loss"])


def main():
    blo_host = sys.argv[1]
    items = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("BLO_BENCH_ITEMS", 60000))
    if not have_fmnist():
        print(f"Fashion-MNIST not found in {DATA_DIR}")
        return 77
    if not 1 <= items <= 60000:
        print(f"ITEMS must be 1..60000 training images, got {items}")
        return 1
    blo_s, blo_batches, blo_loss = blo_epoch(items, blo_host)
    torch_s, (attack_passes, train_passes), torch_loss = torch_epoch(items)
    batches = -(-items // BATCH)
    if blo_batches != batches or train_passes != batches or attack_passes != STEPS * batches:
        print(f"work differs: {batches} batches expected, blo ran {blo_batches}, PyTorch {train_passes} "
              f"training and {attack_passes} attack passes")
        return 1
    print(f"PGD-AT epoch prefix: {items} items, {batches} batches of {BATCH}, threads: {THREADS}, "
          f"{STEPS} attack + 1 training forward/backward per batch")
    print(f"blo_s: {blo_s:.2f}  ({blo_s / batches * 1e3:.1f} ms/batch, epoch mean adversarial loss {blo_loss:.4f})")
    print(f"torch_s: {torch_s:.2f}  ({torch_s / batches * 1e3:.1f} ms/batch, "
          f"epoch mean adversarial loss {torch_loss:.4f})")
    print(f"ratio: {torch_s / blo_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
