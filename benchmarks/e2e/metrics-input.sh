#!/usr/bin/env bash
# An input's metrics and traces in a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/metrics-input.sh
# testkit/src/test/plugins/MetricsInput.java (a counter, a gauge, a histogram and a summary each
# second, after a log event and before two spans) into stdout and prometheus_exporter; the
# exporter's page after 4 s, a SIGHUP, SIGTERM, the exit code, and the first spans as Fluent Bit's
# stdout printed them (its ctraces decoder read flb4j's encoding). The .so comes from the testkit's tests: run
#   mvn -B -q install -DskipTests && (cd testkit && mvn -B -q test -Dtest=SharedObjectTest)
# at the top first (testkit/target/native-test/metrics_in.so). Needs curl.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
SO=${SO:-$here/testkit/target/native-test/metrics_in.so}
PORT=${PORT:-2021}
[ -f "$SO" ] || { echo "missing $SO: see the top of this script"; exit 2; }
work=$(mktemp -d)
printf '[PLUGINS]\n    Path %s\n' "$SO" > "$work/plugins.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 2\n    Plugins_File %s\n[INPUT]\n    Name metrics_in\n    Tag m\n    sets 1000\n    every 1s\n[OUTPUT]\n    Name stdout\n    Match *\n[OUTPUT]\n    Name prometheus_exporter\n    Match *\n    Host 127.0.0.1\n    Port %s\n' \
  "$work/plugins.conf" "$PORT" > "$work/fluent-bit.conf"
echo "$("$FLUENT_BIT" --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
"$FLUENT_BIT" -c "$work/fluent-bit.conf" --enable-hot-reload > "$work/log" 2>&1 &
pid=$!
sleep 4
echo "== prometheus_exporter, after 4 s"
curl -s "127.0.0.1:$PORT/metrics"
kill -HUP "$pid"
sleep 3
echo "== after a reload"
curl -s "127.0.0.1:$PORT/metrics" | grep '^ticks_total'
kill -TERM "$pid"
wait "$pid"
rc=$?
echo "== stdout (the first lines of metrics and logs)"
grep -m3 'ticks_total' "$work/log"
grep -m2 '"message"=>"tick' "$work/log"
echo "== stdout (the first trace context)"
awk '/RESOURCE SPAN/ {n++} n == 1' "$work/log" | head -60
echo "spans printed: $(grep -c "\[span #" "$work/log")"
echo "exit code $rc; reloads: $(grep -c 'reloading instance pid' "$work/log"); error lines: $(grep -c '\[error\]' "$work/log")"
