#!/usr/bin/env bash
# The main job (make run): Step 0 routine monitoring.
# Structural risk: imports the EWP panel, runs the fully-out-of-sample backtest
# of EWP's model and of vigil's best model, and writes this year's forecast and
# watchlist report. Events: imports UCDP GED events, scans them for escalation
# alerts, backtests the alert detectors against EWP's mass-killing onsets, and
# writes the live watchlist (forecast + alerts). Outputs go to ./out/.
# Database: $VIGIL_DB (default ./var/vigil.db).
# Then it serves the team API on http://127.0.0.1:$VIGIL_PORT/ (default 8080)
# with a first admin account (password from $VIGIL_ADMIN_PASSWORD, else
# generated and printed once) until Ctrl-C. VIGIL_SERVE=0 runs the job only.
set -euo pipefail
vigil=${1:-build/vigil}
here=$(cd "$(dirname "$0")/.." && pwd)
panel=${VIGIL_PANEL:-$here/../shared/data/ewp-2025/prepared2024predictors-2025-09-03.csv}
ucdp=${VIGIL_UCDP:-$here/../shared/data/ucdp}
episodes=${VIGIL_EPISODES:-$here/../shared/data/ewp-2025/mk_events_2025.csv}
export VIGIL_DB=${VIGIL_DB:-$here/var/vigil.db}
out=$here/out
mkdir -p "$out"

# Step 1-2 case file (issue 4): the fictional demo case and its briefing
# products. It needs no shared data, so it also runs when the EWP panel or the
# UCDP events are absent. A second run finds the demo already loaded.
demo_case() {
  echo "== case file: the fictional demo case (Republic of Veridia) and its briefing products =="
  "$vigil" demo load
  "$vigil" report demo-veridia --tab 1 --format html --out "$out/demo-tab1-initial-guidance.html"
  "$vigil" report demo-veridia --tab 2 --format html --out "$out/demo-tab2-conflict-assessment.html"
  "$vigil" report demo-veridia --tab 3 --format html --out "$out/demo-tab3-situation-analysis.html"
  "$vigil" report demo-veridia --tab 10 --from 2026-01-01 --to 2026-03-31 --format html \
    --out "$out/demo-tab10-situation-update.html"
  echo "case products in $out: demo-tab1-initial-guidance.html, demo-tab2-conflict-assessment.html,"
  echo "demo-tab3-situation-analysis.html, demo-tab10-situation-update.html (fictional demo case)"
  echo "== options, policy and plan (Steps 3-5) of the demo case =="
  "$vigil" options compare demo-veridia --csv "$out/demo-options-comparison.csv"
  "$vigil" report demo-veridia --tab 4 --format html --out "$out/demo-tab4-policy-advisory.html"
  "$vigil" report demo-veridia --tab 5 --format html --out "$out/demo-tab5-policy-statement.html"
  "$vigil" report demo-veridia --tab 6 --format html --out "$out/demo-tab6-options-approval.html"
  "$vigil" report demo-veridia --tab 7 --format html --out "$out/demo-tab7-options-decision.html"
  "$vigil" report demo-veridia --tab 8 --format html --out "$out/demo-tab8-strategic-plan.html"
  "$vigil" report demo-veridia --tab 9 --format html --out "$out/demo-tab9-backbriefs.html"
  "$vigil" plan sync-matrix demo-veridia --xlsx "$out/demo-sync-matrix.xlsx" --csv "$out/demo-sync-matrix.csv"
  "$vigil" plan show demo-veridia | head -40
  echo "planning products in $out: demo-tab4..9 (.html), demo-sync-matrix.xlsx/.csv, demo-options-comparison.csv"
  echo "== wargame: the demo's option packages in the escalation simulator (illustrative parameters) =="
  "$vigil" -q sim compare default --option baseline --case demo-veridia --runs 300 \
    --svg "$out/demo-wargame.svg" --csv "$out/demo-wargame.csv"
  echo
}

