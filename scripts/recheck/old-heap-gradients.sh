#!/bin/bash
# Issue 11's re-check of docs/experiments/gradients: runs the experiment once more with the heap
# as it was before the fix (src/tensor/wasm/heap.ts of commit b50e382) in a temporary worktree of
# HEAD, and compares its rows with the committed ones (made with the fixed heap). Prints the
# comparison as one JSON line:
#   bash scripts/recheck/old-heap-gradients.sh >> docs/recheck/comparisons.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
wt=$(mktemp -d); out=$(mktemp -d)
git worktree add -q --detach "$wt" HEAD
trap 'git worktree remove --force "$wt"; rm -rf "$out"' EXIT
git show b50e382:src/tensor/wasm/heap.ts > "$wt/src/tensor/wasm/heap.ts"
ln -s "$PWD/node_modules" "$wt/node_modules"
(cd "$wt" && npm run -s experiments -- gradients --out "$out" > /dev/null 2>&1)
node scripts/recheck/compare-rows.mjs gradients-with-the-old-heap docs/experiments/gradients/results.json "$out/gradients/results.json"
