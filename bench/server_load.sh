#!/usr/bin/env bash
# API load benchmark (issue 18): `vigil serve` on loopback against nginx
# serving the same JSON bodies as static files, measured in the same run
# with the same client (bench/server_load.cc, bounded in time and count).
#
# Store: the fictional demo case, plus the UCDP GED events of the Central
# African Republic when ../shared/data is present. Reads: the case file, the
# plan, the options and the case list (a logged-in analyst). Writes: 50
# clients each scoring its own OSAPG item with optimistic concurrency;
# afterwards the versions must have grown by exactly the accepted writes and
# the audit chain must verify. Prints throughput, p50/p99, the ratio to nginx
# and the server's peak memory.
#
# usage: bench/server_load.sh [BUILD_DIR | BUILD_DIR/vigil] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$here/build}")
[ -f "$build" ] && build=$(dirname "$build")
secs=${2:-10}
vigil=$build/vigil
load=$build/bench/vigil-load
[ -x "$load" ] || cmake --build "$build" --target vigil-load > /dev/null
command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || { echo "server_load: nginx is not installed (make bench installs it)"; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
chmod 755 "$tmp"
serve_pid=""
nginx_started=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2> /dev/null && wait "$serve_pid" 2> /dev/null || true
  [ -n "$nginx_started" ] && "$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -s stop 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
db=$tmp/vigil.db
V() { "$vigil" -q --db "$db" "$@"; }

V demo load > /dev/null
ged=$here/../shared/data/ucdp/GEDEvent_v23_1_CAF.csv
alert_ids=""
if [ -f "$ged" ]; then
  V import events --format ged "$ged" > /dev/null || [ $? -eq 3 ]
  # Alerts over the whole history (92 for the CAF file): one per write client.
  V alerts scan --months 600 > /dev/null
  alert_ids=$(V --json alerts list | python3 -c 'import json,sys; print(" ".join(str(a["id"]) for a in json.load(sys.stdin)[:50]))')
  echo "store: demo case + $(V --json events aggregate --level country 2> /dev/null | python3 -c 'import json,sys; print(sum(r.get("events",0) for r in json.load(sys.stdin).get("rows",[])))' 2> /dev/null || echo '?') UCDP GED events (CAF)"
else
  echo "store: demo case (no ../shared/data: no real events loaded)"
fi
password=load-test-passphrase-not-secret
printf '%s' "$password" | V user add loadtest --role analyst --password-stdin > /dev/null
V case member add demo-veridia loadtest --role analyst > /dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$vigil" --db "$db" serve --listen "127.0.0.1:$port" --threads 4 > "$tmp/serve.out" 2> "$tmp/serve.log" &
serve_pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" 2> /dev/null && break; sleep 0.1; done
login=$(curl -s -c "$tmp/jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"loadtest\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/session")
csrf=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
cookie=$(awk '$6 == "vigil_session" {print "vigil_session=" $7}' "$tmp/jar")
auth=(--header "Cookie: $cookie" --header "X-CSRF-Token: $csrf")

paths=(/api/v1/cases/demo-veridia /api/v1/cases/demo-veridia/plan /api/v1/cases/demo-veridia/options /api/v1/cases
  /api/v1/watchlist)
[ -n "$alert_ids" ] && paths+=("/api/v1/countries/CAF/events?month=2021-03")
mkdir -p "$tmp/nginx/www" "$tmp/nginx/logs"
static=()
i=0
for p in "${paths[@]}"; do
  curl -s -b "$tmp/jar" "http://127.0.0.1:$port$p" > "$tmp/nginx/www/r$i.json"
  static+=("/r$i.json")
  i=$((i + 1))
done
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/nginx/nginx.conf" << CONF
worker_processes 2;
error_log $tmp/nginx/logs/error.log;
pid $tmp/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nport; root $tmp/nginx/www; }
}
CONF
"$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf"
nginx_started=1
sizes=$(for f in "$tmp"/nginx/www/*.json; do stat -c %s "$f"; done | paste -sd/)
echo "bodies (bytes): $sizes"

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
fmt() { python3 -c "import json,sys; j=json.loads(sys.argv[1]); print(f\"{j['per_second']:>9,.0f} req/s  p50 {j['p50_ms']:.2f} ms  p99 {j['p99_ms']:.2f} ms  statuses {j['statuses']}\")" "$1"; }

echo "== reads: 100 connections, ${secs} s each (anchor: nginx, same bodies as static files) =="
anchor=$("$load" --port "$nport" --connections 100 --seconds "$secs" --max-requests 5000000 get "${static[@]}")
echo "nginx : $(fmt "$anchor")"
reads=$("$load" --port "$port" --connections 100 --seconds "$secs" --max-requests 5000000 "${auth[@]}" get "${paths[@]}")
echo "vigil : $(fmt "$reads")"
python3 -c "
import json,sys
a=json.loads(sys.argv[1]); v=json.loads(sys.argv[2])
r=v['per_second']/a['per_second']
print(f'ratio vigil/nginx {r:.2f} (goal >= 0.5); vigil p99 {v[\"p99_ms\"]:.2f} ms (goal < 20 ms)')
" "$anchor" "$reads"

# check_writes WHAT OK_STATUS KIND RESULT BEFORE AFTER: the rate of accepted
# writes, and that the records' versions grew by exactly that many (no lost
# update). KIND says where the versions are: "scores" (the case file's OSAPG
# score series) or "alerts" (the alert list's revisions).
check_writes() {
  python3 -c "
import json,sys
what, ok_status, kind = sys.argv[1:4]
w = json.loads(sys.argv[4])
def versions(path):
  f = json.load(open(path))
  if kind == 'scores':
    return {s['item']: (s['majority'] or {}).get('version', 0) for s in f['scores'] if s['framework'] == 'osapg'}
  return {a['id']: a['revision'] for a in f['alerts']}
vb, va = versions(sys.argv[5]), versions(sys.argv[6])
grown = sum(v - vb.get(k, 0) for k, v in va.items())
ok = w['statuses'].get(ok_status, 0); conflicts = w['statuses'].get('409', 0)
other = sum(v for k, v in w['statuses'].items() if k not in (ok_status, '409'))
print(f\"vigil : {ok/w['seconds']:>9,.0f} committed {what}/s  p50 {w['p50_ms']:.2f} ms  p99 {w['p99_ms']:.2f} ms  (goal >= 1,000/s)\")
print(f'accepted {ok}, conflicts {conflicts} (re-read from the 409 and retried), other {other}')
print(f'versions grew by {grown}: ' + ('no lost update' if grown == ok else 'LOST UPDATES'))
sys.exit(0 if grown == ok else 1)
" "$@"
}

# One score series per client (the 50 first OSAPG categories and issues), so
# that what is measured is committed writes, not conflicts; conflicts are
# still handled (a 409 gives the current version) and counted.
items=$(V --json catalog show osapg | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join([c["id"] for i in d["items"] for c in [i] + i["issues"]][:50]))')
echo "== writes: 50 clients, each scoring its own OSAPG item with optimistic concurrency, ${secs} s =="
curl -s -b "$tmp/jar" "http://127.0.0.1:$port/api/v1/cases/demo-veridia" > "$tmp/before.json"
writes=$("$load" --port "$port" --connections 50 --seconds "$secs" --max-requests 2000000 "${auth[@]}" \
  score demo-veridia osapg $items)
curl -s -b "$tmp/jar" "http://127.0.0.1:$port/api/v1/cases/demo-veridia" > "$tmp/after.json"
check_writes "score writes" 201 scores "$writes" "$tmp/before.json" "$tmp/after.json"
if [ -n "$alert_ids" ]; then
  echo "== writes: 50 clients, each triaging its own alert (acknowledge / re-open) with its revision, ${secs} s =="
  revisions() { curl -s -b "$tmp/jar" "http://127.0.0.1:$port/api/v1/alerts?limit=10000"; }
  revisions > "$tmp/abefore.json"
  triage=$("$load" --port "$port" --connections 50 --seconds "$secs" --max-requests 2000000 "${auth[@]}" \
    triage $alert_ids)
  revisions > "$tmp/aafter.json"
  check_writes "triages" 200 alerts "$triage" "$tmp/abefore.json" "$tmp/aafter.json"
fi
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")
echo "vigil serve peak memory (VmHWM): $((hwm / 1024)) MiB"
kill "$serve_pid"
wait "$serve_pid" 2> /dev/null || true
serve_pid=""
if "$vigil" -q --db "$db" audit verify > "$tmp/verify.txt" 2>&1; then
  echo "audit chain: verified ($(grep -c . "$tmp/verify.txt") lines of report)"
else
  cat "$tmp/verify.txt"
  exit 1
fi
