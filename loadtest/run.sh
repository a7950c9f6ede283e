#!/usr/bin/env bash
# The load-test bench: builds the bench models if missing, packages Infera, then runs
# io.infera.bench.BenchSuite, which starts Infera and a FastAPI peer itself, on loopback only,
# and prints one table (also written to loadtest/results/latest.md). About 30 minutes at the
# default 8 s per point; BENCH_SECONDS=4 shortens it. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[ -x fixtures/.venv/bin/python ] || fixtures/setup_python.sh
fixtures/.venv/bin/python -c "import fastapi, uvicorn" 2>/dev/null || fixtures/.venv/bin/python -m pip install -q -r loadtest/peer/requirements.txt
./mvnw -B -q package -DskipTests
if { [ ! -f loadtest/models/bert-small/model.onnx ] || [ ! -f loadtest/backends/torchscript/bert-small/model.pt ]; }; then
  fixtures/.venv/bin/python loadtest/make_bench_models.py
fi
./mvnw -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# The class path goes in an argument file: ONNX Runtime 1.29's Java binding crashes (SIGSEGV while
# creating its environment) when the JVM's command line is longer than about 4 KB.
echo "-cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)" > target/bench.args
if [ "${BENCH_ONLY:-}" = jmh ]; then
  # the request path outside the model, stage by stage (about 2 minutes)
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED @target/bench.args org.openjdk.jmh.Main RequestPathBenchmarks \
    -rf text -rff loadtest/results/latest-jmh.txt
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dbench.seconds="${BENCH_SECONDS:-8}" -Dbench.only="${BENCH_ONLY:-}" \
  -Dbench.builds="${BENCH_BUILDS:-}" @target/bench.args \
  io.infera.bench.BenchSuite
