import { existsSync } from "node:fs";
import { join } from "node:path";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { z } from "zod";
import { formatName, width } from "../fixed/format.js";
import { type PwlDesign, freeze } from "../design/ir.js";
import { generate, resolveFunction } from "../generate.js";
import { type BoundSpec, boundText } from "../spec/bound.js";
import { UserError } from "../spec/errors.js";
import { defaultOutputDir } from "../output/places.js";
import { type DesignSpec, type DesignSpecInput, designSchema, designShape } from "../spec/schema.js";
import { parseOptions } from "../spec/load.js";
import { specHash } from "../spec/normalize.js";
import { MANIFEST, manifestSchema, parseManifest, readManifest } from "../report/manifest.js";
import { DATASETS, type Dataset, type DatasetName, SYNTHETIC_DATASETS, loadDataset } from "./datasets.js";
import { exactActivation, pwlActivation } from "./activations.js";
import { type Activation, Gradients, Mlp, type Rng, adam, sgd } from "./mlp.js";

/** The options that define the PWL unit(s); --design DIR brings its own unit instead. */
const unitShape = {
  function: designShape.function,
  expr: designShape.expr,
  alpha: designShape.alpha,
  beta: designShape.beta,
  in: designShape.in.optional(),
  out: designShape.out.optional(),
  maxError: designShape.maxError,
  segments: designShape.segments,
  method: designShape.method,
  symmetry: designShape.symmetry,
  rounding: designShape.rounding,
  exactZero: designShape.exactZero,
  dout: designShape.dout.describe(
    "format of the PWL derivative (default: signed, as wide as --out, 2 integer bits)",
  ),
  dmaxError: designShape.dmaxError.describe("bound of the PWL derivative (default: the bound of f)"),
};

/**
 * `pwlgen train`: does a PWL activation (and its derivative) train as well as the exact
 * one? The same MLP is trained with several seeds in three variants: exact f and f';
 * the unit's f with the active segment's slope as f' (pwl-slope); the unit's f with a
 * separate PWL of f' (pwl-pwl; left out for a --design unit that has none). The PWL variants
 * use the golden model of the very unit that would be built.
 */
export const trainShape = {
  ...unitShape,
  design: z
    .string()
    .min(1)
    .optional()
    .describe(
      "reuse a unit written by pwlgen gen instead of generating one (options that define a unit cannot be added)",
    ),
  derivative: z
    .enum(["both", "slope", "pwl"])
    .default("both")
    .describe(
      "which PWL variants to train besides exact: pwl-slope, pwl-pwl, or both (with --design, pwl-pwl only if the unit has a --derivative pwl channel)",
    ),
  dataset: z
    .enum(DATASETS)
    .default("moons")
    .describe("moons, circles, spirals (seeded synthetic), iris, or csv"),
  csv: z.string().optional().describe("with --dataset csv: a CSV file with a header row"),
  label: z.string().optional().describe("with --dataset csv: the class column (two distinct values)"),
  samples: z.coerce.number().int().min(20).max(100000).default(400).describe("points in a synthetic dataset"),
  noise: z.coerce.number().min(0).max(5).optional().describe("noise of a synthetic dataset"),
  layers: z
    .string()
    .regex(/^\d+(,\d+)*$/, "is not a list of layer widths such as 16 or 16,8")
    .default("16")
    .describe("hidden layer widths, e.g. 16 or 32,16"),
  optimizer: z.enum(["adam", "sgd"]).default("adam").describe("adam, or sgd with momentum"),
  lr: z.coerce.number().positive().max(10).default(0.05).describe("learning rate"),
  momentum: z.coerce.number().min(0).max(1).default(0.9).describe("sgd momentum"),
  epochs: z.coerce.number().int().min(1).max(10000).default(100).describe("training epochs"),
  batch: z.coerce.number().int().min(1).max(100000).default(32).describe("batch size"),
  seeds: z.coerce.number().int().min(1).max(100).default(5).describe("training runs per variant, seeds 1..N"),
  testFraction: z.coerce
    .number()
    .min(0.05)
    .max(0.9)
    .default(0.3)
    .describe("share of the data held out for testing"),
  outDir: z
    .string()
    .min(1)
    .default(() => defaultOutputDir("train"))
    .describe(
      "where train.json, train.md and train.svg go (by default in the project: the nearest folder above holding package.json or .git): a new or empty directory, or one pwlgen train wrote (else --force)",
    ),
  force: z
    .boolean()
    .default(false)
    .describe(
      "write into an --out-dir that is not empty and was not written by pwlgen train (its train.* files are replaced, other files kept)",
    ),
};

