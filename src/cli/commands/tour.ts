import type { Command } from "commander";
export function register(program: Command): void {
  program.command("tour").description("(being written)").action(() => { throw new Error("not yet"); });
}
