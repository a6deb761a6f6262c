#!/usr/bin/env bash
# Installs what the code-server end-to-end run (test/e2e/runCodeServer.ts) needs, idempotently:
#   - Debian packages: chromium (the browser), libkrb5-dev + pkg-config (code-server's native
#     `kerberos` module), ripgrep (stands in for @vscode/ripgrep's GitHub download);
#   - code-server@4.100.3 (VS Code 1.100.3's workbench + Node extension host; the newest that
#     runs on Node 20) into .vscode-test/code-server/, outside the project's dependencies.
# A second run with everything in place does nothing and takes well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
# @vscode/ripgrep version that code-server 4.100.3 pulls in, and the rg release it downloads.
VSCODE_RIPGREP_VERSION="${VSCODE_RIPGREP_VERSION:-1.15.11}"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
PREFIX="$ROOT/.vscode-test/code-server"
MARKER="$PREFIX/.installed-$CODE_SERVER_VERSION"

log() { echo "[e2e setup] $*"; }

# --- Debian packages --------------------------------------------------------------------------
APT_PACKAGES=(chromium libkrb5-dev pkg-config ripgrep)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "[e2e setup] need root (or sudo) to apt-get install: ${missing[*]}" >&2
    exit 1
  fi
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

# --- code-server ------------------------------------------------------------------------------
if [[ -f "$MARKER" && -x "$PREFIX/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION present in ${PREFIX#$ROOT/}"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this cached archive.
TMP_BASE="$(node -p 'require("os").tmpdir()')"
CACHE_DIR="$TMP_BASE/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
made_cache=""
if [[ ! -s "$CACHE_DIR/$RIPGREP_ARCHIVE" ]]; then
  made_cache=1
  log "caching Debian's rg as $CACHE_DIR/$RIPGREP_ARCHIVE"
  mkdir -p "$CACHE_DIR"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$CACHE_DIR/$RIPGREP_ARCHIVE" -C "$staging" rg
  rm -rf "$staging"
fi

log "npm install code-server@$CODE_SERVER_VERSION into ${PREFIX#$ROOT/} (about a minute)"
mkdir -p "$PREFIX"
[[ -f "$PREFIX/package.json" ]] || echo '{ "name": "cluster-preflight-e2e-code-server", "private": true }' > "$PREFIX/package.json"
# code-server's postinstall refuses root without unsafe_perm; node-pty's postinstall runs
# `npx node-gyp`, which needs yes=true without a terminal.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm install --prefix "$PREFIX" --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION"

# (Not `code-server --version`: any run of it writes ~/.config/code-server/config.yaml.)
installed="$(node -p "require('$PREFIX/node_modules/code-server/package.json').version")"
[[ "$installed" == "$CODE_SERVER_VERSION" ]] || { echo "[e2e setup] installed code-server $installed, wanted $CODE_SERVER_VERSION" >&2; exit 1; }
[[ -f "$PREFIX/node_modules/code-server/lib/vscode/out/server-main.js" ]] || { echo "[e2e setup] code-server's postinstall did not complete (no lib/vscode/out/server-main.js)" >&2; exit 1; }
[[ -x "$PREFIX/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] || { echo "[e2e setup] @vscode/ripgrep has no rg: did its version change from $VSCODE_RIPGREP_VERSION?" >&2; exit 1; }
[[ -n "$made_cache" ]] && rm -rf "$CACHE_DIR"
touch "$MARKER"
log "code-server $installed installed"
