import { type FixFormat, width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  isFolded,
  multiplierOperand,
  productWidth,
  romEntries,
  segmentCount,
  tableInput,
} from "../design/ir.js";
import { type Tap, romLogic, slopeColumn, treeIndexMuxes, usesWordTree, wordTreeNodes } from "../rtl/rom.js";
import { cutPoints } from "../rtl/view.js";
import { bitRuns, treeKnownBits, treeNodes } from "../segment/comparator.js";
import { rampShift, unfoldBase } from "../segment/fold.js";
import type { Target, TargetName } from "../synth/targets.js";

/**
 * What a unit's hardware is made of, counted from its IR alone (no synthesis): the inputs
 * of the cost model (model.ts). Each feature counts the bits or logic functions of one
 * block of the datapath as the Verilog view lays it out and as Yosys maps it (the rules
 * below were read off the cell counts of the calibration corpus, test/fixtures/
 * cost-corpus.json), so that a LUT count is a weighted sum of them whose weights are fitted
 * to Yosys per target (coefficients.ts).
 */
export interface Features {
  /** Bits of a two's complement fold |x| = x_neg ? ~x + 1 : x (an adder: a LUT and a carry per bit on iCE40). */
  readonly foldAdderBits: number;
  /** Table-code bits of a one's complement fold x ^ sign that reach the multiplier (an XOR each). */
  readonly foldXorBits: number;
  /** Comparators of a comparator tree. */
  readonly comparators: number;
  /** LUTs of the comparators taken one by one: a comparison reading m key bits is a chain of ceil((m - 1) / (L - 1)) L-input LUTs. */
  readonly compareLuts: number;
  /** Key bits the comparators read: from the constant's lowest set bit up (trailing zeros are free). */
  readonly compareBits: number;
  /** Index bits of the tree's nodes that are a multiplexer (neither constant nor a comparator's output). */
  readonly treeMuxes: number;
  /** A word tree's nodes (gen/rtl/rom.ts) that multiplex two varying ROM bits. */
  readonly wordMuxes: number;
  /** A word tree's nodes that gate a varying ROM bit with the comparison (the other half constant). */
  readonly wordGates: number;
  /** Distinct ROM output functions of the index's low L bits that are neither constant nor an index bit: one LUT each, shared between columns. */
  readonly romLeaves: number;
  /** Decision nodes above the index's low L bits in the ROM's shared binary decision diagram (index MSB first): the multiplexers joining the leaves. */
  readonly romNodes: number;
  /** DSP blocks the multiplier takes (Yosys's mul2dsp split, see dspMapping). */
  readonly dsp: number;
  /** Full adders of the carry-save tree of a multiply-add in logic (partial products and intercept, reduced to two rows). */
  readonly softFullAdders: number;
  /** Bits of the multiply-add's carry-propagate adder outside a DSP block. */
  readonly adderBits: number;
  /** Shift-add slopes: barrel-shifter multiplexers, product bits times the shift bits that vary (per live digit). */
  readonly shiftMuxBits: number;
  /** Shift-add slopes: bits of the adders that add the second and later live digits' terms. */
  readonly shiftAdderBits: number;
  /** Bits of the half-even rounding increment (the quotient's width). */
  readonly roundBits: number;
  /** Quotient bits of clamp comparisons that are not a sign test (each a carry chain on iCE40). */
  readonly saturateCompareBits: number;
  /** Output bits behind a clamp multiplexer, times the clamped sides. */
  readonly saturateMuxBits: number;
  /** Bits of a two's complement unfold (-y, C - y: a subtractor), on the table's output grid. */
  readonly unfoldAdderBits: number;
  /** Bits of a one's complement unfold (~y, or C - 1 - y as an XOR when C is a power of two). */
  readonly unfoldXorBits: number;
  /** Bits of a ramp fold's unfolding adder y + (x_neg ? c * x : 0), above both terms' zero low bits (with its gates). */
  readonly rampAdderBits: number;
  /** Flip-flops of the pipeline: the view's register cuts and the valid shift register, less the bits Yosys removes or a DSP or block RAM absorbs. */
  readonly registerBits: number;
  /** Block RAMs the coefficient ROMs go to (then they cost no LUTs). */
  readonly bram: number;
}

