#!/usr/bin/env bash
# A small virtual environment with OpenAI's Python client, for OpenAiClientTest: the real client
# must complete and stream against the server. Idempotent; created under target/ (a build output).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/../target/openai-client-venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import openai" 2>/dev/null; then
  echo "$venv/bin/python"
  exit 0
fi
python3 -m venv "$venv" >&2
indexes=()
# The local mirror's own file indexes, where this machine has them (the default index may be unreachable).
if [ -d /opt/pypi/simple ]; then
  indexes=(--index-url file:///opt/pypi/simple)
  [ -d /opt/pypi-more/simple ] && indexes+=(--extra-index-url file:///opt/pypi-more/simple)
fi
"$venv/bin/pip" install -q "${indexes[@]}" 'openai>=1.0' >&2
echo "$venv/bin/python"
