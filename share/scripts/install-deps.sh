#!/usr/bin/env bash
# Installs the Debian 12 packages blo needs (run as root). Only missing packages
# are installed, so a machine that has them needs no network.
#   install-deps.sh            build + run dependencies
#   install-deps.sh --tests    also what the test suites need (valgrind, clang for the fuzz harness)
#   install-deps.sh --bench    also PyTorch for the side-by-side benchmarks
set -euo pipefail

packages=(build-essential pkg-config meson ninja-build libglib2.0-dev libopenblas-dev
          libfftw3-dev zlib1g-dev libpng-dev libcriterion-dev dataset-fashion-mnist)
for arg in "$@"; do
  case "$arg" in
    --tests) packages+=(valgrind clang libclang-rt-14-dev) ;;
    --bench) packages+=(python3-torch) ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --tests or --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root (or: sudo $0 $*)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
