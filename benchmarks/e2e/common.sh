# Sourced by the output scripts (output.sh, stall.sh, concurrency.sh): the Fluent Bit to run,
# flb4j's stress output, a work folder, and the C proxy output built from c_output.c.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
FLUENT_BIT=${FLUENT_BIT:?set FLUENT_BIT to a fluent-bit executable built with -DFLB_PROXY_GO=On}
OUT_SO=$here/../reliability/stress-output/target/stress_out.so
[ -f "$OUT_SO" ] || { echo "missing $OUT_SO: run 'mvn -B -q install -DskipTests' at the repository's top first"; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/quiet.sh"
work=$(mktemp -d)

# c_output OUT.so [cc flags]: c_output.c built against the ABI header
c_output() {
  local out=$1
  shift
  cc -O2 -Wall -shared -fPIC -I "$here/../../native/src/main/c" "$@" "$here/c_output.c" -o "$out" || exit 2
}

# metrics: Fluent Bit's /api/v1/metrics JSON on $PORT. Fluent Bit answers 404 for up to a second
# when its once-a-second update met a request in progress (5.1.1 drops that update and clears the
# last one: flb_hs_buf_set in src/http_server/flb_hs.c), so a 404 is asked again, for 3 s at most.
metrics() {
  local i
  for i in $(seq 30); do
    curl -sf "127.0.0.1:$PORT/api/v1/metrics" && return 0
    sleep 0.1
  done
  return 1
}
