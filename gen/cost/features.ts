import { width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  isFolded,
  multiplierOperand,
  romEntries,
  segmentCount,
  segmentOf,
  tableInput,
} from "../design/ir.js";
import { moduleView } from "../rtl/view.js";
import { bitRuns } from "../rtl/verilog.js";
import { unfoldBase } from "../segment/fold.js";
import type { Target } from "../synth/targets.js";

/**
 * What a unit's hardware is made of, counted from its IR alone (no synthesis): the inputs
 * of the cost model (model.ts). Each feature counts the bits or logic functions of one
 * block of the datapath the Verilog view lays out, so that a LUT count is a weighted sum
 * of them whose weights are fitted to Yosys per target (coefficients.ts).
 */
export interface Features {
  /** Bits of a two's complement fold |x| (an adder with a carry chain). */
  readonly foldAdderBits: number;
  /** Bits of a one's complement fold x ^ sign that reach the multiplier (one XOR each). */
  readonly foldXorBits: number;
  /** Comparators of a comparator tree, and the sum of their significant key bits. */
  readonly comparators: number;
  readonly compareBits: number;
  /** 2:1 multiplexer bits of the tree's index network: (n - 1) x index width. */
  readonly treeMuxBits: number;
  /** The ROM as logic: estimated LUTs over every output bit (see romLuts). */
  readonly romLuts: number;
  /** ROM output bits that are neither constant nor an address bit. */
  readonly romColumns: number;
  /** Multiplier operand widths: the table code (or its offset) and the slope, as signed operands. */
  readonly multiplierA: number;
  readonly multiplierB: number;
  /** Partial-product bits a x b of a multiplier built from LUTs (0 when it fits a DSP block). */
  readonly multiplierLutBits: number;
  /** DSP blocks the multiplier takes on this target. */
  readonly dsp: number;
  /** Bits of the multiply-add's adder that a DSP block does not absorb. */
  readonly adderBits: number;
  /** Bits of the half-even rounding increment. */
  readonly roundBits: number;
  /** Output bits behind a clamp multiplexer, times the clamped sides. */
  readonly saturateBits: number;
  /** Bits of a two's complement unfold (-y, C - y: a subtractor). */
  readonly unfoldAdderBits: number;
  /** Bits of a one's complement unfold (~y, C - 1 - y as an XOR). */
  readonly unfoldXorBits: number;
  /** Pipeline register bits (the view's cuts), and the valid shift register. */
  readonly registerBits: number;
}

/** The features the LUT estimate weighs; the others feed the DSP, carry, FF and depth estimates. */
export const LUT_FEATURES: readonly (keyof Features)[] = [
  "foldAdderBits",
  "foldXorBits",
  "comparators",
  "compareBits",
  "treeMuxBits",
  "romLuts",
  "multiplierLutBits",
  "adderBits",
  "roundBits",
  "saturateBits",
  "unfoldAdderBits",
  "unfoldXorBits",
];

/** The design's features on a target: the sum over its tables (y, and dy's own table). */
export function designFeatures(design: PwlDesign, target: Target): Features {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const tapBits = design.dy?.kind === "slope" ? width(design.dy.output) : 0;
  const parts = tables.map((channel, i) => channelFeatures(design, channel, target, i === 0 ? tapBits : 0));
  const sum = Object.fromEntries(
    Object.keys(parts[0]!).map((key) => [
      key,
      parts.reduce((total, part) => total + part[key as keyof Features], 0),
    ]),
  ) as unknown as Features;
  return { ...sum, registerBits: registerBits(design) };
}

function channelFeatures(design: PwlDesign, channel: PwlChannel, target: Target, tapBits: number): Features {
  const input = design.input;
  const table = tableInput(input, channel);
  const operand = multiplierOperand(input, channel);
  const n = segmentCount(channel);
  const entries = romEntries(channel);
  const folded = isFolded(channel);
  const ones = folded && channel.fold.style === "ones";
  const slopeWidth = width(channel.slopeFormat);
  // The multiplier's operands as Verilog writes them: unsigned ones gain a sign bit.
  const a = operand.width + (operand.signed ? 0 : 1);
  const b = slopeWidth + (channel.slopeFormat.signed ? 0 : 1);
  const dsp = dspBlocks(a, b, target);
  const outWidth = width(channel.output);
  const gridWidth = outWidth - channel.outputShift;
  const quotientWidth = channel.accumulatorWidth - channel.productShift;
  const unfolds = unfoldBase(channel.fold) !== undefined;

  let comparators = 0;
  let compareBits = 0;
  if (channel.select.kind === "tree") {
    const offset = table.signed ? 2 ** (table.width - 1) : 0;
    for (const breakpoint of channel.breakpoints.slice(1)) {
      comparators++;
      const runs = bitRuns(breakpoint + offset, table.width);
      compareBits += runs.length > 0 ? runs.at(-1)!.hi - runs[0]!.lo + 1 : 0;
    }
  }
  const indexWidth = Math.max(1, Math.ceil(Math.log2(entries)));
  return {
    foldAdderBits: folded && !ones ? width(input) : 0,
    foldXorBits: ones ? operand.width : 0,
    comparators,
    compareBits,
    treeMuxBits: channel.select.kind === "tree" ? Math.max(0, n - 1) * indexWidth : 0,
    ...romFeatures(channel, tapBits, target.lutInputs),
    multiplierA: a,
    multiplierB: b,
    multiplierLutBits: dsp > 0 ? 0 : a * b,
    dsp,
    adderBits: dsp > 0 ? 0 : Math.max(0, channel.accumulatorWidth - channel.interceptShift),
    roundBits: channel.shiftRounding === "half-even" && channel.productShift > 0 ? quotientWidth : 0,
    saturateBits: (Number(channel.saturateLow) + Number(channel.saturateHigh)) * gridWidth,
    unfoldAdderBits: unfolds && !ones ? outWidth : 0,
    unfoldXorBits: unfolds && ones ? xorBits(channel) : 0,
    registerBits: 0,
  };
}

