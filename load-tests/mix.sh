#!/usr/bin/env bash
# The query mix against a running `serve`, from a separate JVM (open loop, see LoadDriver's Javadoc).
#   load-tests/mix.sh [--url http://127.0.0.1:8080] [--rate 2000] [--seconds 60] [--warmup 10]
#                     [--users 1-610 | --users-file FILE] [--mix recommendations=70,similar=10,prediction=10,rating=10]
#                     [--connections 64] [--freshness 200] [--ramp 0]
# Prints one JSON object: throughput and p50/p95/p99/p999 per endpoint, statuses, freshness delays.
# Needs `mvn -q -B package -DskipTests && mvn -q -B test-compile` first.
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx512m -XX:+UseSerialGC -cp target/foldin.jar:target/test-classes io.foldin.load.LoadDriver "$@"
