#!/usr/bin/env bash
# Case briefing products: times loading a synthetic case (200 actors, 2,000
# score versions with dissents, 100 conflict assessment entries; invented for
# the benchmark, in an in-memory database) and rendering Tabs 1, 2 (full and
# brief), 3 and 10 as Markdown and HTML. Goal: well under a second.
#
# usage: bench/case_products.sh [BUILD_DIR | BUILD_DIR/vigil]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$here/build}")
[ -f "$build" ] && build=$(dirname "$build")  # also accepts the vigil binary, as bench/run_all.sh passes it
bin=$build/bench/vigil-case-products
if [ ! -x "$bin" ]; then
  cmake --build "$build" --target vigil-case-products > /dev/null
fi
"$bin" 200 2000
