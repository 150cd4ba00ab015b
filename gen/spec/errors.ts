/**
 * Errors a user can fix. The CLI prints `message` on one line and exits with `exitCode`;
 * anything that is not a PwlgenError is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  /** 2: the spec or the command line is wrong. */
  readonly exitCode: number = 2;
  constructor(
    /** The spec field or CLI option at fault, as the user spelled it ("in", "maxError"). */
    readonly field: string,
    /** The offending value, shown back to the user. */
    readonly value: unknown,
    /** What is wrong and, where possible, what would work. */
    readonly reason: string,
  ) {
    super(`${field}: ${showValue(value)} ${reason}`);
    this.name = "UserError";
  }
}

/** A tool pwlgen needs (a simulator) is not installed. Exit code 3. */
export class MissingToolError extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = "MissingToolError";
  }
}

/**
 * Strings longer than this are shown cut to their start and end (a long path keeps its
 * file name), so that a huge value is never echoed whole.
 */
const SHOWN_CHARACTERS = 80;

export function showValue(value: unknown): string {
  if (typeof value === "string") {
    if (value.length <= SHOWN_CHARACTERS) return JSON.stringify(value);
    const cut = `${value.slice(0, SHOWN_CHARACTERS - 20)}\u2026${value.slice(-20)}`;
    return `${JSON.stringify(cut)} (${value.length} characters)`;
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
