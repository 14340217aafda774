#!/usr/bin/env bash
# Quick start: install what is missing, build an optimised release build, and
# run the default reference pipeline. Results land in out/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash share/scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build
rm -rf out/quickstart
exec build/framework/host/blo-host run share/pipelines/default.blo --out out/quickstart "$@"
