#!/usr/bin/env bash
# Issue #17's sweep measurement as one command: a sweep on one instance and on N instances of one application,
# on the twin, through a real broker. A broker in its own process (`foldin broker`), N `serve --bootstrap-servers`
# instances (own state dirs and HTTP ports; no scheduled sweep: sweep.every.ms=0, sweep.first.after.ratings=0),
# the whole twin at SCALE replayed unpaced (`foldin replay`), then, once every instance is caught up
# (foldin_consumer_lag 0 on every instance twice in a row, 1 s apart, and every instance on the same model
# epoch), R cold sweeps (POST /admin/sweep?wait=true&iterations=ITER&warm=false on the LAST instance, which with
# N > 1 is usually not the leader, so the request is forwarded), one after another on the same running cluster.
# Per sweep: the request's wall time (curl), and from the logs the leader's phases
#   "sweep epoch=E ... gathered B B in G ms; swept in C ms; sent S B of results in P ms"  (SweepExchange, N > 1)
# or, on one instance, "sweep epoch=E ratings=R duration_ms=D ..." (FoldinTopology: the in-stream sweep),
# foldin_sweep_bytes_total{topic} summed over every instance's /metrics (bytes handed to the producer, before
# lz4), and what the broker's log segments of sweep-data and sweep-results grew by (bytes on the wire: lz4
# batches with record overhead).
#   load-tests/scale-sweep.sh N [SCALE]                     (SCALE 0.1: 3.2M ratings)
# R sweeps (3); ITER iterations per sweep (10); JAR (target/foldin.jar: JAR=../wt-base/target/foldin.jar runs
# an older build the same way; N = 1 only before the gathered sweep); GEN_JAR (the jar that generates the twin,
# default JAR); TWIN_DIR (/tmp/twin-SCALE; generated with --format bin when missing, reused otherwise);
# SERVE_JVM (-Xmx2g; give each instance several GB at SCALE 1.0); REPLAY_JVM; PARTITIONS (the default, 4);
# SERVE_ARGS (more serve options). KEEP=1 keeps the work directory (logs, metrics scrapes).
# Needs curl, awk, java. Prints one JSON line on stdout; progress on stderr. Exit 0 when every sweep completed.
set -euo pipefail
N=${1:?usage: load-tests/scale-sweep.sh N [SCALE]}; SCALE=${2:-0.1}
JAR=${JAR:-target/foldin.jar}; GEN_JAR=${GEN_JAR:-$JAR}
R=${R:-3}; ITER=${ITER:-10}
TWIN_DIR=${TWIN_DIR:-/tmp/twin-$SCALE}
for tool in curl awk java; do command -v $tool > /dev/null || { echo "scale-sweep.sh needs $tool" >&2; exit 1; }; done
[ -f "$JAR" ] || { echo "no jar at $JAR: mvn -q -o package -DskipTests" >&2; exit 1; }
DIR=$(mktemp -d /tmp/foldin-scale-sweep.XXXX)
TOKEN="sweep-$RANDOM$RANDOM$RANDOM"
PIDS=(); BROKER=; REPLAY=
cleanup() {
  for p in $REPLAY "${PIDS[@]}" $BROKER; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'echo "scale-sweep.sh: failed at line $LINENO" >&2' ERR
log() { echo "[scale-sweep $(date +%T)] $*" >&2; }
die() { echo "$*" >&2; KEEP=1; exit 1; }

free_port() {
  local p
  while :; do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
}

# the twin: generated once per SCALE, reused after
if [ ! -f "$TWIN_DIR/ratings.bin" ]; then
  log "generating the twin at scale $SCALE into $TWIN_DIR"
  java -Xmx4g -jar "$GEN_JAR" generate --scale "$SCALE" --out "$TWIN_DIR" --format bin > "$DIR/generate.log" 2>&1 \
    || { cat "$DIR/generate.log" >&2; die "generate failed"; }
fi
TWIN=$TWIN_DIR/ratings.bin

# broker in its own process
java -Xmx1g -jar "$JAR" broker --data-dir "$DIR/kafka" --port 0 --port-file "$DIR/broker.addr" \
  > /dev/null 2> "$DIR/broker.log" &
BROKER=$!
until [ -s "$DIR/broker.addr" ]; do
  kill -0 $BROKER 2>/dev/null || { tail -20 "$DIR/broker.log" >&2; die "broker died"; }
  sleep 0.2
done
BS=$(cat "$DIR/broker.addr")
log "broker at $BS; jar $JAR; $N instance(s)"

# N instances of one application
PORTS=()
PART_ARGS=(); [ -n "${PARTITIONS:-}" ] && PART_ARGS=(--set "partitions=$PARTITIONS")
for ((i = 1; i <= N; i++)); do
  port=$(free_port); PORTS+=("$port")
  # shellcheck disable=SC2086
  java ${SERVE_JVM:--Xmx2g} --add-modules jdk.incubator.vector -jar "$JAR" serve --bootstrap-servers "$BS" \
    --state-dir "$DIR/streams-$i" --http-port "$port" \
    --set sweep.every.ms=0 --set sweep.first.after.ratings=0 --set "admin.token=$TOKEN" "${PART_ARGS[@]}" \
    ${SERVE_ARGS:-} > "$DIR/serve-$i.log" 2>&1 &
  PIDS+=($!)
done
url() { echo "http://127.0.0.1:${PORTS[$(($1 - 1))]}"; }
alive() { local i; for ((i = 1; i <= N; i++)); do
  kill -0 "${PIDS[$((i - 1))]}" 2>/dev/null || { tail -30 "$DIR/serve-$i.log" >&2; die "instance $i died"; }; done; }
# metric I NAME [LABELS]: the value of NAME{LABELS} (or the first series of NAME) on instance I; empty when none
metric() {
  { curl -sf "$(url "$1")/metrics" || true; } | awk -v n="$2" -v l="${3:-}" '
    l == "" && ($1 == n || index($1, n "{") == 1) { print $2; exit }
    l != "" && $1 == n "{" l "}" { print $2; exit }'
}
streams_state() { { curl -s "$(url "$1")/health/ready" || true; } | grep -o '"streams":"[A-Z_]*"' | cut -d'"' -f4; }

# every instance RUNNING, with tasks, three scrapes in a row (the group has settled before any rating comes)
t0=$(date +%s.%N); ok=0
while [ $ok -lt 3 ]; do
  sleep 1; alive
  all=1
  for ((i = 1; i <= N; i++)); do
    [ "$(streams_state $i)" = RUNNING ] || all=0
    grep -q "REBALANCING -> RUNNING" "$DIR/serve-$i.log" || all=0
  done
  if [ $all = 1 ]; then ok=$((ok + 1)); else ok=0; fi
  awk -v a="$t0" -v b="$(date +%s)" 'BEGIN { exit !(b - a > 300) }' && die "instances not all RUNNING after 300 s"
done
log "every instance RUNNING: $(for ((i = 1; i <= N; i++)); do echo -n "$(url $i) "; done)"

# the twin, unpaced
log "replaying $TWIN"
tr0=$(date +%s.%N)
# shellcheck disable=SC2086
java ${REPLAY_JVM:-} -jar "$JAR" replay --ratings "$TWIN" --bootstrap-servers "$BS" --json \
  > "$DIR/replay.json" 2> "$DIR/replay.log" || { tail -20 "$DIR/replay.log" >&2; die "replay failed"; }
log "replay done: $(cat "$DIR/replay.json")"
RATINGS=$(grep -o '"sent":[0-9]*\|"events":[0-9]*\|"ratings":[0-9]*' "$DIR/replay.json" | head -1 | cut -d: -f2 || true)

# caught up: lag 0 on every instance twice in a row, and every instance on one epoch
ok=0
while [ $ok -lt 2 ]; do
  sleep 1; alive
  all=1; epochs=""
  for ((i = 1; i <= N; i++)); do
    lag=$(metric $i foldin_consumer_lag); [ "${lag%.*}" = 0 ] || all=0
    epochs="$epochs $(metric $i foldin_model_epoch)"
  done
  [ "$(echo $epochs | tr ' ' '\n' | sort -u | wc -l)" = 1 ] || all=0
  if [ $all = 1 ]; then ok=$((ok + 1)); else ok=0; fi
done
CATCHUP_S=$(awk -v a="$tr0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
# every instance holds tasks: it folded ratings in (foldin_events_total, both sides)
EVENTS=""
for ((i = 1; i <= N; i++)); do
  e=$({ curl -sf "$(url $i)/metrics" || true; } | awk '$1 ~ /^foldin_events_total/ { s += $2 } END { printf "%.0f", s }')
  [ "${e:-0}" -gt 0 ] || die "instance $i folded no event in: it holds no task"
  EVENTS="$EVENTS${EVENTS:+,}$e"
done
log "caught up ${CATCHUP_S} s after the replay started; epoch$epochs; events folded per instance: $EVENTS"
SWEEPS_BEFORE=$(cat "$DIR"/serve-*.log | grep -c "sweep epoch=" || true)

# wire: what the broker's log segments of a topic hold now (lz4 batches as stored)
wire() { find "$DIR/kafka" -path "*/$1-[0-9]*/*" -name '*.log' -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
# sum over instances of foldin_sweep_bytes_total{topic="T"}
sent() { local i s=0 v; for ((i = 1; i <= N; i++)); do v=$(metric $i foldin_sweep_bytes_total "topic=\"$1\""); s=$(awk -v a=$s -v b="${v:-0}" 'BEGIN { printf "%.0f", a + b }'); done; echo $s; }

RUNS=""; FAILED=0; LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for ((k = 1; k <= R; k++)); do
  bd0=$(sent sweep-data); br0=$(sent sweep-results); wd0=$(wire sweep-data); wr0=$(wire sweep-results)
  code=$(curl -s -o "$DIR/sweep-$k.json" -w '%{http_code} %{time_total}' -X POST -H "Authorization: Bearer $TOKEN" \
    "$(url $N)/admin/sweep?wait=true&iterations=$ITER&warm=false" || true)
  wall_ms=$(awk -v t="${code#* }" 'BEGIN { printf "%.0f", t * 1000 }')
  if [ "${code% *}" != 200 ]; then
    log "sweep $k: HTTP ${code% *}: $(cat "$DIR/sweep-$k.json")"; FAILED=$((FAILED + 1)); KEEP=1
    RUNS="$RUNS${RUNS:+,}{\"wall_ms\":$wall_ms,\"http\":${code% *}}"; continue
  fi
  epoch=$(grep -o '"epoch":[0-9]*' "$DIR/sweep-$k.json" | cut -d: -f2)
  dur=$(grep -o '"durationMs":[0-9]*' "$DIR/sweep-$k.json" | cut -d: -f2)
  # the leader's line is written before every instance installed, so it is there once the request returns;
  # the metrics are counted as records are handed to the producer, also before
  sleep 0.5
  line=$(grep -h "sweep epoch=$epoch .*gathered" "$DIR"/serve-*.log | head -1 || true)
  leader=$(grep -l "sweep epoch=$epoch .*gathered" "$DIR"/serve-*.log | head -1 | sed 's/.*serve-\([0-9]*\).log/\1/' || true)
  stream=$(grep -h "sweep epoch=$epoch ratings=[0-9]* duration_ms=" "$DIR"/serve-*.log | head -1 || true)
  num() { echo "$1" | sed -n "s/.*$2.*/\1/p"; }
  gb=$(num "$line" 'gathered \([0-9]*\) B in'); gms=$(num "$line" 'B in \([0-9]*\) ms; swept')
  cms=$(num "$line" 'swept in \([0-9]*\) ms'); sb=$(num "$line" 'sent \([0-9]*\) B of'); pms=$(num "$line" 'results in \([0-9]*\) ms')
  sdur=$(num "$stream" 'duration_ms=\([0-9]*\)'); nr=$(num "$stream$line" 'ratings=\([0-9]*\)')
  [ -z "$line" ] && [ "$N" = 1 ] && cms=$sdur
  bd=$(( $(sent sweep-data) - bd0 )); br=$(( $(sent sweep-results) - br0 ))
  wd=$(( $(wire sweep-data) - wd0 )); wr=$(( $(wire sweep-results) - wr0 ))
  js() { echo "${1:-null}"; }
  run="{\"epoch\":$epoch,\"wall_ms\":$wall_ms,\"duration_ms\":$(js "$dur"),\"stream_duration_ms\":$(js "$sdur"),\"gather_ms\":$(js "$gms"),\"compute_ms\":$(js "$cms"),\"publish_ms\":$(js "$pms"),\"bytes_data\":$bd,\"bytes_results\":$br,\"wire_data\":$wd,\"wire_results\":$wr,\"gathered_b\":$(js "$gb"),\"results_b\":$(js "$sb"),\"ratings\":$(js "$nr"),\"leader\":$(js "$leader")}"
  log "sweep $k: $run"
  RUNS="$RUNS${RUNS:+,}$run"
done
SWEEPS_AFTER=$(cat "$DIR"/serve-*.log | grep -c "sweep epoch=" || true)
ABANDONED=0
for ((i = 1; i <= N; i++)); do v=$(metric $i foldin_sweeps_abandoned_total); ABANDONED=$((ABANDONED + ${v%.*}0 / 10)); done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# medians over the completed runs
med() { echo "[$RUNS]" | { grep -o "\"$1\":[0-9][0-9]*" || true; } | cut -d: -f2 | sort -n | awk '{ a[NR] = $1 } END {
  if (NR == 0) print "null"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
MEDS=""
for f in wall_ms duration_ms stream_duration_ms gather_ms compute_ms publish_ms bytes_data bytes_results wire_data wire_results; do
  MEDS="$MEDS,\"median_$f\":$(med $f)"
done
echo "{\"n\":$N,\"scale\":$SCALE,\"ratings\":${RATINGS:-null},\"partitions\":${PARTITIONS:-4},\"iterations\":$ITER,\"jar\":\"$JAR\",\"catchup_s\":$CATCHUP_S,\"events_per_instance\":[$EVENTS],\"runs\":[$RUNS]$MEDS,\"failed\":$FAILED,\"abandoned\":$ABANDONED,\"sweep_lines_before\":$SWEEPS_BEFORE,\"sweep_lines_after\":$SWEEPS_AFTER,\"loadavg_before_sweeps\":\"$LOAD0\",\"loadavg_after\":\"$LOAD\"}"
[ "$FAILED" = 0 ]
