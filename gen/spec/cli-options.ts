import { z } from "zod";
import type { Options } from "yargs";
import { kebab, parseOptions, readSpecFile, specFileOption } from "./load.js";

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
): z.output<S> {
  const fromCli = valuesFromArgv(shape, argv);
  const specFile = specFileOption(argv);
  const file = specFile ? readSpecFile(specFile) : undefined;
  return parseOptions(
    schema,
    { ...file?.values, ...fromCli },
    { specFile, fromCli: new Set(Object.keys(fromCli)), ...(file ? { fileKeys: file.keys } : {}) },
  );
}
