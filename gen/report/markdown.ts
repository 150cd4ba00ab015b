import {
  type FixFormat,
  formatName,
  maxCode,
  maxReal,
  minCode,
  minReal,
  toReal,
  ulp,
  width,
} from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, architectureText, hardwareSummary } from "../design/ir.js";
import { estimateCost } from "../cost/model.js";
import { TARGET_NAMES } from "../synth/targets.js";
import type { ChannelReport, Generation } from "../generate.js";
import { evaluateChannel } from "../model/golden.js";
import { headerLines } from "../rtl/view.js";
import { showReal } from "../spec/bound.js";
import { counted } from "../text.js";
import { channelWordTree } from "../rtl/rom.js";
import type { SimResult } from "../../sim/types.js";
import type { UnitFiles, VectorSummary } from "./manifest.js";

/** report.md: what a hardware engineer reads before using the unit. */
export function reportMarkdown(
  generation: Generation,
  files: UnitFiles,
  vectors: VectorSummary,
  verification: readonly SimResult[] | undefined,
): string {
  const { design } = generation;
  const lines: string[] = [];
  lines.push(`<!-- ${headerLines(design).join(" | ")} -->`, "");
  lines.push(`# ${design.module}`, "");
  lines.push(
    `\`${design.function}(x) = ${generation.function.formula}\` as a piecewise-linear unit: ` +
      `input ${describe(design.input)}, output ${describe(design.y.output)}` +
      (design.dy ? `, and its derivative on port dy (${describe(design.dy.output)})` : "") +
      ".",
    "",
  );
  const exactZero = generation.spec.exactZero;
  lines.push("## y", "", ...tableSummary(design, design.y, generation.y, exactZero), "");
  lines.push(
    "Errors are the golden model (bit-exact with the RTL) against the double-precision function over every input code.",
    "",
  );
  const dy = design.dy;
  const dyReport = generation.dy;
  if (dy && dyReport) {
    const formula = `${generation.function.derivative.formula}${generation.function.derivative.numerical ? " (no symbolic derivative: a central difference is the reference)" : ""}`;
    lines.push("## dy", "", `Reference: \`${formula}\`.`, "");
    if (dy.kind === "pwl") {
      lines.push(
        `A separate PWL table of the derivative, with its own breakpoints and comparator tree, in the same module and pipeline.`,
        "",
        ...tableSummary(design, dy, dyReport, exactZero),
        "",
      );
    } else {
      const a = dyReport.accuracy;
      const dyUlp = ulp(dy.output);
      lines.push(
        "The paper's piecewise-constant derivative: dy is the active y segment's slope, rounded to the dy format and stored as one more ROM column. " +
          "It carries no bound; its error against the true derivative is:",
        "",
        "| | |",
        "|---|---|",
        `| max error | ${a.max.toPrecision(6)} (${(a.max / dyUlp).toFixed(3)} ulp) at x = ${toReal(a.worstCode, design.input)} |`,
        `| mean error | ${a.mean.toPrecision(6)} |`,
        `| rms error | ${a.rms.toPrecision(6)} |`,
        `| extra ROM | ${design.y.breakpoints.length} x ${width(dy.output)} = ${design.y.breakpoints.length * width(dy.output)} bits |`,
        "",
      );
    }
  }

  lines.push(...costSection(generation));
  lines.push("## Verification", "", ...verificationLines(verification, files));
  lines.push(
    "",
    `Vectors: ${vectors.count} in \`${files.vectors}\`, ${vectors.exhaustive ? "every input code" : `corner cases and a random sample (seed ${vectors.seed})`}.`,
    "",
  );

  lines.push(...segmentTable("y segments", design, design.y, generation.y));
  if (dy?.kind === "pwl" && dyReport) lines.push(...segmentTable("dy segments", design, dy, dyReport));
  lines.push("## Files", "");
  const listed = (name: string | undefined, what: string): string[] =>
    name ? [`- \`${name}\`: ${what}`] : [];
  lines.push(
    ...listed(files.module, "the unit (Verilog-2005)"),
    ...listed(files.testbench, "self-checking testbench for both simulators"),
    ...listed(files.vhdlModule, "the unit (VHDL-2008, numeric_std)"),
    ...listed(files.vhdlTestbench, "self-checking VHDL testbench (GHDL), reading the same vectors"),
    `- \`${files.vectors}\`: test vectors {x, expected ${design.dy ? "y, dy" : "y"}} from the golden model`,
    ...listed(files.cHeader, "C model: formats as macros, ROMs as const arrays, the entry points"),
    ...listed(files.cSource, "C model (C99): the golden model's integer arithmetic"),
    ...listed(files.numpy, "NumPy model: evaluate(codes), evaluate_real(x)"),
    ...listed(files.filelist, "the HDL sources in compile order, for -f"),
    `- \`${files.plot}\`: the function, the unit's output with its breakpoints, and the error per input code`,
    "- `manifest.json`: everything above, machine-readable",
    "",
  );
  return lines.join("\n");
}

