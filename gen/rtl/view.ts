import { type FixFormat, formatName, maxCode, minCode, width } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, segmentCount } from "../design/ir.js";
import { showReal } from "../spec/bound.js";
import { TOOL_NAME } from "../paths.js";
import { index, literal, range, resize } from "./verilog.js";

/**
 * The Verilog view model: every name, width, literal and expression the templates print,
 * computed here from the IR so the templates only loop and insert. Nothing here evaluates
 * the approximated function or the datapath; it only lays out what the IR says.
 *
 * Pipeline cuts, in the order they are added as --pipeline grows:
 *   K=1: output register;  K=2: + after the coefficient ROM;  K=3: + after the multiplier;
 *   K=4: + input register.
 */
export interface ModuleView {
  readonly header: readonly string[];
  readonly module: string;
  readonly pipelined: boolean;
  readonly ports: readonly PortView[];
  readonly inputCut: CutView | false;
  readonly tree: TreeView;
  readonly rom: RomView;
  readonly romCut: CutView | false;
  readonly multiply: { readonly decl: string; readonly name: string; readonly expr: string };
  readonly productCut: CutView | false;
  readonly datapath: DatapathView;
  readonly outputCut: CutView | false;
  readonly outputPort: string;
  readonly outputExpr: string;
  readonly valid: ValidView | false;
}

