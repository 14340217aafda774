#!/bin/sh
# Regenerate share/results/issue4/: the reference comparisons compare-t1..t5.blo
# through blo-host compare (one thread), copying each table and plot.
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
echo "tables and plots in $dest"
