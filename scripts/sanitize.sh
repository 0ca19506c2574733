#!/usr/bin/env bash
# Runs every unit test binary (src/*/..._test) under AddressSanitizer and
# UndefinedBehaviorSanitizer (the clang tree of scripts/fuzz.sh). Any leak,
# out-of-bounds access, use after free or undefined behaviour fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${FUZZ_BUILD:-build-fuzz}"
scripts/setup.sh fuzz
scripts/configure-sanitized.sh "$build"
tests=(vigil_core_test vigil_data_test vigil_store_test vigil_risk_test vigil_events_test vigil_assess_test
       vigil_options_test vigil_plan_test vigil_sim_test vigil_report_test vigil_cli_test vigil_app_test vigil_server_test)
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${tests[@]}" > "$build.tests.log" 2>&1 || { tail -50 "$build.tests.log"; exit 1; }
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
failed=0
for t in "${tests[@]}"; do
  start=$(date +%s)
  if "$build/$t" --gtest_brief=1 > "$build/$t.log" 2>&1; then
    echo "sanitize: $t passed ($(( $(date +%s) - start )) s)"
  else
    echo "sanitize: $t FAILED; see $build/$t.log" >&2
    grep -E "ERROR|SUMMARY|runtime error|FAILED" "$build/$t.log" | head -20 >&2 || true
    failed=1
  fi
done
exit $failed