/**
 * The cost model's estimates on every target (no synthesis run: `pwlgen synth` measures),
 * and for --method auto or optimal the candidates the search built.
 */
function costSection(generation: Generation): string[] {
  const { design } = generation;
  const lines = [
    "## Cost estimates",
    "",
    "From the cost model (`gen/cost/`), without synthesis; `pwlgen synth` measures with Yosys.",
    "",
    "| target | LUTs | carry | DSPs | BRAMs | FFs | logic depth |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...TARGET_NAMES.map((target) => {
      const e = estimateCost(design, target);
      return `| ${target} | ${e.lut} | ${e.carry} | ${e.dsp} | ${e.bram} | ${e.ff} | ${e.depth} |`;
    }),
    "",
  ];
  for (const [port, report] of [
    ["y", generation.y],
    ["dy", generation.dy],
  ] as const) {
    const choice = report?.choice;
    if (!choice) continue;
    const measured = choice.candidates.some((c) => c.measured);
    lines.push(
      `### ${port}: the candidates of --method ${choice.method} (${choice.target})`,
      "",
      `${choice.reason[0]!.toUpperCase()}${choice.reason.slice(1)}. Shown: the ${Math.min(SHOWN_CANDIDATES, choice.candidates.length)} cheapest of ${choice.candidates.length}; manifest.json lists all.`,
      "",
      "Candidates marked *sample* were built on a sample of the input codes to rank them (their",
      "widths and estimates approximate); the others were built and checked on every code.",
      "",
      ...(measured
        ? [
            "The finalists were synthesized with Yosys (`--select-by yosys`): the unit is the one with",
            "the fewest LUTs (a DSP or block RAM counting 16) as measured.",
            "",
          ]
        : []),
      `| # | method | architecture | segments | ROM entries | ROM bits | LUTs | DSPs | BRAMs | depth | built on |${measured ? " Yosys LUTs / DSPs / BRAMs |" : ""}`,
      `|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|${measured ? "---:|" : ""}`,
      ...choice.candidates.slice(0, SHOWN_CANDIDATES).map((c, i) => {
        const e = c.estimate;
        const m = c.measured;
        return (
          `| ${i === 0 ? "**1**" : i + 1} | ${c.method} | ${c.architecture} | ${c.segments} | ${c.romEntries} | ${c.romBits} | ${e.lut} | ${e.dsp} | ${e.bram} | ${e.depth} | ${c.screened ? "*sample*" : "every code"} |` +
          (measured ? ` ${m ? `${m.lut} / ${m.dsp} / ${m.bram}` : ""} |` : "")
        );
      }),
      "",
    );
  }
  return lines;
}

const SHOWN_CANDIDATES = 12;

/** What the unit outputs at x = 0, against the function there (--exact-zero pins it). */
function atZero(design: PwlDesign, channel: PwlChannel, report: ChannelReport, exactZero: boolean): string {
  const code = evaluateChannel(channel, 0);
  const value = report.reference[-minCode(design.input)]!;
  const step = ulp(channel.output);
  const representable = Math.min(
    Math.max(Math.round(value / step), minCode(channel.output)),
    maxCode(channel.output),
  );
  const nearest = Math.abs(code * step - value) <= Math.abs(representable * step - value);
  const how = exactZero
    ? "the nearest code (--exact-zero)"
    : nearest
      ? "the nearest code"
      : "within the bound; --exact-zero makes it the nearest code";
  return `output ${toReal(code, channel.output)} (code ${code}), function ${Number(value.toPrecision(6))}: ${how}`;
}

