import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it, expect } from "vitest";
import { expectUserError, runCli as run } from "../support/cli.js";
import { rebuildCommand } from "../../gen/sweep/explorer.js";
import type { SweepRow } from "../../gen/sweep/row.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "pwlgen.js");

/** Small and fast: 12-bit input, 10-bit output, 5 segments or so. */
const SMALL = ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6"];
const SMALL_MODULE = "pwl_sigmoid_s4_8_u1_9";
const unitFiles = (module: string): string[] =>
  [`${module}.v`, `${module}_tb.v`, `${module}_vectors.hex`, "manifest.json", "report.md", "plot.svg"].sort();

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh empty directory; output directories go inside it. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-cli-"));
  scratch.push(dir);
  return dir;
}

interface FormatJson {
  signed: boolean;
  intBits: number;
  fracBits: number;
  width: number;
}

interface Manifest {
  tool: { name: string; version: string };
  module: string;
  function: string;
  input: FormatJson;
  output: FormatJson;
  maxErrorBound: number;
  segments: number;
  breakpoints: number[];
  coefficients: { slope: number; intercept: number }[];
  latency: number;
  errors: { max: number; mean: number; rms: number; maxUlp: number };
  segmentation: { method: string; symmetry: { fold: string } };
  architecture: { droppedInputBits: number; foldStyle?: string };
  specHash: string;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

const listing = (dir: string): string[] => readdirSync(dir).sort();

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Reads an exhaustive vector file (after its `//` stamp, one hex line per input code: input
 * bits, then output bits) back into signed/unsigned code pairs.
 */
function readVectors(dir: string, manifest: Manifest): { x: number; y: number }[] {
  const text = readFileSync(join(dir, `${manifest.module}_vectors.hex`), "utf8");
  const yWidth = manifest.output.width;
  const decode = (bits: bigint, w: number, signed: boolean): number =>
    Number(signed ? BigInt.asIntN(w, bits) : BigInt.asUintN(w, bits));
  return text
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("//"))
    .map((line) => {
      const word = BigInt(`0x${line}`);
      return {
        x: decode(word >> BigInt(yWidth), manifest.input.width, manifest.input.signed),
        y: decode(word, yWidth, manifest.output.signed),
      };
    });
}

