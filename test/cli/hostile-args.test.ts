import { showValue } from "../../gen/spec/errors.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_EXPRESSION_LENGTH } from "../../gen/functions/expression.js";
import { MAX_MODULE_NAME_LENGTH } from "../../gen/spec/identifiers.js";
import { sweepPoints, sweepSize } from "../../gen/sweep/points.js";
import { MAX_SWEEP_POINTS, sweepSchema } from "../../gen/sweep/schema.js";
import { expectUserError, runCli } from "../support/cli.js";

/**
 * Hostile and mistyped command lines (issue 13): each is refused with exit code 2 and one
 * line naming the option and the value, before anything is written.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "pwlgen.js");
const SMALL = ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.9", "--max-error", "2^-6"];

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-h2-args-"));
  scratch.push(dir);
  return dir;
}

/** A refusal: exit 2, one line, stdout empty, and `dir` (where output would go) still empty. */
async function refused(args: string[], dir: string): Promise<string> {
  const line = expectUserError(await runCli(args));
  expect(readdirSync(dir)).toEqual([]);
  return line;
}

/** Each command, with the arguments it needs to run, writing (if at all) inside `dir`. */
const COMMANDS: Record<string, (dir: string) => string[]> = {
  gen: (dir) => ["gen", ...SMALL, "--out-dir", join(dir, "out")],
  sim: (dir) => ["sim", join(dir, "unit")],
  synth: (dir) => ["synth", join(dir, "unit")],
  sweep: (dir) => ["sweep", ...SMALL, "--jobs", "1", "--out-dir", join(dir, "out")],
  "sweep merge": (dir) => ["sweep", "merge", join(dir, "a"), join(dir, "b"), "--out-dir", join(dir, "out")],
  train: (dir) => ["train", ...SMALL, "--epochs", "1", "--out-dir", join(dir, "out")],
};

