import { join } from "node:path";
import { type UnitOnDisk, readUnit, readUnitFile, unitFileName } from "../../sim/unit.js";
import { FILE_LIMITS, readUserFile } from "../input/files.js";
import { lockDirectory } from "../output/lock.js";
import { writeTogether } from "../output/write.js";
import { readManifest } from "../report/manifest.js";
import { measureFmax } from "./fmax.js";
import { type TargetName, TARGETS } from "./targets.js";
import { type SynthResult, synthesize } from "./yosys.js";

/**
 * `pwlgen synth DIR`: synthesizes a generated unit for each target and records the counts
 * (and, with `fmax`, the Fmax and critical path on targets that nextpnr places and routes)
 * in its manifest.json (`synthesis.<target>`) and report.md (a Synthesis section).
 */
export async function synthUnit(
  dir: string,
  targets: readonly TargetName[],
  options: { fmax?: boolean } = {},
): Promise<SynthResult[]> {
  const unit = readUnit(dir);
  // Yosys reads Verilog only: a unit written with --hdl vhdl is refused before the lock.
  unitFileName(unit, "module", ": Yosys reads the Verilog only");
  // One writer at a time: a gen or another synth into this directory waits its turn.
  const lock = lockDirectory(unit.dir, dir, "DIR");
  try {
    return await synthesizeInto(unit, targets, options);
  } finally {
    lock.release();
  }
}

async function synthesizeInto(
  unit: UnitOnDisk,
  targets: readonly TargetName[],
  options: { fmax?: boolean },
): Promise<SynthResult[]> {
  const manifestPath = join(unit.dir, "manifest.json");
  const manifest = readManifest(manifestPath, "DIR") as ManifestForSynth;
  const source = readUnitFile(unit, "module");
  const results: SynthResult[] = [];
  for (const target of targets) {
    const result = await synthesize({ [unitFileName(unit, "module")]: source }, unit.module, target);
    if (options.fmax && TARGETS[target].fmax) {
      const { fmaxMHz, criticalPath } = await measureFmax(
        source,
        unit.module,
        {
          xWidth: manifest.input.width,
          outputs: [
            { name: "y", width: manifest.output.width },
            ...(manifest.derivative?.output ? [{ name: "dy", width: manifest.derivative.output.width }] : []),
          ],
          pipelined: manifest.latency > 0,
        },
        target,
      );
      results.push({ ...result, fmaxMHz, criticalPath });
    } else {
      results.push(result);
    }
  }
  const synthesis = { ...(manifest.synthesis ?? {}) };
  for (const result of results) {
    const { target, ...counts } = result;
    synthesis[target] = counts;
  }
  const reportPath = join(unit.dir, "report.md");
  const report = readUserFile(reportPath, { field: "DIR", value: unit.dir, limit: FILE_LIMITS.manifest });
  writeTogether(unit.dir, [
    [manifestPath, `${JSON.stringify({ ...manifest, synthesis }, null, 2)}\n`],
    [reportPath, withSynthesisSection(report, synthesis)],
  ]);
  return results;
}

/** A target's record in manifest.json (`synthesis.<target>`); older pwlgen versions wrote no bram. */
export type SynthRecord = Omit<SynthResult, "target" | "bram"> & { readonly bram?: number };

interface ManifestForSynth {
  input: { width: number };
  output: { width: number };
  latency: number;
  derivative?: { output?: { width: number } };
  synthesis?: Record<string, SynthRecord>;
}

const START = "<!-- synthesis:start -->";
const END = "<!-- synthesis:end -->";

/** report.md with its Synthesis section (re)written from all targets synthesized so far. */
export function withSynthesisSection(report: string, synthesis: Record<string, SynthRecord>): string {
  const entries = Object.entries(synthesis).sort(([a], [b]) => (a < b ? -1 : 1));
  const rows = entries.map(
    ([target, r]) =>
      `| ${target} | ${r.lut} | ${r.carry} | ${r.dsp} | ${r.bram ?? ""} | ${r.ff} | ${fmaxCell(r)} |`,
  );
  const commands = entries.map(([target]) =>
    target in TARGETS
      ? `- ${target}: \`${TARGETS[target as TargetName].yosys}\` (${TARGETS[target as TargetName].counting})`
      : `- ${target}`,
  );
  const paths = entries.flatMap(([target, r]) => {
    const path = r.criticalPath;
    if (!path) return [];
    const device = TARGETS[target as TargetName]?.fmax?.name ?? target;
    return [
      `- ${target} on ${device}: ${path.delayNs.toFixed(3)} ns (${path.logicNs.toFixed(2)} ns logic, ${path.routingNs.toFixed(2)} ns routing) from \`${path.from}\` to \`${path.to}\` through ${path.through}` +
        (path.untimed ? `; an upper bound: nextpnr's timing model leaves out ${path.untimed}` : ""),
    ];
  });
  const section = [
    START,
    "## Synthesis",
    "",
    "Yosys cell counts (`pwlgen synth`):",
    "",
    ...commands,
    "",
    "| target | LUTs | carry | DSPs | BRAMs | FFs | Fmax (MHz) |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    ...(paths.length > 0
      ? [
          "",
          "Fmax: the unit between input and output registers, placed and routed by nextpnr-ice40; the slowest register-to-register path, paths through an unregistered SB_MAC16 included:",
          "",
          ...paths,
        ]
      : []),
    END,
  ].join("\n");
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start >= 0 && end > start) return report.slice(0, start) + section + report.slice(end + END.length);
  return `${report.trimEnd()}\n\n${section}\n`;
}

/** "18.81", or "at most 18.81" when nextpnr left a delay on the path out of its model. */
function fmaxCell(record: SynthRecord): string {
  if (record.fmaxMHz === undefined) return "";
  return `${record.criticalPath?.untimed ? "at most " : ""}${record.fmaxMHz.toFixed(2)}`;
}