describe("pwlgen gen: a good spec", () => {
  it("writes exactly <module>.v, <module>_tb.v, <module>_vectors.hex, manifest.json, report.md, plot.svg and exits 0", async () => {
    const out = join(tempDir(), "unit");
    const result = await run(["gen", ...SMALL, "--out-dir", out]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(listing(out)).toEqual(unitFiles(SMALL_MODULE));
    const verilog = readFileSync(join(out, `${SMALL_MODULE}.v`), "utf8");
    expect(verilog).toMatch(new RegExp(`module\\s+${SMALL_MODULE}\\b`));
  });

  it("leaves no staging directory behind next to the output", async () => {
    const parent = tempDir();
    const result = await run(["gen", ...SMALL, "--out-dir", join(parent, "unit")]);
    expect(result.code).toBe(0);
    expect(listing(parent)).toEqual(["unit"]);
  });

  it("names the files after --module", async () => {
    const out = join(tempDir(), "unit");
    const result = await run(["gen", ...SMALL, "--module", "my_sig", "--out-dir", out]);
    expect(result.code).toBe(0);
    expect(listing(out)).toEqual(unitFiles("my_sig"));
    expect(readManifest(out).module).toBe("my_sig");
  });
});

describe("pwlgen gen: manifest.json contract", () => {
  const designs: [string, string[], number, number][] = [
    // [name, flags, bound, function]
    ["sigmoid s4.8 -> u1.9 at 2^-6", SMALL, 2 ** -6, 0],
    [
      "sigmoid s4.12 -> u1.15 at 2^-10 (the 16-bit example)",
      ["--function", "sigmoid", "--in", "s4.12", "--out", "u1.15", "--max-error", "2^-10"],
      2 ** -10,
      0,
    ],
    [
      "tanh s3.8 -> s1.9 at 0.01, pipeline 2",
      ["--function", "tanh", "--in", "s3.8", "--out", "s1.9", "--max-error", "0.01", "--pipeline", "2"],
      0.01,
      1,
    ],
  ];

  it.each(designs)("%s", async (_name, flags, bound, which) => {
    const out = join(tempDir(), "unit");
    const result = await run(["gen", ...flags, "--out-dir", out]);
    expect(result.code).toBe(0);
    const m = readManifest(out);
    const flag = (name: string): string => flags[flags.indexOf(name) + 1]!;
    const [, inSign, inInt, inFrac] = /^([su])(-?\d+)\.(\d+)$/.exec(flag("--in"))!;
    const [, outSign, outInt, outFrac] = /^([su])(-?\d+)\.(\d+)$/.exec(flag("--out"))!;

    expect(m.tool).toEqual({
      name: "pwlgen",
      version: (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version,
    });
    expect(m.module).toBe(
      `pwl_${flag("--function")}_${flag("--in").replace(".", "_")}_${flag("--out").replace(".", "_")}`,
    );
    expect(m.function).toBe(flag("--function"));
    expect(m.input).toMatchObject({
      signed: inSign === "s",
      intBits: Number(inInt),
      fracBits: Number(inFrac),
      width: Number(inInt) + Number(inFrac),
    });
    expect(m.output).toMatchObject({
      signed: outSign === "s",
      intBits: Number(outInt),
      fracBits: Number(outFrac),
      width: Number(outInt) + Number(outFrac),
    });
    expect(m.maxErrorBound).toBe(bound);
    expect(m.latency).toBe(flags.includes("--pipeline") ? Number(flag("--pipeline")) : 0);
    expect(m.specHash).toMatch(/^[0-9a-f]{64}$/);

    // Segments: one breakpoint and one coefficient pair each, starting at the table's first
    // code: the smallest input code, or 0 when the table is folded by symmetry (|x|).
    expect(m.segments).toBeGreaterThanOrEqual(1);
    expect(m.breakpoints).toHaveLength(m.segments);
    expect(m.coefficients).toHaveLength(m.segments);
    const minCode = m.input.signed ? -(2 ** (m.input.width - 1)) : 0;
    const maxCode = m.input.signed ? 2 ** (m.input.width - 1) - 1 : 2 ** m.input.width - 1;
    // Breakpoints are table codes: x, or its magnitude when folded (|x| up to 2^(w-1), or
    // x ^ sign below it), with the dropped input bits shifted out.
    const folded = m.segmentation.symmetry.fold !== "none";
    if (!m.input.signed) expect(folded).toBe(false);
    const shift = 2 ** m.architecture.droppedInputBits;
    const last = folded ? (m.architecture.foldStyle === "ones" ? -minCode - 1 : -minCode) : maxCode;
    expect(m.breakpoints[0]).toBe(folded ? 0 : Math.floor(minCode / shift));
    m.breakpoints.forEach((b, i) => {
      expect(Number.isInteger(b)).toBe(true);
      expect(b).toBeLessThanOrEqual(Math.floor(last / shift));
      if (i > 0) expect(b).toBeGreaterThan(m.breakpoints[i - 1]!);
    });
    for (const { slope, intercept } of m.coefficients) {
      expect(Number.isInteger(slope)).toBe(true);
      expect(Number.isInteger(intercept)).toBe(true);
    }

    // Errors: within the bound, consistent with each other.
    const outUlp = 2 ** -m.output.fracBits;
    expect(m.errors.max).toBeGreaterThan(0);
    expect(m.errors.max).toBeLessThanOrEqual(m.maxErrorBound);
    expect(m.errors.mean).toBeGreaterThan(0);
    expect(m.errors.mean).toBeLessThanOrEqual(m.errors.rms);
    expect(m.errors.rms).toBeLessThanOrEqual(m.errors.max);
    expect(m.errors.maxUlp).toBeCloseTo(m.errors.max / outUlp, 9);

    // The exhaustive vector file holds every input code in order; its outputs, measured
    // against Math's sigmoid / tanh, have exactly the manifest's worst error.
    const vectors = readVectors(out, m);
    expect(vectors).toHaveLength(2 ** m.input.width);
    vectors.forEach(({ x }, i) => expect(x).toBe(minCode + i));
    const f = which === 0 ? sigmoid : Math.tanh;
    const xUlp = 2 ** -m.input.fracBits;
    const worst = Math.max(...vectors.map(({ x, y }) => Math.abs(y * outUlp - f(x * xUlp))));
    expect(worst).toBeCloseTo(m.errors.max, 12);
  });
});

describe("pwlgen gen --segments", () => {
  it("--segments 8 gives at most 8 segments and records the error it reaches as the bound", async () => {
    const out = join(tempDir(), "unit");
    const flags = ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--segments", "8"];
    const result = await run(["gen", ...flags, "--out-dir", out]);
    expect(result.code).toBe(0);
    const m = readManifest(out);
    expect(m.segments).toBeGreaterThanOrEqual(1);
    expect(m.segments).toBeLessThanOrEqual(8);
    expect(m.breakpoints).toHaveLength(m.segments);
    expect(m.coefficients).toHaveLength(m.segments);
    expect(m.maxErrorBound).toBe(m.errors.max);

    // No design beats rounding f to the nearest u1.9 code at every input.
    let roundingFloor = 0;
    for (let code = -2048; code < 2048; code++) {
      const f = sigmoid(code / 256);
      roundingFloor = Math.max(roundingFloor, Math.abs(f - Math.round(f * 512) / 512));
    }
    expect(m.errors.max).toBeGreaterThanOrEqual(roundingFloor);

    // A design within 2^-6 that fits in 8 segments is one the budget could have chosen.
    const bounded = join(tempDir(), "bounded");
    expect((await run(["gen", ...SMALL, "--method", "optimal", "--out-dir", bounded])).code).toBe(0);
    const other = readManifest(bounded);
    expect(other.segments).toBeLessThanOrEqual(8);
    expect(m.errors.max).toBeLessThanOrEqual(other.errors.max);
  });
});

describe("pwlgen gen: bad specs exit 2 with one error line and write nothing", () => {
  const cases: [string, string[], string[]][] = [
    [
      "unknown function",
      ["--function", "sigmoidd", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6"],
      ["--function", "sigmoidd"],
    ],
    [
      "malformed input format",
      ["--function", "sigmoid", "--in", "q4.12", "--out", "u1.9", "--max-error", "2^-6"],
      ["--in", "q4.12"],
    ],
    [
      "malformed output format",
      ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.", "--max-error", "2^-6"],
      ["--out", "u1."],
    ],
    [
      "bound below half an output ulp (2^-20 with u1.15)",
      ["--function", "sigmoid", "--in", "s4.12", "--out", "u1.15", "--max-error", "2^-20"],
      ["--max-error", "2^-20"],
    ],
    [
      "bound that is not a bound",
      ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^x"],
      ["--max-error", "2^x"],
    ],
    [
      "pipeline out of range",
      ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6", "--pipeline", "7"],
      ["--pipeline", "7"],
    ],
    [
      "--max-error and --segments together",
      ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6", "--segments", "8"],
      ["--segments", "--max-error"],
    ],
    [
      "neither --max-error nor --segments",
      ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9"],
      ["--max-error"],
    ],
    ["module that is a Verilog keyword", [...SMALL, "--module", "wire"], ["--module", "wire"]],
    ["a flag given twice", [...SMALL, "--max-error", "2^-7"], ["--max-error", "given more than once"]],
    [
      "a format of no width",
      ["--function", "sigmoid", "--in", "u0.0", "--out", "u1.9", "--max-error", "2^-6"],
      [`--in: "u0.0" is 0 bits wide`],
    ],
    [
      "a format far too wide",
      ["--function", "sigmoid", "--in", "s99.99", "--out", "u1.9", "--max-error", "2^-6"],
      [`--in: "s99.99" is 198 bits wide; input formats hold at most 24 bits`],
    ],
    ["--dout without --derivative", [...SMALL, "--dout", "s1.8"], ["--dout", "s1.8", "--derivative"]],
    [
      "an empty --expr",
      ["--expr", "", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6"],
      ["--expr", "must not be empty"],
    ],
  ];

  it.each(cases)("%s", async (_what, flags, mentions) => {
    const parent = tempDir();
    const out = join(parent, "unit");
    const line = expectUserError(await run(["gen", ...flags, "--out-dir", out]));
    for (const text of mentions) expect(line).toContain(text);
    expect(existsSync(out)).toBe(false);
    expect(listing(parent)).toEqual([]);
  });

  it("tanh into an unsigned output (u1.15 cannot hold tanh's negative half) is refused", async () => {
    const parent = tempDir();
    const out = join(parent, "unit");
    const flags = ["--function", "tanh", "--in", "s4.12", "--out", "u1.15", "--max-error", "2^-10"];
    const line = expectUserError(await run(["gen", ...flags, "--out-dir", out]));
    expect(line).toContain(`--out: "u1.15" cannot hold tanh(-8)`);
    expect(line).toContain("u1.15");
    expect(existsSync(out)).toBe(false);
    expect(listing(parent)).toEqual([]);
  });

  it("a missing --spec file is refused naming --spec", async () => {
    const parent = tempDir();
    const missing = join(parent, "nope.yaml");
    const line = expectUserError(await run(["gen", "--spec", missing, "--out-dir", join(parent, "unit")]));
    expect(line).toContain("--spec");
    expect(line).toContain(missing);
    expect(listing(parent)).toEqual([]);
  });
});

describe("pwlgen gen: determinism", () => {
  it("the same command twice, into two directories, writes byte-identical files", async () => {
    const flags = [
      "--function",
      "tanh",
      "--in",
      "s3.8",
      "--out",
      "s1.9",
      "--max-error",
      "2^-7",
      "--pipeline",
      "1",
    ];
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    expect((await run(["gen", ...flags, "--out-dir", a])).code).toBe(0);
    expect((await run(["gen", ...flags, "--out-dir", b])).code).toBe(0);
    expect(listing(a)).toEqual(listing(b));
    expect(listing(a)).toHaveLength(6);
    for (const name of listing(a)) {
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name))), name).toBe(true);
    }
  });
});

