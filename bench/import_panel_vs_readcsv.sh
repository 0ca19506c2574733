#!/usr/bin/env bash
# Benchmark: `vigil import panel` on EWP's panel versus R's read.csv of the same
# file (the anchor: what EWP's own scripts do first), measured in the same run.
# vigil's "read" time includes what read.csv does not: validation of every
# cell, country resolution and the file's SHA-256. Prints both, the ratio and
# vigil's store time and peak memory.
#
# usage: bench/import_panel_vs_readcsv.sh [path/to/vigil]
# env:   VIGIL_PANEL  panel CSV (default ../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vigil=$(realpath "${1:-$here/build/vigil}")
panel=${VIGIL_PANEL:-$here/../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv}
if [ ! -f "$panel" ]; then echo "import_panel_vs_readcsv: SKIPPED: panel $panel not found"; exit 0; fi
if ! command -v Rscript >/dev/null; then
  echo "import_panel_vs_readcsv: SKIPPED: Rscript not installed (scripts/setup.sh installs it)"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "import_panel_vs_readcsv: needs /usr/bin/time (Debian package 'time')"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=5

# Anchor: best of $runs read.csv calls inside one R process (R's start-up excluded).
r_ms=$(Rscript -e "f <- commandArgs(TRUE)[1]; t <- sapply(1:$runs, function(i) system.time(read.csv(f))[['elapsed']]); cat(min(t) * 1000)" "$panel")

# vigil: best of $runs imports, each into a fresh database (read = parse, check, hash).
best_read=""; best_store=""; best_wall=""; rss=""
for i in $(seq "$runs"); do
  rm -f "$out"/b.db*
  /usr/bin/time -f '%e %M' -o "$out/time" "$vigil" --db "$out/b.db" -q import panel "$panel" --json > "$out/j"
  read -r read_ms store_ms < <(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["milliseconds"]; print(m["read"], m["store"])' "$out/j")
  read -r wall_s rss_kb < "$out/time"
  best_read=$(awk -v a="$read_ms" -v b="$best_read" 'BEGIN{print (b=="" || a<b) ? a : b}')
  best_store=$(awk -v a="$store_ms" -v b="$best_store" 'BEGIN{print (b=="" || a<b) ? a : b}')
  best_wall=$(awk -v a="$wall_s" -v b="$best_wall" 'BEGIN{print (b=="" || a<b) ? a : b}')
  rss=$rss_kb
done
rm -f "$out"/b.db*
"$vigil" --db "$out/b.db" -q import panel "$panel" > /dev/null
/usr/bin/time -f '%e' -o "$out/time2" "$vigil" --db "$out/b.db" -q import panel "$panel" --json > "$out/j2"
unchanged_ms=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["milliseconds"]; print(m["read"] + m["store"])' "$out/j2")

awk -v r="$r_ms" -v v="$best_read" -v s="$best_store" -v w="$best_wall" -v m="$rss" -v u="$unchanged_ms" 'BEGIN{
  printf "anchor R read.csv           %8.1f ms\n", r
  printf "vigil read+check+sha256     %8.1f ms   ratio vigil/R %.2f\n", v, v / r
  printf "vigil store (new version)   %8.1f ms\n", s
  printf "vigil re-import (unchanged) %8.1f ms\n", u
  printf "vigil whole process         %8.0f ms   peak RSS %.1f MiB\n", w * 1000, m / 1024
}'