/** The switches a command's --help lists as [boolean]: what yargs itself takes as switches. */
const helpSwitches = new Map<string, string[]>();
function switchesOf(command: string): string[] {
  const known = helpSwitches.get(command);
  if (known) return known;
  // --help exits the process, so it runs in one of its own.
  const help = spawnSync(process.execPath, [BIN, ...command.split(" "), "--help"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(help.status).toBe(0);
  const switches: string[] = [];
  let option: string | undefined;
  for (const line of help.stdout.split("\n")) {
    const start = /^ {2}--([\w-]+)/.exec(line);
    if (start) option = start[1];
    else if (!/^ {4}/.test(line)) option = undefined;
    if (option && line.includes("[boolean]")) switches.push(option);
  }
  helpSwitches.set(command, switches);
  return switches;
}

describe("a switch given a value other than true or false is refused (--verify=yes did not verify)", () => {
  it("every command's switches, taken from its --help, include the ones that matter", async () => {
    const all = new Set<string>();
    for (const command of Object.keys(COMMANDS)) switchesOf(command).forEach((s) => all.add(s));
    for (const name of ["verify", "lint", "force", "exact-zero", "fmax", "json", "yes", "help", "version"]) {
      expect(all, name).toContain(name);
    }
  });

  for (const command of Object.keys(COMMANDS)) {
    it(`pwlgen ${command}: --switch=yes, 1, TRUE, maybe, "" and --no-switch=... for each switch`, async () => {
      const switches = switchesOf(command);
      expect(switches.length).toBeGreaterThan(2);
      for (const name of switches) {
        const rule = `(--${name} is a switch: write --${name}, --no-${name}, --${name}=true or --${name}=false)`;
        for (const value of ["yes", "1", "TRUE", "maybe", ""]) {
          const dir = tempDir();
          expect(await refused([...COMMANDS[command]!(dir), `--${name}=${value}`], dir)).toBe(
            `pwlgen: error: --${name}: ${JSON.stringify(value)} is not true or false ${rule}`,
          );
        }
        for (const value of ["true", "false", "no"]) {
          const dir = tempDir();
          expect(await refused([...COMMANDS[command]!(dir), `--no-${name}=${value}`], dir)).toBe(
            `pwlgen: error: --no-${name}: ${JSON.stringify(value)} cannot follow a negated switch ${rule}`,
          );
        }
      }
    });
  }

  it("the camelCase spelling too, and options before the command", async () => {
    const dir = tempDir();
    expect(await refused([...COMMANDS.gen!(dir), "--exactZero=maybe"], dir)).toMatch(
      /^pwlgen: error: --exactZero: "maybe" is not true or false \(--exact-zero is a switch/,
    );
    expect(await refused(["--verify=yes", ...COMMANDS.gen!(dir)], dir)).toMatch(
      /^pwlgen: error: --verify: "yes" is not true or false/,
    );
  });

  it("--switch=true and --switch=false still work", async () => {
    const dir = tempDir();
    const result = await runCli([
      ...COMMANDS.gen!(dir),
      "--verify=false",
      "--force=true",
      "--exact-zero=false",
    ]);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, "out"))).toContain("manifest.json");
  });

  it("the real binary exits 2 with one stderr line and writes nothing", () => {
    const dir = tempDir();
    const result = spawnSync(process.execPath, [BIN, ...COMMANDS.gen!(dir), "--verify=yes"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      'pwlgen: error: --verify: "yes" is not true or false (--verify is a switch: write --verify, --no-verify, --verify=true or --verify=false)\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("long module names", () => {
  it(`a --module over ${MAX_MODULE_NAME_LENGTH} characters is refused naming the limit`, async () => {
    const dir = tempDir();
    const name = `m${"x".repeat(MAX_MODULE_NAME_LENGTH)}`;
    expect(await refused([...COMMANDS.gen!(dir), "--module", name], dir)).toBe(
      `pwlgen: error: --module: ${showValue(name)} is longer than the ${MAX_MODULE_NAME_LENGTH} characters a module name may have ` +
        "(its testbench <module>_tb must stay within the 127 characters Verilator keeps unhashed)",
    );
  });
});

describe("hostile expressions", () => {
  const gen = (dir: string, expr: string): string[] => [
    "gen",
    "--expr",
    expr,
    "--in",
    "s4.8",
    "--out",
    "s4.8",
    "--max-error",
    "2^-6",
    "--out-dir",
    join(dir, "out"),
  ];

  it("2,000 terms (18 KB) and 100,000 characters: refused by size in a short line, no stack overflow", async () => {
    const terms = Array.from({ length: 2000 }, (_, i) => `x*0.${i + 1}`).join("+");
    for (const expr of [terms, `x${"+x".repeat(49_999)}`]) {
      const dir = tempDir();
      const line = await refused(gen(dir, expr), dir);
      expect(line).toContain(
        `(${expr.length} characters) is longer than the ${MAX_EXPRESSION_LENGTH} characters an expression may have`,
      );
      expect(line.length).toBeLessThan(250);
    }
  });

  it("deep nesting is refused naming the depth", async () => {
    const dir = tempDir();
    expect(await refused(gen(dir, `${"(".repeat(400)}x${")".repeat(400)}`), dir)).toMatch(
      /nests at least 400 levels deep .*; an expression may nest at most 100$/,
    );
  });

  const cases: [string, string][] = [
    ["  ", "is not a real-valued function of x: it is empty"],
    ["x == 1", "is not a real-valued function of x: it gives a truth value (false) at x = "],
    ["'abc'", 'is not a real-valued function of x: it gives the string "abc" at x = '],
    ["sigmoid(x, 2)", "calls sigmoid with 2 arguments; sigmoid takes 1 argument"],
    ["pow(x)", "calls pow with 1 argument; pow takes 2 arguments"],
  ];
  it.each(cases)("--expr %j", async (expr, reason) => {
    const dir = tempDir();
    const line = await refused(gen(dir, expr), dir);
    expect(line.startsWith(`pwlgen: error: --expr: ${JSON.stringify(expr)} ${reason}`)).toBe(true);
  });
});

describe("extreme parameters", () => {
  const gen = (dir: string, flags: string[]): string[] => [
    "gen",
    ...flags,
    "--in",
    "s4.12",
    "--out",
    "s4.12",
    "--out-dir",
    join(dir, "out"),
  ];

  it("--beta -1e308 is blamed on --beta, not on --function silu (f and f')", async () => {
    for (const fn of ["silu", "dsilu"]) {
      const dir = tempDir();
      expect(
        await refused(gen(dir, ["--function", fn, "--beta", "-1e308", "--max-error", "2^-10"]), dir),
      ).toBe(`pwlgen: error: --beta: -1e+308 makes ${fn} give NaN at x = -8, inside the input range s4.12`);
    }
  });

  it("--alpha 1e308: no 'Infinityulp' in the message; with --segments no internal error", async () => {
    for (const bound of [
      ["--max-error", "2^-10"],
      ["--segments", "4"],
    ]) {
      const dir = tempDir();
      const line = await refused(gen(dir, ["--function", "elu", "--alpha", "1e308", ...bound]), dir);
      expect(line).toMatch(/^pwlgen: error: --out: "s4.12" cannot hold elu\(-8\) = -9.9966454e\+307 within /);
      expect(line).not.toMatch(/Infinity/);
    }
  });
});

describe("huge sweeps", () => {
  // 3 functions x 20 inputs x 100 outputs x 100 bounds = 600,000 points.
  const lists = [
    "--function",
    "sigmoid,tanh,gelu",
    "--in",
    Array.from({ length: 20 }, (_, i) => `s4.${i + 1}`).join(","),
    "--out",
    Array.from({ length: 100 }, (_, i) => `s${(i % 5) + 1}.${Math.floor(i / 5) + 5}`).join(","),
    "--max-error",
    Array.from({ length: 100 }, (_, i) => `${(i + 1) / 1000}`).join(","),
  ];

  it(
    `more than ${MAX_SWEEP_POINTS} points are refused without --yes, naming the count, before any point is built`,
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      expect(await refused(["sweep", ...lists, "--out-dir", join(dir, "out")], dir)).toBe(
        "pwlgen: error: sweep: 600000 points (--function 3 x --in 20 x --out 100 x --max-error 100 x --method 1 x --target 1 x " +
          `--symmetry 1 x --pipeline 1) are more than the ${MAX_SWEEP_POINTS} a sweep runs without --yes; give --yes to run them all, or shorter lists`,
      );
    },
  );

  it("with --yes, a sweep over the limit says its count before building its points", async () => {
    const parent = tempDir();
    writeFileSync(join(parent, "afile"), "");
    const result = await runCli([
      ...["sweep", "--function", "sigmoid,tanh", "--in", "s4.8,s4.9", "--yes"],
      ...[
        "--out",
        Array.from({ length: 50 }, (_, i) => `s${(i % 5) + 1}.${Math.floor(i / 5) + 5}`).join(","),
      ],
      ...["--max-error", Array.from({ length: 51 }, (_, i) => `${(i + 1) / 1000}`).join(",")],
      ...["--out-dir", join(parent, "afile")],
    ]);
    expect(result.stdout).toEqual(["sweep: 10200 points; building and checking them first"]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^pwlgen: error: --out-dir: .* exists and is not a directory/);
    expect(result.code).toBe(2);
    expect(readdirSync(parent)).toEqual(["afile"]);
  });

  it("the count comes from the lists' lengths; --yes lets it through; the library refuses too", () => {
    const options = (yes: boolean) =>
      sweepSchema.parse({
        function: "sigmoid,tanh",
        in: "s4.8,s4.9",
        out: Array.from({ length: 50 }, (_, i) => `s${(i % 5) + 1}.${Math.floor(i / 5) + 5}`).join(","),
        maxError: Array.from({ length: 51 }, (_, i) => `${(i + 1) / 1000}`).join(","),
        yes,
      });
    expect(() => sweepSize(options(false))).toThrow(/^sweep: 10200 points/);
    expect(() => sweepPoints(options(false))).toThrow(/^sweep: 10200 points/);
    expect(sweepSize(options(true))).toBe(10_200);
    expect(sweepPoints(options(true)).total).toBe(10_200);
  });
});

describe("ramp folds that cannot be built are refused (exit 2, one line, nothing written)", () => {
  /** `pwlgen gen` for gelu (`base`: its input and bound) with these options, refused. */
  async function refusedGen(options: string, base = "--in s4.10 --max-error 2^-6"): Promise<string> {
    const dir = tempDir();
    const args = `--function gelu ${base} ${options}`.split(" ");
    return refused(["gen", ...args, "--out-dir", join(dir, "out")], dir);
  }

  it("--symmetry ramp with an output grid coarser than the input's names --symmetry and the fraction bits", async () => {
    const line = await refusedGen("--out s4.8 --symmetry ramp");
    expect(line).toContain('--symmetry: "ramp"');
    expect(line).toContain("the input's 10 fraction bits (s4.8 has 8)");
  });

  it("--derivative slope with a --dout that cannot hold 1 - slope names --dout", async () => {
    const line = await refusedGen(
      "--out s4.12 --symmetry ramp --method optimal --derivative slope --dout s0.8",
    );
    expect(line).toContain('--dout: "s0.8"');
    expect(line).toContain("1 - slope");
  });

  it("a one's complement ramp fold whose halves cannot agree suggests --fold-style twos", async () => {
    const line = await refusedGen(
      "--out s6.10 --symmetry ramp --method optimal --fold-style ones",
      "--in s2.6 --max-error 2^-8",
    );
    expect(line).toContain("with x ^ sign");
    expect(line).toContain("use --fold-style twos or --symmetry auto");
  });

  it("a ramp fold whose table must hold f(|minimum|) above the output range says so (was: halves do not agree)", async () => {
    const dir = tempDir();
    const line = await refused(
      [
        "gen",
        ..."--function softplus --in s4.8 --out s4.8 --max-error 2^-8 --symmetry ramp --overflow wrap".split(
          " ",
        ),
        "--out-dir",
        join(dir, "out"),
      ],
      dir,
    );
    expect(line).toContain("must hold softplus(8) = 8.00034, above the largest s4.8 value 7.99609");
    expect(line).toContain("give --out one more integer bit");
  });

  it("--fold-style on gelu with a classic method says how to fold it", async () => {
    const line = await refusedGen("--out s4.12 --method optimal --fold-style ones");
    expect(line).toContain("folds only with --method auto or --symmetry ramp");
  });
});

describe("--slope-digits out of range is refused (exit 2, one line naming it, nothing written)", () => {
  for (const [value, expected] of [
    ["0", '--slope-digits: "0" must be at least 1'],
    ["-1", '--slope-digits: "-1" must be at least 1'],
    ["5", '--slope-digits: "5" must be at most 4'],
    ["1.5", '--slope-digits: "1.5"'],
    ["two", '--slope-digits: "two"'],
  ] as const) {
    it(`gen with --slope-digits ${value}`, async () => {
      const dir = tempDir();
      const line = await refused(
        ["gen", ...SMALL, "--slope-digits", value, "--out-dir", join(dir, "out")],
        dir,
      );
      expect(line).toContain(expected);
    });
  }
});
