#!/usr/bin/env bash
# Cluster Preflight in Neovim's built-in LSP client, headless (see lsp_test.lua). Installs
# Debian's neovim (0.7.x) when nvim is missing. Needs dist/server.js (`npm run build`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if ! command -v nvim >/dev/null; then
  echo "[nvim] installing Debian's neovim"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
if [[ ! -f "$ROOT/dist/server.js" ]]; then
  echo "[nvim] $ROOT/dist/server.js is missing: run \`npm run build\` first" >&2
  exit 1
fi
# Throwaway XDG homes: Neovim's logs (lsp.log) and state stay out of the user's home.
XDG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/cluster-preflight-nvim-XXXXXX")"
trap 'rm -rf "$XDG_TMP"' EXIT
# TMPDIR too: the test ends with os.exit(), which skips Neovim's removal of its /tmp/nvimXXXXXX.
export TMPDIR="$XDG_TMP" XDG_CONFIG_HOME="$XDG_TMP/config" XDG_DATA_HOME="$XDG_TMP/data" XDG_CACHE_HOME="$XDG_TMP/cache" XDG_STATE_HOME="$XDG_TMP/state"

echo "[nvim] $(nvim --version | head -1), server: node dist/server.js --stdio"

# -u NONE: no user config or plugins; -i NONE: no shada; -n: no swap file (the fixture is
# edited in the buffer, never written). `timeout` is the last resort behind the test's own.
cd "$ROOT"
CLUSTER_PREFLIGHT_ROOT="$ROOT" timeout --kill-after=5 "${CLUSTER_PREFLIGHT_NVIM_HARD_TIMEOUT:-90}" \
  nvim --headless -u NONE -i NONE -n -c 'luafile test/nvim/lsp_test.lua' </dev/null