describe("pwlgen gen --spec", () => {
  it("a YAML spec file gives the same spec hash and files as the equivalent flags", async () => {
    const dir = tempDir();
    const specPath = join(dir, "unit.yaml");
    writeFileSync(specPath, "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^-6\n");
    const fromFile = join(dir, "from-file");
    const fromFlags = join(dir, "from-flags");
    expect((await run(["gen", "--spec", specPath, "--out-dir", fromFile])).code).toBe(0);
    expect((await run(["gen", ...SMALL, "--out-dir", fromFlags])).code).toBe(0);
    expect(readManifest(fromFile).specHash).toBe(readManifest(fromFlags).specHash);
    expect(listing(fromFile)).toEqual(listing(fromFlags));
    for (const name of listing(fromFile)) {
      expect(readFileSync(join(fromFile, name), "utf8"), name).toBe(
        readFileSync(join(fromFlags, name), "utf8"),
      );
    }
  });

  it("a JSON spec file with a ulp bound hashes like the flags with the same absolute bound", async () => {
    const dir = tempDir();
    const specPath = join(dir, "unit.json");
    // 8 ulp of u1.9 = 8 * 2^-9 = 2^-6.
    writeFileSync(
      specPath,
      JSON.stringify({ function: "sigmoid", in: "s4.8", out: "u1.9", "max-error": "8ulp" }),
    );
    expect((await run(["gen", "--spec", specPath, "--out-dir", join(dir, "a")])).code).toBe(0);
    expect((await run(["gen", ...SMALL, "--out-dir", join(dir, "b")])).code).toBe(0);
    expect(readManifest(join(dir, "a")).specHash).toBe(readManifest(join(dir, "b")).specHash);
  });

  it("a flag overrides the spec file's value", async () => {
    const dir = tempDir();
    const specPath = join(dir, "unit.yaml");
    writeFileSync(
      specPath,
      "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^-6\npipeline: 1\nmodule: from_file\n",
    );
    const overridden = join(dir, "overridden");
    const plain = join(dir, "plain");
    expect((await run(["gen", "--spec", specPath, "--pipeline", "2", "--out-dir", overridden])).code).toBe(0);
    expect(
      (await run(["gen", ...SMALL, "--pipeline", "2", "--module", "from_file", "--out-dir", plain])).code,
    ).toBe(0);
    const m = readManifest(overridden);
    expect(m.latency).toBe(2);
    expect(m.module).toBe("from_file");
    expect(m.specHash).toBe(readManifest(plain).specHash);
  });

  it("a bad value in the spec file is named by field and file", async () => {
    const dir = tempDir();
    const specPath = join(dir, "unit.yaml");
    writeFileSync(specPath, "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^x\n");
    const line = expectUserError(await run(["gen", "--spec", specPath, "--out-dir", join(dir, "unit")]));
    expect(line).toContain(`${specPath}: max-error`);
    expect(line).toContain('"2^x"');
    expect(existsSync(join(dir, "unit"))).toBe(false);
  });
});

