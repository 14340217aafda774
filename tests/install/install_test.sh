#!/bin/sh
# Install into a temporary root (meson install --destdir), then, with a clean
# environment (no LD_LIBRARY_PATH, no BLO_PLUGIN_PATH): the installed blo-host
# starts, finds the installed plugins relative to itself, and loads the SDK
# template built against the INSTALLED blo-2.pc.
# usage: install_test.sh BUILD_ROOT SOURCE_ROOT PREFIX BINDIR LIBDIR ABI_DIR
set -eu
build_root=$1 source_root=$2 prefix=$3 bindir=$4 libdir=$5 abi_dir=$6
command -v meson >/dev/null 2>&1 && command -v ninja >/dev/null 2>&1 || {
    echo "meson or ninja missing: skipping"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build_root" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1 || {
    cat "$tmp/install.log"; echo "FAIL: meson install"; exit 1; }
root="$tmp/root$prefix"
case $libdir in /*) lib="$tmp/root$libdir" ;; *) lib="$root/$libdir" ;; esac
case $bindir in /*) bin="$tmp/root$bindir" ;; *) bin="$root/$bindir" ;; esac
host="$bin/blo-host"
clean() { env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"; }

clean "$host" list >"$tmp/list" 2>"$tmp/list.err" || { cat "$tmp/list.err"; echo "FAIL: installed blo-host list"; exit 1; }
grep -q '^solver:meha ' "$tmp/list" || { cat "$tmp/list" "$tmp/list.err"; echo "FAIL: no solver:meha listed"; exit 1; }
clean "$host" info solver:meha >"$tmp/info" 2>&1 || { cat "$tmp/info"; echo "FAIL: info"; exit 1; }
grep -q "$lib/$abi_dir/plugins/" "$tmp/info" || { cat "$tmp/info"; echo "FAIL: meha not loaded from $lib/$abi_dir/plugins"; exit 1; }

# The installed pkg-config file, with its prefix moved to where it now lives.
pc="$lib/pkgconfig/$abi_dir.pc"
test -f "$pc" || { echo "FAIL: no $pc"; exit 1; }
mkdir "$tmp/pc"
sed "s|^prefix=.*|prefix=$root|" "$pc" >"$tmp/pc/$abi_dir.pc"
PKG_CONFIG_PATH="$tmp/pc" meson setup "$tmp/tpl" "$source_root/sdk/template" \
    >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; echo "FAIL: template setup against $pc"; exit 1; }
ninja -C "$tmp/tpl" >"$tmp/ninja.log" 2>&1 || { cat "$tmp/ninja.log"; echo "FAIL: template build"; exit 1; }
grep -q -- "-I$root/include/$abi_dir" "$tmp/tpl/build.ninja" || {
    echo "FAIL: the template did not compile against the installed headers ($root/include/$abi_dir)"; exit 1; }
if grep -q -- "-I$build_root" "$tmp/tpl/build.ninja"; then
    echo "FAIL: the template compiled against the build tree"; exit 1
fi
clean "$host" --plugin-path "$tmp/tpl" list >"$tmp/list2" 2>"$tmp/list2.err" || {
    cat "$tmp/list2.err"; echo "FAIL: list with the template"; exit 1; }
grep -q '^solver:template-gd ' "$tmp/list2" || { cat "$tmp/list2" "$tmp/list2.err"; echo "FAIL: template not loaded"; exit 1; }
clean "$host" --plugin-path "$tmp/tpl" run objective:template-quadratic dim=3 ! solver:template-gd steps=200 \
    --seed 3 --out "$tmp/out" --no-progress >"$tmp/run" 2>&1 || { cat "$tmp/run"; echo "FAIL: template run"; exit 1; }
grep -q '"status": "completed"' "$tmp/out/results.json" || { echo "FAIL: template run status"; exit 1; }
echo "ok: installed blo-host ran from $root without LD_LIBRARY_PATH; template built against the installed $abi_dir.pc"