# After the job: `vigil serve` on loopback, in the foreground until Ctrl-C.
# The first admin, `admin`, is also a viewer of the demo case, so that a
# newcomer who logs in sees a case.
serve() {
  if [ "${VIGIL_SERVE:-1}" = "0" ]; then
    echo "VIGIL_SERVE=0: not serving. Serve later with: $vigil serve --init-admin admin"
    return 0
  fi
  echo "== team server: vigil serve on http://127.0.0.1:${VIGIL_PORT:-8080}/ (Ctrl-C stops it) =="
  if ! "$vigil" -q user list 2> /dev/null | grep -q '^admin '; then
    if [ -n "${VIGIL_ADMIN_PASSWORD:-}" ]; then
      printf '%s' "$VIGIL_ADMIN_PASSWORD" | "$vigil" user add admin --role admin --password-stdin
    else
      "$vigil" user add admin --role admin  # prints the generated password once
    fi
    "$vigil" case member add demo-veridia admin --role viewer > /dev/null
  fi
  echo "Open http://127.0.0.1:${VIGIL_PORT:-8080}/ and log in as 'admin' to open the products of $out."
  echo "Add colleagues with 'vigil user add NAME --role ROLE' and 'vigil case member add CASE NAME --role ROLE'"
  echo "(docs/server.md)."
  exec "$vigil" serve --listen "127.0.0.1:${VIGIL_PORT:-8080}" --products "$out"
}

if [ ! -f "$panel" ]; then
  cat <<MSG
vigil: no country-year panel at $panel.
The Early Warning Project publishes it (prepared2024predictors-2025-09-03.csv in its public
2025-Statistical-Risk-Assessment replication repository); it is not redistributed with vigil.
Point VIGIL_PANEL at a copy and run 'make run' again. Meanwhile, the reference country table:
MSG
  "$vigil" countries | head -n 12 || true
  echo
  demo_case
  serve
  exit 0
fi

echo "== import panel =="
"$vigil" import panel "$panel" --name ewp
echo
echo "== backtest: EWP's model (elastic net), fully out of sample 1994-2024 =="
"$vigil" backtest --model elastic-net --json "$out/backtest-elastic-net.json" | sed -n "/^model /,\$p"
echo
echo "== backtest: vigil's ensemble, compared pairwise with EWP's model =="
"$vigil" backtest --model ensemble --baseline elastic-net --json "$out/backtest-ensemble.json" | sed -n "/^model /,\$p"
echo
echo "== forecast from the latest data year, with watchlist report =="
"$vigil" forecast --model ensemble --report "$out/watchlist.html" --csv "$out/forecast.csv" \
  --json "$out/forecast.json" --top 30
echo

ged=("$ucdp/GEDEvent_v23_1_CAF.csv" "$ucdp/GEDEvent_v23_1_sample1000.csv")
if [ ! -f "${ged[0]}" ]; then
  echo "vigil: no UCDP GED events at $ucdp (set VIGIL_UCDP); skipping event monitoring."
  echo "outputs in $out: watchlist.html, forecast.csv, forecast.json, backtest-*.json"
  echo
  demo_case
  serve
  exit 0
fi
echo "== import events: UCDP GED 23.1 (Central African Republic 1989-2022, worldwide sample) =="
# Exit status 3 means some rows were quarantined (listed by 'vigil quarantine list'): not fatal.
"$vigil" import events --format ged "${ged[@]}" || [ $? -eq 3 ]
echo
echo "== escalation alerts over the last 24 months of the event data =="
"$vigil" alerts scan --months 24 | tail -n 15
echo
if [ -f "$ucdp/ucdp_country_month_fatalities_2010_2024.csv" ] && [ -f "$episodes" ]; then
  echo "== alert backtest: month by month 2010-2024 against EWP's mass-killing onsets =="
  "$vigil" backtest-alerts --onsets "$episodes" \
    --events "$ucdp/ucdp_country_month_fatalities_2010_2024.csv" --split-year 2017 \
    --json "$out/backtest-alerts.json" | sed -n "/^2010-2024/,\$p"
  echo
fi
echo "== live watchlist: structural forecast + open escalation alerts =="
"$vigil" watchlist --months 24 --html "$out/live-watchlist.html" | head -n 25
echo
echo "outputs in $out: watchlist.html, live-watchlist.html, forecast.csv, forecast.json,"
echo "backtest-*.json (models and alerts)"
echo
demo_case
serve
