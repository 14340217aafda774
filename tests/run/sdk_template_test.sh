#!/bin/sh
# Build sdk/template out of tree against the uninstalled blo-2.pc, then run
# its pipeline with blo-host and check results.json.
# usage: sdk_template_test.sh BUILD_ROOT SOURCE_ROOT BLO_HOST
set -eu
build_root=$1 source_root=$2 blo_host=$3
command -v meson >/dev/null 2>&1 && command -v ninja >/dev/null 2>&1 || {
    echo "meson or ninja missing: skipping"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PKG_CONFIG_PATH="$build_root/meson-uninstalled" meson setup "$tmp/build" "$source_root/sdk/template" >"$tmp/setup.log" 2>&1 || {
    cat "$tmp/setup.log"; echo "FAIL: meson setup of the template"; exit 1; }
ninja -C "$tmp/build" >"$tmp/ninja.log" 2>&1 || { cat "$tmp/ninja.log"; echo "FAIL: template build"; exit 1; }
test -f "$tmp/build/template.so" || { echo "FAIL: no template.so"; exit 1; }
"$blo_host" --plugin-path "$tmp/build" run objective:template-quadratic dim=3 ! solver:template-gd steps=200 \
    --seed 3 --out "$tmp/out" >"$tmp/stdout" || { echo "FAIL: blo-host run exited $?"; exit 1; }
grep -q '"status": "completed"' "$tmp/out/results.json" || { cat "$tmp/out/results.json"; echo "FAIL: status"; exit 1; }
grep -q '"plugin": "template"' "$tmp/out/results.json" || { echo "FAIL: plugin not recorded"; exit 1; }
# The solution is x* = 2 e: the printed x_error must be small.
err=$(sed -n 's/^x_error = //p' "$tmp/stdout")
awk -v e="$err" 'BEGIN { exit !(e != "" && e < 1e-3) }' || { cat "$tmp/stdout"; echo "FAIL: x_error=$err"; exit 1; }
echo "ok: template built out of tree and converged (x_error=$err)"