/** The features the LUT estimate weighs; the others feed the DSP, carry, FF and BRAM estimates. */
export const LUT_FEATURES: readonly (keyof Features)[] = [
  "foldAdderBits",
  "foldXorBits",
  "comparators",
  "compareLuts",
  "compareBits",
  "treeMuxes",
  "wordMuxes",
  "wordGates",
  "romLeaves",
  "romNodes",
  "softFullAdders",
  "adderBits",
  "shiftMuxBits",
  "shiftAdderBits",
  "roundBits",
  "saturateCompareBits",
  "saturateMuxBits",
  "unfoldAdderBits",
  "unfoldXorBits",
  "rampAdderBits",
  "registerBits",
];

/** The design's features on a target: the sum over its tables (y, and dy's own table). */
export function designFeatures(design: PwlDesign, target: Target): Features {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const tap = design.dy?.kind === "slope" ? design.dy : undefined;
  const parts = tables.map((channel, i) =>
    channelFeatures(
      design,
      channel,
      target,
      i === 0 && tap ? { values: tap.values, format: tap.output } : undefined,
    ),
  );
  const sum = Object.fromEntries(
    Object.keys(parts[0]!).map((key) => [
      key,
      parts.reduce((total, part) => total + part[key as keyof Features], 0),
    ]),
  ) as unknown as Features;
  return { ...sum, registerBits: registerBits(design, target, parts) };
}

function channelFeatures(
  design: PwlDesign,
  channel: PwlChannel,
  target: Target,
  tap: Tap | undefined,
): Features {
  const input = design.input;
  const folded = isFolded(channel);
  const ones = folded && channel.fold.style === "ones";
  const gridWidth = width(channel.output) - channel.outputShift;
  const quotientWidth = channel.accumulatorWidth - channel.productShift;
  const bram = blockRams(design, channel, target.name, tap);
  const shift = shiftAddFeatures(input, channel);
  const multiply = shift
    ? { dsp: 0, fullAdders: 0, adderBits: shift.firstAdderBits }
    : multiplyAdd(input, channel, target, bram > 0);
  // The unit as generated for this target: a small tree may be a word tree (target.treeWords).
  const words = usesWordTree(target.treeWords, channel, tap);
  const wordTree = words ? wordTreeNodes(channel, tap) : { muxes: 0, gates: 0 };
  const rom = bram > 0 || words ? { romLeaves: 0, romNodes: 0 } : romLogic(channel, tap, target.lutInputs);
  const unfold = unfoldShape(channel);
  // q < 0 is a sign test, and so is q > 2^n - 1 when Yosys can tell that q has at most
  // n + 1 bits (an all-unsigned sum of narrower terms); other clamps compare q with a constant.
  const lowIsSignTest = channel.saturateLow && !channel.output.signed;
  const known = knownQuotientWidth(input, channel);
  const highIsBitTest = channel.saturateHigh && known < quotientWidth && known <= gridWidth + 1;
  const compares =
    (channel.saturateLow && !lowIsSignTest ? 1 : 0) + (channel.saturateHigh && !highIsBitTest ? 1 : 0);
  return {
    foldAdderBits: folded && !ones ? width(input) : 0,
    foldXorBits: ones ? multiplierOperand(input, channel).width : 0,
    ...treeFeatures(input, channel, target.lutInputs, words),
    wordMuxes: wordTree.muxes,
    wordGates: wordTree.gates,
    ...rom,
    dsp: multiply.dsp,
    softFullAdders: multiply.fullAdders,
    adderBits: multiply.adderBits,
    shiftMuxBits: shift?.muxBits ?? 0,
    shiftAdderBits: shift?.adderBits ?? 0,
    roundBits: channel.shiftRounding === "half-even" && channel.productShift > 0 ? quotientWidth : 0,
    saturateCompareBits: compares * quotientWidth,
    saturateMuxBits: (Number(channel.saturateLow) + Number(channel.saturateHigh)) * gridWidth,
    unfoldAdderBits: unfold.kind === "adder" ? unfold.bits : 0,
    unfoldXorBits: unfold.kind === "xor" ? unfold.bits : 0,
    rampAdderBits: rampBits(channel).adder,
    registerBits: 0,
    bram,
  };
}

