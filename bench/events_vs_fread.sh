#!/usr/bin/env bash
# Benchmark: reading conflict events, vigil versus R data.table::fread on the
# same synthetic 2M-row UCDP GED-format file, measured in the same run.
#
#  1. parse+validate: vigil-events-parse (data::EventFileReader: every record
#     becomes a checked Event or a quarantine reason) vs fread (multi-threaded,
#     all cores; types guessed, nothing checked). Goal: vigil rows/s >= fread's.
#  2. full import: `vigil import events --format ged FILE --json` (parse,
#     validate, store in SQLite) vs fread's parse time. Goal: <= 3x. Peak RSS of
#     the 2M-row import and of a 1M-row import: streaming means it must not
#     grow with the file.
#  3. country-month aggregation: `vigil events aggregate --level country --json`
#     ("seconds_aggregate") vs data.table's group-by (country, month, violence
#     type) on the fread table, timing only the group-by. Goal: vigil faster.
# Steps 2 and 3 are skipped with a message when the command is missing or fails.
# The generated files are cached under BUILD_DIR/bench-data (about 1.3 and
# 0.7 GB); the events are invented by vigil-gen-events, not real.
#
# usage: bench/events_vs_fread.sh [BUILD_DIR | BUILD_DIR/vigil]   (default: build)
# env:   VIGIL_BENCH_ROWS  rows of the large file (default 2000000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$here/build}")
[ -f "$build" ] && build=$(dirname "$build")  # also accepts the vigil binary, as bench/run_all.sh passes it
rows=${VIGIL_BENCH_ROWS:-2000000}
half=$((rows / 2))
gen=$build/bench/vigil-gen-events
parse=$build/bench/vigil-events-parse
vigil=$build/vigil

if [ ! -x "$gen" ] || [ ! -x "$parse" ]; then
  cmake --build "$build" --target vigil-gen-events vigil-events-parse > /dev/null
fi
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  echo "events_vs_fread: SKIPPED: Rscript with data.table not installed (Debian r-cran-data.table)"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "events_vs_fread: needs /usr/bin/time (Debian package 'time')"; exit 1; }

data=$build/bench-data
mkdir -p "$data"
big=$data/ged_${rows}_seed42.csv
small=$data/ged_${half}_seed43.csv
[ -s "$big" ] || "$gen" --rows "$rows" --seed 42 --out "$big" > /dev/null
[ -s "$small" ] || "$gen" --rows "$half" --seed 43 --out "$small" > /dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])' "$@"; }

echo "file: $big ($(du -Lm "$big" | cut -f1) MiB, $rows rows)"

# 1. Anchor: fread on all cores, then the group-by on its table.
Rscript -e '
suppressMessages(library(data.table)); setDTthreads(0)
f <- commandArgs(TRUE)[1]
t <- system.time(d <- fread(f, showProgress = FALSE))[["elapsed"]]
g <- system.time(a <- d[, .(events = .N, best = sum(best), civilians = sum(deaths_civilians)),
                        by = .(country_id, month = year(date_start) * 12L + month(date_start), type_of_violence)])[["elapsed"]]
cat(nrow(d), t, g, nrow(a), getDTthreads(), "\n")' "$big" > "$out/r"
read -r r_rows r_sec r_group r_groups r_threads < "$out/r"

"$parse" "$big" --format ged > "$out/p"
v_rows=$(json "$out/p" rows); v_sec=$(json "$out/p" seconds); v_rss=$(json "$out/p" peak_rss_mib)
awk -v rr="$r_rows" -v rs="$r_sec" -v th="$r_threads" -v vr="$v_rows" -v vs="$v_sec" -v m="$v_rss" 'BEGIN{
  printf "anchor fread (%d threads)       %8.2f s  %9.0f rows/s\n", th, rs, rr / rs
  printf "vigil parse+validate            %8.2f s  %9.0f rows/s  peak RSS %.0f MiB   ratio vigil/fread rows/s %.2f (goal >= 1)\n", vs, vr / vs, m, (vr / vs) / (rr / rs)
}'

# 2. Full import (needs `vigil import events`).
import_ok=0
if [ -x "$vigil" ]; then
  for f in "$small" "$big"; do  # the big one last: its database is aggregated in step 3
    rm -f "$out"/e.db*
    set +e
    /usr/bin/time -f '%e %M' -o "$out/time" "$vigil" --db "$out/e.db" -q import events --format ged "$f" --json \
      > "$out/import.json" 2> "$out/import.err"
    status=$?
    set -e
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
      echo "vigil import events: SKIPPED (exit $status): $(head -c 300 "$out/import.err")"
      break
    fi
    read -r wall rss_kb < "$out/time"
    stored=$(json "$out/import.json" stored)
    if [ "$f" = "$big" ]; then
      import_ok=1
      awk -v w="$wall" -v r="$r_sec" -v m="$rss_kb" -v s="$stored" -v n="$rows" 'BEGIN{
        printf "vigil import events (%d rows)  %8.2f s  stored %d  ratio to fread parse %.2f (goal <= 3)  peak RSS %.0f MiB\n", n, w, s, w / r, m / 1024 }'
    else
      awk -v w="$wall" -v m="$rss_kb" -v n="$half" 'BEGIN{
        printf "vigil import events (%d rows)  %8.2f s  peak RSS %.0f MiB (streaming: the larger import below must not need more)\n", n, w, m / 1024 }'
    fi
  done
else
  echo "vigil import events: SKIPPED: $vigil not built"
fi

# 3. Country-month aggregation (needs `vigil events aggregate` and the import above).
if [ "$import_ok" = 1 ]; then
  set +e
  "$vigil" --db "$out/e.db" -q events aggregate --level country --json > "$out/agg.json" 2> "$out/agg.err"
  status=$?
  set -e
  if [ "$status" -ne 0 ] || ! agg=$(json "$out/agg.json" seconds_aggregate 2> /dev/null); then
    echo "vigil events aggregate: SKIPPED (exit $status, or no seconds_aggregate): $(head -c 300 "$out/agg.err")"
  else
    awk -v a="$agg" -v g="$r_group" -v n="$r_groups" 'BEGIN{
      printf "anchor data.table group-by      %8.3f s  (%d country-month-type groups)\n", g, n
      printf "vigil events aggregate country  %8.3f s  ratio vigil/data.table %.2f (goal < 1)\n", a, a / g }'
  fi
else
  echo "vigil events aggregate: SKIPPED: needs the import of step 2"
fi
