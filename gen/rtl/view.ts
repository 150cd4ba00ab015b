import { type FixFormat, formatName, maxCode, minCode, toReal, width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  type SlopeTap,
  hardwareSummary,
  isFolded,
  segmentCount,
  tableInput,
} from "../design/ir.js";
import type { Fold } from "../segment/fold.js";
import { showReal } from "../spec/bound.js";
import { TOOL_NAME } from "../paths.js";
import { counted } from "../text.js";
import { belowConstant, index, literal, range, resize } from "./verilog.js";

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
  /** Wires that compute the segment index (tree nodes, or the top-bit slice), last = the index. */
  readonly select: readonly SelectWire[];
  readonly rom: RomView;
  readonly multiply: Declared;
  readonly datapath: DatapathView;
}

export interface RomView {
  readonly comment: string;
  readonly index: string;
  /** The ROM's columns: slope, intercept, and dy for a slope tap. */
  readonly columns: readonly { readonly decl: string; readonly name: string }[];
  /** A single segment: the columns are constants. */
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

  // Folding: |x| for symmetric tables, and the sign for unfolding the outputs.
  const folds = [...tables.map((t) => t.fold), ...(tap ? [tap.fold] : [])];
  const needsMagnitude = tables.some(isFolded);
  const needsSign = folds.some((fold) => fold.kind === "odd" || fold.kind === "point");
  const magnitude: Signal = { name: "x_mag", decl: range(xWidth, false) };
  const sign: Signal = { name: "x_neg", decl: "" };
  const foldWires: Declared[] = [];
  if (needsSign) foldWires.push({ decl: "", name: sign.name, expr: `${x.name}[${xWidth - 1}]` });
  if (needsMagnitude) {
    const negative = needsSign ? sign.name : `${x.name}[${xWidth - 1}]`;
    foldWires.push({
      decl: magnitude.decl,
      name: magnitude.name,
      expr: `${negative} ? (~${x.name} + ${literal(1, xWidth, false)}) : ${x.name}`,
    });
  }
  const fold: FoldView | false =
    foldWires.length > 0
      ? {
          comment:
            "Fold by symmetry: the tables read |x| (2^(w-1) for the most negative x); outputs unfold below.",
          wires: foldWires,
        }
      : false;
  const tableInputOf = (channel: PwlChannel): Signal => (isFolded(channel) ? magnitude : x);

  // Selection and ROMs.
  const unused: string[][] = tables.map(() => []);
  const channelParts = tables.map((channel) => ({
    channel,
    input: tableInputOf(channel),
    ...selectAndRom(
      channel,
      tableInputOf(channel).name,
      design.input,
      channel === design.y ? tap : undefined,
    ),
  }));

