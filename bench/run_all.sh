#!/usr/bin/env bash
# Runs every benchmark (make bench). Each prints its anchor, measured in the same run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vigil=${1:-$here/../build/vigil}
for b in risk_vs_glmnet risk_models import_panel_vs_readcsv events_vs_fread case_products sim_throughput server_load; do
  echo "### $b"
  "$here/$b.sh" "$vigil"
  echo
done
