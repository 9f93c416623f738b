#!/usr/bin/env bash
# Install readout into .venv (created if missing), ingest the bundled readouts into a
# SQLite file and serve the web app on it.  The address is printed; Ctrl-C stops it.
#   PORT=8001 bash scripts/demo.sh        another port
#   READOUT_TOKEN=secret bash scripts/demo.sh   allow corrections and uploads
#   DEMO_DB=/tmp/r.sqlite bash scripts/demo.sh  another database file
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh

ensure_venv
echo "==> pip install -e ."
.venv/bin/python -m pip install --quiet -e .
db="${DEMO_DB:-out/demo.sqlite}"
mkdir -p "$(dirname "$db")"
# The bundled readouts: the reference 2+2 readout, the composed Japan–US 2+2 series
# (2017–2026), the parser's composed test corpus and the dev split of the gold corpus.
echo "==> readout ingest … --db $db"
.venv/bin/readout ingest src/readout/samples tests/fixtures/series tests/fixtures/readouts \
  gold/dev --db "$db"
echo "==> readout serve --db $db"
exec .venv/bin/readout serve --db "$db" --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
