#!/usr/bin/env bash
# Benchmark: EWP's FOOS backtest in R (glmnet, the anchor) versus
# `vigil backtest --model elastic-net`, measured in the same run on the same
# machine. Prints both results, the speed ratio and the peak memory of each.
#
# usage: bench/risk_vs_glmnet.sh [path/to/vigil]
# env:   VIGIL_PANEL  panel CSV (default ../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv)
#        VIGIL_BENCH_REPS  runs of each side, taken in turn (default 3); medians are reported
#        VIGIL_BENCH_OUT  directory for raw outputs (default: a temp dir)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vigil=$(realpath "${1:-$here/build/vigil}")
panel=${VIGIL_PANEL:-$here/../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv}
anchor=$here/../shared/anchors/ewp_foos.R
out=${VIGIL_BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"

if [ ! -f "$panel" ]; then echo "risk_vs_glmnet: SKIPPED: panel $panel not found"; exit 0; fi
if [ ! -f "$anchor" ]; then echo "risk_vs_glmnet: SKIPPED: anchor $anchor not found"; exit 0; fi
if ! Rscript -e 'suppressMessages({library(glmnet); library(dplyr)})' >/dev/null 2>&1; then
  echo "risk_vs_glmnet: SKIPPED: R with glmnet and dplyr not installed (scripts/setup.sh installs them)"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "risk_vs_glmnet: needs /usr/bin/time (Debian package 'time')"; exit 1; }

peak_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }

# This machine's speed drifts between runs, so R and vigil run in turn
# VIGIL_BENCH_REPS times (default 3) and the medians are reported.
reps=${VIGIL_BENCH_REPS:-3}
: > "$out/runs.txt"
for rep in $(seq "$reps"); do
  echo "== run $rep of $reps: anchor R glmnet (ewp_foos.R) =="
  /usr/bin/time -v Rscript "$anchor" "$panel" > "$out/r.out" 2> "$out/r.time"
  cat "$out/r.out"
  r_wall=$(wall_s "$out/r.time"); r_fit=$(awk '/fit_seconds/ {print $2}' "$out/r.out")
  r_rss=$(peak_kb "$out/r.time")

  echo "== run $rep of $reps: vigil import panel + backtest --model elastic-net =="
  db="$out/bench.db"; rm -f "$db"*
  /usr/bin/time -v "$vigil" --db "$db" -q import panel "$panel" --name ewp > "$out/import.out" 2> "$out/import.time"
  /usr/bin/time -v "$vigil" --db "$db" -q backtest --model elastic-net --no-save --json "$out/vigil.json" \
    > "$out/vigil.out" 2> "$out/vigil.time"
  tail -4 "$out/vigil.out"
  v_wall=$(awk -v a="$(wall_s "$out/import.time")" -v b="$(wall_s "$out/vigil.time")" 'BEGIN{print a+b}')
  v_fit=$(python3 -c "import json;print(json.load(open('$out/vigil.json'))['seconds'])")
  v_rss=$(peak_kb "$out/vigil.time")
  echo "$r_wall $r_fit $v_wall $v_fit $r_rss $v_rss" >> "$out/runs.txt"
  awk -v rw="$r_wall" -v vw="$v_wall" 'BEGIN{printf "run: R %.2f s, vigil %.2f s end to end: %.1fx\n", rw, vw, rw/vw}'
done

echo "== result (median of $reps runs) =="
python3 - "$out/runs.txt" <<'PY'
import statistics, sys
runs = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
med = lambda xs: statistics.median(xs)
e2e = [r[0] / r[2] for r in runs]
fit = [r[1] / r[3] for r in runs]
print(f"end to end (process wall time): R {med([r[0] for r in runs]):.2f} s, vigil {med([r[2] for r in runs]):.2f} s "
      f"(import + backtest): {med(e2e):.1f}x faster (runs: {', '.join(f'{x:.1f}x' for x in e2e)})")
print(f"backtest fits only:             R {med([r[1] for r in runs]):.2f} s, vigil {med([r[3] for r in runs]):.2f} s: "
      f"{med(fit):.1f}x faster (runs: {', '.join(f'{x:.1f}x' for x in fit)})")
print(f"peak RSS:                       R {max(r[4] for r in runs) / 1024:.0f} MiB, "
      f"vigil backtest {max(r[5] for r in runs) / 1024:.0f} MiB (largest of the runs)")
PY
python3 - "$out/vigil.json" "$out/r.out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
r = open(sys.argv[2]).read().split()
rv = dict(zip(r[0::2], r[1::2]))
print(f"quality: R recall@30 {float(rv['recall30']):.3f} AUC {float(rv['AUC']):.3f} | "
      f"vigil recall@30 {v['recall_at_30']:.3f} ({v['caught_at_30']}/{v['onsets_with_forecast']}) AUC {v['auc']:.3f}")
PY
