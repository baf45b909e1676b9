#!/usr/bin/env bash
# Builds every sample with the GraalVM engine selected, in a scratch copy of the repository (so
# the JVM-engine builds in target/ stay as they are), and checks what must hold on a machine
# without GraalVM: each sample's entry points are generated and compiled against the GraalVM
# SDK, and its package step then fails with the one "needs GraalVM's native-image" message.
# Where GraalVM is installed (GRAALVM_HOME), each sample must instead build its .so.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar --exclude=./target --exclude='./*/target' --exclude='./*/*/target' --exclude=./.git -cf - . | tar -xf - -C "$scratch"
cd "$scratch"

set +e
mvn -B -ntp -fae package -DskipTests -Dflb4j.engine=graal > build.log 2>&1
rc=$?
set -e

fail=0
for sample in samples/*/; do
  name=$(basename "$sample")
  entry=$(find "$sample/target/generated-sources/annotations" -name '*_Flb4jGraalEntryPoints.java' 2>/dev/null | head -1)
  compiled=$(find "$sample/target/classes" -name '*_Flb4jGraalEntryPoints.class' 2>/dev/null | head -1)
  if [ -z "$entry" ] || [ -z "$compiled" ]; then
    echo "FAIL $name: no generated entry points (source: ${entry:-none}, class: ${compiled:-none})"
    fail=1
    continue
  fi
  echo "ok   $name: ${entry#"$sample"} generated and compiled"
  if [ -n "$(ls "$sample"/target/*.so 2>/dev/null)" ]; then
    echo "ok   $name: $(ls "$sample"/target/*.so) built by the native-image found"
  fi
done

if [ "$rc" -ne 0 ]; then
  samples=$(ls -d samples/*/ | wc -l)
  messages=$(grep -c "on project flb4j-sample-.*needs GraalVM's native-image, and none was found" build.log || true)
  if [ "$messages" -ne "$samples" ]; then
    echo "FAIL: the build failed, but not with the missing-GraalVM message in each of the $samples samples ($messages):"
    tail -60 build.log
    exit 1
  fi
  echo "ok   each sample's package step stopped with the one message:"
  grep -m1 -o "flb4j: the GraalVM engine .*unset)\." build.log | sed 's/^/     /'
fi
exit "$fail"
