#!/usr/bin/env bash
# Renders helm/tablestakes for every environment × region values combination (helm if on PATH, else helm/render built
# with Debian's Go and Sprig) and validates every manifest against the Kubernetes API schemas (src/deploy/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
started=$(date +%s)
node src/cli/chart.ts validate
echo "chart rendered and validated in $(( $(date +%s) - started )) s"
