#!/usr/bin/python3
"""Golden values from PyTorch for the toolkit's parity tests (issue 7).

Builds nn.RNN (tanh, relu), nn.LSTM and nn.GRU with seeded weights (1 and 2 layers, with
and without an nn.Linear head on every step), runs each on two inputs of different lengths
(and batch sizes), forward and backward of a fixed loss, in float64 AND float32, and writes
one JSON file per case into test/fixtures/torch/. The committed files are what CI reads: CI
needs no Python. This script is not part of the toolkit and is not run by the tests.

Regenerate (Debian 12):  apt-get install -y python3-torch
                         /usr/bin/python3 scripts/torch-golden.py [OUT_DIR]

Conventions of the files:
  * every tensor is {"shape": [...], "data": [flat, row-major]}; sequences are time-major
    (T, B, .) as nn.RNN's default (batch_first=False) and the toolkit's internals;
  * inputs and weights are float32 values (written as their shortest float32 repr), used
    unchanged by the float64 run, so both runs see the same numbers;
  * loss = sum(out * r_out) + sum(h_n * r_h) (+ sum(c_n * r_c) for LSTM), where `out` is
    the head's output when there is a head, else the last layer's h_t; the r_* tensors are
    stored, so dLoss/dout = r_out and dLoss/dh_n = r_h are the seeds of a backward pass;
  * runs with "lengths" are padded batches run through pack_padded_sequence: `out` is zero at
    padded steps (and r_out is zero there), h_n/c_n are the states at each sequence's last
    real step;
  * grads: d loss / d parameter for every state_dict tensor (names as PyTorch's, the head
    under "head."), plus "x", "h0" (and "c0").
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "torch"))

# name, module kind, nonlinearity, input size I, hidden H, layers L, head outputs O (0 = none),
# runs as (T, B) pairs: two lengths (and batch sizes) per case, or (T, B, lengths) for a padded
# batch run through pack_padded_sequence (enforce_sorted=False).
CASES = [
    ("rnn_tanh_1l", "rnn", "tanh", 3, 4, 1, 0, [(5, 3), (2, 2)]),
    ("rnn_relu_2l_head", "rnn", "relu", 3, 5, 2, 2, [(6, 2), (3, 4)]),
    ("lstm_1l", "lstm", None, 3, 4, 1, 0, [(5, 3), (2, 2)]),
    ("lstm_2l_head", "lstm", None, 4, 3, 2, 3, [(6, 2), (3, 4)]),
    ("gru_1l", "gru", None, 3, 4, 1, 0, [(5, 3), (2, 2)]),
    ("gru_2l_head", "gru", None, 4, 3, 2, 3, [(6, 2), (3, 4)]),
    ("rnn_tanh_packed", "rnn", "tanh", 3, 4, 2, 0, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
    ("lstm_packed_head", "lstm", None, 3, 4, 2, 2, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
    ("gru_packed", "gru", None, 3, 4, 1, 0, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
]


def f32(t):
    """Flat list of float32 values in their shortest repr (JS: Math.fround gives the exact value)."""
    return [float(repr(v)) for v in t.detach().to(torch.float32).reshape(-1).numpy()]


def f64(t):
    return [float(v) for v in t.detach().to(torch.float64).reshape(-1).numpy()]


def tensor(t, dtype):
    return {"shape": list(t.shape), "data": f32(t) if dtype == "f32" else f64(t)}


def build(kind, nonlin, I, H, L, bidirectional=False):
    if kind == "rnn":
        return nn.RNN(I, H, num_layers=L, nonlinearity=nonlin, bidirectional=bidirectional)
    return (nn.LSTM if kind == "lstm" else nn.GRU)(I, H, num_layers=L, bidirectional=bidirectional)


def widen(params):
    """Spread the weights a little wider than PyTorch's U(-1/sqrt(H), 1/sqrt(H)) default so the
    gates leave their linear region; round-trip through float32 so both runs share values."""
    with torch.no_grad():
        for p in params:
            p.copy_((p * 1.5).to(torch.float32).to(p.dtype))


def fixture_runs(kind, rnn, head, I, H, states, out_w, runs):
    """Each run's inputs, initial states (`states` = layers x directions), loss weights and the
    f64/f32 results of `run`, drawn from torch's generator in a fixed order."""
    out = []
    for spec in runs:
        T, B = spec[0], spec[1]
        lengths = spec[2] if len(spec) > 2 else None
        g = lambda *shape: torch.randn(*shape).to(torch.float32)
        x, h0 = g(T, B, I), g(states, B, H) * 0.5
        c0 = g(states, B, H) * 0.5 if kind == "lstm" else None
        r = {"out": g(T, B, out_w), "h": g(states, B, H)}
        if kind == "lstm":
            r["c"] = g(states, B, H)
        entry = {"T": T, "B": B}
        if lengths is not None:
            for b, n in enumerate(lengths):
                r["out"][n:, b, :] = 0  # no loss on padded steps
            entry["lengths"] = lengths
        entry.update({"x": tensor(x, "f32"), "h0": tensor(h0, "f32")})
        if c0 is not None:
            entry["c0"] = tensor(c0, "f32")
        entry["r_out"] = tensor(r["out"], "f32")
        entry["r_h"] = tensor(r["h"], "f32")
        if "c" in r:
            entry["r_c"] = tensor(r["c"], "f32")
        entry["f64"] = run(rnn, head, x, h0, c0, r, "f64", lengths)
        entry["f32"] = run(rnn, head, x, h0, c0, r, "f32", lengths)
        out.append(entry)
    return out


