#!/usr/bin/env bash
# Size and time of one /metrics scrape of a fresh `serve` (embedded broker) with the bundled sample folded in
# and its first sweep done: bytes, sample lines, metric families, and the median of N scrapes' time (curl).
#   load-tests/scrape.sh [N=21]      JAR=target/foldin.jar by default
set -euo pipefail
N=${1:-21}
JAR=${JAR:-target/foldin.jar}
DIR=$(mktemp -d /tmp/foldin-scrape.XXXX)
KPORT=${KPORT:-19192}; HPORT=${HPORT:-18180}
java -Xmx2g -jar "$JAR" serve --data-dir "$DIR/kafka" --state-dir "$DIR/streams" --kafka-port "$KPORT" \
  --http-port "$HPORT" > "$DIR/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; wait $SERVE 2>/dev/null || true; rm -rf "$DIR"' EXIT
URL="http://127.0.0.1:$HPORT"
# ready once the sample is loaded and folded in; then the first sweep
until curl -sf "$URL/health/ready" > /dev/null 2>&1; do
  kill -0 $SERVE 2>/dev/null || { echo "serve died:"; tail -20 "$DIR/serve.log"; exit 1; }
  sleep 1
done
until [ "$(curl -s "$URL/metrics" | awk '$1 == "foldin_model_epoch" { print int($2) }')" -ge 1 ] 2>/dev/null; do sleep 1; done
curl -s "$URL/users/1/recommendations" > /dev/null
curl -s "$URL/metrics" > "$DIR/m.txt"
for ((i = 0; i < N; i++)); do curl -s -o /dev/null -w '%{time_total}\n' "$URL/metrics"; done | sort -n > "$DIR/t.txt"
echo "{\"bytes\":$(wc -c < "$DIR/m.txt"),\"samples\":$(grep -vc '^#' "$DIR/m.txt"),\"families\":$(grep -c '^# TYPE' "$DIR/m.txt"),\"foldin_samples\":$(grep -c '^foldin_' "$DIR/m.txt"),\"median_scrape_s\":$(sed -n "$(( (N + 1) / 2 ))p" "$DIR/t.txt")}"
