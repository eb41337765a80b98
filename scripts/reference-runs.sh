#!/usr/bin/env bash
# Runs the reference's seven trainings (30 epochs each, the q3*.sh command lines) two at a time,
# and copies their output files into fixtures/reference-runs/ with a log of each run's wall time.
# Takes one to two hours on 2 cores; nothing in the test suite runs it.
#
#   bash scripts/reference-runs.sh [work-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/work/reference-runs}"
mkdir -p "$work"
cd "$work"
export MNIST_SUBSET="$root/data/mnist_subset.json"
node "$root/bin/dnn-grader.js" data > /dev/null

run() { # name, script, flags...
  local name=$1
  shift
  local start=$SECONDS
  "$root/node_modules/.bin/tsx" "$root/reference/$@" > "$name.log" 2>&1
  echo "$name exit=$? seconds=$((SECONDS - start)) args=$*" >> times.txt
}

# Two queues of about equal length: the CNNs are the slow runs.
(run q310 dnn_cnn_2.ts --alpha 0.9; run q33 dnn_mlp.ts; run q36 dnn_mlp_nonlinear.ts) &
(run q37 dnn_cnn.ts; run q38 dnn_cnn.ts --alpha 0.9; run q34 dnn_mlp.ts --dropout_rate 0.5;
  run q35 dnn_mlp.ts --dropout_rate 0.95) &
wait

mkdir -p "$root/fixtures/reference-runs"
cp ./*_lr*.json "$root/fixtures/reference-runs/"
cp times.txt "$root/fixtures/reference-runs/times.txt"
echo "wrote $root/fixtures/reference-runs/"
