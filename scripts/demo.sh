#!/usr/bin/env bash
# Install readout into .venv (created if missing) and render the bundled sample readouts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh

ensure_venv
echo "==> pip install -e ."
.venv/bin/python -m pip install --quiet -e .
echo "==> readout parse src/readout/samples --format md"
.venv/bin/readout parse src/readout/samples --format md
