import type { Command } from "commander";
export function register(program: Command): void {
  program.command("params").description("(being written)").action(() => { throw new Error("not yet"); });
}
