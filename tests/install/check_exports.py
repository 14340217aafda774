#!/usr/bin/env python3
"""libblo.so exports exactly names its installed headers declare: every
dynamic symbol it defines is a blo_* name declared in them, none is an internal
blo__* one, and the embedding API is there.

usage: check_exports.py LIBBLO GEN_EXPORTS HEADER..."""
import subprocess
import sys
import tempfile


def main(argv):
    lib, gen, headers = argv[1], argv[2], argv[3:]
    if subprocess.run(["nm", "--version"], capture_output=True).returncode != 0:
        print("nm missing: skipping")
        return 77
    with tempfile.NamedTemporaryFile("r") as names:
        subprocess.run([sys.executable, gen, "--list", names.name] + headers, check=True)
        declared = set(names.read().split())
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True)
    exported = {line.split()[-1].split("@")[0] for line in nm.stdout.splitlines() if line.strip()}
    problems = sorted(n for n in exported if n.startswith("blo__")) + sorted(exported - declared)
    for must in ("blo_plugins_open", "blo_job_run", "blo_zeros", "blo_error_quark"):
        if must in declared and must not in exported:
            problems.append("missing " + must)
    for private in ("blo_registry_new", "blo_run_new", "blo_pipeline_parse", "blo_vtable_missing_member"):
        if private in exported:
            problems.append("private " + private)
    if problems:
        print("FAIL: libblo exports symbols its installed headers do not declare:\n  " + "\n  ".join(problems))
        return 1
    print("ok: %d exported symbols, all declared in %d installed headers" % (len(exported), len(headers)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
