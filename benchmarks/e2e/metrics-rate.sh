#!/usr/bin/env bash
# Metrics from an input, samples per second into Fluent Bit, against a C proxy input doing the
# same through the same ABI, in one run, on a real Fluent Bit this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/metrics-rate.sh
# Each input alone into Fluent Bit's null output for SECONDS_RUN seconds, then SIGTERM, both
# asked for RATE contexts of 100 samples a second:
#   c_metrics_in  c_metrics_input.c: cmt_create, 100 cmt_counter_set/cmt_gauge_set, one
#                 flb_input_metrics_append, cmt_destroy
#   stress_in     flb4j's stress input, mode metrics: MetricSet.builder() with the same 100
#                 samples, emitMetrics (encoded in Java, decoded by Fluent Bit's cmetrics on the
#                 input thread, then appended)
# Delivered = contexts appended x 100 / SECONDS_RUN (the count each input logs at exit; the
# flb4j one includes its JVM's start, about a second). Also Fluent Bit's CPU seconds (the cost
# of the same work) and peak RSS.
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), cc.
set -uo pipefail
source "$(dirname "$0")/common.sh"
IN_SO=$here/../reliability/stress-input/target/stress_in.so
[ -f "$IN_SO" ] || { echo "missing $IN_SO: run 'mvn -B -q install -DskipTests' at the top first"; exit 2; }
SECONDS_RUN=${SECONDS_RUN:-20}
RATE=${RATE:-1000}
ROUNDS=${ROUNDS:-2}
cc -O2 -Wall -shared -fPIC -I "$here/../../native/src/main/c" -DRATE="$RATE" "$here/c_metrics_input.c" -o "$work/c_metrics_input.so" -ldl -lpthread || exit 2
run() {   # NAME ROUND
  local dir=$work/$1-$2
  mkdir -p "$dir"
  printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$work/c_metrics_input.so" "$IN_SO" > "$dir/plugins.conf"
  local extra=""
  [ "$1" = stress_in ] && extra="    mode metrics\n    rate $RATE\n"
  printf '[SERVICE]\n    Flush 1\n    Grace 2\n    Plugins_File %s\n[INPUT]\n    Name %s\n    Tag m\n%b[OUTPUT]\n    Name null\n    Match *\n' \
    "$dir/plugins.conf" "$1" "$extra" > "$dir/fluent-bit.conf"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$!
  sleep "$SECONDS_RUN"
  local cpu rss
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid"
  local rc=$? contexts
  if [ "$1" = stress_in ]; then
    contexts=$(grep -o 'Fluent Bit took [0-9]*' "$dir/log" | awk '{s += $4} END {print s + 0}')
  else
    contexts=$(grep -o 'appended [0-9]* metric contexts' "$dir/log" | awk '{print $2}')
  fi
  printf 'round %s  %-13s %12.0f samples/s  %5.1f CPU s  peak RSS %4d MB  exit %s\n' "$2" "$1" \
    "$(echo "${contexts:-0} * 100 / $SECONDS_RUN" | bc -l)" "$cpu" "$rss" "$rc"
}
echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $RATE contexts of 100 samples/s asked; ${SECONDS_RUN}s each, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  run c_metrics_in "$round"
  run stress_in "$round"
done
