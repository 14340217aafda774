#!/usr/bin/python3
"""Adversarial training with and without LAST (issue 6, "must show" 3).

usage: robust_compare.py [--blo-host PATH] [--runs DIR] [--out DIR] [--threads N]
                         [--model mlp|cnn] [--seeds 0,1,2] [--co-epochs N]
                         [--stages select,table,co] [--table-only]

Protocol (fixed): Fashion-MNIST, eps = 0.1 (L-inf), 5 epochs over all 60000
training images, SGD lr 0.01 momentum 0.9 batch 128; FGSM-AT (random start,
step 1.25 eps), PGD-AT (7 steps of 2.5 eps / 7), TRADES (beta 6, 7 KL steps of
2.5 eps / 7); clean accuracy on the 10000 test images, PGD-20 (step eps/8,
random start) robust accuracy on the first 2000.  Seeds 0-2, mean ± std.

Stages, each resumable (a run whose results.json says completed is skipped,
an interrupted one continues from its checkpoint):
  select  LAST's own choices per base, on a validation split held out of the
          training set (10000 train / 1000 val, 3 epochs, seed 0, PGD-20 on the
          1000 val images): every variant in LAST_VARIANTS; the one with the
          highest val robust accuracy (ties: clean) is used in the table.
          Reduced size so the search fits; test data is never looked at.
  table   the 6 rows x seeds of the protocol above.
  co      catastrophic overfitting: FGSM-AT at eps 0.2 and 0.3 with and without
          LAST (its FGSM-AT selection), N epochs on 55000 train, per-epoch clean
          and PGD-20 accuracy on 1000 held-out val images, plotted.
Outputs in OUT/MODEL: selection.md/.csv, table.md/.csv, co.md, co-eps*.svg.
"""
import argparse
import csv
import os
import subprocess
import sys

from run_table import comparison_args, completed, csv_cells, fmt, mean_std, run_once

EPS = 0.1
STEP_REL = "0.35714285714285715"  # 2.5 / 7
BASES = {
    "FGSM-AT": "solver:fgsm-at",
    "PGD-AT": f"solver:pgd-at steps=7 step_rel={STEP_REL}",
    "TRADES": f"solver:trades steps=7 step_rel={STEP_REL} beta=6",
}
TRAIN = "batch_size=128 optimizer=sgd lr=0.01 momentum=0.9"
LAST_VARIANTS = [  # history source, distillation weight, stage-2 step
    "history=last beta=0.5 lambda=0",
    "history=last beta=0.5 lambda=1",
    "history=last beta=0.5 lambda=4",
    # history=last with beta 0.5 moves theta by beta * alpha * m per step: alpha 0.02 restores the
    # base's own step size (lr 0.01), so these two differ from the base only by the proxy and SD term
    "history=last beta=0.5 alpha=0.02 lambda=1",
    "history=last beta=0.5 alpha=0.02 lambda=4",
    "history=ema ema_decay=0.9 beta=1 lambda=1",
    "history=ema ema_decay=0.99 beta=1 lambda=1",
    "history=snapshot snapshot_every=50 beta=0.5 lambda=1",
]
PGD20 = f"attack=[ attack:pgd eps={EPS} steps=20 step_rel=0.125 random_start=true ]"


def learner(model):
    return "learner:cnn c1=32 c2=64 fc_hidden=128" if model == "cnn" else "learner:mlp hidden=300"


def data(model, n_train, n_val):
    flat = "false" if model == "cnn" else "true"
    return f"dataset:fashion-mnist n_train={n_train} n_val={n_val} n_test=10000 corrupt=0 flatten={flat}"


def solver(base, last, epochs, eps, extra=""):
    b = f"{BASES[base]} epochs={epochs} {TRAIN} eps={eps} {extra}".strip()
    return f"solver:last {last} base=[ {b} ]" if last else b


def slug(text):
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def robust(r):
    return r["metrics"]["robust-accuracy.robust_accuracy"], r["metrics"]["robust-accuracy.clean_accuracy"]


