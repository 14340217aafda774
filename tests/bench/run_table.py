"""Shared pieces of the reference-comparison scripts (hyperclean_compare.py,
robust_compare.py): run a pipeline resumably with blo-host, read its
results.json, and format mean ± std cells.  Standard library only."""
import json
import math
import os
import subprocess
import time


def comparison_args(ap, runs_name, out_name, threads):
    """The arguments every comparison script takes, defaulting to this checkout's build."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--blo-host", default=os.path.join(root, "build", "framework", "host", "blo-host"))
    ap.add_argument("--runs", default=os.path.join(root, "build", runs_name))
    ap.add_argument("--out", default=os.path.join(root, "share", "results", out_name))
    ap.add_argument("--threads", type=int, default=threads)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--table-only", action="store_true")


def mean_std(values):
    """(mean, sample std) of a list, None when empty; std 0 for one value."""
    if not values:
        return None
    m = sum(values) / len(values)
    s = math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return m, s


def fmt(ms, digits):
    return "–" if ms is None else f"{ms[0]:.{digits}f} ± {ms[1]:.{digits}f}"


def csv_cells(ms):
    return ",".join(["", ""] if ms is None else [f"{ms[0]:.6g}", f"{ms[1]:.6g}"])


def completed(out):
    """results.json of a completed run in OUT, else None."""
    path = os.path.join(out, "results.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        r = json.load(f)
    return r if r.get("status") == "completed" else None


def wait_while_paused():
    """Hold between runs while the file named by $BLO_COMPARE_PAUSE exists, so
    a benchmark can have the machine to itself without skewing a run's time."""
    pause = os.environ.get("BLO_COMPARE_PAUSE")
    if pause and os.path.exists(pause):
        print(f"   paused while {pause} exists", flush=True)
        while os.path.exists(pause):
            time.sleep(5)


def run_once(blo_host, pipeline, seed, threads, out, checkpoint_every=60):
    """Run PIPELINE into OUT unless a completed run is there; an interrupted
    run continues from its checkpoint.  Returns (results or None, command)."""
    r = completed(out)
    if r is not None:
        return r, None
    wait_while_paused()
    if os.path.exists(os.path.join(out, "checkpoint.blo")):
        cmd = [blo_host, "run", "--resume", out]
    else:
        cmd = [blo_host, "run", pipeline, "--seed", str(seed), "--threads", str(threads),
               "--out", out, "--checkpoint-every", str(checkpoint_every)]
        if os.path.isdir(out) and os.listdir(out):
            cmd.append("--force")  # leftovers of a run killed before its first checkpoint
    rc = subprocess.run(cmd).returncode
    if rc != 0:
        print(f"   failed (exit {rc}): {' '.join(cmd)}", flush=True)
    return completed(out), cmd
