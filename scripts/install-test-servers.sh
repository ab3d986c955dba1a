#!/usr/bin/env bash
# Installs the real MCP servers the integration tests run against (package.json + package-lock.json, npm ci).
# Skips the install when node_modules already matches the lock file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stamp=node_modules/.mcp-health-installed-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "test MCP servers: node_modules matches package-lock.json"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "test MCP servers: npm is not installed; the integration tests need Node.js 20+ and npm" >&2
  exit 1
fi
echo "test MCP servers: npm ci"
npm ci --no-audit --no-fund
cp package-lock.json "$stamp"
