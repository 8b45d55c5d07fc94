#!/usr/bin/env bash
# Load run for docs/performance.md: builds Sportello, loads a synthetic
# catalogue of N services into a fresh data directory, starts the server and
# measures index build, index size, restart time, RSS, and wrk throughput and
# latency of the search API and of service pages under 16 connections.
#
#   docs/perf/loadrun.sh 10000
#   docs/perf/loadrun.sh 100000
#   SEARCHES=20000 docs/perf/loadrun.sh 10000      # more distinct searches than the cache holds
#   PGFTS_DB=postgres://postgres@127.0.0.1:5432/test?sslmode=disable docs/perf/loadrun.sh 10000
#   PROFILE_DIR=/tmp/prof docs/perf/loadrun.sh 10000   # keep a CPU profile of each wrk run and the heap after them
#   SPORTELLO_MEMORY_LIMIT_MB=120 docs/perf/loadrun.sh 10000   # the server with a memory limit (README)
#
# It first reports the judged sets' quality (BenchmarkJudged), so that speed
# is never read without it, and the load average before each measurement
# (the machine is shared). With PGFTS_DB set, it then runs the same searches
# on PostgreSQL full-text search (docs/perf/pgfts) over the same catalogue.
#
# Needs wrk (apt-get install wrk) and python3. Only loopback traffic.
set -euo pipefail
n=${1:-10000}
duration=${DURATION:-20s}
searches=${SEARCHES:-2000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/sportello-load.XXXXXX)
port=${PORT:-18080}
mport=$((port + 1))
export SPORTELLO_PROFILING=on SPORTELLO_METRICS_ADDR="127.0.0.1:$mport" SPORTELLO_DATA_DIR="$work/data" SPORTELLO_ADDR="127.0.0.1:$port" SPORTELLO_BASE_URL="http://127.0.0.1:$port" SPORTELLO_LOG_LEVEL=info

cd "$root"
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
echo "== judged sets (demo catalogue)"
go test ./search -run '^$' -bench Judged -benchtime 2x | grep '^BenchmarkJudged'
go build -o "$work/sportello" ./cmd/sportello
"$work/sportello" generate -n "$n" "$work/catalogue.json"
echo "== import of $n services"; load
/usr/bin/time -f "import: %e s wall, %M KB max RSS" "$work/sportello" import "$work/catalogue.json"

start_server() {
  "$work/sportello" >"$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s.%N)
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.05; done
  t1=$(date +%s.%N)
  python3 -c "print(f'ready after {($t1 - $t0):.2f} s')"
}

echo "== first start (builds the index); memory limit: ${SPORTELLO_MEMORY_LIMIT_MB:-none} MB"; load
start_server
grep -o '"msg":"search index built".*' "$work/server.log" || true
# The index's segments are merged in the background after the build, and
# the collector is set for serving after that: the runs below measure the
# server as it then serves, not while it merges.
until grep -q '"msg":"memory set for serving"' "$work/server.log"; do sleep 0.1; done
t2=$(date +%s.%N)
python3 -c "print(f'merged and set for serving after {($t2 - $t0):.2f} s')"
echo "peak RSS so far: $(grep -o 'VmHWM.*' /proc/$pid/status | tr -s ' 	' ' ')"
echo "index size: $(du -sh "$work/data/index" | cut -f1)"

echo "== paths"
python3 - "$work/catalogue.json" "$work" "$searches" <<'PY'
import json, random, sys, urllib.parse
c = json.load(open(sys.argv[1]))
work = sys.argv[2]
searches = int(sys.argv[3])
random.seed(1)
slugs = [s["slug"] for s in c["services"]]
with open(f"{work}/services.txt", "w") as f:
    for s in random.sample(slugs, min(2000, len(slugs))):
        f.write(f"/services/{s}\n")
words = []
for s in c["services"][:3000]:
    words += s["title"]["en"].lower().split()
words = [w for w in words if len(w) > 3]
topics = [t["slug"] for t in c["topics"]]
langs = ["en", "es", "ca", "it", "fr"]
with open(f"{work}/search.txt", "w") as f:
    for _ in range(searches):
        q = " ".join(random.sample(words, random.choice([1, 2, 3])))
        params = {"q": q, "lang": random.choice(langs)}
        r = random.random()
        if r < 0.2: params["topic"] = random.choice(topics)
        elif r < 0.3: params["online"] = "1"
        elif r < 0.4: params["audience"] = "business"
        f.write("/api/v1/search?" + urllib.parse.urlencode(params) + "\n")
PY

for kind in services search; do
  echo "== wrk $kind: 2 threads, 16 connections, $duration"; load
  if [ -n "${PROFILE_DIR:-}" ]; then
    mkdir -p "$PROFILE_DIR"
    curl -fs -o "$PROFILE_DIR/$kind.cpu.prof" "http://127.0.0.1:$mport/debug/pprof/profile?seconds=10" &
    profiler=$!
  fi
  PATHS="$work/$kind.txt" wrk -t2 -c16 -d"$duration" --latency -s "$here/paths.lua" "http://127.0.0.1:$port" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx|Socket errors' || true
  if [ -n "${profiler:-}" ]; then wait "$profiler" || true; fi
done
echo "server RSS after the load: $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MB"}')"
if [ -n "${PROFILE_DIR:-}" ]; then
  curl -fs -o "$PROFILE_DIR/heap.prof" "http://127.0.0.1:$mport/debug/pprof/heap"
  cp "$work/sportello" "$PROFILE_DIR/sportello"
  echo "profiles in $PROFILE_DIR: go tool pprof $PROFILE_DIR/sportello $PROFILE_DIR/heap.prof"
fi
# Where the memory is: Go's heap (live and not yet collected), what the
# runtime holds but has not returned, and the rest (the index's mapped
# files, stacks, the runtime), from the metrics endpoint.
curl -fs "http://127.0.0.1:$mport/metrics" | grep -E '^go_memstats_(heap_alloc|heap_inuse|heap_idle|heap_released|sys)_bytes ' |
  awk '{printf "  %s %.0f MB\n", $1, $2/1048576}' || true

if [ -n "${PGFTS_DB:-}" ]; then
  echo "== PostgreSQL full-text search, the same catalogue and searches (the server idle)"; load
  go run ./docs/perf/pgfts -db "$PGFTS_DB" -n "$n" -paths "$work/search.txt" -duration "$duration" || true
fi

echo "== restart with an up-to-date index"
kill "$pid"; wait "$pid" || true
start_server
kill "$pid"; wait "$pid" || true
rm -rf "$work"
