#!/usr/bin/env bash
# A/B runs for docs/performance.md: two or more builds of Sportello, alternated
# on one imported synthetic catalogue, so that a change is compared with what
# it replaced in the same minutes of a shared machine. Each round starts each
# binary in turn on the same data directory (an index the binary cannot use is
# rebuilt first, and its build rate printed), replays the load run's paths with wrk (2 threads, 16
# connections) and prints p99 latency, requests a second and the server's RSS.
#
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && go build -o /tmp/before.bin ./cmd/sportello)
#   go build -o /tmp/after.bin ./cmd/sportello
#   docs/perf/abrun.sh 100000 /tmp/before.bin /tmp/after.bin
#   ROUNDS=3 KINDS="services search" DURATION=20s docs/perf/abrun.sh 10000 /tmp/before.bin /tmp/after.bin
#
# The catalogue and paths are made as docs/perf/loadrun.sh makes them (same
# seed), by the first binary, which also builds the index once before the
# rounds; all are kept in $AB_DIR (default /tmp/sportello-ab) for the next
# call with the same N. Needs wrk and python3.
set -euo pipefail
n=${1:?usage: abrun.sh N BINARY BINARY...}
shift
[ $# -ge 2 ] || { echo "abrun.sh: give at least two binaries" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
dir=${AB_DIR:-/tmp/sportello-ab}/n$n
port=${PORT:-18180}
kinds=${KINDS:-search}
export SPORTELLO_DATA_DIR="$dir/data" SPORTELLO_ADDR="127.0.0.1:$port" SPORTELLO_BASE_URL="http://127.0.0.1:$port" SPORTELLO_LOG_LEVEL=info

if [ ! -f "$dir/search.txt" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  "$1" generate -n "$n" "$dir/catalogue.json"
  "$1" import "$dir/catalogue.json" >/dev/null
  # The same paths as the load run: its own script, run on this catalogue.
  sed -n '/^python3 - "\$work\/catalogue.json"/,/^PY$/p' "$here/loadrun.sh" |
    work=$dir searches=${SEARCHES:-2000} bash
  # Build the index once, and give its background merge time to end, so
  # that the first binary's first run does not share the cores with it.
  "$1" >"$dir/server.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
  sleep "${MERGE_WAIT:-30}"
  kill "$pid"
  wait "$pid" || true
fi

for round in $(seq "${ROUNDS:-2}"); do
  for bin in "$@"; do
    "$bin" >"$dir/server.log" 2>&1 &
    pid=$!
    until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
    # Binaries whose index mappings differ rebuild it in turn: measure
    # each once its index is merged and its collector set for serving.
    until grep -q '"msg":"memory set for serving"' "$dir/server.log"; do sleep 0.1; done
    built=$(grep -o '"docs_per_sec":[0-9]*' "$dir/server.log" | cut -d: -f2 || true)
    [ -z "$built" ] || echo "round $round $(basename "$bin"): index rebuilt at $built docs/s, peak RSS $(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$pid/status)"
    sleep "${SETTLE:-2}"
    for kind in $kinds; do
      r=$(PATHS="$dir/$kind.txt" wrk -t2 -c16 -d"${DURATION:-20s}" --latency -s "$here/paths.lua" "http://127.0.0.1:$port" |
        awk '$1 == "99%" {p = $2} $1 == "Requests/sec:" {q = $2} END {print "p99 " p ", " q " req/s"}')
      echo "round $round $(basename "$bin") $kind: $r, RSS $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$pid/status), load $(cut -d' ' -f1 /proc/loadavg)"
    done
    kill "$pid"
    wait "$pid" || true
  done
done
