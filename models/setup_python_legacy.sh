#!/usr/bin/env bash
# An overlay on models/.venv with transformers 4.57.6 and tokenizers 0.22.2, for the references of
# the text-understanding tasks (make_text_task_models.py):
#  - transformers 5 dropped the question-answering (and table/visual QA) pipelines (DESIGN.md §6);
#  - tokenizers 0.23 (which transformers 5 requires) keeps only the first overflowing window when
#    truncating with a stride, so token-classification with stride sees a fraction of a long text;
#    0.22.2 windows the whole text, as DJL's bundled tokenizers do.
# transformers 4.57.6 refuses the mirror's huggingface-hub 1.x only through its import-time version
# table, which is relaxed here. Use: PYTHONPATH=models/.legacy models/.venv/bin/python ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/.venv/bin/python" ] || "$here/setup_python.sh"
pip="$here/.venv/bin/pip"
index=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple)
"$pip" install -q --no-deps --upgrade --target "$here/.legacy" "${index[@]}" transformers==4.57.6 tokenizers==0.22.2 pandas==2.3.3 \
  requests urllib3 idna certifi charset-normalizer pytz tzdata python-dateutil six
sed -i 's/"huggingface-hub": "huggingface-hub>=0.34.0,<1.0",/"huggingface-hub": "huggingface-hub>=0.34.0",/' \
  "$here/.legacy/transformers/dependency_versions_table.py"
echo "ready: PYTHONPATH=$here/.legacy $here/.venv/bin/python"
