#!/usr/bin/env bash
# Load run for docs/performance.md: builds Sportello, loads a synthetic
# catalogue of N services into a fresh data directory, starts the server and
# measures index build, index size, restart time, RSS, and wrk throughput and
# latency of the search API and of service pages under 16 connections.
#
#   docs/perf/loadrun.sh 10000
#   docs/perf/loadrun.sh 100000
#
# Needs wrk (apt-get install wrk) and python3. Only loopback traffic.
set -euo pipefail
n=${1:-10000}
duration=${DURATION:-20s}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/sportello-load.XXXXXX)
port=${PORT:-18080}
export SPORTELLO_DATA_DIR="$work/data" SPORTELLO_ADDR="127.0.0.1:$port" SPORTELLO_BASE_URL="http://127.0.0.1:$port" SPORTELLO_LOG_LEVEL=info

cd "$root"
go build -o "$work/sportello" ./cmd/sportello
"$work/sportello" generate -n "$n" "$work/catalogue.json"
echo "== import of $n services"
/usr/bin/time -f "import: %e s wall, %M KB max RSS" "$work/sportello" import "$work/catalogue.json"

start_server() {
  "$work/sportello" >"$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s.%N)
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.05; done
  t1=$(date +%s.%N)
  python3 -c "print(f'ready after {($t1 - $t0):.2f} s')"
}

echo "== first start (builds the index)"
start_server
grep -o '"msg":"search index built".*' "$work/server.log" || true
echo "index size: $(du -sh "$work/data/index" | cut -f1)"

echo "== paths"
python3 - "$work/catalogue.json" "$work" <<'PY'
import json, random, sys, urllib.parse
c = json.load(open(sys.argv[1]))
work = sys.argv[2]
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
    for _ in range(2000):
        q = " ".join(random.sample(words, random.choice([1, 2, 3])))
        params = {"q": q, "lang": random.choice(langs)}
        r = random.random()
        if r < 0.2: params["topic"] = random.choice(topics)
        elif r < 0.3: params["online"] = "1"
        elif r < 0.4: params["audience"] = "business"
        f.write("/api/v1/search?" + urllib.parse.urlencode(params) + "\n")
PY

for kind in services search; do
  echo "== wrk $kind: 2 threads, 16 connections, $duration"
  PATHS="$work/$kind.txt" wrk -t2 -c16 -d"$duration" --latency -s "$here/paths.lua" "http://127.0.0.1:$port" | grep -E 'Requests/sec|50%|90%|99%|Non-2xx|Socket errors' || true
done
echo "server RSS after the load: $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MB"}')"

echo "== restart with an up-to-date index"
kill "$pid"; wait "$pid" || true
start_server
kill "$pid"; wait "$pid" || true
rm -rf "$work"
