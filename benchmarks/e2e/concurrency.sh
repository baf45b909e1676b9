#!/usr/bin/env bash
# How concurrency pays when a flush waits, against a real Fluent Bit (never built here):
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/concurrency.sh
# INPUTS dummy inputs (RATE events/s each, a tag each, Flush 0.2 s: INPUTS x 5 chunks/s asked
# for) into the flb4j stress_out whose flush waits WAIT_MS, with flb4j.max_flushes 1, then 4,
# then 8. For each: the events/s the output took over SECONDS_RUN (its proc_records over the
# window), and the chunks it counted in all (its own log line at close, grace included).
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), curl, python3.
set -uo pipefail
source "$(dirname "$0")/common.sh"
SECONDS_RUN=${SECONDS_RUN:-15}
INPUTS=${INPUTS:-8}
RATE=${RATE:-100}
WAIT_MS=${WAIT_MS:-200}
PORT=${PORT:-2032}

taken() {   # events the output took so far
  metrics | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(d["output"]["slow"]["proc_records"])'
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $INPUTS dummy inputs at ${RATE}/s, Flush 0.2; flushes wait ${WAIT_MS} ms; ${SECONDS_RUN}s each"
for max in ${MAX_FLUSHES:-1 4 8}; do
  dir=$work/$max
  mkdir -p "$dir"
  printf '[PLUGINS]\n    Path %s\n' "$OUT_SO" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 0.2\n    Grace 5\n    HTTP_Server On\n    HTTP_Listen 127.0.0.1\n    HTTP_Port %s\n    Plugins_File %s\n' \
    "$PORT" "$dir/plugins.conf" > "$dir/fluent-bit.conf"
  for i in $(seq "$INPUTS"); do
    printf '[INPUT]\n    Name dummy\n    Tag in%s\n    Rate %s\n' "$i" "$RATE" >> "$dir/fluent-bit.conf"
  done
  printf '[OUTPUT]\n    Name stress_out\n    Match *\n    Alias slow\n    Wait %sms\n    flb4j.max_flushes %s\n    Retry_Limit no_limits\n' \
    "$WAIT_MS" "$max" >> "$dir/fluent-bit.conf"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  pid=$!
  sleep 3
  a=$(taken); t0=$(date +%s.%N)
  sleep "$SECONDS_RUN"
  b=$(taken); t1=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid"; rc=$?
  chunks=$(grep -oE 'in [0-9]+ chunks' "$dir/log" | awk '{s+=$2} END {print s+0}')
  python3 -c "import sys; a,b,t0,t1=map(float,sys.argv[1:5]); print('flb4j.max_flushes %2s  %6.0f events/s taken   %s chunks in all (run and grace)  exit %s' % (sys.argv[5], (b-a)/(t1-t0), sys.argv[6], sys.argv[7]))" \
    "$a" "$b" "$t0" "$t1" "$max" "$chunks" "$rc"
done
