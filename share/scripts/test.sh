#!/usr/bin/env bash
# Install what is missing, build, and run every test suite (unit and, where
# ../shared/data or the Debian datasets are present, real-data).
# WERROR=1 builds with warnings as errors (CI does).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash share/scripts/install-deps.sh --tests
werror=false; [ "${WERROR:-0}" = 1 ] && werror=true
if [ -f build/build.ninja ]; then
  meson configure build -Dwerror=$werror
else
  meson setup build --buildtype=release -Dwerror=$werror
fi
ninja -C build
meson test -C build --print-errorlogs --num-processes 2 "$@"
