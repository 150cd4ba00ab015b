import { UserError } from "../gen/spec/errors.js";

/**
 * Simulating a unit runs its Verilog: under Verilator `$system("...")` runs a shell
 * command and `$c(...)` or a DPI import runs C, and `$fopen`, `$fwrite`, `$writememh` or
 * `$dumpfile` write files in both simulators. pwlgen's module and testbench use a handful
 * of system tasks and two compiler directives, so anything else in a unit directory was
 * put there by someone else, and is refused unless the user trusts the unit.
 *
 * The scan is deliberately blunt: it reads the raw text, comments and strings included,
 * so no comment or macro trick hides a name (pwlgen writes neither kind there).
 */
const SYSTEM_NAMES = new Set(["$display", "$finish", "$readmemh", "$value$plusargs", "$signed", "$unsigned"]);

/** Directives pwlgen writes; `include, `define (and so any macro) and tool directives are not among them. */
const DIRECTIVES = new Set(["timescale", "default_nettype"]);

/** A system task or function name, not the inside of an identifier such as a$b. */
const SYSTEM_NAME = /(?<![A-Za-z0-9_$])\$[A-Za-z0-9_$]+/g;
const DIRECTIVE = /`\s*([A-Za-z_][A-Za-z0-9_$]*)?/g;
/** SystemVerilog's DPI: import "DPI-C" function ... links C code into the Verilator build. */
const DPI = /\b(?:import|export)\s*"DPI/g;

export interface Untrusted {
  readonly line: number;
  readonly text: string;
  readonly what: string;
}

/** The first construct in `source` that pwlgen never emits, or undefined. */
export function firstUntrusted(source: string): Untrusted | undefined {
  const found: { index: number; text: string; what: string }[] = [];
  for (const match of source.matchAll(SYSTEM_NAME)) {
    if (!SYSTEM_NAMES.has(match[0])) {
      found.push({ index: match.index, text: match[0], what: "a system task or function" });
      break;
    }
  }
  for (const match of source.matchAll(DIRECTIVE)) {
    if (!DIRECTIVES.has(match[1] ?? "")) {
      found.push({ index: match.index, text: match[0], what: "a compiler directive or macro" });
      break;
    }
  }
  for (const match of source.matchAll(DPI)) {
    found.push({ index: match.index, text: match[0], what: "a DPI import or export" });
    break;
  }
  const first = found.sort((a, b) => a.index - b.index)[0];
  if (!first) return undefined;
  return { line: lineOf(source, first.index), text: first.text, what: first.what };
}

/**
 * VHDL runs foreign code through the `foreign` attribute (GHDL's VHPIDIRECT) and writes
 * files through file declarations or file_open in write or append mode. pwlgen's VHDL
 * uses neither (its testbench opens the vectors with read_mode and prints to `output`).
 */
const VHDL_UNTRUSTED: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\bforeign\b|\bvhpidirect\b/i, what: "a foreign subprogram (code outside VHDL)" },
  { pattern: /\b(?:write_mode|append_mode)\b/i, what: "a file opened for writing" },
  {
    pattern: /\bopen\s+(?!read_mode\b)[a-z_]+\s+is\b|\bfile_open_kind\s*'/i,
    what: "a file opened for writing",
  },
];

/** The first construct in VHDL `source` that pwlgen never emits, or undefined. */
export function firstUntrustedVhdl(source: string): Untrusted | undefined {
  const found = VHDL_UNTRUSTED.map(({ pattern, what }) => {
    const match = pattern.exec(source);
    return match ? { index: match.index, text: match[0], what } : undefined;
  })
    .filter((hit) => hit !== undefined)
    .sort((a, b) => a.index - b.index)[0];
  return found ? { line: lineOf(source, found.index), text: found.text, what: found.what } : undefined;
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf("\n"); i >= 0 && i < index; i = source.indexOf("\n", i + 1)) line++;
  return line;
}

/** Refuses (exit 2, naming file and line) Verilog or VHDL that uses what pwlgen never emits. */
export function refuseUntrusted(files: readonly { readonly name: string; readonly text: string }[]): void {
  for (const { name, text } of files) {
    const found = /\.vhdl?$/.test(name) ? firstUntrustedVhdl(text) : firstUntrusted(text);
    if (found) {
      throw new UserError(
        `${name}:${found.line}`,
        found.text,
        `is ${found.what} that pwlgen never emits; simulating a unit runs its code, so sim refuses it (--trust runs a unit you trust anyway)`,
      );
    }
  }
}
