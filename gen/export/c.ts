import { formatName } from "../fixed/format.js";
import { type PwlDesign, architectureText } from "../design/ir.js";
import { headerLines } from "../rtl/view.js";
import {
  type ChannelPlan,
  type CodeRange,
  type DesignPlan,
  type TapPlan,
  designPlan,
  offsetExpression,
} from "./plan.js";
import { renderExport } from "./templates.js";

/**
 * The C model: <module>.h (the formats as macros, the ROMs as const integer arrays, the
 * entry points) and <module>.c (the arrays and the golden model's integer arithmetic,
 * step for step as in plan.ts), C99 with <stdint.h> only. No floating point; no shift of
 * a negative number (implementation-defined or undefined in C99): floor division and
 * modulo are spelled with / and %, corrected toward minus infinity; every product and sum
 * is an int64_t that cannot overflow (plan.ts refuses an IR whose accumulator would not
 * fit). The entry points take the port's bits like the hardware: x's low w bits are the
 * input code, so every int32_t argument is defined.
 */
export interface CModel {
  readonly header: string;
  readonly source: string;
}

export function renderCModel(design: PwlDesign, headerFile: string): CModel {
  const view = cView(design, headerFile);
  return { header: renderExport("c", "model.h.hbs", view), source: renderExport("c", "model.c.hbs", view) };
}

interface Macro {
  readonly name: string;
  readonly value: string;
}

interface MacroGroup {
  readonly comment: string;
  readonly macros: readonly Macro[];
}

interface ArrayView {
  readonly comment: string;
  readonly type: string;
  readonly name: string;
  readonly length: number;
  readonly rows: readonly string[];
}

interface FunctionView {
  readonly comment: string;
  readonly name: string;
  readonly returnType: string;
  readonly body: string;
}

interface StaticView {
  readonly comment: string;
  readonly signature: string;
  readonly lines: readonly string[];
}

interface CView {
  readonly header: readonly string[];
  readonly module: string;
  readonly guard: string;
  readonly headerFile: string;
  readonly macroGroups: readonly MacroGroup[];
  readonly arrays: readonly ArrayView[];
  readonly functions: readonly FunctionView[];
  readonly helpers: readonly StaticView[];
  readonly statics: readonly StaticView[];
}

/** Text safe inside a C block comment: no comment end, one line. */
export function cComment(text: string): string {
  return text.replace(/\*\//g, "* /").replace(/[\r\n]+/g, " ");
}

/** An integer constant of any int64_t value: plain within int's 32-bit range, else INT64_C. */
function cInt(value: number | bigint): string {
  const v = BigInt(value);
  return v >= -(2n ** 31n) + 1n && v <= 2n ** 31n - 1n ? v.toString() : `INT64_C(${v.toString()})`;
}

/** The narrowest exact-width type that holds every code of a range. */
function cType(range: { min: number; max: number }): string {
  for (const bits of [8, 16, 32]) {
    if (range.min >= -(2 ** (bits - 1)) && range.max <= 2 ** (bits - 1) - 1) return `int${bits}_t`;
  }
  return "int64_t";
}

/** The entry points' return type: int32_t unless the output is a 32-bit unsigned format. */
function returnType(output: CodeRange): string {
  return output.max <= 2 ** 31 - 1 ? "int32_t" : "int64_t";
}

function rows(values: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += 8) {
    const chunk = values.slice(i, i + 8).map(cInt);
    out.push(`${chunk.join(", ")}${i + 8 < values.length ? "," : ""}`);
  }
  return out;
}

