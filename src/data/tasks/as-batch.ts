// Glue between a task batch and the training loop (src/train/trainer.ts): the loss, head
// activation and many-to-one flag a task's target kind needs, the Batch the Trainer takes,
// and the model's outputs (T, B, O) turned into the predictions `task.score` takes.
// Numeric core: no Node imports. Holds no training logic itself.
import type { TaskBatch, TargetKind } from "./types.ts";
import type { Vec } from "../../tensor/types.ts";
import type { OutputActivation } from "../../model/config.ts";

export interface TaskTraining {
  loss: "mse" | "ce" | "bce";
  outputActivation: OutputActivation;
  manyToOne: boolean;
}

/** How to train on a target kind. */
export function trainingFor(kind: TargetKind): TaskTraining {
  switch (kind) {
    case "regression-last": return { loss: "mse", outputActivation: "linear", manyToOne: true };
    case "class-last": return { loss: "ce", outputActivation: "softmax", manyToOne: true };
    case "class-every-step": return { loss: "ce", outputActivation: "softmax", manyToOne: false };
    case "binary-every-step": return { loss: "bce", outputActivation: "sigmoid", manyToOne: false };
  }
}

/** The Trainer's batch: x (T, B, I), targets as the loss wants them, mask (T, B) as bytes. */
export function asTrainerBatch(b: TaskBatch): { x: Vec; T: number; B: number; targets: Vec; mask: Uint8Array | null } {
  let mask: Uint8Array | null = null;
  if (b.mask && b.mask.some((v) => v === 0)) mask = Uint8Array.from(b.mask, (v) => (v > 0 ? 1 : 0));
  return { x: b.x, T: b.T, B: b.B, targets: b.target, mask };
}

/**
 * Model outputs (T, B, O) — logits or linear outputs, as the Sequence model emits them —
 * to the predictions `task.score` takes: each sequence's last real step (B, O) for *-last
 * kinds (step T − 1 without a mask; with one, the last step the mask marks, as the Trainer
 * reads it), sigmoid probabilities (T, B, O) for binary kinds, the logits as they are for
 * class-every-step.
 */
export function predictionsFrom(b: TaskBatch, out: ArrayLike<number>): Float64Array {
  const { T, B, O } = b;
  if (b.targetKind === "regression-last" || b.targetKind === "class-last") {
    const p = new Float64Array(B * O);
    for (let j = 0; j < B; j++) {
      let last = T - 1;
      if (b.mask) while (last > 0 && !(b.mask[last * B + j] > 0)) last--;
      for (let o = 0; o < O; o++) p[j * O + o] = out[(last * B + j) * O + o];
    }
    return p;
  }
  const p = Float64Array.from({ length: T * B * O }, (_, k) => out[k]);
  if (b.targetKind === "binary-every-step") for (let k = 0; k < p.length; k++) p[k] = 1 / (1 + Math.exp(-p[k]));
  return p;
}