/**
 * The comparator tree as the view builds it (balanced, `below ? left : right` per node,
 * each comparison reading the key bits below its range's common prefix): its comparators,
 * their LUTs, and the index bits that need a multiplexer (none in a word tree).
 */
function treeFeatures(
  input: FixFormat,
  channel: PwlChannel,
  lutInputs: number,
  words: boolean,
): Pick<Features, "comparators" | "compareLuts" | "compareBits" | "treeMuxes"> {
  if (channel.select.kind !== "tree") return { comparators: 0, compareLuts: 0, compareBits: 0, treeMuxes: 0 };
  const table = tableInput(input, channel);
  const offset = table.signed ? 2 ** (table.width - 1) : 0;
  let compareLuts = 0;
  let compareBits = 0;
  for (const node of treeNodes(segmentCount(channel))) {
    const known = treeKnownBits(channel.breakpoints, node, table.width, offset);
    const runs = bitRuns((channel.breakpoints[node.mid]! + offset) % 2 ** known, known);
    const m = runs.length > 0 ? runs.at(-1)!.hi - runs[0]!.lo + 1 : 0;
    compareLuts += m > 1 ? Math.ceil((m - 1) / (lutInputs - 1)) : 0;
    compareBits += m;
  }
  const n = segmentCount(channel);
  return { comparators: n - 1, compareLuts, compareBits, treeMuxes: words ? 0 : treeIndexMuxes(n) };
}

/** How Yosys maps a target's multipliers to DSP blocks (techmap mul2dsp.v with synth_ice40 -dsp's and synth_xilinx's parameters). */
interface DspShape {
  readonly maxA: number;
  readonly maxB: number;
  readonly partialA: number;
  /** Operands narrower than this stay in logic. */
  readonly minOperand: number;
  /** Products narrower than this stay in logic. */
  readonly minProduct: number;
  /** DSP48E1 multiplies signed operands only: an unsigned one takes a bit more. */
  readonly signedOnly: boolean;
}

const DSP_SHAPES: Partial<Record<TargetName, DspShape>> = {
  ice40: { maxA: 16, maxB: 16, partialA: 16, minOperand: 2, minProduct: 11, signedOnly: false },
  xc7: { maxA: 25, maxB: 18, partialA: 18, minOperand: 2, minProduct: 9, signedOnly: true },
};

/**
 * The multiply-add acc = slope * o + (intercept << k) on a target. The view multiplies
 * $signed operands, an unsigned one with a zero sign bit, and Yosys's wreduce makes a
 * product of two unsigned operands an unsigned multiply again. On a DSP target, mul2dsp
 * splits a multiply wider than the block into DSP-sized parts and leaves parts with an
 * operand below the minimum width (and whole multiplies with a narrow product) to logic;
 * iCE40's SB_MAC16 takes the adder too (ice40_dsp), unless a mixed-sign product must be
 * sign-extended to the accumulator, and DSP48E1's does always (its C input). In logic, a
 * multiply-add is a carry-save tree of full adders over the partial products and the
 * intercept, and a carry-propagate adder for the two rows left.
 */
