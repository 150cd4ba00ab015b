import { z } from "zod";
import type { Options } from "yargs";
import { kebab, parseOptions, readSpecFile, specFileOption } from "./load.js";

/** Options that exclude each other: a flag for one replaces the spec file's value of any. */
const ALTERNATIVES: readonly (readonly string[])[] = [["maxError", "segments"]];

/**
 * Options that only apply under some values of another, per command: a flag choosing such
 * a value also drops the spec file's options that no longer apply, as the file's own choice
 * would (gen's `--derivative none` drops the file's dout and dmaxError, `--no-verify` its
 * simulator and lint). Values are compared as text (`false` for a switch turned off).
 */
export type Dependents = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/**
 * yargs options from a zod shape, so the schema stays the single source of names, help
 * texts, choices and defaults. Values reach zod as the user typed them (strings, except
 * booleans), and zod alone validates, coerces and fills defaults, so a spec file's values
 * are never overridden by a yargs default.
 */
export function yargsOptions(shape: z.ZodRawShape): Record<string, Options> {
  const schema = z.toJSONSchema(z.object(shape), { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, JsonProperty>;
    required?: string[];
  };
  const options: Record<string, Options> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    const choices = property.enum ?? property.anyOf?.flatMap((p) => p.enum ?? []);
    const notes = [
      choices && choices.length > 0 ? `one of: ${choices.join(", ")}` : "",
      property.default !== undefined && property.default !== false
        ? `default: ${String(property.default)}`
        : "",
    ].filter(Boolean);
    options[kebab(key)] = {
      type: property.type === "boolean" ? "boolean" : "string",
      describe: [property.description ?? "", notes.length > 0 ? `(${notes.join("; ")})` : ""]
        .filter(Boolean)
        .join(" "),
      requiresArg: property.type !== "boolean",
      // Each command's own options: `sweep merge` does not inherit `sweep`'s.
      global: false,
    };
  }
  return options;
}

interface JsonProperty {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: { enum?: unknown[] }[];
  default?: unknown;
  description?: string;
}

/** The values the user gave on the command line for a shape's keys (camelCase). */
export function valuesFromArgv(shape: z.ZodRawShape, argv: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    if (argv[key] !== undefined) values[key] = argv[key];
  }
  return values;
}

/**
 * A command's options: its --spec file's values (if any), overridden by the flags given,
 * validated by its schema (errors name the flag, or the file and key, and the value).
 */
export function commandOptions<S extends z.ZodType>(
  schema: S,
  shape: z.ZodRawShape,
  argv: Record<string, unknown>,
  dependents: Dependents = {},
): z.output<S> {
  const fromCli = valuesFromArgv(shape, argv);
  const specFile = specFileOption(argv);
  const file = specFile ? readSpecFile(specFile) : undefined;
  const fileValues = { ...file?.values };
  // A flag overrides the file, including the file's choice between alternatives.
  for (const group of ALTERNATIVES) {
    if (group.some((key) => key in fromCli)) for (const key of group) delete fileValues[key];
  }
  for (const [key, dropped] of Object.entries(dependents)) {
    if (!(key in fromCli)) continue;
    for (const dependent of dropped[String(fromCli[key])] ?? []) {
      if (!(dependent in fromCli)) delete fileValues[dependent];
    }
  }
  return parseOptions(
    schema,
    { ...fileValues, ...fromCli },
    { specFile, fromCli: new Set(Object.keys(fromCli)), ...(file ? { fileKeys: file.keys } : {}) },
  );
}
