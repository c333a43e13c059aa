#!/bin/bash
# Issue 11's re-check of the experiments whose reports keep hand-written discussion (so they are
# not regenerated in place): reruns each with its documented command into docs/recheck/ and
# compares the rows with the committed ones, one JSON line each:
#   bash scripts/recheck/experiments.sh >> docs/recheck/comparisons.jsonl
# It belongs to commit 314f2f0, whose reports were the JSON files it compares with: since then
# each report is written from its own rows (docs/experiments/*/rows.jsonl, checked by
# test/docs/reports.test.ts) and those files are gone. To rerun it: git worktree add ../recheck 314f2f0.
set -euo pipefail
if [ ! -f docs/experiments/gradient-free.json ]; then
  echo "scripts/recheck/experiments.sh: expected docs/experiments/gradient-free.json (the reports of commit 314f2f0), got none: run it in a worktree of 314f2f0" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
npm run -s experiments -- gradient-free --out "$tmp" > /dev/null 2>&1
cp "$tmp/gradient-free.json" docs/recheck/gradient-free-rerun.json
npm run -s experiments -- hmm --out "$tmp" > /dev/null 2>&1
cp "$tmp/hmm.json" docs/recheck/hmm-rerun.json
node scripts/recheck/compare-rows.mjs gradient-free docs/experiments/gradient-free.json docs/recheck/gradient-free-rerun.json
node scripts/recheck/compare-rows.mjs hmm docs/experiments/hmm.json docs/recheck/hmm-rerun.json
