#!/usr/bin/env bash
# Two real Fluent Bits, which this repository never builds: A sends, B receives.
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/reliability/http-chain.sh
# A: stress_in (Mode rate, RATE events/s) into samples/http-output (http_post_java, Retry_Limit
# no_limits), hot reload on, 3 SIGHUPs 3 s apart, then SIGTERM. B: samples/http-input (http_java)
# into stress_out, stopped 3 s after A. Pass: both exit 0, B received at least what A took.
# Build first: mvn -B -q install -DskipTests at the top, and the two samples' package.
set -uo pipefail
cd "$(dirname "$0")"
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
RATE=${RATE:-5000}
PORT=${PORT:-9881}
for so in ../../samples/http-output/target/http_post_java.so ../../samples/http-input/target/http_java.so \
          stress-input/target/stress_in.so stress-output/target/stress_out.so; do
  [ -f "$so" ] || { echo "missing $so: build it first (see the header)"; exit 2; }
done
d=$(mktemp -d)
printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$PWD/../../samples/http-output/target/http_post_java.so" "$PWD/stress-input/target/stress_in.so" > "$d/pa.conf"
printf '[PLUGINS]\n    Path %s\n    Path %s\n' "$PWD/../../samples/http-input/target/http_java.so" "$PWD/stress-output/target/stress_out.so" > "$d/pb.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 10\n    Log_Level info\n    Plugins_File %s\n[INPUT]\n    Name stress_in\n    Tag a\n    Mode rate\n    Rate %s\n[OUTPUT]\n    Name http_post_java\n    Match *\n    url http://127.0.0.1:%s/\n    Retry_Limit no_limits\n' "$d/pa.conf" "$RATE" "$PORT" > "$d/a.conf"
printf '[SERVICE]\n    Flush 1\n    Grace 5\n    Log_Level info\n    Plugins_File %s\n[INPUT]\n    Name http_java\n    Tag b\n    http_listen 127.0.0.1\n    http_port %s\n[OUTPUT]\n    Name stress_out\n    Match *\n' "$d/pb.conf" "$PORT" > "$d/b.conf"
echo "Fluent Bit: $("$FLUENT_BIT" --version 2>/dev/null | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $RATE events/s"
"$FLUENT_BIT" -c "$d/b.conf" > "$d/b.log" 2>&1 &
pb=$!
sleep 2
"$FLUENT_BIT" -c "$d/a.conf" --enable-hot-reload > "$d/a.log" 2>&1 &
pa=$!
sleep 5
for _ in 1 2 3; do kill -HUP "$pa"; sleep 3; done
sleep 2
kill -TERM "$pa"; wait "$pa"; ra=$?
sleep 3
kill -TERM "$pb"; wait "$pb"; rb=$?
took=$(grep -oE 'Fluent Bit took [0-9]+' "$d/a.log" | awk '{s+=$4} END {print s+0}')
got=$(grep -oE 'received [0-9]+ events' "$d/b.log" | awk '{s+=$2} END {print s+0}')
verdict=FAIL
[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] && [ "$took" -gt 0 ] && [ "$got" -ge "$took" ] && verdict=PASS
echo "$verdict: A exit $ra, reloads $(grep -c 'reloading instance pid' "$d/a.log"), took $took; B exit $rb, received $got; leak warnings $(grep -c 'was not unloaded' "$d/a.log") ($d)"
[ "$verdict" = PASS ]