/**
 * Options a run would ignore are refused: unit options with --design (it brings its own
 * unit), dataset options with a dataset that does not use them. The check reads the values
 * as given, before zod fills defaults, so only what the user wrote is refused.
 */
/** train's options that a flag makes inapplicable (see commandOptions): --derivative slope has no PWL derivative for dout or dmaxError. */
export const trainDependents = { derivative: { slope: ["dout", "dmaxError"] } } as const;

export const trainSchema = z.preprocess(refuseIgnoredOptions, z.object(trainShape).strict());
export type TrainOptions = z.output<typeof trainSchema>;

/** Which datasets use an option; the others would ignore it. */
const csvOnly = { datasets: ["csv"], which: "--dataset csv" } as const;
const syntheticOnly = {
  datasets: SYNTHETIC_DATASETS,
  which: `the synthetic datasets (${SYNTHETIC_DATASETS.join(", ")})`,
} as const;
const DATASET_OPTIONS = {
  csv: csvOnly,
  label: csvOnly,
  samples: syntheticOnly,
  noise: syntheticOnly,
} satisfies Partial<Record<keyof typeof trainShape, { datasets: readonly DatasetName[]; which: string }>>;

function refuseIgnoredOptions(values: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof values !== "object" || values === null) return values;
  const given = values as Record<string, unknown>;
  const refuse = (key: string, message: string): void => {
    ctx.addIssue({ code: "custom", path: [key], message });
  };
  if (given.design !== undefined) {
    for (const key of Object.keys(unitShape))
      if (given[key] !== undefined) refuse(key, "cannot be combined with --design");
  }
  // The slope variant has no PWL derivative whose format or bound these would set.
  if (given.derivative === "slope") {
    for (const key of ["dout", "dmaxError"])
      if (given[key] !== undefined)
        refuse(key, "applies only to the pwl-pwl variant, not to --derivative slope");
  }
  // An invalid --dataset is left to the schema, which names it.
  const dataset = trainShape.dataset.safeParse(given.dataset);
  if (dataset.success) {
    for (const [key, { datasets, which }] of Object.entries(DATASET_OPTIONS)) {
      if (given[key] !== undefined && !(datasets as readonly string[]).includes(dataset.data))
        refuse(key, `applies only to ${which}, not to --dataset ${dataset.data}`);
    }
  }
  return values;
}

export interface VariantResult {
  readonly name: "exact" | "pwl-slope" | "pwl-pwl";
  readonly accuracy: { readonly mean: number; readonly std: number };
  /** Mean over seeds of the last epoch's training loss. */
  readonly loss: number;
  /** Time of the activation-derivative step of back-propagation, relative to exact. */
  readonly backwardTimeRatio: number;
  /** Per seed: test accuracy after the last epoch. */
  readonly accuracies: readonly number[];
  /** Mean test accuracy over seeds after each epoch. */
  readonly curve: readonly number[];
  readonly derivativeSeconds: number;
}

export interface TrainResult {
  readonly dataset: string;
  readonly function: string;
  readonly seeds: readonly number[];
  readonly unit: {
    readonly module: string;
    readonly specHash: string;
    readonly maxErrorBound: number;
    readonly segments: number;
  };
  /** The unit each PWL variant ran (pwl-slope and pwl-pwl may run different units). */
  readonly units: readonly VariantUnit[];
  readonly variants: readonly VariantResult[];
  readonly samples: { readonly train: number; readonly test: number; readonly features: number };
  /** Why a variant --derivative asked for was left out (one line each). */
  readonly notes: readonly string[];
}

