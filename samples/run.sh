#!/usr/bin/env bash
# The main job: build every module and the sample plugins into .so files, then run them the way
# Fluent Bit does, through flb4j's C test host: the hello input's events are collected, then
# flushed into the stdout_java output, which prints them, and inserted by the jdbc_java output into
# an H2 database file; then the tail_java input reads a file, and stdout_java prints its lines.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q install -DskipTests

out=target/samples-run
mkdir -p "$out"
host=$(java -cp testkit/target/classes:runtime/target/classes:native/target/classes io.flb4j.testkit.TestHost "$out/host")

echo "== hello input (interval=200ms, foo=from-run.sh)"
"$host" input samples/hello-input/target/hello.so "$out/hello.bin" 250 10000 foo=from-run.sh interval=200ms

echo "== stdout_java output, flushing what the input produced"
"$host" output samples/stdout-output/target/stdout_java.so "$out/hello.bin" 1 1

echo "== jdbc_java output, inserting the same events into an H2 database file ($out/events.mv.db)"
rm -f "$out/events.mv.db"
"$host" output samples/jdbc-output/target/jdbc_java.so "$out/hello.bin" 1 1 "url=jdbc:h2:file:$PWD/$out/events"

echo "== tail_java input, reading a file from its start, then stdout_java printing its lines"
printf 'first line of app.log\nsecond line\nthird line\n' > "$out/app.log"
rm -f "$out/app.offset"
"$host" input samples/tail-input/target/tail_java.so "$out/tail.bin" 60 10000 "path=$PWD/$out/app.log" \
  "db=$PWD/$out/app.offset" read_from_head=on refresh_interval=50ms
"$host" output samples/stdout-output/target/stdout_java.so "$out/tail.bin" 1 1
echo "offset kept in $out/app.offset: $(cat "$out/app.offset")"
