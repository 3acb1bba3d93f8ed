#!/usr/bin/env bash
# Issue #16's acceptance as one command: a broker in its own process (`foldin broker`), EVENTS ratings of the
# twin replayed at RATE events/s into `serve --bootstrap-servers`, serve SIGKILLed KILLS times during the replay
# (at 1/(KILLS+1), 2/(KILLS+1), ... of its expected duration) and restarted each time on the same state dir.
# Once caught up (foldin_consumer_lag 0 and foldin_model_epoch unchanged over 3 scrapes, every recovery sweep a
# restart asked for installed: "recovery: sweep installed"), every user's and item's `ratings` from
# GET /users/{id} and GET /items/{id} is compared with what `replay --counts-out` says the events leave stored
# (every id, not a sample). Then one cold sweep (POST /admin/sweep?wait=true&warm=false: a function of the
# stored ratings alone, CrashRestartTest) and the same on an uninterrupted run of the same events (fresh broker
# and state, no kills, same commands). The API exposes no factor vectors, so the factors are compared through
# what it does expose: for a seeded sample of users, items and (user, item) pairs, each user's and item's bias
# and factor norm and each pair's predicted rating (GET /users/{u}/items/{i}/prediction), max abs diff.
#   load-tests/crash.sh [EVENTS [RATE [serve options, e.g. --guarantee exactly_once_v2]]]   (1000000 20000)
# KILLS (2), SAMPLE users and items each (300), PAIRS (1000), SEED (16); SERVE_JVM (-Xmx4g), REPLAY_JVM;
# HPORT: serve's HTTP port (default: a free one picked at random; serve needs its port up front, it is also its
# Streams application.server). KEEP=1 keeps the work directory (logs, counts, wrong ids).
# Needs target/foldin.jar, curl and awk, and the twin: java -jar target/foldin.jar generate --scale 1.0 --out /tmp/twin
# Prints one JSON line on stdout; progress on stderr. Exit 0 when every count is right and every diff <= 1e-4.
set -euo pipefail
EVENTS=${1:-1000000}; RATE=${2:-20000}; shift $(( $# < 2 ? $# : 2 ))
TWIN=${TWIN:-/tmp/twin/ratings.bin}
JAR=${JAR:-target/foldin.jar}
KILLS=${KILLS:-2}; SAMPLE=${SAMPLE:-300}; PAIRS=${PAIRS:-1000}; SEED=${SEED:-16}; TOL=${TOL:-0.0001}
for tool in curl awk java; do command -v $tool > /dev/null || { echo "crash.sh needs $tool" >&2; exit 1; }; done
[ -f "$TWIN" ] || { echo "no twin at $TWIN: java -jar $JAR generate --scale 1.0 --out /tmp/twin" >&2; exit 1; }
DIR=$(mktemp -d /tmp/foldin-crash.XXXX)
SERVE_ARGS="$*"
TOKEN="crash-$RANDOM$RANDOM$RANDOM"
SERVE=; REPLAY=; BROKER=
# (set -e would stop the trap at a killed process's exit status and leave the broker and its data behind)
cleanup() {
  for p in $REPLAY $SERVE $BROKER; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'echo "crash.sh: failed at line $LINENO" >&2' ERR
log() { echo "[crash $(date +%T)] $*" >&2; }

free_port() {
  local p
  while :; do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
}
HPORT=${HPORT:-$(free_port)}
URL="http://127.0.0.1:$HPORT"

# metric NAME: its value in serve's /metrics (the first series), empty when none
metric() { { curl -sf "$URL/metrics" || true; } | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { print $2; exit }'; }

start_broker() { # RUN
  java -Xmx1g -jar "$JAR" broker --data-dir "$DIR/$1/kafka" --port 0 --port-file "$DIR/$1/broker.addr" \
    > /dev/null 2> "$DIR/$1/broker.log" &
  BROKER=$!
  until [ -s "$DIR/$1/broker.addr" ]; do
    kill -0 $BROKER 2>/dev/null || { echo "broker died:" >&2; tail -20 "$DIR/$1/broker.log" >&2; exit 1; }
    sleep 0.2
  done
  BS=$(cat "$DIR/$1/broker.addr")
}

start_serve() { # RUN LIFE [serve options]
  local run=$1 life=$2; shift 2
  FOLDIN_ADMIN_TOKEN=$TOKEN java ${SERVE_JVM:--Xmx4g} -jar "$JAR" serve --bootstrap-servers "$BS" \
    --state-dir "$DIR/$run/streams" --http-port "$HPORT" "$@" > "$DIR/$run/serve.$life.log" 2>&1 &
  SERVE=$!
  until curl -sf "$URL/health/live" > /dev/null; do
    kill -0 $SERVE 2>/dev/null || { echo "serve died:" >&2; tail -20 "$DIR/$run/serve.$life.log" >&2; exit 1; }
    sleep 0.2
  done
}

# caught up: the last life's streams RUNNING, lag 0 and the epoch unchanged over 3 scrapes 1 s apart, and
# the last life's recovery sweep installed if it asked for one (an earlier life may have died before its own)
wait_caught_up() { # RUN LIFE
  local run=$1 life=$2 same=0 last=x lag epoch asked done_
  while [ $same -lt 3 ]; do
    sleep 1
    kill -0 $SERVE 2>/dev/null || { echo "serve died:" >&2; tail -20 "$DIR/$run/serve.$life.log" >&2; exit 1; }
    grep -q "REBALANCING -> RUNNING" "$DIR/$run/serve.$life.log" || continue
    lag=$(metric foldin_consumer_lag); epoch=$(metric foldin_model_epoch)
    asked=$(cat "$DIR/$run"/serve.*.log | grep -c "recovery: .*a sweep rebuilds" || true)
    done_=$(cat "$DIR/$run"/serve.*.log | grep -c "recovery: sweep installed" || true)
    local last_asked last_done
    last_asked=$(grep -c "recovery: .*a sweep rebuilds" "$DIR/$run/serve.$life.log" || true)
    last_done=$(grep -c "recovery: sweep installed" "$DIR/$run/serve.$life.log" || true)
    if [ "${lag%.*}" = 0 ] && [ "$last_asked" = "$last_done" ] && [ "$epoch" = "$last" ]; then
      same=$((same + 1))
    else
      same=0
    fi
    last=$epoch
  done
  RECOVERY_ASKED=$asked; RECOVERY_INSTALLED=$done_; EPOCH=$epoch
}

# check_counts RUN SIDE: GET /SIDEs/{id} for every id of SIDE in the counts file; writes RUN/SIDE.wrong
# ("id expected got"), prints "checked wrong expected_total got_total"
check_counts() {
  local run=$1 side=$2
  awk -v s="$side" -v u="$URL" '$1 == s { print "url = \"" u "/" s "s/" $2 "\"" }' "$DIR/counts.txt" > "$DIR/$run/$side.urls"
  curl -s -K "$DIR/$run/$side.urls" -w '\t%{http_code}\t%{url_effective}\n' \
    | awk -v s="$side" -v wrong="$DIR/$run/$side.wrong" -F'\t' '
        FNR == NR { if ($0 ~ "^" s " ") { split($0, f, " "); want[f[2]] = f[3] } ; next }
        { n = split($3, p, "/"); id = p[n]; got = 0
          if ($2 == 200 && match($1, /"ratings":[0-9]+/)) got = substr($1, RSTART + 10, RLENGTH - 10) + 0
          checked++; et += want[id]; gt += got
          if (got != want[id]) { bad++; print id, want[id], got, $2 > wrong } }
        END { printf "%d %d %d %d\n", checked, bad + 0, et, gt }' "$DIR/counts.txt" -
}

# sample_fetch RUN: biases and norms of the sampled users and items, predictions of the sampled pairs, as
# "key value" lines in RUN/model.txt
sample_fetch() {
  local run=$1
  {
    awk -v u="$URL" '{ print "url = \"" u "/users/" $1 "\"" }' "$DIR/users.sample"
    awk -v u="$URL" '{ print "url = \"" u "/items/" $1 "\"" }' "$DIR/items.sample"
    awk -v u="$URL" '{ print "url = \"" u "/users/" $1 "/items/" $2 "/prediction\"" }' "$DIR/pairs.sample"
  } > "$DIR/$run/model.urls"
  curl -s -K "$DIR/$run/model.urls" -w '\t%{http_code}\t%{url_effective}\n' | awk -F'\t' '
    function num(k,   v) { if (!match($1, "\"" k "\":-?[0-9.eE+-]+")) return "null"; v = substr($1, RSTART, RLENGTH); sub(/^"[^"]*":/, "", v); return v }
    { sub(/^http:\/\/[^\/]*\//, "", $3)
      if ($3 ~ /prediction$/) print $3, num("predictedRating")
      else { print $3 "/bias", num("bias"); print $3 "/norm", num("norm") } }' > "$DIR/$run/model.txt"
}

# one_run RUN KILLS [serve options]: broker, serve, replay with kills; caught up; counts; cold sweep; sample
one_run() {
  local run=$1 kills=$2 life=1 t0 tsend k; shift 2
  mkdir -p "$DIR/$run"
  t0=$(date +%s.%N)
  start_broker "$run"
  log "$run: broker at $BS, serve on $URL"
  start_serve "$run" $life "$@"
  java ${REPLAY_JVM:-} -jar "$JAR" replay --ratings "$TWIN" --bootstrap-servers "$BS" --limit "$EVENTS" --rate "$RATE" \
    --counts-out "$DIR/$run/counts.txt" --json > "$DIR/$run/replay.json" 2> "$DIR/$run/replay.log" &
  REPLAY=$!
  until grep -q "read .* ratings from" "$DIR/$run/replay.log"; do
    kill -0 $REPLAY 2>/dev/null || { echo "replay died:" >&2; cat "$DIR/$run/replay.log" >&2; exit 1; }
    sleep 0.1
  done
  tsend=$(date +%s.%N)
  for ((k = 1; k <= kills; k++)); do
    sleep "$(awk -v t="$tsend" -v now="$(date +%s.%N)" -v e="$EVENTS" -v r="$RATE" -v k=$k -v n=$kills \
      'BEGIN { d = t + k / (n + 1) * e / r - now; print (d > 0 ? d : 0) }')"
    kill -0 $REPLAY 2>/dev/null || log "$run: the replay ended before kill $k"
    log "$run: SIGKILL serve (kill $k of $kills)"
    # the JVM that serves is the launcher's child (java -jar relaunches with the SIMD module): kill it first
    pkill -KILL -P $SERVE 2>/dev/null || true; kill -9 $SERVE; wait $SERVE 2>/dev/null || true
    life=$((life + 1))
    start_serve "$run" $life "$@"
    log "$run: serve restarted on the same state dir"
    # the next kill comes no sooner than MIN_UP s after this life's streams run (a restart takes ~10-20 s here)
    until grep -q "REBALANCING -> RUNNING" "$DIR/$run/serve.$life.log"; do
      kill -0 $SERVE 2>/dev/null || { echo "serve died:" >&2; tail -20 "$DIR/$run/serve.$life.log" >&2; exit 1; }
      sleep 0.2
    done
    sleep "${MIN_UP:-5}"
  done
  wait $REPLAY || { echo "replay failed:" >&2; tail -5 "$DIR/$run/replay.log" >&2; exit 1; }
  REPLAY=
  log "$run: replay done: $(cat "$DIR/$run/replay.json")"
  wait_caught_up "$run" $life
  log "$run: caught up (epoch $EPOCH, recovery sweeps asked $RECOVERY_ASKED, installed $RECOVERY_INSTALLED)"
  if [ ! -f "$DIR/counts.txt" ]; then cp "$DIR/$run/counts.txt" "$DIR/counts.txt"; fi
  cmp -s "$DIR/counts.txt" "$DIR/$run/counts.txt" || { echo "the two replays' counts differ" >&2; exit 1; }
  read -r U_CHECKED U_WRONG U_WANT U_GOT < <(check_counts "$run" user)
  read -r I_CHECKED I_WRONG I_WANT I_GOT < <(check_counts "$run" item)
  log "$run: users checked $U_CHECKED wrong $U_WRONG (ratings $U_WANT expected, $U_GOT stored); items checked $I_CHECKED wrong $I_WRONG ($I_WANT, $I_GOT)"
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" "$URL/admin/sweep?wait=true&warm=false" > "$DIR/$run/sweep.json" \
    || { echo "sweep failed" >&2; exit 1; }
  log "$run: swept: $(cat "$DIR/$run/sweep.json")"
  wait_caught_up "$run" $life
  if [ ! -f "$DIR/users.sample" ]; then
    awk -v s=$SEED 'BEGIN { srand(s) } $1 == "user" { print rand(), $2 }' "$DIR/counts.txt" | sort -g | awk -v n="$SAMPLE" 'NR <= n { print $2 }' > "$DIR/users.sample"
    awk -v s=$((SEED + 1)) 'BEGIN { srand(s) } $1 == "item" { print rand(), $2 }' "$DIR/counts.txt" | sort -g | awk -v n="$SAMPLE" 'NR <= n { print $2 }' > "$DIR/items.sample"
    awk -v s=$((SEED + 2)) -v n="$PAIRS" 'BEGIN { srand(s) } $1 == "user" { u[nu++] = $2 } $1 == "item" { i[ni++] = $2 }
      END { for (k = 0; k < n; k++) print u[int(rand() * nu)], i[int(rand() * ni)] }' "$DIR/counts.txt" > "$DIR/pairs.sample"
  fi
  sample_fetch "$run"
  SECONDS_RUN=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  kill $SERVE; wait $SERVE 2>/dev/null || true; SERVE=
  kill $BROKER; wait $BROKER 2>/dev/null || true; BROKER=
  rm -rf "$DIR/$run/kafka" "$DIR/$run/streams"
}

one_run crashed "$KILLS" "$@"
C_SECONDS=$SECONDS_RUN; C_ASKED=$RECOVERY_ASKED; C_INSTALLED=$RECOVERY_INSTALLED
C_U="$U_CHECKED $U_WRONG $U_WANT $U_GOT"; C_I="$I_CHECKED $I_WRONG $I_WANT $I_GOT"
one_run reference 0 "$@"
R_U="$U_CHECKED $U_WRONG"; R_I="$I_CHECKED $I_WRONG"
# max abs diff per kind (user bias, user norm, item bias, item norm, prediction) between the runs
DIFFS=$(awk 'FNR == NR { a[$1] = $2; next }
  { kind = ($1 ~ /prediction$/) ? "prediction" : ($1 ~ /^users/ ? "user_" : "item_") ($1 ~ /bias$/ ? "bias" : "norm")
    n[kind]++
    if (!($1 in a) || a[$1] == "null" || $2 == "null") { miss[kind]++; next }
    d = a[$1] - $2; if (d < 0) d = -d; if (d > m[kind]) m[kind] = d }
  END { split("user_bias user_norm item_bias item_norm prediction", ks, " ")
    for (j = 1; j <= 5; j++) { k = ks[j]; printf "\"max_abs_diff_%s\":%.3g,\"compared_%s\":%d,\"missing_%s\":%d,", k, m[k] + 0, k, n[k] + 0, k, miss[k] + 0 } }' \
  "$DIR/crashed/model.txt" "$DIR/reference/model.txt")
MAXD=$(echo "$DIFFS" | grep -o '"max_abs_diff_[a-z_]*":[0-9.e+-]*' | cut -d: -f2 | awk '{ if ($1 > m) m = $1 } END { print m + 0 }')
MISSING=$(echo "$DIFFS" | grep -o '"missing_[a-z_]*":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
set -- $C_U; CU=("$@"); set -- $C_I; CI=("$@"); set -- $R_U; RU=("$@"); set -- $R_I; RI=("$@")
OK=$(awk -v a="${CU[1]}" -v b="${CI[1]}" -v c="${RU[1]}" -v d="${RI[1]}" -v m="$MAXD" -v t="$TOL" -v x="$MISSING" \
  'BEGIN { print (a + b + c + d == 0 && m <= t && x == 0) ? "true" : "false" }')
echo "{\"events\":$EVENTS,\"rate\":$RATE,\"kills\":$KILLS,\"count_check\":\"every id\",\"users_checked\":${CU[0]},\"users_wrong\":${CU[1]},\"user_ratings_expected\":${CU[2]},\"user_ratings_stored\":${CU[3]},\"items_checked\":${CI[0]},\"items_wrong\":${CI[1]},\"item_ratings_expected\":${CI[2]},\"item_ratings_stored\":${CI[3]},\"reference_users_wrong\":${RU[1]},\"reference_items_wrong\":${RI[1]},\"recovery_sweeps_asked\":$C_ASKED,\"recovery_sweeps_installed\":$C_INSTALLED,${DIFFS}\"seconds_crashed\":$C_SECONDS,\"seconds_reference\":$SECONDS_RUN,\"ok\":$OK,\"serve_args\":\"$SERVE_ARGS\"}"
if [ "$OK" != true ]; then
  for f in "$DIR"/*/user.wrong "$DIR"/*/item.wrong; do
    [ -s "$f" ] && { echo "$f (id expected got), first 20 of $(wc -l < "$f"):" >&2; head -20 "$f" >&2; }
  done
  KEEP=1
  exit 1
fi