function multiplyAdd(
  input: FixFormat,
  channel: PwlChannel,
  target: Target,
  bram: boolean,
): { dsp: number; fullAdders: number; adderBits: number } {
  const operand = multiplierOperand(input, channel);
  const slope = channel.slopeFormat;
  const unsigned = !operand.signed && !slope.signed;
  const a = operand.width + (unsigned || operand.signed ? 0 : 1);
  const b = width(slope) + (unsigned || slope.signed ? 0 : 1);
  const limit = channel.accumulatorWidth;
  const k = channel.interceptShift;
  // Yosys propagates the ROM's constant columns (not out of a block RAM): a slope or
  // intercept bit that is 0 in every segment adds nothing.
  const live = (values: readonly number[], bits: number): number[] =>
    Array.from({ length: bits }, (_, bit) => bit).filter(
      (bit) => bram || values.some((v) => (Math.floor(v / 2 ** bit) & 1) === 1),
    );
  const interceptWidth = width(channel.interceptFormat);
  const signedIntercept = channel.interceptFormat.signed && channel.intercepts.some((c) => c < 0);
  const interceptRow = live(channel.intercepts, interceptWidth).map((bit) => ({
    from: k + bit,
    to: signedIntercept && bit === interceptWidth - 1 ? limit : k + bit + 1,
  }));
  const shape = target.dsp ? DSP_SHAPES[target.name] : undefined;
  if (!shape || Math.min(a + b, limit) < shape.minProduct || Math.min(a, b) < shape.minOperand) {
    // Rows of partial products: one per live slope bit, or one per operand bit if fewer.
    const slopeRows = live(channel.slopes, width(slope));
    const [rows, length] =
      slopeRows.length <= operand.width
        ? [slopeRows, operand.width]
        : [Array.from({ length: operand.width }, (_, bit) => bit), width(slope)];
    const bits = rows.map((row) => ({ from: row, to: unsigned ? row + length : limit }));
    return { dsp: 0, ...carrySave([...bits, ...interceptRow], limit) };
  }
  const extra = shape.signedOnly && unsigned ? 1 : 0;
  const split = mul2dsp(Math.max(a, b) + extra, Math.min(a, b) + extra, shape);
  if (split.soft > 0) {
    // The DSP blocks' product, the rows of the part in logic (the top of the wider
    // operand) and the intercept are summed in logic.
    const offset = Math.max(a, b) - split.soft;
    const rows = Array.from({ length: split.soft }, (_, row) => ({
      from: offset + row,
      to: unsigned ? offset + row + Math.min(a, b) : limit,
    }));
    return { dsp: split.dsp, ...carrySave([{ from: 0, to: limit }, ...rows, ...interceptRow], limit) };
  }
  const mixed = operand.signed !== slope.signed;
  const absorbed = target.name !== "ice40" || !mixed || a + b >= limit;
  return { dsp: split.dsp, fullAdders: 0, adderBits: absorbed ? 0 : Math.max(0, limit - k) };
}

/**
 * Shift-add slopes as the views build them: per digit a barrel shifter of the product's
 * width (a multiplier level per shift bit that is not the same in every segment; a digit
 * enabled in no segment is a constant zero Yosys removes), then one adder per live digit
 * (the terms and the intercept summed, each negation's +1 riding on a carry). Undefined for
 * a multiplier.
 */
function shiftAddFeatures(
  input: FixFormat,
  channel: PwlChannel,
): { muxBits: number; adderBits: number; firstAdderBits: number } | undefined {
  const shiftAdd = channel.shiftAdd;
  if (!shiftAdd) return undefined;
  const operand = multiplierOperand(input, channel);
  const limit = Math.min(productWidth(input, channel), channel.accumulatorWidth);
  let muxBits = 0;
  let live = 0;
  for (let d = 0; d < shiftAdd.digits; d++) {
    const shifts = shiftAdd.terms.map((terms) => terms[d]?.shift);
    if (shifts.every((v) => v === undefined)) continue;
    live++;
    const largest = Math.max(...shifts.map((v) => v ?? 0));
    let varying = 0;
    for (let bit = 0; 2 ** bit <= largest; bit++) {
      const values = new Set(shifts.map((v) => (v === undefined ? 0 : Math.floor(v / 2 ** bit) & 1)));
      if (values.size > 1) varying++;
    }
    muxBits += Math.min(limit, operand.width + largest) * varying;
  }
  // The first term's add is the multiply-add's own (adderBits); each further digit adds one.
  return { muxBits, adderBits: Math.max(0, live - 1) * limit, firstAdderBits: live > 0 ? limit : 0 };
}

/** mul2dsp.v's split of an a x b multiply (a >= b): DSP blocks, and the width of A left to logic. */
function mul2dsp(a: number, b: number, shape: DspShape): { dsp: number; soft: number } {
  const headroom = shape.signedOnly ? 1 : 0;
  const chunks = (total: number, max: number, partial: number): number[] => {
    if (total <= max) return [total];
    const n = Math.floor((total - max + partial - headroom - 1) / (partial - headroom));
    return [...Array.from({ length: n }, () => partial), total - n * (partial - headroom)];
  };
  let dsp = 0;
  let soft = 0;
  for (const x of chunks(a, shape.maxA, shape.partialA)) {
    for (const y of chunks(b, shape.maxB, shape.maxB)) {
      if (x < shape.minOperand) soft += x;
      else if (y >= shape.minOperand) dsp++;
    }
  }
  return { dsp, soft };
}

