#!/usr/bin/env bash
# Issue #17's failover measurement: how long a user whose instance was killed goes unserved.
# A broker in its own process (`foldin broker`), INSTANCES `serve` instances of one application against it
# (num.standby.replicas=STANDBYS), the ratings (and movies) of RATINGS replayed into it. Then REPS times: pick
# a user owned by instance X (X = 1, 2, 3, 1, ...; the owner is the instance that answers GET /users/{u}
# itself when a header says the request was already forwarded, the others answer 503 not_owner), check that
# another instance S answers GET /users/{u}/recommendations with 200, SIGKILL X, and poll S every POLL_S
# until it answers 200 again (forwarded or not): that time is the failover. Each round's log line lists the
# answers on the way, with the seconds after the kill when each began (503/owner_unreachable: forwarded to the
# dead instance; 503/store_unavailable: the new owner restores the partition; ...). X is then restarted on its state
# directory and port, and the next round starts once every instance is ready with lag 0 and SETTLE_S more
# seconds (standbys catch up) have passed.
#   load-tests/failover.sh [STANDBYS [REPS [INSTANCES]]]        (1 5 3)
# RATINGS (../shared/datasets/ml-latest-small/ratings.csv, else the bundled sample), MOVIES (next to it),
# PARTITIONS (6), SERVE_JVM (-Xmx768m), POLL_S (0.1), SETTLE_S (10), KEEP=1 keeps the work directory.
# Sweeps are off (--sweep-interval 0, no early first sweep): fold-in state alone is what moves.
# Needs target/foldin.jar, curl and awk. Prints one JSON line on stdout; progress on stderr.
set -euo pipefail
STANDBYS=${1:-1}; REPS=${2:-5}; N=${3:-3}
cd "$(dirname "$0")/.."
JAR=${JAR:-target/foldin.jar}
SHARED_SMALL=../shared/datasets/ml-latest-small
if [ -z "${RATINGS:-}" ]; then
  if [ -f "$SHARED_SMALL/ratings.csv" ]; then RATINGS=$SHARED_SMALL/ratings.csv; else RATINGS=src/main/resources/ml-latest-small/ratings.csv; fi