export interface PortView {
  readonly line: string;
  readonly last: boolean;
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

export interface TreeView {
  readonly single: boolean;
  readonly comment: string;
  readonly nodes: readonly { readonly decl: string; readonly name: string; readonly expr: string }[];
  readonly indexDecl: string;
  readonly indexName: string;
  readonly root: string;
}

export interface RomView {
  readonly comment: string;
  /** The segment index signal that addresses the ROM. */
  readonly index: string;
  readonly slopeDecl: string;
  readonly interceptDecl: string;
  readonly slopeName: string;
  readonly interceptName: string;
  readonly constant: { readonly slope: string; readonly intercept: string } | false;
  readonly cases: readonly RomCaseView[];
  readonly last: RomCaseView | false;
}

export interface RomCaseView {
  readonly label: string;
  readonly slope: string;
  readonly intercept: string;
  readonly comment: string;
}

export interface DatapathView {
  readonly multiplyComment: string;
  readonly accDecl: string;
  readonly accExpr: string;
  readonly roundComment: string;
  readonly quotientDecl: string;
  readonly truncatedExpr: string;
  readonly halfEven: { readonly roundUp: string; readonly quotientExpr: string } | false;
  readonly saturateComment: string;
  readonly resultDecl: string;
  readonly resultExpr: string;
  readonly unused: string | false;
}

export interface ValidView {
  readonly decl: string;
  readonly reset: string;
  readonly shift: string;
  readonly out: string;
}

const X = "x";
const SEGMENT = "segment";

export function moduleView(design: PwlDesign): ModuleView {
  const channel = design.y;
  const cuts = cutPoints(design.pipeline);
  const xWidth = width(design.input);
  const xSigned = design.input.signed;
  const xDecl = range(xWidth, xSigned);
  const unused: string[] = [];
  let stage = 0;
  const cut = (what: string, registers: RegisterView[]): CutView => ({
    comment: `Pipeline stage ${++stage}: ${what}.`,
    registers,
  });

  const inputCut = cuts.input ? cut("input register", [{ decl: xDecl, name: "x_q0", source: X }]) : false;
  const xTree = inputCut ? "x_q0" : X;

  const tree = treeView(channel, xTree, design.input);
  const rom = romView(channel);

  const romCut = cuts.rom
    ? cut("registers after segment select and the coefficient ROM", [
        { decl: xDecl, name: "x_q1", source: xTree },
        { decl: rom.slopeDecl, name: "slope_q1", source: rom.slopeName },
        { decl: rom.interceptDecl, name: "intercept_q1", source: rom.interceptName },
      ])
    : false;
  const xMul = romCut ? "x_q1" : xTree;
  const slopeMul = romCut ? "slope_q1" : rom.slopeName;
  const interceptMul = romCut ? "intercept_q1" : rom.interceptName;

  // Both multiplier operands become signed; unsigned ones gain a zero sign bit.
  const slopeWidth = width(channel.slopeFormat);
  const xOperand = xSigned ? xMul : `$signed({1'b0, ${xMul}})`;
  const slopeOperand = channel.slopeFormat.signed ? slopeMul : `$signed({1'b0, ${slopeMul}})`;
  const productWidth = xWidth + (xSigned ? 0 : 1) + slopeWidth + (channel.slopeFormat.signed ? 0 : 1);
  const multiply = {
    decl: range(productWidth, true),
    name: "product",
    expr: `${xOperand} * ${slopeOperand}`,
  };

  const interceptDecl = range(width(channel.interceptFormat), channel.interceptFormat.signed);
  const productCut = cuts.product
    ? cut("registers after the multiplier", [
        { decl: multiply.decl, name: "product_q2", source: multiply.name },
        { decl: interceptDecl, name: "intercept_q2", source: interceptMul },
      ])
    : false;
  const productAdd = productCut ? "product_q2" : multiply.name;
  const interceptAdd = productCut ? "intercept_q2" : interceptMul;

  const datapath = datapathView(channel, productAdd, productWidth, interceptAdd, unused);

  const outputCut = cuts.output
    ? cut("output register", [
        { decl: range(width(channel.output), channel.output.signed), name: "y_q", source: "result" },
      ])
    : false;

  const pipelined = design.pipeline > 0;
  const ports: string[] = pipelined ? ["input  wire clk", "input  wire rst", "input  wire in_valid"] : [];
  ports.push(`input  wire ${xDecl} ${X}`);
  if (pipelined) ports.push("output wire out_valid");
  ports.push(`output wire ${range(width(channel.output), channel.output.signed)} ${channel.port}`);

  return {
    header: headerLines(design),
    module: design.module,
    pipelined,
    ports: ports.map((line, i) => ({ line, last: i === ports.length - 1 })),
    inputCut,
    tree,
    rom,
    romCut,
    multiply,
    productCut,
    datapath: { ...datapath, unused: unused.length > 0 ? `^{${unused.join(", ")}}` : false },
    outputCut,
    outputPort: channel.port,
    outputExpr: outputCut ? "y_q" : "result",
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

/**
 * A balanced binary comparator tree over the breakpoints: the node for segments [lo, hi)
 * compares x with the first breakpoint of its right half, so the depth is ceil(log2 N).
 * Nodes are listed children first, as Verilog wants names declared before use.
 */
function treeView(channel: PwlChannel, xName: string, input: FixFormat): TreeView {
  const n = segmentCount(channel);
  const indexWidth = Math.max(1, Math.ceil(Math.log2(n)));
  const nodes: { decl: string; name: string; expr: string }[] = [];
  const build = (lo: number, hi: number): string => {
    if (hi - lo === 1) return index(lo, indexWidth);
    const mid = lo + Math.ceil((hi - lo) / 2);
    const left = build(lo, mid);
    const right = build(mid, hi);
    const name = `sel_${lo}_${hi - 1}`;
    const threshold = literal(channel.breakpoints[mid]!, width(input), input.signed);
    nodes.push({
      decl: range(indexWidth, false),
      name,
      expr: `(${xName} < ${threshold}) ? ${left} : ${right}`,
    });
    return name;
  };
  const root = n > 1 ? build(0, n) : index(0, indexWidth);
  const depth = n > 1 ? Math.ceil(Math.log2(n)) : 0;
  return {
    single: n === 1,
    comment: `Segment select: balanced comparator tree, ${n - 1} comparators, depth ${depth}.`,
    nodes,
    indexDecl: range(indexWidth, false),
    indexName: SEGMENT,
    root,
  };
}

function romView(channel: PwlChannel): RomView {
  const slope = channel.slopeFormat;
  const intercept = channel.interceptFormat;
  const entry = (s: number, label: string): RomCaseView => ({
    label,
    slope: literal(channel.slopes[s]!, width(slope), slope.signed),
    intercept: literal(channel.intercepts[s]!, width(intercept), intercept.signed),
    comment: `segment ${s}: x >= ${channel.breakpoints[s]}`,
  });
  const n = segmentCount(channel);
  const indexWidth = Math.max(1, Math.ceil(Math.log2(n)));
  const single = n === 1;
  return {
    comment: `Coefficient ROM: slope ${formatName(slope)}, intercept ${formatName(intercept)} (${n} entries).`,
    index: SEGMENT,
    slopeDecl: range(width(slope), slope.signed),
    interceptDecl: range(width(intercept), intercept.signed),
    slopeName: "slope",
    interceptName: "intercept",
    constant: single ? entry(0, "") : false,
    cases: single ? [] : channel.slopes.slice(0, n - 1).map((_, s) => entry(s, index(s, indexWidth))),
    last: single ? false : entry(n - 1, "default"),
  };
}

function datapathView(
  channel: PwlChannel,
  product: string,
  productWidth: number,
  intercept: string,
  unused: string[],
): Omit<DatapathView, "unused"> {
  const accWidth = channel.accumulatorWidth;
  const s = channel.productShift;
  const k = channel.interceptShift;
  const interceptFormat = channel.interceptFormat;

  const productTerm = resize(product, productWidth, accWidth, true);
  if (productTerm.dropped) unused.push(productTerm.dropped);
  // The aligned intercept is {intercept, k zeros}, resized to the accumulator.
  const interceptTerm = resize(intercept, width(interceptFormat), accWidth - k, interceptFormat.signed);
  if (interceptTerm.dropped) unused.push(interceptTerm.dropped);
  const aligned = k > 0 ? `{${interceptTerm.expr}, ${k}'b0}` : interceptTerm.expr;

  const quotientWidth = accWidth - s;
  const truncated = s > 0 ? `acc[${accWidth - 1}:${s}]` : "acc";
  let halfEven: DatapathView["halfEven"] = false;
  let roundComment: string;
  if (s === 0) {
    roundComment = "No rounding: the accumulator already has the output's fraction bits.";
  } else if (channel.shiftRounding === "half-even") {
    roundComment = `Round half to even: drop ${s} fraction bits, add one above half or at an exact half with an odd result.`;
    const sticky = s >= 2 ? ` | (|acc[${s - 2}:0])` : "";
    halfEven = {
      roundUp: `acc[${s - 1}] & (acc[${s}]${sticky})`,
      quotientExpr: `truncated + {{${quotientWidth - 1}{1'b0}}, round_up}`,
    };
  } else {
    roundComment =
      channel.rounding === "half-up"
        ? `Round half up: the intercepts include +2^${s - 1}, so dropping ${s} fraction bits rounds.`
        : `Truncate: drop ${s} fraction bits.`;
    unused.push(`acc[${s - 1}:0]`);
  }

  const out = channel.output;
  const outWidth = width(out);
  const low = `q[${outWidth - 1}:0]`;
  const maxLit = literal(maxCode(out), quotientWidth, true);
  const minLit = literal(minCode(out), quotientWidth, true);
  const outMax = literal(maxCode(out), outWidth, out.signed);
  const outMin = literal(minCode(out), outWidth, out.signed);
  let resultExpr = low;
  const clamps: string[] = [];
  if (channel.saturateLow) {
    resultExpr = `(q < ${minLit}) ? ${outMin} : ${resultExpr}`;
    clamps.push("below");
  }
  if (channel.saturateHigh) {
    resultExpr = `(q > ${maxLit}) ? ${outMax} : ${resultExpr}`;
    clamps.push("above");
  }
  if (clamps.length === 0 && quotientWidth > outWidth) unused.push(`q[${quotientWidth - 1}:${outWidth}]`);
  return {
    multiplyComment: `Multiply-add: acc = slope * x + (intercept << ${k}), ${accWidth} bits.`,
    accDecl: range(accWidth, true),
    accExpr: `${productTerm.expr} + ${aligned}`,
    roundComment,
    quotientDecl: range(quotientWidth, true),
    truncatedExpr: truncated,
    halfEven,
    saturateComment:
      clamps.length > 0
        ? `Saturate ${clamps.join(" and ")} the range of ${formatName(out)}.`
        : `No saturation logic: every rounded value already lies in ${formatName(out)}.`,
    resultDecl: range(outWidth, out.signed),
    resultExpr,
  };
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
  return [
    `Generated by ${TOOL_NAME} ${design.toolVersion}. Do not edit: regenerate instead.`,
    `spec hash ${design.specHash}`,
    `${design.function}(x): input ${formatName(design.input)}, output ${formatName(channel.output)}, |error| <= ${showReal(channel.bound)} on every input code`,
    `${segmentCount(channel)} segments; slope ${formatName(channel.slopeFormat)}, intercept ${formatName(channel.interceptFormat)}; ` +
      `rounding ${channel.rounding}, overflow ${channel.overflow}; latency ${design.pipeline} cycle${design.pipeline === 1 ? "" : "s"}`,
  ];
}

/** What the testbench template prints. */
export interface TestbenchView {
  readonly header: readonly string[];
  readonly module: string;
  readonly name: string;
  readonly vectorFile: string;
  readonly vectorCount: number;
  readonly xWidth: number;
  readonly yWidth: number;
  readonly pipelined: boolean;
  readonly latency: number;
  readonly historyDecl: string;
  readonly historyShift: string;
  readonly historyOut: string;
}

export function testbenchView(design: PwlDesign, vectorFile: string, vectorCount: number): TestbenchView {
  const stages = Math.max(1, design.pipeline);
  return {
    header: headerLines(design),
    module: design.module,
    name: `${design.module}_tb`,
    vectorFile,
    vectorCount,
    xWidth: width(design.input),
    yWidth: width(design.y.output),
    pipelined: design.pipeline > 0,
    latency: design.pipeline,
    historyDecl: range(stages, false),
    historyShift: stages === 1 ? "next_valid" : `{history[${stages - 2}:0], next_valid}`,
    historyOut: `history[${stages - 1}]`,
  };
}
