// The two OpenBLAS kernel sets PyTorch can run on here, and the environment of a PyTorch child
// for each. This machine's environment exports OPENBLAS_CORETYPE=Haswell (and OPENBLAS_L2_SIZE),
// so OpenBLAS runs its AVX2 kernels; with both removed it picks its AVX-512 kernels
// (../shared/BENCHMARKS.md). A user who picks PyTorch gets the faster, so the anchor is the
// best of both. The variables are removed from that child's environment only: never from this
// process, the tests or CI.

export const TORCH_VARIANTS = ["avx2", "avx512"] as const;
export type TorchVariant = (typeof TORCH_VARIANTS)[number];

/** What each variant does to the environment, for the docs and the table's notes. */
export const VARIANT_NOTE: Record<TorchVariant, string> = {
  avx2: "the machine's environment as it is (OPENBLAS_CORETYPE=Haswell: AVX2 kernels)",
  avx512: "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for that child (OpenBLAS picks AVX-512 kernels)",
};

/** The environment of a PyTorch child: `base` (default process.env) with the variant applied,
 *  OMP_NUM_THREADS = threads, and OMP_WAIT_POLICY=PASSIVE (with 2 threads, PyTorch's and
 *  OpenBLAS's pools otherwise spin against each other and run 2–4× slower). */
export function torchEnv(variant: TorchVariant, threads: number, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: String(threads) };
  if (variant === "avx512") { delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE; }
  return env;
}

export function parseVariants(list: string[]): TorchVariant[] {
  for (const v of list) {
    if (!(TORCH_VARIANTS as readonly string[]).includes(v)) throw new Error(`bench: unknown --torch-variants ${v} (${TORCH_VARIANTS.join(", ")})`);
  }
  return list as TorchVariant[];
}