fi
MOVIES=${MOVIES:-$(dirname "$RATINGS")/movies.csv}
PARTITIONS=${PARTITIONS:-6}; POLL_S=${POLL_S:-0.1}; SETTLE_S=${SETTLE_S:-10}
for tool in curl awk java; do command -v $tool > /dev/null || { echo "failover.sh needs $tool" >&2; exit 1; }; done
[ -f "$JAR" ] || { echo "no $JAR: mvn -q package -DskipTests" >&2; exit 1; }
DIR=$(mktemp -d /tmp/foldin-failover.XXXX)
BROKER=; declare -a PID PORT
cleanup() {
  for p in "${PID[@]:-}" $BROKER; do [ -n "$p" ] && { kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'echo "failover.sh: failed at line $LINENO" >&2' ERR
log() { echo "[failover $(date +%T)] $*" >&2; }
now() { date +%s.%N; }

free_port() {
  local p
  while :; do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
}

java -Xmx1g -jar "$JAR" broker --data-dir "$DIR/kafka" --port 0 --port-file "$DIR/broker.addr" > /dev/null 2> "$DIR/broker.log" &
BROKER=$!
until [ -s "$DIR/broker.addr" ]; do
  kill -0 $BROKER 2>/dev/null || { echo "broker died:" >&2; tail -20 "$DIR/broker.log" >&2; exit 1; }
  sleep 0.2
done
BS=$(cat "$DIR/broker.addr")

start_serve() { # I
  local i=$1
  java ${SERVE_JVM:--Xmx768m} -jar "$JAR" serve --bootstrap-servers "$BS" --state-dir "$DIR/state-$i" \
    --http-port "${PORT[$i]}" --no-sample --sweep-interval 0 --set sweep.first.after.ratings=0 \
    --set partitions="$PARTITIONS" --set num.standby.replicas="$STANDBYS" --set http.event.loops=1 \
    --set http.scan.threads=1 >> "$DIR/serve-$i.log" 2>&1 &
  PID[$i]=$!
}
url() { echo "http://127.0.0.1:${PORT[$1]}"; }
lag() { { curl -sf "$(url "$1")/metrics" || true; } | awk '$1 == "foldin_consumer_lag" { print $2; exit }'; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }
# status and, for an error, its code: 200, 503/owner_unreachable, 000 (no answer within 2 s)
answer() {
  local out
  out=$(curl -s --max-time 2 -w '\n%{http_code}' "$@" || true)
  local status=${out##*$'\n'}
  if [ "$status" = 200 ]; then echo 200; else
    echo "$status/$(echo "$out" | grep -o '"error":"[a-z_]*"' | head -1 | cut -d'"' -f4)"; fi
}

# every instance alive, ready (streams RUNNING) and with lag 0, 3 times in a row 1 s apart
wait_settled() {
  local same=0 i ok l
  while [ $same -lt 3 ]; do
    sleep 1; ok=1
    for ((i = 1; i <= N; i++)); do
      kill -0 "${PID[$i]}" 2>/dev/null || { echo "serve $i died:" >&2; tail -20 "$DIR/serve-$i.log" >&2; exit 1; }
      [ "$(code "$(url $i)/health/ready")" = 200 ] || { ok=0; continue; }
      l=$(lag $i); [ "${l%.*}" = 0 ] || ok=0
    done
    if [ $ok = 1 ]; then same=$((same + 1)); else same=0; fi
  done
}

for ((i = 1; i <= N; i++)); do PORT[$i]=$(free_port); start_serve $i; done
log "broker at $BS; $N instances on ports ${PORT[*]:1}, num.standby.replicas=$STANDBYS, $PARTITIONS partitions"
for ((i = 1; i <= N; i++)); do
  until [ "$(code "$(url $i)/health/live")" = 200 ]; do
    kill -0 "${PID[$i]}" 2>/dev/null || { echo "serve $i died:" >&2; tail -20 "$DIR/serve-$i.log" >&2; exit 1; }
    sleep 0.2
  done
done
MOVIE_ARGS=(); [ -f "$MOVIES" ] && MOVIE_ARGS=(--movies "$MOVIES")
java -jar "$JAR" replay --ratings "$RATINGS" "${MOVIE_ARGS[@]}" --bootstrap-servers "$BS" --json \
  > "$DIR/replay.json" 2> "$DIR/replay.log" || { echo "replay failed:" >&2; tail -5 "$DIR/replay.log" >&2; exit 1; }
log "replayed $RATINGS: $(cat "$DIR/replay.json")"
wait_settled
sleep "$SETTLE_S"
USERS=$(awk -F, 'NR > 1 { print $1 }' "$RATINGS" | sort -un)

TIMES=()
for ((r = 1; r <= REPS; r++)); do
  x=$(( (r - 1) % N + 1 )); s=$(( x % N + 1 ))
  u=
  for c in $(echo "$USERS" | awk -v r=$r 'BEGIN { srand(r) } { print rand(), $1 }' | sort -g | awk '{ print $2 }'); do
    if [ "$(code -H 'x-foldin-forwarded-by: failover-probe' "$(url $x)/users/$c")" = 200 ]; then u=$c; break; fi
  done
  [ -n "$u" ] || { echo "no user owned by instance $x" >&2; exit 1; }
  [ "$(code "$(url $s)/users/$u/recommendations?k=10")" = 200 ] || { echo "instance $s does not answer user $u before the kill" >&2; exit 1; }
  t0=$(now)
  # the serving JVM is the launcher's child (java -jar relaunches with the SIMD module): kill it first
  pkill -KILL -P "${PID[$x]}" 2>/dev/null || true; kill -9 "${PID[$x]}"; wait "${PID[$x]}" 2>/dev/null || true
  codes=""; last=""
  while :; do
    c=$(answer "$(url $s)/users/$u/recommendations?k=10")
    [ "$c" != "$last" ] && codes="$codes $c@$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')" && last=$c
    [ "$c" = 200 ] && break
    sleep "$POLL_S"
    if awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a > 300) }'; then echo "user $u unserved for 300 s" >&2; exit 1; fi
  done
  dt=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  TIMES+=("$dt")
  log "round $r: killed instance $x (owner of user $u); instance $s answered 200 again after $dt s (codes:$codes)"
  echo "--- restarted after round $r" >> "$DIR/serve-$x.log"
  start_serve $x
  wait_settled
  sleep "$SETTLE_S"
done
MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "{\"instances\":$N,\"num_standby_replicas\":$STANDBYS,\"partitions\":$PARTITIONS,\"ratings\":\"$RATINGS\",\"rounds\":$REPS,\"seconds\":[$(IFS=,; echo "${TIMES[*]}")],\"median_seconds\":$MEDIAN}"
