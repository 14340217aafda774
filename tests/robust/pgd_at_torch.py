"""PyTorch reference of the PGD-AT benchmark: the issue-6 CNN, batch 128,
PGD 7 steps of 2.5 eps / 7 from a random start, SGD momentum 0.9 lr 0.01.
Usage: pgd_at_torch.py THREADS BATCHES.  Prints `seconds: X` (training loop only).
Exits 77 when torch is missing."""
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("torch not installed")
    sys.exit(77)

threads, batches = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(0)
eps, steps, step = 0.1, 7, 2.5 * 0.1 / 7
model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x_all = torch.rand(batches, 128, 1, 28, 28)
y_all = torch.randint(0, 10, (batches, 128))

t0 = time.perf_counter()
for b in range(batches):
    x, y = x_all[b], y_all[b]
    adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y, reduction="sum")
        g, = torch.autograd.grad(loss, adv)
        adv = torch.min(torch.max(adv.detach() + step * g.sign(), x - eps), x + eps).clamp(0, 1)
    opt.zero_grad()
    F.cross_entropy(model(adv), y).backward()
    opt.step()
print("seconds: %.4f" % (time.perf_counter() - t0))
