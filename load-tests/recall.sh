#!/usr/bin/env bash
# recall@K of the served recommendations against exact=true, on a running `serve` (the item index serves once
# the catalogue has http.index.min.items items): for N users of USERS_FILE (one id a line, every STEP-th),
# GET /users/{id}/recommendations?k=K with and without exact=true, and the share of the exact list found.
#   load-tests/recall.sh URL USERS_FILE [N=200] [K=10]
# Prints one JSON object: users, recall, worst user's recall, the searches the default answers reported.
# Needs curl and jq.
set -euo pipefail
URL=$1
USERS=$2
N=${3:-200}
K=${4:-10}
TOTAL=$(wc -l < "$USERS")
STEP=$(( TOTAL / N > 0 ? TOTAL / N : 1 ))
hits=0; asked=0; worst=$K; users=0; searches=""
for id in $(awk -v s="$STEP" 'NR % s == 0' "$USERS" | head -n "$N"); do
  got=$(curl -sf "$URL/users/$id/recommendations?k=$K") || continue
  want=$(curl -sf "$URL/users/$id/recommendations?k=$K&exact=true") || continue
  h=$(jq -n --argjson a "$got" --argjson b "$want" \
    '[$a.items[].itemId] as $g | [$b.items[].itemId] | map(select(. as $i | $g | index($i))) | length')
  n=$(jq '.items | length' <<< "$want")
  searches="$searches $(jq -r .query.search <<< "$got")"
  hits=$((hits + h)); asked=$((asked + n)); users=$((users + 1))
  [ "$h" -lt "$worst" ] && worst=$h
done
echo "{\"users\":$users,\"k\":$K,\"recall\":$(echo "scale=4; $hits / $asked" | bc),\"worst_user_hits\":$worst,\"searches\":$(tr ' ' '\n' <<< "$searches" | grep -v '^$' | sort | uniq -c | jq -R -s -c 'split("\n") | map(select(length > 0) | capture("(?<n>[0-9]+) (?<s>.*)") | {(.s): (.n | tonumber)}) | add')}"