describe("pwlgen gen: existing output directories", () => {
  it("refuses a directory pwlgen did not make, with exit 2, and leaves it untouched", async () => {
    const parent = tempDir();
    const out = join(parent, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "keep me\n");
    const line = expectUserError(await run(["gen", ...SMALL, "--out-dir", out]));
    expect(line).toContain("--out-dir");
    expect(line).toContain(out);
    expect(listing(out)).toEqual(["notes.txt"]);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("keep me\n");
    expect(listing(parent)).toEqual(["mine"]);
  });

  it("refuses a directory whose manifest.json was written by another tool", async () => {
    const out = join(tempDir(), "other");
    mkdirSync(out);
    const foreign = JSON.stringify({ tool: { name: "othertool", version: "1.0.0" } });
    writeFileSync(join(out, "manifest.json"), foreign);
    expectUserError(await run(["gen", ...SMALL, "--out-dir", out]));
    expect(listing(out)).toEqual(["manifest.json"]);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(foreign);
  });

  it("replaces a directory pwlgen did not make when given --force", async () => {
    const parent = tempDir();
    const out = join(parent, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "keep me\n");
    const result = await run(["gen", ...SMALL, "--force", "--out-dir", out]);
    expect(result.code).toBe(0);
    expect(listing(out)).toEqual(unitFiles(SMALL_MODULE));
    expect(listing(parent)).toEqual(["mine"]);
  });

  it("replaces a directory pwlgen made, dropping the files of the previous unit", async () => {
    const parent = tempDir();
    const out = join(parent, "unit");
    expect((await run(["gen", ...SMALL, "--module", "first", "--out-dir", out])).code).toBe(0);
    expect(listing(out)).toEqual(unitFiles("first"));
    expect((await run(["gen", ...SMALL, "--module", "second", "--out-dir", out])).code).toBe(0);
    expect(listing(out)).toEqual(unitFiles("second"));
    expect(readManifest(out).module).toBe("second");
    expect(listing(parent)).toEqual(["unit"]);
  });
});

describe("pwlgen list and bad command lines", () => {
  it("list prints sigmoid and tanh and exits 0", async () => {
    const result = await run(["list"]);
    expect(result.code).toBe(0);
    const names = result.stdout
      .join("\n")
      .split("\n")
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(names).toContain("sigmoid");
    expect(names).toContain("tanh");
  });

  it("an unknown subcommand exits 2 with one error line", async () => {
    const line = expectUserError(await run(["frobnicate"]));
    expect(line).toContain("frobnicate");
  });

  it("an unknown flag exits 2 with one error line naming it and writes nothing", async () => {
    const parent = tempDir();
    const line = expectUserError(
      await run(["gen", ...SMALL, "--bogus-flag", "1", "--out-dir", join(parent, "u")]),
    );
    expect(line).toContain("bogus");
    expect(listing(parent)).toEqual([]);
  });

  it("no subcommand at all exits 2", async () => {
    expectUserError(await run([]));
  });

  it("an unknown command is named as a command, with the commands there are", async () => {
    const line = expectUserError(await run(["frobnicate", "--x"]));
    expect(line).toContain(`command: "frobnicate" is not a pwlgen command`);
    expect(line).toContain("gen, sim, synth, sweep, explore, train, list");
  });

  it("options of a zero or positive number say which (--lr 0: greater than 0)", async () => {
    const line = expectUserError(await run(["train", ...SMALL, "--lr", "0"]));
    expect(line).toContain(`--lr: "0" must be greater than 0`);
  });
});

