import { type FixFormat, formatName, maxCode, minCode, toReal, width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  type SlopeTap,
  architectureText,
  hardwareSummary,
  isFolded,
  multiplierOperand,
  romEntries,
  segmentCount,
  segmentOf,
  productWidth as productWidthOf,
  shiftFieldBits,
  slopeFieldBits,
  tableInput,
  type FoldForm,
} from "../design/ir.js";
import { type Fold, type FoldStyle, rampShift, unfoldBase } from "../segment/fold.js";
import { showReal } from "../spec/bound.js";
import { TOOL_NAME } from "../paths.js";
import { counted } from "../text.js";
import { belowConstant, index, literal, range, resize } from "./verilog.js";
import { channelWordTree, romColumns } from "./rom.js";
import { treeKnownBits, treeNodes } from "../segment/comparator.js";

/**
 * The Verilog view model: every name, width, literal and expression the templates print,
 * computed here from the IR so the templates only loop and insert. Nothing here evaluates
 * the approximated function or the datapath; it only lays out what the IR says.
 *
 * Per channel (y, and dy for --derivative pwl): segment select (comparator tree or the
 * table input's top bits), coefficient ROM, multiply-add, rounding, saturation, and the
 * unfolding of a symmetric table. Pipeline cuts, in the order they are added as
 * --pipeline grows: K=1 output register; K=2 + after the coefficient ROM; K=3 + after the
 * multipliers; K=4 + input register. All channels share the cuts, so they share latency.
 */
export interface ModuleView {
  readonly header: readonly string[];
  readonly module: string;
  readonly ports: readonly PortView[];
  readonly inputCut: CutView | false;
  readonly fold: FoldView | false;
  readonly channels: readonly ChannelView[];
  readonly romCut: CutView | false;
  readonly productCut: CutView | false;
  readonly outputCut: CutView | false;
  /** dy from a slope tap, negated for negative x when y's table is even. */
  readonly tapUnfold: Declared | false;
  readonly outputs: readonly { readonly port: string; readonly expr: string }[];
  readonly valid: ValidView | false;
}

export interface PortView {
  readonly line: string;
  readonly last: boolean;
}

export interface Declared {
  readonly decl: string;
  readonly name: string;
  readonly expr: string;
}

/** A segment-select wire, with what it compares in input codes (empty for none). */
export interface SelectWire extends Declared {
  readonly comment: string;
}

export interface RegisterView {
  readonly decl: string;
  readonly name: string;
  readonly source: string;
}

export interface CutView {
  readonly comment: string;
  readonly registers: readonly RegisterView[];
}

export interface FoldView {
  readonly comment: string;
  readonly wires: readonly Declared[];
}

export interface ChannelView {
  readonly selectComment: string;
  /** Wires that compute the segment index (tree nodes, or the top-bit slice), last = the index; or a word tree's nodes, last = the root word. */
  readonly select: readonly SelectWire[];
  readonly rom: RomView;
  /** Shift-add slopes: what the wires below compute. */
  readonly multiplyComment: string | false;
  /** The product's wires: one multiply, or the shift-add terms and their sum (last). */
  readonly multiply: readonly Declared[];
  readonly datapath: DatapathView;
}

export interface RomView {
  readonly comment: string;
  readonly index: string;
  /** The ROM's columns: slope, intercept, and dy for a slope tap. */
  readonly columns: readonly { readonly decl: string; readonly name: string }[];
  /** A single segment: the columns are constants; a word tree: slices of its root word. */
  readonly constants: readonly Declared[] | false;
  readonly cases: readonly RomCaseView[];
  readonly last: RomCaseView | false;
}

export interface RomCaseView {
  readonly label: string;
  readonly assignments: string;
  readonly comment: string;
}

export interface DatapathView {
  readonly comment: string;
  readonly wires: readonly Declared[];
  readonly roundComment: string;
  readonly roundWires: readonly Declared[];
  readonly saturateComment: string;
  /** The clamped code of the table's grid, when its low output bits are zero. */
  readonly coarse: Declared | false;
  readonly result: Declared;
  readonly unfold: { readonly comment: string; readonly wire: Declared } | false;
  readonly unused: Declared | false;
}

export interface ValidView {
  readonly decl: string;
  readonly reset: string;
  readonly shift: string;
  readonly out: string;
}

/** A signal as it travels through the pipeline: its current name and its declaration type. */
interface Signal {
  name: string;
  readonly decl: string;
}