function cView(design: PwlDesign, headerFile: string): CView {
  const plan = designPlan(design, "C");
  const m = design.module;
  const upper = m.toUpperCase();
  const used = new Set<string>();
  const macroGroups: MacroGroup[] = [
    rangeMacros(
      `${upper}_IN`,
      `Input x: ${formatName(plan.input.format)}, real value = code * 2^-${plan.input.format.fracBits}`,
      plan.input,
    ),
    rangeMacros(`${upper}_Y`, `Output y: ${formatName(plan.y.output.format)}`, plan.y.output),
    ...(plan.dy
      ? [rangeMacros(`${upper}_DY`, `Output dy: ${formatName(plan.dy.output.format)}`, plan.dy.output)]
      : []),
    {
      comment: `Register stages of the hardware (the model has none: it gives the output for an input at once)`,
      macros: [{ name: `${upper}_LATENCY`, value: String(design.pipeline) }],
    },
  ];
  const arrays: ArrayView[] = [];
  const statics: StaticView[] = [];
  const channels: ChannelPlan[] = [plan.y, ...(plan.dy && "rom" in plan.dy ? [plan.dy] : [])];
  for (const channel of channels) {
    const pwl = channel === plan.y ? design.y : design.dy!;
    arrays.push(...channelArrays(m, channel));
    statics.push(...channelStatics(m, channel, pwl.kind === "pwl" ? architectureText(pwl) : "", used));
  }
  const tap = plan.dy && !("rom" in plan.dy) ? plan.dy : undefined;
  if (tap) statics.push(tapStatic(m, tap, plan.y, used));
  const functions: FunctionView[] = [
    {
      comment: `y for input code x (x's low ${plan.input.width} bits, as the port reads them), bit-exact with the hardware`,
      name: `${m}_eval`,
      returnType: returnType(plan.y.output),
      body: `${m}_y(${m}_input_code(x))`,
    },
  ];
  if (plan.dy) {
    functions.push({
      comment: `dy for input code x, bit-exact with the hardware`,
      name: `${m}_eval_dy`,
      returnType: returnType(plan.dy.output),
      body: `${m}_dy(${m}_input_code(x))`,
    });
  }
  statics.unshift(inputStatic(m, plan, used));
  return {
    header: headerLines(design).map(cComment),
    module: m,
    guard: `${upper}_H`,
    headerFile,
    macroGroups,
    arrays,
    functions,
    helpers: helperStatics(m, used),
    statics,
  };
}

function rangeMacros(prefix: string, comment: string, range: CodeRange): MacroGroup {
  return {
    comment,
    macros: [
      { name: `${prefix}_SIGNED`, value: range.signed ? "1" : "0" },
      { name: `${prefix}_INT_BITS`, value: String(range.format.intBits) },
      { name: `${prefix}_FRAC_BITS`, value: String(range.format.fracBits) },
      { name: `${prefix}_WIDTH`, value: String(range.width) },
      { name: `${prefix}_MIN`, value: parenthesized(cInt(range.min)) },
      { name: `${prefix}_MAX`, value: parenthesized(cInt(range.max)) },
    ],
  };
}

/** `expr - value` without "- 0" or "- -5". */
function minus(expr: string, value: number): string {
  if (value === 0) return expr;
  return value < 0 ? `${expr} + ${cInt(-value)}` : `${expr} - ${cInt(value)}`;
}

/** `expr + value` without "+ 0" or "+ -5". */
function plus(expr: string, value: number): string {
  return minus(expr, -value);
}

function parenthesized(text: string): string {
  return text.startsWith("-") ? `(${text})` : text;
}

function channelArrays(m: string, channel: ChannelPlan): ArrayView[] {
  const p = channel.port;
  const rom = channel.rom;
  const entries = rom.slope.length;
  const per = channel.select.kind === "tree" ? "segment" : "cell";
  const arrays: ArrayView[] = [];
  if (channel.select.kind === "tree") {
    arrays.push({
      comment: `${p}: the table code where each segment starts`,
      type: "int32_t",
      name: `${m}_${p}_breakpoints`,
      length: channel.select.breakpoints.length,
      rows: rows(channel.select.breakpoints),
    });
  }
  const column = (
    what: string,
    values: readonly number[],
    range: { min: number; max: number },
    format: string,
  ): ArrayView => ({
    comment: `${p}: coefficient ROM, ${what} (${format}), one entry per ${per}`,
    type: cType(range),
    name: `${m}_${p}_${what}`,
    length: entries,
    rows: rows(values),
  });
  arrays.push(
    column("slope", rom.slope, rangeOf(rom.slope, rom.slopeFormat.signed), formatName(rom.slopeFormat)),
    column(
      "intercept",
      rom.intercept,
      rangeOf(rom.intercept, rom.interceptFormat.signed),
      `${formatName(rom.interceptFormat)}, rounding constant folded in`,
    ),
  );
  if (rom.tap) arrays.push(column("dy", rom.tap, rangeOf(rom.tap, true), "dy of a slope tap"));
  return arrays;
}

