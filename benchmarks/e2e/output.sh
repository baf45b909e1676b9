#!/usr/bin/env bash
# End-to-end output benchmark against a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/output.sh
# In one run, on this machine, each output alone behind Fluent Bit's dummy input asked for
# RATE x COPIES events/s of a 145-byte, 5-field record, for SECONDS_RUN after a warm-up:
#   null        Fluent Bit's own null output (decodes nothing: the pipeline's own ceiling)
#   c_output    c_output.c, a C proxy output that walks every value of every event (the ceiling)
#   stress_out  the flb4j output benchmarks/reliability/stress-output (count mode: e.record()
#               per event, decoded to a Map, and one field read)
#   stress_blocking  the same flb4j output with FLB4J_FLUSH_YIELD=off: its flushes hold Fluent
#               Bit's thread as the C output's do (not run by default; OUTPUTS='c_output
#               stress_out stress_blocking' adds it). It splits stress_out's peak RSS above C into
#               the JVM's own part and the chunks Fluent Bit holds while yielded flushes run
#   stress_untrimmed  the same flb4j output with FLB4J_TRIM=off: the JDK's file pages mapped at
#               start stay in Fluent Bit's RSS (not run by default; add it to OUTPUTS)
#   stress_fault_around  the same flb4j output with FLB4J_FAULT_AROUND=on: the kernel maps the
#               JDK's code 64 KB around each fault, as before session 25 (not run by default)
# For each: events/s the output took (Fluent Bit's proc_records), Fluent Bit's CPU seconds in
# that window, peak RSS; in the first round also its RSS when idle (dummy at 1 event/s,
# IDLE_SECONDS in). The dummy input's own rate varies by a third from run to run on a 2-core
# machine, so the outputs take turns for ROUNDS rounds and the last lines give each one's
# median and the ratios of the medians, then each round's ratio and peak difference.
# OUTPUT_KEYS adds lines to every [OUTPUT] section, e.g. OUTPUT_KEYS='    Workers 1\n'.
# Needs: mvn -B -q install -DskipTests at the top first (the stress plugins), cc, curl, python3.
set -uo pipefail
source "$(dirname "$0")/common.sh"
SECONDS_RUN=${SECONDS_RUN:-10}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-2000}
COPIES=${COPIES:-1000}
IDLE_SECONDS=${IDLE_SECONDS:-15}
PORT=${PORT:-2030}
c_output "$work/c_output.so"
# 145 bytes of msgpack per record once Fluent Bit has packed it
record='{"seq":1234567,"source":"dummy.0","level":"info","message":"an event of the output benchmark, about one hundred bytes long in all","bytes":145}'

records() {
  metrics | python3 -c \
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

# run OUTPUT ROUND: one row, also appended to $work/rows as "output events/s cpu peak idle"
run() {
  local dir=$work/$1-$2 idle=$work/$1-idle
  local plugin=$1 yield=on trim=${FLB4J_TRIM:-} around=${FLB4J_FAULT_AROUND:-}
  if [ "$1" = stress_blocking ]; then plugin=stress_out yield=off; fi
  if [ "$1" = stress_untrimmed ]; then plugin=stress_out trim=off; fi
  if [ "$1" = stress_fault_around ]; then plugin=stress_out around=on; fi
  mkdir -p "$dir" "$idle"
  config "$dir" "$plugin" "$RATE" "$COPIES"
  FLB4J_TRIM=$trim FLB4J_FAULT_AROUND=$around FLB4J_FLUSH_YIELD=$yield "$FLUENT_BIT" -c "$dir/fluent-bit.conf" > "$dir/log" 2>&1 &
  local pid=$! a b t0 t1 c0 c1 rss rc idle_rss=-1
  sleep 4
  a=$(records); c0=$(cpu_seconds "$pid"); t0=$(date +%s.%N)
  sleep "$SECONDS_RUN"
  b=$(records); c1=$(cpu_seconds "$pid"); t1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid"; rc=$?
  if [ "$2" = 1 ]; then
    config "$idle" "$plugin" 1 1
    FLB4J_TRIM=$trim FLB4J_FAULT_AROUND=$around FLB4J_FLUSH_YIELD=$yield "$FLUENT_BIT" -c "$idle/fluent-bit.conf" > "$idle/log" 2>&1 &
    pid=$!
    sleep "$IDLE_SECONDS"
    idle_rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    kill -TERM "$pid"; wait "$pid"
  fi
  python3 - "$1" "$2" "$a" "$b" "$t0" "$t1" "$c0" "$c1" "$rss" "$idle_rss" "$rc" "$work/rows" <<'PY'
import sys
name, rnd, a, b, t0, t1, c0, c1, rss, idle, rc, rows = sys.argv[1:]
eps = (float(b) - float(a)) / (float(t1) - float(t0))
cpu = float(c1) - float(c0)
idle_text = '' if idle == '-1' else '  idle RSS %4d MB' % int(idle)
print('round %s  %-15s %10.0f events/s  %5.1f CPU s  peak RSS %4d MB%s  exit %s' % (rnd, name, eps, cpu, int(rss), idle_text, rc))
with open(rows, 'a') as f:
    f.write('%s %f %f %d %s\n' % (name, eps, cpu, int(rss), idle))
PY
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); dummy ${RATE}x${COPIES}/s; ${SECONDS_RUN}s each, $ROUNDS rounds"
outputs=${OUTPUTS:-null c_output stress_out}
for round in $(seq 1 "$ROUNDS"); do
  for output in $outputs; do
    run "$output" "$round"
  done
done
python3 - "$work/rows" $outputs <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
print('median over the rounds:')
for name in sys.argv[2:]:
    mine = [r for r in rows if r[0] == name]
    eps = statistics.median(float(r[1]) for r in mine)
    cpu = statistics.median(float(r[2]) for r in mine)
    rss = statistics.median(int(r[3]) for r in mine)
    idle = [int(r[4]) for r in mine if r[4] != '-1'][0]
    med[name] = (eps, rss, idle)
    print('  %-15s %10.0f events/s  %5.1f CPU s  peak RSS %4d MB  idle RSS %4d MB' % (name, eps, cpu, rss, idle))
for flb4j in ('stress_out', 'stress_blocking', 'stress_untrimmed', 'stress_fault_around'):
    if 'c_output' in med and flb4j in med:
        c, j = med['c_output'], med[flb4j]
        print('%s / c_output: %.2fx events/s, peak RSS %+d MB, idle RSS %+d MB' % (flb4j, j[0] / c[0], j[1] - c[1], j[2] - c[2]))
        # Each round's pair ran back to back: how far apart the rounds are says how much the medians can be trusted.
        cs = [r for r in rows if r[0] == 'c_output']
        js = [r for r in rows if r[0] == flb4j]
        print('  per round: %s' % ', '.join('%.2fx %+d MB' % (float(jr[1]) / float(cr[1]), int(jr[3]) - int(cr[3]))
                                           for cr, jr in zip(cs, js)))
PY
