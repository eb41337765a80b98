#!/usr/bin/env bash
# Q3.6: npx tsx dnn_mlp_nonlinear.ts
set -euo pipefail
cd "$(dirname "$0")"
npx tsx dnn_mlp_nonlinear.ts
