import { howItEnded, requireTool, run } from "./tools.js";
import type { UnitOnDisk } from "./unit.js";
import type { Simulator } from "./types.js";

/**
 * One linter's verdict on the generated module. Errors (the module does not compile) and
 * warnings (it compiles, but -Wall objects) are told apart so the console says which.
 */
export interface LintResult {
  readonly tool: Simulator;
  readonly command: string;
  readonly status: "clean" | "warnings" | "errors";
  /** The tool's diagnostic lines, errors and warnings in the order it printed them. */
  readonly messages: readonly string[];
}

type Kind = "error" | "warning" | undefined;

/** Verilator: `%Error...`, `%Warning-CODE...`; its closing `%Error: Exiting due to ...` only counts them. */
function verilatorKind(line: string): Kind {
  if (/^%Error: Exiting due to/.test(line)) return undefined;
  if (/^%Error\b/.test(line)) return "error";
  return /^%Warning\b/.test(line) ? "warning" : undefined;
}

/** Icarus: `file:line: warning: ...`, `file:line: error: ...`, `file:line: syntax error`. */
function icarusKind(line: string): Kind {
  // The warning tag first: a warning's text may mention an error.
  if (/\bwarning:/i.test(line)) return "warning";
  if (/\berror\b/i.test(line)) return "error";
  return /\bwarning\b/i.test(line) ? "warning" : undefined;
}

/** Each simulator's strictest lint of the module alone, and how it labels its diagnostics. */
const LINTERS: Record<Simulator, { args: (file: string) => string[]; kind: (line: string) => Kind }> = {
  verilator: { args: (file) => ["--lint-only", "-Wall", file], kind: verilatorKind },
  iverilog: { args: (file) => ["-g2005", "-Wall", "-o", "/dev/null", file], kind: icarusKind },
};

/** Verilator first (its -Wall is the stricter), then Icarus Verilog. */
const LINT_ORDER: readonly Simulator[] = ["verilator", "iverilog"];

/** Lints the unit's module with each chosen simulator; a clean module has no diagnostics at all. */
export async function lintUnit(unit: UnitOnDisk, simulators: readonly Simulator[]): Promise<LintResult[]> {
  const results: LintResult[] = [];
  for (const tool of LINT_ORDER.filter((name) => simulators.includes(name))) {
    const linter = LINTERS[tool];
    const args = linter.args(unit.moduleFile);
    const output = await run(requireTool(tool), args, { cwd: unit.dir });
    const diagnostics = `${output.stdout}${output.stderr}`
      .split("\n")
      .map((line) => ({ line: line.trim(), kind: linter.kind(line.trim()) }))
      .filter(({ kind }) => kind !== undefined);
    const messages = diagnostics.map(({ line }) => line);
    const errors = diagnostics.some(({ kind }) => kind === "error");
    // A tool that fails without saying why still fails the module.
    const silentFailure = output.code !== 0 && messages.length === 0;
    results.push({
      tool,
      command: `${tool} ${args.join(" ")}`,
      status: errors || silentFailure ? "errors" : messages.length > 0 ? "warnings" : "clean",
      messages: silentFailure ? [`${tool} ${howItEnded(output)}`] : messages,
    });
  }
  return results;
}
