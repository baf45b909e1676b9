#!/usr/bin/env bash
# Hot reloads with plugins whose libraries hold class loaders, in a real Fluent Bit, which this
# repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/reliability/reload-leaks.sh
# One process, dummy (Rate 10) into two flb4j outputs from the testkit's test plugins:
#   patterns_out  testkit/src/test/plugins/LibraryPatternsOutput.java: a JDBC driver registered
#                 through DriverManager, a library thread started by a static initializer (ends
#                 after 30 s idle, or when interrupted with nothing to do), a per-thread cache
#                 holding one of its objects, filled on the flush thread
#   leaky_out     LeakyOutput.java: a thread started in init that ignores interrupts (leaks on purpose)
# PLUGINS picks them (default both). RELOADS SIGHUPs GAP seconds apart, then SIGTERM. Prints RSS after each reload, then the counts
# of leak warnings per plugin, of "unloading class" lines per plugin (-Xlog:class+unload), and
# the exit code. The .so files come from the testkit's tests: run
#   mvn -B -q install -DskipTests && (cd testkit && mvn -B -q test -Dtest=SharedObjectTest)
# at the top first (they are left in testkit/target/native-test/).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
RELOADS=${RELOADS:-25}
GAP=${GAP:-3}
PLUGINS=${PLUGINS:-patterns_out leaky_out}
SOS=${SOS:-$here/../../testkit/target/native-test}
work=$(mktemp -d)
echo '[PLUGINS]' > "$work/plugins.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 2\n    Log_Level info\n    Plugins_File %s\n[INPUT]\n    Name dummy\n    Tag t\n    Rate 10\n' \
  "$work/plugins.conf" > "$work/fluent-bit.conf"
for so in $PLUGINS; do
  [ -f "$SOS/$so.so" ] || { echo "missing $SOS/$so.so: see the top of this script"; exit 2; }
  printf '    Path %s\n' "$SOS/$so.so" >> "$work/plugins.conf"
  printf '[OUTPUT]\n    Name %s\n    Match *\n' "$so" >> "$work/fluent-bit.conf"
done
echo "$("$FLUENT_BIT" --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ): outputs $PLUGINS; $RELOADS SIGHUPs $GAP s apart, then SIGTERM"
FLB4J_JVM_OPTIONS="-Xlog:class+unload=info" "$FLUENT_BIT" -c "$work/fluent-bit.conf" --enable-hot-reload > "$work/log" 2>&1 &
pid=$!
sleep 3
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
echo "RSS before the first reload: $(rss) MB"
line="RSS in MB after each reload:"
for i in $(seq 1 "$RELOADS"); do
  kill -HUP "$pid"
  sleep "$GAP"
  line="$line $(rss)"
done
echo "$line"
sleep 2
kill -TERM "$pid"
wait "$pid"
rc=$?
log=$work/log
count() { grep -c -- "$1" "$log"; }
echo "reloads done: $(count 'reloading instance pid')"
echo "patterns_out: 'connected' $(count 'patterns_out#1\] connected'); threads interrupted and ended $(count 'patterns_out\] the generation.s threads \[patterns-cleaner\]'); leak warnings $(count 'patterns_out\] generation .* not unloaded'); generations with LibraryPatternsOutput\$Recycler unloaded $(count 'unloading class io.flb4j.testplugins.LibraryPatternsOutput\$Recycler')"
echo "leaky_out: leak warnings $(count 'leaky_out\] generation .* not unloaded'); LeakyOutput unloaded $(count 'unloading class io.flb4j.testplugins.LeakyOutput ')"
grep -m1 'leaky_out\] generation .* not unloaded' "$log" | cut -c1-400
echo "error lines: $(grep -c '\[error\]' "$log"); exit $rc"
echo "log: $log"
