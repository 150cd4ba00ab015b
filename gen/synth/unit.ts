import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readUnit } from "../../sim/simulate.js";
import { ice40Fmax } from "./fmax.js";
import { type SynthResult, type SynthTarget, synthesize } from "./yosys.js";

/**
 * `pwlgen synth DIR`: synthesizes a generated unit for each target and records the counts
 * in its manifest.json (`synthesis.<target>`) and report.md (a Synthesis section).
 */
export async function synthUnit(
  dir: string,
  targets: readonly SynthTarget[],
  options: { fmax?: boolean } = {},
): Promise<SynthResult[]> {
  const unit = readUnit(dir);
  const manifestPath = join(unit.dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as ManifestForSynth;
  const source = readFileSync(join(unit.dir, unit.moduleFile), "utf8");
  const results: SynthResult[] = [];
  for (const target of targets) {
    const result = await synthesize({ [unit.moduleFile]: source }, unit.module, target);
    const fmaxMHz =
      options.fmax && target === "ice40"
        ? await ice40Fmax(source, unit.module, {
            xWidth: manifest.input.width,
            outputs: [
              { name: "y", width: manifest.output.width },
              ...(manifest.derivative?.output
                ? [{ name: "dy", width: manifest.derivative.output.width }]
                : []),
            ],
            pipelined: manifest.latency > 0,
          })
        : undefined;
    results.push(fmaxMHz === undefined ? result : { ...result, fmaxMHz });
  }
  const synthesis = { ...(manifest.synthesis ?? {}) };
  for (const result of results) {
    const { target, ...counts } = result;
    synthesis[target] = counts;
  }
  writeAtomically(manifestPath, `${JSON.stringify({ ...manifest, synthesis }, null, 2)}\n`);
  const reportPath = join(unit.dir, "report.md");
  writeAtomically(reportPath, withSynthesisSection(readFileSync(reportPath, "utf8"), synthesis));
  return results;
}

interface ManifestForSynth {
  input: { width: number };
  output: { width: number };
  latency: number;
  derivative?: { output?: { width: number } };
  synthesis?: Record<string, Omit<SynthResult, "target">>;
}

const START = "<!-- synthesis:start -->";
const END = "<!-- synthesis:end -->";

/** report.md with its Synthesis section (re)written from all targets synthesized so far. */
export function withSynthesisSection(
  report: string,
  synthesis: Record<string, Omit<SynthResult, "target">>,
): string {
  const rows = Object.entries(synthesis)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([target, r]) =>
        `| ${target} | ${r.lut} | ${r.carry} | ${r.dsp} | ${r.ff} | ${r.fmaxMHz === undefined ? "" : r.fmaxMHz.toFixed(1)} |`,
    );
  const section = [
    START,
    "## Synthesis",
    "",
    "Yosys estimates (`pwlgen synth`): ice40 `synth_ice40 -dsp`, xc7 `synth_xilinx`, generic `synth -lut 4`. Fmax: the unit between input and output registers, placed and routed by nextpnr-ice40 on an UP5K.",
    "",
    "| target | LUTs | carry | DSPs | FFs | Fmax (MHz) |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    END,
  ].join("\n");
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start >= 0 && end > start) return report.slice(0, start) + section + report.slice(end + END.length);
  return `${report.trimEnd()}\n\n${section}\n`;
}

function writeAtomically(path: string, contents: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