export function moduleView(design: PwlDesign): ModuleView {
  const cuts = cutPoints(design.pipeline);
  const xWidth = width(design.input);
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const tap = design.dy?.kind === "slope" ? design.dy : undefined;
  let stage = 0;
  const cut = (what: string, registers: RegisterView[]): CutView => ({
    comment: `Pipeline stage ${++stage}: ${what}.`,
    registers,
  });
  const carry = (signals: Signal[], suffix: string): RegisterView[] =>
    signals.map((signal) => {
      const register = {
        decl: signal.decl,
        name: `${signal.name.replace(/_q\d$/, "")}_${suffix}`,
        source: signal.name,
      };
      signal.name = register.name;
      return register;
    });

  // Stage 0: the input, optionally registered.
  const x: Signal = { name: "x", decl: range(xWidth, design.input.signed) };
  const inputCut = cuts.input ? cut("input register", carry([x], "q0")) : false;

  // Folding: a magnitude of x for symmetric tables, and the sign for unfolding the outputs.
  const { styles, needsSign, unfoldsWithSign } = foldSigns(design);
  const sign: Signal = { name: "x_neg", decl: "" };
  const magnitudes: Record<FoldStyle, Signal> = {
    twos: { name: "x_mag", decl: range(xWidth, false) },
    ones: { name: "x_ones", decl: range(xWidth - 1, false) },
  };
  const foldWires: Declared[] = [];
  if (needsSign) foldWires.push({ decl: "", name: sign.name, expr: `${x.name}[${xWidth - 1}]` });
  if (styles.has("twos")) {
    const negative = needsSign ? sign.name : `${x.name}[${xWidth - 1}]`;
    foldWires.push({
      ...magnitudes.twos,
      expr:
        design.foldForm === "carry"
          ? `(${x.name} - {${xWidth - 1}'b0, ${negative}}) ^ {${xWidth}{${negative}}}`
          : `${negative} ? (~${x.name} + ${literal(1, xWidth, false)}) : ${x.name}`,
    });
  }
  if (styles.has("ones")) {
    foldWires.push({
      ...magnitudes.ones,
      expr: `${x.name}[${xWidth - 2}:0] ^ {${xWidth - 1}{${sign.name}}}`,
    });
  }
  // Ramp folds add c * x = {x, r zeros} to y for negative x: gated here and added after the
  // table, or in the carry form added after the table and the sum selected by the sign.
  const rampTerms = rampLayouts(design);
  const rampSelects = design.foldForm === "carry";
  const ramps = rampTerms.map((term, i): Signal | undefined => {
    if (!term) return undefined;
    const signed = tables[i]!.output.signed;
    const ramp: Signal = { name: term.name, decl: range(term.outWidth, signed) };
    const bits =
      term.extend > 0
        ? `{{${term.extend}{${x.name}[${xWidth - 1}]}}, ${x.name}}`
        : `${x.name}[${term.body - 1}:0]`;
    const shifted = term.shift > 0 ? `{${bits}, ${term.shift}'b0}` : bits;
    foldWires.push({
      ...ramp,
      expr: rampSelects ? shifted : `${sign.name} ? ${shifted} : ${literal(0, term.outWidth, signed)}`,
    });
    return ramp;
  });
  const fold: FoldView | false =
    foldWires.length > 0
      ? {
          comment: [
            "Fold by symmetry:",
            styles.has("twos")
              ? `x_mag = |x| (2^(w-1) for the most negative x${design.foldForm === "carry" ? ", computed as ~(x - 1) for negative x" : ""});`
              : "",
            styles.has("ones") ? "x_ones = x ^ sign (-x - 1 for negative x, one XOR per bit);" : "",
            ...rampTerms.flatMap((term, i) =>
              term
                ? [
                    rampSelects
                      ? `${term.name} = ${tables[i]!.fold.constant} * x, added only for negative x;`
                      : term.comment,
                  ]
                : [],
            ),
            "outputs unfold below.",
          ]
            .filter(Boolean)
            .join(" "),
          wires: foldWires,
        }
      : false;
  const foldedInputOf = (channel: PwlChannel): Signal =>
    isFolded(channel) ? magnitudes[channel.fold.style] : x;

  // Selection and ROMs.
  const unused: string[][] = tables.map(() => []);
  // Channels that read the same operand share one signal (and one pipeline register).
  const operands = new Map<string, Signal>();
  const channelParts = tables.map((channel, i) => {
    const folded = foldedInputOf(channel);
    // The low input bits the table drops.
    if (channel.inputShift > 0) unused[i]!.push(`${folded.name}[${channel.inputShift - 1}:0]`);
    const parts = selectAndRom(
      channel,
      folded.name,
      design.input,
      channel === design.y ? tap : undefined,
      channelWordTree(design, channel),
    );
    const operand = operands.get(parts.operand.name) ?? { ...parts.operand };
    operands.set(operand.name, operand);
    return { channel, ...parts, operand };
  });

  const liveAfterRom: Signal[] = [];
  const addLive = (signal: Signal): void => {
    if (!liveAfterRom.includes(signal)) liveAfterRom.push(signal);
  };
  channelParts.forEach((part) => addLive(part.operand));
  // The sign goes past the ROM when an output unfolds with it.
  const signAfterRom = unfoldsWithSign || (rampSelects && ramps.some((r) => r !== undefined));
  if (signAfterRom) addLive(sign);
  for (const ramp of ramps) if (ramp) addLive(ramp);
  const coefficients = channelParts.map((part) => ({
    slope: { name: part.rom.columns[0]!.name, decl: part.rom.columns[0]!.decl },
    intercept: { name: part.rom.columns[1]!.name, decl: part.rom.columns[1]!.decl },
  }));
  const tapSignal: Signal | undefined = tap
    ? { name: channelParts[0]!.rom.columns[2]!.name, decl: channelParts[0]!.rom.columns[2]!.decl }
    : undefined;
  const romCut = cuts.rom
    ? cut(
        "registers after segment select and the coefficient ROMs",
        carry(
          [
            ...liveAfterRom,
            ...coefficients.flatMap((c) => [c.slope, c.intercept]),
            ...(tapSignal ? [tapSignal] : []),
          ],
          "q1",
        ),
      )
    : false;

  // Multipliers: both operands signed; unsigned ones gain a zero sign bit.
  const products = channelParts.map((part, i) => {
    const channel = part.channel;
    const operandType = multiplierOperand(design.input, channel);
    const slopeFormat = channel.slopeFormat;
    const operand = part.operand;
    const left = operandType.signed ? operand.name : `$signed({1'b0, ${operand.name}})`;
    const right = slopeFormat.signed
      ? coefficients[i]!.slope.name
      : `$signed({1'b0, ${coefficients[i]!.slope.name}})`;
    const productWidth = productWidthOf(design.input, channel);
    const signal: Signal = { name: `${channel.port}_product`, decl: range(productWidth, true) };
    const layout = shiftAddLayout(channel);
    if (!layout) {
      return {
        signal,
        wires: [{ ...signal, expr: `${left} * ${right}` }],
        comment: false as const,
        productWidth,
      };
    }
    // Shift-add: each digit's term is the operand, zeroed unless the digit is enabled,
    // shifted left, and inverted when negative (the +1 of each negation joins the sum);
    // modulo 2^productWidth the sum is slope * operand exactly.
    const P = productWidth;
    const slope = coefficients[i]!.slope.name;
    const extended = `${channel.port}_shift_operand`;
    const pad = P - operandType.width;
    const fill = operandType.signed ? `{${pad}{${operand.name}[${operandType.width - 1}]}}` : `${pad}'d0`;
    const wires: Declared[] = [{ decl: range(P, false), name: extended, expr: `{${fill}, ${operand.name}}` }];
    const terms: string[] = [];
    const carries: string[] = [];
    for (let d = 0; d < layout.digits; d++) {
      const f = layout.field(d);
      const name = `${channel.port}_term${d}`;
      wires.push({
        decl: range(P, false),
        name,
        expr: `({${P}{${slope}[${f.enable}]}} & ${extended}) << ${slope}[${f.shiftHi}:${f.shiftLo}]`,
      });
      terms.push(`(${name} ^ {${P}{${slope}[${f.negative}]}})`);
      carries.push(`{${P - 1}'d0, ${slope}[${f.negative}]}`);
    }
    wires.push({ ...signal, expr: `$signed(${[...terms, ...carries].join(" + ")})` });
    const comment = `${channel.port}: shift-add, slope * ${operand.name} as ${counted(layout.digits, "signed power-of-two digit")} (per digit in ${slope}: enable, sign, ${layout.shiftBits}-bit shift).`;
    return { signal, wires, comment, productWidth };
  });
  const multiplies = products.map((p) => p.wires);
  const productCut = cuts.product
    ? cut(
        "registers after the multipliers",
        carry(
          [
            ...(signAfterRom ? [sign] : []),
            ...ramps.filter((r): r is Signal => r !== undefined),
            ...products.map((p) => p.signal),
            ...coefficients.map((c) => c.intercept),
            ...(tapSignal ? [tapSignal] : []),
          ],
          "q2",
        ),
      )
    : false;

  const datapaths = channelParts.map((part, i) =>
    datapathView(
      part.channel,
      products[i]!.signal.name,
      products[i]!.productWidth,
      coefficients[i]!.intercept.name,
      sign.name,
      design.foldForm,
      ramps[i]?.name,
      unused[i]!,
    ),
  );

  const outputs: { port: string; signal: Signal }[] = tables.map((channel, i) => ({
    port: channel.port,
    signal: { name: datapaths[i]!.final, decl: range(width(channel.output), channel.output.signed) },
  }));
  let tapUnfold: Declared | undefined;
  if (tap && tapSignal) {
    const tapOut = unfoldExpr(
      tap.fold,
      tapSignal.name,
      sign.name,
      design.foldForm,
      width(tap.output),
      tap.output.signed,
    );
    if (tapOut)
      tapUnfold = { decl: range(width(tap.output), tap.output.signed), name: "dy_unfolded", expr: tapOut };
    outputs.push({
      port: tap.port,
      signal: {
        name: tapUnfold ? tapUnfold.name : tapSignal.name,
        decl: range(width(tap.output), tap.output.signed),
      },
    });
  }
  const outputCut = cuts.output
    ? cut(
        "output registers",
        carry(
          outputs.map((o) => o.signal),
          "q",
        ),
      )
    : false;

  const pipelined = design.pipeline > 0;
  const ports: string[] = pipelined ? ["input  wire clk", "input  wire rst", "input  wire in_valid"] : [];
  ports.push(`input  wire ${range(xWidth, design.input.signed)} x`);
  if (pipelined) ports.push("output wire out_valid");
  for (const o of outputs) ports.push(`output wire ${o.signal.decl} ${o.port}`);

  return {
    header: headerLines(design),
    module: design.module,
    ports: ports.map((line, i) => ({ line, last: i === ports.length - 1 })),
    inputCut,
    fold,
    channels: channelParts.map((part, i) => ({
      selectComment: part.selectComment,
      select: part.select,
      rom: part.rom,
      multiplyComment: products[i]!.comment,
      multiply: multiplies[i]!,
      datapath: {
        ...datapaths[i]!.view,
        unused:
          unused[i]!.length > 0
            ? { decl: "", name: `unused_${part.channel.port}_bits`, expr: `^{${unused[i]!.join(", ")}}` }
            : false,
      },
    })),
    romCut,
    productCut,
    outputCut,
    tapUnfold: tapUnfold ?? false,
    outputs: outputs.map((o) => ({ port: o.port, expr: o.signal.name })),
    valid: pipelined ? validView(design.pipeline) : false,
  };
}