# ---- select ---------------------------------------------------------------

def select(args):
    chosen, rows = {}, []
    for base in BASES:
        best = None
        for last in [None] + LAST_VARIANTS:
            pipeline = (f"{data(args.model, 10000, 1000)} ! {learner(args.model)} ! "
                        f"{solver(base, last, 3, EPS)} ! metric:robust-accuracy split=val max_items=1000 {PGD20}")
            out = os.path.join(args.runs, "select", f"{slug(base)}-{slug(last or 'base')}")
            print(f"== select {base} {last or '(no LAST)'}", flush=True)
            r, _ = run_once(args.blo_host, pipeline, 0, args.threads, out)
            if r is None:
                continue
            rob, clean = robust(r)
            rows.append((base, last or "(base alone)", clean, rob))
            if last and (best is None or (rob, clean) > best[0]):
                best = ((rob, clean), last)
        if best:
            chosen[base] = best[1]
    with open(os.path.join(args.out, "selection.csv"), "w") as f:
        w = csv.writer(f)
        w.writerow(["base", "last_variant", "val_clean", "val_pgd20", "chosen"])
        w.writerows(r + (int(chosen.get(r[0]) == r[1]),) for r in rows)
    with open(os.path.join(args.out, "selection.md"), "w") as f:
        f.write(f"# LAST variants on the held-out validation split ({args.model})\n\n"
                "10000 train / 1000 val held out of the training set, 3 epochs, seed 0, eps 0.1; clean and\n"
                "PGD-20 accuracy on the 1000 val images.  Chosen per base: highest val PGD-20.\n\n"
                "| base | LAST variant | val clean | val PGD-20 | chosen |\n|---|---|---|---|---|\n")
        for base, last, clean, rob in rows:
            mark = "yes" if chosen.get(base) == last else ""
            f.write(f"| {base} | {last} | {clean:.3f} | {rob:.3f} | {mark} |\n")
    return chosen


# ---- table ----------------------------------------------------------------

def table_rows(chosen):
    for base in BASES:
        yield base, None
        if base in chosen:
            yield f"LAST({base})", chosen[base]


def table(args, chosen, run):
    md = [f"# Adversarial training with and without LAST ({args.model}, Fashion-MNIST, eps = 0.1)\n",
          "Written by tests/bench/robust_compare.py (protocol in its docstring): 5 epochs on all 60000",
          "training images; clean = test accuracy on 10000 images, PGD-20 = robust accuracy on the",
          "first 2000 test images; mean ± std over the seeds that finished.\n",
          "| training | LAST variant | seeds | clean | PGD-20 | solver s |", "|---|---|---|---|---|---|"]
    lines = ["training,last_variant,seeds_done,clean_mean,clean_std,pgd20_mean,pgd20_std,solver_s_mean,solver_s_std"]
    for name, last in table_rows(chosen):
        base = name[5:-1] if last else name
        clean, rob, secs = [], [], []
        for seed in args.seeds:
            pipeline = (f"{data(args.model, 60000, 0)} ! {learner(args.model)} ! {solver(base, last, 5, EPS)} "
                        f"! metric:accuracy split=test ! metric:robust-accuracy max_items=2000 {PGD20}")
            out = os.path.join(args.runs, "table", f"{slug(name)}-s{seed}")
            r = completed(out)
            if r is None and run:
                print(f"== table {name} seed {seed}", flush=True)
                r, _ = run_once(args.blo_host, pipeline, seed, args.threads, out)
            if r is None:
                continue
            clean.append(r["metrics"]["accuracy.test_accuracy"])
            rob.append(r["metrics"]["robust-accuracy.robust_accuracy"])
            secs.append(r["timings"]["solver_s"])
        c, p, s = mean_std(clean), mean_std(rob), mean_std(secs)
        md.append(f"| {name} | {last or '–'} | {len(clean)}/{len(args.seeds)} | {fmt(c, 4)} | {fmt(p, 4)} | {fmt(s, 0)} |")
        lines.append(f"{name},{last or ''},{len(clean)},{csv_cells(c)},{csv_cells(p)},{csv_cells(s)}")
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.out, "table.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


