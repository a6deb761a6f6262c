#!/usr/bin/env bash
# The GitHub Action's step (action.yml): builds the CLI from the action's own checkout when it
# is not built yet, writes the SARIF report, then prints the findings in the chosen format and
# fails by --fail-on. Inputs come as INPUT_* variables; paths are split on spaces.
set -euo pipefail
ACTION_PATH="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
CLI="$ACTION_PATH/dist/cli.js"
if [[ ! -f "$CLI" ]]; then
  (cd "$ACTION_PATH" && npm ci --no-audit --no-fund --loglevel error && npm run --silent build)
fi
read -r -a paths <<< "${INPUT_PATHS:-.}"
node "$CLI" --format sarif --fail-on never "${paths[@]}" > "${INPUT_SARIF_FILE:-cluster-preflight.sarif}"
node "$CLI" --format "${INPUT_FORMAT:-text}" --fail-on "${INPUT_FAIL_ON:-error}" --color always "${paths[@]}"
