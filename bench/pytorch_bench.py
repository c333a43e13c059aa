"""PyTorch side of `npm run bench`: the same configurations (BENCHMARKS.md) with
nn.RNN/nn.LSTM/nn.GRU (time-major), an nn.Linear head, CrossEntropy or MSE, and Adam.
Prints one JSON object per line, as bench/run.ts expects.

`--mode generate` (bench/generate.ts) is batch-1 streaming generation with the C1 model: per
token one `rnn(x_t, state)` step under torch.no_grad(), the head, softmax and torch.multinomial,
as src/model/sample.ts's streamTokens does; a repetition is `--tokens` tokens after a one-token
prompt from a fresh state.

  OMP_WAIT_POLICY=PASSIVE python3 bench/pytorch_bench.py --config C1 --cell lstm --mode train --threads 2
  OMP_WAIT_POLICY=PASSIVE python3 bench/pytorch_bench.py --config C1 --cell lstm --mode generate --threads 1 --tokens 128
"""
import argparse, json, resource, statistics, sys, time

import torch
from torch import nn

from torch_env import blas_core

CONFIGS = {
    "C1": dict(input=65, hidden=256, layers=1, T=64, B=32, output=65, loss="ce"),
    "C2": dict(input=1, hidden=32, layers=1, T=50, B=64, output=1, loss="mse"),
    "C3": dict(input=512, hidden=512, layers=2, T=100, B=64, output=0, loss="mse"),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--cell", required=True)
    p.add_argument("--mode", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.add_argument("--warmup-seconds", type=float, default=0.5)
    p.add_argument("--tokens", type=int, default=128, help="--mode generate: tokens per repetition")
    a = p.parse_args()
    c = CONFIGS[a.config]
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    T, B, I, H = c["T"], c["B"], c["input"], c["hidden"]
    rnn_cls = {"elman": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[a.cell]
    rnn = rnn_cls(I, H, num_layers=c["layers"])
    head = nn.Linear(H, c["output"]) if c["output"] > 0 else None
    params = list(rnn.parameters()) + (list(head.parameters()) if head else [])
    opt = torch.optim.Adam(params, lr=1e-3)
    O = c["output"] or H
    if c["loss"] == "ce":
        x = torch.zeros(T, B, I)
        sym = torch.randint(0, I, (T * B + 1,))
        x.view(T * B, I)[torch.arange(T * B), sym[:-1]] = 1
        target = sym[1:].clone()
        loss_fn = nn.CrossEntropyLoss()
    else:
        x = torch.randn(T, B, I) * 0.5
        target = torch.randn(T * B, O) * 0.5
        loss_fn = nn.MSELoss()

    def forward():
        out, _ = rnn(x)
        out = out.reshape(T * B, H)
        return head(out) if head else out

    def train():
        opt.zero_grad()
        loss = loss_fn(forward(), target)
        loss.backward()
        opt.step()

    def infer():
        with torch.no_grad():
            forward()

    def generate():
        # Batch 1, one token at a time: the state carried, the next token drawn from the softmax.
        with torch.no_grad():
            x1 = torch.zeros(1, 1, I)
            tok, state = 0, None
            x1[0, 0, tok] = 1
            out, state = rnn(x1, state)
            logits = head(out[0])
            for _ in range(a.tokens):
                tok = torch.multinomial(torch.softmax(logits, dim=-1), 1).item()
                x1.zero_()
                x1[0, 0, tok] = 1
                out, state = rnn(x1, state)
                logits = head(out[0])

    step = {"train": train, "infer": infer, "generate": generate}[a.mode]
    tokens = a.tokens if a.mode == "generate" else T * B
    # Warm-up exactly as bench/measure.ts does: at least one step, and at least warmup_seconds.
    start = time.perf_counter()
    step()
    while time.perf_counter() - start < a.warmup_seconds:
        step()
    rates, cpu_rates = [], []
    start = time.perf_counter()
    while len(rates) < a.reps or (time.perf_counter() - start < a.min_seconds and len(rates) < 1000):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        rates.append(tokens / (time.perf_counter() - t0))
        cpu_rates.append(tokens / max(time.process_time() - c0, 1e-6))
    print(json.dumps({
        "tool": "pytorch", "config": a.config, "cell": a.cell, "mode": a.mode, "threads": a.threads,
        "tokens_per_s": statistics.median(rates), "min": min(rates), "max": max(rates), "reps": len(rates),
        "cpu_tokens_per_s": statistics.median(cpu_rates), **({"tokens": a.tokens} if a.mode == "generate" else {}),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": torch.__version__, "blas": blas_core(),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
