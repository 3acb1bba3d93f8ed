#!/usr/bin/env bash
# The issue #4 criterion on the synthetic twin: `serve` on an embedded broker with the twin's whole
# catalogue, its ratings streaming in at STREAM_RATE events/s, and load-tests/mix.sh (another JVM)
# offering RATE req/s of GET /users/{id}/recommendations?k=10 for SECONDS, with freshness probes (POST a
# rating of the user's top item, poll until it has left the user's recommendations).
#   load-tests/twin.sh [RATE_REQ_PER_S] [SECONDS]
# Steps: the catalogue (movies.csv) goes to topic items and the first WARMUP_EVENTS ratings to ratings as
# fast as the broker takes them; one sweep at the end of the warm-up fits the model and the genre features
# of the cold items' prior rows; the script then checks that the item table holds the whole catalogue, and
# streams the twin from its start (the warm-up's events come again as re-ratings) while the mix runs for
# users of the warm-up only (replay --users-out), so every request is about a user that exists.
# Env: TWIN (/tmp/twin), WARMUP_EVENTS (3000000), STREAM_RATE (10000), FRESHNESS (200 probes),
#      SERVE_JVM (JVM options of serve), SERVE_ARGS (extra serve options, e.g. "--set http.scan.threads=2"),
#      RAMP (30: seconds over which the driver raises its rate from 0 to RATE, then 10 s at RATE; neither reported),
#      MIX (recommendations=100), CONNECTIONS (64), KAFKA_PORT (29092), HTTP_PORT (28080),
#      OUT (/tmp/foldin-twin-load: logs, metrics, the driver's JSON; wiped first),
#      RECALL (0: after the mix, load-tests/recall.sh compares RECALL users' lists with exact=true's).
# A 1M-item catalogue: TWIN=/tmp/twin-1m after `generate --scale 1.0 --items 1000000 --out /tmp/twin-1m`.
# Needs the twin (java -jar target/foldin.jar generate --scale 1.0 --out /tmp/twin), target/foldin.jar and
# the test classes (mvn -B -q package -DskipTests && mvn -B -q test-compile). Refuses to start when
# something already listens on its ports (a second run would share the first one's broker and service).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
SECONDS_RUN=${2:-60}
OUT=${OUT:-/tmp/foldin-twin-load}
TWIN=${TWIN:-/tmp/twin}
KAFKA_PORT=${KAFKA_PORT:-29092}
HTTP_PORT=${HTTP_PORT:-28080}
for port in "$KAFKA_PORT" "$HTTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    echo "twin.sh: port $port is in use (another run?); set KAFKA_PORT/HTTP_PORT" >&2
    exit 1
  fi
done
WARMUP_EVENTS=${WARMUP_EVENTS:-3000000}
STREAM_RATE=${STREAM_RATE:-10000}
# The JVM options of README "Serving latency": serving threads first, and a heap whose young collections
# copy only what is new (what survives one here is a cache entry that would be copied 15 times otherwise).
SERVE_JVM=${SERVE_JVM:--Xms6g -Xmx6g -XX:MaxTenuringThreshold=1 --add-modules jdk.incubator.vector -XX:ThreadPriorityPolicy=1}
rm -rf "$OUT" && mkdir -p "$OUT"
BROKER=127.0.0.1:$KAFKA_PORT
URL=http://127.0.0.1:$HTTP_PORT
stat() { curl -s "$URL/stats" | grep -o "\"$1\":[0-9.]*" | head -1 | cut -d: -f2; }  # the first: sweeps[] repeat "epoch"

# shellcheck disable=SC2086
java $SERVE_JVM -jar target/foldin.jar serve --no-sample --kafka-port "$KAFKA_PORT" --http-port "$HTTP_PORT" \
  --data-dir "$OUT/kafka" --state-dir "$OUT/state" --sweep-interval 0 --sweep-events "$WARMUP_EVENTS" --set sweep.first.after.ratings=0 \
  ${SERVE_ARGS:-} > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE ${REPLAY:-} 2>/dev/null || true' EXIT
until curl -sf "$URL/health/live" > /dev/null; do
  kill -0 $SERVE 2>/dev/null || { echo "serve died:"; tail -20 "$OUT/serve.log"; exit 1; }
  sleep 1
done

java -jar target/foldin.jar replay --ratings "$TWIN/ratings.bin" --movies "$TWIN/movies.csv" \
  --bootstrap-servers $BROKER --rate 0 --limit "$WARMUP_EVENTS" --users-out "$OUT/users.txt" --json \
  > "$OUT/warmup.json" 2> "$OUT/warmup.log"
until [ "$(curl -s $URL/metrics | awk '/^foldin_consumer_lag /{print int($2)}')" = "0" ] && [ "$(stat epoch)" -ge 1 ]; do
  sleep 2
done
CATALOG=$(($(wc -l < "$TWIN/movies.csv") - 1))
until [ "$(stat items)" = "$CATALOG" ]; do
  echo "waiting: $(stat items) of $CATALOG items in the table" >&2
  sleep 2
done
curl -s "$URL/stats" > "$OUT/stats-before.json"

java -jar target/foldin.jar replay --ratings "$TWIN/ratings.bin" --bootstrap-servers $BROKER --rate "$STREAM_RATE" \
  --json > "$OUT/replay.json" 2> /dev/null &
REPLAY=$!
sleep 5
mix() {
  load-tests/mix.sh --url "$URL" --users-file "$OUT/users.txt" --mix "${MIX:-recommendations=100}" \
    --connections "${CONNECTIONS:-64}" "$@"
}
E0=$(stat eventsTotal); T0=$(date +%s.%N)
# Until the first queries the service has run only the stream: the ramp lets both JVMs compile the request
# path under growing load (at full rate from cold, C2 took a quarter of a core for half a minute while a
# backlog built up); then 10 s at full rate, then the measured seconds.
mix --rate "$RATE" --ramp "${RAMP:-30}" --warmup 10 --seconds "$SECONDS_RUN" --freshness "${FRESHNESS:-200}" > "$OUT/mix.json"
E1=$(stat eventsTotal); T1=$(date +%s.%N)
curl -s "$URL/stats" > "$OUT/stats-after.json"
curl -s "$URL/metrics" > "$OUT/metrics.txt"
cat "$OUT/mix.json"
if [ "${RECALL:-0}" -gt 0 ]; then
  kill $REPLAY 2>/dev/null || true  # lists compared on a model that no longer changes between the two requests
  sleep 5
  load-tests/recall.sh "$URL" "$OUT/users.txt" "$RECALL" | tee "$OUT/recall.json"
fi
echo "{\"items_in_table\":$(stat items),\"prior_items\":$(stat priorItems),\"catalog\":$CATALOG,\"users\":$(wc -l < "$OUT/users.txt"),\"streamed_events_per_second\":$(echo "($E1 - $E0) / ($T1 - $T0)" | bc)}"
