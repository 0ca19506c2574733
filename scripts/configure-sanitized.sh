#!/usr/bin/env bash
# Configures BUILD (default build-fuzz) with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer coverage (-DVIGIL_FUZZ=ON): the
# tree scripts/fuzz.sh and scripts/sanitize.sh build in.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-fuzz}"
[ -f "$build/CMakeCache.txt" ] && exit 0
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVIGIL_FUZZ=ON -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
