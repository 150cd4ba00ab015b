import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTool } from "../../sim/tools.js";
import { verifyUnit } from "../../sim/verify.js";
import { runCli, withOnlyTools } from "../support/cli.js";

/**
 * pwlgen sim on units whose Verilog was edited by hand: a module that does not compile is
 * reported with the compiler's own first error line, lint says errors or warnings as the
 * tools do, and --simulator iverilog needs (and lints with) Icarus Verilog alone.
 */
const SMALL = ["--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-6"];
const MODULE = "pwl_sigmoid_s4_6_u1_8";

const root = mkdtempSync(join(tmpdir(), "pwlgen-sim-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unit = join(root, "unit");
let copies = 0;

beforeAll(async () => {
  expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
});

/** A copy of the generated unit whose module source is rewritten by `edit`. */
function edited(edit: (verilog: string) => string): string {
  const dir = join(root, `copy${++copies}`);
  cpSync(unit, dir, { recursive: true });
  const file = join(dir, `${MODULE}.v`);
  const before = readFileSync(file, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}

/** The console line of one lint or simulator, e.g. "lint iverilog  ERRORS  (...)". */
const lineOf = (stdout: string[], prefix: RegExp): string => {
  const lines = stdout.filter((line) => prefix.test(line));
  expect(lines, `${prefix} in\n${stdout.join("\n")}`).toHaveLength(1);
  return lines[0]!;
};

describe("pwlgen sim: a module edited so it no longer compiles", () => {
  it("renamed: each simulator FAILs with its compile error, not '0 vectors'", async () => {
    const dir = edited((v) => v.replace(`module ${MODULE} (`, "module pwl_renamed ("));
    const result = await runCli(["sim", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([]);
    for (const simulator of ["iverilog", "verilator"]) {
      const line = lineOf(result.stdout, new RegExp(`^${simulator}\\s`));
      expect(line).toMatch(new RegExp(`^${simulator}\\s+FAIL  compile error: .*\\berror\\b.*${MODULE}`, "i"));
      expect(line).not.toContain("vectors");
    }
    // The module itself still lints (Verilator warns that file and module names differ).
    expect(lineOf(result.stdout, /^lint verilator/)).toMatch(/ WARNINGS /);
    expect(result.stdout).toContainEqual(
      expect.stringMatching(/^ {2}%Warning-DECLFILENAME: .*'pwl_renamed'$/),
    );
  });

  it("a syntax error: lint says ERRORS in both tools, and each simulator shows the error line", async () => {
    const dir = edited((v) => v.replace("  assign y =", "  assign assign y ="));
    const result = await runCli(["sim", dir]);
    expect(result.code).toBe(1);
    for (const tool of ["verilator", "iverilog"]) {
      expect(lineOf(result.stdout, new RegExp(`^lint ${tool}\\s`))).toMatch(/ ERRORS /);
    }
    expect(lineOf(result.stdout, /^iverilog\s/)).toMatch(
      new RegExp(`^iverilog  FAIL  compile error: ${MODULE}\\.v:\\d+: syntax error$`),
    );
    expect(lineOf(result.stdout, /^verilator\s/)).toMatch(
      new RegExp(`^verilator FAIL  compile error: %Error: ${MODULE}\\.v:\\d+:\\d+: syntax error`),
    );
    // Verilator's summary line is not shown as a message of its own.
    expect(result.stdout.join("\n")).not.toContain("Exiting due to");
  });
});

describe("pwlgen sim: lint warnings are warnings", () => {
  it("an out-of-range select compiles and simulates, but both lints say WARNINGS and sim exits 1", async () => {
    const dir = edited((v) => v.replace(/^endmodule/m, "  wire spare = x[12];\nendmodule"));
    const result = await runCli(["sim", dir]);
    expect(result.code).toBe(1);
    for (const tool of ["verilator", "iverilog"]) {
      expect(lineOf(result.stdout, new RegExp(`^lint ${tool}\\s`))).toMatch(/ WARNINGS /);
    }
    expect(result.stdout).toContainEqual(
      expect.stringMatching(/^ {2}\S+\.v:\d+: warning: Constant bit select \[12\] is after vector x/),
    );
    expect(lineOf(result.stdout, /^iverilog\s/)).toMatch(/^iverilog {2}PASS {2}1024 vectors, 0 mismatches/);
    expect(lineOf(result.stdout, /^verilator\s/)).toMatch(/^verilator PASS {2}1024 vectors, 0 mismatches/);
  });
});

describe("--simulator iverilog with only Icarus Verilog installed", () => {
  const icarusOnly = <T>(body: () => Promise<T>): Promise<T> =>
    withOnlyTools(
      join(root, `path${++copies}`),
      { iverilog: findTool("iverilog")!, vvp: findTool("vvp")! },
      body,
    );

  it("gen --verify lints with iverilog -Wall and simulates, exit 0; --no-lint skips the lint", async () => {
    const linted = await icarusOnly(() =>
      runCli(["gen", ...SMALL, "--out-dir", join(root, "v1"), "--verify", "--simulator", "iverilog"]),
    );
    expect(linted.stderr).toEqual([]);
    expect(linted.code).toBe(0);
    expect(linted.stdout.filter((line) => /^(lint|iverilog|verilator)/.test(line))).toEqual([
      `lint iverilog  clean  (iverilog -g2005 -Wall -o /dev/null ${MODULE}.v)`,
      expect.stringMatching(/^iverilog {2}PASS {2}1024 vectors, 0 mismatches, /) as string,
    ]);
    const unlinted = await icarusOnly(() =>
      runCli([
        "gen",
        ...SMALL,
        "--out-dir",
        join(root, "v2"),
        "--verify",
        "--simulator",
        "iverilog",
        "--no-lint",
      ]),
    );
    expect(unlinted.code).toBe(0);
    expect(unlinted.stdout.filter((line) => line.startsWith("lint"))).toEqual([]);
  });

  it("sim and the library's verifyUnit lint with the chosen simulator only", async () => {
    const result = await icarusOnly(() => runCli(["sim", unit, "--simulator", "iverilog"]));
    expect(result.code).toBe(0);
    expect(result.stdout.some((line) => line.includes("verilator"))).toBe(false);
    const verification = await icarusOnly(() => verifyUnit(unit, "iverilog"));
    expect(verification.lint.map((lint) => [lint.tool, lint.status])).toEqual([["iverilog", "clean"]]);
    expect(verification.passed).toBe(true);
  });
});
