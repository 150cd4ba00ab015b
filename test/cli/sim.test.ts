import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectUserError, runCli, withOnlyTools } from "../support/cli.js";

/**
 * pwlgen sim and gen --verify without running a simulator: a damaged or foreign unit
 * directory is refused (exit 2, one line naming what is missing) before any tool is
 * looked for, and only the chosen simulator is required. PATH is emptied in these tests,
 * so a command that reached for a tool would exit 3 instead.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SMALL = ["--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-6"];
const MODULE = "pwl_sigmoid_s4_6_u1_8";

const root = mkdtempSync(join(tmpdir(), "pwlgen-sim-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unit = join(root, "unit");
let copies = 0;

beforeAll(async () => {
  expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
});

/** A copy of the generated unit, damaged by `edit`. */
function damaged(edit: (dir: string) => void): string {
  const dir = join(root, `copy${++copies}`);
  cpSync(unit, dir, { recursive: true });
  edit(dir);
  return dir;
}

/** Runs the CLI with no tools on PATH. */
const withoutTools = (args: string[]) =>
  withOnlyTools(join(root, `empty-path${++copies}`), {}, () => runCli(args));

describe("pwlgen sim: missing inputs exit 2 with one line, before any tool", () => {
  for (const file of [`${MODULE}.v`, `${MODULE}_tb.v`, `${MODULE}_vectors.hex`]) {
    it(`a deleted ${file.slice(MODULE.length) || file}`, async () => {
      const dir = damaged((d) => rmSync(join(d, file)));
      const line = expectUserError(await withoutTools(["sim", dir]));
      expect(line).toContain(`has no ${file} `);
    });
  }

  it("a directory without manifest.json is not a pwlgen unit", async () => {
    const dir = damaged((d) => rmSync(join(d, "manifest.json")));
    const line = expectUserError(await withoutTools(["sim", dir]));
    expect(line).toContain("has no manifest.json");
  });

  it("a manifest.json that is not JSON, or not pwlgen's", async () => {
    const broken = damaged((d) => writeFileSync(join(d, "manifest.json"), "{"));
    expect(expectUserError(await withoutTools(["sim", broken]))).toContain("not valid JSON");
    const foreign = damaged((d) => writeFileSync(join(d, "manifest.json"), '{"module": 3}'));
    expect(expectUserError(await withoutTools(["sim", foreign]))).toContain(
      'has a manifest.json that pwlgen gen did not write (its tool.name is not "pwlgen")',
    );
  });

  it("a directory that does not exist, or a file", async () => {
    const missing = join(root, "nowhere");
    expect(expectUserError(await withoutTools(["sim", missing]))).toContain(`"${missing}" does not exist`);
    const file = join(unit, `${MODULE}.v`);
    expect(expectUserError(await withoutTools(["sim", file]))).toContain("is not a directory");
  });

  it("a complete unit gets as far as the tools (exit 3), so the checks above come first", async () => {
    const result = await withoutTools(["sim", unit, "--simulator", "iverilog"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toEqual([
      "pwlgen: error: iverilog is not installed; install Icarus Verilog: apt-get install iverilog",
    ]);
  });
});

describe("--simulator chooses every tool a check needs, lint included", () => {
  it("gen --verify --simulator iverilog asks for Icarus Verilog only, never Verilator", async () => {
    const result = await withoutTools([
      "gen",
      ...SMALL,
      "--out-dir",
      join(root, "v1"),
      "--verify",
      "--simulator",
      "iverilog",
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr.join("\n")).toContain("iverilog is not installed");
    expect(result.stderr.join("\n")).not.toContain("verilator");
  });

  it("sim --simulator verilator asks for Verilator only", async () => {
    const result = await withoutTools(["sim", unit, "--simulator", "verilator"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toEqual([
      "pwlgen: error: verilator is not installed; install Verilator: apt-get install verilator",
    ]);
  });

  it("gen takes --no-lint like sim; lint, a run option, stays out of the spec hash", async () => {
    const out = join(root, "nolint");
    const args = ["gen", ...SMALL, "--out-dir", out, "--verify", "--simulator", "iverilog", "--no-lint"];
    expect((await runCli(args)).code).toBe(0);
    const hash = (dir: string) =>
      (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { specHash: string }).specHash;
    expect(hash(out)).toBe(hash(unit));
  });
});

describe("--help describes each command's own options", () => {
  const help = (command: string): string => {
    const result = spawnSync(process.execPath, [join(ROOT, "bin", "pwlgen.js"), command, "--help"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    // yargs wraps long descriptions; join the continuation lines.
    return result.stdout.replace(/\s+/g, " ");
  };

  it("sim: --simulator lints and runs the testbench (sim has no --verify)", () => {
    const text = help("sim");
    expect(text).toContain("--simulator simulator(s) that lint the module and run its testbench");
    expect(text).toContain("--lint lint the module first with -Wall in the chosen simulator(s)");
    expect(text).not.toContain("--verify");
  });

  it("pwlgen help [command] prints what --help prints", () => {
    const helpCommand = (args: string[]): string =>
      spawnSync(process.execPath, [join(ROOT, "bin", "pwlgen.js"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
      }).stdout.replace(/\s+/g, " ");
    expect(helpCommand(["help", "gen"])).toBe(help("gen"));
    expect(helpCommand(["help"])).toBe(helpCommand(["--help"]));
    expect(helpCommand(["help"])).toContain("pwlgen sweep");
    expect(helpCommand(["help", "help"])).toBe(helpCommand(["--help"]));
    expect(helpCommand(["help", "gen", "--help"])).toBe(help("gen"));
  });

  it("gen: --simulator and --lint are for --verify", () => {
    const text = help("gen");
    expect(text).toContain("--simulator simulator(s) for --verify (default: all)");
    expect(text).toContain("--lint with --verify, lint the module first");
  });
});

describe("pwlgen gen --verify: tools and options checked before the design is built", () => {
  it("a missing simulator exits 3 naming it, and nothing is written", async () => {
    const out = join(root, "no-tools");
    const result = await withoutTools(["gen", ...SMALL, "--verify", "--out-dir", out]);
    expect(result.code).toBe(3);
    expect(result.stdout).toEqual([]);
    expect(result.stderr.join("\n")).toMatch(/verilator|iverilog/);
    expect(() => readFileSync(join(out, "manifest.json"))).toThrow();
  });

  it("--no-lint without --verify is refused", async () => {
    const line = expectUserError(await runCli(["gen", ...SMALL, "--no-lint", "--out-dir", join(root, "nl")]));
    expect(line).toContain("--lint: false (--no-lint) applies only with --verify");
  });

  it("--simulator without --verify is refused, in gen and in sweep", async () => {
    const gen = expectUserError(
      await runCli(["gen", ...SMALL, "--simulator", "iverilog", "--out-dir", join(root, "ns")]),
    );
    expect(gen).toContain('--simulator: "iverilog" applies only with --verify');
    const sweep = expectUserError(
      await runCli(["sweep", ...SMALL, "--simulator", "verilator", "--out-dir", join(root, "ns-sweep")]),
    );
    expect(sweep).toContain('--simulator: "verilator" applies only with --verify');
    expect(existsSync(join(root, "ns"))).toBe(false);
    expect(existsSync(join(root, "ns-sweep"))).toBe(false);
  });
});
