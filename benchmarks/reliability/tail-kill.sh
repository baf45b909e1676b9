#!/usr/bin/env bash
# samples/tail-input (tail_java) in a real Fluent Bit, killed with SIGKILL while a writer appends
# to the file it tails, then started again; this repository never builds Fluent Bit:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/reliability/tail-kill.sh
# A writer appends LINES lines ("L1", "L2", ...) at RATE lines/s. Fluent Bit (storage.type
# filesystem on the input, db for tail_java's offset, Fluent Bit's file output) runs UP seconds and
# is killed, KILLS times; then it runs until the writer is done and FINAL seconds more, and stops
# with SIGTERM. Pass: every line written is in the output at least once, and the last exit is 0.
# Build first: mvn -B -q install -DskipTests at the top, and samples/tail-input's package.
set -uo pipefail
cd "$(dirname "$0")"
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
SO=$PWD/../../samples/tail-input/target/tail_java.so
[ -f "$SO" ] || { echo "missing $SO: build it first (see the header)"; exit 2; }
LINES=${LINES:-300000}
RATE=${RATE:-30000}
KILLS=${KILLS:-3}
UP=${UP:-3}
FINAL=${FINAL:-8}
work=$(mktemp -d)
mkdir -p "$work/storage" "$work/out"
printf '[PLUGINS]\n    Path %s\n' "$SO" > "$work/plugins.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 5\n    Log_Level info\n    Plugins_File %s\n    storage.path %s\n[INPUT]\n    Name tail_java\n    Tag tail\n    path %s\n    db %s\n    read_from_head on\n    storage.type filesystem\n[OUTPUT]\n    Name file\n    Match *\n    Path %s\n    File out.log\n    Format plain\n' \
  "$work/plugins.conf" "$work/storage" "$work/in.log" "$work/offset" "$work/out" > "$work/fluent-bit.conf"

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $LINES lines at $RATE/s, $KILLS kills after ${UP}s each"
python3 - "$work/in.log" "$LINES" "$RATE" <<'PY' &
import sys, time
path, total, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'a') as f:
    n = 0; t0 = time.time()
    while n < total:
        for _ in range(max(1, rate // 100)):
            n += 1
            f.write('L%d\n' % n)
            if n >= total:
                break
        f.flush()
        time.sleep(max(0, t0 + n / rate - time.time()))
PY
writer=$!
for k in $(seq "$KILLS"); do
  "$FLUENT_BIT" -c "$work/fluent-bit.conf" >> "$work/log" 2>&1 &
  pid=$!
  sleep "$UP"
  kill -KILL "$pid"; wait "$pid" 2>/dev/null
  echo "kill $k: offset kept $(cut -d' ' -f2 "$work/offset" 2>/dev/null), lines out $(wc -l < "$work/out/out.log" 2>/dev/null || echo 0)"
done
wait "$writer"
"$FLUENT_BIT" -c "$work/fluent-bit.conf" >> "$work/log" 2>&1 &
pid=$!
sleep "$FINAL"
kill -TERM "$pid"; wait "$pid"; rc=$?
python3 - "$work/out/out.log" "$LINES" "$rc" "$work/log" <<'PY'
import re, sys
out, total, rc, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seen = set(); count = 0
for line in open(out, errors='replace'):
    # A Fluent Bit killed while its file output wrote leaves a line cut short, and the next one
    # appends its first line after it: every event on a line counts.
    for m in re.finditer(r'"log":"L(\d+)"', line):
        seen.add(int(m.group(1))); count += 1
missing = [i for i in range(1, total + 1) if i not in seen]
crashes = len(re.findall(r'caught signal \((SIGSEGV|SIGFPE|SIGABRT|SIGBUS)\)|hs_err_pid|A fatal error has been detected', open(log, errors='replace').read()))
ok = not missing and rc == 0 and crashes == 0
print('%s: %d lines out, %d distinct of %d written, %d missing %s, last exit %d, crashes %d (%s)' % (
    'PASS' if ok else 'FAIL', count, len(seen), total, len(missing), missing[:5], rc, crashes, log))
sys.exit(0 if ok else 1)
PY
