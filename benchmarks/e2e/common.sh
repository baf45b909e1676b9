# Sourced by the output scripts (output.sh, stall.sh, concurrency.sh): the Fluent Bit to run,
# flb4j's stress output, a work folder, and the C proxy output built from c_output.c.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
OUT_SO=$here/../reliability/stress-output/target/stress_out.so
[ -f "$OUT_SO" ] || { echo "missing $OUT_SO: run 'mvn -B -q install -DskipTests' at the repository's top first"; exit 2; }
work=$(mktemp -d)

# c_output OUT.so [cc flags]: c_output.c built against the ABI header
c_output() {
  local out=$1
  shift
  cc -O2 -Wall -shared -fPIC -I "$here/../../native/src/main/c" "$@" "$here/c_output.c" -o "$out" || exit 2
}