/**
 * How a design folds, for the HDL views (Verilog here, VHDL in gen/export/vhdl.ts): the
 * fold styles its tables use, whether the sign of x is read at all (the one's complement
 * fold reads it, and so does unfolding) and whether it is carried past the fold (only odd
 * and point-symmetric outputs unfold with it; an even table's outputs need no unfolding).
 */
export function foldSigns(design: PwlDesign): {
  styles: ReadonlySet<FoldStyle>;
  needsSign: boolean;
  unfoldsWithSign: boolean;
} {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const folds = [...tables.map((t) => t.fold), ...(design.dy?.kind === "slope" ? [design.dy.fold] : [])];
  const styles = new Set(tables.filter(isFolded).map((t) => t.fold.style));
  const unfoldsWithSign = folds.some((fold) => fold.kind === "odd" || fold.kind === "point");
  // A ramp fold's term is gated with the sign before the ROM (the sign itself goes no further).
  const ramps = tables.some((t) => rampShift(t.fold, width(t.output)) !== undefined);
  return { styles, needsSign: styles.has("ones") || unfoldsWithSign || ramps, unfoldsWithSign };
}

/**
 * A ramp fold's term as both HDL views lay it out, per table (y, then dy's own table):
 * c * x = {x, shift zeros} in outWidth bits, gated by the sign, where x is cut to its low
 * `body` bits or sign-extended by `extend` bits. Undefined for a table without one.
 */
