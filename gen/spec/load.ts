import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { z } from "zod";
import { FILE_LIMITS, readUserFile } from "../input/files.js";
import { UserError } from "./errors.js";
import { didYouMean } from "../text.js";

/** The YAML parser, loaded with the first spec file read (most commands read none). */
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml);

/**
 * Where option values came from, so that a bad one is named the way the user wrote it:
 * `--max-error` for a flag, `maxError in spec.yaml` for a spec file field.
 */
export interface OptionSources {
  readonly specFile?: string;
  readonly fromCli: ReadonlySet<string>;
  /** Spec-file keys as written (kebab-case or camelCase), by their camelCase name. */
  readonly fileKeys?: ReadonlyMap<string, string>;
}

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export interface SpecFile {
  /** Values by camelCase key. */
  readonly values: Record<string, unknown>;
  /** The keys as the file spells them, by camelCase key (for messages). */
  readonly keys: ReadonlyMap<string, string>;
}

/** The --spec option of a command line, which may be given once. */
export function specFileOption(argv: Record<string, unknown>): string | undefined {
  if (Array.isArray(argv.spec)) {
    throw new UserError("--spec", argv.spec.join(" "), "is given more than once; give one spec file");
  }
  return typeof argv.spec === "string" ? argv.spec : undefined;
}

/**
 * Reads a JSON or YAML spec file (at most FILE_LIMITS.spec); keys may be camelCase or
 * kebab-case, each given once. Parsing is linear in the file's size: the YAML parser's own
 * check for repeated keys compares every key with every other (40,000 keys took 9 s), so
 * it is off and repeated keys are found with a set per mapping instead.
 */
export function readSpecFile(path: string): SpecFile {
  const text = readUserFile(path, { field: "--spec", limit: FILE_LIMITS.spec });
  const json = path.endsWith(".json");
  const language = json ? "JSON" : "YAML";
  const invalid = (error: { message: string }): UserError =>
    new UserError("--spec", path, `is not valid ${language}: ${firstLine(error.message)}`);
  const lines = new (yaml().LineCounter)();
  // JSON is YAML: the same document gives JSON files their keys and lines. Merge keys (<<)
  // would bring in fields no key names; they stay plain (unknown) keys.
  const document = yaml().parseDocument(text, { uniqueKeys: false, merge: false, lineCounter: lines });
  let data: unknown;
  if (json) {
    // JSON.parse is the judge of JSON (it keeps the last of repeated keys, found below).
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw invalid(error as Error);
    }
  } else {
    // A warning (an unresolved tag such as !!js/function) is refused like an error, and
    // never printed: the one error line is all the output.
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem) throw invalid(problem);
  }
  refuseRepeatedKeys(document, path, lines);
  if (!json) {
    try {
      // Refuses a document that expands aliases past yaml's limit (a "billion laughs" bomb).
      data = document.toJS();
    } catch (error) {
      throw invalid(error as Error);
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UserError("--spec", path, "must hold an object of fields (function, in, out, ...)");
  }
  const entries = Object.entries(data);
  const seen = new Map<string, string>();
  for (const [key] of entries) {
    const first = seen.get(camel(key));
    if (first !== undefined)
      throw new UserError(`--spec ${path}`, key, `repeats ${JSON.stringify(first)}; give each field once`);
    seen.set(camel(key), key);
  }
  return {
    values: Object.fromEntries(entries.map(([key, value]) => [camel(key), value])),
    keys: new Map(entries.map(([key]) => [camel(key), key])),
  };
}

/** Each mapping's keys are plain values, given once: one set per mapping, linear in the keys. */
function refuseRepeatedKeys(document: Yaml.Document, path: string, lines: Yaml.LineCounter): void {
  const { isNode, isScalar } = yaml();
  yaml().visit(document, {
    Map(_, map) {
      // As object keys: 1 and "1" are the same field.
      const seen = new Set<string>();
      for (const { key } of map.items) {
        const line = (): string =>
          isNode(key) && key.range ? ` (line ${lines.linePos(key.range[0]).line})` : "";
        if (!isScalar(key))
          throw new UserError("--spec", path, `has a key that is not a plain name${line()}`);
        const name = String(key.value);
        if (seen.has(name))
          throw new UserError(`--spec ${path}`, name, `repeats a key${line()}; give each field once`);
        seen.add(name);
      }
    },
  });
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/:$/, "");
}

/** Validates options against a schema; the first problem becomes a UserError naming field and value. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
  sources: OptionSources,
): z.output<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  // An unknown key is the likelier mistake (a misspelled field) than the field it leaves missing.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const written = sources.fromCli.has(key) ? `--${kebab(key)}` : (sources.fileKeys?.get(key) ?? key);
    throw new UserError(
      sources.specFile && !sources.fromCli.has(key) ? sources.specFile : "option",
      written,
      "is not a known field",
    );
  }
  const key = String(issue.path[0] ?? "");
  const value = values[key];
  // A required option left out: say what to give, in the words of its --help text.
  const description =
    value === undefined && issue.code === "invalid_type" ? fieldDescription(schema, key) : "";
  throw new UserError(
    label(key, sources),
    value,
    description ? `is required: give the ${description}` : reason(issue, value),
  );
}

/** A field's description (its --help text) in an object schema, possibly refined or preprocessed. */
function fieldDescription(schema: z.ZodType, key: string): string {
  let inner: unknown = schema;
  for (let depth = 0; depth < 4; depth++) {
    const node = inner as {
      shape?: Record<string, { description?: string }>;
      def?: { in?: unknown; out?: unknown };
    };
    if (node.shape) return node.shape[key]?.description ?? "";
    inner = node.def?.out ?? node.def?.in;
    if (!inner) break;
  }
  return "";
}

function label(key: string, sources: OptionSources): string {
  if (sources.fromCli.has(key) || !sources.specFile) return `--${kebab(key)}`;
  return `${sources.specFile}: ${sources.fileKeys?.get(key) ?? key}`;
}

/** What a zod issue says, in the words of a one-line message (after the field and value). */
export function reason(issue: z.core.$ZodIssue, input?: unknown): string {
  switch (issue.code) {
    case "invalid_value": {
      const choices = issue.values.map(String);
      const hint = typeof input === "string" ? didYouMean(input, choices) : "";
      return `is not one of: ${choices.join(", ")}${hint}`;
    }
    case "invalid_type":
      return issue.expected === "int" ? "must be an integer" : `must be ${article(issue.expected)}`;
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? "must not be empty"
          : `must have at least ${String(issue.minimum)} characters`;
      return issue.inclusive === false
        ? `must be greater than ${String(issue.minimum)}`
        : `must be at least ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `must have at most ${String(issue.maximum)} characters`;
      return issue.inclusive === false
        ? `must be less than ${String(issue.maximum)}`
        : `must be at most ${String(issue.maximum)}`;
    case "invalid_union":
      return "must be a number or a string";
    default:
      return issue.message;
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** SHA-256 of a value's canonical JSON: keys sorted, so key order never changes the hash. */
export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
