#!/usr/bin/env bash
# samples/jmx-input in a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/jmx-input.sh
# Starts a target JVM with remote JMX on 127.0.0.1 (the sample's test class Target), then Fluent
# Bit with jmx (interval 1s, traces on) into prometheus_exporter and stdout, hot reload on. Shows the
# exporter's jmx series, a SIGHUP, the target killed and started again mid-run (the log lines
# that costs), SIGTERM, the exit code, and the jmx.read spans stdout printed (OK, and ERROR
# while the target was down). Needs: mvn -B -q install at the top first (the sample
# and its test classes), curl.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
SAMPLE=$here/samples/jmx-input
SO=$SAMPLE/target/jmx.so
[ -f "$SO" ] && [ -d "$SAMPLE/target/test-classes" ] || { echo "missing $SO or its test classes: mvn -B -q install first"; exit 2; }
JAVA=${JAVA:-java}
JMX_PORT=${JMX_PORT:-19010}
PORT=${PORT:-2022}
work=$(mktemp -d)
target() {
  "$JAVA" -Dcom.sun.management.jmxremote.port="$JMX_PORT" -Dcom.sun.management.jmxremote.rmi.port="$JMX_PORT" \
    -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1 \
    -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false \
    -cp "$SAMPLE/target/test-classes" io.flb4j.samples.jmx.Target > "$work/target.log" 2>&1 &
  tpid=$!
  sleep 2
}
printf '[PLUGINS]\n    Path %s\n' "$SO" > "$work/plugins.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 2\n    Plugins_File %s\n[INPUT]\n    Name jmx\n    Tag jmx\n    jmx_port %s\n    interval 1s\n    traces on\n[OUTPUT]\n    Name prometheus_exporter\n    Match jmx\n    Host 127.0.0.1\n    Port %s\n[OUTPUT]\n    Name stdout\n    Match jmx\n' \
  "$work/plugins.conf" "$JMX_PORT" "$PORT" > "$work/fluent-bit.conf"
echo "$("$FLUENT_BIT" --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
target
"$FLUENT_BIT" -c "$work/fluent-bit.conf" --enable-hot-reload > "$work/log" 2>&1 &
pid=$!
sleep 5
echo "== prometheus_exporter: jmx series (of $(curl -s "127.0.0.1:$PORT/metrics" | grep -c '^jmx_'))"
curl -s "127.0.0.1:$PORT/metrics" | grep -E '^jmx_(memory_heap_memory_usage_used|threading_thread_count|garbage_collector_collection_count|class_loading_loaded_class_count|operating_system_available_processors)'
kill -HUP "$pid"
sleep 4
echo "== after a reload: $(curl -s "127.0.0.1:$PORT/metrics" | grep -c '^jmx_') jmx series"
kill -9 "$tpid"
sleep 4
target
sleep 4
echo "== after the target was killed and started again: $(curl -s "127.0.0.1:$PORT/metrics" | grep -c '^jmx_') jmx series; uptime now $(curl -s "127.0.0.1:$PORT/metrics" | grep -m1 '^jmx_runtime_uptime\|^jmx_operating_system_process_cpu_time' )"
kill -TERM "$pid"
wait "$pid"
rc=$?
kill "$tpid" 2>/dev/null
echo "== the plugin's log lines"
grep 'flb4j:jmx' "$work/log" | grep -v '\[debug\]'
echo "== stdout: $(grep -c 'jmx_threading_thread_count' "$work/log") thread-count samples printed"
echo "== stdout: $(grep -c "\[span #0 'jmx.read'\]" "$work/log") jmx.read spans printed, status codes: $(grep -A12 "\[span #0 'jmx.read'\]" "$work/log" | grep -o 'code    : [0-9]' | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
awk "/\\[span #0 'jmx.read'\\]/ {n++} n == 1" "$work/log" | head -22
echo "exit code $rc; reloads: $(grep -c 'reloading instance pid' "$work/log"); error lines: $(grep -c '\[error\]' "$work/log")"