export interface RampLayout {
  readonly name: string;
  readonly outWidth: number;
  readonly shift: number;
  readonly body: number;
  readonly extend: number;
  readonly comment: string;
}

export function rampLayouts(design: PwlDesign): (RampLayout | undefined)[] {
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  return tables.map((channel) => {
    const outWidth = width(channel.output);
    const shift = rampShift(channel.fold, outWidth);
    if (shift === undefined) return undefined;
    const name = `${channel.port}_ramp`;
    const body = outWidth - shift;
    return {
      name,
      outWidth,
      shift,
      body,
      extend: Math.max(0, body - width(design.input)),
      comment: `${name} = ${channel.fold.constant} * x for negative x, else 0;`,
    };
  });
}

/**
 * How both HDL views store shift-add slopes: per segment a word of `digits` fields, the
 * slope's first (highest) digit in the top field; a field is an enable bit, a sign bit
 * (1: subtract) and the shift, top down. Unused fields are 0. Undefined for a multiplier.
 */
export interface ShiftAddLayout {
  readonly digits: number;
  readonly shiftBits: number;
  readonly width: number;
  /** The ROM word of each segment. */
  readonly words: readonly number[];
  /** Bit positions of field d (0 = the top field) in the word. */
  field(d: number): { enable: number; negative: number; shiftHi: number; shiftLo: number };
}

export function shiftAddLayout(channel: PwlChannel): ShiftAddLayout | undefined {
  const shiftAdd = channel.shiftAdd;
  if (!shiftAdd) return undefined;
  const shiftBits = shiftFieldBits(shiftAdd);
  const fieldBits = 2 + shiftBits;
  const digits = shiftAdd.digits;
  const field = (d: number): { enable: number; negative: number; shiftHi: number; shiftLo: number } => {
    const lo = (digits - 1 - d) * fieldBits;
    return {
      enable: lo + fieldBits - 1,
      negative: lo + fieldBits - 2,
      shiftHi: lo + shiftBits - 1,
      shiftLo: lo,
    };
  };
  const words = shiftAdd.terms.map((terms) =>
    terms.reduce((word, t, d) => {
      const f = field(d);
      return word + 2 ** f.enable + (t.negative ? 2 ** f.negative : 0) + t.shift * 2 ** f.shiftLo;
    }, 0),
  );
  return { digits, shiftBits, width: slopeFieldBits(channel), words, field };
}

/** Which register stages a pipeline depth has (see the order in ModuleView's comment). */
export function cutPoints(stages: number): {
  input: boolean;
  rom: boolean;
  product: boolean;
  output: boolean;
} {
  return { output: stages >= 1, rom: stages >= 2, product: stages >= 3, input: stages >= 4 };
}

