#!/usr/bin/env bash
# Creates models/.venv with the packages the scripts here need, from the local package mirror.
# Only needed to regenerate test models or references; the build and CI use the committed files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python3 -m venv "$here/.venv"
# The mirror's own file indexes; the default index is not reachable from this network.
"$here/.venv/bin/pip" install -q --index-url file:///opt/pypi/simple \
  --extra-index-url file:///opt/pypi-more/simple -r "$here/requirements.txt"
echo "ready: $here/.venv/bin/python"
