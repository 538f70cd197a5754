#!/usr/bin/env bash
# The README's two commands:
#   ./setup.sh        install what is missing, build, and run the main job on embedded data
#   ./setup.sh test   install what is missing, build, and run every test
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-main}
case "$mode" in
  main | test) ;;
  *) echo "usage: ./setup.sh [main|test]" >&2; exit 2 ;;
esac

packages=(build-essential cmake pkg-config libeigen3-dev libtbb-dev libfftw3-dev libsndfile1-dev
          libsamplerate0-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev gnuplot-nox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"

if [ "$mode" = test ]; then
  ctest --test-dir build --output-on-failure -j"$jobs"
else
  ./build/nmfbench run experiments/specs/paper000_denoise_demua_embedded.json --out out
  ./build/nmfbench plot out/paper000_denoise_demua_embedded/results.json
fi