function selectAndRom(
  channel: PwlChannel,
  foldedName: string,
  input: FixFormat,
  tap: SlopeTap | undefined,
  words: boolean,
): { selectComment: string; select: SelectWire[]; rom: RomView; operand: Signal } {
  const p = channel.port;
  const shiftAdd = shiftAddLayout(channel);
  const columns = [
    shiftAdd
      ? { decl: range(shiftAdd.width, false), name: `${p}_slope` }
      : { decl: range(width(channel.slopeFormat), channel.slopeFormat.signed), name: `${p}_slope` },
    { decl: range(width(channel.interceptFormat), channel.interceptFormat.signed), name: `${p}_intercept` },
    ...(tap ? [{ decl: range(width(tap.output), tap.output.signed), name: "dy_value" }] : []),
  ];
  const columnWidths = romColumns(channel, tap && { values: tap.values, format: tap.output }).map(
    (column) => column.width,
  );
  const row = (s: number): string[] => [
    shiftAdd
      ? literal(shiftAdd.words[s]!, shiftAdd.width, false)
      : literal(channel.slopes[s]!, width(channel.slopeFormat), channel.slopeFormat.signed),
    literal(channel.intercepts[s]!, width(channel.interceptFormat), channel.interceptFormat.signed),
    ...(tap ? [literal(tap.values[s]!, width(tap.output), tap.output.signed)] : []),
  ];
  const n = segmentCount(channel);
  const entries = romEntries(channel);
  const indexWidth = Math.max(1, Math.ceil(Math.log2(entries)));
  const indexName = `${p}_segment`;
  const inputType = tableInput(input, channel);
  const w = inputType.width;
  const select: SelectWire[] = [];
  // The table code: the folded input without its dropped low bits.
  let tableName = foldedName;
  if (channel.inputShift > 0) {
    const foldedWidth = w + channel.inputShift;
    tableName = `${p}_t`;
    select.push({
      decl: range(w, inputType.signed),
      name: tableName,
      expr: `${foldedName}[${foldedWidth - 1}:${channel.inputShift}]`,
      comment: `the table reads the top ${w} bits`,
    });
  }
  let operand: Signal = { name: tableName, decl: range(w, inputType.signed) };
  let selectComment: string;
  let wordRoot: string | undefined;
  const indexed = channel.select.kind === "index" ? channel.select : undefined;
  if (indexed?.offset) {
    operand = { name: `${p}_offset`, decl: range(indexed.shift, false) };
    const low = `${tableName}[${indexed.shift - 1}:0]`;
    // A two's complement fold's 2^b (top bit set, low bits clear) lies past the last cell:
    // its offset wraps to 0, or saturates at the cell's last code (select.offsetSaturates).
    const saturates = indexed.offsetSaturates === true;
    select.push({
      decl: operand.decl,
      name: operand.name,
      expr: saturates ? `${low} | {${indexed.shift}{${tableName}[${w - 1}]}}` : low,
      comment: saturates
        ? `the multiplier reads the offset within the cell (all ones for 2^${w - 1}, read as the last cell's last code)`
        : "the multiplier reads the offset within the cell",
    });
  }
  if (entries === 1) {
    selectComment = `${p}: a single segment, no segment select.`;
  } else if (indexed) {
    const k = indexed.indexBits;
    const twosFolded = isFolded(channel) && channel.fold.style === "twos";
    let expr: string;
    if (twosFolded) {
      // Magnitudes 0 .. 2^(b): the top bit is set only for 2^b, which joins the last cell.
      const bits = k === 1 ? `${tableName}[${w - 2}]` : `${tableName}[${w - 2}:${w - 1 - k}]`;
      expr = `${tableName}[${w - 1}] ? {${k}{1'b1}} : ${bits}`;
    } else if (inputType.signed) {
      // t - min(t) is t with its sign bit inverted.
      expr =
        k === 1 ? `~${tableName}[${w - 1}]` : `{~${tableName}[${w - 1}], ${tableName}[${w - 2}:${w - k}]}`;
    } else {
      expr = k === 1 ? `${tableName}[${w - 1}]` : `${tableName}[${w - 1}:${w - k}]`;
    }
    select.push({ decl: range(indexWidth, false), name: indexName, expr, comment: "" });
    selectComment =
      `${p}: ${entries === n ? "uniform segments" : `${counted(n, "segment")} on a grid of ${entries} cells`}, ` +
      `addressed by the top ${counted(k, "bit")} of the table code (no comparators).`;
  } else {
    // A folded t compares as it is; a signed t as t - min(t), so the constants move up by 2^(w-1).
    const offset = inputType.signed ? 2 ** (w - 1) : 0;
    // Each node's wire: the segment index, or (a word tree) the segment's ROM word itself.
    const wordWidth = columnWidths.reduce((sum, bits) => sum + bits, 0);
    const leaf = (s: number): string => (words ? `{${row(s).join(", ")}}` : index(s, indexWidth));
    const wires = new Map<string, string>();
    for (const node of treeNodes(n)) {
      const { lo, mid, hi } = node;
      const name = `${p}_${words ? "word" : "sel"}_${lo}_${hi - 1}`;
      const part = (a: number, b: number): string => (b - a === 1 ? leaf(a) : wires.get(`${a},${b}`)!);
      const threshold = channel.breakpoints[mid]!;
      const known = treeKnownBits(channel.breakpoints, node, w, offset);
      const below = belowConstant(
        tableName,
        (threshold + offset) % 2 ** known,
        known,
        inputType.signed && known === w,
      );
      select.push({
        decl: range(words ? wordWidth : indexWidth, false),
        name,
        expr: `${below} ? ${part(lo, mid)} : ${part(mid, hi)}`,
        comment: `${codeName(channel)} < ${threshold} (${toReal(threshold * 2 ** channel.inputShift, input)})`,
      });
      wires.set(`${lo},${hi}`, name);
    }
    const root = wires.get(`0,${n}`)!;
    if (!words) select.push({ decl: range(indexWidth, false), name: indexName, expr: root, comment: "" });
    const hw = hardwareSummary(input, channel);
    selectComment =
      `${p}: segment select, a balanced comparator tree: ${counted(hw.comparators, "comparator")}, depth ${hw.treeDepth}` +
      (words ? "; its nodes select the segments' ROM words (a word tree, no segment index)." : ".");
    wordRoot = words ? root : undefined;
  }

  const entry = (s: number, label: string, cell?: number): RomCaseView => ({
    label,
    assignments: row(s)
      .map((value, c) => `${columns[c]!.name} = ${value};`)
      .join(" "),
    comment:
      `${cell === undefined || entries === n ? "" : `cell ${cell}: `}segment ${s}: ${codeName(channel)} >= ${channel.breakpoints[s]} ` +
      `(${toReal(channel.breakpoints[s]! * 2 ** channel.inputShift, input)})`,
  });
  // An index select's ROM has an entry per cell, holding its segment's words.
  const cellSegment = (cell: number): number =>
    indexed ? segmentOf(channel.breakpoints, channel.first + cell * 2 ** indexed.shift) : cell;
  const formats = `slope ${formatName(channel.slopeFormat)}${shiftAdd ? ` as ${shiftAdd.digits} digits` : ""}, intercept ${formatName(channel.interceptFormat)}${tap ? `, dy ${formatName(tap.output)}` : ""}`;
  return {
    selectComment,
    select,
    operand,
    rom: {
      comment: `${p}: coefficient ROM, ${formats} (${entries} ${entries === 1 ? "entry" : "entries"}${wordRoot ? ", the leaves of the word tree above" : ""}).`,
      index: indexName,
      columns,
      constants:
        n === 1
          ? row(0).map((value, c) => ({ decl: columns[c]!.decl, name: columns[c]!.name, expr: value }))
          : wordRoot
            ? columns.map((column, c) => {
                const lo = columnWidths.slice(c + 1).reduce((sum, bits) => sum + bits, 0);
                return {
                  decl: column.decl,
                  name: column.name,
                  expr: `${wordRoot}[${lo + columnWidths[c]! - 1}:${lo}]`,
                };
              })
            : false,
      cases:
        n === 1 || wordRoot
          ? []
          : Array.from({ length: entries - 1 }, (_, cell) =>
              entry(cellSegment(cell), index(cell, indexWidth), cell),
            ),
      last: n === 1 || wordRoot ? false : entry(cellSegment(entries - 1), "default", entries - 1),
    },
  };
}

