#!/usr/bin/env bash
# vigil behind nginx terminating TLS, with the shipped deploy/nginx-vigil.conf
# (ports, names and certificate paths replaced): over HTTPS the session
# cookie is Secure, HttpOnly and SameSite=Strict, CSRF is still required,
# HSTS is sent, plain HTTP redirects, an oversized body stops at nginx, and
# the client address vigil throttles by is the one nginx saw, not one the
# client forged. Everything on loopback; stops by itself.
#   tls_proxy_test.sh VIGIL SOURCE_DIR
set -euo pipefail
vigil=$1
src=$2
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx_bin" openssl curl; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
done

tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx's workers (nobody, when started as root) use its temp paths
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2> /dev/null && wait "$serve_pid" 2> /dev/null || true
  [ -f "$tmp/nginx/nginx.pid" ] && "$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -s stop 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/serve.log" ] && tail -5 "$tmp/serve.log"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db=$tmp/vigil.db
password='proxy test passphrase, not secret'
printf '%s' "$password" | "$vigil" -q --db "$db" user add ana --role analyst --password-stdin > /dev/null

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=vigil.test" \
  -addext "subjectAltName=DNS:vigil.test" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2> /dev/null
chmod 600 "$tmp/key.pem"

vport=$(free_port)
"$vigil" --db "$db" serve --listen "127.0.0.1:$vport" --behind-proxy > "$tmp/serve.out" 2> "$tmp/serve.log" &
serve_pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" 2> /dev/null && break; sleep 0.1; done

tport=$(free_port)
hport=$(free_port)
mkdir -p "$tmp/nginx/logs"
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$tport ssl;|" -e "s|listen 80;|listen 127.0.0.1:$hport;|" \
  -e "s|vigil.example.org|vigil.test|" -e "s|/etc/ssl/vigil/fullchain.pem|$tmp/cert.pem|" \
  -e "s|/etc/ssl/vigil/privkey.pem|$tmp/key.pem|" -e "s|127.0.0.1:8080|127.0.0.1:$vport|" \
  "$src/deploy/nginx-vigil.conf" > "$tmp/nginx/vigil.conf"
grep -q "127.0.0.1:$vport" "$tmp/nginx/vigil.conf" || fail "the shipped configuration no longer has the upstream this test replaces"
cat > "$tmp/nginx/nginx.conf" << CONF
worker_processes 1;
error_log $tmp/nginx/logs/error.log;
pid $tmp/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  include $tmp/nginx/vigil.conf;
}
CONF
"$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2> "$tmp/nginx.err" || { cat "$tmp/nginx.err"; fail "nginx did not start"; }

base="https://vigil.test:$tport"
c() { curl -sS --max-time 10 --cacert "$tmp/cert.pem" --resolve "vigil.test:$tport:127.0.0.1" "$@"; }

# Health over TLS, with HSTS.
code=$(c -o /dev/null -w '%{http_code}' "$base/healthz")
[ "$code" = 200 ] || fail "GET /healthz over TLS: $code"
c -D - -o /dev/null "$base/healthz" | grep -qi '^strict-transport-security: max-age=' || fail "no HSTS header"
# A client that does not trust the certificate is refused.
if curl -sS --max-time 10 --resolve "vigil.test:$tport:127.0.0.1" -o /dev/null "$base/healthz" 2> /dev/null; then
  fail "an untrusted certificate was accepted"
fi
# Plain HTTP redirects to HTTPS.
loc=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: vigil.test' "http://127.0.0.1:$hport/api/v1/cases")
[[ "$loc" == "301 https://vigil.test/api/v1/cases" ]] || fail "plain HTTP: $loc"

# Login: the cookie is Secure, HttpOnly, SameSite=Strict.
login=$(c -D "$tmp/headers" -H 'Content-Type: application/json' \
  -d "{\"username\":\"ana\",\"password\":\"$password\"}" "$base/api/v1/session")
cookie_line=$(grep -i '^set-cookie: vigil_session=' "$tmp/headers" | tr -d '\r') || fail "no session cookie: $login"
for attr in Secure HttpOnly SameSite=Strict; do
  [[ "$cookie_line" == *"; $attr"* ]] || fail "cookie lacks $attr: $cookie_line"
done
cookie=$(printf '%s' "$cookie_line" | sed -e 's/^[^:]*: //' -e 's/;.*//')
csrf=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
code=$(c -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/cases")
[ "$code" = 200 ] || fail "GET /api/v1/cases with the cookie: $code"
body='{"title":"Through the proxy","region":"Sahel"}'
code=$(c -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Content-Type: application/json' -d "$body" "$base/api/v1/cases")
[ "$code" = 403 ] || fail "POST without X-CSRF-Token: $code (want 403)"
code=$(c -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d "$body" "$base/api/v1/cases")
[ "$code" = 201 ] || fail "POST with the CSRF token: $code (want 201)"

# A body over 1 MiB stops at nginx.
head -c 1100000 /dev/zero | tr '\0' 'a' > "$tmp/big"
code=$(c -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  --data-binary "@$tmp/big" "$base/api/v1/cases")
[ "$code" = 413 ] || fail "oversized body: $code (want 413)"

# Throttling is by the address nginx saw: a client forging X-Forwarded-For
# gets locked out all the same (the wrong passwords all count against 127.0.0.1).
locked=""
for i in $(seq 12); do
  code=$(c -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 203.0.113.$i" -H 'Content-Type: application/json' \
    -d "{\"username\":\"nobody$i\",\"password\":\"wrong\"}" "$base/api/v1/session")
  if [ "$code" = 429 ]; then locked=$i; break; fi
done
[ -n "$locked" ] || fail "forged X-Forwarded-For escaped the per-client throttle"

# Nothing secret in vigil's log.
token=${cookie#vigil_session=}
if grep -qF -e "$password" -e "$token" -e "$csrf" "$tmp/serve.log"; then fail "a secret is in the request log"; fi
echo "ok: TLS proxy (HSTS, redirect, Secure cookie, CSRF, 413 at nginx, throttled by the proxy's client address after $locked attempts)"
