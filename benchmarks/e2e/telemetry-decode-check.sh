#!/usr/bin/env bash
# Fluent Bit's own cmetrics and ctraces decoders, from a Fluent Bit build made outside this
# repository, read what flb4j's TelemetryEncoder writes:
#   FLB_SRC=/path/to/fluent-bit-source FLB_BUILD=/path/to/its-build-dir bash benchmarks/e2e/telemetry-decode-check.sh
# telemetry_check.c is linked against the build's static libcmetrics, libctraces, libcfl and
# libmpack; it decodes every context of a file and prints it with the library's own text encoder. The files come from the runtime's tests (TelemetryEncoderTest):
#   mvn -B -q install -pl runtime -am   (then runtime/target/*-encoded.msgpack exist)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
FLB_SRC=${FLB_SRC:?set FLB_SRC to the Fluent Bit source tree the build came from}
FLB_BUILD=${FLB_BUILD:?set FLB_BUILD to a Fluent Bit build directory (holding library/)}
work=$(mktemp -d)
lib() { find "$FLB_BUILD" -name "$1" | head -1; }
inc=(-I"$FLB_SRC/lib/cmetrics/include" -I"$FLB_SRC/lib/ctraces/include" -I"$FLB_SRC/lib/cfl/include"
     -I"$FLB_SRC/lib/cfl/lib/xxhash" -I"$FLB_BUILD/lib/cmetrics/include" -I"$FLB_BUILD/lib/ctraces/include"
     -I"$FLB_BUILD/lib/cfl/include")
for m in "$FLB_SRC"/lib/mpack-amalgamation-*/src "$FLB_SRC"/lib/ctraces/lib/mpack/src; do [ -d "$m" ] && inc+=(-I"$m"); done
libs=("$(lib 'libcmetrics.a')" "$(lib 'libctraces.a')" "$(lib 'libcfl.a')" "$(lib 'libmpack-static.a')" -lm -lpthread)
cc -o "$work/telemetry_check" "$here/telemetry_check.c" "${inc[@]}" "${libs[@]}"
echo "== cmetrics: $top/runtime/target/telemetry-encoded.msgpack"
"$work/telemetry_check" metrics "$top/runtime/target/telemetry-encoded.msgpack"
echo "== ctraces: $top/runtime/target/traces-encoded.msgpack"
"$work/telemetry_check" traces "$top/runtime/target/traces-encoded.msgpack"
