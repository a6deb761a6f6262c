#!/usr/bin/env bash
# Proves the end-to-end run can fail: copies the repository (tracked and untracked files, plus
# the built dist/ and out/) to a temporary folder, points the copy's dist/extension.js at a
# language server that does not exist, runs the code-server runner on the copy and expects a
# non-zero exit. The real tree is never touched. Run `npm run compile && npm run build` and
# test/e2e/setup.sh first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COPY="$(mktemp -d "${TMPDIR:-/tmp}/cluster-preflight-broken-XXXXXX")"
trap 'rm -rf "$COPY"' EXIT

cd "$ROOT"
{ git ls-files; git ls-files --others --exclude-standard; } | sort -u | while IFS= read -r f; do
  [[ -e "$f" ]] && printf '%s\0' "$f"
done | xargs -0 cp --parents -t "$COPY"
cp -r dist out "$COPY/"
ln -s "$ROOT/node_modules" "$COPY/node_modules"

grep -q "asAbsolutePath(\"dist/server.js\")" "$COPY/dist/extension.js" || {
  echo "[broken-client] dist/extension.js no longer has asAbsolutePath(\"dist/server.js\"): update this check" >&2
  exit 2
}
sed -i 's#asAbsolutePath("dist/server.js")#asAbsolutePath("dist/no-such-server.js")#' "$COPY/dist/extension.js"
echo "[broken-client] copy in $COPY; its extension now starts dist/no-such-server.js"

set +e
CLUSTER_PREFLIGHT_CODE_SERVER="$ROOT/.vscode-test/code-server" \
CLUSTER_PREFLIGHT_E2E_DIAGNOSTICS_TIMEOUT="${CLUSTER_PREFLIGHT_E2E_DIAGNOSTICS_TIMEOUT:-5000}" \
  node "$COPY/out/test/e2e/runCodeServer.js" 2>&1 | tee "$COPY/run.log"
code=${PIPESTATUS[0]}
set -e
mkdir -p "$ROOT/test-output"
cp "$COPY/run.log" "$ROOT/test-output/broken-client.log"
if [[ $code -eq 0 ]]; then
  echo "[broken-client] FAIL: the suite passed against a client that cannot start its server" >&2
  exit 1
fi
echo "[broken-client] OK: the suite failed as it must (runner exit code $code); log in test-output/broken-client.log"
