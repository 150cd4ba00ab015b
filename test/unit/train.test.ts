import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../gen/cli.js";
import { type TrainResult, train, trainSchema } from "../../gen/train/train.js";

/**
 * pwlgen train: the PWL unit trains as well as the exact activation at a reasonable bound,
 * visibly worse at a bound that must hurt, deterministically, and bad data is refused.
 */
const dir = mkdtempSync(join(tmpdir(), "pwlgen-train-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (values: Record<string, unknown>) =>
  trainSchema.parse({ in: "s4.12", outDir: join(dir, "out"), ...values });

const variant = (result: TrainResult, name: string) => result.variants.find((v) => v.name === name)!;

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

  it("is deterministic for a given seed set", () => {
    const again = train(options({ function: "sigmoid", out: "u1.15", maxError: "2^-8", dataset: "moons" }));
    again.variants.forEach((v, i) => {
      expect(v.accuracies).toEqual(moons.variants[i]!.accuracies);
      expect(v.loss).toBe(moons.variants[i]!.loss);
      expect(v.curve).toEqual(moons.variants[i]!.curve);
    });
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
  const run = async (args: string[]): Promise<{ code: number; errors: string[] }> => {
    const errors: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = () => undefined;
    console.error = (line: string) => errors.push(line);
    try {
      return { code: await main(["train", ...args]), errors };
    } finally {
      console.log = log;
      console.error = error;
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
    expect(json.dataset).toBe("circles");
    expect(json.function).toBe("tanh");
    expect(json.seeds).toEqual([1, 2]);
    for (const v of json.variants) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(["name", "accuracy", "loss", "backwardTimeRatio"]),
      );
      expect(Object.keys(v.accuracy).sort()).toEqual(["mean", "std"]);
    }
    expect(readFileSync(join(out, "train.md"), "utf8")).toContain("| pwl-pwl |");
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
  });
});
