#!/usr/bin/env bash
# Simulator throughput: Epstein's Model I at the classic densities (0.7 agents,
# 0.04 cops per site, vision 7, L 0.82, Jmax 30) on 40x40 (the classic grid)
# and 1000x1000 (about 740,000 agents), as a single run and as an ensemble of
# runs in parallel, in agent-steps per second; peak resident memory per agent
# from /usr/bin/time -v (the 40x40 ensemble's RSS is mostly the binary).
# Goal on a 2-core machine: >= 20 million agent-steps/s at 1000x1000.
# The anchor is the single-thread 1000x1000 run measured here.
# Also times `vigil sim compare` of 3 options x 1,000 runs of the default scenario.
#
# usage: bench/sim_throughput.sh [BUILD_DIR | BUILD_DIR/vigil]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$here/build}")
[ -f "$build" ] && build=$(dirname "$build")
vigil=$build/vigil
[ -x "$vigil" ] || cmake --build "$build" --target vigil > /dev/null
threads=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $threads cores"

run() {  # name args...
  local name=$1; shift
  /usr/bin/time -v "$vigil" -q sim throughput "$@" --json "$tmp/$name.json" > /dev/null 2> "$tmp/$name.time"
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/$name.time")
  python3 - "$tmp/$name.json" "$rss" "$name" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); rss_kb = int(sys.argv[2])
print(f"{sys.argv[3]:<28} agents {j['agents']:>9}  steps {j['steps']:>5}  threads {j['threads']}  "
      f"{j['seconds']:8.3f} s  {j['agent_steps_per_second']/1e6:8.2f} M agent-steps/s  "
      f"peak RSS {rss_kb/1024:7.1f} MiB = {rss_kb*1024/j['agents']:7.1f} B/agent")
PY
}
run large-1thread    --width 1000 --height 1000 --steps 50 --threads 1
run large-single     --width 1000 --height 1000 --steps 50 --threads "$threads"
run large-ensemble   --width 1000 --height 1000 --steps 50 --runs "$threads" --threads "$threads"
run classic-single   --width 40 --height 40 --steps 10000 --threads 1
run classic-ensemble --width 40 --height 40 --steps 500 --runs 100 --threads "$threads"
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
a = json.load(open(f"{d}/large-1thread.json"))["agent_steps_per_second"]
for n in ["large-single", "large-ensemble"]:
    r = json.load(open(f"{d}/{n}.json"))["agent_steps_per_second"]
    print(f"{n}: {r/a:.2f}x the 1-thread anchor; goal 20 M/s: {'met' if r >= 20e6 else 'NOT met'} ({r/1e6:.1f} M/s)")
PY
start=$(date +%s.%N)
"$vigil" -q sim compare default --option baseline --option rapid-deployment --option sanctions --runs 1000 \
  --threads "$threads" > /dev/null
end=$(date +%s.%N)
python3 -c "print(f'sim compare default, 3 options x 1000 runs: {$end - $start:.2f} s')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
