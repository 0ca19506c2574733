#!/usr/bin/env bash
# Benchmark: every vigil risk model on EWP's fully-out-of-sample protocol
# (1994-2024), with EWP's published result as the anchor, plus time and peak
# memory of each full backtest.
# usage: bench/risk_models.sh [path/to/vigil]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vigil=$(realpath "${1:-$here/build/vigil}")
panel=${VIGIL_PANEL:-$here/../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv}
out=${VIGIL_BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
if [ ! -f "$panel" ]; then echo "risk_models: SKIPPED: panel $panel not found"; exit 0; fi
[ -x /usr/bin/time ] || { echo "risk_models: needs /usr/bin/time (Debian package 'time')"; exit 1; }

db="$out/models.db"; rm -f "$db"*
"$vigil" --db "$db" -q import panel "$panel" --name ewp > /dev/null
printf "%-24s %8s %8s %8s %7s %8s %8s %9s\n" model recall10 recall20 recall30 AUC Brier seconds peak_MiB
printf "%-24s %8s %8s %8s %7s %8s %8s %9s\n" "EWP published (anchor)" - - "0.692" "0.825" - - -
for m in elastic-net boost ensemble; do
  /usr/bin/time -v "$vigil" --db "$db" -q backtest --model "$m" --no-save --json "$out/$m.json" \
    > /dev/null 2> "$out/$m.time"
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$m.time")
  python3 - "$out/$m.json" "$m" "$rss" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<24} {j['recall_at_10']:8.3f} {j['recall_at_20']:8.3f} "
      f"{j['recall_at_30']:8.3f} {j['auc']:7.3f} {j['brier']:8.5f} {j['seconds']:8.2f} {sys.argv[3]:>9}")
PY
done