describe("output directories that must never be replaced", () => {
  it.each([".", "..", "/"])(
    "--out-dir %s is refused even with --force, and nothing is touched",
    async (dir) => {
      const parent = tempDir();
      const inner = join(parent, "inner");
      mkdirSync(inner);
      writeFileSync(join(inner, "keep.txt"), "mine");
      const cwd = process.cwd();
      process.chdir(inner);
      try {
        const line = expectUserError(await run(["gen", ...SMALL, "--out-dir", dir, "--force"]));
        expect(line).toContain(
          `--out-dir: "${dir}" ${{ ".": "is the current directory", "..": "holds the current directory", "/": "is the root directory" }[dir]}`,
        );
        expect(line).toContain("pwlgen never writes there, even with --force");
      } finally {
        process.chdir(cwd);
      }
      expect(readdirSync(inner)).toEqual(["keep.txt"]);
      expect(readdirSync(parent)).toEqual(["inner"]);
    },
  );
});

describe("output directories reached by another path", () => {
  it("the current directory through a symbolic link, and '..' from a directory named '..odd', are refused with --force", async () => {
    const parent = tempDir();
    const work = join(parent, "real", "work");
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, "keep.txt"), "mine");
    symlinkSync(join(parent, "real"), join(parent, "alias"));
    const odd = join(parent, "p", "..odd");
    mkdirSync(odd, { recursive: true });
    const cwd = process.cwd();
    try {
      process.chdir(work);
      expect(
        expectUserError(await run(["gen", ...SMALL, "--out-dir", join(parent, "alias", "work"), "--force"])),
      ).toContain("is the current directory");
      process.chdir(odd);
      expect(expectUserError(await run(["gen", ...SMALL, "--out-dir", "..", "--force"]))).toContain(
        "holds the current directory",
      );
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(work)).toEqual(["keep.txt"]);
    expect(readdirSync(join(parent, "p"))).toEqual(["..odd"]);
  });
});

describe("a switch given twice", () => {
  it.each([
    ["--verify", "--verify"],
    ["--lint", "--no-lint"],
  ])("%s %s is refused", async (a, b) => {
    const parent = tempDir();
    const line = expectUserError(await run(["gen", ...SMALL, a, b, "--out-dir", join(parent, "u")]));
    expect(line).toContain(`"${a} ${b}" is given more than once`);
    expect(listing(parent)).toEqual([]);
  });
});

