#!/usr/bin/env python3
"""Every solver on the toy problems T1-T5 through blo-host run; prints a markdown
table (iterations, wall time, final errors, F, gradient and HVP evaluations, peak
memory).  A stand-in for `blo-host compare` until it exists.

usage: compare_toys.py BUILD_DIR [OUT_DIR]
"""
import json, os, subprocess, sys, tempfile

PROBLEMS = {
    "T1": "objective:t1 x0=-6 y0=0",
    "T2": "objective:t2 x0=8 y0=0",
    "T3": "objective:t3 n=10 x0=0.01 y0=0.01",
    "T4": "objective:t4 n=100",
    "T5": "objective:t5 n=1000 x0=1 y0=1",
}
MEHA = {  # the reference pipelines' settings (share/pipelines/meha-t*.blo)
    "T1": "steps=3000 eta=0.1 gamma_inv=0.005 c_lower=0.5 p=0.48 alpha=0.1 beta=0.1",
    "T2": "steps=3000 eta=0.1 gamma_inv=1 c_lower=10 p=0.49 alpha=0.1 beta=0.1",
    "T3": "steps=5000 eta=0.1 gamma_inv=0.2 c_lower=0.6 p=0.49 alpha=0.1 beta=0.1",
    "T4": "steps=3000 eta=0.5 gamma_inv=0.2 c_lower=20 p=0.49 alpha=2 beta=0.5",
    "T5": "steps=2000 eta=0.5 gamma_inv=1 c_lower=5000 p=0.49 alpha=2 beta=0.5",
}
INNER = "steps=200 inner_steps=20 inner_lr=0.5 x_lr=0.5"
SOLVERS = [
    ("rhg", INNER), ("t-rhg", INNER + " truncate=10"), ("cg", INNER + " damping=1e-3"),
    ("neumann", INNER + " neumann_lr=0.5"), ("bda", INNER + " mu=0.5"),
    ("darts-fd", INNER + " xi=1"), ("iaptt-gm", INNER),
    ("bome", "steps=500 inner_steps=10 inner_lr=0.5 eta=0.5 x_lr=0.5 y_lr=0.5"),
    ("v-pbgd", "steps=1000 inner_steps=10 inner_lr=0.9 penalty=100 x_lr=0.009 y_lr=0.009"),
]

# T5 works at scale 1/n: BOME and V-PBGD need steps ~1/n smaller (share/pipelines/compare/compare-t5.blo).
T5_SOLVERS = {
    "bome": "steps=3000 inner_steps=10 inner_lr=0.5 eta=500 x_lr=0.01 y_lr=0.0001",
    "v-pbgd": "steps=3000 inner_steps=10 inner_lr=0.9 penalty=10000 x_lr=0.0001 y_lr=0.00009",
}

def run(host, pipeline, out):
    args = [host, "run"] + pipeline.split() + ["--out", out, "--force", "--no-progress", "--threads", "1"]
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "results.json")) as f:
        return json.load(f)

def main():
    build = sys.argv[1]
    out_root = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="blo-compare-")
    host = os.path.join(build, "framework", "host", "blo-host")
    print("| problem | solver | status | iterations | time (s) | x_rel_error | y_rel_error | F | grad evals | HVPs | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for p, obj in PROBLEMS.items():
        for name, settings in [("meha", MEHA[p])] + SOLVERS:
            if p == "T5":
                settings = T5_SOLVERS.get(name, settings)
            out = os.path.join(out_root, f"{p}-{name}")
            r = run(host, f"{obj} ! solver:{name} {settings}", out)
            m = r.get("metrics", {})
            g = lambda k: f"{m[k]:.3g}" if k in m else "-"
            print(f"| {p} | {name} | {r['status']} | {g('iterations')} | {r['timings']['total_s']:.2f} | "
                  f"{g('x_rel_error')} | {g('y_rel_error')} | {g('F')} | {g('grad_evals')} | {g('hvp_evals')} | "
                  f"{r.get('peak_rss_bytes', 0) / 2**20:.1f} |")

if __name__ == "__main__":
    main()
