#!/bin/sh
# blo-host list and a small run (dataset, learner, objective path and the
# interrupt + resume path) are free of leaks and memory errors under valgrind.
# usage: valgrind_run_test.sh BLO_HOST FIXTURE_DIR SUPPRESSIONS
set -u
blo_host=$1 fixtures=$2 supp=$3
command -v valgrind >/dev/null 2>&1 || { echo "valgrind missing: skipping"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg() {
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
        --suppressions="$supp" "$blo_host" --plugin-path "$fixtures" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 99 ]; then cat "$tmp/err"; echo "FAIL: valgrind errors in: $*"; exit 1; fi
    echo "$rc"
}
[ "$(vg list)" = 0 ] || { cat "$tmp/err"; echo "FAIL: list"; exit 1; }
rc=$(vg run objective:t4 n=5 ! solver:fixture-gd steps=8 cancel_at=4 ! metric:fixture-norm --out "$tmp/a")
[ "$rc" = 130 ] || { cat "$tmp/err"; echo "FAIL: interrupted run exited $rc"; exit 1; }
rc=$(vg run --resume "$tmp/a")
[ "$rc" = 0 ] || { cat "$tmp/err"; echo "FAIL: resume exited $rc"; exit 1; }
rc=$(vg run dataset:fixture-blobs ! learner:fixture-linear ! solver:fixture-gd steps=2 --out "$tmp/b")
[ "$rc" = 0 ] || { cat "$tmp/err"; echo "FAIL: learner run exited $rc"; exit 1; }
rc=$(vg run objective:t4 n=5 ! solver:fixture-gd poison_at=2 --out "$tmp/c")
[ "$rc" = 1 ] || { cat "$tmp/err"; echo "FAIL: NaN run exited $rc"; exit 1; }
echo "ok: no leaks or memory errors"
