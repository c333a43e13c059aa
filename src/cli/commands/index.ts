// Every CLI command, one module each. Each exports `register(program)`.
import type { Command } from "commander";
import { register as exportCmd } from "./export.ts";
import { register as firms } from "./firms.ts";
import { register as gradients } from "./gradients.ts";
import { register as importCmd } from "./import.ts";
import { register as params } from "./params.ts";
import { register as predict } from "./predict.ts";
import { register as tour } from "./tour.ts";
import { register as train } from "./train.ts";
import { register as evalCmd } from "./eval.ts";
import { register as generate } from "./generate.ts";
import { register as forecast } from "./forecast.ts";

export const commands: Array<(program: Command) => void> = [exportCmd, firms, gradients, importCmd, params, predict, tour, train, evalCmd, generate, forecast];
