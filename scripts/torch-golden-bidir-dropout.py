#!/usr/bin/python3
"""Golden values from PyTorch for bidirectional layers and for dropout (the paper-reproduction
issue, items 2 and 5). A companion of scripts/torch-golden.py, whose file conventions and
helpers (`run`, `tensor`) it reuses; that script's fixtures are left as they are.

1. Bidirectional: nn.RNN / nn.LSTM / nn.GRU with bidirectional=True (1 and 2 layers, with and
   without an nn.Linear head over both directions' h, plain and padded batches through
   pack_padded_sequence), written into test/fixtures/torch/ in exactly the format of
   torch-golden.py plus "bidirectional": true. States are PyTorch's (layers x directions, B, H)
   tensors (row 2l + d: layer l, direction d = 0 forward, 1 reverse); outputs (T, B, 2H)
   without a head. test/interop/torch-parity.test.ts and onnx-torch.test.ts read them.

2. Dropout, as Zaremba et al. (2014) place it and as PyTorch's word-language-model example
   builds it: [nn.Embedding ->] nn.Dropout(p) -> nn.LSTM/GRU(num_layers=2, dropout=p) ->
   nn.Dropout(p) -> nn.Linear, in training mode. Written into test/fixtures/torch-dropout/.
   The masks are PyTorch's own: with the same seed, F.dropout on tensors of ones of each site's
   shape, in the order the module consumes the generator (the embedding's output, between
   the layers, before the head), reproduces the module's training forward; the script asserts
   that the forward it rebuilds layer by layer with those masks equals the module's own to the
   last bit (float64), so the stored masks and gradients are those of PyTorch's semantics. Each
   run stores the masks as 0/1 (dropped/kept), time-major like the values they multiply; the
   kept values are scaled by 1/(1 - p). loss = sum(out*r_out) + sum(h_n*r_h) [+ sum(c_n*r_c)],
   gradients for every state_dict tensor, "x" (feature inputs), "h0" (and "c0").

Regenerate (Debian 12):  apt-get install -y python3-torch
                         /usr/bin/python3 scripts/torch-golden-bidir-dropout.py
Byte-for-byte reproducible (one thread, fixed seeds). Not run by the tests (CI needs no Python).
"""
import importlib.util
import os

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("torch_golden", os.path.join(HERE, "torch-golden.py"))
tg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tg)
tensor, widen, fixture_runs = tg.tensor, tg.widen, tg.fixture_runs

TORCH_DIR = os.path.normpath(os.path.join(HERE, "..", "test", "fixtures", "torch"))
DROPOUT_DIR = os.path.normpath(os.path.join(HERE, "..", "test", "fixtures", "torch-dropout"))

