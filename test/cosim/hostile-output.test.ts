import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputPlace } from "../../gen/output/places.js";
import { showValue } from "../../gen/spec/errors.js";
import { spawnPwlgen } from "../support/process.js";

/**
 * The hostile-input corpus, output side (issue 13): protected places, directories pwlgen
 * did not write, forged manifests, symbolic links, interrupts during long computations,
 * /proc, long names and concurrent writers. Each case runs the CLI as a process, as a user
 * would, and checks the exit code, the message and that nothing was written or changed.
 * A run the harness must kill (a generous deadline, not a speed claim) fails its case.
 */
const root = realpathSync(mkdtempSync(join(tmpdir(), "pwlgen-hostile-out-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SMALL = ["--function", "sigmoid", "--in", "s4.8", "--out", "u1.10", "--max-error", "2^-8"];
/** About 13 s of synchronous computation on a 2-core machine (the example). */
const LONG = [
  "--function",
  "sigmoid",
  "--in",
  "s4.20",
  "--out",
  "u1.15",
  "--max-error",
  "2^-10",
  "--derivative",
  "pwl",
  "--dout",
  "s1.15",
  "--dmax-error",
  "2^-10",
];

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs pwlgen to its end; a run still going at the deadline is killed and fails the test. */
async function pwlgen(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  const run = spawnPwlgen(args, options);
  const deadline = setTimeout(() => run.child.kill("SIGKILL"), 120_000);
  const code = await run.exited;
  clearTimeout(deadline);
  expect(run.child.signalCode, `pwlgen ${args.join(" ")} had to be killed`).toBeNull();
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The one-line refusal: exit 2, one line naming the option and value, no stack trace. */
function expectRefused(ran: Ran, option: string, value: string): string {
  expect(ran.code).toBe(2);
  const lines = ran.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`pwlgen: error: ${option}: ${showValue(value)}`);
  expect(ran.stderr).not.toContain("    at ");
  return lines[0]!;
}

/** Every file under a directory with its bytes' hash, and every directory. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, rel: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const key = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        out[`${key}/`] = "dir";
        walk(full, key);
      } else {
        out[key] = createHash("sha256").update(readFileSync(full)).digest("hex");
      }
    }
  };
  walk(dir, "");
  return out;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith(".pwlgen-"));

describe("protected places (data loss with --force)", () => {
  it("never replaces a directory that holds the home directory, even with --force", async () => {
    const place = join(root, "users");
    const home = join(place, "alice");
    mkdirSync(join(home, "thesis"), { recursive: true });
    writeFileSync(join(home, "thesis", "chapter1.tex"), "precious\n");
    const before = tree(place);
    const ran = await pwlgen(["gen", ...SMALL, "--out-dir", place, "--force"], {
      cwd: root,
      env: { ...process.env, HOME: home },
    });
    expect(expectRefused(ran, "--out-dir", place)).toContain("holds the home directory");
    expect(tree(place)).toEqual(before);
  });

  it("refuses the root, its directories and system directories before anything else", () => {
    for (const [path, reason] of [
      ["/", "is the root directory"],
      ["/usr", "is a directory of the root"],
      ["/etc", "is a directory of the root"],
      ["/home", "is a directory of the root"],
      ["/usr/lib", "is a system directory"],
      ["/var/log", "is a system directory"],
      ["/home/someone", "is a system directory"],
      [process.cwd(), "is the current directory"],
      [join(process.cwd(), ".."), /holds the current directory|is the temporary directory/],
      [tmpdir(), "is the temporary directory"],
    ] as const) {
      expect(() => outputPlace(path), path).toThrow(reason);
    }
  });

  it("does not replace a unit directory holding files pwlgen did not write, unless --force", async () => {
    const out = join(root, "notes-unit");
    expect((await pwlgen(["gen", ...SMALL, "--out-dir", out])).code).toBe(0);
    writeFileSync(join(out, "notes.txt"), "my notes\n");
    mkdirSync(join(out, "sub"));
    const before = tree(out);
    const line = expectRefused(await pwlgen(["gen", ...SMALL, "--out-dir", out]), "--out-dir", out);
    expect(line).toContain("holds files pwlgen did not write (notes.txt, sub/)");
    expect(tree(out)).toEqual(before);
    expect((await pwlgen(["gen", ...SMALL, "--out-dir", out, "--force"])).code).toBe(0);
    expect(existsSync(join(out, "notes.txt"))).toBe(false);
  });

  it("a forged manifest.json does not make a directory replaceable", async () => {
    const out = join(root, "forged");
    mkdirSync(out);
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ tool: { name: "pwlgen" } }));
    writeFileSync(join(out, "data.csv"), "1,2,3\n");
    const before = tree(out);
    expectRefused(await pwlgen(["gen", ...SMALL, "--out-dir", out]), "--out-dir", out);
    expect(tree(out)).toEqual(before);

    // A copied manifest listing the files, whose module does not carry its spec hash.
    const unit = join(root, "forged-source");
    expect((await pwlgen(["gen", ...SMALL, "--out-dir", unit])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(unit, "manifest.json"), "utf8")) as {
      files: Record<string, string>;
    };
    const copy = join(root, "forged-copy");
    mkdirSync(copy);
    writeFileSync(join(copy, "manifest.json"), JSON.stringify(manifest));
    for (const name of Object.values(manifest.files))
      writeFileSync(join(copy, name), "the user's own text\n");
    const copied = tree(copy);
    const line = expectRefused(await pwlgen(["gen", ...SMALL, "--out-dir", copy]), "--out-dir", copy);
    expect(line).toContain("does not match its files");
    expect(tree(copy)).toEqual(copied);
  });

  it("an --out-dir that is a symbolic link to a unit stays a link; its target gets the new unit", async () => {
    const target = join(root, "link-target");
    expect((await pwlgen(["gen", ...SMALL, "--out-dir", target])).code).toBe(0);
    const link = join(root, "link");
    symlinkSync(target, link);
    const ran = await pwlgen([
      "gen",
      "--function",
      "tanh",
      "--in",
      "s3.8",
      "--out",
      "s1.10",
      "--max-error",
      "2^-8",
      "--out-dir",
      link,
    ]);
    expect(ran.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(target)).toContain("pwl_tanh_s3_8_s1_10.v");
    expect(leftovers(root)).toEqual([]);
  });
});

describe("interrupts during a long computation", () => {
  for (const [signal, code, delay] of [
    ["SIGINT", 130, 1500],
    ["SIGINT", 130, 4000],
    ["SIGTERM", 143, 3000],
  ] as const) {
    it(`${signal} at ${delay} ms stops gen promptly, keeps the previous unit and says so`, async () => {
      const out = join(root, `interrupted-${signal}-${delay}`);
      expect((await pwlgen(["gen", ...SMALL, "--out-dir", out])).code).toBe(0);
      const before = tree(out);
      const run = spawnPwlgen(["gen", ...LONG, "--out-dir", out]);
      await new Promise((resolve) => setTimeout(resolve, delay));
      expect(run.child.exitCode).toBeNull();
      run.child.kill(signal);
      // Promptly: the harness allows 20 s (the computation alone takes about 13 s, more loaded).
      const killer = setTimeout(() => run.child.kill("SIGKILL"), 20_000);
      const exit = await run.exited;
      clearTimeout(killer);
      expect(run.child.signalCode).toBeNull();
      expect(exit).toBe(code);
      expect(run.stderr().trim()).toBe("pwlgen: interrupted; nothing was written");
      expect(run.stdout()).not.toContain("wrote");
      expect(tree(out)).toEqual(before);
      expect(leftovers(root)).toEqual([]);
    });
  }

  it("SIGINT stops train (many epochs) and writes nothing", async () => {
    const out = join(root, "train-interrupted");
    const run = spawnPwlgen([
      "train",
      "--function",
      "sigmoid",
      "--in",
      "s4.12",
      "--out",
      "u1.15",
      "--max-error",
      "2^-8",
      "--dataset",
      "moons",
      "--epochs",
      "10000",
      "--out-dir",
      out,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(run.child.exitCode).toBeNull();
    run.child.kill("SIGINT");
    const killer = setTimeout(() => run.child.kill("SIGKILL"), 20_000);
    const exit = await run.exited;
    clearTimeout(killer);
    expect(exit).toBe(130);
    expect(run.stderr().trim()).toBe("pwlgen: interrupted; nothing was written");
    expect(run.stdout()).not.toContain("wrote");
    expect(existsSync(out)).toBe(false);
    expect(leftovers(root)).toEqual([]);
  });
});

describe("/proc, long names", () => {
  it("an --out-dir under /proc is refused at once by gen, train, sweep and sweep merge", async () => {
    const shard = join(root, "proc-shard");
    const cases: string[][] = [
      ["gen", ...SMALL, "--out-dir", "/proc/foo/bar"],
      ["train", ...SMALL, "--dataset", "moons", "--out-dir", "/proc/foo/bar"],
      [
        "sweep",
        "--function",
        "sigmoid",
        "--max-error",
        "2^-6",
        "--in",
        "s3.6",
        "--out",
        "u1.8",
        "--out-dir",
        "/proc/foo/bar",
      ],
      ["sweep", "merge", shard, "--out-dir", "/proc/foo/bar"],
    ];
    expect(
      (
        await pwlgen([
          "sweep",
          "--function",
          "sigmoid",
          "--max-error",
          "2^-6",
          "--in",
          "s3.6",
          "--out",
          "u1.8",
          "--out-dir",
          shard,
        ])
      ).code,
    ).toBe(0);
    for (const args of cases) {
      const line = expectRefused(await pwlgen(args), "--out-dir", "/proc/foo/bar");
      expect(line).toContain("pseudo file system");
    }
  });

  it("a final name of 250 characters works; one of 256 is refused and creates no parents", async () => {
    const long = join(root, "long", "x".repeat(250));
    const ran = await pwlgen(["gen", ...SMALL, "--out-dir", long]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(readdirSync(join(root, "long"))).toEqual(["x".repeat(250)]);

    const tooLong = join(root, "new-parent", "deeper", "y".repeat(256));
    const line = expectRefused(await pwlgen(["gen", ...SMALL, "--out-dir", tooLong]), "--out-dir", tooLong);
    expect(line).toContain("longer than 255 bytes");
    expect(existsSync(join(root, "new-parent"))).toBe(false);
  });
});

describe("concurrent writers", () => {
  const lockOf = (dir: string): string =>
    join(dir, "..", `.pwlgen-${createHash("sha256").update(basename(dir)).digest("hex").slice(0, 12)}.lock`);

  it("a directory another live run is writing is refused before any work; a dead run's lock is taken over", async () => {
    const out = join(root, "busy");
    const holder = execFileSync("sh", ["-c", "sleep 60 >/dev/null 2>&1 & echo $!"]).toString().trim();
    writeFileSync(lockOf(out), `${holder} 0\n`);
    try {
      const ran = await pwlgen(["gen", ...SMALL, "--out-dir", out]);
      expect(expectRefused(ran, "--out-dir", out)).toContain(
        `is being written by another pwlgen run (process ${holder})`,
      );
      expect(ran.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    } finally {
      process.kill(Number(holder), "SIGKILL");
    }
    // The holder is gone now: its lock is stale and the next run takes it over, then removes it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await pwlgen(["gen", ...SMALL, "--out-dir", out])).code).toBe(0);
    expect(existsSync(lockOf(out))).toBe(false);
  });

  it("two gen --verify runs into one directory: one complete unit, the other refused cleanly, no litter", async () => {
    const out = join(root, "race");
    const args = ["gen", ...SMALL, "--verify", "--simulator", "iverilog", "--out-dir", out];
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([pwlgen(args), pwlgen(args)]);
      for (const ran of [a, b]) {
        expect([0, 2]).toContain(ran.code);
        expect(ran.stderr).not.toContain("internal error");
        if (ran.code === 2) expect(ran.stderr).toContain("is being written by another pwlgen run");
      }
      expect(Object.keys(tree(out)).sort()).toEqual(
        [
          "manifest.json",
          "plot.svg",
          "pwl_sigmoid_s4_8_u1_10.v",
          "pwl_sigmoid_s4_8_u1_10_tb.v",
          "pwl_sigmoid_s4_8_u1_10_vectors.hex",
          "report.md",
        ].sort(),
      );
      expect(leftovers(root)).toEqual([]);
    }
  });

  it("two sweeps into one directory: one runs, the other is refused, no litter", async () => {
    const out = join(root, "sweep-race");
    const args = [
      "sweep",
      "--function",
      "sigmoid,tanh",
      "--max-error",
      "2^-6,2^-8",
      "--in",
      "s3.8",
      "--out",
      "s1.10",
      "--jobs",
      "2",
      "--out-dir",
      out,
    ];
    const [a, b] = await Promise.all([pwlgen(args), pwlgen(args)]);
    const codes = [a.code, b.code].sort();
    for (const ran of [a, b]) expect(ran.stderr).not.toContain("internal error");
    // Both may finish one after the other (the second reads the first's cache), or one is refused.
    expect([
      [0, 0],
      [0, 2],
    ]).toContainEqual(codes);
    const rows = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as { status: string }[];
    expect(rows.map((row) => row.status)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(leftovers(root)).toEqual([]);
    expect(readdirSync(join(out, "points")).filter((name) => name.startsWith("."))).toEqual([]);
  });
});
