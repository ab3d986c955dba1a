#!/usr/bin/env bash
# Installs what the integration tests run against and with: the real MCP servers (package.json + package-lock.json,
# npm ci), a real Prometheus, PostgreSQL and Chromium (Debian's packages, apt) and a client nobody here wrote, the official MCP Python SDK
# (scripts/test-python-requirements.txt, pip, in the virtual environment .test-python). Skips each install when it already matches its lock or requirements file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stamp=node_modules/.mcp-health-installed-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "test MCP servers: node_modules matches package-lock.json"
else
  if ! command -v npm >/dev/null 2>&1; then
    echo "test MCP servers: npm is not installed; the integration tests need Node.js 20+ and npm" >&2
    exit 1
  fi
  echo "test MCP servers: npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# Debian packages the tests drive for real: Prometheus and promtool (MetricsIT), headless Chromium and its driver
# (DashboardBrowserIT, through Selenium), the PostgreSQL server (the Postgres*IT tests start their own, as nobody, in a
# temporary directory).
# Installed with apt when missing and this runs as root; otherwise said, and those tests say it again when they run.
apt_tool() { # package, the binary it brings
  if [ -x "$2" ]; then
    echo "test $1: $2 is there"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test $1: apt-get install $1"
    if ! (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" \
          || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1")); then
      # said, not fatal: every other test can still run
      echo "test $1: apt-get could not install $1; the tests that need $2 will say so" >&2
    fi
  else
    echo "test $1: $2 is missing and this is not root: run apt-get install $1 (some tests need it)" >&2
  fi
}
apt_tool prometheus /usr/bin/promtool
apt_tool chromium /usr/bin/chromium
apt_tool chromium-driver /usr/bin/chromedriver  # Selenium's ChromeDriver for Debian's chromium (same version)
pg_initdb="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$pg_initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    # the tests make their own servers: no cluster of the package's own, listening on 5432
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/mcp-health-tests.conf
  fi
  apt_tool postgresql /usr/lib/postgresql/any/bin/initdb
else
  echo "test postgresql: $pg_initdb is there"
fi

venv=.test-python
requirements=scripts/test-python-requirements.txt
pystamp="$venv/.mcp-health-installed-requirements"
if [ -f "$pystamp" ] && cmp -s "$requirements" "$pystamp" && [ -x "$venv/bin/python" ]; then
  echo "test Python client: $venv matches $requirements"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "test Python client: python3 is not installed; the integration tests need Python 3.10+ with venv and pip" \
       "(Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
rm -rf "$venv"
if ! python3 -m venv "$venv"; then
  echo "test Python client: python3 cannot make a virtual environment (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
# Where pip is configured with a local index (extra-index-url file://...), use it in place of PyPI's: a machine set up
# that way cannot reach PyPI, and pip would wait minutes on it before falling back.
index=()
extra="$("$venv/bin/python" -m pip config get global.extra-index-url 2>/dev/null || true)"
first="$(printf '%s\n' $extra | sed -n 1p)"
if [ -z "${PIP_INDEX_URL:-}" ] && [[ "$first" == file://* ]]; then
  index=(--index-url "$first")
fi
echo "test Python client: pip install -r $requirements ${index[*]}"
"$venv/bin/python" -m pip install --disable-pip-version-check "${index[@]}" -r "$requirements"
cp "$requirements" "$pystamp"
