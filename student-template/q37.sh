#!/usr/bin/env bash
# Q3.7: npx tsx dnn_cnn.ts
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_cnn.ts