# ---- catastrophic overfitting --------------------------------------------

def per_epoch(out):
    """(epoch, clean, robust) rows of trace.csv where the per-epoch eval ran."""
    rows = []
    with open(os.path.join(out, "trace.csv")) as f:
        for rec in csv.DictReader(f):
            if rec.get("robust_accuracy"):
                rows.append((len(rows) + 1, float(rec["clean_accuracy"]), float(rec["robust_accuracy"])))
    return rows


def overfitting(args, chosen):
    last = chosen.get("FGSM-AT")
    md = [f"# Catastrophic overfitting: FGSM-AT at large eps ({args.model})\n",
          f"{args.co_epochs} epochs on 55000 training images, seed 0; per epoch, clean and PGD-20 (step eps/8)",
          f"accuracy on 1000 held-out val images.  LAST variant: {last}.\n"]
    for eps in (0.2, 0.3):
        dirs = []
        for with_last in (False, True):
            if with_last and not last:
                continue
            s = solver("FGSM-AT", last if with_last else None, args.co_epochs, eps,
                       "eval_split=val eval_items=1000")
            pipeline = f"{data(args.model, 55000, 5000)} ! {learner(args.model)} ! {s}"
            out = os.path.join(args.runs, "co", f"eps{eps}-{'last' if with_last else 'base'}")
            print(f"== co eps {eps} {'LAST' if with_last else 'base'}", flush=True)
            if run_once(args.blo_host, pipeline, 0, args.threads, out)[0] is None:
                continue
            dirs.append((out, "LAST(FGSM-AT)" if with_last else "FGSM-AT"))
        md.append(f"## eps = {eps}\n\n| epoch | " + " | ".join(f"{n} clean | {n} PGD-20" for _, n in dirs) + " |")
        md.append("|---|" + "---|---|" * len(dirs))
        curves = [per_epoch(d) for d, _ in dirs]
        for e in range(max((len(c) for c in curves), default=0)):
            cells = [f"{c[e][1]:.3f} | {c[e][2]:.3f}" if e < len(c) else "– | –" for c in curves]
            md.append(f"| {e + 1} | " + " | ".join(cells) + " |")
        md.append(f"\n![eps {eps}](co-eps{eps}.svg)\n")
        if dirs:
            cmd = [args.blo_host, "plot"] + [d for d, _ in dirs] + ["--y", "clean_accuracy,robust_accuracy",
                                                                      "--out", os.path.join(args.out, f"co-eps{eps}.svg"),
                                                                      "--title", f"FGSM-AT, eps {eps}: per-epoch val accuracy"]
            for _, n in dirs:
                cmd += ["--label", n]
            if subprocess.run(cmd).returncode != 0:
                print(f"   plot failed: {' '.join(cmd)}", flush=True)
    with open(os.path.join(args.out, "co.md"), "w") as f:
        f.write("\n".join(md) + "\n")


def read_selection(args):
    path = os.path.join(args.out, "selection.csv")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {r["base"]: r["last_variant"] for r in csv.DictReader(f) if r["chosen"] == "1"}


def main():
    ap = argparse.ArgumentParser()
    comparison_args(ap, "robust-compare", "issue6", threads=1)
    ap.add_argument("--model", choices=("mlp", "cnn"), default="mlp")
    ap.add_argument("--co-epochs", type=int, default=10)
    ap.add_argument("--stages", default="select,table,co")
    args = ap.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",")]
    args.runs = os.path.join(args.runs, args.model)
    args.out = os.path.join(args.out, args.model)
    stages = args.stages.split(",")
    os.makedirs(args.out, exist_ok=True)
    chosen = select(args) if "select" in stages and not args.table_only else read_selection(args)
    if "table" in stages:
        table(args, chosen, run=not args.table_only)
    if "co" in stages and not args.table_only:
        overfitting(args, chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