def weighted_backward(out, hn, cn, r, dtype):
    """The fixtures' loss, Σ out·r_out + Σ h_n·r_h (+ Σ c_n·r_c), backpropagated; returns the
    loss and the forward's outputs and final states as fixture values."""
    tdt = torch.float64 if dtype == "f64" else torch.float32
    loss = (out * r["out"].to(tdt)).sum() + (hn * r["h"].to(tdt)).sum()
    if cn is not None:
        loss = loss + (cn * r["c"].to(tdt)).sum()
    loss.backward()
    res = {"loss": float(loss), "out": tensor(out, dtype), "h_n": tensor(hn, dtype)}
    if cn is not None:
        res["c_n"] = tensor(cn, dtype)
    return res


def write(path, fx):
    """fx as compact JSON at path, through a temporary file and a rename."""
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(fx, fh, separators=(",", ":"))
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def run(rnn, head, x, h0, c0, r, dtype, lengths=None):
    """Forward + backward in `dtype`; returns outputs, final states and gradients.
    With `lengths`, the batch is packed: padded steps give zero outputs (pad_packed_sequence),
    h_n/c_n are each sequence's state at its last real step, and r_out is zero there."""
    tdt = torch.float64 if dtype == "f64" else torch.float32
    rnn = rnn.to(tdt)
    head = head.to(tdt) if head is not None else None
    rnn.zero_grad()
    if head is not None:
        head.zero_grad()
    xs = x.to(tdt).clone().requires_grad_(True)
    h0s = h0.to(tdt).clone().requires_grad_(True)
    c0s = c0.to(tdt).clone().requires_grad_(True) if c0 is not None else None
    inp = xs
    if lengths is not None:
        inp = nn.utils.rnn.pack_padded_sequence(xs, torch.tensor(lengths), enforce_sorted=False)
    if c0s is not None:
        seq, (hn, cn) = rnn(inp, (h0s, c0s))
    else:
        seq, hn = rnn(inp, h0s)
        cn = None
    if lengths is not None:
        seq, _ = nn.utils.rnn.pad_packed_sequence(seq, total_length=xs.shape[0])
    out = head(seq) if head is not None else seq
    res = weighted_backward(out, hn, cn, r, dtype)
    grads = {n: tensor(p.grad, dtype) for n, p in rnn.named_parameters()}
    if head is not None:
        grads.update({f"head.{n}": tensor(p.grad, dtype) for n, p in head.named_parameters()})
    grads["x"] = tensor(xs.grad, dtype)
    grads["h0"] = tensor(h0s.grad, dtype)
    if c0s is not None:
        grads["c0"] = tensor(c0s.grad, dtype)
    res["grads"] = grads
    return res


def case(index, name, kind, nonlin, I, H, L, O, runs):
    torch.manual_seed(1000 + index)
    rnn = build(kind, nonlin, I, H, L)
    head = nn.Linear(H, O) if O else None
    widen(list(rnn.parameters()) + (list(head.parameters()) if head else []))
    weights = {n: tensor(p, "f32") for n, p in rnn.state_dict().items()}
    if head is not None:
        weights.update({f"head.{n}": tensor(p, "f32") for n, p in head.state_dict().items()})
    fixture = fixture_runs(kind, rnn, head, I, H, L, O or H, runs)
    return {
        "generator": "scripts/torch-golden.py",
        "torch": torch.__version__,
        "module": {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}[kind],
        "cell": {"rnn": "elman", "lstm": "lstm", "gru": "gru"}[kind],
        "nonlinearity": nonlin,
        "input_size": I,
        "hidden_size": H,
        "num_layers": L,
        "head_size": O,
        "layout": "time-major (T, B, .)",
        "loss": "sum(out*r_out) + sum(h_n*r_h) [+ sum(c_n*r_c)]",
        "weights": weights,
        "runs": fixture,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # multi-threaded BLAS changes last bits from run to run
    for i, c in enumerate(CASES):
        write(os.path.join(OUT, f"{c[0]}.json"), case(i, *c))


if __name__ == "__main__":
    main()
