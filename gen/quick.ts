import { listFunctions } from "./functions/list.js";
import { TOOL_VERSION } from "./paths.js";

/**
 * What the CLI prints for `pwlgen --version` and `pwlgen list` (exactly those arguments),
 * answered on the process's main thread without starting the command thread: they write
 * nothing and load almost nothing, so starting a worker and the command line parser would
 * be most of their time. Anything else (including `list --help`) is undefined: the full CLI.
 */
export function quickAnswer(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === "--version") return `${TOOL_VERSION}\n`;
  if (argv[0] === "list") return `${listFunctions()}\n`;
  return undefined;
}
