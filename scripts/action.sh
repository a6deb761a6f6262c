#!/usr/bin/env bash
# The GitHub Action's step (action.yml): writes the SARIF report, then prints the findings in the
# chosen format and fails by --fail-on. Inputs come as INPUT_* variables; paths are split on spaces.
# The CLI is one self-contained bundle (dist/cli.js). A ref that ships it runs it as is; on a ref
# without it (dist/ is build output, not committed), the step builds the CLI alone from the
# action's checkout with only what that needs: esbuild and the CLI's own imports, at the versions
# package-lock.json pins, installed into a temporary directory (about 10 packages, not `npm ci`'s
# every devDependency).
set -euo pipefail
ACTION_PATH="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
CLI="$ACTION_PATH/dist/cli.js"
CLI_BUILD_PACKAGES=(esbuild yaml picomatch ipaddr.js ajv ajv-formats web-tree-sitter @tree-sitter-grammars/tree-sitter-hcl)
if [[ ! -f "$CLI" ]]; then
  tools="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cluster-preflight-build.XXXXXX")"
  trap 'rm -rf "$tools"' EXIT
  # (read -a, not mapfile: macOS runners' bash is 3.2)
  read -r -a pinned <<< "$(cd "$ACTION_PATH" && node -e '
    const lock = require("./package-lock.json");
    console.log(process.argv.slice(1).map((name) => `${name}@${lock.packages[`node_modules/${name}`].version}`).join(" "));
  ' "${CLI_BUILD_PACKAGES[@]}")"
  echo "Cluster Preflight: building the CLI with ${pinned[*]}"
  npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel error "${pinned[@]}"
  (cd "$ACTION_PATH" && NODE_PATH="$tools/node_modules" node scripts/build.mjs --cli)
fi
read -r -a paths <<< "${INPUT_PATHS:-.}"
node "$CLI" --format sarif --fail-on never "${paths[@]}" > "${INPUT_SARIF_FILE:-cluster-preflight.sarif}"
node "$CLI" --format "${INPUT_FORMAT:-text}" --fail-on "${INPUT_FAIL_ON:-error}" --color always "${paths[@]}"
