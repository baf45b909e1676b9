# Sourced by the benchmarks that compare rates or latencies measured seconds apart (through
# common.sh: output.sh, stall.sh, concurrency.sh, metrics-rate.sh; and run.sh, http.sh,
# http-latency.sh). Another busy process on the machine (a Fluent Bit left running by an
# interrupted run, a build) skews such figures without leaving a trace in them: in session 23 a
# Fluent Bit its own shell had left in the background used 80 % of a CPU through a round of
# measurements before anyone noticed. So the machine's CPU is measured for one second before the
# first run, and the benchmark stops, naming the busiest processes, when others use more than a
# quarter of a CPU. BUSY_OK=1 runs anyway.
quiet_machine() {
  [ "${BUSY_OK:-}" = 1 ] && return 0
  local a b hz busy
  a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)
  hz=$(getconf CLK_TCK)
  busy=$(( (b - a) * 100 / hz ))
  if [ "$busy" -gt 25 ]; then
    echo "the machine is busy before the benchmark starts: ${busy} % of a CPU used in the last second by other" \
         "processes, which would skew every figure. The busiest (lifetime %CPU):"
    ps -eo pid,pcpu,etime,args --sort=-pcpu | head -4 | cut -c1-160
    echo "stop them, or set BUSY_OK=1 to run anyway"
    exit 2
  fi
}
quiet_machine
