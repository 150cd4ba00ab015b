import { type FixFormat, formatName, maxReal, minReal, toReal, ulp, width } from "../fixed/format.js";
import { hardwareSummary } from "../design/ir.js";
import { findFunction } from "../functions/registry.js";
import type { Generation } from "../generate.js";
import { headerLines } from "../rtl/view.js";
import { showReal } from "../spec/bound.js";
import type { SimResult } from "../../sim/types.js";
import type { UnitFiles, VectorSummary } from "./manifest.js";

/** report.md: what a hardware engineer reads before using the unit. */
export function reportMarkdown(
  generation: Generation,
  files: UnitFiles,
  vectors: VectorSummary,
  verification: readonly SimResult[] | undefined,
): string {
  const { design, accuracy, provenance } = generation;
  const channel = design.y;
  const hw = hardwareSummary(design.input, channel);
  const outUlp = ulp(channel.output);
  const fn = findFunction(design.function);
  const ulps = (value: number): string => `${(value / outUlp).toFixed(3)} ulp`;
  const lines: string[] = [];
  lines.push(`<!-- ${headerLines(design).join(" | ")} -->`, "");
  lines.push(`# ${design.module}`, "");
  lines.push(
    `\`${design.function}(x) = ${fn?.formula ?? design.function}\` as a piecewise-linear unit: ` +
      `input ${describe(design.input)}, output ${describe(channel.output)}.`,
    "",
  );
  const minimality =
    provenance.ampleSegments === hw.segments
      ? `minimum for these coefficient formats, and equal to the minimum with ${provenance.ampleSlopeFracBits} slope fraction bits`
      : `minimum for these coefficient formats (${provenance.ampleSegments} with ${provenance.ampleSlopeFracBits} slope fraction bits)`;
  const budget = provenance.segmentBudget !== undefined ? ` (budget ${provenance.segmentBudget})` : "";
  const row = (label: string, value: string): string => `| ${label} | ${value} |`;
  lines.push("## Summary", "", "| | |", "|---|---|");
  lines.push(
    row("segments", `${hw.segments}${budget}: ${minimality}`),
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
    row("slope ROM", `${formatName(channel.slopeFormat)} (${width(channel.slopeFormat)} bits)`),
    row("intercept ROM", `${formatName(channel.interceptFormat)} (${width(channel.interceptFormat)} bits)`),
    row(
      "ROM",
      `${hw.segments} x ${width(channel.slopeFormat) + width(channel.interceptFormat)} = ${hw.romBits} bits`,
    ),
    row("segment select", `${hw.comparators} comparators against constants, tree depth ${hw.treeDepth}`),
    row("multiplier", `${hw.multiplier[0]} x ${hw.multiplier[1]} bits`),
    row("accumulator", `${hw.accumulatorWidth} bits, shifted right by ${channel.productShift}`),
    row("rounding", roundingText(generation)),
    row("saturation", saturationText(generation)),
    row(
      "latency",
      design.pipeline === 0 ? "0 cycles (combinational)" : `${design.pipeline} cycles, one input per clock`,
    ),
    "",
  );
  lines.push(
    "Errors are the golden model (bit-exact with the RTL) against the double-precision function over every input code. " +
      "The segment count is minimal: each segment was extended while an integer slope and intercept in these formats kept every code within the bound, which no placement of breakpoints can beat.",
    "",
  );

  lines.push("## Verification", "");
  if (verification && verification.length > 0) {
    lines.push("| simulator | vectors | mismatches | result |", "|---|---|---|---|");
    for (const result of verification) {
      lines.push(
        `| ${result.simulator} | ${result.vectors} | ${result.mismatches} | ${result.passed ? "PASS" : "FAIL"} |`,
      );
    }
  } else {
    lines.push(
      `Not run here. \`pwlgen sim <this directory>\` simulates \`${files.testbench}\` in Icarus Verilog and Verilator.`,
    );
  }
  lines.push(
    "",
    `Vectors: ${vectors.count} in \`${files.vectors}\`, ${vectors.exhaustive ? "every input code" : `corner cases and a random sample (seed ${vectors.seed})`}.`,
    "",
  );

  lines.push("## Segments", "");
  lines.push("| # | from code | from x | slope | intercept | max error |", "|---:|---:|---:|---:|---:|---:|");
  channel.breakpoints.forEach((start, i) => {
    lines.push(
      `| ${i} | ${start} | ${toReal(start, design.input)} | ${channel.slopes[i]} (${toReal(channel.slopes[i]!, channel.slopeFormat)}) | ` +
        `${channel.intercepts[i]} (${toReal(channel.intercepts[i]!, channel.interceptFormat)}) | ${ulps(accuracy.segmentMax[i]!)} |`,
    );
  });
  lines.push("");
  lines.push("## Files", "");
  lines.push(
    `- \`${files.module}\`: the unit (Verilog-2005)`,
    `- \`${files.testbench}\`: self-checking testbench for both simulators`,
    `- \`${files.vectors}\`: test vectors {x, expected y} from the golden model`,
    "- `manifest.json`: everything above, machine-readable",
    "",
  );
  return lines.join("\n");
}

function describe(format: FixFormat): string {
  return `${formatName(format)} (${format.signed ? "signed" : "unsigned"}, ${width(format)} bits, [${minReal(format)}, ${maxReal(format) + ulp(format)}))`;
}

function roundingText({ design }: Generation): string {
  const channel = design.y;
  if (channel.productShift === 0) return "none needed (the product has the output's fraction bits)";
  if (channel.rounding === "half-up") return "half up, folded into the intercepts (the shift truncates)";
  if (channel.rounding === "half-even") return "half to even";
  return "truncation";
}

function saturationText({ design }: Generation): string {
  const channel = design.y;
  const sides = [channel.saturateLow ? "below" : "", channel.saturateHigh ? "above" : ""].filter(Boolean);
  if (sides.length > 0) return `clamps ${sides.join(" and ")} the output range`;
  return channel.overflow === "wrap"
    ? "none (wrap; every value is in range)"
    : "none needed (every value is in range)";
}