describe("spec files: one value per field, flags win", () => {
  it("a JSON key written twice is refused (JSON.parse would keep the last)", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.json");
    writeFileSync(
      spec,
      '{"function":"sigmoid","in":"s4.8","out":"u1.9","maxError":"2^-6","maxError":"2^-7"}',
    );
    const line = expectUserError(await run(["gen", "--spec", spec, "--out-dir", join(parent, "u")]));
    expect(line).toContain("repeats a key");
    expect(listing(parent)).toEqual(["spec.json"]);
  });

  it("a field spelled twice (maxError and max-error) is refused", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.json");
    writeFileSync(
      spec,
      JSON.stringify({ function: "sigmoid", in: "s4.8", out: "u1.9", maxError: 0.01, "max-error": 0.02 }),
    );
    const line = expectUserError(await run(["gen", "--spec", spec, "--out-dir", join(parent, "u")]));
    expect(line).toContain(`"max-error" repeats "maxError"`);
    expect(listing(parent)).toEqual(["spec.json"]);
  });

  it("a file of one unknown key is told about that key, not about a missing field", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.json");
    writeFileSync(spec, JSON.stringify({ a: 1 }));
    const line = expectUserError(await run(["gen", "--spec", spec, "--out-dir", join(parent, "u")]));
    expect(line).toContain(`"a" is not a known field`);
  });

  it("--segments on the command line replaces the file's max-error", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.yaml");
    writeFileSync(spec, "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^-6\n");
    const out = join(parent, "u");
    const result = await run(["gen", "--spec", spec, "--segments", "3", "--out-dir", out]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { segments: number };
    expect(manifest.segments).toBeLessThanOrEqual(3);
  });

  it("--derivative on the command line drops the file's options that no longer apply", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.yaml");
    writeFileSync(
      spec,
      "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^-6\nderivative: pwl\ndout: u0.10\ndmax-error: 2^-6\n",
    );
    const manifest = (dir: string) =>
      JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
        derivative: { mode: string; output?: { name: string } };
      };
    const none = join(parent, "none");
    expect((await run(["gen", "--spec", spec, "--derivative", "none", "--out-dir", none])).code).toBe(0);
    expect(manifest(none).derivative).toEqual({ mode: "none" });
    const slope = join(parent, "slope");
    expect((await run(["gen", "--spec", spec, "--derivative", "slope", "--out-dir", slope])).code).toBe(0);
    expect(manifest(slope).derivative).toMatchObject({ mode: "slope", output: { name: "u0.10" } });
    // A dependent option given on the command line too is still checked, not dropped.
    const line = expectUserError(
      await run([
        "gen",
        "--spec",
        spec,
        "--derivative",
        "none",
        "--dout",
        "u0.10",
        "--out-dir",
        join(parent, "x"),
      ]),
    );
    expect(line).toContain("--dout");
  });

  it("--no-verify drops the file's simulator; train --derivative slope the file's dout and dmax-error", async () => {
    const parent = tempDir();
    const spec = join(parent, "spec.yaml");
    writeFileSync(
      spec,
      "function: sigmoid\nin: s4.8\nout: u1.9\nmax-error: 2^-6\nverify: true\nsimulator: iverilog\n",
    );
    expect((await run(["gen", "--spec", spec, "--no-verify", "--out-dir", join(parent, "u")])).code).toBe(0);
    const trainSpec = join(parent, "train.yaml");
    writeFileSync(trainSpec, "derivative: pwl\ndout: s2.10\ndmax-error: 2^-6\n");
    const args = ["train", ...SMALL, "--spec", trainSpec, "--derivative", "slope", "--seeds", "1"];
    const result = await run([...args, "--epochs", "1", "--out-dir", join(parent, "t")]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe("pwlgen sweep: bad lists and directories exit 2 and write nothing", () => {
  const base = ["sweep", "--in", "s4.8", "--out", "u1.9", "--jobs", "1"];
  const cases: [string, string[], string[]][] = [
    [
      "a function listed twice",
      ["--function", "sigmoid,sigmoid", "--max-error", "2^-6"],
      [`lists "sigmoid" twice`],
    ],
    [
      "two spellings of one bound",
      ["--function", "sigmoid", "--max-error", "2^-4,0.0625"],
      [`lists "2^-4" and "0.0625", which are the same`],
    ],
    [
      "an unknown function in a list",
      ["--function", "sigmoid,foo", "--max-error", "2^-6"],
      [`has "foo", which is not one of: sigmoid`],
    ],
    [
      "--fmax without --synth ice40",
      ["--function", "sigmoid", "--max-error", "2^-6", "--fmax"],
      ["--fmax", "--synth ice40"],
    ],
  ];
  it.each(cases)("%s", async (_what, flags, mentions) => {
    const parent = tempDir();
    const line = expectUserError(await run([...base, ...flags, "--out-dir", join(parent, "s")]));
    for (const text of mentions) expect(line).toContain(text);
    expect(listing(parent)).toEqual([]);
  });

  it("--out-dir naming a file, or a path below a file, is refused before any work", async () => {
    const parent = tempDir();
    writeFileSync(join(parent, "afile"), "");
    for (const dir of ["afile", "afile/x"]) {
      const out = join(parent, dir);
      expect(
        expectUserError(
          await run([...base, "--function", "sigmoid", "--max-error", "2^-6", "--out-dir", out]),
        ),
      ).toContain("--out-dir");
      expect(expectUserError(await run(["sweep", "merge", parent, "--out-dir", out]))).toContain("DIR");
    }
    expect(listing(parent)).toEqual(["afile"]);
  });

  it("--select-by yosys with a method that does not choose among designs is refused, naming it", async () => {
    const dir = tempDir();
    const line = expectUserError(
      await run([
        ...["gen", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--max-error", "2^-5"],
        ...["--method", "uniform", "--select-by", "yosys", "--out-dir", join(dir, "u")],
      ]),
    );
    expect(line).toBe(
      'pwlgen: error: --select-by: "yosys" applies only to --method auto or optimal, which choose among designs, not uniform',
    );
    expect(readdirSync(dir)).toEqual([]);
    const unknown = expectUserError(
      await run([
        ...["gen", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--max-error", "2^-5"],
        ...["--select-by", "synth", "--out-dir", join(dir, "u")],
      ]),
    );
    expect(unknown).toMatch(/^pwlgen: error: --select-by: "synth" /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("sweep merge takes none of sweep's options", async () => {
    const line = expectUserError(await run(["sweep", "merge", "a", "--function", "tanh"]));
    expect(line).toContain("function");
  });
});

describe("pwlgen sweep: what it prints", () => {
  it("the point count first, then one distinct line per point (symmetry and pipeline depth included)", async () => {
    const out = join(tempDir(), "s");
    const result = await run([
      ...["sweep", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--jobs", "1"],
      ...["--segments", "1,2", "--symmetry", "auto,off", "--pipeline", "0,1", "--out-dir", out],
      ...["--method", "optimal"],
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toBe("sweep: 8 points");
    const points = result.stdout.filter((line) => line.startsWith("["));
    expect(points).toHaveLength(8);
    expect(new Set(points.map((line) => line.replace(/^\[\d+\/8\] /, "").split(":")[0])).size).toBe(8);
    expect(points[0]).toBe(
      "[1/8] sigmoid optimal (ice40) s3.5->u1.7 budget 1 segment, symmetry auto, pipeline 0: 1 segment",
    );
    expect(points).toContain(
      "[8/8] sigmoid optimal (ice40) s3.5->u1.7 budget 2 segments, symmetry off, pipeline 1: 2 segments",
    );
  });
});

describe("the real binary (node bin/pwlgen.js)", () => {
  const binary = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  it("a reader that closes the pipe early (pwlgen gen | head -1) drops the rest: exit 0, no stack trace, the unit written", () => {
    const dir = join(tempDir(), "piped");
    // The shell's head reads one line and exits; pwlgen's later lines meet a closed pipe.
    const script = `"${process.execPath}" "${BIN}" gen --function sigmoid --in s4.10 --out u1.12 --max-error 2^-8 --method optimal --out-dir "${dir}" | head -1; echo "status \${PIPESTATUS[0]}" >&2`;
    const result = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(result.stdout).toBe("pwl_sigmoid_s4_10_u1_12: sigmoid s4.10 -> u1.12\n");
    expect(result.stderr).toBe("status 0\n");
    expect(readdirSync(dir)).toContain("manifest.json");
  });

  it("gen exits 0 and writes the unit", () => {
    const out = join(tempDir(), "unit");
    const result = binary(["gen", ...SMALL, "--out-dir", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(listing(out)).toEqual(unitFiles(SMALL_MODULE));
    expect(readManifest(out).tool.name).toBe("pwlgen");
  });

  it("a bad spec exits 2 with exactly one stderr line and no stack trace", () => {
    const parent = tempDir();
    const result = binary([
      "gen",
      "--function",
      "sigmoid",
      "--in",
      "s4.12",
      "--out",
      "u1.15",
      "--max-error",
      "2^-20",
      "--out-dir",
      join(parent, "unit"),
    ]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith("pwlgen: error: --max-error")).toBe(true);
    expect(lines[0]).toContain("2^-20");
    expect(result.stderr).not.toContain("    at ");
    expect(listing(parent)).toEqual([]);
  });

  it("an unknown subcommand exits 2", () => {
    const result = binary(["frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr.startsWith("pwlgen: error:")).toBe(true);
  });
});

describe("what a new user tripped over (issue 12)", () => {
  it("sweep point folders name 2^-6 unambiguously, and progress lines print bounds as written", async () => {
    const out = join(tempDir(), "s");
    const result = await run([
      ...["sweep", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--jobs", "1"],
      ...["--max-error", "2^-4,1e-1", "--method", "optimal", "--out-dir", out],
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    const folders = readdirSync(join(out, "points"));
    expect(folders.some((name) => name.includes("_2pow-4_"))).toBe(true);
    // "2e-4" would read as 2x10^-4.
    expect(folders.some((name) => /\d+e-4/.test(name))).toBe(false);
    expect(result.stdout.some((line) => line.includes("sigmoid optimal (ice40) s3.5->u1.7 2^-4,"))).toBe(
      true,
    );
    expect(result.stdout.some((line) => line.includes("sigmoid optimal (ice40) s3.5->u1.7 1e-1,"))).toBe(
      true,
    );
  });

  it("max error and bound print with the same precision, so a bound met never reads as exceeded", async () => {
    const result = await run([
      ...["gen", "--function", "sigmoid", "--in", "s4.12", "--out", "u1.15", "--segments", "4"],
      ...["--method", "optimal", "--out-dir", join(tempDir(), "u")],
    ]);
    expect(result.code).toBe(0);
    const line = result.stdout.find((l) => l.includes("max error"))!;
    const match = /max error (\S+) \([\d.]+ ulp\) (<=|=) bound (\S+),/.exec(line);
    expect(match, line).not.toBeNull();
    const [, max, relation, bound] = match!;
    const digits = (text: string) =>
      text
        .replace(/e.*$/, "")
        .replace(/^[0.]+/, "")
        .replace(".", "").length;
    expect(digits(max!)).toBe(digits(bound!));
    if (relation === "=") expect(max).toBe(bound);
    else {
      expect(max).not.toBe(bound);
      expect(Number(max)).toBeLessThanOrEqual(Number(bound));
    }
  });

  it("a missing --in or --out says what to give, as --max-error does", async () => {
    const missingIn = expectUserError(
      await run(["gen", "--function", "sigmoid", "--out", "u1.15", "--max-error", "2^-8"]),
    );
    expect(missingIn).not.toContain("must be a string");
    expect(missingIn).toContain("--in: (missing) is required: give the input format");
    expect(missingIn).toContain("s4.12");
    const missingOut = expectUserError(
      await run(["gen", "--function", "sigmoid", "--in", "s4.12", "--max-error", "2^-8"]),
    );
    expect(missingOut).toContain("--out: (missing) is required: give the output format");
  });

  it("run from a subfolder of a project, the default rtl-out/ is the project's, and the path written is printed", () => {
    const project = tempDir();
    writeFileSync(join(project, "package.json"), "{}\n");
    const sub = join(project, "src", "deep");
    mkdirSync(sub, { recursive: true });
    const result = spawnSync(process.execPath, [BIN, "gen", ...SMALL], {
      cwd: sub,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(listing(join(project, "rtl-out", SMALL_MODULE))).toEqual(unitFiles(SMALL_MODULE));
    expect(existsSync(join(sub, "rtl-out"))).toBe(false);
    expect(result.stdout).toContain(`wrote ../../rtl-out/${SMALL_MODULE}/`);
    // Outside any project: the current folder, as before.
    const loose = tempDir();
    const there = spawnSync(process.execPath, [BIN, "gen", ...SMALL], { cwd: loose, encoding: "utf8" });
    expect(there.status).toBe(0);
    expect(existsSync(join(loose, "rtl-out", SMALL_MODULE, "manifest.json"))).toBe(true);
  });

  it("help shows the test-vector defaults and never glues a type onto its description", async () => {
    const { setTerminal } = await import("../../gen/terminal.js");
    const help = async (command: string[], columns: number): Promise<string> => {
      setTerminal({ isTTY: false, columns });
      return (await run([...command, "--help"])).stdout.join("\n");
    };
    try {
      const gen = await help(["gen"], 100);
      expect(gen).toMatch(/--exhaustive-limit[^-]*\(default:\s+20\)/);
      expect(gen).toMatch(/--random-vectors[^-]*\(default:\s+100000\)/);
      expect(gen).toMatch(/--seed[^-]*\(default:\s+1\)/);
      for (const columns of [80, 90, 100, 101, 102, 103, 104, 105, 110]) {
        for (const command of [
          ["gen"],
          ["sim", "x"],
          ["synth", "x"],
          ["sweep"],
          ["train"],
          ["explore", "x"],
        ]) {
          const text = await help(command, columns);
          expect(text, `${command[0]} at ${columns} columns`).not.toMatch(
            /\S\[(boolean|string|number|array|required)\]/,
          );
        }
      }
    } finally {
      setTerminal({ isTTY: false, columns: undefined });
    }
  });

  it("a mistyped command or function gets a did-you-mean", async () => {
    expect(expectUserError(await run(["gne", "--x"]))).toContain('did you mean "gen"?');
    expect(expectUserError(await run(["swep"]))).toContain('did you mean "sweep"?');
    expect(expectUserError(await run(["gen", ...SMALL.slice(2), "--function", "sigmiod"]))).toContain(
      'did you mean "sigmoid"?',
    );
    expect(
      expectUserError(
        await run(["sweep", "--function", "tnah", "--in", "s4.8", "--out", "s1.9", "--max-error", "2^-6"]),
      ),
    ).toContain('did you mean "tanh"?');
    // Nothing close: no guess.
    expect(expectUserError(await run(["gen", ...SMALL.slice(2), "--function", "zzzzzz"]))).not.toContain(
      "did you mean",
    );
  });

  it("README says the tests install ccache and that the first Verilator build is slower without it", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(/ccache/);
    expect(readme).toMatch(/first Verilator build[^.]*slower[^.]*without/i);
  });

  it("explore prints the page of a sweep, and refuses a directory that is not one", async () => {
    const out = join(tempDir(), "s");
    expect(
      (
        await run([
          ...["sweep", "--function", "sigmoid", "--in", "s3.5", "--out", "u1.7", "--jobs", "1"],
          ...["--max-error", "2^-4", "--method", "optimal", "--out-dir", out],
        ])
      ).code,
    ).toBe(0);
    // The page's command for the point rebuilds it: the same spec hash.
    const [row] = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as SweepRow[];
    const command = rebuildCommand(row!);
    expect(command).toBe(
      "pwlgen gen --function sigmoid --in s3.5 --out u1.7 --max-error '2^-4' --method optimal --target ice40 " +
        "--symmetry auto --pipeline 0 --rounding half-up --out-dir rtl-out/sigmoid_s3p5_u1p7_2pow-4_optimal-ice40_auto_p0",
    );
    const words = command.replace("'2^-4'", "2^-4").split(" ").slice(1, -2);
    const rebuilt = join(tempDir(), "rebuilt");
    expect((await run([...words, "--out-dir", rebuilt])).code).toBe(0);
    expect(readManifest(rebuilt).specHash).toBe(row!.specHash);

    const shown = await run(["explore", out, "--no-open"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toEqual([join(out, "index.html")]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain(
      "<title>pwlgen sweep explorer (1 point)</title>",
    );
    const notSweep = tempDir();
    const line = expectUserError(await run(["explore", notSweep]));
    expect(line).toBe(
      `pwlgen: error: DIR: ${JSON.stringify(notSweep)} is not a pwlgen sweep directory; give a directory written by pwlgen sweep or sweep merge`,
    );
    expect(expectUserError(await run(["explore", join(notSweep, "missing")]))).toContain(
      "is not a pwlgen sweep",
    );
    // A unit directory is not a sweep either.
    const unit = join(tempDir(), "unit");
    expect((await run(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
    expect(expectUserError(await run(["explore", unit]))).toContain("is not a pwlgen sweep");
  });
});
