#!/usr/bin/env bash
# Reliability checks of flb4j plugins inside a real Fluent Bit, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/reliability/run.sh [scenario ...]
# The Fluent Bit must be built with -DFLB_PROXY_GO=On. Scenarios (default: all of them):
#   reload   a busy input and a busy output, hot reload on, RELOADS SIGHUPs GAP seconds apart
#            (Fluent Bit refuses a SIGHUP that comes while a reload is under way; counted as refused)
#   sigcont  the same load, SIGCONTS SIGCONTs (Fluent Bit's dump request) half a second apart
#   sigterm  SIGTERM with data in flight
#   two      two instances of each flb4j plugin in one process, plus a reload
#   throw    an input and an output that throw from every callback they have
#   big      10 MB records through input and output (flb4j.chunk_limit raised to 16M)
#   slowreload  an input at 1,000 events/s into an output whose flushes wait 2.5 s (several in
#            flight), 3 SIGHUPs 3 s apart, then SIGTERM: every event Fluent Bit took is received
#   hung     an output whose flush waits 60 s, flb4j.flush_timeout 3s: the deadline answers
#            RETRY, a SIGHUP reload completes, SIGTERM exits
# RUNS repeats each scenario. Criterion: no crash, exit code 0, the plugins' counts printed.
# OUTPUT_KEYS adds lines to every stress_out section, e.g. OUTPUT_KEYS='    Workers 1\n' (Fluent Bit
# starts a proxy output's Workers pool twice; flb4j stops the forgotten one at the instance's exit).
# The plugins are benchmarks/reliability/stress-{input,output}; build them first with
#   mvn -B -q install -DskipTests
set -uo pipefail
cd "$(dirname "$0")"
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
RELOADS=${RELOADS:-20}
GAP=${GAP:-3}
SIGCONTS=${SIGCONTS:-20}
RUNS=${RUNS:-1}
IN_SO=$PWD/stress-input/target/stress_in.so
OUT_SO=$PWD/stress-output/target/stress_out.so
for so in "$IN_SO" "$OUT_SO"; do
  [ -f "$so" ] || { echo "missing $so: run 'mvn -B -q install -DskipTests' at the repository's top first"; exit 2; }
done
work=$(mktemp -d)
passed=0
failed=0

# config INPUT_SECTIONS OUTPUT_SECTIONS [GRACE]: writes fluent-bit.conf and plugins.conf into $dir
config() {
  local outputs=$2 named='Name stress_out\n'
  outputs=${outputs//"$named"/"$named${OUTPUT_KEYS:-}"}
  printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$IN_SO" "$OUT_SO" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 1\n    Grace %s\n    Log_Level info\n    Plugins_File %s\n%b%b' \
    "${3:-2}" "$dir/plugins.conf" "$1" "$outputs" > "$dir/fluent-bit.conf"
}

busy_in='[INPUT]\n    Name stress_in\n    Tag stress\n    Mem_Buf_Limit 50M\n'
count_out='[OUTPUT]\n    Name stress_out\n    Match *\n'

start() {
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" --enable-hot-reload > "$dir/log" 2>&1 &
  pid=$!
  sleep 3
}

# finish NAME: SIGTERM, wait, judge, print one summary line
finish() {
  local name=$1 rc crashes reloads refused
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  crashes=$(grep -cE 'caught signal \((SIGSEGV|SIGFPE|SIGABRT|SIGBUS)\)|hs_err_pid|A fatal error has been detected' "$dir/log")
  reloads=$(grep -cE 'reloading instance pid' "$dir/log")
  refused=$(grep -cE 'reloading in progress' "$dir/log")
  local emitted taken received largest
  emitted=$(grep -oE 'emitted [0-9]+ events' "$dir/log" | awk '{s+=$2} END {print s+0}')
  taken=$(grep -oE 'Fluent Bit took [0-9]+' "$dir/log" | awk '{s+=$4} END {print s+0}')
  received=$(grep -oE 'received [0-9]+ events' "$dir/log" | awk '{s+=$2} END {print s+0}')
  largest=$(grep -oE 'largest payload [0-9]+' "$dir/log" | awk '{if ($3>m) m=$3} END {print m+0}')
  local verdict=pass
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || ! extra_check; then verdict=FAIL; fi
  [ "$verdict" = pass ] && passed=$((passed + 1)) || failed=$((failed + 1))
  printf '%-8s run %d: %s exit=%d crashes=%d reloads=%d refused=%d emitted=%d taken=%d received=%d largest=%d (log %s)\n' \
    "$name" "$run" "$verdict" "$rc" "$crashes" "$reloads" "$refused" "$emitted" "$taken" "$received" "$largest" \
    "$dir/log"
}

extra_check() { return 0; }

scenario_reload() {
  config "$busy_in" "$count_out"; start
  local rss=""
  for _ in $(seq "$RELOADS"); do
    kill -HUP "$pid"; sleep "$GAP"
    rss="$rss $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")"
  done
  sleep 2
  echo "reload   run $run: RSS in MB after each SIGHUP:$rss"
  # Every SIGHUP either reloads or is refused by Fluent Bit itself while a reload is under way.
  extra_check() { [ $(($(grep -cE 'reloading instance pid' "$dir/log") + $(grep -cE 'reloading in progress' "$dir/log"))) -eq "$RELOADS" ]; }
  finish reload
}