/** The range the column's type must hold: the values' own (a format may be wider than int64 needs). */
function rangeOf(values: readonly number[], signed: boolean): { min: number; max: number } {
  let min = signed ? -1 : 0;
  let max = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function inputStatic(m: string, plan: DesignPlan, used: Set<string>): StaticView {
  const w = plan.input.width;
  used.add("input");
  const lines = [`const int64_t bits = (int64_t)((uint32_t)x & UINT32_C(${cInt(2 ** w - 1)}));`];
  lines.push(
    plan.input.signed
      ? `return bits > ${cInt(plan.input.max)} ? bits - ${cInt(2 ** w)} : bits;`
      : "return bits;",
  );
  return {
    comment: `The input code the port's ${w} bits hold (${formatName(plan.input.format)})`,
    signature: `static int64_t ${m}_input_code(int32_t x)`,
    lines,
  };
}

/** Statements of the golden model's steps (see plan.ts), for one channel. */
function channelStatics(
  m: string,
  channel: ChannelPlan,
  architecture: string,
  used: Set<string>,
): StaticView[] {
  const p = channel.port;
  const fd = `${m}_floor_div`;
  const fm = `${m}_floor_mod`;
  // Table code.
  const code: string[] = [];
  let u = "x";
  if (channel.fold !== "none") {
    code.push(`const int64_t u = x < 0 ? ${channel.fold === "ones" ? "-x - 1" : "-x"} : x;`);
    u = "u";
  }
  if (channel.inputShift > 0) {
    used.add("floor_div");
    code.push(`return ${fd}(${u}, ${cInt(2 ** channel.inputShift)});`);
  } else {
    code.push(`return ${u};`);
  }
  // ROM entry.
  const entry: string[] = [];
  const select = channel.select;
  if (select.kind === "tree") {
    const n = select.breakpoints.length;
    if (n === 1) {
      entry.push("(void)t;", "return 0;");
    } else {
      entry.push(
        "int32_t lo = 0;",
        `int32_t hi = ${n - 1};`,
        "while (lo < hi) {",
        "    const int32_t mid = (lo + hi + 1) / 2;",
        `    if (${m}_${p}_breakpoints[mid] <= t) lo = mid;`,
        "    else hi = mid - 1;",
        "}",
        "return lo;",
      );
    }
  } else if (select.cells === 1) {
    entry.push("(void)t;", "return 0;");
  } else {
    entry.push(
      `const int64_t cell = ${select.first === 0 ? "t" : `(${minus("t", select.first)})`} / ${cInt(2 ** select.cellShift)}; /* t - first >= 0 */`,
      `return cell > ${select.cells - 1} ? ${select.cells - 1} : (int32_t)cell;`,
    );
  }
  // Datapath.
  const body: string[] = [
    `const int64_t t = ${m}_${p}_table_code(x);`,
    `const int32_t e = ${m}_${p}_entry(t);`,
  ];
  body.push(
    channel.offset
      ? `const int64_t o = ${offsetExpression(channel.offset, { entry: "(int64_t)e", min: (a, b) => `(${a} < ${b} ? ${a} : ${b})`, minus, literal: cInt })}; /* t's offset in its cell${channel.offset.saturates ? " (at most its last code)" : ""} */`
      : "const int64_t o = t;",
  );
  const k = channel.interceptShift;
  const aligned = `(int64_t)${m}_${p}_intercept[e]${k === 0 ? "" : ` * ${cInt(2n ** BigInt(k))}`}`;
  body.push(`const int64_t acc = (int64_t)${m}_${p}_slope[e] * o + ${aligned};`);
  const s = channel.productShift;
  if (s > 0) {
    used.add("floor_div");
    body.push(`int64_t q = ${fd}(acc, ${cInt(2n ** BigInt(s))});`);
    if (channel.halfEven) {
      body.push(
        `const int64_t r = acc - q * ${cInt(2n ** BigInt(s))};`,
        `if (r > ${cInt(2n ** BigInt(s - 1))} || (r == ${cInt(2n ** BigInt(s - 1))} && q % 2 != 0)) q += 1; /* half to even */`,
      );
    }
  } else {
    body.push(s === 0 ? "int64_t q = acc;" : `int64_t q = acc * ${cInt(2n ** BigInt(-s))};`);
  }
  if (channel.saturateLow) body.push(`if (q < ${cInt(channel.gridMin)}) q = ${cInt(channel.gridMin)};`);
  if (channel.saturateHigh) body.push(`if (q > ${cInt(channel.gridMax)}) q = ${cInt(channel.gridMax)};`);
  const out = channel.output;
  used.add("floor_mod");
  const gridBits = out.width - channel.outputShift;
  const scale = channel.outputShift > 0 ? ` * ${cInt(2 ** channel.outputShift)}` : "";
  body.push(`int64_t y = ${fm}(q, ${cInt(2n ** BigInt(gridBits))})${scale}; /* the low ${out.width} bits */`);
  if (out.signed) body.push(`if (y > ${cInt(out.max)}) y -= ${cInt(2n ** BigInt(out.width))};`);
  if (channel.unfoldBase !== undefined) {
    body.push(
      `if (x < 0) y = ${plus(`${fm}(${minus(`${cInt(channel.unfoldBase)} - y`, out.min)}, ${cInt(2n ** BigInt(out.width))})`, out.min)}; /* unfold, wrapped to ${out.width} bits */`,
    );
  }
  if (channel.ramp !== undefined) {
    body.push(
      `if (x < 0) y = ${plus(`${fm}(${minus(`y + ${cInt(channel.ramp)} * x`, out.min)}, ${cInt(2n ** BigInt(out.width))})`, out.min)}; /* unfold: + ${channel.ramp} * x, wrapped to ${out.width} bits */`,
    );
  }
  body.push("return y;");
  return [
    {
      comment: `${p}: the table code of input code x${channel.fold === "none" ? "" : ` (x folded: ${channel.fold === "ones" ? "-x - 1" : "-x"} for x < 0)`}${channel.inputShift > 0 ? `, ${channel.inputShift} low bits dropped` : ""}`,
      signature: `static int64_t ${m}_${p}_table_code(int64_t x)`,
      lines: code,
    },
    {
      comment:
        select.kind === "tree"
          ? `${p}: the segment of table code t, the last breakpoint <= t (the comparator tree's answer)`
          : `${p}: the ROM cell of table code t, addressed by its top bits`,
      signature: `static int32_t ${m}_${p}_entry(int64_t t)`,
      lines: entry,
    },
    {
      comment: `${p}: ${architecture}; multiply-add, rounding, saturation${channel.unfoldBase === undefined && channel.ramp === undefined ? "" : ", unfolding"}`,
      signature: `static int64_t ${m}_${p}(int64_t x)`,
      lines: body,
    },
  ];
}

function tapStatic(m: string, tap: TapPlan, y: ChannelPlan, used: Set<string>): StaticView {
  const lines = [`int64_t dy = ${m}_${y.port}_dy[${m}_${y.port}_entry(${m}_${y.port}_table_code(x))];`];
  if (tap.unfoldBase !== undefined) {
    used.add("floor_mod");
    const out = tap.output;
    lines.push(
      `if (x < 0) dy = ${plus(`${m}_floor_mod(${minus(`${cInt(tap.unfoldBase)} - dy`, out.min)}, ${cInt(2n ** BigInt(out.width))})`, out.min)}; /* unfold, wrapped to ${out.width} bits */`,
    );
  }
  lines.push("return dy;");
  return {
    comment: "dy: the active y segment's slope (a column of y's ROM)",
    signature: `static int64_t ${m}_dy(int64_t x)`,
    lines,
  };
}

function helperStatics(m: string, used: Set<string>): StaticView[] {
  const helpers: StaticView[] = [];
  if (used.has("floor_div")) {
    helpers.push({
      comment:
        "floor(v / d) for d > 0: C99's / truncates toward zero, and shifting a negative number is implementation-defined",
      signature: `static int64_t ${m}_floor_div(int64_t v, int64_t d)`,
      lines: ["int64_t q = v / d;", "if (v % d != 0 && v < 0) q -= 1;", "return q;"],
    });
  }
  if (used.has("floor_mod")) {
    helpers.push({
      comment: "v mod d in [0, d) for d > 0",
      signature: `static int64_t ${m}_floor_mod(int64_t v, int64_t d)`,
      lines: ["const int64_t r = v % d;", "return r < 0 ? r + d : r;"],
    });
  }
  return helpers;
}
