import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { FILE_LIMITS } from "../../gen/input/files.js";
import { manifestSchema } from "../../gen/report/manifest.js";
import { renderUnit } from "../../gen/unit.js";
import { firstUntrusted } from "../../sim/trust.js";
import { expectUserError, runCli, withOnlyTools } from "../support/cli.js";

/**
 * The hostile-input corpus for what pwlgen reads from the user: special files (named pipes,
 * /dev/zero, directories) and oversized files wherever a file is read, spec files built to
 * be slow to parse or to print, manifests whose file names lead out of the unit directory,
 * directories that mix designs, Verilog that would run commands, and tampered designs.
 * Each is refused with one line and exit code 2, and nothing is written or changed.
 *
 * Cases that used to hang or fill the memory run as a child process under a memory limit
 * (ulimit -v), which the harness kills after a generous time: a kill is a failure. No case
 * asserts how fast the machine is.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "pwlgen.js");
/** Far beyond what any of these runs needs (each ends in seconds); reaching it fails the case. */
const KILL_AFTER_MS = 60_000;
/** Virtual memory of a child, in KiB: Node needs far less; /dev/zero read whole would need more. */
const MEMORY_KIB = 4_000_000;

const SMALL = ["--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-6"];
const MODULE = "pwl_sigmoid_s4_6_u1_8";
const SWEEP = [
  "--function",
  "sigmoid",
  "--in",
  "s3.4",
  "--out",
  "u1.6",
  "--max-error",
  "2^-4",
  "--jobs",
  "1",
];

