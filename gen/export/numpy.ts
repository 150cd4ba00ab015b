import { formatName } from "../fixed/format.js";
import { type PwlDesign, architectureText } from "../design/ir.js";
import { headerLines } from "../rtl/view.js";
import { type ChannelPlan, type CodeRange, type TapPlan, designPlan, offsetExpression } from "./plan.js";
import { renderExport } from "./templates.js";

/**
 * The NumPy model <module>.py: numpy only, every step of the golden model (plan.ts) on
 * whole int64 arrays at once. The segment is np.searchsorted over the breakpoints (the
 * last breakpoint <= t) or the top bits of the table code; floor division and modulo are
 * numpy's // and %, which round toward minus infinity like the golden model. Every value
 * stays far below 2^63 (plan.ts refuses an IR whose accumulator would not).
 *
 * evaluate_real quantizes like the unit's input: scale by 2^frac, round with the unit's
 * rounding (half-up, half-even or truncate, ties exactly as fixed/format.ts roundReal),
 * saturate to the input range; what `pwlgen train` feeds its golden-model tables.
 */
export function renderNumpyModel(design: PwlDesign): string {
  return renderExport("numpy", "model.py.hbs", numpyView(design));
}

interface Constant {
  readonly name: string;
  readonly value: string;
}

interface ArrayView {
  readonly comment: string;
  readonly name: string;
  readonly rows: readonly string[];
}

interface FunctionView {
  readonly signature: string;
  readonly doc: string;
  readonly lines: readonly string[];
}

interface PublicView {
  readonly port: string;
  /** "" for y, "_dy" for dy: evaluate, evaluate_dy. */
  readonly suffix: string;
  readonly channel: string;
  readonly ulp: string;
  readonly format: string;
}

