# Sourced by the other scripts: ensure_venv creates .venv with Python >= 3.11 if missing.
# Set PYTHON to choose the interpreter; otherwise the first of python3, python3.13,
# python3.12, python3.11 that is new enough is used.

ensure_venv() {
  if [ -x .venv/bin/python ]; then
    return 0
  fi
  local candidate found=""
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
      found=$candidate
      break
    fi
  done
  if [ -z "$found" ]; then
    echo "$0: no Python 3.11 or newer found (set PYTHON=/path/to/python3)" >&2
    return 1
  fi
  echo "==> creating .venv with $found ($("$found" --version 2>&1))"
  "$found" -m venv .venv
}
