import { width } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, shiftFieldBits } from "../design/ir.js";
import { TARGETS, type TargetName } from "../synth/targets.js";
import { COEFFICIENTS, type Coefficients } from "./coefficients.js";
import { type Features, designFeatures } from "./features.js";
import { channelWordTree } from "../rtl/rom.js";

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
  const lut = Math.max(0, Math.round(lutSum(features, COEFFICIENTS[targetName])));
  return {
    target: targetName,
    lut,
    carry: carryCells(features, targetName),
    dsp: features.dsp,
    bram: features.bram,
    ff: features.registerBits,
    depth: logicDepth(design, features, target.lutInputs, target.treeWords),
    score: lut + SCARCE * (features.dsp + features.bram),
  };
}

/** The features of a design on a target: what the fit sees and the estimate weighs. */
export function modelFeatures(design: PwlDesign, targetName: TargetName): Features {
  return designFeatures(design, TARGETS[targetName]);
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
 * Carry cells: Yosys builds every adder and every comparison with a non-constant operand
 * wider than a LUT as a carry chain (iCE40: an SB_CARRY per bit but the two lowest, which
 * a LUT covers; 7-series: a CARRY4 per 4 bits); generic has none.
 */
function carryCells(f: Features, target: TargetName): number {
  if (target === "generic") return 0;
  if (target === "xc7") {
    // CARRY4s: an adder's 4 bits each (chains of 2 bits or fewer are a LUT); a comparison
    // with a constant (cmp2lcu) 12 bits each.
    const adders = [f.foldAdderBits, f.unfoldAdderBits, f.rampAdderBits, f.adderBits, f.roundBits];
    const shiftAdders = f.shiftAdderBits > 0 ? Math.ceil(f.shiftAdderBits / 4) : 0;
    return (
      adders.reduce((sum, bits) => sum + (bits <= 2 ? 0 : Math.ceil(bits / 4)), 0) +
      shiftAdders +
      Math.floor(f.saturateCompareBits / 12)
    );
  }
  // An adder's lowest bit needs no carry cell; a negation's or a comparison's lowest two.
  const adders = [f.adderBits, f.roundBits, f.rampAdderBits, f.shiftAdderBits].reduce(
    (sum, bits) => sum + Math.max(0, bits - 1),
    0,
  );
  const others = [f.foldAdderBits, f.unfoldAdderBits, f.saturateCompareBits];
  return adders + others.reduce((sum, bits) => sum + Math.max(0, bits - 2), 0);
}

/**
 * Logic levels of the slowest stage: the fold, the segment select and the ROM, the
 * multiplier, the add, rounding, saturation and unfold, cut where --pipeline registers.
 */
function logicDepth(design: PwlDesign, features: Features, lutInputs: number, treeWords: boolean): number {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  let worst = 0;
  for (const channel of tables)
    worst = Math.max(worst, channelDepth(design, channel, features, lutInputs, treeWords));
  return worst;
}

function channelDepth(
  design: PwlDesign,
  channel: PwlChannel,
  features: Features,
  lutInputs: number,
  treeWords: boolean,
): number {
  const log = (bits: number): number => (bits <= 1 ? 0 : Math.ceil(Math.log(bits) / Math.log(lutInputs)));
  const chain = (bits: number): number => Math.ceil(bits / 4);
  const inputWidth = width(design.input);
  const fold = channel.fold.kind === "none" ? 0 : channel.fold.style === "ones" ? 1 : 1 + chain(inputWidth);
  const entries =
    channel.select.kind === "index" ? 2 ** channel.select.indexBits : channel.breakpoints.length;
  const k = Math.max(1, Math.ceil(Math.log2(entries)));
  const select =
    channel.select.kind === "tree"
      ? Math.ceil(Math.log2(Math.max(2, channel.breakpoints.length))) * (1 + log(inputWidth))
      : 0;
  // A word tree's nodes select the words themselves: no ROM lookup after the tree.
  const rom = channelWordTree(design, channel, treeWords) ? 0 : log(k) + 1;
  const soft = features.softFullAdders > 0;
  const multiply = channel.shiftAdd
    ? shiftFieldBits(channel.shiftAdd) + channel.shiftAdd.digits * chain(channel.accumulatorWidth)
    : features.dsp > 0 && !soft
      ? 4
      : width(channel.slopeFormat) + chain(channel.accumulatorWidth);
  const add = features.adderBits > 0 ? chain(channel.accumulatorWidth) : 0;
  const tail = 1 + (channel.saturateLow || channel.saturateHigh ? 1 : 0);
  const unfold =
    features.unfoldAdderBits > 0 || features.rampAdderBits > 0
      ? 1 + chain(width(channel.output))
      : features.unfoldXorBits > 0
        ? 1
        : 0;
  // Stages between the cuts --pipeline adds (input register, after the ROM, after the multiplier, output).
  const stages = [fold + select + rom, multiply, add + tail + unfold];
  if (design.pipeline >= 3) return Math.max(...stages);
  if (design.pipeline >= 2) return Math.max(stages[0]!, stages[1]! + stages[2]!);
  return stages[0]! + stages[1]! + stages[2]!;
}
