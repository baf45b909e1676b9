#!/usr/bin/env bash
# End-to-end input benchmark against a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/run.sh
# In one run, on this machine:
#   1. throughput: stress_in (busy) and the C input c_input.c (the same record, the same event
#      path), each alone into Fluent Bit's null output for SECONDS_RUN, with Mem_Buf_Limit
#      MEM_BUF_LIMIT (without one, a C producer outruns Fluent Bit until the kernel kills it);
#      events/s that reached the output (Fluent Bit's own proc_records counter), and Fluent Bit's
#      peak RSS;
#   2. latency: stress_in at RATE events/s into stress_out (latency mode), Flush 0.05, with flb4j's
#      defaults (and EXTRA_INPUT_KEYS in a second row, if set); p50/p99 from event time to flush.
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), cc, curl, python3.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
source "$here/quiet.sh"
SECONDS_RUN=${SECONDS_RUN:-10}
RATE=${RATE:-10000}
MEM_BUF_LIMIT=${MEM_BUF_LIMIT:-100M}
IN_SO=$here/../reliability/stress-input/target/stress_in.so
OUT_SO=$here/../reliability/stress-output/target/stress_out.so
work=$(mktemp -d)
cc -O2 -Wall -shared -fPIC -I "$here/../../native/src/main/c" "$here/c_input.c" -o "$work/c_input.so" -lpthread || exit 2
PORT=${PORT:-2029}

records() {   # a 404 is asked again: see metrics() in common.sh
  for _ in $(seq 30); do curl -sf "127.0.0.1:$PORT/api/v1/metrics" && break; sleep 0.1; done | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(sum(v["proc_records"] for v in d["output"].values()))'
}

# throughput NAME SO: prints events/s and peak RSS
throughput() {
  local dir=$work/$1
  mkdir -p "$dir"
  printf '[PLUGINS]\n    Path %s\n' "$2" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 1\n    Grace 2\n    HTTP_Server On\n    HTTP_Listen 127.0.0.1\n    HTTP_Port %s\n    Plugins_File %s\n[INPUT]\n    Name %s\n    Tag t\n    Mem_Buf_Limit %s\n[OUTPUT]\n    Name null\n    Match *\n' \
    "$PORT" "$dir/plugins.conf" "$1" "$MEM_BUF_LIMIT" > "$dir/fluent-bit.conf"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$! a b t0 t1 rss rc
  sleep 4
  a=$(records); t0=$(date +%s.%N)
  sleep "$SECONDS_RUN"
  b=$(records); t1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid"; rc=$?
  python3 -c "print('%-10s %12.0f events/s   peak RSS %5d MB   exit %d' % ('$1', ($b - $a) / ($t1 - $t0), $rss, $rc))"
}

# latency LABEL EXTRA_INPUT_KEYS
latency() {
  local dir=$work/latency-$1
  mkdir -p "$dir"
  printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$IN_SO" "$OUT_SO" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 0.05\n    Grace 2\n    Plugins_File %s\n[INPUT]\n    Name stress_in\n    Mode rate\n    Rate %s\n    Tag t\n%b[OUTPUT]\n    Name stress_out\n    Mode latency\n    Match *\n' \
    "$dir/plugins.conf" "$RATE" "$2" > "$dir/fluent-bit.conf"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$!
  sleep $((SECONDS_RUN + 3))
  kill -TERM "$pid"; wait "$pid"
  printf '%-10s %s\n' "$1" "$(grep -oE 'latency p50 .*' "$dir/log" | tail -1)"
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); ${SECONDS_RUN}s each"
throughput stress_in "$IN_SO"
throughput c_input "$work/c_input.so"
echo "latency at $RATE events/s, Flush 0.05 (event time to stress_out's flush):"
latency default ''
# EXTRA_INPUT_KEYS='    thread.ring_buffer.capacity 64\n    thread.ring_buffer.window 1\n' (4.1+) for a second row
[ -z "${EXTRA_INPUT_KEYS:-}" ] || latency extra "$EXTRA_INPUT_KEYS"
