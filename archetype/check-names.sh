#!/usr/bin/env bash
# The archetype refuses a bad kind or pluginName in batch mode and leaves nothing behind, and
# takes a name with dashes (Maven's archetype plugin skips validationRegex in batch mode; the
# post-generate script checks). Needs the archetype installed (mvn install at the top); .ci/run
# calls it after the tests.
set -uo pipefail
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$(dirname "$0")/pom.xml" | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
generate() {   # ARTIFACT_ID PROPERTY=VALUE...
  local id=$1
  shift
  mvn -B -ntp org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate -DarchetypeGroupId=io.flb4j \
    -DarchetypeArtifactId=flb4j-archetype -DarchetypeVersion="$version" -DarchetypeCatalog=local -DgroupId=com.example \
    -DartifactId="$id" -Dpackage=com.example "${@/#/-D}" > "$id.log" 2>&1
}
failed=0
refuse() {   # ARTIFACT_ID EXPECTED_MESSAGE PROPERTY=VALUE...
  local id=$1 expected=$2
  shift 2
  if generate "$id" "$@"; then
    echo "FAIL: $* was accepted"; failed=1
  elif ! grep -qF "$expected" "$id.log"; then
    echo "FAIL: $* refused without '$expected':"; grep ERROR "$id.log" | head -3; failed=1
  elif [ -e "$id" ]; then
    echo "FAIL: $* left $id behind"; failed=1
  else
    echo "ok: $* refused: $expected"
  fi
}
refuse bad-name "pluginName 'My.Plugin' is not a Fluent Bit plugin name" pluginName=My.Plugin
refuse bad-kind "kind 'filter' must be output, input or custom" kind=filter pluginName=my_filter
if generate dashed pluginName=java-test-output && grep -q 'name = "java-test-output"' -r dashed/src/main/java; then
  echo "ok: pluginName=java-test-output generated"
else
  echo "FAIL: pluginName=java-test-output"; tail -5 dashed.log; failed=1
fi
rm -rf "$work"
exit $failed
