#!/usr/bin/env bash
# Text-generation bench: continuous batching against one request at a time, on the same
# server build and model, with CONCURRENCY streaming clients. Builds the bench model if missing,
# packages Infera, runs the server twice (infera.generation.max-sequences=1, then the default 16)
# and prints one table (also loadtest/results/generation-latest.md). A few minutes; not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
CONCURRENCY=${CONCURRENCY:-8}
REQUESTS=${REQUESTS:-4}
MAX_TOKENS=${MAX_TOKENS:-64}
PORT=${PORT:-18080}
[ -x fixtures/.venv/bin/python ] || fixtures/setup_python.sh
[ -f loadtest/generation-models/gpt2-bench/model.onnx ] || fixtures/.venv/bin/python loadtest/make_generation_bench_model.py
./mvnw -B -q package -DskipTests
python=python3
mkdir -p loadtest/results
results=loadtest/results/generation-latest.md

run() { # $1 = label, $2 = max sequences per step
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dquarkus.http.port="$PORT" \
    -Dinfera.models-dir=loadtest/generation-models -Dinfera.generation.max-sequences="$2" \
    -jar target/quarkus-app/quarkus-run.jar > "target/generation-bench-$2.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    curl -sf "localhost:$PORT/v2/health/ready" > /dev/null && break
    sleep 1
  done
  "$python" loadtest/generation_client.py "http://localhost:$PORT" 2 1 8 > /dev/null   # warm-up
  local line
  line=$("$python" loadtest/generation_client.py "http://localhost:$PORT" "$CONCURRENCY" "$REQUESTS" "$MAX_TOKENS")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  "$python" - "$1" "$line" <<'PY'
import json, sys
r = json.loads(sys.argv[2])
print(f"| {sys.argv[1]} | {r['tokens_per_s']:.0f} | {r['ttft_p50_ms']:.0f} / {r['ttft_p99_ms']:.0f} | {r['itl_p50_ms']:.1f} / {r['itl_p99_ms']:.1f} |")
PY
}

{
  echo "Text generation, $CONCURRENCY concurrent streams x $REQUESTS requests x $MAX_TOKENS tokens, gpt2-bench (8 layers, hidden 512), $(date -u +%F)"
  echo
  echo "| scheduling | tokens/s | time to first token p50 / p99 (ms) | inter-token latency p50 / p99 (ms) |"
  echo "|---|---|---|---|"
  run "one request at a time (max-sequences 1)" 1
  run "continuous batching (max-sequences 16)" 16
} | tee "$results"
