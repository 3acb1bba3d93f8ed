#!/usr/bin/env bash
# End-to-end streaming throughput and freshness: a fresh `serve` (embedded broker, sweeps off, the early first
# sweep too: a sweep skips the item updates in flight, which the wait below counts) takes
# EVENTS ratings of the twin from `replay` (RATE events/s, 0 = as fast as possible); the clock runs from
# the start of the replay until both fold-ins have processed every event. Freshness comes from the
# service's histograms: produce timestamp -> user factor re-solved in the store, and -> item factor in
# this instance's global table (the later of the two, i.e. "both factors readable").
#   load-tests/stream.sh EVENTS RATE [serve options, e.g. --guarantee exactly_once_v2]
# SERVE_JVM sets serve's JVM options (default -Xmx4g -XX:+UseParallelGC), REPLAY_JVM the replay's (default
# -XX:+UseParallelGC; RESULTS.md, session 10: both cost less CPU than G1 here and the replay stalls less);
# REPLAY_ARGS adds replay options (e.g. --producer-property linger.ms=5).
# Needs target/foldin.jar and the twin (java -jar target/foldin.jar generate --scale 1.0 --out /tmp/twin).
set -euo pipefail
EVENTS=${1:?events}; RATE=${2:-0}; shift 2 || true
TWIN=${TWIN:-/tmp/twin/ratings.bin}
JAR=${JAR:-target/foldin.jar}
DIR=$(mktemp -d /tmp/foldin-stream.XXXX)
KPORT=${KPORT:-19092}; HPORT=${HPORT:-18080}
java ${SERVE_JVM:--Xmx4g -XX:+UseParallelGC} -jar "$JAR" serve --no-sample --data-dir "$DIR/kafka" --state-dir "$DIR/streams" \
  --kafka-port "$KPORT" --http-port "$HPORT" --sweep-interval 0 --set sweep.first.after.ratings=0 --set progress.interval.ms=1000 "$@" \
  > "$DIR/serve.log" 2>&1 &
SERVE=$!
# (set -e would stop the trap at the killed server's exit status and leave its 2-3 GB broker directory behind)
trap 'kill $SERVE 2>/dev/null || true; wait $SERVE 2>/dev/null || true; rm -rf "$DIR"' EXIT
until grep -q "REBALANCING -> RUNNING" "$DIR/serve.log"; do
  kill -0 $SERVE 2>/dev/null || { echo "serve died:"; tail -20 "$DIR/serve.log"; exit 1; }
  sleep 0.5
done
T0=$(date +%s.%N)
java ${REPLAY_JVM:--XX:+UseParallelGC} -jar "$JAR" replay --ratings "$TWIN" --bootstrap-servers "127.0.0.1:$KPORT" --limit "$EVENTS" \
  --rate "$RATE" ${REPLAY_ARGS:-} --json 2>/dev/null > "$DIR/replay.json" &
REPLAY=$!
# Freshness in steady state: histogram buckets scraped after WARMUP seconds and at the end, differenced;
# quantiles are bucket bounds, and the share within 250 ms (the freshness goal) shows progress inside a bucket.
WARMUP=${WARMUP:-20}
sleep "$WARMUP"
curl -s "http://127.0.0.1:$HPORT/metrics" > "$DIR/m0.txt"
wait $REPLAY
until grep -q "events_user=$EVENTS events_item=$EVENTS " "$DIR/serve.log"; do
  kill -0 $SERVE 2>/dev/null || { echo "serve died"; exit 1; }
  sleep 0.2
done
T1=$(date +%s.%N)
curl -s "http://127.0.0.1:$HPORT/metrics" > "$DIR/m1.txt"
# the window's bucket counts of histogram NAME, one "le count" line per bucket in order: end scrape minus WARMUP scrape
buckets() {
  awk -v name="$1" '
    FNR == 1 { f++ }
    index($0, name "_bucket{") == 1 { match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5);
      if (f == 1) a[le] = $2; else { b[le] = $2; order[++n] = le } }
    END { for (k = 1; k <= n; k++) print order[k], b[order[k]] - a[order[k]] }
  ' "$DIR/m0.txt" "$DIR/m1.txt"
}
# quantile Q of histogram NAME over the window: first bucket whose count reaches Q of the total
window() {
  buckets "$1" | awk -v q="$2" '
    { le[NR] = $1; c[$1] = $2 }
    END { total = c["+Inf"]; if (total <= 0) { print "null"; exit }
      for (k = 1; k <= NR; k++) if (c[le[k]] >= q * total) { print (le[k] == "+Inf" ? "null" : le[k]); exit } }'
}
# share of the window's observations of histogram NAME at or below bucket LE (e.g. 0.25)
share() {
  buckets "$1" | awk -v le="$2" '
    { c[$1] = $2 }
    END { total = c["+Inf"]; if (total <= 0 || !(le in c)) { print "null"; exit }
      printf "%.4f\n", c[le] / total }'
}
LAST=$(grep "progress" "$DIR/serve.log" | tail -1)
field() { echo "$LAST" | grep -o "$1=[^ ]*" | cut -d= -f2; }
REPLAY_RATE=$(grep -o '"events_per_second":[0-9.]*' "$DIR/replay.json" | cut -d: -f2)
echo "{\"events\":$EVENTS,\"rate\":$RATE,\"seconds\":$(echo "$T1 - $T0" | bc),\"events_per_second\":$(echo "$EVENTS / ($T1 - $T0)" | bc),\"replay_events_per_second\":$REPLAY_RATE,\"steady_item_factor_age_p50_s\":$(window foldin_item_factor_age_seconds 0.5),\"steady_item_factor_age_p99_s\":$(window foldin_item_factor_age_seconds 0.99),\"steady_user_factor_age_p99_s\":$(window foldin_user_factor_age_seconds 0.99),\"steady_item_factor_age_share_within_250ms\":$(share foldin_item_factor_age_seconds 0.25),\"steady_user_factor_age_share_within_250ms\":$(share foldin_user_factor_age_seconds 0.25),\"item_factor_age_p99_s_since_start\":$(field item_factor_age_p99_s),\"serve_args\":\"$*\"}"
