#!/usr/bin/env bash
# End-to-end output benchmark against a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/output.sh
# In one run, on this machine, each output alone behind Fluent Bit's dummy input asked for
# RATE x COPIES events/s of a 145-byte, 5-field record, for SECONDS_RUN after a warm-up:
#   null        Fluent Bit's own null output (decodes nothing: the pipeline's own ceiling)
#   c_output    c_output.c, a C proxy output that walks every value of every event (the ceiling)
#   stress_out  the flb4j output benchmarks/reliability/stress-output (count mode: e.record()
#               per event, decoded to a Map, and one field read)
# For each: events/s the output took (Fluent Bit's proc_records), Fluent Bit's CPU seconds in
# that window, peak RSS; then its RSS when idle (dummy at 1 event/s, IDLE_SECONDS in).
# OUTPUT_KEYS adds lines to every [OUTPUT] section, e.g. OUTPUT_KEYS='    Workers 1\n'.
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), cc, curl, python3.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
SECONDS_RUN=${SECONDS_RUN:-10}
RATE=${RATE:-2000}
COPIES=${COPIES:-1000}
IDLE_SECONDS=${IDLE_SECONDS:-5}
PORT=${PORT:-2030}
OUT_SO=$here/../reliability/stress-output/target/stress_out.so
[ -f "$OUT_SO" ] || { echo "missing $OUT_SO: run 'mvn -B -q install -DskipTests' at the repository's top first"; exit 2; }
work=$(mktemp -d)
cc -O2 -Wall -shared -fPIC "$here/c_output.c" -o "$work/c_output.so" || exit 2
# 145 bytes of msgpack per record once Fluent Bit has packed it
record='{"seq":1234567,"source":"dummy.0","level":"info","message":"an event of the output benchmark, about one hundred bytes long in all","bytes":145}'

records() {
  curl -s "127.0.0.1:$PORT/api/v1/metrics" | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(sum(v["proc_records"] for v in d["output"].values()))'
}

cpu_seconds() {   # utime + stime of PID, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# config DIR OUTPUT RATE COPIES
config() {
  printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$work/c_output.so" "$OUT_SO" > "$1/plugins.conf"
  printf '[SERVICE]\n    Flush 1\n    Grace 2\n    HTTP_Server On\n    HTTP_Listen 127.0.0.1\n    HTTP_Port %s\n    Plugins_File %s\n[INPUT]\n    Name dummy\n    Tag t\n    Dummy %s\n    Rate %s\n    Copies %s\n[OUTPUT]\n    Name %s\n    Match *\n%b' \
    "$PORT" "$1/plugins.conf" "$record" "$3" "$4" "$2" "${OUTPUT_KEYS:-}" > "$1/fluent-bit.conf"
}

# run OUTPUT: one row
run() {
  local dir=$work/$1 idle=$work/$1-idle
  mkdir -p "$dir" "$idle"
  config "$dir" "$1" "$RATE" "$COPIES"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$! a b t0 t1 c0 c1 rss rc idle_rss
  sleep 4
  a=$(records); c0=$(cpu_seconds "$pid"); t0=$(date +%s.%N)
  sleep "$SECONDS_RUN"
  b=$(records); c1=$(cpu_seconds "$pid"); t1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid"; rc=$?
  config "$idle" "$1" 1 1
  "$FLUENT_BIT" -c "$idle/fluent-bit.conf" > "$idle/log" 2>&1 &
  pid=$!
  sleep "$IDLE_SECONDS"
  idle_rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid"
  python3 -c "print('%-11s %10.0f events/s  %5.1f CPU s  peak RSS %4d MB  idle RSS %4d MB  exit %d' % ('$1', ($b - $a) / ($t1 - $t0), $c1 - $c0, $rss, $idle_rss, $rc))"
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); dummy ${RATE}x${COPIES}/s; ${SECONDS_RUN}s each"
for output in ${OUTPUTS:-null c_output stress_out}; do
  run "$output"
done