/** How comments name a channel's table code: x, |x|, ~x for negative x, or with dropped bits. */
function codeName(channel: PwlChannel): string {
  const folded = isFolded(channel) ? (channel.fold.style === "ones" ? "x^sign" : "|x|") : "x";
  return channel.inputShift > 0 ? `(${folded} >> ${channel.inputShift})` : folded;
}

function datapathView(
  channel: PwlChannel,
  product: string,
  productWidth: number,
  intercept: string,
  sign: string,
  form: FoldForm,
  ramp: string | undefined,
  unused: string[],
): { view: Omit<DatapathView, "unused">; final: string } {
  const p = channel.port;
  const accWidth = channel.accumulatorWidth;
  const s = channel.productShift;
  const k = channel.interceptShift;
  const interceptFormat = channel.interceptFormat;
  const acc = `${p}_acc`;
  const q = `${p}_q`;

  const productTerm = resize(product, productWidth, accWidth, true);
  if (productTerm.dropped) unused.push(productTerm.dropped);
  // The aligned intercept is {intercept, k zeros}, resized to the accumulator. When k
  // reaches the accumulator's width it is 0 modulo 2^width and drops out of the sum.
  let aligned: string | undefined;
  if (accWidth - k > 0) {
    const interceptTerm = resize(intercept, width(interceptFormat), accWidth - k, interceptFormat.signed);
    if (interceptTerm.dropped) unused.push(interceptTerm.dropped);
    aligned = k > 0 ? `{${interceptTerm.expr}, ${k}'b0}` : interceptTerm.expr;
  } else {
    unused.push(intercept);
  }

  const quotientWidth = accWidth - s;
  const quotientDecl = range(quotientWidth, true);
  const truncated = s > 0 ? `${acc}[${accWidth - 1}:${s}]` : acc;
  const roundWires: Declared[] = [];
  let roundComment: string;
  if (s === 0) {
    roundComment = "No rounding: the accumulator already has the output's fraction bits.";
    roundWires.push({ decl: quotientDecl, name: q, expr: truncated });
  } else if (channel.shiftRounding === "half-even") {
    roundComment = `Round half to even: drop ${s} fraction bits, add one above half or at an exact half with an odd result.`;
    const sticky = s >= 2 ? ` | (|${acc}[${s - 2}:0])` : "";
    roundWires.push(
      { decl: quotientDecl, name: `${p}_truncated`, expr: truncated },
      { decl: "", name: `${p}_round_up`, expr: `${acc}[${s - 1}] & (${acc}[${s}]${sticky})` },
      { decl: quotientDecl, name: q, expr: `${p}_truncated + {{${quotientWidth - 1}{1'b0}}, ${p}_round_up}` },
    );
  } else {
    roundComment =
      channel.rounding === "half-up"
        ? `Round half up, folded into the intercepts (chosen so that dropping ${s} fraction bits rounds).`
        : `Truncate: drop ${s} fraction bits.`;
    roundWires.push({ decl: quotientDecl, name: q, expr: truncated });
    unused.push(`${acc}[${s - 1}:0]`);
  }

  const out = channel.output;
  const outWidth = width(out);
  // The table's grid: codes of 2^d output ulps, y = {code, d zeros}.
  const d = channel.outputShift;
  const gridWidth = outWidth - d;
  const gridMin = Math.ceil(minCode(out) / 2 ** d);
  const gridMax = Math.floor(maxCode(out) / 2 ** d);
  const low = `${q}[${gridWidth - 1}:0]`;
  let resultExpr = low;
  const clamps: string[] = [];
  if (channel.saturateLow) {
    resultExpr = `(${q} < ${literal(gridMin, quotientWidth, true)}) ? ${literal(gridMin, gridWidth, out.signed)} : ${resultExpr}`;
    clamps.push("below");
  }
  if (channel.saturateHigh) {
    resultExpr = `(${q} > ${literal(gridMax, quotientWidth, true)}) ? ${literal(gridMax, gridWidth, out.signed)} : ${resultExpr}`;
    clamps.push("above");
  }
  if (clamps.length === 0 && quotientWidth > gridWidth)
    unused.push(`${q}[${quotientWidth - 1}:${gridWidth}]`);
  const coarse: Declared | undefined =
    d > 0 ? { decl: range(gridWidth, out.signed), name: `${p}_grid`, expr: resultExpr } : undefined;
  const result: Declared = {
    decl: range(outWidth, out.signed),
    name: `${p}_result`,
    expr: coarse ? `{${coarse.name}, ${d}'b0}` : resultExpr,
  };
  const unfolded = ramp
    ? form === "carry"
      ? `${sign} ? (${result.name} + ${ramp}) : ${result.name}`
      : `${result.name} + ${ramp}`
    : unfoldExpr(channel.fold, result.name, sign, form, outWidth, out.signed, channel.tableRange);
  const unfold = unfolded
    ? {
        comment: ramp
          ? `Unfold for negative x: ${p}(x) = ${p}(t) + ${channel.fold.constant} * x (in range by construction).`
          : `Unfold for negative x: ${p}(x) = ${unfoldText(channel.fold, p, form, unfolded)} (in range by construction).`,
        wire: { decl: result.decl, name: `${p}_unfolded`, expr: unfolded },
      }
    : false;
  return {
    view: {
      comment: `${p}: multiply-add, acc = slope * t + (intercept << ${k}), ${accWidth} bits.`,
      wires: [
        {
          decl: range(accWidth, true),
          name: acc,
          expr: aligned ? `${productTerm.expr} + ${aligned}` : productTerm.expr,
        },
      ],
      roundComment,
      roundWires,
      saturateComment:
        (clamps.length > 0
          ? `Saturate ${clamps.join(" and ")} the range of ${formatName(out)}.`
          : `No saturation logic: every rounded value already lies in ${formatName(out)}.`) +
        (d > 0
          ? ` The table's grid is ${2 ** d} output ulps: the low ${counted(d, "bit")} of ${p} are zero.`
          : ""),
      coarse: coarse ?? false,
      result,
      unfold,
    },
    final: unfold ? unfold.wire.name : result.name,
  };
}

