#!/usr/bin/env bash
# Runs inside a network namespace that has only loopback (unshare -n), because
# netlify dev listens on all interfaces. $1 is a copy of the repository on which
# `netlify build --offline` has run. Prints "name value" lines for the Go test.
set -u
cd "$1"
ip link set lo up
netlify dev --offline --port 8888 > netlify-dev.log 2>&1 &
pid=$!
stop() {
  kill $pid 2>/dev/null
  pkill -f "netlify dev" 2>/dev/null
  wait $pid 2>/dev/null
  sleep 1 # its helpers (functions server, deno) exit a moment later
}
trap stop EXIT
for _ in $(seq 1 90); do
  curl -s -o /dev/null http://127.0.0.1:8888/nl/ && break
  sleep 1
done
u=http://127.0.0.1:8888
echo "root-en $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept-Language: en-GB,en;q=0.9' $u/)"
echo "root-pl $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept-Language: pl-PL,pl;q=0.9,en;q=0.8' $u/)"
echo "root-ar $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept-Language: ar,en;q=0.5' $u/)"
echo "notfound-ar $(curl -s -o /dev/null -w '%{http_code}' $u/ar/no-such-page/) $(curl -s $u/ar/no-such-page/ | grep -o '<html lang="ar" dir="rtl"' | head -1)"
echo "root-nl $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept-Language: nl-NL,nl;q=0.9' $u/)"
echo "deep $(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Language: en' $u/nl/verschil/)"
echo "csp $(curl -s -D - -o /dev/null $u/nl/ | tr -d '\r' | grep -i '^content-security-policy:' | cut -d' ' -f2-)"
echo "referrer $(curl -s -D - -o /dev/null $u/nl/ | tr -d '\r' | grep -i '^referrer-policy:' | cut -d' ' -f2-)"
echo "api-get $(curl -s -w ' %{http_code}' "$u/api/search?q=bedenktijd&lang=nl&limit=1" | tr -d '\n')"
echo "api-bad $(curl -s -o /dev/null -w '%{http_code}' "$u/api/search?q=&lang=nl")"
echo "api-form $(curl -s -H 'Accept: text/html' -d 'q=bedenktijd&lang=nl' $u/api/search | grep -c 'kb-search-results__item')"
echo "notfound $(curl -s -o /dev/null -w '%{http_code}' $u/en/no-such-page/)"
