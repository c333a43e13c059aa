#!/bin/bash
# Issue 11's re-check: runs each configuration of docs/results.md (and `generate`/`eval` on its
# model) for 15-30 s with RECURRENT_HEAP_AUDIT=1, which counts the blocks the WebAssembly heap
# took from its top over memory that was not zero: each of them would have been handed out
# dirty before the fix. Prints one JSON line per command (RUN labels the run, default 1):
#   RUN=3 bash scripts/recheck/heap-audit.sh >> docs/recheck/heap-audit.jsonl
# then node scripts/recheck/report.mjs rewrites docs/recheck/README.md.
cd "$(dirname "$0")/../.."
D=../shared/data; O=$(mktemp -d); rm -rf $O; mkdir -p $O
export RECURRENT_HEAP_AUDIT=1
run() {
  name=$1; shift
  n=$(node bin/recurrent.mjs "$@" 2>&1 | sed -n 's/^heap audit: \([0-9]*\) blocks.*/\1/p')
  args="$*"
  printf '{"run":%s,"name":"%s","command":"recurrent %s","stale_top_blocks":%s}\n' "${RUN:-1}" "$name" "${args//$O/RUNS}" "${n:-null}"
}
for cell in elman jordan lstm gru; do
  run charlm-$cell train --task charlm --text $D/text/tinyshakespeare.txt --cell $cell --hidden 128 --seq 64 --batch 32 --lr 0.002 --clip 5 --epochs 0 --time-limit 15 --eval-every 100 --patience 0 --threads 1 --out $O/c-$cell
  run generate-$cell generate --model $O/c-$cell --prompt ROMEO: --length 300 --temperature 0.8 --seed 1
done
run ptb train --task wordlm --text $D/ptb/ptb.train.txt --valid-text $D/ptb/ptb.valid.txt --test-text $D/ptb/ptb.test.txt --layers 2 --hidden 200 --embedding 200 --epochs 0 --time-limit 30 --threads 1 --out $O/ptb
run ptb-eval eval --model $O/ptb --text $D/ptb/ptb.test.txt
run airline train --task forecast --csv $D/timeseries/airline_passengers.csv --cell lstm --hidden 32 --batch 32 --lr 0.003 --epochs 300 --patience 20 --time-limit 20 --threads 1 --out $O/air
run airline-eval eval --model $O/air --csv $D/timeseries/airline_passengers.csv
run sunspots train --task forecast --csv $D/timeseries/sunspots_monthly.csv --cell lstm --hidden 32 --batch 32 --lr 0.003 --epochs 300 --patience 20 --time-limit 20 --threads 1 --out $O/sun
run indoor train --task classify --sequences $D/sequence_classification/indoor_movement_sequences.csv --labels $D/sequence_classification/indoor_movement_labels.csv --cell lstm --hidden 32 --batch 16 --lr 0.003 --epochs 150 --patience 30 --time-limit 20 --threads 1 --out $O/indoor
rm -rf "$O"
