#!/usr/bin/env bash
# What the batching modes of graphs that cannot batch freely cost (io.infera.bench.BatchingModesBench):
# a dynamically quantized embedder a row at a time against a request's rows in one run, and a
# decoder without position_ids grouping same-position sequences against one sequence per step.
# Needs the build's target/models (./mvnw generate-resources fetches them). About 2 minutes; not CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# an argument file: ONNX Runtime's Java binding crashes when the JVM's command line passes about 4 KB
echo "-cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)" > target/bench.args
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dbench.seconds="${BENCH_SECONDS:-6}" \
  -Dbench.rounds="${BENCH_ROUNDS:-3}" @target/bench.args io.infera.bench.BatchingModesBench
