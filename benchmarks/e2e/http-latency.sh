#!/usr/bin/env bash
# Latency and rate of samples/http-input's answers in a real Fluent Bit, which this repository
# never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/http-latency.sh
# Fluent Bit with http_java (4 answering threads, the sample's default) into the null output;
# python clients on kept-alive connections POST one event per request, each answer waiting until
# Fluent Bit has the event (awaitHandedOff). THREADS (default "1 4 32") clients at a time, SECONDS
# (default 10) each; prints requests/s, p50 and p99. Needs mvn -B -q install first.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
source "$here/quiet.sh"
PORT=${PORT:-19881}
work=$(mktemp -d)
printf '[PLUGINS]\n    Path %s\n' "$here/../../samples/http-input/target/http_java.so" > "$work/plugins.conf"
printf '[SERVICE]\n    Flush 1\n    Log_Level info\n    Plugins_File %s\n[INPUT]\n    Name http_java\n    Tag h\n    http_listen 127.0.0.1\n    http_port %s\n[OUTPUT]\n    Name null\n    Match *\n' \
  "$work/plugins.conf" "$PORT" > "$work/fluent-bit.conf"
echo "$("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
"$FLUENT_BIT" -c "$work/fluent-bit.conf" > "$work/log" 2>&1 &
pid=$!
sleep 2
for t in ${THREADS:-1 4 32}; do
  python3 "$here/http_latency.py" "$t" "${SECONDS_EACH:-10}" "$PORT"
done
kill -TERM "$pid"; wait "$pid"; echo "fluent-bit exit $?"