/**
 * The unfolding expression for negative x (u = base - y, see unfoldBase), or undefined
 * when the fold needs none. A one's complement unfold is an XOR with the sign: ~y for odd
 * folds, and for point folds with C = 2^n whose table stays in [0, C - 1], y's low n bits
 * inverted (C - 1 - y); otherwise a subtraction. A two's complement unfold is written in the
 * design's foldForm: `mux` as sign ? base - y : y, `carry` as the same value
 * ~(y - (base + 1)) = (y - (sign ? base + 1 : 0)) ^ {sign} (modulo 2^width: the result is
 * in range by construction).
 */
function unfoldExpr(
  fold: Fold,
  value: string,
  sign: string,
  form: FoldForm,
  outWidth: number,
  signed: boolean,
  tableRange: readonly [number, number] = [-Infinity, Infinity],
): string | undefined {
  const base = unfoldBase(fold);
  if (base === undefined) return undefined;
  const mask = `{${outWidth}{${sign}}}`;
  if (fold.style === "ones") {
    if (fold.kind === "odd") return `${value} ^ ${mask}`;
    const n = Math.log2(fold.constant);
    if (
      Number.isInteger(n) &&
      n >= 1 &&
      n <= outWidth &&
      tableRange[0] >= 0 &&
      tableRange[1] < fold.constant
    ) {
      return n === outWidth
        ? `${value} ^ ${mask}`
        : `{${value}[${outWidth - 1}:${n}], ${value}[${n - 1}:0] ^ {${n}{${sign}}}}`;
    }
    return `${sign} ? (${literal(base, outWidth, signed)} - ${value}) : ${value}`;
  }
  if (form === "carry") {
    const subtrahend =
      fold.kind === "odd"
        ? `{${outWidth - 1}'b0, ${sign}}`
        : `(${sign} ? ${literal(base + 1, outWidth, false)} : ${literal(0, outWidth, false)})`;
    return `(${value} - ${subtrahend}) ^ ${mask}`;
  }
  if (fold.kind === "odd") return `${sign} ? (~${value} + ${literal(1, outWidth, signed)}) : ${value}`;
  return `${sign} ? (${literal(base, outWidth, signed)} - ${value}) : ${value}`;
}

