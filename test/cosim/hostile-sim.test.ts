import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyUnit } from "../../sim/verify.js";
import { runCli } from "../support/cli.js";

/**
 * The hostile-input corpus where a simulator has to run: unit directories at long paths
 * with non-ASCII characters and newlines, vector files the simulators reject, testbenches
 * that never end, and Verilog that runs a command once the user says the unit is trusted.
 */
const SMALL = ["--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-6"];
const MODULE = "pwl_sigmoid_s4_6_u1_8";

const root = mkdtempSync(join(tmpdir(), "pwlgen-hostile-sim-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unit = join(root, "unit");
let copies = 0;

beforeAll(async () => {
  expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
});

/** A copy of the unit whose file `name` is rewritten by `edit`. */
function edited(name: string, edit: (text: string) => string): string {
  const dir = join(root, `copy${++copies}`);
  cpSync(unit, dir, { recursive: true });
  const path = join(dir, name);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

/** A directory at an absolute path of at least `length` characters, components of 200 bytes. */
function deepDirectory(length: number, last: string): string {
  // 60 two-byte characters and 80 ASCII ones: 200 bytes, under the 255 a name may have.
  const component = `${"é".repeat(60)}_${"d".repeat(79)}`;
  let dir = join(root, `deep${++copies}`);
  while (dir.length < length) dir = join(dir, component);
  dir = join(dir, last);
  mkdirSync(dir, { recursive: true });
  expect(dir.length).toBeGreaterThanOrEqual(length);
  return dir;
}

const simLines = (stdout: string[]) => stdout.filter((line) => /^(iverilog|verilator)\s/.test(line));

describe("long and non-ASCII paths", () => {
  it("gen --verify into a directory 1,000 characters deep with non-ASCII names PASSes in both simulators", async () => {
    const out = join(deepDirectory(1000, "unit"), "u");
    const result = await runCli(["gen", ...SMALL, "--verify", "--out-dir", out]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(simLines(result.stdout)).toEqual([
      expect.stringMatching(/^iverilog {2}PASS {2}1024 vectors, 0 mismatches/),
      expect.stringMatching(/^verilator PASS {2}1024 vectors, 0 mismatches/),
    ]);
  });

  it("sim of a unit whose path holds a newline PASSes in both simulators", async () => {
    const dir = join(deepDirectory(1000, "new\nline"), "unit");
    cpSync(unit, dir, { recursive: true });
    const result = await runCli(["sim", dir]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(simLines(result.stdout)).toEqual([
      expect.stringMatching(/^iverilog {2}PASS {2}1024 vectors/),
      expect.stringMatching(/^verilator PASS {2}1024 vectors/),
    ]);
  });
});

describe("a failing run says why, in the simulator's own words", () => {
  it("a vector file with a bad character: each simulator's error line, never an internal error", async () => {
    const dir = edited(`${MODULE}_vectors.hex`, (text) => text.replace(/\n[0-9a-f]+\n/, "\nghij\n"));
    const verification = await verifyUnit(dir, "all", { lint: false });
    expect(verification.passed).toBe(false);
    const [icarus, verilator] = verification.results;
    expect(icarus!.diagnostics).toEqual([
      expect.stringMatching(
        /^ERROR: .*\$readmemh\(pwl_sigmoid_s4_6_u1_8_vectors\.hex\): Invalid input character: g$/,
      ),
    ]);
    // Verilator aborts: no RESULT line, and its error is the failure.
    expect(verilator!.failure?.message).toMatch(/^%Error: .*vectors\.hex:\d+: \$readmem file syntax error$/);
  });

  it("a short vector file: Icarus' warning comes with the mismatches", async () => {
    const dir = edited(`${MODULE}_vectors.hex`, (text) => text.split("\n").slice(0, 60).join("\n"));
    const [icarus] = (await verifyUnit(dir, "iverilog", { lint: false })).results;
    expect(icarus!.passed).toBe(false);
    expect(icarus!.mismatches).toBeGreaterThan(0);
    expect(icarus!.diagnostics).toEqual([expect.stringMatching(/\$readmemh.*Not enough words in the file/)]);
  });
});

describe("a testbench that never ends", () => {
  it(
    "is stopped after its time limit and FAILs with 'timed out', in both simulators",
    { timeout: 300_000 },
    async () => {
      // The vectors are checked, then the clock-free testbench waits forever instead of finishing.
      const dir = edited(`${MODULE}_tb.v`, (text) => text.replace(/^ {4}finish;$/m, "    forever #1 x = x;"));
      const verification = await verifyUnit(dir, "all", { lint: false, timeoutSeconds: 5 });
      expect(verification.passed).toBe(false);
      for (const result of verification.results) {
        expect(result.failure, result.simulator).toEqual({ stage: "run", message: "timed out after 5 s" });
        expect(result.seconds).toBeGreaterThanOrEqual(5);
      }
    },
  );
});

describe("--trust", () => {
  const withSystem = () =>
    edited(`${MODULE}.v`, (text) =>
      text.replace(/^endmodule/m, '  initial $system("touch pwned");\nendmodule'),
    );

  it("without it, $system is refused and nothing runs; with it, the unit's command runs under Verilator", async () => {
    const dir = withSystem();
    await expect(verifyUnit(dir, "verilator", { lint: false })).rejects.toThrow(
      /"\$system" is a system task/,
    );
    expect(existsSync(join(dir, "pwned"))).toBe(false);
    const trusted = await verifyUnit(dir, "verilator", { lint: false, trust: true });
    expect(trusted.passed).toBe(true);
    // This is why sim refuses untrusted units: the simulation ran the unit's command.
    expect(existsSync(join(dir, "pwned"))).toBe(true);
  });
});