/** Text safe in a Python comment or docstring line. */
function pyText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/"""/g, '\\"\\"\\"');
}

function pyArray(values: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += 10) out.push(`${values.slice(i, i + 10).join(", ")},`);
  return out;
}

function numpyView(design: PwlDesign): object {
  const plan = designPlan(design, "NumPy");
  const constants: Constant[] = [
    ...rangeConstants("INPUT", plan.input),
    { name: "ROUNDING", value: JSON.stringify(design.y.rounding) },
    ...rangeConstants("Y", plan.y.output),
    ...(plan.dy ? rangeConstants("DY", plan.dy.output) : []),
    { name: "LATENCY", value: String(design.pipeline) },
  ];
  const arrays: ArrayView[] = [];
  const functions: FunctionView[] = [];
  const channels: ChannelPlan[] = [plan.y, ...(plan.dy && "rom" in plan.dy ? [plan.dy] : [])];
  for (const channel of channels) {
    const pwl = channel === plan.y ? design.y : design.dy!;
    arrays.push(...channelArrays(channel));
    functions.push(...channelFunctions(channel, pwl.kind === "pwl" ? architectureText(pwl) : ""));
  }
  const tap = plan.dy && !("rom" in plan.dy) ? plan.dy : undefined;
  if (tap) functions.push(tapFunction(tap, plan.y));
  const publics: PublicView[] = [
    {
      port: "y",
      suffix: "",
      channel: `_${plan.y.port}`,
      ulp: "Y_ULP",
      format: formatName(plan.y.output.format),
    },
    ...(plan.dy
      ? [
          {
            port: "dy",
            suffix: "_dy",
            channel: `_${plan.dy.port}`,
            ulp: "DY_ULP",
            format: formatName(plan.dy.output.format),
          },
        ]
      : []),
  ];
  const roundingMode = design.y.rounding;
  return {
    header: headerLines(design).map(pyText),
    module: design.module,
    inputFormat: formatName(plan.input.format),
    constants,
    arrays,
    functions,
    publics,
    exports: [
      "evaluate",
      ...(plan.dy ? ["evaluate_dy"] : []),
      "evaluate_real",
      ...(plan.dy ? ["evaluate_real_dy"] : []),
      "quantize",
    ]
      .map((name) => JSON.stringify(name))
      .join(", "),
    rounding: roundingMode,
    roundUp:
      roundingMode === "truncate"
        ? "np.zeros(scaled.shape, dtype=bool)"
        : roundingMode === "half-up"
          ? "rest >= 0.5"
          : "(rest > 0.5) | ((rest == 0.5) & (np.fmod(floor, 2.0) != 0.0))",
  };
}

function rangeConstants(prefix: string, range: CodeRange): Constant[] {
  return [
    { name: `${prefix}_FORMAT`, value: JSON.stringify(formatName(range.format)) },
    { name: `${prefix}_SIGNED`, value: range.signed ? "True" : "False" },
    { name: `${prefix}_INT_BITS`, value: String(range.format.intBits) },
    { name: `${prefix}_FRAC_BITS`, value: String(range.format.fracBits) },
    { name: `${prefix}_WIDTH`, value: String(range.width) },
    { name: `${prefix}_MIN`, value: String(range.min) },
    { name: `${prefix}_MAX`, value: String(range.max) },
    { name: `${prefix}_ULP`, value: `2.0 ** -${range.format.fracBits}` },
  ];
}

function channelArrays(channel: ChannelPlan): ArrayView[] {
  const P = channel.port.toUpperCase();
  const per = channel.select.kind === "tree" ? "segment" : "cell";
  const arrays: ArrayView[] = [];
  if (channel.select.kind === "tree") {
    arrays.push({
      comment: `${channel.port}: the table code where each segment starts`,
      name: `_${P}_BREAKPOINTS`,
      rows: pyArray(channel.select.breakpoints),
    });
  }
  arrays.push(
    {
      comment: `${channel.port}: coefficient ROM, slope (${formatName(channel.rom.slopeFormat)}), one entry per ${per}`,
      name: `_${P}_SLOPE`,
      rows: pyArray(channel.rom.slope),
    },
    {
      comment: `${channel.port}: coefficient ROM, intercept (${formatName(channel.rom.interceptFormat)}, rounding constant folded in), one entry per ${per}`,
      name: `_${P}_INTERCEPT`,
      rows: pyArray(channel.rom.intercept),
    },
  );
  if (channel.rom.tap) {
    arrays.push({
      comment: `dy: the active segment's slope, a column of ${channel.port}'s ROM`,
      name: `_${P}_DY`,
      rows: pyArray(channel.rom.tap),
    });
  }
  return arrays;
}

/** `expr - value` without "- 0" or "- -5". */
function minus(expr: string, value: number): string {
  if (value === 0) return expr;
  return value < 0 ? `${expr} + ${-value}` : `${expr} - ${value}`;
}

function channelFunctions(channel: ChannelPlan, architecture: string): FunctionView[] {
  const p = channel.port;
  const P = p.toUpperCase();
  const code: string[] = [];
  let u = "x";
  if (channel.fold !== "none") {
    code.push(`u = np.where(x < 0, ${channel.fold === "ones" ? "-x - 1" : "-x"}, x)`);
    u = "u";
  }
  code.push(channel.inputShift > 0 ? `return ${u} // ${2 ** channel.inputShift}` : `return ${u}`);
  const entry: string[] = [];
  const select = channel.select;
  if (select.kind === "tree") {
    entry.push(`return np.searchsorted(_${P}_BREAKPOINTS, t, side="right") - 1`);
  } else {
    const offset = select.first === 0 ? "t" : `(${minus("t", select.first)})`;
    entry.push(`return np.minimum(${offset} // ${2 ** select.cellShift}, ${select.cells - 1})`);
  }
  const body: string[] = [`t = _${p}_table_code(x)`, `e = _${p}_entry(t)`];
  if (channel.offset) {
    const offset = offsetExpression(channel.offset, {
      entry: "e",
      min: (a, b) => `np.minimum(${a}, ${b})`,
      minus,
      literal: String,
    });
    body.push(
      `o = ${offset}  # t's offset in its cell${channel.offset.saturates ? " (at most its last code)" : ""}`,
    );
  } else {
    body.push("o = t");
  }
  const k = channel.interceptShift;
  body.push(`acc = _${P}_SLOPE[e] * o + _${P}_INTERCEPT[e]${k === 0 ? "" : ` * ${2n ** BigInt(k)}`}`);
  const s = channel.productShift;
  if (s > 0) {
    const scale = 2n ** BigInt(s);
    body.push(`q = acc // ${scale}`);
    if (channel.halfEven) {
      const half = 2n ** BigInt(s - 1);
      body.push(
        `rest = acc - q * ${scale}`,
        `q = q + ((rest > ${half}) | ((rest == ${half}) & (q % 2 != 0)))  # half to even`,
      );
    }
  } else {
    body.push(s === 0 ? "q = acc" : `q = acc * ${2n ** BigInt(-s)}`);
  }
  if (channel.saturateLow) body.push(`q = np.maximum(q, ${channel.gridMin})`);
  if (channel.saturateHigh) body.push(`q = np.minimum(q, ${channel.gridMax})`);
  const out = channel.output;
  const gridBits = out.width - channel.outputShift;
  body.push(
    `y = (q % ${2n ** BigInt(gridBits)})${channel.outputShift > 0 ? ` * ${2 ** channel.outputShift}` : ""}  # the low ${out.width} bits`,
  );
  if (out.signed) body.push(`y = np.where(y > ${out.max}, y - ${2n ** BigInt(out.width)}, y)`);
  if (channel.unfoldBase !== undefined) {
    const wrapped = `(${minus(`${channel.unfoldBase} - y`, out.min)}) % ${2n ** BigInt(out.width)}`;
    body.push(`y = np.where(x < 0, ${minus(wrapped, -out.min)}, y)  # unfold, wrapped to ${out.width} bits`);
  }
  if (channel.ramp !== undefined) {
    const wrapped = `(${minus(`y + ${channel.ramp} * x`, out.min)}) % ${2n ** BigInt(out.width)}`;
    body.push(
      `y = np.where(x < 0, ${minus(wrapped, -out.min)}, y)  # unfold: + ${channel.ramp} * x, wrapped to ${out.width} bits`,
    );
  }
  body.push("return y");
  return [
    {
      signature: `_${p}_table_code(x)`,
      doc: `${p}: the table code of input codes x${channel.fold === "none" ? "" : ` (x folded: ${channel.fold === "ones" ? "-x - 1" : "-x"} for x < 0)`}${channel.inputShift > 0 ? `, ${channel.inputShift} low bits dropped` : ""}.`,
      lines: code,
    },
    {
      signature: `_${p}_entry(t)`,
      doc:
        select.kind === "tree"
          ? `${p}: the segment of table code t, the last breakpoint <= t (the comparator tree's answer).`
          : `${p}: the ROM cell of table code t, addressed by its top bits.`,
      lines: entry,
    },
    {
      signature: `_${p}(x)`,
      doc: `${p}: ${architecture}; multiply-add, rounding, saturation${channel.unfoldBase === undefined && channel.ramp === undefined ? "" : ", unfolding"}.`,
      lines: body,
    },
  ];
}

function tapFunction(tap: TapPlan, y: ChannelPlan): FunctionView {
  const Y = y.port.toUpperCase();
  const lines = [`dy = _${Y}_DY[_${y.port}_entry(_${y.port}_table_code(x))]`];
  if (tap.unfoldBase !== undefined) {
    const out = tap.output;
    const wrapped = `(${minus(`${tap.unfoldBase} - dy`, out.min)}) % ${2n ** BigInt(out.width)}`;
    lines.push(
      `dy = np.where(x < 0, ${minus(wrapped, -out.min)}, dy)  # unfold, wrapped to ${out.width} bits`,
    );
  }
  lines.push("return dy");
  return {
    signature: `_${tap.port}(x)`,
    doc: "dy: the active y segment's slope (a column of y's ROM).",
    lines,
  };
}