function tableSummary(
  design: PwlDesign,
  channel: PwlChannel,
  report: ChannelReport,
  exactZero: boolean,
): string[] {
  const hw = hardwareSummary(design.input, channel);
  const outUlp = ulp(channel.output);
  const ulps = (value: number): string => `${(value / outUlp).toFixed(3)} ulp`;
  const provenance = report.provenance!;
  const accuracy = report.accuracy;
  const minimal = `${provenance.ampleSegments === hw.segments ? "the minimum for these coefficient formats, and equal to the minimum with " + provenance.ampleSlopeFracBits + " slope fraction bits" : `the minimum for these coefficient formats (${provenance.ampleSegments} with ${provenance.ampleSlopeFracBits} slope fraction bits)`}`;
  const method =
    provenance.method === "optimal"
      ? `optimal: ${minimal}`
      : provenance.method === "lsq-greedy"
        ? "lsq-greedy (the paper's method: grow while the least-squares line meets the bound)"
        : channel.select.kind === "index"
          ? `${provenance.method}: ${hw.romEntries === hw.segments ? `${hw.romEntries} equal segments` : `${counted(hw.segments, "segment")} on a grid of ${hw.romEntries} cells`} addressed by the top ${channel.select.indexBits} bits, no comparators`
          : provenance.method;
  const budget = provenance.segmentBudget !== undefined ? ` (budget ${provenance.segmentBudget})` : "";
  const row = (label: string, value: string): string => `| ${label} | ${value} |`;
  const rows = [
    "| | |",
    "|---|---|",
    row("segments", `${hw.segments}${budget}, ${method}`),
    row(
      "error bound",
      `${showReal(channel.bound)} = ${channel.bound.toPrecision(6)} (${ulps(channel.bound)})` +
        (provenance.segmentBudget !== undefined ? ", the smallest the budget reaches" : ""),
    ),
    row(
      "max error",
      `${accuracy.max.toPrecision(6)} (${ulps(accuracy.max)}) at x = ${toReal(accuracy.worstCode, design.input)} (code ${accuracy.worstCode})`,
    ),
    row("mean error", `${accuracy.mean.toPrecision(6)} (${ulps(accuracy.mean)})`),
    row("rms error", `${accuracy.rms.toPrecision(6)} (${ulps(accuracy.rms)})`),
    row("at x = 0", atZero(design, channel, report, exactZero)),
  ];
  if (channel.fold.kind !== "none") {
    const unfolded = provenance.unfolded;
    const saving =
      unfolded === "infeasible"
        ? "; without folding, these coefficient formats cannot meet the bound"
        : unfolded
          ? `; without folding: ${counted(unfolded.segments, "segment")}, ${unfolded.romBits} ROM bits${channel.select.kind === "tree" ? `, ${counted(unfolded.segments - 1, "comparator")}` : ""} (saves ${counted(unfolded.segments - hw.segments, "segment")}, ${unfolded.romBits - hw.romBits} ROM bits)`
          : report.choice && provenance.method !== "optimal"
            ? "" // auto chose a design that is not the fewest segments: no like-for-like comparison
            : " (the comparison without folding is not computed above 20 input bits)";
    const how =
      channel.fold.kind === "odd"
        ? "y(-x) = -y(x)"
        : channel.fold.kind === "even"
          ? "y(-x) = y(x)"
          : channel.fold.kind === "ramp"
            ? `y(x) = y(t) + ${channel.fold.constant} * x for negative x (codes): f(x) = f(-x) + x, an adder`
            : `y(-x) = ${channel.fold.constant} - y(x) (codes)`;
    const covers =
      channel.fold.style === "ones"
        ? `x ^ sign (-x - 1 for negative x, an XOR per bit)${channel.fold.kind === "ramp" ? "" : ", unfolded with an XOR"}`
        : "|x|";
    rows.push(row("symmetry", `folded ${channel.fold.kind}: the table covers ${covers}, ${how}${saving}`));
  }
  rows.push(row("architecture", architectureText(channel)));
  if (channel.inputShift > 0) {
    rows.push(
      row("input bits", `the table ignores the low ${counted(channel.inputShift, "bit")} of its input`),
    );
  }
  if (channel.outputShift > 0) {
    rows.push(
      row(
        "output grid",
        `the low ${counted(channel.outputShift, "output bit")} are 0 before unfolding (steps of ${2 ** channel.outputShift} ulps)`,
      ),
    );
  }
  const choice = report.choice;
  if (choice) {
    rows.push(
      row(
        `--method ${choice.method}`,
        `${choice.reason}; optimal on the classic datapath${choice.optimalSlopeDigits !== undefined ? ` with ${choice.optimalSlopeDigits}-digit slopes` : ""} needs ${counted(choice.optimalSegments, "segment")}`,
      ),
    );
  }
  const shiftAdd = hw.shiftAdd;
  const slopeBits = shiftAdd ? shiftAdd.slopeFieldBits : width(channel.slopeFormat);
  rows.push(
    row(
      "slope ROM",
      shiftAdd
        ? `${formatName(channel.slopeFormat)} as ${counted(shiftAdd.digits, "signed power-of-two digit")} (${slopeBits} bits: per digit an enable, a sign and a ${shiftAdd.shiftBits}-bit shift)`
        : `${formatName(channel.slopeFormat)} (${slopeBits} bits)`,
    ),
    row("intercept ROM", `${formatName(channel.interceptFormat)} (${width(channel.interceptFormat)} bits)`),
    row("ROM", `${hw.romEntries} x ${slopeBits + width(channel.interceptFormat)} = ${hw.romBits} bits`),
    row(
      "segment select",
      channel.select.kind === "tree"
        ? `${counted(hw.comparators, "comparator")} against constants, tree depth ${hw.treeDepth}${channelWordTree(design, channel) ? "; in the Verilog its nodes select the ROM words (a word tree)" : ""}`
        : `top ${counted(channel.select.indexBits, "bit")} of the table code${channel.select.offset ? `; the slope multiplies the low ${channel.select.shift} bits (the offset in the cell${channel.select.offsetSaturates ? `, all ones for \\|x\\| = 2^${width(design.input) - 1}, past the last cell` : ""})` : ""}`,
    ),
    shiftAdd
      ? row(
          "multiplier",
          `none: shift-add, up to ${shiftAdd.digits} shifted copies of the ${hw.multiplier[0]}-bit operand added or subtracted`,
        )
      : row("multiplier", `${hw.multiplier[0]} x ${hw.multiplier[1]} bits`),
    row("accumulator", `${hw.accumulatorWidth} bits, shifted right by ${channel.productShift}`),
    row("rounding", roundingText(channel)),
    row("saturation", saturationText(channel)),
    row(
      "latency",
      design.pipeline === 0 ? "0 cycles (combinational)" : `${design.pipeline} cycles, one input per clock`,
    ),
  );
  return rows;
}

