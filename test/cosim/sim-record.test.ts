import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/**
 * pwlgen sim records what it ran in the unit (manifest.json's verification and report.md's
 * Verification section, which said "Not run here"), as gen --verify does, and the unit stays
 * pwlgen's: gen may replace it without --force, and sim may run on it again.
 */
const root = mkdtempSync(join(tmpdir(), "pwlgen-sim-record-"));
afterAll(() => {
  chmodSync(join(root), 0o755);
  rmSync(root, { recursive: true, force: true });
});
const SMALL = ["--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-6"];

describe("pwlgen sim records its results in the unit", () => {
  it("replaces 'Not run here' with the results, in the same place as gen --verify", async () => {
    const unit = join(root, "unit");
    const verified = join(root, "verified");
    expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
    expect(
      (await runCli(["gen", ...SMALL, "--verify", "--simulator", "iverilog", "--out-dir", verified])).code,
    ).toBe(0);
    expect(readFileSync(join(unit, "report.md"), "utf8")).toContain("Not run here.");
    const files = readdirSync(unit).sort();

    const result = await runCli(["sim", unit, "--simulator", "iverilog"]);
    expect(result.code).toBe(0);
    expect(result.stdout.at(-1)).toBe("recorded in manifest.json and report.md");
    const report = readFileSync(join(unit, "report.md"), "utf8");
    expect(report).not.toContain("Not run here.");
    expect(report).toMatch(
      /## Verification\n\n\| simulator \| vectors \| mismatches \| result \|\n\|---\|---\|---\|---\|\n\| iverilog \| 1024 \| 0 \| PASS \|\n\nVectors: /,
    );
    // The same files, and the same bytes as the unit gen --verify wrote.
    expect(readdirSync(unit).sort()).toEqual(files);
    for (const file of ["manifest.json", "report.md"])
      expect(readFileSync(join(unit, file), "utf8"), file).toBe(readFileSync(join(verified, file), "utf8"));

    // Still pwlgen's own unit: gen replaces it without --force.
    expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
  });

  it("a unit in a folder it may not write is simulated and left as it was", async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const unit = join(root, "readonly");
    expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
    chmodSync(unit, 0o555);
    const result = await runCli(["sim", unit, "--simulator", "iverilog"]);
    chmodSync(unit, 0o755);
    expect(result.code).toBe(0);
    expect(result.stdout.at(-1)).toMatch(/^not recorded in manifest.json and report.md: /);
  });
});