/**
 * DSP blocks for an a x b signed multiply: SB_MAC16 takes 16 x 16, DSP48E1 25 x 18 (signed,
 * so 24 x 17 unsigned bits); Yosys leaves multiplies with an operand of one bit to logic.
 */
function dspBlocks(a: number, b: number, target: Target): number {
  if (!target.dsp || a < 2 || b < 2) return 0;
  const [wa, wb] = target.lutInputs === 6 ? [25, 18] : [16, 16];
  const tiles = (x: number, y: number): number => Math.ceil(x / wa) * Math.ceil(y / wb);
  return Math.min(tiles(a, b), tiles(b, a));
}

/** Output bits a one's complement unfold inverts: all of them (odd), or log2(C) (point, C = 2^n). */
function xorBits(channel: PwlChannel): number {
  const n = Math.log2(channel.fold.constant);
  return channel.fold.kind === "point" && Number.isInteger(n) ? n : width(channel.output);
}

/**
 * The coefficient ROM as logic. Each output bit (a column of the ROM over its entries) is
 * a function of the index bits: free when constant or equal to an index bit, one LUT when
 * the index fits a LUT, otherwise the cheaper of a multiplexer tree of LUTs and a sum of
 * comparisons, one per place where the column changes value along the index (smooth
 * coefficients change rarely in their high bits, which is why a ROM of a smooth function
 * costs far less than its bit count).
 */
function romFeatures(
  channel: PwlChannel,
  tapBits: number,
  lutInputs: number,
): { romLuts: number; romColumns: number } {
  const entries = romEntries(channel);
  if (segmentCount(channel) === 1) return { romLuts: 0, romColumns: 0 };
  const k = Math.max(1, Math.ceil(Math.log2(entries)));
  const select = channel.select;
  const segmentOfEntry = (entry: number): number =>
    select.kind === "index"
      ? segmentOf(channel.breakpoints, channel.first + entry * 2 ** select.shift)
      : entry;
  const words: number[][] = [];
  const columns: { values: readonly number[]; width: number }[] = [
    { values: channel.slopes, width: width(channel.slopeFormat) },
    { values: channel.intercepts, width: width(channel.interceptFormat) },
  ];
  for (const column of columns) {
    for (let bit = 0; bit < column.width; bit++) {
      words.push(
        Array.from({ length: entries }, (_, entry) => {
          const value = column.values[segmentOfEntry(entry)]!;
          return Math.floor(value / 2 ** bit) & 1;
        }),
      );
    }
  }
  let luts = 0;
  let live = 0;
  const mux = lutInputs >= k ? 1 : lutInputs === 6 ? 2 ** (k - 6) : 2 ** (k - lutInputs + 1) - 1;
  const perChange = Math.ceil((k - 1) / (lutInputs - 1));
  for (const bits of words) {
    if (bits.every((v) => v === bits[0])) continue;
    if (isAddressBit(bits, k)) continue;
    live++;
    let changes = 0;
    for (let i = 1; i < bits.length; i++) if (bits[i] !== bits[i - 1]) changes++;
    luts += Math.min(mux, Math.max(1, changes * perChange));
  }
  // A slope tap's column (dy = the segment's slope) is one more column per bit.
  return { romLuts: luts + tapBits * Math.min(mux, k), romColumns: live + tapBits };
}

/** Whether a column equals an index bit or its complement (a wire, no LUT). */
function isAddressBit(bits: readonly number[], k: number): boolean {
  for (let b = 0; b < k; b++) {
    const same = bits.every((v, i) => v === ((i >> b) & 1));
    const inverted = bits.every((v, i) => v !== ((i >> b) & 1));
    if (same || inverted) return true;
  }
  return false;
}

/** Register bits of the pipeline, read off the Verilog view's cuts (what the module declares). */
function registerBits(design: PwlDesign): number {
  if (design.pipeline === 0) return 0;
  const view = moduleView(design);
  const cuts = [view.inputCut, view.romCut, view.productCut, view.outputCut];
  let bits = design.pipeline; // the valid shift register
  for (const cut of cuts) {
    if (!cut) continue;
    for (const register of cut.registers) bits += declaredWidth(register.decl);
  }
  return bits;
}

function declaredWidth(decl: string): number {
  const match = /\[(\d+):(\d+)\]/.exec(decl);
  return match ? Number(match[1]) - Number(match[2]) + 1 : 1;
}
