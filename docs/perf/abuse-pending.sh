#!/usr/bin/env bash
# The "signed-out visitors can fill the disk" case of issue 11, for
# docs/performance.md: five posts, each of five 9 MB PNGs with the rest of the
# form invalid, to an anonymous form of the demo catalogue, then how many
# bytes the server keeps (data directory on disk, and the uploads kept in
# forms in progress).
#
#   docs/perf/abuse-pending.sh          # the working tree
#   docs/perf/abuse-pending.sh dd8fca1  # a commit (before files moved into the database)
#
# Each post tries every way to keep more: first a token the client makes up
# (which older versions accepted), then the token of a fresh form page, with
# a fresh session (no cookies) every time. Needs curl and sqlite3; loopback
# traffic only.
set -euo pipefail
rev=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/sportello-abuse.XXXXXX)
port=${PORT:-18181}
base="http://127.0.0.1:$port"
slug=report-missed-bin-collection
export SPORTELLO_DATA_DIR="$work/data" SPORTELLO_ADDR="127.0.0.1:$port" SPORTELLO_BASE_URL="$base" SPORTELLO_LOG_LEVEL=warn

if [ -n "$rev" ]; then
  mkdir "$work/src"
  git -C "$root" archive "$rev" | tar -x -C "$work/src"
  (cd "$work/src" && go build -o "$work/sportello" ./cmd/sportello)
else
  (cd "$root" && go build -o "$work/sportello" ./cmd/sportello)
fi

"$work/sportello" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.1; done

for i in 1 2 3 4 5; do
  { printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'; head -c $((9 * 1024 * 1024)) /dev/urandom; } >"$work/photo$i.png"
done
photos=()
for i in 1 2 3 4 5; do photos+=(-F "photo=@$work/photo$i.png;type=image/png"); done

bytes() { du -sb "$work/data" | cut -f1; }
sqlite() { sqlite3 "$work/data/sportello.db" "$1" 2>/dev/null || echo "-"; }
before=$(bytes)

post() { # token source: "chosen" or "issued"; prints the status
  local jar="$work/jar" page csrf token
  rm -f "$jar"
  page=$(curl -fs -c "$jar" -b "$jar" "$base/services/$slug/apply")
  csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  token=$(sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  if [ "$1" = chosen ]; then token=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); fi
  curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$base/services/$slug/apply" \
    -F "_csrf=$csrf" -F "_token=$token" -F "_action=continue" -F "bin_type=lorry" "${photos[@]}"
}

echo "post  chosen-token  issued-token  data-dir-bytes-kept"
for i in 1 2 3 4 5; do
  a=$(post chosen)
  b=$(post issued)
  sync
  echo "$i     $a           $b           $(($(bytes) - before))"
done
sleep 1
sync
echo "data directory grew by $(($(bytes) - before)) bytes"
echo "old pending/ directory: $(du -sb "$work/data/pending" 2>/dev/null | cut -f1 || echo 0) bytes"
echo "uploads kept in forms in progress (database): $(sqlite 'SELECT COALESCE(SUM(size), 0) FROM pending_files') bytes"
echo "SQLite files: $(du -cb "$work/data"/sportello.db* | tail -1 | cut -f1) bytes"
kill $pid
wait $pid 2>/dev/null || true
rm -rf "$work"
