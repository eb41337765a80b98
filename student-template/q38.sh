#!/usr/bin/env bash
# Q3.8: npx tsx dnn_cnn.ts --alpha 0.9
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_cnn.ts --alpha 0.9
