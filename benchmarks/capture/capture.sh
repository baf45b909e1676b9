#!/usr/bin/env bash
# Captures cmetrics and ctraces payloads as a real Fluent Bit hands them to a proxy output:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/capture/capture.sh OUT_DIR
# Inputs: fluentbit_metrics (Fluent Bit's own counters, gauges and histograms), prometheus_scrape
# of all-types.prom (a counter, a gauge, a histogram, a summary and an untyped metric, served by
# python3 -m http.server) and opentelemetry receiving trace.json and metrics.json (OTLP/HTTP JSON;
# the metrics hold an exponential histogram). The output is
# dump_output.c, which writes every flushed chunk to OUT_DIR unchanged. Needs cc, curl, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
out=$(mkdir -p "${1:?usage: capture.sh OUT_DIR}" && cd "$1" && pwd)
work=$(mktemp -d)
cc -O2 -Wall -shared -fPIC -I "$here/../../native/src/main/c" "$here/dump_output.c" -o "$work/dump_output.so"
mkdir -p "$work/www" && cp "$here/all-types.prom" "$work/www/metrics"
(cd "$work/www" && exec python3 -m http.server 2031 --bind 127.0.0.1 > "$work/http.log" 2>&1) &
server=$!
printf '[PLUGINS]\n    Path %s\n' "$work/dump_output.so" > "$work/plugins.conf"
cat > "$work/fluent-bit.conf" <<CONF
[SERVICE]
    Flush 1
    Grace 1
    Plugins_File $work/plugins.conf
[INPUT]
    Name fluentbit_metrics
    Tag fluentbit
    Scrape_Interval 1
[INPUT]
    Name prometheus_scrape
    Tag prometheus
    Host 127.0.0.1
    Port 2031
    Metrics_Path /metrics
    Scrape_Interval 1s
[INPUT]
    Name opentelemetry
    Tag otel
    Listen 127.0.0.1
    Port 2032
[OUTPUT]
    Name dump_output
    Match *
CONF
DUMP_DIR=$out "$FLUENT_BIT" -c "$work/fluent-bit.conf" > "$work/fluent-bit.log" 2>&1 &
fb=$!
sleep 3
curl -s -o /dev/null -w 'OTLP traces POST: %{http_code}\n' -H 'Content-Type: application/json' \
  --data-binary @"$here/trace.json" http://127.0.0.1:2032/v1/traces
curl -s -o /dev/null -w 'OTLP metrics POST: %{http_code}\n' -H 'Content-Type: application/json' \
  --data-binary @"$here/metrics.json" http://127.0.0.1:2032/v1/metrics
sleep 4
kill -TERM "$fb"; wait "$fb" || true
kill "$server" || true
ls -l "$out"
echo "Fluent Bit's log: $work/fluent-bit.log"