/**
 * A sum of rows of bits (each row the bits from..to-1 of the accumulator, a signed row
 * extended to its top) reduced column by column by full adders (three bits in, a sum and a
 * carry into the next column out) to two rows, then added by a carry-propagate adder: how
 * many full adders, and how many columns the final adder adds two bits in (a column of one
 * bit only passes the carry on, which Yosys's ice40_opt maps to a LUT, not a carry cell).
 */
function carrySave(
  rows: readonly { readonly from: number; readonly to: number }[],
  limit: number,
): { fullAdders: number; adderBits: number } {
  const heights = new Array<number>(limit + 1).fill(0);
  for (const row of rows) for (let c = row.from; c < Math.min(row.to, limit); c++) heights[c]!++;
  let fullAdders = 0;
  for (let c = 0; c < limit; c++) {
    while (heights[c]! > 2) {
      heights[c]! -= 2;
      heights[c + 1]!++;
      fullAdders++;
    }
  }
  return { fullAdders, adderBits: heights.slice(0, limit).filter((h) => h === 2).length };
}

/**
 * The quotient's width as Yosys's wreduce sees it: with an unsigned operand, slope and
 * intercept, the accumulator holds at most one bit more than its wider term.
 */
function knownQuotientWidth(input: FixFormat, channel: PwlChannel): number {
  const operand = multiplierOperand(input, channel);
  const unsigned = !operand.signed && !channel.slopeFormat.signed && !channel.interceptFormat.signed;
  const terms = Math.max(
    operand.width + width(channel.slopeFormat),
    width(channel.interceptFormat) + channel.interceptShift,
  );
  const accumulator = unsigned ? Math.min(channel.accumulatorWidth, terms + 1) : channel.accumulatorWidth;
  return accumulator - channel.productShift;
}

/**
 * A ramp fold's unfolding (view.ts): y + ramp, where ramp = c * x = {x, r zeros} gated by
 * the sign. The sum's bits below both terms' zero low bits need no adder; `live` are the
 * ramp term's bits that are not always zero (what a pipeline register keeps).
 */
function rampBits(channel: PwlChannel): { adder: number; live: number; zeros: number } {
  const outWidth = width(channel.output);
  const r = rampShift(channel.fold, outWidth);
  if (r === undefined) return { adder: 0, live: 0, zeros: channel.outputShift };
  return {
    adder: outWidth - Math.max(r, channel.outputShift),
    live: outWidth - r,
    zeros: Math.min(r, channel.outputShift),
  };
}

/** How a channel unfolds for negative x (view.ts unfoldExpr): nothing, an XOR or a subtractor, and on how many bits. */
function unfoldShape(channel: PwlChannel): { kind: "none" | "xor" | "adder"; bits: number } {
  if (unfoldBase(channel.fold) === undefined) return { kind: "none", bits: 0 };
  const outWidth = width(channel.output);
  const grid = outWidth - channel.outputShift;
  const fold = channel.fold;
  if (fold.style === "ones") {
    if (fold.kind === "odd") return { kind: "xor", bits: grid };
    const n = Math.log2(fold.constant);
    const [low, high] = channel.tableRange;
    if (Number.isInteger(n) && n >= 1 && n <= outWidth && low >= 0 && high < fold.constant) {
      return { kind: "xor", bits: Math.max(0, n - channel.outputShift) };
    }
  }
  // base - y = ~y + (base + 1): the carry chain starts at the lowest set bit of base + 1 (or
  // above the output's zero low bits); a one's complement point fold's C is often 2^n.
  const addend = unfoldBase(fold)! + 1;
  const modulus = 2 ** outWidth;
  const constant = ((addend % modulus) + modulus) % modulus;
  let low = 0;
  while (constant > 0 && Math.floor(constant / 2 ** low) % 2 === 0) low++;
  return { kind: "adder", bits: constant === 0 ? 0 : outWidth - Math.max(low, channel.outputShift) };
}

/**
 * Block RAMs: with a register after the coefficient ROM (--pipeline 2 or more), Yosys's
 * memory_libmap maps a large enough ROM with its output register to iCE40 block RAM
 * (SB_RAM40_4K, 256 x 16 bits each): in the corpus every such ROM of 32 entries or more
 * and 2048 bits or more, and no smaller one. On xc7 it keeps ROMs of the corpus's sizes
 * (up to 512 entries, 5 kbit) in LUTs; generic has no block RAM.
 */
