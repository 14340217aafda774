#!/usr/bin/env python3
"""Small training steps on a shared machine (issue 14, must-show 8).

For each step (linear128, mlp128, cnn128) runs the blo-vs-PyTorch benchmark
quiet and with one spinning process per CPU beside it, interleaved ROUNDS
times, and prints the median ratio (PyTorch / blo) of each condition and
loaded/quiet.  Target: loaded ratio >= 80% of the quiet ratio.

usage: bench_under_load.py BENCH_TRAIN BENCH_CNN TORCH_BENCH_PY BENCH_CNN_PY
env: BLO_BENCH_THREADS (default: online CPUs), BLO_LOAD_ROUNDS (default 5)
"""
import os, re, statistics, subprocess, sys


def spinners(n):
    # Plain busy loops, one per CPU: what a co-tenant compute job looks like.
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def ratio(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode == 77:
        print("skipped: " + out.stdout.strip())
        sys.exit(77)
    m = re.search(r"ratio: ([0-9.]+)", out.stdout)
    b = re.search(r"blo(?:_ms)?: ([0-9.]+)", out.stdout)
    t = re.search(r"(?:pytorch|torch_ms): ([0-9.]+)", out.stdout)
    if out.returncode != 0 or not (m and b and t):
        sys.exit(f"benchmark failed: {' '.join(cmd)}\n{out.stdout}{out.stderr}")
    return float(m.group(1)), float(b.group(1)), float(t.group(1))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    bench_train, bench_cnn, torch_py, cnn_py = sys.argv[1:]
    cpus = os.cpu_count() or 1
    env = dict(os.environ)
    env.setdefault("BLO_BENCH_THREADS", str(cpus))
    env.setdefault("OMP_WAIT_POLICY", "passive")
    env.setdefault("BLO_BENCH_STAT", "median")  # the minimum hides contention
    rounds = int(env.get("BLO_LOAD_ROUNDS", "5"))
    steps = {"linear128": [bench_train, "linear128", torch_py],
             "mlp128": [bench_train, "mlp128", torch_py],
             "cnn128": [bench_cnn, cnn_py]}
    print(f"step time: {env['BLO_BENCH_STAT']}; threads {env['BLO_BENCH_THREADS']}, {cpus} CPUs, load = {cpus} spinning processes, {rounds} rounds")
    ok = True
    for name, cmd in steps.items():
        quiet, loaded = [], []
        for _ in range(rounds):
            quiet.append(ratio(cmd, env))
            procs = spinners(cpus)
            try:
                loaded.append(ratio(cmd, env))
            finally:
                for p in procs:
                    p.kill()
                    p.wait()
        med = lambda runs, k: statistics.median(r[k] for r in runs)
        q, l = med(quiet, 0), med(loaded, 0)
        frac = l / q if q > 0 else 0.0
        ok = ok and frac >= 0.8
        print(f"{name}: quiet ratio {q:.3f} (blo {med(quiet, 1):.3f} ms, PyTorch {med(quiet, 2):.3f} ms)  "
              f"loaded ratio {l:.3f} (blo {med(loaded, 1):.3f} ms, PyTorch {med(loaded, 2):.3f} ms)  "
              f"loaded/quiet {frac:.2f}")
        print(f"  ratios quiet {[r[0] for r in quiet]} loaded {[r[0] for r in loaded]}")
    print("target (loaded/quiet >= 0.80): " + ("met" if ok else "NOT met"))


if __name__ == "__main__":
    main()
