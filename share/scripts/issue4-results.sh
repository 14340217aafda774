#!/bin/sh
# Regenerate share/results/issue4/: the reference comparisons compare-t1..t5.blo
# through blo-host compare (one thread), copying each table and plot and
# refreshing the copies of the tables in README.md (its prose is written by hand).
# usage: share/scripts/issue4-results.sh [BUILD_DIR]   (from the project root)
set -eu
build=${1:-build}
dest=share/results/issue4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"
for k in 1 2 3 4 5; do
    "$build/framework/host/blo-host" compare "share/pipelines/compare/compare-t$k.blo" --out "$tmp/t$k" \
        --threads 1 --no-progress >/dev/null
    for ext in md csv svg; do
        cp "$tmp/t$k/compare.$ext" "$dest/t$k.$ext"
    done
done
# README.md embeds each tK.md under its "## TK" heading: replace those copies.
python3 - "$dest" <<'PY'
import re, sys
d = sys.argv[1]
text = open(f"{d}/README.md").read()
parts = re.split(r"(?m)^(## T\d .*)$", text)
out = [parts[0].rstrip("\n") + "\n"]
for i in range(1, len(parts), 2):
    k = re.match(r"## T(\d)", parts[i]).group(1)
    body = parts[i + 1]
    out.append(parts[i] + body[:body.index("Problem: `")] + open(f"{d}/t{k}.md").read())
open(f"{d}/README.md", "w").write("\n".join(out))
PY
echo "tables and plots in $dest (README.md tables refreshed)"