/** A unit a PWL variant trained with: y's segments, and dy's (slope tap or PWL of f'). */
export interface VariantUnit {
  readonly variant: "pwl-slope" | "pwl-pwl";
  readonly module: string;
  readonly specHash: string;
  readonly maxErrorBound: number;
  readonly segments: number;
  readonly derivative: { readonly mode: string; readonly segments?: number };
}

function variantUnit(variant: VariantUnit["variant"], design: PwlDesign): VariantUnit {
  const dy = design.dy;
  return {
    variant,
    module: design.module,
    specHash: design.specHash,
    maxErrorBound: design.y.bound,
    segments: design.y.breakpoints.length,
    derivative:
      dy?.kind === "pwl" ? { mode: "pwl", segments: dy.breakpoints.length } : { mode: dy?.kind ?? "none" },
  };
}

export function train(options: TrainOptions): TrainResult {
  const dataset = loadDataset(options);
  const { exact, designs } = activations(options);
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const hidden = options.layers.split(",").map(Number);
  if (hidden.some((h) => h < 1 || h > 1024))
    throw new UserError("--layers", options.layers, "needs widths from 1 to 1024");
  const variants: { name: VariantResult["name"]; activation: Activation }[] = [
    { name: "exact", activation: exact },
  ];
  const notes: string[] = [];
  if (options.derivative !== "pwl") variants.push({ name: "pwl-slope", activation: designs.slope });
  if (options.derivative !== "slope") {
    if (designs.pwl) variants.push({ name: "pwl-pwl", activation: designs.pwl });
    else
      notes.push(
        `pwl-pwl left out: the unit in ${options.design} has no --derivative pwl channel (dy); generate it with --derivative pwl to train pwl-pwl`,
      );
  }

  const results = variants.map(({ name, activation }) => {
    const runs = seeds.map((seed) => runOnce(dataset, seed, hidden, activation, options));
    // The pre-activations the first run's hidden layers see at the end of training.
    const accuracies = runs.map((r) => r.accuracy);
    const mean = average(accuracies);
    return {
      name,
      accuracy: { mean, std: Math.sqrt(average(accuracies.map((a) => (a - mean) ** 2))) },
      loss: average(runs.map((r) => r.loss)),
      accuracies,
      curve: runs[0]!.curve.map((_, epoch) => average(runs.map((r) => r.curve[epoch]!))),
      preActivations: runs[0]!.preActivations,
      activation,
    };
  });
  // Cost of f' in back-propagation: every variant's derivative over the same inputs (the
  // exact run's pre-activations), timed over repeated passes; reported relative to exact.
  const inputs = results[0]!.preActivations;
  const seconds = results.map((r) => derivativeSeconds(r.activation, inputs));
  const y = designs.unit;
  return {
    dataset: dataset.name,
    function: designs.functionName,
    seeds,
    unit: {
      module: y.module,
      specHash: y.specHash,
      maxErrorBound: y.y.bound,
      segments: y.y.breakpoints.length,
    },
    units: results.flatMap((r) =>
      r.name === "pwl-slope"
        ? [variantUnit(r.name, designs.unit)]
        : r.name === "pwl-pwl"
          ? [variantUnit(r.name, designs.pwlUnit ?? designs.unit)]
          : [],
    ),
    variants: results.map((r, i) => ({
      name: r.name,
      accuracy: r.accuracy,
      loss: r.loss,
      accuracies: r.accuracies,
      curve: r.curve,
      derivativeSeconds: seconds[i]!,
      backwardTimeRatio: seconds[i]! / seconds[0]!,
    })),
    samples: splitSizes(dataset, options.testFraction),
    notes,
  };
}

/**
 * The exact activation and the PWL ones, from generated units or a unit directory; no pwl
 * activation when the unit directory has no PWL derivative channel.
 */
