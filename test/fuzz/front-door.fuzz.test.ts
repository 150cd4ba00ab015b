import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import type * as Generate from "../../gen/generate.js";
import { parseOptions } from "../../gen/spec/load.js";
import { designSchema } from "../../gen/spec/schema.js";
import { UserError } from "../../gen/spec/errors.js";
import { MESSAGE, argvArbitrary, mutatedArbitrary, runQuietly, specArbitrary } from "../support/fuzz.js";

/**
 * The front door alone, at volume: 10,000 spec objects through the spec parser and 10,000
 * command lines through the CLI's argument layer (yargs, switch checks, zod, cross-checks,
 * output-place checks). Generation is replaced by a marker here, so each case costs about a
 * millisecond; spec.fuzz.test.ts builds and checks the designs of thousands more, whole.
 */
const PARSED = "parsed, not generated (fuzz marker)";
vi.mock("../../gen/generate.js", async (original) => ({
  ...(await original<typeof Generate>()),
  generateFromSpec: () => {
    throw new UserError("fuzz", "marker", PARSED);
  },
}));

const dir = mkdtempSync(join(tmpdir(), "pwlgen-front-door-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS = 5000;
const LINES = 3000;

function parse(spec: Record<string, unknown>): "valid" | "refused" {
  try {
    parseOptions(designSchema, spec, { fromCli: new Set() });
    return "valid";
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message).toMatch(MESSAGE);
    expect(error.message).not.toContain("\n");
    expect(error.message.length).toBeLessThan(1000);
    return "refused";
  }
}

describe("the spec parser, 10,000 specs", () => {
  it.each([
    ["random", specArbitrary, 1],
    ["mutated", mutatedArbitrary, 2],
  ] as const)("%s specs: valid, or one UserError line naming the field", (what, arbitrary, seed) => {
    const seen = { valid: 0, refused: 0 };
    fc.assert(
      fc.property(arbitrary, (spec) => {
        seen[parse(spec)]++;
      }),
      { numRuns: SPECS, seed },
    );
    console.log(`front door, ${what} specs: ${SPECS} parsed, ${seen.valid} valid, ${seen.refused} refused`);
    expect(seen.valid).toBeGreaterThan(SPECS / 10);
    expect(seen.refused).toBeGreaterThan(SPECS / 10);
  });
});

describe("the command line, 3,000 argument lists", () => {
  it("each reaches the generator or is refused with one line and exit 2, writing nothing", async () => {
    let count = 0;
    const seen = { parsed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(argvArbitrary, async (groups) => {
        const out = join(dir, `cli-${count++}`);
        const args = ["gen", ...groups.flat(), "--out-dir", out];
        const { code, stderr } = await runQuietly(args);
        const context = `${args.join(" ")}\n${stderr.join("\n")}`;
        expect(code, context).toBe(2);
        expect(stderr, context).toHaveLength(1);
        expect(stderr[0]).toMatch(/^pwlgen: error: /);
        expect(stderr[0]).not.toMatch(/\n| {4}at /);
        if (stderr[0]!.endsWith(PARSED)) seen.parsed++;
        else seen.refused++;
      }),
      { numRuns: LINES, seed: 4242 },
    );
    // Nothing was written for any of them: the generator never ran, and refusals write nothing.
    expect(readdirSync(dir)).toEqual([]);
    console.log(`front door, command lines: ${LINES} tried, ${seen.parsed} parsed, ${seen.refused} refused`);
    expect(seen.parsed).toBeGreaterThan(LINES / 20);
  });
});
