#!/usr/bin/env bash
# The main job (make run): Step 0 routine monitoring on the EWP panel.
# Imports the panel, runs the fully-out-of-sample backtest of EWP's model and
# of vigil's best model, and writes this year's forecast and watchlist report
# to ./out/. Database: $VIGIL_DB (default ./var/vigil.db).
set -euo pipefail
vigil=${1:-build/vigil}
here=$(cd "$(dirname "$0")/.." && pwd)
panel=${VIGIL_PANEL:-$here/../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv}
export VIGIL_DB=${VIGIL_DB:-$here/var/vigil.db}
out=$here/out
mkdir -p "$out"

if [ ! -f "$panel" ]; then
  cat <<MSG
vigil: no country-year panel at $panel.
The Early Warning Project publishes it (prepared2024predictors-2025-09-03.csv in its public
2025-Statistical-Risk-Assessment replication repository); it is not redistributed with vigil.
Point VIGIL_PANEL at a copy and run 'make run' again. Meanwhile, the reference country table:
MSG
  "$vigil" countries | head -n 12 || true
  exit 0
fi

echo "== import panel =="
"$vigil" import panel "$panel" --name ewp
echo
echo "== backtest: EWP's model (elastic net), fully out of sample 1994-2024 =="
"$vigil" backtest --model elastic-net --json "$out/backtest-elastic-net.json" | sed -n "/^model /,\$p"
echo
echo "== backtest: vigil's ensemble =="
"$vigil" backtest --model ensemble --json "$out/backtest-ensemble.json" | sed -n "/^model /,\$p"
echo
echo "== forecast from the latest data year, with watchlist report =="
"$vigil" forecast --model ensemble --report "$out/watchlist.html" --csv "$out/forecast.csv" \
  --json "$out/forecast.json" --top 30
echo
echo "outputs in $out: watchlist.html, forecast.csv, forecast.json, backtest-*.json"
