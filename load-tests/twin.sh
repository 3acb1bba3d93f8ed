#!/usr/bin/env bash
# The full scenario: `serve` on an embedded broker with the synthetic twin's catalogue streaming in at
# 10k events/s while load-tests/mix.sh drives the API from another JVM.
#   load-tests/twin.sh [RATE_REQ_PER_S] [SECONDS]
# Needs the twin (java -jar target/foldin.jar generate --scale 1.0 --out /tmp/twin) and a built jar and
# test classes. Writes logs and the driver's JSON under /tmp/foldin-twin-load/.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
SECONDS_RUN=${2:-60}
OUT=/tmp/foldin-twin-load
TWIN=${TWIN:-/tmp/twin}
rm -rf "$OUT" && mkdir -p "$OUT"
BROKER=127.0.0.1:29092

java -Xmx6g -jar target/foldin.jar serve --no-sample --kafka-port 29092 --http-port 28080 \
  --data-dir "$OUT/kafka" --state-dir "$OUT/state" --sweep-interval 0 > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE ${REPLAY:-} 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:28080/health/live > /dev/null; do sleep 1; done

# Warm-up: the first 3M twin ratings as fast as the broker takes them, so most of the catalogue has
# factors; then wait until the fold-in has caught up (lag 0).
java -jar target/foldin.jar replay --ratings "$TWIN/ratings.bin" --bootstrap-servers $BROKER --rate 0 \
  --limit 3000000 --json > "$OUT/warmup.json" 2> /dev/null
until [ "$(curl -s http://127.0.0.1:28080/metrics | awk '/^foldin_consumer_lag /{print int($2)}')" = "0" ]; do sleep 2; done
curl -s http://127.0.0.1:28080/stats > "$OUT/stats-before.json"

# Streaming: the twin from its start at 10k events/s while the mix runs (the first 3M come again as
# re-ratings, which are fold-ins like any other event).
java -jar target/foldin.jar replay --ratings "$TWIN/ratings.bin" --bootstrap-servers $BROKER --rate 10000 \
  --json > "$OUT/replay.json" 2> /dev/null &
REPLAY=$!
sleep 5
load-tests/mix.sh --url http://127.0.0.1:28080 --rate "$RATE" --seconds "$SECONDS_RUN" --warmup 10 \
  --users 1-200948 --mix "${MIX:-recommendations=100}" --freshness 200 | tee "$OUT/mix.json"
curl -s http://127.0.0.1:28080/stats > "$OUT/stats-after.json"
curl -s http://127.0.0.1:28080/metrics > "$OUT/metrics.txt"
cat "$OUT/stats-after.json"; echo
