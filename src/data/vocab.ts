// A vocabulary: the bijection between tokens (characters or words) and integer ids,
// serialisable to JSON so that it is saved with a model. Pure (no node: imports).
// It is not a tokenizer: char-tokenizer.ts and word-tokenizer.ts split text and build one.
import { brief, check } from "../errors.ts";
import { checkWith, failWith } from "./problem.ts";

export type VocabKind = "char" | "word";

/** The JSON form saved next to a model (vocab.json). */
export interface VocabJSON {
  kind: VocabKind;
  tokens: string[];
  /** The token unknown inputs map to (`<unk>` for words), or null: unknown tokens are errors. */
  unk: string | null;
  /** The end-of-line token (`<eos>` for words), or null. */
  eos: string | null;
}

export class Vocab {
  private readonly index = new Map<string, number>();
  /** Id of the unknown token, -1 when the vocabulary has none. */
  readonly unkId: number;
  readonly eosId: number;

  /** `where` (the file a saved vocabulary came from) starts the error messages. */
  constructor(readonly kind: VocabKind, readonly tokens: readonly string[], readonly unk: string | null = null, readonly eos: string | null = null, where = "vocabulary") {
    checkWith(tokens.length > 0, where, "at least one token", "none");
    tokens.forEach((t, i) => {
      checkWith(!this.index.has(t), where, "distinct tokens", `${JSON.stringify(brief(t, 40))} twice`);
      this.index.set(t, i);
    });
    this.unkId = unk === null ? -1 : this.index.get(unk) ?? failWith(where, `the unknown token ${JSON.stringify(brief(unk, 40))} among the tokens`, "a vocabulary without it");
    this.eosId = eos === null ? -1 : this.index.get(eos) ?? failWith(where, `the end token ${JSON.stringify(brief(eos, 40))} among the tokens`, "a vocabulary without it");
  }

  get size(): number { return this.tokens.length; }

  has(token: string): boolean { return this.index.has(token); }

  /** The id of a token: the unknown id if it is not in the vocabulary, or -1 if there is none. */
  lookup(token: string): number { return this.index.get(token) ?? this.unkId; }

  /** The token of an id (throws on an id out of range, which would be a model bug). */
  token(id: number): string {
    check(Number.isInteger(id) && id >= 0 && id < this.tokens.length, "vocabulary id", `an integer in [0, ${this.tokens.length})`, id);
    return this.tokens[id];
  }

  toJSON(): VocabJSON { return { kind: this.kind, tokens: [...this.tokens], unk: this.unk, eos: this.eos }; }

  static fromJSON(json: unknown, where = "vocab.json"): Vocab {
    const j = json as Partial<VocabJSON> | null;
    check(typeof j === "object" && j !== null, where, "an object", j);
    check(j.kind === "char" || j.kind === "word", `${where} kind`, "char|word", j.kind);
    check(Array.isArray(j.tokens) && j.tokens.every((t) => typeof t === "string"), `${where} tokens`, "an array of strings", j.tokens);
    check(j.unk === null || j.unk === undefined || typeof j.unk === "string", `${where} unk`, "a string or null", j.unk);
    check(j.eos === null || j.eos === undefined || typeof j.eos === "string", `${where} eos`, "a string or null", j.eos);
    return new Vocab(j.kind, j.tokens, j.unk ?? null, j.eos ?? null, where);
  }
}
