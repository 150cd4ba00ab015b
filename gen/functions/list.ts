import { FUNCTIONS } from "./registry.js";
import type { Symmetry } from "./types.js";

/** The table `pwlgen list` prints: name, parameters, symmetry, derivative, formula. */
export function listFunctions(): string {
  const rows = FUNCTIONS.map((fn) => [
    fn.name,
    fn.params.map((p) => `--${p.name} (default ${p.default})`).join(", ") || "-",
    symmetryText(fn.symmetry),
    fn.derivative ?? "-",
    fn.formula,
  ]);
  const header = ["function", "parameters", "symmetry", "derivative", "formula"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [
    line(header),
    ...rows.map(line),
    "",
    'Or --expr "<expression in x>", e.g. --expr "x*sigmoid(1.702*x)" (functions: exp, log, log1p, expm1, sqrt, abs, tanh, erf, sigmoid, softplus, ...).',
  ].join("\n");
}

function symmetryText(symmetry: Symmetry): string {
  if (symmetry.kind === "point") return `f(-x) = ${symmetry.value} - f(x)`;
  if (symmetry.kind === "odd") return "odd";
  if (symmetry.kind === "even") return "even";
  if (symmetry.kind === "ramp") return "f(-x) = f(x) - x";
  return "none";
}
