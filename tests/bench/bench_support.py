"""Helpers shared by the blo-host vs PyTorch benchmarks (bench_hyperclean.py, bench_pgd_at.py).

No torch import here: pin_threads() must run before the caller imports torch.
"""
import csv
import gzip
import json
import os
import subprocess
import tempfile

DATA_DIR = os.environ.get("BLO_FMNIST_DIR", "/usr/share/datasets/fashion-mnist")


def have_fmnist():
    return os.path.exists(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))


def read_idx(name):
    """One gzipped IDX file of DATA_DIR as a uint8 array of its declared shape."""
    import numpy as np

    with gzip.open(os.path.join(DATA_DIR, name)) as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def bench_threads():
    """$BLO_BENCH_THREADS, default all online CPUs (the same for both sides)."""
    return int(os.environ.get("BLO_BENCH_THREADS", os.cpu_count()))


def pin_threads(threads):
    """Thread pools of the PyTorch side, set before `import torch`: torch.set_num_threads
    does not reach the OpenBLAS its matmuls call, and blo-host re-executes itself with
    OMP_WAIT_POLICY=passive, so PyTorch gets the same policy."""
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["OMP_WAIT_POLICY"] = "passive"


def run_blo(blo_host, pipeline, threads, seed=0):
    """`blo-host run PIPELINE`; returns (results.json as a dict, trace.csv as a list of row dicts)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([blo_host, "run", pipeline, "--seed", str(seed), "--threads", str(threads), "--out", out,
                        "--no-progress"], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "results.json")) as f:
            results = json.load(f)
        trace_path = os.path.join(out, "trace.csv")
        trace = []
        if os.path.exists(trace_path):
            with open(trace_path, newline="") as f:
                trace = list(csv.DictReader(f))
    return results, trace