const root = mkdtempSync(join(tmpdir(), "pwlgen-hostile-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unit = join(root, "unit");
const sweep = join(root, "sweep");
let copies = 0;

beforeAll(async () => {
  expect((await runCli(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
  expect((await runCli(["sweep", ...SWEEP, "--out-dir", sweep])).code).toBe(0);
});

/** A new path under the temporary root: `keys.json` becomes keys7.json (the extension kept). */
const fresh = (name: string): string =>
  join(
    root,
    name.replace(/^[^.]*/, (stem) => `${stem}${++copies}`),
  );

function mkfifo(path: string): string {
  const made = spawnSync("mkfifo", [path]);
  expect(made.status, String(made.stderr)).toBe(0);
  return path;
}

/** A copy of a directory, changed by `edit`. */
function copyOf(dir: string, edit: (copy: string) => void): string {
  const copy = fresh("copy");
  cpSync(dir, copy, { recursive: true });
  edit(copy);
  return copy;
}

/** Every file under a directory with its size and modification time: what "unchanged" compares. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => {
    const path = join(entry.parentPath, entry.name);
    const stats = statSync(path, { throwIfNoEntry: false });
    return `${path} ${stats?.isFile() ? `${stats.size} ${stats.mtimeMs}` : entry.isFIFO() ? "fifo" : "other"}`;
  });
}

interface Child {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node bin/pwlgen.js args` under the memory limit, killed (a failure) after KILL_AFTER_MS. */
function pwlgen(args: string[]): Child {
  const result = spawnSync(
    "sh",
    ["-c", `ulimit -v ${MEMORY_KIB}; exec "$0" "$@"`, process.execPath, BIN, ...args],
    { cwd: root, encoding: "utf8", timeout: KILL_AFTER_MS, killSignal: "SIGKILL" },
  );
  expect(result.signal, `pwlgen ${args.join(" ")} was killed after ${KILL_AFTER_MS} ms`).toBeNull();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit 2, nothing on stdout, exactly one `pwlgen: error:` line on stderr; returns it. */
function refused(child: Child): string {
  expect(child.stdout).toBe("");
  const lines = child.stderr.split("\n").filter(Boolean);
  expect(lines, child.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^pwlgen: error: /);
  expect(child.status).toBe(2);
  return lines[0]!;
}

describe("named pipes and /dev/zero are refused before a byte is read, wherever pwlgen reads a file", () => {
  const special = (path: string, kind: "fifo" | "zero"): string =>
    kind === "fifo" ? mkfifo(path) : (symlinkSync("/dev/zero", path), path);
  const KINDS = [
    ["fifo", /is a named pipe \(FIFO\), not a regular file/],
    ["zero", /is a character device, not a regular file/],
  ] as const;

  for (const [kind, says] of KINDS) {
    // The same reader serves every command and file: each kind once, named pipes everywhere.
    const fifoOnly = <T>(all: readonly T[]): readonly T[] => (kind === "fifo" ? all : all.slice(0, 1));

    it(`gen, sweep and train --spec on a ${kind}`, () => {
      const spec = special(fresh("spec"), kind);
      for (const command of fifoOnly(["gen", "sweep", "train"])) {
        const out = fresh("out");
        expect(refused(pwlgen([command, "--spec", spec, "--out-dir", out]))).toMatch(says);
        expect(existsSync(out)).toBe(false);
      }
    });

    it(`sim, synth and train --design on a unit whose manifest.json is a ${kind}`, () => {
      const dir = copyOf(unit, (d) => {
        rmSync(join(d, "manifest.json"));
        special(join(d, "manifest.json"), kind);
      });
      const before = snapshot(dir);
      const out = fresh("train");
      for (const args of fifoOnly([
        ["sim", dir],
        ["train", "--design", dir, "--out-dir", out],
        ["synth", dir],
      ]))
        expect(refused(pwlgen(args))).toMatch(says);
      expect(existsSync(out)).toBe(false);
      expect(snapshot(dir)).toEqual(before);
    });

    it(`train --csv on a ${kind}`, () => {
      const csv = special(fresh("data"), kind);
      const out = fresh("train");
      const line = refused(
        pwlgen(["train", ...SMALL, "--dataset", "csv", "--csv", csv, "--label", "c", "--out-dir", out]),
      );
      expect(line).toMatch(new RegExp(`^pwlgen: error: --csv: .* ${says.source}`));
      expect(existsSync(out)).toBe(false);
    });

    it(`sweep merge of a shard whose marker, or sweep.json, is a ${kind}`, () => {
      for (const file of fifoOnly([".pwlgen-sweep.json", "sweep.json"])) {
        const shard = copyOf(sweep, (d) => {
          rmSync(join(d, file));
          special(join(d, file), kind);
        });
        const out = fresh("merged");
        expect(refused(pwlgen(["sweep", "merge", shard, "--out-dir", out]))).toMatch(says);
        expect(existsSync(out)).toBe(false);
      }
    });

    it(`a sweep whose cached row.json or manifest.json is a ${kind} finishes, that point failed`, () => {
      for (const file of fifoOnly(["row.json", "manifest.json"])) {
        const dir = copyOf(sweep, (d) => {
          const point = join(d, "points", readdirSync(join(d, "points"))[0]!);
          // Without its row, the point reads its manifest.
          rmSync(join(point, "row.json"));
          if (file === "manifest.json") rmSync(join(point, file));
          special(join(point, file), kind);
        });
        const run = pwlgen(["sweep", ...SWEEP, "--out-dir", dir]);
        expect(run.status, run.stderr).toBe(1);
        expect(run.stdout).toMatch(says);
        const rows = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as {
          status: string;
          message: string;
        }[];
        expect(rows.map((row) => row.status)).toEqual(["failed"]);
        expect(rows[0]!.message).toMatch(says);
      }
    });
  }

  it("a directory as a spec file or dataset", async () => {
    expect(expectUserError(await runCli(["gen", "--spec", root]))).toContain(
      "is a directory, not a regular file",
    );
    const line = expectUserError(
      await runCli(["train", ...SMALL, "--dataset", "csv", "--csv", root, "--label", "c"]),
    );
    expect(line).toContain("is a directory, not a regular file");
  });
});

describe("sweep merge: a row names a point directory of the sweep, nothing else", () => {
  it("a row whose unit leads out of the shard and the output directory is refused, nothing copied", async () => {
    // unit is joined to the shard to copy from and to --out-dir to copy to: "../../escape"
    // would copy root/escape to root/merged-parent/escape.
    const shard = join(root, "shards", "one");
    cpSync(sweep, shard, { recursive: true });
    const rowsPath = join(shard, "sweep.json");
    const rows = JSON.parse(readFileSync(rowsPath, "utf8")) as { unit: string }[];
    rows[0]!.unit = "../../escape";
    writeFileSync(rowsPath, JSON.stringify(rows));
    mkdirSync(join(root, "escape"));
    writeFileSync(join(root, "escape", "secret.txt"), "x");
    const out = join(root, "merged-parent", "merged", "out");
    const line = expectUserError(await runCli(["sweep", "merge", shard, "--out-dir", out]));
    expect(line).toContain(`sweep.json: [0].unit: "../../escape" is not a point directory of the sweep`);
    expect(existsSync(join(root, "merged-parent"))).toBe(false);
  });
});

describe("spec files: size limit, linear parsing, short messages", () => {
  it("a spec file over 1 MiB is refused by its size, whatever it holds", async () => {
    const spec = fresh("big.yaml");
    const padding = `# ${"x".repeat(98)}\n`.repeat(Math.ceil((1.5 * 1024 * 1024) / 100));
    writeFileSync(spec, `${padding}function: sigmoid\nin: s4.6\nout: u1.8\nmax-error: 2^-6\n`);
    const out = fresh("out");
    const line = expectUserError(await runCli(["gen", "--spec", spec, "--out-dir", out]));
    expect(line).toMatch(/ is 1\.5 MiB, larger than the 1 MiB limit for spec files$/);
    expect(existsSync(out)).toBe(false);
    expect(FILE_LIMITS.spec.bytes).toBe(1024 * 1024);
  });

  it("some 100,000 keys just under the limit parse in linear time: the repeated last key is found", () => {
    // Parsing was quadratic: 9 s for 40,000 keys, minutes for these files.
    const names = (count: number) => Array.from({ length: count }, (_, i) => `k${i.toString(36)}`);
    const yaml = fresh("keys.yaml");
    writeFileSync(
      yaml,
      `${names(120_000)
        .map((k) => `${k}: 0\n`)
        .join("")}k0: 1\n`,
    );
    const json = fresh("keys.json");
    writeFileSync(
      json,
      `{${names(100_000)
        .map((k) => `"${k}":0,`)
        .join("")}"k0":1}`,
    );
    for (const file of [yaml, json]) {
      expect(statSync(file).size).toBeGreaterThan(0.9 * FILE_LIMITS.spec.bytes);
      expect(statSync(file).size).toBeLessThan(FILE_LIMITS.spec.bytes);
      expect(refused(pwlgen(["gen", "--spec", file, "--out-dir", fresh("out")]))).toMatch(
        /: "k0" repeats a key \(line \d+\); give each field once$/,
      );
    }
  });

  it("a huge value is shown cut to 80 characters, with its length", async () => {
    const spec = fresh("value.yaml");
    writeFileSync(spec, `function: ${"x".repeat(900_000)}\nin: s4.6\nout: u1.8\nmax-error: 2^-6\n`);
    const line = expectUserError(await runCli(["gen", "--spec", spec, "--out-dir", fresh("out")]));
    expect(line.length).toBeLessThan(400);
    expect(line).toContain(
      `function: "${"x".repeat(60)}\u2026${"x".repeat(20)}" (900000 characters) is not one of`,
    );
    const flag = expectUserError(await runCli(["gen", ...SMALL, "--module", "m".repeat(100_000)]));
    expect(flag.length).toBeLessThan(400);
  });

  it("a YAML alias bomb is refused, not expanded", async () => {
    const spec = fresh("bomb.yaml");
    const levels = Array.from(
      { length: 12 },
      (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(", ")}]`,
    );
    writeFileSync(spec, `l0: &l0 [x]\n${levels.join("\n")}\nfunction: sigmoid\n`);
    expect(expectUserError(await runCli(["gen", "--spec", spec, "--out-dir", fresh("out")]))).toMatch(
      /--spec: ".*bomb\d+\.yaml" is not valid YAML: Excessive alias count/,
    );
  });

  it("an unresolved YAML tag or a key that is not a plain name: one error line and no YAML warning", () => {
    for (const [text, says] of [
      ['function: !!js/function "function () {}"\n', /Unresolved tag: tag:yaml.org,2002:js\/function/],
      ["? [function]\n: sigmoid\n", /has a key that is not a plain name \(line 1\)$/],
      ["function: sigmoid\nin: {a: 1, a: 2}\n", /: "a" repeats a key \(line 2\)/],
    ] as const) {
      const spec = fresh("tag.yaml");
      writeFileSync(spec, text);
      expect(refused(pwlgen(["gen", "--spec", spec, "--out-dir", fresh("out")]))).toMatch(says);
    }
  });
});

/** Runs the CLI with no tools on PATH: a refusal must come before any tool is looked for. */
const withoutTools = (args: string[]) => withOnlyTools(fresh("empty-path"), {}, () => runCli(args));

/** A copy of the unit with its manifest.json changed by `edit`. */
function withManifest(edit: (manifest: Record<string, unknown>) => void): string {
  return copyOf(unit, (copy) => {
    const path = join(copy, "manifest.json");
    const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    edit(manifest);
    writeFileSync(path, JSON.stringify(manifest));
  });
}

const files = (manifest: Record<string, unknown>) => manifest.files as Record<string, string>;

describe("sim: the file names a manifest gives are plain names of regular files in the unit directory", () => {
  for (const name of ["../../../../../etc/passwd", "/etc/passwd", "sub/x.v", ".hidden.v", "..", "a\nb.v"]) {
    it(`files.module ${JSON.stringify(name)} is refused naming the field`, async () => {
      const dir = withManifest((m) => (files(m).module = name));
      const before = snapshot(dir);
      const line = expectUserError(await withoutTools(["sim", dir]));
      expect(line).toContain(
        `manifest.json: files.module: ${JSON.stringify(name)} must be a plain file name`,
      );
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("a symbolic link, even to a file with the same contents, and a named pipe are refused", async () => {
    const outside = join(root, "outside.v");
    cpSync(join(unit, `${MODULE}.v`), outside);
    const linked = copyOf(unit, (d) => {
      rmSync(join(d, `${MODULE}.v`));
      symlinkSync(outside, join(d, `${MODULE}.v`));
    });
    expect(expectUserError(await withoutTools(["sim", linked]))).toContain(
      `manifest.json: files.module: "${MODULE}.v" is a symbolic link`,
    );
    const piped = copyOf(unit, (d) => {
      rmSync(join(d, `${MODULE}_vectors.hex`));
      mkfifo(join(d, `${MODULE}_vectors.hex`));
    });
    expect(expectUserError(await withoutTools(["sim", piped]))).toContain(
      `manifest.json: files.vectors: "${MODULE}_vectors.hex" is not a regular file`,
    );
  });
});

describe("sim: a manifest pwlgen did not write, or a directory that mixes designs", () => {
  it("a manifest without the tool field is refused", async () => {
    const dir = withManifest((m) => delete m.tool);
    expect(expectUserError(await withoutTools(["sim", dir]))).toContain(
      "has a manifest.json that pwlgen gen did not write",
    );
  });

  it("manifest fields are checked by the schema of what gen writes, naming the field", async () => {
    for (const [edit, says] of [
      [
        (m: Record<string, unknown>) => (m.module = "x; rm -rf ~"),
        'module: "x; rm -rf ~" is not a Verilog identifier',
      ],
      [(m: Record<string, unknown>) => (m.specHash = "0"), 'specHash: "0" is not a spec hash'],
      [(m: Record<string, unknown>) => (m.latency = -1), "latency: -1 must be at least 0"],
      [
        (m: Record<string, unknown>) => (m.vectors = { count: "many" }),
        'vectors.count: "many" must be a number',
      ],
    ] as const) {
      expect(expectUserError(await withoutTools(["sim", withManifest(edit)]))).toContain(
        `manifest.json: ${says}`,
      );
    }
  });

  it("the testbench or the vectors of another design (same module name) are refused", async () => {
    const other = fresh("other");
    const args = ["gen", "--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--max-error", "2^-5"];
    expect((await runCli([...args, "--module", MODULE, "--out-dir", other])).code).toBe(0);
    for (const file of [`${MODULE}_tb.v`, `${MODULE}_vectors.hex`, `${MODULE}.v`]) {
      const mixed = copyOf(unit, (d) => cpSync(join(other, file), join(d, file)));
      expect(expectUserError(await withoutTools(["sim", mixed]))).toMatch(
        new RegExp(
          `mixes files of different designs: ${file} carries spec hash [0-9a-f]{12}\\.\\.\\., manifest`,
        ),
      );
    }
    const unstamped = copyOf(unit, (d) => {
      const path = join(d, `${MODULE}_vectors.hex`);
      writeFileSync(path, readFileSync(path, "utf8").replace(/^\/\/.*\n/gm, ""));
    });
    expect(expectUserError(await withoutTools(["sim", unstamped]))).toContain(
      `has a ${MODULE}_vectors.hex without a "// spec hash" line`,
    );
  });
});

describe("sim refuses Verilog that uses what pwlgen never emits, naming file and line", () => {
  const CONSTRUCTS = [
    ['initial $system("touch pwned");', '"$system" is a system task or function'],
    ['integer f; initial f = $fopen("out.txt", "w");', '"$fopen"'],
    ['initial $fwrite(1, "x");', '"$fwrite"'],
    ['initial $writememh("m.hex", 0);', '"$writememh"'],
    ['initial $dumpfile("w.vcd");', '"$dumpfile"'],
    ['initial $c("system(\\"id\\");");', '"$c"'],
    ['`include "/etc/passwd"', '"`include" is a compiler directive or macro'],
    ["`define S(a) $``a", '"`define"'],
    ['import "DPI-C" function int system(input string cmd);', '"import \\"DPI" is a DPI import or export'],
  ] as const;

  for (const [construct, says] of CONSTRUCTS) {
    it(construct, async () => {
      for (const file of [`${MODULE}.v`, `${MODULE}_tb.v`]) {
        const dir = copyOf(unit, (d) => {
          const path = join(d, file);
          writeFileSync(path, readFileSync(path, "utf8").replace(/^endmodule/m, `  ${construct}\nendmodule`));
        });
        const line = expectUserError(await withoutTools(["sim", dir]));
        expect(line).toMatch(new RegExp(`^pwlgen: error: .*/${file}:\\d+: `));
        expect(line).toContain(says);
        expect(line).toContain("--trust");
        expect(existsSync(join(dir, "pwned"))).toBe(false);
      }
    });
  }

  it("nothing pwlgen writes trips the check: y alone, dy as slope or PWL, uniform, pipelined", async () => {
    const specs = [
      { function: "sigmoid", in: "s4.8", out: "u1.10", maxError: "2^-8" },
      { function: "tanh", in: "s3.7", out: "s1.9", maxError: "2^-7", pipeline: 4, rounding: "half-even" },
      {
        function: "gelu",
        in: "s3.6",
        out: "s3.6",
        maxError: "2^-5",
        method: "uniform",
        derivative: "slope",
        dout: "s2.6",
      },
      {
        function: "silu",
        in: "u3.6",
        out: "u3.6",
        maxError: "2^-5",
        derivative: "pwl",
        dout: "s2.7",
        pipeline: 2,
      },
    ] as const;
    for (const spec of specs) {
      const rendered = await renderUnit(generate(spec));
      for (const [name, text] of rendered.files) {
        if (name.endsWith(".v")) expect(firstUntrusted(text), name).toBeUndefined();
      }
    }
  });
});

describe("train --design checks the design it reads, naming the field path", () => {
  const trainOn = (dir: string) => runCli(["train", "--design", dir, "--out-dir", fresh("train")]);
  const ir = (m: Record<string, unknown>) => m.ir as Record<string, unknown>;
  const y = (m: Record<string, unknown>) => ir(m).y as Record<string, unknown>;

  const CASES: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    [
      'an empty IR ("ir": {})',
      (m) => (m.ir = {}),
      /manifest\.json: ir\.module: \(missing\) must be a string$/,
    ],
    [
      "a negative width",
      (m) => ((ir(m).input as Record<string, unknown>).intBits = -100),
      /manifest\.json: ir\.input\.intBits: -100 must be at least -64$/,
    ],
    [
      "a width that is not a number (NaN in JSON)",
      (m) => (y(m).output = { signed: false, intBits: null, fracBits: 8 }),
      /ir\.y\.output\.intBits: null must be a number$/,
    ],
    [
      "breakpoints that do not increase",
      (m) => {
        const b = y(m).breakpoints as number[];
        [b[1], b[2]] = [b[2]!, b[1]!];
      },
      /ir\.y\.breakpoints\[2\]: -?\d+ is not above the breakpoint before it/,
    ],
    [
      "a breakpoint beyond the input range",
      (m) => (y(m).breakpoints as number[]).push(1_000_000),
      /ir\.y\.breakpoints\[\d+\]: 1000000 is beyond the table's last code/,
    ],
    [
      "a missing slope",
      (m) => (y(m).slopes as number[]).pop(),
      /ir\.y\.slopes: .* has \d+ entries for \d+ segments$/,
    ],
    [
      "a coefficient that does not fit its format",
      (m) => ((y(m).intercepts as number[])[0] = 2 ** 40),
      /ir\.y\.intercepts\[0\]: 1099511627776 does not fit its format$/,
    ],
    [
      "shifts the formats do not give",
      (m) => (y(m).productShift = 99),
      /ir\.y\.productShift: 99 is not the one the formats give \(\d+\)$/,
    ],
    [
      "a spec that is not the IR's (its hash differs)",
      (m) => ((m.spec as Record<string, unknown>).maxError = 0.02),
      /manifest\.json: spec: .* hashes to [0-9a-f]{64}, not to the manifest's specHash [0-9a-f]{64}; regenerate/,
    ],
    [
      "an IR of another spec",
      (m) => (ir(m).specHash = "0".repeat(64)),
      /ir\.specHash: "0{64}" is not the manifest's specHash/,
    ],
    [
      "a manifest without the tool field",
      (m) => delete m.tool,
      /--design: .* has a manifest\.json that pwlgen gen did not write/,
    ],
  ];

  for (const [name, edit, says] of CASES) {
    it(name, async () => {
      const line = expectUserError(await trainOn(withManifest(edit)));
      expect(line).toMatch(says);
    });
  }

  it("freshly generated manifests satisfy the schema train --design and sim read them with", async () => {
    const specs = [
      { function: "sigmoid", in: "s4.8", out: "u1.10", maxError: "2^-8" },
      {
        function: "tanh",
        in: "s3.7",
        out: "s1.9",
        maxError: "2^-7",
        pipeline: 4,
        derivative: "slope",
        dout: "s1.9",
      },
      { function: "gelu", in: "s3.6", out: "s3.6", maxError: "2^-5", method: "uniform" },
      { function: "softplus", in: "u3.6", out: "u3.6", maxError: "2^-5", derivative: "pwl", dout: "u1.8" },
      { function: "exp", in: "s3.6", out: "u7.8", maxError: "1ulp", overflow: "wrap", exactZero: true },
    ] as const;
    for (const spec of specs) {
      const rendered = await renderUnit(generate(spec));
      const written = JSON.parse(rendered.files.get("manifest.json")!) as unknown;
      const parsed = manifestSchema.safeParse(written);
      expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).toBe(true);
    }
  });
});
