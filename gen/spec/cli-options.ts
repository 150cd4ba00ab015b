import { z } from "zod";
import type { Options } from "yargs";
import { UserError } from "./errors.js";
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
  const options: Record<string, Options> = {};
  for (const [key, property] of Object.entries(jsonProperties(shape))) {
    const choices = property.enum ?? property.anyOf?.flatMap((p) => p.enum ?? []);
    // JSON Schema leaves out the default of a field that transforms its input (integers).
    const fallback = property.default ?? zodDefault(shape[key]);
    const notes = [
      choices && choices.length > 0 ? `one of: ${choices.join(", ")}` : "",
      fallback !== undefined && fallback !== false ? `default: ${String(fallback)}` : "",
    ].filter(Boolean);
    options[kebab(key)] = {
      type: isSwitch(property) ? "boolean" : "string",
      describe: [property.description ?? "", notes.length > 0 ? `(${notes.join("; ")})` : ""]
        .filter(Boolean)
        .join(" "),
      requiresArg: !isSwitch(property),
      // Each command's own options: `sweep merge` does not inherit `sweep`'s.
      global: false,
    };
  }
  return options;
}

/** The default of a zod field declared with .default(), if any (its value as the user would write it). */
function zodDefault(field: unknown): unknown {
  const def = (field as { _zod?: { def?: { type?: string; defaultValue?: unknown } } } | undefined)?._zod
    ?.def;
  return def?.type === "default" ? def.defaultValue : undefined;
}

/** A shape's options as JSON Schema properties (their input side), by camelCase key. */
function jsonProperties(shape: z.ZodRawShape): Record<string, JsonProperty> {
  const schema = z.toJSONSchema(z.object(shape), { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, JsonProperty>;
  };
  return schema.properties;
}

/** A boolean option is a yargs switch: --verify, --no-verify. */
function isSwitch(property: JsonProperty): boolean {
  return property.type === "boolean";
}

/**
 * The switches of the commands' shapes, kebab-case. A name that is a switch in one command
 * and takes a value in another would make a command line's meaning depend on the command:
 * that is a bug here, not the user's.
 */
export function switchNames(shapes: readonly z.ZodRawShape[]): Set<string> {
  const switches = new Set<string>();
  const valued = new Set<string>();
  for (const shape of shapes) {
    for (const [key, property] of Object.entries(jsonProperties(shape))) {
      (isSwitch(property) ? switches : valued).add(kebab(key));
    }
  }
  const both = [...switches].filter((name) => valued.has(name));
  if (both.length > 0) throw new Error(`internal: --${both.join(", --")} is a switch in one command only`);
  return switches;
}

const SWITCH_WITH_VALUE = /^--(no-)?([^=]+)=(.*)$/s;

/**
 * yargs reads a switch given any value but "true" as false, so `--verify=yes` (or 1, TRUE,
 * maybe) would run unverified without a word. A switch takes only --name, --no-name,
 * --name=true and --name=false; anything else is refused naming it and the value.
 * `switches` is called only for an argument spelled --name=value (it may cost a little).
 */
export function switchValueProblem(arg: string, switches: () => ReadonlySet<string>): UserError | undefined {
  const match = SWITCH_WITH_VALUE.exec(arg);
  if (!match) return undefined;
  const [, negated, written, value] = match as unknown as [string, string | undefined, string, string];
  const name = kebab(written);
  if (!switches().has(name)) return undefined;
  const spellings = `--${name} is a switch: write --${name}, --no-${name}, --${name}=true or --${name}=false`;
  if (negated)
    return new UserError(`--no-${written}`, value, `cannot follow a negated switch (${spellings})`);
  if (value === "true" || value === "false") return undefined;
  return new UserError(`--${written}`, value, `is not true or false (${spellings})`);
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
