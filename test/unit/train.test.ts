import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../gen/cli.js";
import { generate } from "../../gen/generate.js";
import { pwlActivation } from "../../gen/train/activations.js";
import { trainJson } from "../../gen/train/report.js";
import { type TrainResult, train, trainSchema } from "../../gen/train/train.js";

/**
 * pwlgen train: the PWL unit trains as well as the exact activation at a reasonable bound,
 * visibly worse at a bound that must hurt, deterministically (all but the measured
 * backwardTimeRatio), and bad data, options it would ignore and output directories it does
 * not own are refused.
 */
const dir = mkdtempSync(join(tmpdir(), "pwlgen-train-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (values: Record<string, unknown>) =>
  trainSchema.parse({ in: "s4.12", outDir: join(dir, "out"), ...values });

const variant = (result: TrainResult, name: string) => result.variants.find((v) => v.name === name)!;

/** train.json without backwardTimeRatio, the one measured (wall-clock) field. */
const withoutTiming = (json: unknown): unknown =>
  JSON.parse(JSON.stringify(json), (key: string, value: unknown) =>
    key === "backwardTimeRatio" ? undefined : value,
  );

describe("training with the PWL unit", () => {
  const moons = train(options({ function: "sigmoid", out: "u1.15", maxError: "2^-8", dataset: "moons" }));

  it("moons, sigmoid at 2^-8: both PWL variants within two standard deviations of exact", () => {
    const exact = variant(moons, "exact");
    expect(exact.accuracy.mean).toBeGreaterThan(0.9);
    for (const name of ["pwl-slope", "pwl-pwl"]) {
      expect(Math.abs(variant(moons, name).accuracy.mean - exact.accuracy.mean)).toBeLessThanOrEqual(
        2 * exact.accuracy.std,
      );
    }
    expect(moons.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(moons.variants.map((v) => v.name)).toEqual(["exact", "pwl-slope", "pwl-pwl"]);
    expect(variant(moons, "exact").backwardTimeRatio).toBe(1);
    expect(variant(moons, "pwl-slope").backwardTimeRatio).toBeGreaterThan(0);
  });

  it("is deterministic for a given seed set: all of train.json but backwardTimeRatio", () => {
    const parsed = options({ function: "sigmoid", out: "u1.15", maxError: "2^-8", dataset: "moons" });
    const again = train(parsed);
    expect(withoutTiming(trainJson(again, parsed))).toEqual(withoutTiming(trainJson(moons, parsed)));
    again.variants.forEach((v, i) => expect(v.curve).toEqual(moons.variants[i]!.curve));
  });

  it("a bound that must hurt (one segment, no symmetry: a linear activation) drops accuracy clearly", () => {
    const loose = train(
      options({ function: "sigmoid", out: "u1.15", segments: 1, symmetry: "off", dataset: "moons" }),
    );
    const exact = variant(loose, "exact");
    for (const name of ["pwl-slope", "pwl-pwl"]) {
      const drop = exact.accuracy.mean - variant(loose, name).accuracy.mean;
      expect(drop).toBeGreaterThan(Math.max(2 * exact.accuracy.std, 0.03));
    }
  });

  it("iris (versicolor vs virginica) with tanh at 2^-8 learns", () => {
    const iris = train(
      options({ function: "tanh", out: "s1.15", maxError: "2^-8", dataset: "iris", derivative: "slope" }),
    );
    expect(iris.variants.map((v) => v.name)).toEqual(["exact", "pwl-slope"]);
    expect(iris.samples).toEqual({ train: 70, test: 30, features: 4 });
    for (const v of iris.variants) expect(v.accuracy.mean).toBeGreaterThan(0.85);
  });
});

describe("pwlgen train on the command line", () => {
  const run = async (args: string[]): Promise<{ code: number; errors: string[]; lines: string[] }> => {
    const errors: string[] = [];
    const lines: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (text: string) => lines.push(...String(text).split("\n"));
    console.error = (line: string) => errors.push(line);
    try {
      return { code: await main(["train", ...args]), errors, lines };
    } finally {
      console.log = log;
      console.error = error;
    }
  };
  /** A quick run: small unit, few epochs, one or two seeds. */
  const quick = ["--epochs", "5", "--seeds", "2"];
  const unitOptions = ["--function", "tanh", "--in", "s3.8", "--out", "s1.10", "--max-error", "2^-7"];
  const refused = async (args: string[], message: RegExp): Promise<void> => {
    const { code, errors } = await run(args);
    expect(code, args.join(" ")).toBe(2);
    expect(errors, args.join(" ")).toHaveLength(1);
    expect(errors[0], args.join(" ")).toMatch(message);
  };
  /** A gen unit of tanh with no derivative channel (dy). */
  const plainUnit = join(dir, "plain-unit");
  const makePlainUnit = async (): Promise<void> => {
    if (existsSync(plainUnit)) return;
    const log = console.log;
    console.log = () => undefined;
    try {
      expect(
        await main([
          "gen",
          "--function",
          "tanh",
          "--in",
          "s3.9",
          "--out",
          "s1.11",
          "--max-error",
          "2^-7",
          "--out-dir",
          plainUnit,
        ]),
      ).toBe(0);
    } finally {
      console.log = log;
    }
  };

  it("writes train.json with the documented fields, train.md and train.svg", async () => {
    const out = join(dir, "cli");
    const { code } = await run([
      "--function",
      "tanh",
      "--in",
      "s3.8",
      "--out",
      "s1.10",
      "--max-error",
      "2^-7",
      "--dataset",
      "circles",
      "--epochs",
      "30",
      "--seeds",
      "2",
      "--out-dir",
      out,
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "train.json"), "utf8"));
    expect(json.tool).toEqual({ name: "pwlgen", version: expect.any(String), command: "train" });
    expect(json.dataset).toBe("circles");
    expect(json.function).toBe("tanh");
    expect(json.seeds).toEqual([1, 2]);
    for (const v of json.variants) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(["name", "accuracy", "loss", "backwardTimeRatio"]),
      );
      expect(Object.keys(v.accuracy).sort()).toEqual(["mean", "std"]);
    }
    const markdown = readFileSync(join(out, "train.md"), "utf8");
    expect(markdown).toContain("| pwl-pwl |");
    // Each PWL variant names the unit it ran: pwl-pwl's has a PWL of f' of its own.
    expect(json.units.map((u: { variant: string }) => u.variant)).toEqual(["pwl-slope", "pwl-pwl"]);
    const [slope, pwl] = json.units as { module: string; derivative: { mode: string; segments?: number } }[];
    expect(slope!.derivative.mode).toBe("slope");
    expect(pwl!.derivative.mode).toBe("pwl");
    expect(markdown).toContain(`pwl-slope runs the golden model of unit ${slope!.module}:`);
    expect(markdown).toContain(`pwl-pwl runs the golden model of unit ${pwl!.module}:`);
    expect(markdown).toContain(`f' in ${pwl!.derivative.segments} segment`);
    expect(readFileSync(join(out, "train.svg"), "utf8").startsWith("<svg")).toBe(true);
  });

  it("reuses a generated unit with --design", async () => {
    const unit = join(dir, "unit");
    expect(
      await main([
        "gen",
        "--function",
        "sigmoid",
        "--in",
        "s4.10",
        "--out",
        "u1.12",
        "--max-error",
        "2^-8",
        "--derivative",
        "pwl",
        "--dout",
        "u0.12",
        "--out-dir",
        unit,
      ]),
    ).toBe(0);
    const out = join(dir, "from-design");
    const { code } = await run([
      "--design",
      unit,
      "--dataset",
      "moons",
      "--epochs",
      "30",
      "--seeds",
      "2",
      "--out-dir",
      out,
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "train.json"), "utf8"));
    expect(json.unit.module).toBe("pwl_sigmoid_s4_10_u1_12_dpwl");
    expect(json.variants.map((v: { name: string }) => v.name)).toEqual(["exact", "pwl-slope", "pwl-pwl"]);
  });

  it("a CSV dataset trains; bad CSVs exit 2 naming the problem", async () => {
    const good = join(dir, "good.csv");
    writeFileSync(
      good,
      [
        "a,b,class",
        ...Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 7 > 3 ? "yes" : "no"}`),
      ].join("\n"),
    );
    expect(
      (
        await run([
          "--function",
          "sigmoid",
          "--in",
          "s4.8",
          "--out",
          "u1.10",
          "--max-error",
          "2^-6",
          "--dataset",
          "csv",
          "--csv",
          good,
          "--label",
          "class",
          "--epochs",
          "10",
          "--seeds",
          "1",
          "--out-dir",
          join(dir, "csv"),
        ])
      ).code,
    ).toBe(0);

    const cases: [string, string, string, RegExp][] = [
      [
        "missing column",
        "a,b,class\n1,2,x\n3,4,y\n",
        "label",
        /^pwlgen: error: --label: "label" is not a column of .*; its columns are a, b, class$/,
      ],
      [
        "non-numeric",
        "a,b,class\n1,2,x\n3,oops,y\n",
        "class",
        /^pwlgen: error: --csv: .* has a non-numeric value "oops" in column b, row 3$/,
      ],
      [
        "single class",
        "a,b,class\n1,2,x\n3,4,x\n",
        "class",
        /^pwlgen: error: --label: "class" has 1 distinct value .*needs exactly 2$/,
      ],
      [
        "no features",
        `class\n${"x\ny\n".repeat(10)}`,
        "class",
        /^pwlgen: error: --csv: .* has no feature columns besides the class column "class"$/,
      ],
      [
        "too few rows",
        `a,b,class\n${"1,2,x\n3,4,y\n".repeat(2)}5,6,x\n`,
        "class",
        /^pwlgen: error: --csv: .* has 5 data rows; training needs at least 10 \(a training and a test split\)$/,
      ],
    ];
    for (const [name, text, label, message] of cases) {
      const path = join(dir, `${name.replace(/ /g, "-")}.csv`);
      writeFileSync(path, text);
      const { code, errors } = await run([
        "--function",
        "sigmoid",
        "--in",
        "s4.8",
        "--out",
        "u1.10",
        "--max-error",
        "2^-6",
        "--dataset",
        "csv",
        "--csv",
        path,
        "--label",
        label,
        "--out-dir",
        join(dir, "bad"),
      ]);
      expect(code, name).toBe(2);
      expect(errors, name).toHaveLength(1);
      expect(errors[0], name).toMatch(message);
    }
    expect(existsSync(join(dir, "bad"))).toBe(false);

    // The fewest rows accepted: every allowed --test-fraction keeps both splits non-empty.
    const smallest = join(dir, "smallest.csv");
    writeFileSync(smallest, `a,b,class\n${"1,2,x\n3,4,y\n".repeat(5)}`);
    for (const fraction of ["0.05", "0.9"]) {
      const { code } = await run([
        ...unitOptions,
        "--dataset",
        "csv",
        "--csv",
        smallest,
        "--label",
        "class",
        "--test-fraction",
        fraction,
        ...quick,
        "--out-dir",
        join(dir, `smallest-${fraction}`),
      ]);
      expect(code, fraction).toBe(0);
      const json = JSON.parse(readFileSync(join(dir, `smallest-${fraction}`, "train.json"), "utf8"));
      expect(json.samples.train, fraction).toBeGreaterThanOrEqual(1);
      expect(json.samples.test, fraction).toBeGreaterThanOrEqual(1);
    }
  });
  it("--design with a unit that has no PWL derivative leaves pwl-pwl out and says why", async () => {
    await makePlainUnit();
    const out = join(dir, "plain-train");
    const { code, lines } = await run(["--design", plainUnit, ...quick, "--out-dir", out]);
    expect(code).toBe(0);
    const note = `pwl-pwl left out: the unit in ${plainUnit} has no --derivative pwl channel (dy); generate it with --derivative pwl to train pwl-pwl`;
    expect(lines.filter((line) => line.startsWith("pwl-pwl left out"))).toEqual([note]);
    const json = JSON.parse(readFileSync(join(out, "train.json"), "utf8"));
    expect(json.variants.map((v: { name: string }) => v.name)).toEqual(["exact", "pwl-slope"]);
    const markdown = readFileSync(join(out, "train.md"), "utf8");
    expect(markdown).not.toContain("| pwl-pwl |");
    expect(markdown).toContain(note);
    // Asked for explicitly, pwl-pwl cannot be trained: refused, nothing written.
    await refused(
      ["--design", plainUnit, "--derivative", "pwl", "--out-dir", join(dir, "plain-pwl")],
      /^pwlgen: error: --design: ".*" has no PWL derivative \(dy\); generate it with --derivative pwl, or train with --derivative slope$/,
    );
    expect(existsSync(join(dir, "plain-pwl"))).toBe(false);
  });

  it("refuses options that define the unit with --design, only when given", async () => {
    await makePlainUnit();
    const cases: [string, string][] = [
      ["--function", "sigmoid"],
      ["--expr", "x*sigmoid(x)"],
      ["--alpha", "1"],
      ["--beta", "2"],
      ["--in", "s4.12"],
      ["--out", "u1.15"],
      ["--max-error", "2^-8"],
      ["--segments", "8"],
      ["--method", "optimal"],
      ["--symmetry", "off"],
      ["--rounding", "truncate"],
      ["--dout", "s1.11"],
      ["--dmax-error", "2^-6"],
    ];
    for (const [flag, value] of cases) {
      await refused(
        ["--design", plainUnit, flag, value, "--out-dir", join(dir, "conflict")],
        new RegExp(
          `^pwlgen: error: ${flag}: "${value.replace(/[*^()]/g, "\\$&")}" cannot be combined with --design$`,
        ),
      );
    }
    // From a spec file, the file and its key are named.
    const spec = join(dir, "design-spec.yaml");
    writeFileSync(spec, `design: ${plainUnit}\nfunction: sigmoid\n`);
    await refused(
      ["--spec", spec, "--out-dir", join(dir, "conflict")],
      /^pwlgen: error: .*design-spec\.yaml: function: "sigmoid" cannot be combined with --design$/,
    );
    expect(existsSync(join(dir, "conflict"))).toBe(false);
    // Defaults are not "given": the schema accepts --design alone and fills them in.
    const parsed = trainSchema.parse({ design: plainUnit });
    expect([parsed.method, parsed.symmetry, parsed.rounding]).toEqual(["auto", "auto", "half-up"]);
  });

  it("refuses dataset options the chosen dataset would ignore", async () => {
    const out = ["--out-dir", join(dir, "ignored")];
    await refused(
      [...unitOptions, "--dataset", "iris", "--csv", "f.csv", ...out],
      /^pwlgen: error: --csv: "f\.csv" applies only to --dataset csv, not to --dataset iris$/,
    );
    await refused(
      [...unitOptions, "--label", "class", ...out],
      /^pwlgen: error: --label: "class" applies only to --dataset csv, not to --dataset moons$/,
    );
    await refused(
      [...unitOptions, "--dataset", "iris", "--noise", "0.1", ...out],
      /^pwlgen: error: --noise: "0\.1" applies only to the synthetic datasets \(moons, circles, spirals\), not to --dataset iris$/,
    );
    await refused(
      [...unitOptions, "--dataset", "csv", "--csv", "f.csv", "--label", "c", "--samples", "100", ...out],
      /^pwlgen: error: --samples: "100" applies only to the synthetic datasets .*, not to --dataset csv$/,
    );
    await refused(
      [...unitOptions, "--derivative", "slope", "--dmax-error", "2^-8", ...out],
      /^pwlgen: error: --dmax-error: "2\^-8" applies only to the pwl-pwl variant, not to --derivative slope$/,
    );
    expect(existsSync(join(dir, "ignored"))).toBe(false);
  });

  it("checks --out-dir before training: a file, a path under a file", async () => {
    const file = join(dir, "afile");
    writeFileSync(file, "not a directory\n");
    // --layers 2000 is refused during training: the --out-dir error shows it never started.
    const late = ["--layers", "2000"];
    await refused(
      [...unitOptions, ...late, "--out-dir", file],
      /^pwlgen: error: --out-dir: ".*afile" exists and is not a directory$/,
    );
    await refused(
      [...unitOptions, ...late, "--out-dir", join(file, "x")],
      /^pwlgen: error: --out-dir: ".*afile\/x" cannot be created: .*afile is not a directory$/,
    );
    expect(readFileSync(file, "utf8")).toBe("not a directory\n");
    await refused(
      [...unitOptions, ...late, "--out-dir", join(dir, "late")],
      /^pwlgen: error: --layers: "2000" needs widths from 1 to 1024$/,
    );
    expect(existsSync(join(dir, "late"))).toBe(false);
  });

  it("writes only into a new or empty directory or its own, else needs --force", async () => {
    await makePlainUnit();
    const unitFiles = readdirSync(plainUnit).sort();
    // A gen unit directory gets no train files mixed in without --force.
    await refused(
      ["--design", plainUnit, ...quick, "--out-dir", plainUnit],
      /^pwlgen: error: --out-dir: ".*plain-unit" is a pwlgen gen unit directory; choose another directory, or pass --force to add the train files to it$/,
    );
    expect(readdirSync(plainUnit).sort()).toEqual(unitFiles);
    // A user's directory with other files neither.
    const mine = join(dir, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "train.md"), "my notes\n");
    await refused(
      [...unitOptions, ...quick, "--out-dir", mine],
      /^pwlgen: error: --out-dir: ".*mine" is not empty and was not written by pwlgen train; choose another directory or pass --force$/,
    );
    expect(readdirSync(mine)).toEqual(["train.md"]);
    expect(readFileSync(join(mine, "train.md"), "utf8")).toBe("my notes\n");
    // An empty directory, and then the same directory again (its train.json marks it).
    const empty = join(dir, "empty");
    mkdirSync(empty);
    expect((await run([...unitOptions, ...quick, "--out-dir", empty])).code).toBe(0);
    writeFileSync(join(empty, "notes.txt"), "kept\n");
    expect((await run([...unitOptions, ...quick, "--out-dir", empty])).code).toBe(0);
    expect(readdirSync(empty).sort()).toEqual(["notes.txt", "train.json", "train.md", "train.svg"]);
    // --force adds the train files to a unit directory and keeps the unit's.
    expect((await run(["--design", plainUnit, ...quick, "--out-dir", plainUnit, "--force"])).code).toBe(0);
    expect(readdirSync(plainUnit).sort()).toEqual(
      [...unitFiles, "train.json", "train.md", "train.svg"].sort(),
    );
  });

  it("two runs of one command write the same files but for backwardTimeRatio", async () => {
    const args = [...unitOptions, "--dataset", "spirals", ...quick];
    const [a, b] = [join(dir, "same-a"), join(dir, "same-b")];
    expect((await run([...args, "--out-dir", a])).code).toBe(0);
    expect((await run([...args, "--out-dir", b])).code).toBe(0);
    const read = (d: string, name: string): string => readFileSync(join(d, name), "utf8");
    expect(withoutTiming(JSON.parse(read(a, "train.json")))).toEqual(
      withoutTiming(JSON.parse(read(b, "train.json"))),
    );
    // train.md shows the ratio in the table's last column.
    const table = (text: string): string => text.replace(/\| [\d.]+ \|$/gm, "| |");
    expect(table(read(a, "train.md"))).toBe(table(read(b, "train.md")));
    expect(read(a, "train.svg")).toBe(read(b, "train.svg"));
  });
});

describe("segment-slope gradients of folded units (pwlgen train --design without a dy port)", () => {
  it("follow the unit's slope on both sides: -slope for even folds, 1 - slope for ramp folds, and agree with f' in sign and size", () => {
    const z = new Float64Array([-3, -1, 1, 3]);
    for (const [fn, symmetry] of [
      ["silu", "ramp"],
      ["gelu", "ramp"],
      ["dsigmoid", "auto"],
      ["sigmoid", "auto"],
    ] as const) {
      const { design, function: info } = generate({
        function: fn,
        in: "s4.8",
        out: fn === "dsigmoid" || fn === "sigmoid" ? "u1.10" : "s4.10",
        maxError: "2^-8",
        method: "optimal",
        symmetry,
      });
      expect(design.y.fold.kind).not.toBe("none");
      const d = new Float64Array(z.length);
      pwlActivation(design, "segment-slope").derivative(z, d);
      z.forEach((x, i) => {
        expect(Math.abs(d[i]! - info.derivative.f(x)), `${fn}'(${x})`).toBeLessThan(0.15);
      });
    }
  });
});
