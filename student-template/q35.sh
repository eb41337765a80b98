#!/usr/bin/env bash
# Q3.5: npx tsx dnn_mlp.ts --dropout_rate 0.95
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_mlp.ts --dropout_rate 0.95