  const liveAfterRom: Signal[] = [];
  const addLive = (signal: Signal): void => {
    if (!liveAfterRom.includes(signal)) liveAfterRom.push(signal);
  };
  channelParts.forEach((part) => addLive(part.input));
  if (needsSign) addLive(sign);
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
    const inputType = tableInput(design.input, channel);
    const slopeFormat = channel.slopeFormat;
    const left = inputType.signed ? part.input.name : `$signed({1'b0, ${part.input.name}})`;
    const right = slopeFormat.signed
      ? coefficients[i]!.slope.name
      : `$signed({1'b0, ${coefficients[i]!.slope.name}})`;
    const productWidth =
      inputType.width + (inputType.signed ? 0 : 1) + width(slopeFormat) + (slopeFormat.signed ? 0 : 1);
    return {
      signal: { name: `${channel.port}_product`, decl: range(productWidth, true) } as Signal,
      expr: `${left} * ${right}`,
      productWidth,
    };
  });
  const multiplies = products.map((p) => ({ decl: p.signal.decl, name: p.signal.name, expr: p.expr }));
  const productCut = cuts.product
    ? cut(
        "registers after the multipliers",
        carry(
          [
            ...(needsSign ? [sign] : []),
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
      unused[i]!,
    ),
  );

  const outputs: { port: string; signal: Signal }[] = tables.map((channel, i) => ({
    port: channel.port,
    signal: { name: datapaths[i]!.final, decl: range(width(channel.output), channel.output.signed) },
  }));
  let tapUnfold: Declared | undefined;
  if (tap && tapSignal) {
    const tapOut = unfoldExpr(tap.fold, tapSignal.name, sign.name, width(tap.output), tap.output.signed);
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
  tableInputName: string,
  input: FixFormat,
  tap: SlopeTap | undefined,
): { selectComment: string; select: SelectWire[]; rom: RomView } {
  const p = channel.port;
  const n = segmentCount(channel);
  const indexWidth = Math.max(1, Math.ceil(Math.log2(n)));
  const indexName = `${p}_segment`;
  const inputType = tableInput(input, channel);
  const select: SelectWire[] = [];
  let selectComment: string;
  if (n === 1) {
    selectComment = `${p}: a single segment, no segment select.`;
  } else if (channel.select.kind === "uniform") {
    const { indexBits } = channel.select;
    const w = inputType.width;
    let expr: string;
    if (isFolded(channel)) {
      // Magnitudes 0 .. 2^(w-1): the top bit is set only for 2^(w-1), which joins the last segment.
      const bits =
        indexBits === 1 ? `${tableInputName}[${w - 2}]` : `${tableInputName}[${w - 2}:${w - 1 - indexBits}]`;
      expr = `${tableInputName}[${w - 1}] ? {${indexBits}{1'b1}} : ${bits}`;
    } else if (inputType.signed) {
      // x - min(x) is x with its sign bit inverted.
      expr =
        indexBits === 1
          ? `~${tableInputName}[${w - 1}]`
          : `{~${tableInputName}[${w - 1}], ${tableInputName}[${w - 2}:${w - indexBits}]}`;
    } else {
      expr = indexBits === 1 ? `${tableInputName}[${w - 1}]` : `${tableInputName}[${w - 1}:${w - indexBits}]`;
    }
    select.push({ decl: range(indexWidth, false), name: indexName, expr, comment: "" });
    selectComment = `${p}: uniform segments, addressed by the top ${indexBits} bit${indexBits > 1 ? "s" : ""} of the table input (no comparators).`;
  } else {
    const build = (lo: number, hi: number): string => {
      if (hi - lo === 1) return index(lo, indexWidth);
      const mid = lo + Math.ceil((hi - lo) / 2);
      const left = build(lo, mid);
      const right = build(mid, hi);
      const name = `${p}_sel_${lo}_${hi - 1}`;
      const threshold = channel.breakpoints[mid]!;
      // |x| compares as it is; a signed x as x - min(x), so the constant moves up by 2^(w-1).
      const offset = inputType.signed ? 2 ** (inputType.width - 1) : 0;
      const below = belowConstant(tableInputName, threshold + offset, inputType.width, inputType.signed);
      select.push({
        decl: range(indexWidth, false),
        name,
        expr: `${below} ? ${left} : ${right}`,
        comment: `${isFolded(channel) ? "|x|" : "x"} < ${threshold} (${toReal(threshold, input)})`,
      });
      return name;
    };
    const root = build(0, n);
    select.push({ decl: range(indexWidth, false), name: indexName, expr: root, comment: "" });
    const hw = hardwareSummary(input, channel);
    selectComment = `${p}: segment select, a balanced comparator tree: ${counted(hw.comparators, "comparator")}, depth ${hw.treeDepth}.`;
  }

  const columns = [
    { decl: range(width(channel.slopeFormat), channel.slopeFormat.signed), name: `${p}_slope` },
    { decl: range(width(channel.interceptFormat), channel.interceptFormat.signed), name: `${p}_intercept` },
    ...(tap ? [{ decl: range(width(tap.output), tap.output.signed), name: "dy_value" }] : []),
  ];
  const row = (s: number): string[] => [
    literal(channel.slopes[s]!, width(channel.slopeFormat), channel.slopeFormat.signed),
    literal(channel.intercepts[s]!, width(channel.interceptFormat), channel.interceptFormat.signed),
    ...(tap ? [literal(tap.values[s]!, width(tap.output), tap.output.signed)] : []),
  ];
  const entry = (s: number, label: string): RomCaseView => ({
    label,
    assignments: row(s)
      .map((value, c) => `${columns[c]!.name} = ${value};`)
      .join(" "),
    comment: `segment ${s}: ${isFolded(channel) ? "|x|" : "x"} >= ${channel.breakpoints[s]} (${toReal(channel.breakpoints[s]!, input)})`,
  });
  const formats = `slope ${formatName(channel.slopeFormat)}, intercept ${formatName(channel.interceptFormat)}${tap ? `, dy ${formatName(tap.output)}` : ""}`;
  return {
    selectComment,
    select,
    rom: {
      comment: `${p}: coefficient ROM, ${formats} (${n} ${n === 1 ? "entry" : "entries"}).`,
      index: indexName,
      columns,
      constants:
        n === 1
          ? row(0).map((value, c) => ({ decl: columns[c]!.decl, name: columns[c]!.name, expr: value }))
          : false,
      cases: n === 1 ? [] : Array.from({ length: n - 1 }, (_, s) => entry(s, index(s, indexWidth))),
      last: n === 1 ? false : entry(n - 1, "default"),
    },
  };
}

function datapathView(
  channel: PwlChannel,
  product: string,
  productWidth: number,
  intercept: string,
  sign: string,
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
  const low = `${q}[${outWidth - 1}:0]`;
  let resultExpr = low;
  const clamps: string[] = [];
  if (channel.saturateLow) {
    resultExpr = `(${q} < ${literal(minCode(out), quotientWidth, true)}) ? ${literal(minCode(out), outWidth, out.signed)} : ${resultExpr}`;
    clamps.push("below");
  }
  if (channel.saturateHigh) {
    resultExpr = `(${q} > ${literal(maxCode(out), quotientWidth, true)}) ? ${literal(maxCode(out), outWidth, out.signed)} : ${resultExpr}`;
    clamps.push("above");
  }
  if (clamps.length === 0 && quotientWidth > outWidth) unused.push(`${q}[${quotientWidth - 1}:${outWidth}]`);
  const result: Declared = { decl: range(outWidth, out.signed), name: `${p}_result`, expr: resultExpr };
  const unfolded = unfoldExpr(channel.fold, result.name, sign, outWidth, out.signed);
  const unfold = unfolded
    ? {
        comment: `Unfold for negative x: ${channel.fold.kind === "odd" ? `${p}(-t) = -${p}(t)` : `${p}(-t) = ${channel.fold.constant} - ${p}(t)`} (in range by construction).`,
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
        clamps.length > 0
          ? `Saturate ${clamps.join(" and ")} the range of ${formatName(out)}.`
          : `No saturation logic: every rounded value already lies in ${formatName(out)}.`,
      result,
      unfold,
    },
    final: unfold ? unfold.wire.name : result.name,
  };
}

/** The unfolding expression for negative x, or undefined when the fold needs none. */
function unfoldExpr(
  fold: Fold,
  value: string,
  sign: string,
  outWidth: number,
  signed: boolean,
): string | undefined {
  if (fold.kind === "odd") return `${sign} ? (~${value} + ${literal(1, outWidth, signed)}) : ${value}`;
  if (fold.kind === "point")
    return `${sign} ? (${literal(fold.constant, outWidth, signed)} - ${value}) : ${value}`;
  return undefined;
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
    `${counted(segmentCount(channel), "segment")} (${channel.select.kind === "tree" ? "comparator tree" : "uniform"}${isFolded(channel) ? `, folded ${channel.fold.kind}` : ""}); ` +
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