function segmentTable(
  title: string,
  design: PwlDesign,
  channel: PwlChannel,
  report: ChannelReport,
): string[] {
  const outUlp = ulp(channel.output);
  const folded = channel.fold.kind === "none" ? "x" : channel.fold.style === "ones" ? "x ^ sign" : "|x|";
  const variable = channel.inputShift > 0 ? `(${folded}) >> ${channel.inputShift}` : folded;
  const lines = [
    `## ${title}`,
    "",
    `| # | from ${variable} (code) | from ${variable} | slope | intercept | max error |`,
    "|---:|---:|---:|---:|---:|---:|",
  ];
  channel.breakpoints.forEach((start, i) => {
    lines.push(
      `| ${i} | ${start} | ${toReal(start * 2 ** channel.inputShift, design.input)} | ${channel.slopes[i]} (${toReal(channel.slopes[i]!, channel.slopeFormat)}) | ` +
        `${channel.intercepts[i]} (${toReal(channel.intercepts[i]!, channel.interceptFormat)}) | ${(report.accuracy.segmentMax[i]! / outUlp).toFixed(3)} ulp |`,
    );
  });
  lines.push("");
  return lines;
}

function describe(format: FixFormat): string {
  return `${formatName(format)} (${format.signed ? "signed" : "unsigned"}, ${width(format)} bits, [${minReal(format)}, ${maxReal(format) + ulp(format)}))`;
}

function roundingText(channel: PwlChannel): string {
  if (channel.productShift === 0) return "none needed (the product has the output's fraction bits)";
  if (channel.rounding === "half-up") return "half up, folded into the intercepts (the shift truncates)";
  if (channel.rounding === "half-even") return "half to even";
  return "truncation";
}

function saturationText(channel: PwlChannel): string {
  const sides = [channel.saturateLow ? "below" : "", channel.saturateHigh ? "above" : ""].filter(Boolean);
  if (sides.length > 0) return `clamps ${sides.join(" and ")} the output range`;
  return channel.overflow === "wrap"
    ? "none (wrap; every value is in range)"
    : "none needed (every value is in range)";
}

/** A simulation's record in manifest.json and report.md (no timings: the same run, the same bytes). */
export interface VerificationRecord {
  readonly simulator: string;
  readonly vectors: number;
  readonly mismatches: number;
  readonly passed: boolean;
}

/** The body of report.md's Verification section: the results, or how to get them. */
export function verificationLines(
  verification: readonly VerificationRecord[] | undefined,
  files: { readonly testbench?: string; readonly vhdlTestbench?: string },
): string[] {
  if (!verification || verification.length === 0) {
    const benches = [
      ...(files.testbench ? [`\`${files.testbench}\` in Icarus Verilog and Verilator`] : []),
      ...(files.vhdlTestbench ? [`\`${files.vhdlTestbench}\` in GHDL`] : []),
    ];
    return [`Not run here. \`pwlgen sim <this directory>\` simulates ${benches.join(", and ")}.`];
  }
  return [
    "| simulator | vectors | mismatches | result |",
    "|---|---|---|---|",
    ...verification.map(
      (result) =>
        `| ${result.simulator} | ${result.vectors} | ${result.mismatches} | ${result.passed ? "PASS" : "FAIL"} |`,
    ),
  ];
}
