import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { expect, vi } from "vitest";
import { main } from "../../gen/cli.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Runs the CLI in-process, capturing what it prints. */
export async function runCli(args: string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    stdout.push(parts.map(String).join(" "));
  });
  const error = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    stderr.push(parts.map(String).join(" "));
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The one-line error contract: exit 2, a single "pwlgen: error:" line, no stack trace. */
export function expectUserError(result: CliRun): string {
  expect(result.stdout).toEqual([]);
  expect(result.code).toBe(2);
  expect(result.stderr).toHaveLength(1);
  const line = result.stderr[0]!;
  expect(line).not.toContain("\n");
  expect(line.startsWith("pwlgen: error:")).toBe(true);
  expect(line).not.toContain("    at ");
  return line;
}

/**
 * Runs `body` with PATH holding only the named programs (symlinks in `dir`), so a test can
 * show which tools a command needs. PATH is restored afterwards.
 */
export async function withOnlyTools<T>(
  dir: string,
  links: Record<string, string>,
  body: () => Promise<T>,
): Promise<T> {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
  const saved = process.env.PATH;
  process.env.PATH = dir;
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}
