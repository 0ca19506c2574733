#!/usr/bin/env bash
# Runs every libFuzzer harness (fuzz/) under AddressSanitizer and
# UndefinedBehaviorSanitizer for a set time each, one after the other, and
# fails on any crash, leak, timeout or sanitizer report.
#   scripts/fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]
# SECONDS_PER_HARNESS defaults to $FUZZ_SECONDS or 600 (make fuzz); make
# fuzz-smoke runs 20 s each. The corpus grows in build-fuzz/corpus/NAME
# (seeded from fuzz/corpus/); crashing inputs land in build-fuzz/crashes/NAME.
# FUZZ_RUNS=N stops a harness after N executions (or the time, whichever
# comes first). Prints executions and coverage per harness, and keeps each
# harness's line in build-fuzz/fuzz-NAME.summary; see docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-${FUZZ_SECONDS:-600}}"
shift || true
all=(fuzz_ged fuzz_acled fuzz_gdelt fuzz_jsonl fuzz_panel_csv fuzz_catalog fuzz_documents fuzz_case_document fuzz_audit_export fuzz_api_request)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
build="${FUZZ_BUILD:-build-fuzz}"

scripts/setup.sh fuzz
"$(dirname "$0")/configure-sanitized.sh" "$build"
cmake --build "$build" -j "$(nproc)" --target fuzzers > "$build.build.log" 2>&1 || { tail -50 "$build.build.log"; exit 1; }

seeds_of() {  # harness -> seed folder name
  case "$1" in fuzz_*) echo "${1#fuzz_}" ;; esac
}
dict_of() {
  case "$1" in
    fuzz_ged|fuzz_acled|fuzz_gdelt|fuzz_panel_csv) echo fuzz/csv.dict ;;
    *) echo fuzz/json.dict ;;
  esac
}

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
runs=()
[ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
printf '%-20s %8s %14s %10s %8s %8s %7s\n' harness seconds executions execs/s cov ft corpus
failed=0
for h in "${harnesses[@]}"; do
  work="$build/corpus/$h"
  crashes="$build/crashes/$h"
  mkdir -p "$work" "$crashes"
  log="$build/fuzz-$h.log"
  set +e
  start=$(date +%s)
  "$build/fuzz/$h" "${runs[@]}" -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=25 \
    -max_len=65536 -print_final_stats=1 -dict="$(dict_of "$h")" -artifact_prefix="$crashes/" \
    "$work" "fuzz/corpus/$(seeds_of "$h")" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  files=$(find "$work" -type f | wc -l)
  printf '%-20s %8s %14s %10s %8s %8s %7s\n' "$h" "$(( $(date +%s) - start ))" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$files" | tee "$build/fuzz-$h.summary"
  if [ $rc -ne 0 ]; then
    echo "fuzz: $h FAILED (exit $rc); log $log; inputs in $crashes:" >&2
    grep -E "ERROR|SUMMARY|runtime error|==[0-9]+==" "$log" | head -20 >&2 || true
    failed=1
  fi
done
exit $failed