scenario_sigcont() {
  config "$busy_in" "$count_out"; start
  for _ in $(seq "$SIGCONTS"); do kill -CONT "$pid"; sleep 0.5; done
  extra_check() { grep -q 'received [1-9]' "$dir/log"; }
  finish sigcont
}

scenario_sigterm() {
  config "$busy_in" "$count_out"; start
  sleep 2
  extra_check() { grep -q 'received [1-9]' "$dir/log"; }
  finish sigterm
}

scenario_two() {
  config "$busy_in$busy_in" "$count_out$count_out"; start
  sleep 2; kill -HUP "$pid"; sleep 4
  extra_check() { [ "$(grep -cE 'stress_out stress_out\.1: received' "$dir/log")" -ge 1 ]; }
  finish two
}

scenario_throw() {
  config '[INPUT]\n    Name stress_in\n    Tag thrown\n    Mode throw\n[INPUT]\n    Name dummy\n    Tag dummy\n' \
    '[OUTPUT]\n    Name stress_out\n    Match *\n    Mode throw\n    Retry_Limit 1\n'
  start
  sleep 4
  extra_check() { grep -q 'throws from flush' "$dir/log" && grep -q 'throws from collect' "$dir/log"; }
  finish throw
}

scenario_big() {
  # flb4j refuses at emit, with one error line, an event larger than flb4j.chunk_limit (2M by default).
  config '[INPUT]\n    Name stress_in\n    Tag big\n    Mode big\n    Record_Size 10M\n    flb4j.chunk_limit 16M\n    flb4j.buffer_limit 64M\n' \
    "$count_out"
  start
  sleep 4
  extra_check() { grep -qE 'largest payload 1[0-9]{7}' "$dir/log"; }
  finish big
}

scenario_slowreload() {
  config '[INPUT]\n    Name stress_in\n    Tag slow\n    Mode rate\n    Rate 1000\n' \
    '[OUTPUT]\n    Name stress_out\n    Match *\n    Wait 2500ms\n' 10
  start
  for _ in 1 2 3; do kill -HUP "$pid"; sleep 3; done
  # At least once: what Fluent Bit took from the input, over every generation, was received.
  extra_check() {
    local t r
    t=$(grep -oE 'Fluent Bit took [0-9]+' "$dir/log" | awk '{s+=$4} END {print s+0}')
    r=$(grep -oE 'received [0-9]+ events' "$dir/log" | awk '{s+=$2} END {print s+0}')
    [ "$t" -gt 0 ] && [ "$r" -ge "$t" ] && [ $(($(grep -cE "reloading instance pid" "$dir/log") + $(grep -cE "reloading in progress" "$dir/log"))) -eq 3 ]
  }
  finish slowreload
}

scenario_hung() {
  config '[INPUT]\n    Name dummy\n    Tag hung\n' \
    '[OUTPUT]\n    Name stress_out\n    Match *\n    Wait 60s\n    flb4j.flush_timeout 3s\n'
  start
  sleep 3
  kill -HUP "$pid"; sleep 8
  extra_check() {
    grep -q 'did not finish within PT3S (flb4j.flush_timeout); answered RETRY' "$dir/log" \
      && [ "$(grep -cE 'reloading instance pid' "$dir/log")" -eq 1 ]
  }
  finish hung
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(reload sigcont sigterm two throw big slowreload hung)
echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
for s in "${scenarios[@]}"; do
  for run in $(seq "$RUNS"); do
    dir="$work/$s-$run"
    mkdir -p "$dir"
    extra_check() { return 0; }
    "scenario_$s"
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
