#!/usr/bin/env bash
# samples/jdbc-output (jdbc_java) in a real Fluent Bit against a real PostgreSQL, which this
# repository never builds or starts:
#   FLUENT_BIT=/path/to/fluent-bit PG_URL=jdbc:postgresql://127.0.0.1:5432/logs PG_USER=flb \
#     bash benchmarks/reliability/jdbc.sh [scenario ...]
# psql must reach the same database (PGHOST, PGPORT, PGUSER, PGDATABASE from PG_URL's parts:
# set them in the environment). Each scenario drops and recreates the table fluentbit_events.
# In one process: stress_in (Mode rate) into jdbc_java, and dummy at 1,000 events/s into
# stress_out, the pipeline a slow database must not stall. Scenarios (default: reload and lock):
#   reload  stress_in at 5,000 events/s, 3 SIGHUPs 3 s apart, then SIGTERM
#   lock    stress_in at 1,000 events/s; the table locked for 15 s by another session
#           (LOCK TABLE ... IN ACCESS EXCLUSIVE MODE), a SIGHUP during it; query_timeout 5,
#           Retry_Limit no_limits
#   outage  (not run by default) stress_in at 1,000 events/s; the database stopped for OUTAGE
#           seconds (default 10) with the shell commands PG_STOP and PG_START, e.g.
#           PG_STOP='pg_ctl -D /tmp/pgdata -m fast stop'; Retry_Limit no_limits
#   downstart  (not run by default) as outage, with the database stopped before Fluent Bit starts:
#           the sample's init cannot connect, throws RetryableException, and flb4j tries it again
#           until the database is back (before that change, Fluent Bit did not start)
# Every scenario runs with scheduler.base 1 and scheduler.cap 4, so that retries come back soon.
# Criterion: exit 0, no crash, at least one row per event Fluent Bit took (summed over the
# generations), and the dummy pipeline delivered.
# Build first: mvn -B -q install -DskipTests at the top, and samples/jdbc-output's package.
set -uo pipefail
cd "$(dirname "$0")"
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
PG_URL=${PG_URL:?set PG_URL to a JDBC URL of a PostgreSQL database you may write to}
JDBC_SO=$PWD/../../samples/jdbc-output/target/jdbc_java.so
IN_SO=$PWD/stress-input/target/stress_in.so
OUT_SO=$PWD/stress-output/target/stress_out.so
for so in "$JDBC_SO" "$IN_SO" "$OUT_SO"; do
  [ -f "$so" ] || { echo "missing $so: build it first (see the header)"; exit 2; }
done
work=$(mktemp -d)
passed=0
failed=0

# run NAME RATE SIGHUPS GAP OUTPUT_KEYS [LOCK_SECONDS] [OUTAGE_SECONDS] [DOWN_AT_START]
run() {
  local name=$1 rate=$2 hups=$3 gap=$4 keys=$5 lock=${6:-} outage=${7:-} down_at_start=${8:-} dir=$work/$1 pid rc took rows other crashes
  mkdir -p "$dir"
  psql -q -c "DROP TABLE IF EXISTS fluentbit_events" 2>/dev/null
  printf '[PLUGINS]\n    Path %s\n    Path %s\n    Path %s\n' "$JDBC_SO" "$IN_SO" "$OUT_SO" > "$dir/plugins.conf"
  printf '[SERVICE]\n    Flush 1\n    Grace 30\n    Log_Level info\n    scheduler.base 1\n    scheduler.cap 4\n    Plugins_File %s\n[INPUT]\n    Name stress_in\n    Tag db\n    Mode rate\n    Rate %s\n[INPUT]\n    Name dummy\n    Tag b\n    Rate 1000\n[OUTPUT]\n    Name jdbc_java\n    Match db\n    url %s\n    user %s\n%b[OUTPUT]\n    Name stress_out\n    Match b\n' \
    "$dir/plugins.conf" "$rate" "$PG_URL" "${PG_USER:-}" "$keys" > "$dir/fluent-bit.conf"
  [ -z "$down_at_start" ] || sh -c "$PG_STOP" > /dev/null 2>&1
  "$FLUENT_BIT" -c "$dir/fluent-bit.conf" --enable-hot-reload > "$dir/log" 2>&1 &
  pid=$!
  sleep 5
  if [ -n "$lock" ]; then
    psql -q -c "BEGIN; LOCK TABLE fluentbit_events IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($lock); COMMIT;" > /dev/null &
    sleep 5
  fi
  if [ -n "$outage" ]; then
    [ -n "$down_at_start" ] || sh -c "$PG_STOP" > /dev/null 2>&1
    sleep "$outage"
    sh -c "$PG_START" > /dev/null 2>&1
    sleep 15   # retries come back within scheduler.cap seconds once the database is up
  fi
  for _ in $(seq "$hups"); do kill -HUP "$pid"; sleep "$gap"; done
  wait_lock=$(jobs -p | grep -v "^$pid$" || true)
  [ -z "$wait_lock" ] || wait $wait_lock
  sleep 2
  kill -TERM "$pid"; wait "$pid"; rc=$?
  took=$(grep -oE 'Fluent Bit took [0-9]+' "$dir/log" | awk '{s+=$4} END {print s+0}')
  other=$(grep -oE 'received [0-9]+ events' "$dir/log" | awk '{s+=$2} END {print s+0}')
  rows=$(psql -tA -c "SELECT count(*) FROM fluentbit_events")
  crashes=$(grep -cE 'caught signal \((SIGSEGV|SIGFPE|SIGABRT|SIGBUS)\)|hs_err_pid|A fatal error has been detected' "$dir/log")
  local verdict=FAIL
  if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] && [ "$took" -gt 0 ] && [ "${rows:-0}" -ge "$took" ] && [ "$other" -gt 0 ]; then
    verdict=PASS; passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  echo "$verdict $name: exit $rc, taken $took, rows $rows, other pipeline $other events, reloads $(grep -c 'reloading instance pid' "$dir/log"), retried $(grep -c 'will be retried' "$dir/log"), crashes $crashes ($dir/log)"
}

echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(psql -tA -c 'SELECT version()' | cut -d, -f1); $(date -u +%Y-%m-%dT%H:%MZ)"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(reload lock)
for s in "${scenarios[@]}"; do
  case $s in
    reload) run reload 5000 3 3 '' ;;
    lock) run lock 1000 1 12 '    query_timeout 5\n    Retry_Limit no_limits\n' 15 ;;
    outage|downstart)
      if [ -z "${PG_STOP:-}" ] || [ -z "${PG_START:-}" ]; then
        echo "$s needs PG_STOP and PG_START: shell commands that stop and start the database"; exit 2
      fi
      run "$s" 1000 0 0 '    Retry_Limit no_limits\n' '' "${OUTAGE:-10}" "$([ "$s" = downstart ] && echo 1)" ;;
    *) echo "unknown scenario $s"; exit 2 ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
