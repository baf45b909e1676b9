#!/usr/bin/env bash
# The stall benchmark against a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/stall.sh
# Two pipelines in one Fluent Bit for SECONDS_RUN: dummy (tag a, RATE/s) into the output under
# test, and dummy (tag b, RATE/s) into c_output (a C proxy output that counts). What pipeline b
# delivers (its output's proc_records over the window) shows whether the output on a holds
# Fluent Bit's engine thread. Outputs under test, in one run, taking turns for ROUNDS rounds:
#   null        Fluent Bit's own null output (nothing waits): the reference
#   c_sleep     c_output.c built to sleep WAIT_MS in every flush (a proxy output that blocks)
#   flb4j       the flb4j stress_out whose flush waits WAIT_MS (defaults: flb4j.max_flushes 4)
#   flb4j_1     the same with flb4j.max_flushes 1 (one flush at a time)
#   flb4j_w1    the same as flb4j with Workers 1 on it (flushes on an output worker thread)
# The last lines give pipeline b's median per output and its ratio to null's.
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), cc, python3.
set -uo pipefail
source "$(dirname "$0")/common.sh"
SECONDS_RUN=${SECONDS_RUN:-20}
ROUNDS=${ROUNDS:-2}
RATE=${RATE:-1000}
WAIT_MS=${WAIT_MS:-500}
PORT=${PORT:-2031}
c_output "$work/c_output.so"
c_output "$work/c_sleep.so" -DNAME='"c_sleep"' -DSLEEP_MS="$WAIT_MS"

# after_flush: pipeline b's count and the time ("count seconds") just after the count next changes.
# Pipeline b delivers once per Flush (1,000 events a second at the defaults), so a window between
# two arbitrary instants holds 19 or 20 of its flushes by chance (5 %); between two changes it
# holds a whole number of them, and events/time is exact.
after_flush() {
  python3 - "$PORT" <<'PY'
import json, sys, time, urllib.error, urllib.request
url = 'http://127.0.0.1:%s/api/v1/metrics' % sys.argv[1]
def count():   # a 404 is asked again: see metrics() in common.sh
    for attempt in range(300):
        try:
            return json.load(urllib.request.urlopen(url))['output']['b_out']['proc_records']
        except urllib.error.HTTPError as e:
            if e.code != 404 or attempt == 299:
                raise
            time.sleep(0.01)
first = count()
deadline = time.time() + 10
while True:
    n, t = count(), time.time()
    if n != first or t > deadline:
        print(n, t)
        break
    time.sleep(0.01)
PY
}

# section OUTPUT: the [OUTPUT] of pipeline a
section() {
  local keys
  case $1 in
    null) keys='    Name null\n' ;;
    c_sleep) keys='    Name c_sleep\n' ;;
    flb4j) keys="    Name stress_out\n    Wait ${WAIT_MS}ms\n" ;;
    flb4j_1) keys="    Name stress_out\n    Wait ${WAIT_MS}ms\n    flb4j.max_flushes 1\n" ;;
    flb4j_w1) keys="    Name stress_out\n    Wait ${WAIT_MS}ms\n    Workers 1\n" ;;
  esac
  printf '[OUTPUT]\n    Match a\n    Alias a_out\n%b' "$keys"
}

run() {
  local dir=$work/$1-$2 a b t0 t1 rc
  mkdir -p "$dir"
  printf '[PLUGINS]\n    Path %s\n    Path %s\n    Path %s\n' "$work/c_output.so" "$work/c_sleep.so" "$OUT_SO" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 1\n    Grace 5\n    HTTP_Server On\n    HTTP_Listen 127.0.0.1\n    HTTP_Port %s\n    Plugins_File %s\n' \
    "$PORT" "$dir/plugins.conf" > "$dir/fluent-bit.conf"
  printf '[INPUT]\n    Name dummy\n    Tag a\n    Rate %s\n[INPUT]\n    Name dummy\n    Tag b\n    Rate %s\n' "$RATE" "$RATE" >> "$dir/fluent-bit.conf"
  section "$1" >> "$dir/fluent-bit.conf"
  printf '[OUTPUT]\n    Name c_output\n    Match b\n    Alias b_out\n' >> "$dir/fluent-bit.conf"
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$!
  sleep 3
  read -r a t0 < <(after_flush)
  sleep "$SECONDS_RUN"
  read -r b t1 < <(after_flush)
  kill -TERM "$pid"; wait "$pid"; rc=$?
  python3 - "$1" "$2" "$a" "$b" "$t0" "$t1" "$rc" "$work/rows" "$SECONDS_RUN" <<'PY'
import sys
name, rnd, a, b, t0, t1, rc, rows, secs = sys.argv[1:]
n = (int(b) - int(a)) * float(secs) / (float(t1) - float(t0))
print('round %s  %-9s pipeline b delivered %6.0f events in %ss  exit %s' % (rnd, name, n, secs, rc))
with open(rows, 'a') as f:
    f.write('%s %f\n' % (name, n))
PY
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); dummy ${RATE}/s on each pipeline; flushes wait ${WAIT_MS} ms; ${SECONDS_RUN}s each, $ROUNDS rounds"
outputs=${OUTPUTS:-null c_sleep flb4j flb4j_1 flb4j_w1}
for round in $(seq 1 "$ROUNDS"); do
  for output in $outputs; do
    run "$output" "$round"
  done
done
python3 - "$work/rows" $outputs <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {name: statistics.median(float(r[1]) for r in rows if r[0] == name) for name in sys.argv[2:]}
print('median over the rounds (pipeline b, events delivered):')
for name, n in med.items():
    ratio = ' %.2fx null' % (n / med['null']) if 'null' in med and med['null'] else ''
    print('  %-9s %7.0f%s' % (name, n, ratio))
PY
