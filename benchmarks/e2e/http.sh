#!/usr/bin/env bash
# samples/http-input in a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/http.sh [EVENTS]
# POSTs EVENTS (default 10,000) events, one per request, from 4 threads, sends SIGHUP twice
# (hot reload) and then SIGTERM, and checks that every event answered 200 reached the output
# (stdout, json_lines) and that every other one got another answer. Needs mvn install first.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
source "$here/quiet.sh"
EVENTS=${1:-10000}
work=$(mktemp -d)
cd "$work"
printf '[PLUGINS]\n    Path %s\n' "$here/../../samples/http-input/target/http_java.so" > plugins.conf
printf '[SERVICE]\n    Flush 1\n    Grace 3\n    Plugins_File plugins.conf\n[INPUT]\n    Name http_java\n    Tag http\n    http_listen 127.0.0.1\n    http_port 19880\n[OUTPUT]\n    Name stdout\n    Match *\n    Format json_lines\n' > fluent-bit.conf
"$FLUENT_BIT" -c fluent-bit.conf --enable-hot-reload > out.log 2>&1 &
pid=$!
sleep 3
python3 "$here/http_client.py" "$EVENTS" &
client=$!
sleep 4; kill -HUP "$pid"; sleep 5; kill -HUP "$pid"; sleep 5
wait "$client"
kill -TERM "$pid"; wait "$pid"; rc=$?
echo "fluent-bit exit=$rc reloads=$(grep -c 'reloading instance' out.log) crashes=$(grep -c 'caught signal (SIGSEGV)' out.log)"
python3 - <<'PY'
import json, re, sys
res = {int(k): v for k, v in json.load(open("results.json")).items()}
out = set(int(m) for m in re.findall(r'"id":(\d+)', open("out.log").read()))
ok = {i for i, c in res.items() if c == 200}
lost = ok - out
print("answered 200: %d, other answers: %d, delivered: %d, answered 200 but not delivered: %d"
      % (len(ok), len(res) - len(ok), len(out), len(lost)))
sys.exit(1 if lost else 0)
PY
