#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the parsers that read untrusted bytes: the Open Inference
# Protocol's JSON-to-tensor path, the image decoder (header read before decoding), the WAV parser
# and model-name validation. Each target runs for its @FuzzTest(maxDuration), every input with the
# @Timeout of its method; a crash or timeout is written next to the target's committed corpus
# (src/test/resources/<package>/<Class>Inputs/<method>/), where every normal build replays it.
# New corpus entries the fuzzer found are copied there too: commit them.
#
# Then HostileInputsIT draws 10,000 hostile HTTP requests from a fresh seed against the packaged
# server (CI replays one fixed seed); a failure prints the request: pin it as a unit test.
#
#   scripts/fuzz.sh [Target ...]      (default: all four; about 2 minutes each, then the hostile run)
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(TensorDecodingFuzzTest ImageDecoderFuzzTest WavDecoderFuzzTest ModelNameFuzzTest)
fi
status=0
for target in "${targets[@]}"; do
  echo "== fuzzing $target"
  # JUnit's own @Timeout would end the whole fuzzing run (one JUnit invocation); Jazzer applies it per input.
  JAZZER_FUZZ=1 ./mvnw -B -ntp -q test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djunit.jupiter.execution.timeout.mode=disabled || status=1
done
if [ $# -eq 0 ]; then
  echo "== hostile HTTP requests from a fresh seed"
  ./mvnw -B -ntp -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=HostileInputsIT \
    -Dinfera.hostile.explore=true -Dinvoker.skip=true || status=1
fi
# .cifuzz-corpus/<package.Class>/<method>/<sha1> -> src/test/resources/<package>/<Class>Inputs/<method>/
added=0
for dir in .cifuzz-corpus/*/*/; do
  [ -d "$dir" ] || continue
  class=$(basename "$(dirname "$dir")")
  method=$(basename "$dir")
  target="src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
  mkdir -p "$target"
  for f in "$dir"*; do
    [ -e "$target/$(basename "$f")" ] || { cp "$f" "$target/"; added=$((added + 1)); }
  done
done
echo "corpus entries added: $added"
exit $status
