import { requireTool, run } from "./tools.js";
import type { UnitOnDisk } from "./simulate.js";

/** Lint results: the generated module must be clean under both tools' strictest settings. */
export interface LintResult {
  readonly tool: "verilator" | "iverilog";
  readonly command: string;
  readonly clean: boolean;
  readonly messages: readonly string[];
}

export async function lintUnit(unit: UnitOnDisk): Promise<LintResult[]> {
  const verilator = requireTool("verilator");
  const iverilog = requireTool("iverilog");
  const verilatorArgs = ["--lint-only", "-Wall", unit.moduleFile];
  const iverilogArgs = ["-g2005", "-Wall", "-o", "/dev/null", unit.moduleFile];
  const results: LintResult[] = [];
  for (const [tool, program, args] of [
    ["verilator", verilator, verilatorArgs],
    ["iverilog", iverilog, iverilogArgs],
  ] as const) {
    const output = await run(program, args, { cwd: unit.dir });
    const messages = `${output.stdout}${output.stderr}`
      .split("\n")
      .filter((line) => /warning|error/i.test(line));
    results.push({
      tool,
      command: `${tool} ${args.join(" ")}`,
      clean: output.code === 0 && messages.length === 0,
      messages,
    });
  }
  return results;
}
