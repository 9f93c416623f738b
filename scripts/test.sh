#!/usr/bin/env bash
# Every check CI runs, in order, stopping at the first failure: lint, format, types, the
# committed JSON Schema, then the tests.  Creates .venv if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh

step() {
  local name=$1
  shift
  echo "==> $name: $*"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "scripts/test.sh: FAILED: $name (exit code $rc)" >&2
    exit "$rc"
  fi
}

run_pytest() {
  local rc=0
  .venv/bin/python -m pytest "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "scripts/test.sh: pytest collected no tests" >&2
  fi
  return "$rc"
}

ensure_services() {
  # PostgreSQL for the store's tests.  On CI (CI=true) a server that is not running is
  # started with the machine's own cluster tools; elsewhere the tests that need it skip
  # with the reason shown.
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
      echo "==> starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    fi
  fi
  # A Japanese font for the PDF tests (fpdf2 embeds it in the PDFs they build).  On CI a
  # missing one is installed; elsewhere those tests skip with the reason shown.
  if [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null 2>&1 &&
    ! fc-list :lang=ja 2>/dev/null | grep -q .; then
    echo "==> installing a Japanese font (fonts-ipafont-gothic)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    $sudo apt-get install -y --no-install-recommends fonts-ipafont-gothic >/dev/null ||
      { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y --no-install-recommends fonts-ipafont-gothic >/dev/null; } ||
      echo "scripts/test.sh: could not install a Japanese font; the PDF tests that need one will skip" >&2
  fi
  # Debian's Chromium for the browser tests (Playwright drives it; `playwright install`
  # is never run).  On CI a missing one is installed; if that fails the browser tests
  # fail, as they do on CI without a browser.  Elsewhere they skip with the reason shown.
  if [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null 2>&1 &&
    ! command -v chromium >/dev/null 2>&1; then
    echo "==> installing Chromium (chromium) for the browser tests"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    local apt="$sudo env DEBIAN_FRONTEND=noninteractive apt-get"
    local log
    log=$(mktemp -t readout-apt-chromium.XXXXXX)
    if { $apt install -y --no-install-recommends chromium >"$log" 2>&1 ||
      { $apt update -q >>"$log" 2>&1 && $apt install -y --no-install-recommends chromium >>"$log" 2>&1; }; } &&
      command -v chromium >/dev/null 2>&1; then
      rm -f "$log"
    else
      echo "scripts/test.sh: could not install Chromium (apt-get install chromium); the browser tests will fail. The end of $log:" >&2
      tail -n 15 "$log" >&2 || true
    fi
  fi
}

ensure_venv
ensure_services
step "install" .venv/bin/python -m pip install --quiet -e ".[dev,bench]"
step "ruff check" .venv/bin/ruff check .
step "ruff format" .venv/bin/ruff format --check .
step "mypy" .venv/bin/mypy
step "schema" .venv/bin/python -m readout.schema --check
step "pytest" run_pytest
echo "scripts/test.sh: all checks passed"
