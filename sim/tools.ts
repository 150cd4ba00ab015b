import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { childrenManaged, isInterrupting, trackChild } from "../gen/output/interrupt.js";
import { MissingToolError } from "../gen/spec/errors.js";
import type { Simulator } from "./types.js";

/** Where each external tool comes from, for the message when it is missing. */
const INSTALL: Record<string, string> = {
  iverilog: "Icarus Verilog: apt-get install iverilog",
  vvp: "Icarus Verilog: apt-get install iverilog",
  verilator: "Verilator: apt-get install verilator",
  ghdl: "GHDL: apt-get install ghdl",
  cc: "a C compiler: apt-get install gcc",
};

export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function requireTool(name: string): string {
  const path = findTool(name);
  if (!path) throw new MissingToolError(`${name} is not installed; install ${INSTALL[name] ?? name}`);
  return path;
}

/** The programs a simulator needs: its compiler and, for Icarus Verilog, its runtime. */
const SIMULATOR_TOOLS: Record<Simulator, readonly string[]> = {
  iverilog: ["iverilog", "vvp"],
  verilator: ["verilator"],
  ghdl: ["ghdl"],
};

/** Fails with exit code 3 before any tool runs if a chosen simulator is not installed. */
export function requireSimulators(simulators: readonly Simulator[]): void {
  for (const simulator of simulators) SIMULATOR_TOOLS[simulator].forEach(requireTool);
}

/**
 * The first line of a tool's output that reports an error (Verilator's `%Error: ...`,
 * Icarus' `file:line: syntax error`, a C++ compiler's `error:`), else its first line:
 * the one line a user needs to see why a build or run failed.
 */
export function firstErrorLine(output: string): string | undefined {
  const lines = output
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /\berror\b/i.test(line)) ?? lines[0];
}

export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Stopped after the timeout; code is then -1. */
  readonly timedOut?: boolean;
  /** The signal that ended the program (a crash: Verilator aborts on a bad $readmemh file); code is then -1. */
  readonly signal?: string;
}

/** How a program ended, for a message: "exited with code 2", "was stopped by SIGABRT". */
export function howItEnded(output: RunOutput): string {
  return output.signal ? `was stopped by ${output.signal}` : `exited with code ${output.code}`;
}

/**
 * Runs a program to completion and returns its exit code and output (never throws on exit
 * code, nor on a crash: a program ended by a signal gives code -1 and the signal). Under
 * the CLI it runs in a process group of its own, so that an interrupt stops it and what it
 * starts (Verilator's make and C++ compiler); a program that ends during an interrupt
 * rejects, whatever its exit code. With a timeout, a program still running then is killed
 * (its process group, under the CLI) and the result says timedOut.
 */
export function run(
  program: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutSeconds?: number },
): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const detached = childrenManaged();
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached,
      stdio: ["ignore", "pipe", "pipe"],
    });
    trackChild(child);
    const stdout = new Capture();
    const stderr = new Capture();
    child.stdout.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.add(chunk));
    let timedOut = false;
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              if (detached && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
              else child.kill("SIGKILL");
            } catch {
              // already gone
            }
          }, options.timeoutSeconds * 1000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (isInterrupting()) {
        reject(new Error(`${program} was stopped by an interrupt`));
        return;
      }
      const output = { stdout: stdout.text(), stderr: stderr.text() };
      if (timedOut) {
        resolve({ code: -1, ...output, timedOut: true });
        return;
      }
      resolve(code === null ? { code: -1, ...output, signal: signal ?? "a signal" } : { code, ...output });
    });
  });
}

/**
 * A program's output, bounded: the start and the end are kept (a testbench's RESULT line
 * comes last), the middle of a flood (a unit printing in a loop) is dropped.
 */
class Capture {
  private static readonly HEAD = 8 * 1024 * 1024;
  private static readonly TAIL = 1024 * 1024;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = false;

  add(chunk: Buffer): void {
    if (this.headBytes < Capture.HEAD) {
      const taken = chunk.subarray(0, Capture.HEAD - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0]!.length >= Capture.TAIL) {
      this.tailBytes -= this.tail.shift()!.length;
      this.dropped = true;
    }
  }

  text(): string {
    const gap = this.dropped ? [Buffer.from("\n[...]\n")] : [];
    return Buffer.concat([...this.head, ...gap, ...this.tail]).toString();
  }
}
