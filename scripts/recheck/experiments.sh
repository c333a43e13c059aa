#!/bin/bash
# Issue 11's re-check of the experiments whose reports keep hand-written discussion (so they are
# not regenerated in place): reruns each with its documented command into docs/recheck/ and
# compares the rows with the committed ones, one JSON line each:
#   bash scripts/recheck/experiments.sh >> docs/recheck/comparisons.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
npm run -s experiments -- gradient-free --out "$tmp" > /dev/null 2>&1
cp "$tmp/gradient-free.json" docs/recheck/gradient-free-rerun.json
npm run -s experiments -- hmm --out "$tmp" > /dev/null 2>&1
cp "$tmp/hmm.json" docs/recheck/hmm-rerun.json
node scripts/recheck/compare-rows.mjs gradient-free docs/experiments/gradient-free.json docs/recheck/gradient-free-rerun.json
node scripts/recheck/compare-rows.mjs hmm docs/experiments/hmm.json docs/recheck/hmm-rerun.json
