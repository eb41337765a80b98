#!/usr/bin/env bash
# Q3.10: npx tsx dnn_cnn_2.ts --alpha 0.9
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_cnn_2.ts --alpha 0.9
