/**
 * npm run cost-corpus [-- options]: calibrates the cost model (gen/cost/) against Yosys.
 *
 * 1. Regenerates every design of test/fixtures/cost-corpus.json from its spec and runs
 *    Yosys (gen/synth/yosys.ts, one run at a time) for each target whose counts are
 *    missing, or stale (the design's Verilog or spec hash changed), writing the counts back
 *    after each design, so an interrupted run resumes where it stopped. Each target
 *    synthesizes the unit as generated for it (its foldForm and treeWords, gen/synth/targets.ts).
 * 2. Fits the LUT weights per target by non-negative least squares on relative residuals
 *    (gen/cost/fit.ts) and writes gen/cost/coefficients.ts.
 * 3. Prints the accuracy per target, in-sample and by 5-fold cross-validation.
 *
 * Options: --target ice40,xc7 (default every target), --all (synthesize every design
 * again), --match TEXT (synthesize only designs whose name contains TEXT), --fit-only (no
 * Yosys), --no-fit (no fit). The same corpus gives the same bytes in both files. All four
 * targets for the whole corpus take about an hour on one core.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { format, resolveConfig } from "prettier";
import { COEFFICIENTS, type Coefficients } from "../gen/cost/coefficients.js";
import { LUT_FEATURES } from "../gen/cost/features.js";
import { accuracy, fitCoefficients } from "../gen/cost/fit.js";
import { lutSum, modelFeatures } from "../gen/cost/model.js";
import type { PwlDesign } from "../gen/design/ir.js";
import { PACKAGE_ROOT } from "../gen/paths.js";
import { synthesize } from "../gen/synth/yosys.js";
import { TARGETS, TARGET_NAMES, type TargetName } from "../gen/synth/targets.js";
import { renderModule } from "../gen/rtl/render.js";
import {
  CORPUS_PATH,
  type Regenerated,
  accuracyTable,
  compare,
  isStale,
  readCorpus,
  regenerate,
  writeCorpus,
} from "../test/support/cost-corpus.js";

const COEFFICIENTS_PATH = join(PACKAGE_ROOT, "gen", "cost", "coefficients.ts");
const FOLDS = 5;

const { values } = parseArgs({
  options: {
    target: { type: "string" },
    all: { type: "boolean", default: false },
    match: { type: "string" },
    "fit-only": { type: "boolean", default: false },
    "no-fit": { type: "boolean", default: false },
  },
  strict: true,
});
const targets = (values.target?.split(",") ?? [...TARGET_NAMES]).map((name) => {
  if (!(TARGET_NAMES as readonly string[]).includes(name)) {
    throw new Error(`--target: "${name}" is not one of ${TARGET_NAMES.join(", ")}`);
  }
  return name as TargetName;
});

const yosysVersion = (
  JSON.parse(
    readFileSync(join(PACKAGE_ROOT, "node_modules", "@yowasp", "yosys", "package.json"), "utf8"),
  ) as {
    version: string;
  }
).version;

const corpus = readCorpus();
if (corpus.yosys !== "" && corpus.yosys !== yosysVersion) {
  console.log(
    `note: the corpus was synthesized with Yosys ${corpus.yosys}, this is ${yosysVersion}; --all measures again`,
  );
}

const started = performance.now();
const designs: PwlDesign[] = [];
let synthesized = 0;
for (const [i, entry] of corpus.designs.entries()) {
  const regenerated: Regenerated = regenerate(entry);
  designs.push(regenerated.design);
  if (isStale(entry, regenerated)) {
    if (entry.rtlHash !== undefined)
      console.log(`${entry.name}: stale (the generator changed), measuring again`);
    entry.yosys = {};
    entry.specHash = regenerated.specHash;
    entry.rtlHash = regenerated.rtlHash;
    writeCorpus(corpus);
  } else if (entry.specHash !== regenerated.specHash) {
    entry.specHash = regenerated.specHash;
    writeCorpus(corpus);
  }
  if (values["fit-only"] || (values.match !== undefined && !entry.name.includes(values.match))) continue;
  for (const target of targets) {
    if (entry.yosys[target] && !values.all) continue;
    const t = performance.now();
    // The unit as generated for this target: its fold arithmetic in the target's foldForm,
    // its small trees as word trees where the target's treeWords allows.
    const { treeWords: given, ...design } = regenerated.design;
    const { foldForm, treeWords } = TARGETS[target];
    const forTarget: PwlDesign = { ...design, foldForm, ...(treeWords ? { treeWords: true as const } : {}) };
    const same = foldForm === design.foldForm && forTarget.treeWords === given;
    const verilog = same ? regenerated.verilog : renderModule(forTarget);
    const result = await synthesize({ [`${design.module}.v`]: verilog }, design.module, target);
    const { lut, carry, dsp, bram, ff, cells } = result;
    entry.yosys[target] = { lut, carry, dsp, bram, ff, cells: { ...cells } };
    corpus.yosys = yosysVersion;
    writeCorpus(corpus);
    synthesized++;
    console.log(
      `[${i + 1}/${corpus.designs.length}] ${entry.name} ${target}: ${lut} LUTs, ${carry} carry, ${dsp} DSP, ${bram} BRAM, ${ff} FF (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
}
if (synthesized > 0) {
  console.log(`${synthesized} Yosys runs in ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

if (!values["no-fit"]) {
  const fitted: Partial<Record<TargetName, Coefficients>> = {};
  for (const target of TARGET_NAMES) {
    const measured = corpus.designs.flatMap((entry, i) =>
      entry.yosys[target] ? [{ design: designs[i]!, lut: entry.yosys[target].lut }] : [],
    );
    if (measured.length < corpus.designs.length) {
      console.log(`${target}: ${measured.length} of ${corpus.designs.length} designs measured; not refitted`);
      continue;
    }
    const features = measured.map((m) => modelFeatures(m.design, target));
    const luts = measured.map((m) => m.lut);
    fitted[target] = rounded(fitCoefficients(features, luts, LUT_FEATURES));
    // Out of sample: each fifth of the corpus estimated by the weights fitted to the rest.
    const predicted = new Array<number>(measured.length);
    for (let fold = 0; fold < FOLDS; fold++) {
      const train = measured.map((_, i) => i).filter((i) => i % FOLDS !== fold);
      const weights = fitCoefficients(
        train.map((i) => features[i]!),
        train.map((i) => luts[i]!),
        LUT_FEATURES,
      );
      for (let i = fold; i < measured.length; i += FOLDS) {
        predicted[i] = Math.max(0, Math.round(lutSum(features[i]!, weights)));
      }
    }
    const cv = accuracy(predicted, luts);
    console.log(
      `${target}: 5-fold cross-validation: Spearman ${cv.spearman.toFixed(3)}, median relative error ${(100 * cv.medianRelativeError).toFixed(1)}%, p90 ${(100 * cv.p90RelativeError).toFixed(1)}%`,
    );
  }
  if (Object.keys(fitted).length > 0) {
    const all = { ...COEFFICIENTS, ...fitted } as Record<TargetName, Coefficients>;
    const text = coefficientsModule(all, corpus.designs.length);
    const config = await resolveConfig(COEFFICIENTS_PATH);
    writeFileSync(COEFFICIENTS_PATH, await format(text, { ...config, filepath: COEFFICIENTS_PATH }));
    console.log(`wrote ${COEFFICIENTS_PATH} (${Object.keys(fitted).join(", ")} refitted)`);
    // The estimates with the new weights: the module was loaded with the old ones.
    for (const [target, coefficients] of Object.entries(fitted)) {
      (COEFFICIENTS as Record<string, Coefficients>)[target] = coefficients;
    }
  }
  console.log("\nin sample (the weights just written):");
  for (const line of accuracyTable(TARGET_NAMES.map((target) => compare(corpus.designs, designs, target)))) {
    console.log(line);
  }
}
console.log(`corpus: ${CORPUS_PATH}`);

/** Weights to 4 significant digits: the fit is not more precise than that, and the file stays readable. */
function rounded(c: Coefficients): Coefficients {
  const round = (x: number): number => Number(x.toPrecision(4));
  return {
    constant: round(c.constant),
    weights: Object.fromEntries(Object.entries(c.weights).map(([name, w]) => [name, round(w)])),
  };
}

function coefficientsModule(all: Record<TargetName, Coefficients>, designs: number): string {
  const body = TARGET_NAMES.map((target) => {
    const c = all[target];
    const weights = Object.entries(c.weights)
      .map(([name, w]) => `${name}: ${w},`)
      .join("\n");
    return `${JSON.stringify(target)}: { constant: ${c.constant}, weights: { ${weights} } },`;
  }).join("\n");
  return `// Generated by scripts/cost-corpus.ts (npm run cost-corpus): do not edit by hand.
// LUTs = constant + sum of weight x feature (gen/cost/features.ts), fitted per target by
// non-negative least squares on relative residuals to Yosys ${yosysVersion} over the ${designs}
// designs of test/fixtures/cost-corpus.json; a feature without a weight got 0.
import type { TargetName } from "../synth/targets.js";
import type { Features } from "./features.js";

/** The cost model's weights for one target (checked by test/unit/cost.test.ts). */
export interface Coefficients {
  readonly constant: number;
  readonly weights: Readonly<Partial<Record<keyof Features, number>>>;
}

export const COEFFICIENTS: Readonly<Record<TargetName, Coefficients>> = {
${body}
};
`;
}