function blockRams(design: PwlDesign, channel: PwlChannel, target: TargetName, tap: Tap | undefined): number {
  if (!cutPoints(design.pipeline).rom || (target !== "ice40" && target !== "ice40-hx")) return 0;
  const entries = 2 ** Math.max(1, Math.ceil(Math.log2(romEntries(channel))));
  const bits = slopeColumn(channel).width + width(channel.interceptFormat) + (tap ? width(tap.format) : 0);
  if (romEntries(channel) < 32 || entries * bits < 2048) return 0;
  return Math.ceil(entries / 256) * Math.ceil(bits / 16);
}

/**
 * Flip-flops: the registers of the view's cuts (cutPoints: the output; after the ROM the
 * multiplier operand, the sign, the coefficients; after the multiplier the products, the
 * sign, the intercepts; the input) and the valid shift register, less what Yosys removes
 * and what a DSP block or block RAM absorbs: registers of ROM columns that are constant
 * over the segments, of product bits above the accumulator, of output bits that are always
 * zero; on a DSP the operand register before the multiplier and the product register after
 * it (ice40_dsp and xilinx_dsp run before the memories are mapped, so the coefficient
 * registers, merged into the ROM's read port by memory_dff, are not absorbed); in a block
 * RAM the coefficient registers.
 */
function registerBits(design: PwlDesign, target: Target, parts: readonly Features[]): number {
  const cuts = cutPoints(design.pipeline);
  if (design.pipeline === 0) return 0;
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const tap = design.dy?.kind === "slope" ? design.dy : undefined;
  // A ramp fold gates its term with the sign before the ROM; the term, not the sign, is carried.
  const needsSign = tables.some(
    (t) =>
      isFolded(t) && t.fold.kind !== "ramp" && (t.fold.style === "ones" || unfoldBase(t.fold) !== undefined),
  );
  let bits = design.pipeline + (cuts.input ? width(design.input) : 0);
  const operands = new Set<string>();
  tables.forEach((channel, i) => {
    const part = parts[i]!;
    const dsp = part.dsp > 0 && part.softFullAdders === 0;
    const inBram = part.bram > 0;
    const column = slopeColumn(channel);
    const slope = liveBits(column.values, column.width);
    const intercept = liveBits(channel.intercepts, width(channel.interceptFormat));
    const tapBits = i === 0 && tap ? liveBits(tap.values, width(tap.output)) : 0;
    const operand = multiplierOperand(design.input, channel);
    const select = channel.select;
    const operandKey = `${channel.fold.kind === "none" ? "x" : channel.fold.style}|${channel.inputShift}|${select.kind === "index" && select.offset ? select.shift : "t"}`;
    const product = Math.min(channel.accumulatorWidth, productWidth(design.input, channel));
    if (cuts.rom) {
      if (!operands.has(operandKey) && !dsp) bits += operand.width;
      operands.add(operandKey);
      if (!inBram) bits += slope + intercept + tapBits;
    }
    // Product bits below the intercept's shift and the dropped fraction bits feed nothing.
    const unused =
      channel.shiftRounding === "truncate" ? Math.min(channel.interceptShift, channel.productShift) : 0;
    if (cuts.product) bits += (dsp ? 0 : product - unused) + intercept + tapBits;
    const unfolds = unfoldBase(channel.fold) !== undefined && channel.fold.style === "ones";
    const ramp = rampBits(channel);
    bits += (Number(cuts.rom) + Number(cuts.product)) * ramp.live;
    bits += width(channel.output) - (unfolds ? 0 : ramp.zeros);
  });
  if (tap)
    bits += unfoldBase(tap.fold) === undefined ? liveBits(tap.values, width(tap.output)) : width(tap.output);
  if (needsSign) bits += (cuts.rom ? 1 : 0) + (cuts.product ? 1 : 0);
  return bits;
}

/** Bits of a ROM column's values that are not the same in every segment. */
function liveBits(values: readonly number[], bits: number): number {
  const bit = (v: number, b: number): number => Math.floor(v / 2 ** b) & 1;
  return Array.from({ length: bits }, (_, b) => b).filter((b) =>
    values.some((v) => bit(v, b) !== bit(values[0]!, b)),
  ).length;
}