function activations(options: TrainOptions): {
  exact: Activation;
  designs: {
    slope: Activation;
    pwl?: Activation;
    unit: PwlDesign;
    pwlUnit?: PwlDesign;
    functionName: string;
  };
} {
  if (options.design) {
    const { design, spec } = readUnitDirectory(options.design);
    const fn = resolveFunction(spec);
    const hasPwl = design.dy?.kind === "pwl";
    if (options.derivative === "pwl" && !hasPwl) {
      throw new UserError(
        "--design",
        options.design,
        "has no PWL derivative (dy); generate it with --derivative pwl, or train with --derivative slope",
      );
    }
    return {
      exact: exactActivation(fn.f, fn.derivative.f),
      designs: {
        slope: pwlActivation(design, design.dy?.kind === "slope" ? "port" : "segment-slope"),
        pwl: hasPwl ? pwlActivation(design, "port") : undefined,
        unit: design,
        functionName: fn.name,
      },
    };
  }
  const slopeUnit = generate(designInput(options, "slope"));
  // f' gets --dmax-error, else the same bound as f (the one a segment budget reached).
  const derivativeBound = options.dmaxError ??
    options.maxError ?? { kind: "absolute" as const, value: slopeUnit.design.y.bound };
  const pwlUnit =
    options.derivative === "slope" ? slopeUnit : generate(designInput(options, "pwl", derivativeBound));
  return {
    exact: exactActivation(slopeUnit.function.f, slopeUnit.function.derivative.f),
    designs: {
      slope: pwlActivation(slopeUnit.design, "port"),
      pwl: pwlActivation(pwlUnit.design, "port"),
      unit: slopeUnit.design,
      pwlUnit: pwlUnit.design,
      functionName: slopeUnit.function.name,
    },
  };
}

/** The gen spec of the unit a variant trains with (dy as slope, or as a PWL of f'). */
function designInput(
  options: TrainOptions,
  derivative: "slope" | "pwl",
  derivativeBound?: BoundSpec,
): DesignSpecInput {
  if (!options.in || !options.out) {
    throw new UserError(options.in ? "--out" : "--in", undefined, "is required (or give --design DIR)");
  }
  if (width(options.in) > MAX_INPUT_BITS) {
    throw new UserError(
      "--in",
      formatName(options.in),
      `is wider than the ${MAX_INPUT_BITS} bits training tabulates`,
    );
  }
  const dout = options.dout ? formatName(options.dout) : `s2.${width(options.out) - 2}`;
  const spec: Record<string, unknown> = {
    function: options.function,
    expr: options.expr,
    alpha: options.alpha,
    beta: options.beta,
    in: formatName(options.in),
    out: formatName(options.out),
    maxError: options.maxError && boundText(options.maxError),
    segments: options.segments,
    method: options.method,
    symmetry: options.symmetry,
    rounding: options.rounding,
    exactZero: options.exactZero || undefined,
    derivative,
    dout,
    dmaxError: derivative === "pwl" && derivativeBound ? boundText(derivativeBound) : undefined,
  };
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as DesignSpecInput;
}

const MAX_INPUT_BITS = 22;

/** What train --design reads of a manifest.json. */
const designManifest = manifestSchema.pick({ tool: true, specHash: true, spec: true, ir: true });

/**
 * A unit directory's frozen IR and its spec, from manifest.json: both checked (the IR by
 * its schema, the spec by the gen schema) and tied together by the spec hash they carry.
 */
function readUnitDirectory(dir: string): { design: PwlDesign; spec: DesignSpec } {
  const path = join(dir, MANIFEST);
  if (!existsSync(path))
    throw new UserError("--design", dir, "has no manifest.json; give a directory written by pwlgen gen");
  const manifest = parseManifest(designManifest, readManifest(path, "--design"), path);
  if (!manifest) {
    throw new UserError(
      "--design",
      dir,
      "has a manifest.json that pwlgen gen did not write; give a directory written by pwlgen gen",
    );
  }
  const { ir, specHash: hash } = manifest;
  if (width(ir.input) > MAX_INPUT_BITS) {
    throw new UserError(
      "--design",
      dir,
      `has a ${width(ir.input)}-bit input; training tabulates at most ${MAX_INPUT_BITS}`,
    );
  }
  const spec = parseOptions(designSchema, manifest.spec, { fromCli: new Set(), specFile: path });
  // The IR, the spec and the manifest must describe the same unit.
  const regenerate = "; regenerate the unit with pwlgen gen";
  if (ir.specHash !== hash)
    throw new UserError(
      `${path}: ir.specHash`,
      ir.specHash,
      `is not the manifest's specHash ${hash}${regenerate}`,
    );
  if (specHash(spec) !== hash) {
    throw new UserError(
      `${path}: spec`,
      manifest.spec,
      `hashes to ${specHash(spec)}, not to the manifest's specHash ${hash}${regenerate}`,
    );
  }
  return { design: freeze(ir), spec };
}

