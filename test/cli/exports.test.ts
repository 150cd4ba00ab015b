import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectUserError, runCli } from "../support/cli.js";

/**
 * The exports' bad input: one line naming the option and the value, exit 2, nothing
 * written (and no simulator run).
 */
const dir = mkdtempSync(join(tmpdir(), "pwlgen-exports-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GEN = ["gen", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--max-error", "2^-5"];

describe("exports: refusals", () => {
  it("an unknown --hdl", async () => {
    const out = join(dir, "a");
    const line = expectUserError(await runCli([...GEN, "--hdl", "systemverilog", "--out-dir", out]));
    expect(line).toBe('pwlgen: error: --hdl: "systemverilog" is not one of: verilog, vhdl, both');
    expect(existsSync(out)).toBe(false);
  });

  it("an unknown --export", async () => {
    const out = join(dir, "b");
    const line = expectUserError(await runCli([...GEN, "--export", "c,rust", "--out-dir", out]));
    expect(line).toContain('--export: "c,rust" has "rust", which is not an export');
    expect(existsSync(out)).toBe(false);
  });

  it("gen --verify --simulator ghdl without VHDL, and iverilog without Verilog", async () => {
    const out = join(dir, "c");
    const ghdl = expectUserError(await runCli([...GEN, "--verify", "--simulator", "ghdl", "--out-dir", out]));
    expect(ghdl).toContain('--simulator: "ghdl" simulates the VHDL, and --hdl verilog writes none');
    const icarus = expectUserError(
      await runCli([...GEN, "--hdl", "vhdl", "--verify", "--simulator", "iverilog", "--out-dir", out]),
    );
    expect(icarus).toContain('--simulator: "iverilog" simulates the Verilog, and --hdl vhdl writes none');
    expect(existsSync(out)).toBe(false);
  });

  it("sim --simulator ghdl on a Verilog-only unit; synth on a VHDL-only unit", async () => {
    const verilog = join(dir, "verilog");
    const vhdl = join(dir, "vhdl");
    expect((await runCli([...GEN, "--out-dir", verilog])).code).toBe(0);
    expect((await runCli([...GEN, "--hdl", "vhdl", "--export", "all", "--out-dir", vhdl])).code).toBe(0);
    expect(readdirSync(vhdl).filter((name) => name.endsWith(".v"))).toEqual([]);
    const before = readdirSync(verilog).sort();
    const line = expectUserError(
      await runCli(["sim", verilog, "--simulator", "ghdl", "--junit", join(dir, "r.xml")]),
    );
    expect(line).toContain('--simulator: "ghdl" simulates the unit\'s VHDL, and this unit has none');
    expect(readdirSync(verilog).sort()).toEqual(before);
    expect(existsSync(join(dir, "r.xml"))).toBe(false);
    const synth = expectUserError(await runCli(["synth", vhdl]));
    expect(synth).toContain("has no Verilog module");
    expect(synth).toContain("Yosys reads the Verilog only");
  });

  it("a --junit path under a regular file, for sim and sweep", async () => {
    const file = join(dir, "plain");
    writeFileSync(file, "not a directory\n");
    const unit = join(dir, "junit-unit");
    expect((await runCli([...GEN, "--out-dir", unit])).code).toBe(0);
    const sim = expectUserError(await runCli(["sim", unit, "--junit", join(file, "report.xml")]));
    expect(sim).toBe(
      `pwlgen: error: --junit: ${JSON.stringify(join(file, "report.xml"))} cannot be written: ${file} is not a directory`,
    );
    const out = join(dir, "sweep");
    const sweep = expectUserError(
      await runCli([
        "sweep",
        "--function",
        "sigmoid",
        "--in",
        "s3.5",
        "--out",
        "u1.7",
        "--max-error",
        "2^-5",
        "--out-dir",
        out,
        "--junit",
        join(file, "sweep.xml"),
      ]),
    );
    expect(sweep).toContain("--junit:");
    expect(existsSync(out)).toBe(false);
  });
});
