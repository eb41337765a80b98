#!/usr/bin/env bash
# Q3.4: npx tsx dnn_mlp.ts --dropout_rate 0.5
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_mlp.ts --dropout_rate 0.5