interface Run {
  accuracy: number;
  loss: number;
  curve: number[];
  preActivations: Float64Array;
}

/** Seconds per pass of the activation's derivative over `inputs`, best of repeated passes. */
function derivativeSeconds(activation: Activation, inputs: Float64Array): number {
  const out = new Float64Array(inputs.length);
  const repeats = Math.max(1, Math.ceil(2e6 / inputs.length));
  let best = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    const started = performance.now();
    for (let r = 0; r < repeats; r++) activation.derivative(inputs, out);
    best = Math.min(best, (performance.now() - started) / 1000 / repeats);
  }
  return best;
}

function runOnce(
  dataset: Dataset,
  seed: number,
  hidden: number[],
  activation: Activation,
  options: TrainOptions,
): Run {
  const rng = xoroshiro128plus(seed);
  const { train: trainSet, test: testSet } = split(dataset, options.testFraction, rng);
  const model = new Mlp([dataset.features[0]!.length, ...hidden, 1], rng);
  const optimizer =
    options.optimizer === "adam" ? adam(model, options.lr) : sgd(model, options.lr, options.momentum);
  const grads = new Gradients(model);
  const curve: number[] = [];
  let loss = 0;
  const order = trainSet.x.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rng);
    let epochLoss = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += options.batch) {
      const indices = order.slice(start, start + options.batch);
      epochLoss += model.gradient(
        indices.map((i) => trainSet.x[i]!),
        indices.map((i) => trainSet.y[i]!),
        activation,
        grads,
      );
      batches++;
      optimizer.step(model, grads);
    }
    loss = epochLoss / batches;
    curve.push(accuracy(model, testSet, activation));
  }
  const preActivations = Float64Array.from(
    trainSet.x.flatMap((x) => model.hiddenPreActivations(x, activation)),
  );
  return { accuracy: curve.at(-1)!, loss, curve, preActivations };
}

interface Split {
  x: Float64Array[];
  y: number[];
}

/** A seeded split, with features standardized by the training split's mean and deviation. */
function split(dataset: Dataset, testFraction: number, rng: Rng): { train: Split; test: Split } {
  const order = dataset.features.map((_, i) => i);
  shuffle(order, rng);
  const testCount = Math.max(1, Math.round(order.length * testFraction));
  const testIndices = order.slice(0, testCount);
  const trainIndices = order.slice(testCount);
  const d = dataset.features[0]!.length;
  const mean = new Float64Array(d);
  const deviation = new Float64Array(d);
  for (const i of trainIndices)
    for (let j = 0; j < d; j++) mean[j]! += dataset.features[i]![j]! / trainIndices.length;
  for (const i of trainIndices) {
    for (let j = 0; j < d; j++)
      deviation[j]! += (dataset.features[i]![j]! - mean[j]!) ** 2 / trainIndices.length;
  }
  const scale = (row: Float64Array): Float64Array =>
    row.map((v, j) => (v - mean[j]!) / (Math.sqrt(deviation[j]!) || 1));
  const take = (indices: number[]): Split => ({
    x: indices.map((i) => scale(dataset.features[i]!)),
    y: indices.map((i) => dataset.labels[i]!),
  });
  return { train: take(trainIndices), test: take(testIndices) };
}

function splitSizes(
  dataset: Dataset,
  testFraction: number,
): { train: number; test: number; features: number } {
  const test = Math.max(1, Math.round(dataset.features.length * testFraction));
  return { train: dataset.features.length - test, test, features: dataset.features[0]!.length };
}

function accuracy(model: Mlp, set: Split, activation: Activation): number {
  let correct = 0;
  set.x.forEach((x, i) => {
    if ((model.predict(x, activation) >= 0.5 ? 1 : 0) === set.y[i]) correct++;
  });
  return correct / set.x.length;
}

function shuffle(values: number[], rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
}

function average(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
