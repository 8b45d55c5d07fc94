#!/usr/bin/env bash
# First starts alternated, for docs/performance.md: each binary in turn starts
# on the same imported data directory with its search index deleted, so that
# it builds the index; prints the build's rate (the "search index built" log
# line) and the process's peak RSS once the index is merged and the collector
# set for serving, then stops it.
#
#   sportello generate -n 100000 /tmp/c.json && SPORTELLO_DATA_DIR=/tmp/fs/data sportello import /tmp/c.json
#   docs/perf/firststart.sh /tmp/fs/data 3 /tmp/before.bin /tmp/after.bin
set -euo pipefail
data=${1:?usage: firststart.sh DATA_DIR ROUNDS BINARY...}
rounds=${2:?usage: firststart.sh DATA_DIR ROUNDS BINARY...}
shift 2
port=${PORT:-18480}
log=$(mktemp /tmp/sportello-firststart.XXXXXX)
export SPORTELLO_DATA_DIR="$data" SPORTELLO_ADDR="127.0.0.1:$port" SPORTELLO_BASE_URL="http://127.0.0.1:$port" SPORTELLO_LOG_LEVEL=info
for round in $(seq "$rounds"); do
  for bin in "$@"; do
    rm -rf "$data/index"
    "$bin" >"$log" 2>&1 &
    pid=$!
    until grep -q '"msg":"memory set for serving"' "$log"; do
      kill -0 "$pid" 2>/dev/null || { echo "$bin exited:" >&2; cat "$log" >&2; exit 1; }
      sleep 0.2
    done
    rate=$(grep -o '"docs_per_sec":[0-9]*' "$log" | cut -d: -f2)
    peak=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "round $round $(basename "$bin"): ${rate} docs/s, peak RSS ${peak} MB, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
rm -f "$log"