/** The unfolding as the comment states it: "4096 - y(t)", with how the RTL computes it. */
function unfoldText(fold: Fold, port: string, form: FoldForm, expr: string): string {
  const base = unfoldBase(fold)!;
  const stated = `${base} - ${port}(t)`;
  if (fold.style === "twos" && form === "carry")
    return `${stated} = ~(${port}(t) - ${base + 1}): a subtraction and an XOR`;
  return expr.includes("^") ? `${stated}, an XOR` : stated;
}

function validView(stages: number): ValidView {
  return {
    decl: range(stages, false),
    reset: `${stages}'b0`,
    shift: stages === 1 ? "in_valid" : `{valid_q[${stages - 2}:0], in_valid}`,
    out: `valid_q[${stages - 1}]`,
  };
}

export function headerLines(design: PwlDesign): string[] {
  const channel = design.y;
  const lines = [
    `Generated by ${TOOL_NAME} ${design.toolVersion}. Do not edit: regenerate instead.`,
    `spec hash ${design.specHash}`,
    `${design.function}(x): input ${formatName(design.input)}, output ${formatName(channel.output)}, |error| <= ${showReal(channel.bound)} on every input code`,
    `${counted(segmentCount(channel), "segment")} (${architectureText(channel)}); ` +
      `slope ${formatName(channel.slopeFormat)}, intercept ${formatName(channel.interceptFormat)}; ` +
      `rounding ${channel.rounding}, overflow ${channel.overflow}; latency ${design.pipeline} cycle${design.pipeline === 1 ? "" : "s"}`,
  ];
  const dy = design.dy;
  if (dy?.kind === "pwl") {
    lines.push(
      `dy: a PWL of the derivative, output ${formatName(dy.output)}, |error| <= ${showReal(dy.bound)}, ${counted(segmentCount(dy), "segment")}`,
    );
  } else if (dy) {
    lines.push(`dy: the active segment's slope, output ${formatName(dy.output)}`);
  }
  return lines;
}

/** What the testbench template prints. */
export interface TestbenchView {
  readonly header: readonly string[];
  readonly module: string;
  readonly name: string;
  readonly vectorFile: string;
  readonly vectorCount: number;
  readonly xWidth: number;
  /** Width of the expected-output part of a vector: y, or {y, dy}. */
  readonly outWidth: number;
  readonly outputs: string;
  readonly outputWires: readonly { readonly decl: string; readonly name: string; readonly last: boolean }[];
  readonly pipelined: boolean;
  readonly latency: number;
  readonly historyDecl: string;
  readonly historyShift: string;
  readonly historyOut: string;
}

export function testbenchView(design: PwlDesign, vectorFile: string, vectorCount: number): TestbenchView {
  const stages = Math.max(1, design.pipeline);
  const yWidth = width(design.y.output);
  const dyWidth = design.dy ? width(design.dy.output) : 0;
  return {
    header: headerLines(design),
    module: design.module,
    name: `${design.module}_tb`,
    vectorFile,
    vectorCount,
    xWidth: width(design.input),
    outWidth: yWidth + dyWidth,
    outputs: design.dy ? "{y, dy}" : "y",
    outputWires: [
      { decl: range(yWidth, false), name: "y", last: design.dy === undefined },
      ...(design.dy ? [{ decl: range(dyWidth, false), name: "dy", last: true }] : []),
    ],
    pipelined: design.pipeline > 0,
    latency: design.pipeline,
    historyDecl: range(stages, false),
    historyShift: stages === 1 ? "next_valid" : `{history[${stages - 2}:0], next_valid}`,
    historyOut: `history[${stages - 1}]`,
  };
}
