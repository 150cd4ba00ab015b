import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The CLI as users run it (a process of its own: signals, exit codes, the supervisor). */
export const BIN = resolve("bin/pwlgen.js");

/** Running processes (from /proc) whose command line contains a string: [pid, command]. */
export function processesMentioning(text: string): [number, string][] {
  const found: [number, string][] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(join("/proc", entry, "cmdline"), "utf8").replaceAll("\0", " ");
      if (command.includes(text)) found.push([Number(entry), command]);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/** Polls until the condition holds or the deadline (ms from now) passes; returns the condition. */
export async function waitFor(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    if (condition()) return true;
    if (performance.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * kill -9 cannot be caught, so a killed run's simulators (in process groups of their own)
 * keep running: stop them, as a user would, so they do not load the machine for later tests.
 */
export async function stopOrphans(pid: number): Promise<void> {
  const mark = `-${pid}-`;
  for (const [orphan] of processesMentioning(mark)) {
    for (const target of [-orphan, orphan]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone, or not a group leader
      }
    }
  }
  await waitFor(() => processesMentioning(mark).length === 0, 30_000);
}

/**
 * pwlgen in a process of its own (signals need one), its stderr collected; `scratch` is the
 * prefix of its Icarus Verilog scratch directories in tmpdir.
 */
export function spawnPwlgen(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): {
  child: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  scratch: string;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    scratch: `pwlgen-iverilog-${child.pid}-`,
  };
}
