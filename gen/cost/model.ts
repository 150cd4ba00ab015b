import { width } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, romEntries } from "../design/ir.js";
import { TARGETS, type TargetName } from "../synth/targets.js";
import { COEFFICIENTS, type Coefficients } from "./coefficients.js";
import { type Features, designFeatures } from "./features.js";

/**
 * The cost model: what a unit costs on a target, estimated from its IR alone, without
 * running Yosys. LUTs are a weighted sum of the unit's features (features.ts) with weights
 * fitted to Yosys on a corpus of designs (scripts/cost-corpus.ts, coefficients.ts, checked
 * by test/unit/cost.test.ts); DSP blocks, carry cells, block RAMs and flip-flops follow
 * from the datapath's widths; `depth` counts the logic levels of the slowest pipeline
 * stage, for comparing clock rates.
 */
export interface CostEstimate {
  readonly target: TargetName;
  readonly lut: number;
  readonly carry: number;
  readonly dsp: number;
  readonly bram: number;
  readonly ff: number;
  /** Logic levels (LUTs, with a carry chain counted by its length / 4) of the deepest stage. */
  readonly depth: number;
  /** What --method auto minimises: LUTs, with a DSP block or a block RAM counted as SCARCE LUTs. */
  readonly score: number;
}

/** How many LUTs a DSP block or a block RAM counts for in the score: the scarce resources. */
export const SCARCE = 16;

export function estimateCost(design: PwlDesign, targetName: TargetName): CostEstimate {
  const target = TARGETS[targetName];
  const features = modelFeatures(design, targetName);
  const coefficients = COEFFICIENTS[targetName];
  const bram = blockRams(design, targetName);
  const lut = Math.max(0, Math.round(lutSum(features, coefficients)));
  const adders = features.foldAdderBits + features.unfoldAdderBits + features.adderBits;
  const carry =
    targetName === "generic"
      ? 0
      : target.lutInputs === 6
        ? Math.ceil(adders / 4) + Math.ceil(features.multiplierLutBits / 4)
        : adders + features.multiplierLutBits;
  return {
    target: targetName,
    lut,
    carry,
    dsp: features.dsp,
    bram,
    ff: features.registerBits,
    depth: logicDepth(design, features, target.lutInputs),
    score: lut + SCARCE * (features.dsp + bram),
  };
}

/** The features the LUT estimate weighs (a ROM in block RAM costs no LUTs): what the fit sees. */
export function modelFeatures(design: PwlDesign, targetName: TargetName): Features {
  const features = designFeatures(design, TARGETS[targetName]);
  return blockRams(design, targetName) > 0 ? { ...features, romLuts: 0 } : features;
}

/** The fitted weighted sum of the features. */
export function lutSum(features: Features, coefficients: Coefficients): number {
  let total = coefficients.constant;
  for (const [name, weight] of Object.entries(coefficients.weights)) {
    total += weight * features[name as keyof Features];
  }
  return total;
}

/**
 * Block RAMs: with a register after the coefficient ROM (--pipeline 2 or more), Yosys
 * maps a large enough ROM to block RAM (iCE40: 256 x 16 bits each; 7-series: 512 x 36).
 */
function blockRams(design: PwlDesign, target: TargetName): number {
  if (design.pipeline < 2 || target === "generic") return 0;
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  let blocks = 0;
  for (const channel of tables) {
    const entries = romEntries(channel);
    const bits = width(channel.slopeFormat) + width(channel.interceptFormat);
    if (entries * bits < BRAM_THRESHOLD_BITS || entries < 32) continue;
    const [depth, wide] = target === "xc7" ? [512, 36] : [256, 16];
    blocks += Math.ceil(entries / depth) * Math.ceil(bits / wide);
  }
  return blocks;
}

/** ROMs smaller than this stay in logic. */
const BRAM_THRESHOLD_BITS = 2048;

/**
 * Logic levels of the slowest stage: the fold, the segment select and the ROM, the
 * multiplier, the add, rounding, saturation and unfold, cut where --pipeline registers.
 */
function logicDepth(design: PwlDesign, features: Features, lutInputs: number): number {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  let worst = 0;
  for (const channel of tables) worst = Math.max(worst, channelDepth(design, channel, features, lutInputs));
  return worst;
}

function channelDepth(design: PwlDesign, channel: PwlChannel, features: Features, lutInputs: number): number {
  const log = (bits: number): number => (bits <= 1 ? 0 : Math.ceil(Math.log(bits) / Math.log(lutInputs)));
  const chain = (bits: number): number => Math.ceil(bits / 4);
  const inputWidth = width(design.input);
  const fold = channel.fold.kind === "none" ? 0 : channel.fold.style === "ones" ? 1 : 1 + chain(inputWidth);
  const entries = romEntries(channel);
  const k = Math.max(1, Math.ceil(Math.log2(entries)));
  const select =
    channel.select.kind === "tree"
      ? Math.ceil(Math.log2(Math.max(2, channel.breakpoints.length))) * (1 + log(inputWidth))
      : 0;
  const rom = log(k) + 1;
  const multiply =
    features.dsp > 0 ? 4 : features.multiplierB + chain(features.multiplierA + features.multiplierB);
  const add = features.dsp > 0 ? 0 : chain(channel.accumulatorWidth);
  const tail = 1 + (channel.saturateLow || channel.saturateHigh ? 1 : 0);
  const unfold =
    features.unfoldAdderBits > 0 ? 1 + chain(width(channel.output)) : features.unfoldXorBits > 0 ? 1 : 0;
  // Stages between the cuts --pipeline adds (input register, after the ROM, after the multiplier, output).
  const stages = [fold + select + rom, multiply, add + tail + unfold];
  if (design.pipeline >= 3) return Math.max(...stages);
  if (design.pipeline >= 2) return Math.max(stages[0]!, stages[1]! + stages[2]!);
  return stages[0]! + stages[1]! + stages[2]!;
}
