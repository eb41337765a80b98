#!/usr/bin/env bash
# Q3.3: npx tsx dnn_mlp.ts
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_mlp.ts
