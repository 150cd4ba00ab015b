import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseTemporary, trackTemporary } from "../gen/output/write.js";
import { howItEnded, requireTool, run } from "./tools.js";
import { unitFileName, type UnitOnDisk } from "./unit.js";
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

/** GHDL: `file:line:col:warning: ...`, `file:line:col: ...` (an error), `ghdl: ...` (a tool error). */
function ghdlKind(line: string): Kind {
  if (/:warning:/i.test(line)) return "warning";
  if (/^[^:\s]+:\d+:\d+:/.test(line) || /\berror\b/i.test(line)) return "error";
  return /\bwarning\b/i.test(line) ? "warning" : undefined;
}

/**
 * Every warning GHDL 2 knows, for `-Wall` (which GHDL lacks): analysis of pwlgen's VHDL
 * is clean under all of them. GHDL stores what it analyses in a work library, so the lint
 * runs in a scratch directory.
 */
export const GHDL_WARNINGS = [
  "binding",
  "default-binding",
  "reserved",
  "library",
  "missing-xref",
  "vital-generic",
  "delayed-checks",
  "body",
  "specs",
  "runtime-error",
  "shared",
  "hide",
  "unused",
  "others",
  "pure",
  "analyze-assert",
  "attribute",
  "useless",
  "port",
  "port-bounds",
  "parenthesis",
  "nested-comment",
  "directive",
  "pragma",
  "static",
].map((name) => `-W${name}`);

/** Each simulator's strictest lint of the module alone, and how it labels its diagnostics. */
const LINTERS: Record<
  Simulator,
  {
    role: "module" | "vhdlModule";
    args: (file: string, scratch: string) => string[];
    kind: (line: string) => Kind;
  }
> = {
  verilator: { role: "module", args: (file) => ["--lint-only", "-Wall", file], kind: verilatorKind },
  iverilog: {
    role: "module",
    args: (file) => ["-g2005", "-Wall", "-o", "/dev/null", file],
    kind: icarusKind,
  },
  ghdl: {
    role: "vhdlModule",
    args: (file, scratch) => ["-a", "--std=08", ...GHDL_WARNINGS, `--workdir=${scratch}`, file],
    kind: ghdlKind,
  },
};

/** Verilator first (its -Wall is the stricter), then Icarus Verilog, then GHDL on the VHDL. */
const LINT_ORDER: readonly Simulator[] = ["verilator", "iverilog", "ghdl"];

/** Lints the unit's module with each chosen simulator; a clean module has no diagnostics at all. */
export async function lintUnit(unit: UnitOnDisk, simulators: readonly Simulator[]): Promise<LintResult[]> {
  const results: LintResult[] = [];
  for (const tool of LINT_ORDER.filter((name) => simulators.includes(name))) {
    const linter = LINTERS[tool];
    const scratch = mkdtempSync(join(tmpdir(), `pwlgen-lint-${process.pid}-`));
    trackTemporary(scratch);
    try {
      const args = linter.args(unitFileName(unit, linter.role), scratch);
      const output = await run(requireTool(tool), args, { cwd: unit.dir });
      const diagnostics = `${output.stdout}${output.stderr}`
        .split("\n")
        .map((line) => ({ line: line.trim(), kind: linter.kind(line.trim()) }))
        .filter(({ kind }) => kind !== undefined);
      const messages = diagnostics.map(({ line }) => line);
      const errors = diagnostics.some(({ kind }) => kind === "error");
      // A tool that fails without saying why still fails the module.
      const silentFailure = output.code !== 0 && messages.length === 0;
      // The scratch directory's name changes per run, and GHDL's warning list is long: the
      // command shows both in short.
      const shown = args
        .filter((arg) => !GHDL_WARNINGS.includes(arg) || arg === GHDL_WARNINGS[0])
        .map((arg) =>
          arg === `--workdir=${scratch}`
            ? "--workdir=<scratch>"
            : arg === GHDL_WARNINGS[0]
              ? "-W<every warning>"
              : arg,
        );
      results.push({
        tool,
        command: `${tool} ${shown.join(" ")}`,
        status: errors || silentFailure ? "errors" : messages.length > 0 ? "warnings" : "clean",
        messages: silentFailure ? [`${tool} ${howItEnded(output)}`] : messages,
      });
    } finally {
      releaseTemporary(scratch);
    }
  }
  return results;
}