# name, kind, nonlinearity, I, H, L, head O (0 = none), runs: (T, B) or (T, B, lengths)
BIDIR_CASES = [
    ("rnn_tanh_bidir_2l_head", "rnn", "tanh", 3, 4, 2, 2, [(5, 3), (2, 2)]),
    ("lstm_bidir_2l_head", "lstm", None, 4, 3, 2, 3, [(6, 2), (3, 4)]),
    ("gru_bidir_1l", "gru", None, 3, 4, 1, 0, [(5, 3), (2, 2)]),
    ("rnn_relu_bidir_packed", "rnn", "relu", 3, 4, 2, 0, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
    ("lstm_bidir_packed_head", "lstm", None, 3, 4, 2, 2, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
    ("gru_bidir_packed_head", "gru", None, 3, 4, 2, 3, [(5, 3, [5, 2, 4]), (4, 4, [1, 4, 3, 2])]),
]

# name, kind, vocabulary V (0 = feature inputs of size I), E or I, H, L, bidirectional, O, p, runs (T, B)
DROPOUT_CASES = [
    ("lstm_embedding_dropout", "lstm", 7, 3, 4, 2, False, 5, 0.25, [(6, 3), (3, 4)]),
    ("gru_bidir_dropout_head", "gru", 0, 3, 4, 2, True, 2, 0.25, [(5, 3), (2, 2)]),
]


def build(kind, nonlin, I, H, L, bidirectional=True):
    return tg.build(kind, nonlin, I, H, L, bidirectional)


def bidir_case(index, name, kind, nonlin, I, H, L, O, runs):
    torch.manual_seed(2000 + index)
    rnn = build(kind, nonlin, I, H, L)
    head = nn.Linear(2 * H, O) if O else None
    widen(list(rnn.parameters()) + (list(head.parameters()) if head else []))
    weights = {n: tensor(p, "f32") for n, p in rnn.state_dict().items()}
    if head is not None:
        weights.update({f"head.{n}": tensor(p, "f32") for n, p in head.state_dict().items()})
    fixture = fixture_runs(kind, rnn, head, I, H, 2 * L, O or 2 * H, runs)
    return {
        "generator": "scripts/torch-golden-bidir-dropout.py",
        "torch": torch.__version__,
        "module": {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}[kind] + "(bidirectional=True)",
        "cell": {"rnn": "elman", "lstm": "lstm", "gru": "gru"}[kind],
        "nonlinearity": nonlin,
        "bidirectional": True,
        "input_size": I,
        "hidden_size": H,
        "num_layers": L,
        "head_size": O,
        "layout": "time-major (T, B, .); states (layers x directions, B, H); output [forward h ; reverse h]",
        "loss": "sum(out*r_out) + sum(h_n*r_h) [+ sum(c_n*r_c)]",
        "weights": weights,
        "runs": fixture,
    }


class Zaremba(nn.Module):
    """[Embedding ->] Dropout -> RNN(num_layers=L, dropout=p) -> Dropout -> Linear."""

    def __init__(self, kind, V, E, H, L, bidirectional, O, p):
        super().__init__()
        self.V, self.L, self.D, self.p, self.kind = V, L, 2 if bidirectional else 1, p, kind
        self.embedding = nn.Embedding(V, E) if V else None
        self.drop = nn.Dropout(p)
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(E, H, num_layers=L, dropout=p, bidirectional=bidirectional)
        self.head = nn.Linear(self.D * H, O)

    def forward(self, x, state):
        """PyTorch's own training forward (the masks drawn inside the modules)."""
        e = self.drop(self.embedding(x)) if self.embedding is not None else x
        seq, st = self.rnn(e, state)
        return self.head(self.drop(seq)), st

    def site_shapes(self, T, B):
        """Shapes of the dropped tensors, in the order the forward draws their masks."""
        H, D = self.rnn.hidden_size, self.D
        shapes = [(T, B, self.rnn.input_size)] if self.embedding is not None else []
        return shapes + [(T, B, D * H)] * (self.L - 1) + [(T, B, D * H)]

    def layer_module(self, l):
        """Layer l as a one-layer module with the same weights (names *_l0, *_l0_reverse)."""
        r = self.rnn
        I = r.input_size if l == 0 else self.D * r.hidden_size
        m = (nn.LSTM if self.kind == "lstm" else nn.GRU)(I, r.hidden_size, num_layers=1, bidirectional=self.D == 2)
        m = m.to(next(r.parameters()).dtype)
        with torch.no_grad():
            for n, p in m.named_parameters():
                p.copy_(getattr(r, n.replace("_l0", f"_l{l}")))
        return m

    def masked_forward(self, x, state, masks, layers):
        """The same forward with given masks (values 0 or 1/(1-p)), layer by layer through
        `layers` (copies of the stacked layers: layer_module)."""
        D, L = self.D, self.L
        k = 0
        h = x
        if self.embedding is not None:
            h = self.embedding(x) * masks[0]
            k = 1
        hs, cs = [], []
        for l in range(L):
            if l > 0:
                h = h * masks[k]
                k += 1
            if self.kind == "lstm":
                h, (hn, cn) = layers[l](h, (state[0][l * D:(l + 1) * D], state[1][l * D:(l + 1) * D]))
                cs.append(cn)
            else:
                h, hn = layers[l](h, state[l * D:(l + 1) * D])
            hs.append(hn)
        out = self.head(h * masks[k])
        hn = torch.cat(hs, 0)
        return out, ((hn, torch.cat(cs, 0)) if self.kind == "lstm" else hn)


def dropout_case(index, name, kind, V, E, H, L, bidirectional, O, p, runs):
    torch.manual_seed(3000 + index)
    model = Zaremba(kind, V, E, H, L, bidirectional, O, p)
    widen(model.parameters())
    weights = {n: tensor(t, "f32") for n, t in model.state_dict().items() if not n.startswith("rnn.")}
    weights.update({n[4:]: tensor(t, "f32") for n, t in model.state_dict().items() if n.startswith("rnn.")})
    D = 2 if bidirectional else 1
    fixture_runs = []
    for ri, (T, B) in enumerate(runs):
        g = lambda *shape: torch.randn(*shape).to(torch.float32)
        x = torch.randint(0, V, (T, B)) if V else g(T, B, E)
        h0 = g(L * D, B, H) * 0.5
        c0 = g(L * D, B, H) * 0.5 if kind == "lstm" else None
        r = {"out": g(T, B, O), "h": g(L * D, B, H)}
        if kind == "lstm":
            r["c"] = g(L * D, B, H)
        seed = 4000 + 10 * index + ri
        # PyTorch's masks: the generator's draws for each site's shape, in the forward's order.
        torch.manual_seed(seed)
        keep = [F.dropout(torch.ones(s, dtype=torch.float64), p, True) != 0 for s in model.site_shapes(T, B)]
        entry = {"T": T, "B": B, "seed": seed}
        entry["tokens" if V else "x"] = {"shape": list(x.shape), "data": [int(v) for v in x.reshape(-1)]} if V else tensor(x, "f32")
        entry["h0"] = tensor(h0, "f32")
        if c0 is not None:
            entry["c0"] = tensor(c0, "f32")
        entry["masks"] = [{"shape": list(k.shape), "data": [int(v) for v in k.reshape(-1)]} for k in keep]
        entry["r_out"] = tensor(r["out"], "f32")
        entry["r_h"] = tensor(r["h"], "f32")
        if "c" in r:
            entry["r_c"] = tensor(r["c"], "f32")
        for dtype, tdt in (("f64", torch.float64), ("f32", torch.float32)):
            m = model.to(tdt).train()
            m.zero_grad()
            xs = x if V else x.to(tdt).clone().requires_grad_(True)
            h0s = h0.to(tdt).clone().requires_grad_(True)
            c0s = c0.to(tdt).clone().requires_grad_(True) if c0 is not None else None
            state = (h0s, c0s) if c0s is not None else h0s
            masks = [k.to(tdt) / (1 - p) for k in keep]
            layers = [m.layer_module(l) for l in range(L)]
            out, st = m.masked_forward(xs, state, masks, layers)
            if dtype == "f64":
                # The masks are PyTorch's: its own training forward from the same seed is equal.
                torch.manual_seed(seed)
                with torch.no_grad():
                    ref, ref_st = m(xs, state)
                assert torch.equal(ref, out.detach()), f"{name}: the rebuilt forward differs from nn.Module's"
                ref_h = ref_st[0] if kind == "lstm" else ref_st
                assert torch.equal(ref_h, (st[0] if kind == "lstm" else st).detach()), f"{name}: h_n differs"
            hn, cn = (st[0], st[1]) if kind == "lstm" else (st, None)
            res = tg.weighted_backward(out, hn, cn, r, dtype)
            grads = {n: tensor(t.grad, dtype) for n, t in m.named_parameters() if not n.startswith("rnn.")}
            for l, lm in enumerate(layers):
                grads.update({n.replace("_l0", f"_l{l}"): tensor(t.grad, dtype) for n, t in lm.named_parameters()})
            grads = {n: grads[n] for n in weights}   # state_dict order
            if not V:
                grads["x"] = tensor(xs.grad, dtype)
            grads["h0"] = tensor(h0s.grad, dtype)
            if c0s is not None:
                grads["c0"] = tensor(c0s.grad, dtype)
            res["grads"] = grads
            entry[dtype] = res
        model.to(torch.float32)
        fixture_runs.append(entry)
    return {
        "generator": "scripts/torch-golden-bidir-dropout.py",
        "torch": torch.__version__,
        "module": ("nn.Embedding -> " if V else "") + f"nn.Dropout({p}) -> nn.{kind.upper()}(num_layers={L}, dropout={p}"
                  + (", bidirectional=True" if bidirectional else "") + f") -> nn.Dropout({p}) -> nn.Linear",
        "cell": kind,
        "p": p,
        "vocab": V,
        "input_size": E,
        "hidden_size": H,
        "num_layers": L,
        "bidirectional": bidirectional,
        "head_size": O,
        "layout": "time-major (T, B, .); masks 1 = kept (scaled by 1/(1-p)), 0 = dropped, in draw order",
        "loss": "sum(out*r_out) + sum(h_n*r_h) [+ sum(c_n*r_c)]",
        "weights": weights,
        "runs": fixture_runs,
    }


def main():
    os.makedirs(TORCH_DIR, exist_ok=True)
    os.makedirs(DROPOUT_DIR, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    for i, c in enumerate(BIDIR_CASES):
        tg.write(os.path.join(TORCH_DIR, f"{c[0]}.json"), bidir_case(i, *c))
    for i, c in enumerate(DROPOUT_CASES):
        tg.write(os.path.join(DROPOUT_DIR, f"{c[0]}.json"), dropout_case(i, *c))


if __name__ == "__main__":
    main()
