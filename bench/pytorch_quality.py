"""Time-to-quality, PyTorch side (bench/quality.ts runs it): a plain PyTorch script of the model
and hyperparameters that `recurrent train --task charlm` uses by default, trained for fixed
budgets of wall-clock training time and scored on the validation part of the text.

  Model: one-hot characters -> nn.LSTM(V, 128) -> nn.Linear(128, V), cross-entropy (mean).
  Training: Adam 2e-3, batch 32 streams, 64-step truncated BPTT with the state carried from
  chunk to chunk (and reset at each epoch), global-norm clipping at 5, streams read in order.
  Data: characters of the whole text (vocabulary sorted by code point), split 90/10 by
  position, cut into streams and chunks exactly as src/data/lm-batches.ts does.
  Budgets: training seconds only; the clock stops while the validation part is scored, so one
  run of 90 s also gives the 60 s figure (the model as it was at 60 s).

Scoring (`stream_loss`) is src/cli/tasks/lm.ts's streamLoss: 16 streams of 64 steps over the
whole validation part, state carried, every token but each stream's last predicted once. The
same function scores a model of ours (`--evaluate`, a state_dict written by `recurrent export
--pytorch ... --prefix rnn.`), so both tools are held to one yardstick.

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_quality.py --text T.txt --budgets 60,90 --threads 2
  /usr/bin/python3 bench/pytorch_quality.py --text T.txt --evaluate W.safetensors --vocab run/config.json

Prints one JSON object per line.
"""
import argparse, json, math, resource, struct, sys, time

import torch
from torch import nn
import torch.nn.functional as F

from torch_env import blas_core


class CharLSTM(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.vocab = vocab
        self.rnn = nn.LSTM(vocab, hidden)     # time-major (T, B, V), as the toolkit
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        out, state = self.rnn(F.one_hot(x, self.vocab).float(), state)
        return self.head(out), state


def split(ids, val_share=0.1):
    """90/10 by position, as src/data/split.ts (Math.round of the share)."""
    val = math.floor(val_share * len(ids) + 0.5)
    return ids[: len(ids) - val], ids[len(ids) - val:]


def chunks(ids, B, T):
    """src/data/lm-batches.ts: B contiguous streams of L = N // B tokens, chunk k = steps
    [kT, kT + T) of every stream (the last one shorter), targets shifted by one."""
    L = len(ids) // B
    if L < T + 1:
        sys.exit(f"pytorch_quality: expected at least {B * (T + 1)} tokens for batch {B} x seq {T}, got {len(ids)}")
    data = ids[: B * L].view(B, L)
    for start in range(0, L - 1, T):
        t = min(T, L - 1 - start)
        yield data[:, start:start + t].t().contiguous(), data[:, start + 1:start + 1 + t].t().contiguous()


@torch.no_grad()
def stream_loss(model, ids, T=64, max_b=16):
    """Mean nats per token over the whole stream (src/cli/tasks/lm.ts streamLoss)."""
    B = max(1, min(max_b, len(ids) // (T + 1)))
    t = T if len(ids) >= B * (T + 1) else max(1, len(ids) // B - 1)
    total, count, state = 0.0, 0, None
    for x, y in chunks(ids, B, t):
        logits, state = model(x, state)
        total += F.cross_entropy(logits.reshape(-1, model.vocab), y.reshape(-1), reduction="sum").item()
        count += y.numel()
    return total / count


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    dtypes = {"F32": torch.float32, "F64": torch.float64}
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = torch.frombuffer(bytearray(blob[a:b]), dtype=dtypes[t["dtype"]]).reshape(t["shape"]).float()
    return out


def evaluate_ours(a, text):
    tokens = json.load(open(a.vocab))["task"]["vocab"]["tokens"]
    index = {c: i for i, c in enumerate(tokens)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    sd = read_safetensors(a.evaluate)
    model = CharLSTM(len(tokens), sd["rnn.weight_hh_l0"].shape[1])
    model.load_state_dict(sd)
    _, val = split(ids)
    print(json.dumps({"val_nats": stream_loss(model, val), "val_tokens": len(val)}))


def train(a, text):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    vocab = sorted(set(text), key=ord)
    index = {c: i for i, c in enumerate(vocab)}
    train_ids, val_ids = split(torch.tensor([index[c] for c in text], dtype=torch.long))
    model = CharLSTM(len(vocab), a.hidden)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=a.lr)
    budgets = sorted(float(b) for b in a.budgets.split(","))
    updates, tokens, epochs = 0, 0, 0
    eval_seconds, t0 = 0.0, time.perf_counter()
    elapsed = lambda: time.perf_counter() - t0 - eval_seconds

    def report(budget):
        nonlocal eval_seconds
        e0 = time.perf_counter()
        seconds = elapsed()
        print(json.dumps({
            "tool": "pytorch", "threads": a.threads, "budget_s": budget, "updates": updates, "train_seconds": seconds,
            "tokens_per_s": tokens / seconds, "epochs": epochs, "val_nats": stream_loss(model, val_ids),
            "val_tokens": len(val_ids), "vocab": len(vocab),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "version": torch.__version__, "blas": blas_core(),
        }))
        sys.stdout.flush()
        eval_seconds += time.perf_counter() - e0

    while budgets:
        state = None                                   # each epoch starts the streams afresh
        for x, y in chunks(train_ids, a.batch, a.seq):
            if elapsed() >= budgets[0]:
                report(budgets.pop(0))
                if not budgets:
                    return
            opt.zero_grad()
            logits, state = model(x, state)
            loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(params, a.clip)
            opt.step()
            state = tuple(s.detach() for s in state)   # truncated BPTT: carry the value, not the graph
            updates += 1
            tokens += y.numel()
        epochs += 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--text", required=True)
    p.add_argument("--budgets", default="60,90", help="training seconds, comma-separated")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq", type=int, default=64)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--evaluate", help="score this state_dict (safetensors, keys rnn.* and head.*) instead of training")
    p.add_argument("--vocab", help="with --evaluate: the model's config.json (its task.vocab.tokens)")
    a = p.parse_args()
    text = open(a.text, encoding="utf-8").read()
    if a.evaluate:
        if not a.vocab:
            sys.exit("pytorch_quality: --evaluate needs --vocab CONFIG.json (the model's character vocabulary)")
        evaluate_ours(a, text)
    else:
        train(a, text)


if __name__ == "__main__":
    main()
