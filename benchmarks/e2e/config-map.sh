#!/usr/bin/env bash
# What a real Fluent Bit knows of a flb4j plugin's keys, which this repository never builds:
#   FLUENT_BIT=/path/to/fluent-bit bash benchmarks/e2e/config-map.sh
# With samples/http-input (http_java) and samples/hello-input + samples/stdout-output: `-h`
# (the plugin's OPTIONS), `-J` (the plugin's options in the JSON), a misspelled key (Fluent
# Bit's own message, exit code), then hello into stdout_java with hot reload: two SIGHUPs,
# SIGTERM, exit code. On 5.1.1 the keys are known; before 5.1.1 Fluent Bit has no config_map
# for proxy plugins: -h lists none, the misspelled key is ignored, the rest runs as before.
# Needs: mvn -B -q install -DskipTests at the top first (the samples), python3.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
HTTP=$here/samples/http-input/target/http_java.so
HELLO=$here/samples/hello-input/target/hello.so
STDOUT=$here/samples/stdout-output/target/stdout_java.so
for so in "$HTTP" "$HELLO" "$STDOUT"; do
  [ -f "$so" ] || { echo "missing $so: run 'mvn -B -q install -DskipTests' at the top first"; exit 2; }
done
work=$(mktemp -d)
echo "$("$FLUENT_BIT" --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== fluent-bit -e http_java.so -i http_java -h (its OPTIONS)"
"$FLUENT_BIT" -e "$HTTP" -i http_java -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | sed -n '/^OPTIONS/,$p'
echo "== fluent-bit -e http_java.so -J: http_java's options"
"$FLUENT_BIT" -e "$HTTP" -J 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
mine = [p for p in d["inputs"] if p["name"] == "http_java"]
print("inputs named http_java:", len(mine))
for p in mine:
    for o in p["properties"].get("options", []):
        print("  %s (%s, default %s): %s" % (o["name"], o.get("type"), o.get("default"), o.get("description")))'
echo "== a misspelled key (http_prot)"
printf '[PLUGINS]\n    Path %s\n    Path %s\n    Path %s\n' "$HTTP" "$HELLO" "$STDOUT" > "$work/plugins.conf"
printf '[SERVICE]\n    Plugins_File %s\n[INPUT]\n    Name http_java\n    Tag t\n    http_prot 9999\n[OUTPUT]\n    Name null\n    Match *\n' \
  "$work/plugins.conf" > "$work/typo.conf"
timeout 30 "$FLUENT_BIT" -c "$work/typo.conf" > "$work/typo.log" 2>&1 &
pid=$!
sleep 5
kill -TERM "$pid" 2>/dev/null
wait "$pid"
echo "exit code $?"
grep -E "unknown configuration property|\[ help\]" "$work/typo.log"
echo "== hello into stdout_java, hot reload: two SIGHUPs 3 s apart, then SIGTERM"
printf '[SERVICE]\n    Flush 1\n    Grace 2\n    Plugins_File %s\n[INPUT]\n    Name hello\n    Tag hello\n[OUTPUT]\n    Name stdout_java\n    Match *\n' \
  "$work/plugins.conf" > "$work/run.conf"
"$FLUENT_BIT" -c "$work/run.conf" --enable-hot-reload > "$work/run.log" 2>&1 &
pid=$!
sleep 3
kill -HUP "$pid"; sleep 3
kill -HUP "$pid"; sleep 3
kill -TERM "$pid"
wait "$pid"
echo "exit code $?; reloads done: $(grep -c 'reloading instance pid' "$work/run.log"); events printed by stdout_java: $(grep -c '^hello' "$work/run.log"); error lines: $(grep -c '\[error\]' "$work/run.log")"
